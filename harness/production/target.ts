import { isServed, type PreflightConfig, type ServedService } from '../config/types.ts';
import { PreflightError } from '../core/preflight-error.ts';

export type TargetName = 'local' | 'production';

/** What a project's specs walk: the local services, or production. */
export interface Target {
  name: TargetName;
  /** The service named frontend (production: PREFLIGHT_PRODUCTION_URL). */
  frontendUrl: URL;
  /** The service named backend (production: PREFLIGHT_PRODUCTION_API_URL). */
  backendUrl: URL;
  frontendHealthUrl: URL;
  backendHealthUrl: URL;
  /** Any declared service's URL, by its name in the gate configuration. */
  serviceUrl(name: string): URL;
}

export function targetFor(name: TargetName, config: PreflightConfig): Target {
  if (name === 'production') {
    if (!config.production) throw new Error('the production project runs only when PREFLIGHT_PRODUCTION_URL is set');
    const { url, apiUrl } = config.production;
    const byName: Record<string, URL> = { frontend: url, backend: apiUrl };
    return {
      name,
      frontendUrl: url,
      backendUrl: apiUrl,
      frontendHealthUrl: new URL(config.healthPath, url),
      backendHealthUrl: new URL(config.healthPath, apiUrl),
      serviceUrl: (service) => {
        if (byName[service]) return byName[service];
        throw new PreflightError(`preflight: production has no URL for the service "${service}": only frontend (PREFLIGHT_PRODUCTION_URL) and backend (PREFLIGHT_PRODUCTION_API_URL).`);
      },
    };
  }
  const find = (service: string): ServedService => {
    const found = config.services.find((declared) => declared.name === service);
    if (found && isServed(found)) return found;
    if (found) {
      throw new PreflightError(`preflight: the service "${service}" has no URL (it is judged by its output, and serves on no port); a spec cannot reach it. Give it a url in the gate configuration (docs/gate-config.md) if it serves one.`);
    }
    throw new PreflightError(
      `preflight: no service named "${service}" is declared (declared: ${config.services.map((declared) => declared.name).join(', ')}); declare it in the gate configuration (docs/gate-config.md), or use target.serviceUrl(name) with a declared name.`,
    );
  };
  // Getters: a gate without a service named backend or frontend fails only in the specs that ask for one.
  return {
    name,
    get frontendUrl() {
      return find('frontend').url;
    },
    get backendUrl() {
      return find('backend').url;
    },
    get frontendHealthUrl() {
      return find('frontend').healthUrl;
    },
    get backendHealthUrl() {
      return find('backend').healthUrl;
    },
    serviceUrl: (service) => find(service).url,
  };
}
