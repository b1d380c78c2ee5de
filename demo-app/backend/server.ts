// The demo backend: `node --import tsx demo-app/backend/server.ts`. See docs/demo-app.md.
import { createServer } from 'node:http';
import { launchService } from '../shared/lifecycle.ts';
import { loadBackendEnv } from './env.ts';
import { createStoryApi } from './story-api.ts';
import { StoryStore } from './story-store.ts';

const logPrefix = '[demo-backend]';

async function main(): Promise<void> {
  const env = loadBackendEnv(process.env, logPrefix);
  if (!env) return void (process.exitCode = 1);

  const release = env.releaseId === undefined ? '' : `, release ${env.releaseId}`;
  console.log(`${logPrefix} starting demo backend ${env.version}${release} (pid ${process.pid}, node ${process.version})`);
  console.log(`${logPrefix} data dir ${env.dataDir}, health path ${env.healthPath}, faults: ${env.faults.active.join(', ') || 'none'}`);

  let store: StoryStore;
  try {
    store = await StoryStore.open(env.dataDir);
  } catch (error) {
    console.error(`${logPrefix} cannot open the story store in ${env.dataDir}: ${(error as Error).message}; exiting with code 1`);
    return void (process.exitCode = 1);
  }

  const server = createServer(createStoryApi({
    store,
    healthPath: env.healthPath,
    version: env.version,
    releaseId: env.releaseId,
    faults: env.faults,
    logPrefix,
  }));
  await launchService({ logPrefix, server, serviceUrl: env.backendUrl, faults: env.faults, onShutdown: () => store.flush() });
}

await main();
