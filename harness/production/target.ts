import type { PreflightConfig } from '../config/load-config.ts';

export type TargetName = 'local' | 'production';

/** What a project's specs walk: the local services, or production. */
export interface Target {
  name: TargetName;
  frontendUrl: URL;
  backendUrl: URL;
  frontendHealthUrl: URL;
  backendHealthUrl: URL;
}

export function targetFor(name: TargetName, config: PreflightConfig): Target {
  if (name === 'production') {
    if (!config.production) throw new Error('the production project runs only when PREFLIGHT_PRODUCTION_URL is set');
    const { url, apiUrl } = config.production;
    return { name, frontendUrl: url, backendUrl: apiUrl, frontendHealthUrl: new URL(config.healthPath, url), backendHealthUrl: new URL(config.healthPath, apiUrl) };
  }
  const { frontend, backend } = config;
  return { name, frontendUrl: frontend.url, backendUrl: backend.url, frontendHealthUrl: frontend.healthUrl, backendHealthUrl: backend.healthUrl };
}
