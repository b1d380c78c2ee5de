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
  /** The specs' baseURL (the gate file's baseURL, or its browser: true service's URL; production: PREFLIGHT_PRODUCTION_URL). */
  baseURL: URL | undefined;
  /** Every origin this target serves from: a request there is the app's own (browser evidence counts its failures). */
  origins: string[];
}

export function targetFor(name: TargetName, config: PreflightConfig): Target {
  if (name === 'production') {
    if (!config.production) throw new Error('the production project runs only when PREFLIGHT_PRODUCTION_URL is set');
    const { url, apiUrl } = config.production;
    // The browser's service is production's frontend, whatever its local name.
    const browser = config.services.find((service) => service.url && config.baseURL && service.url.href === config.baseURL.href)?.name;
    const byName: Record<string, URL> = { frontend: url, backend: apiUrl, ...(browser ? { [browser]: url } : {}) };
    return {
      baseURL: url,
      origins: [...new Set([url.origin, apiUrl.origin])],
      name,
      frontendUrl: url,
      backendUrl: apiUrl,
      frontendHealthUrl: new URL(config.healthPath, url),
      backendHealthUrl: new URL(config.healthPath, apiUrl),
      serviceUrl: (service) => {
        if (byName[service]) return byName[service];
        throw new PreflightError(`preflight: production has no URL for the service "${service}": only ${browser && browser !== 'frontend' ? `${browser} and ` : ''}frontend (PREFLIGHT_PRODUCTION_URL) and backend (PREFLIGHT_PRODUCTION_API_URL).`);
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
    baseURL: config.baseURL,
    // Served over HTTP: a database's tcp:// address is no origin a page requests.
    origins: [
      ...new Set([
        ...config.services.filter(isServed).filter((service) => service.url.protocol === 'http:' || service.url.protocol === 'https:').map((service) => service.url.origin),
        ...(config.baseURL ? [config.baseURL.origin] : []),
      ]),
    ],
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
