// Runs `npx playwright merge-reports` over shards' blob reports, the way the CI merge job does.
import fs from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { repoRoot } from './demo-process.ts';
import { gateEnvironment, gateRunResult, type GateRun } from './run-gate.ts';

/** Collects the blob report of each shard run into one folder, as the CI merge job downloads them. */
export async function collectBlobReports(shards: GateRun[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-blobs-'));
  for (const shard of shards) {
    const blobDir = path.join(shard.reportsDir, 'blob');
    for (const file of fs.existsSync(blobDir) ? fs.readdirSync(blobDir) : []) fs.copyFileSync(path.join(blobDir, file), path.join(dir, file));
  }
  return dir;
}

export async function mergeReports(blobDir: string, env: Record<string, string> = {}): Promise<GateRun> {
  const { env: mergeEnv, reportsDir, backendUrl, frontendUrl, databaseUrl, mark } = await gateEnvironment(env);
  const started = Date.now();
  const result = await execa('npx', ['playwright', 'merge-reports', '--config', 'playwright.config.ts', blobDir], {
    cwd: repoRoot,
    env: mergeEnv,
    extendEnv: false,
    reject: false,
    all: true,
    stdin: 'ignore',
    timeout: 120_000,
  });
  return gateRunResult(result, { started, reportsDir, backendUrl, frontendUrl, databaseUrl, mark });
}
