// The backend's configuration, parsed once from the environment.
import { z } from 'zod';
import type { DemoFaults } from '../shared/faults.ts';
import { databaseUrlSchema, defaultDatabaseUrl } from '../shared/database-url.ts';
import { EnvReader, healthPathSchema, nonEmptySchema, reportEnvProblems, serviceUrlSchema } from '../shared/env-reader.ts';

export interface BackendEnv {
  production: boolean;
  backendUrl: URL;
  databaseUrl: URL;
  healthPath: string;
  maxAudioBytes: number;
  version: string;
  releaseId?: string;
  faults: DemoFaults;
}

export const defaultMaxAudioBytes = 5 * 1024 * 1024;

/** Returns the parsed configuration, or undefined after printing every problem when the backend must not start. */
export function loadBackendEnv(env: NodeJS.ProcessEnv, logPrefix: string): BackendEnv | undefined {
  const reader = new EnvReader(env);
  const production = env.NODE_ENV === 'production';
  const backendUrl = reader.read('PREFLIGHT_BACKEND_URL', serviceUrlSchema, 'an http(s) URL such as http://127.0.0.1:3001',
    new URL('http://127.0.0.1:3001'), { fatal: true });
  const databaseUrl = reader.read('PREFLIGHT_DATABASE_URL', databaseUrlSchema, 'a URL with a host and a port, such as tcp://127.0.0.1:5433',
    defaultDatabaseUrl, { fatal: true });
  const healthPath = reader.read('PREFLIGHT_HEALTH_PATH', healthPathSchema, 'a path starting with "/"', '/ops/health/production');
  const maxAudioBytes = reader.read('DEMO_MAX_AUDIO_BYTES', z.coerce.number().int().positive(), 'a positive number of bytes', defaultMaxAudioBytes);
  const version = reader.read('DEMO_VERSION', nonEmptySchema, 'a version string such as 0.1.0', '0.1.0');
  const releaseId = reader.read('DEMO_RELEASE_ID', nonEmptySchema.max(200), 'a release id of at most 200 characters',
    undefined, { fatal: false });
  const faults = reader.faults('backend');

  if (production) {
    if (releaseId === undefined) reader.require('DEMO_RELEASE_ID', 'a release id (required when NODE_ENV=production)');
    if (reader.raw('PREFLIGHT_DATABASE_URL') === undefined) reader.require('PREFLIGHT_DATABASE_URL', 'the database URL, set explicitly (required when NODE_ENV=production)');
  }

  if (reportEnvProblems(logPrefix, reader.problems, production)) return undefined;
  return {
    production,
    backendUrl: backendUrl!,
    databaseUrl: databaseUrl!,
    healthPath: healthPath!,
    maxAudioBytes: maxAudioBytes!,
    version: version!,
    releaseId,
    faults: faults!,
  };
}
