// The demo frontend: `node --import tsx demo-app/frontend/server.ts`. See docs/demo-app.md.
import { createServer } from 'node:http';
import { launchService } from '../shared/lifecycle.ts';
import { loadFrontendEnv } from './env.ts';
import { createStoryPages } from './story-pages.ts';

const logPrefix = '[demo-frontend]';

async function main(): Promise<void> {
  const env = loadFrontendEnv(process.env, logPrefix);
  if (!env) return void (process.exitCode = 1);

  const release = env.releaseId === undefined ? '' : `, release ${env.releaseId}`;
  console.log(`${logPrefix} starting demo frontend ${env.version}${release} (pid ${process.pid}, node ${process.version})`);
  console.log(`${logPrefix} backend ${env.backendUrl.origin}, API URL ${env.apiUrl.origin}, health path ${env.healthPath}, faults: ${env.faults.active.join(', ') || 'none'}`);

  const server = createServer(createStoryPages({
    frontendUrl: env.frontendUrl,
    backendUrl: env.backendUrl,
    apiUrl: env.apiUrl,
    publicApiUrl: env.publicApiUrl,
    publicUrl: env.publicUrl,
    healthPath: env.healthPath,
    version: env.version,
    releaseId: env.releaseId,
    faults: env.faults,
    logPrefix,
  }));
  await launchService({ logPrefix, server, serviceUrl: env.frontendUrl, faults: env.faults });
}

await main();
