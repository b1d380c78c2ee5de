// The backend's configuration, parsed once from the environment.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoFaults } from '../shared/faults.ts';
import { EnvReader, healthPathSchema, nonEmptySchema, reportEnvProblems, serviceUrlSchema } from '../shared/env-reader.ts';

export interface BackendEnv {
  production: boolean;
  backendUrl: URL;
  healthPath: string;
  dataDir: string;
  version: string;
  releaseId?: string;
  faults: DemoFaults;
}

// The repo root is the demo-app folder's parent, whatever the working directory.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const defaultDataDir = path.join(repoRoot, 'demo-app', 'data');

/** Returns the parsed configuration, or undefined after printing every problem when the backend must not start. */
export function loadBackendEnv(env: NodeJS.ProcessEnv, logPrefix: string): BackendEnv | undefined {
  const reader = new EnvReader(env);
  const production = env.NODE_ENV === 'production';
  const backendUrl = reader.read('PREFLIGHT_BACKEND_URL', serviceUrlSchema, 'an http(s) URL such as http://127.0.0.1:3001',
    new URL('http://127.0.0.1:3001'), { fatal: true });
  const healthPath = reader.read('PREFLIGHT_HEALTH_PATH', healthPathSchema, 'a path starting with "/"', '/ops/health/production');
  const dataDir = reader.read('DEMO_DATA_DIR', nonEmptySchema, 'a directory path', defaultDataDir);
  const version = reader.read('DEMO_VERSION', nonEmptySchema, 'a version string such as 0.1.0', '0.1.0');
  const releaseId = reader.read('DEMO_RELEASE_ID', nonEmptySchema.max(200), 'a release id of at most 200 characters',
    undefined, { fatal: false });
  const faults = reader.faults('backend');

  if (production) {
    if (releaseId === undefined) reader.require('DEMO_RELEASE_ID', 'a release id (required when NODE_ENV=production)');
    const explicitDataDir = reader.raw('DEMO_DATA_DIR');
    if (explicitDataDir === undefined || !path.isAbsolute(explicitDataDir)) {
      reader.require('DEMO_DATA_DIR', 'an absolute directory path, set explicitly (required when NODE_ENV=production)');
    }
  }

  if (reportEnvProblems(logPrefix, reader.problems, production)) return undefined;
  return {
    production,
    backendUrl: backendUrl!,
    healthPath: healthPath!,
    dataDir: path.resolve(dataDir!),
    version: version!,
    releaseId,
    faults: faults!,
  };
}
