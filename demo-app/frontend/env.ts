// The frontend's configuration, parsed once from the environment.
import type { DemoFaults } from '../shared/faults.ts';
import { EnvReader, healthPathSchema, nonEmptySchema, reportEnvProblems, serviceUrlSchema } from '../shared/env-reader.ts';

export interface FrontendEnv {
  production: boolean;
  frontendUrl: URL;
  backendUrl: URL;
  /** Where the browser calls the backend: PREFLIGHT_BACKEND_URL, or its port + 1 with fault wrong-api-port. */
  apiUrl: URL;
  /** Where the browser calls the backend: DEMO_PUBLIC_API_URL (behind a proxy or tunnel), else apiUrl. */
  publicApiUrl: URL;
  /** The origin that profile links and QR codes name (DEMO_PUBLIC_URL, else PREFLIGHT_FRONTEND_URL). */
  publicUrl: URL;
  healthPath: string;
  version: string;
  releaseId?: string;
  faults: DemoFaults;
}

/** Returns the parsed configuration, or undefined after printing every problem when the frontend must not start. */
export function loadFrontendEnv(env: NodeJS.ProcessEnv, logPrefix: string): FrontendEnv | undefined {
  const reader = new EnvReader(env);
  const production = env.NODE_ENV === 'production';
  const frontendUrl = reader.read('PREFLIGHT_FRONTEND_URL', serviceUrlSchema, 'an http(s) URL such as http://127.0.0.1:3000',
    new URL('http://127.0.0.1:3000'), { fatal: true });
  const backendUrl = reader.read('PREFLIGHT_BACKEND_URL', serviceUrlSchema, 'an http(s) URL such as http://127.0.0.1:3001',
    new URL('http://127.0.0.1:3001'), { fatal: true });
  const publicApiUrl = reader.read('DEMO_PUBLIC_API_URL', serviceUrlSchema, 'an http(s) URL such as https://api.demo.example.org', undefined, { fatal: true });
  const publicUrl = reader.read('DEMO_PUBLIC_URL', serviceUrlSchema, 'an http(s) URL such as https://demo.example.org', undefined, { fatal: true });
  const healthPath = reader.read('PREFLIGHT_HEALTH_PATH', healthPathSchema, 'a path starting with "/"', '/ops/health/production');
  const version = reader.read('DEMO_VERSION', nonEmptySchema, 'a version string such as 0.1.0', '0.1.0');
  const releaseId = reader.read('DEMO_RELEASE_ID', nonEmptySchema.max(200), 'a release id of at most 200 characters',
    undefined, { fatal: false });
  const faults = reader.faults('frontend');

  if (reportEnvProblems(logPrefix, reader.problems, production)) return undefined;
  const apiUrl = new URL(backendUrl!);
  if (faults!.wrongApiPort) apiUrl.port = String(Number(backendUrl!.port || (backendUrl!.protocol === 'https:' ? 443 : 80)) + 1);
  return {
    apiUrl,
    publicApiUrl: publicApiUrl ?? apiUrl,
    publicUrl: publicUrl ?? frontendUrl!,
    production,
    frontendUrl: frontendUrl!,
    backendUrl: backendUrl!,
    healthPath: healthPath!,
    version: version!,
    releaseId,
    faults: faults!,
  };
}
