import { isServed, productionVariables, type PreflightConfig, type ServedService } from '../config/types.ts';
import { PreflightError } from '../core/preflight-error.ts';

export type TargetName = 'local' | 'production';

/** What a project's specs walk: the local services, or production. */
export interface Target {
  name: TargetName;
  /** The service named frontend (production: its production URL, PREFLIGHT_PRODUCTION_URL when it is the browser's). */
  frontendUrl: URL;
  /** The service named backend (production: PREFLIGHT_PRODUCTION_BACKEND_URL, or PREFLIGHT_PRODUCTION_API_URL). */
  backendUrl: URL;
  frontendHealthUrl: URL;
  backendHealthUrl: URL;
  /** Any declared service's URL, by its name in the gate configuration (production: PREFLIGHT_PRODUCTION_<NAME>_URL). */
  serviceUrl(name: string): URL;
  /** The specs' baseURL (the gate file's baseURL, or its browser: true service's URL; production: PREFLIGHT_PRODUCTION_URL). */
  baseURL: URL | undefined;
  /** Every origin this target serves from: a request there is the app's own (browser evidence counts its failures); production: every production URL's. */
  origins: string[];
}

export function targetFor(name: TargetName, config: PreflightConfig): Target {
  const declared = (service: string) => {
    const found = config.services.find((candidate) => candidate.name === service);
    if (found) return found;
    throw new PreflightError(
      `preflight: no service named "${service}" is declared (declared: ${config.services.map((candidate) => candidate.name).join(', ')}); declare it in the gate configuration (docs/gate-config.md), or use target.serviceUrl(name) with a declared name.`,
    );
  };
  if (name === 'production') {
    if (!config.production) throw new Error('the production project runs only when PREFLIGHT_PRODUCTION_URL is set');
    const { url, services, urls } = config.production;
    const names = config.services.map((service) => service.name);
    const production = (service: string): URL => {
      const found = services[service];
      if (found) return found.url;
      declared(service);
      const { own, legacy } = productionVariables(service, names);
      throw new PreflightError(
        `preflight: production has no URL for the service "${service}": ${own} is not set${legacy ? ` (nor ${legacy}, which is ${service}'s when no service is named api)` : ''}. ` +
          `Set it to ${service}'s production address (https://...; docs/production.md), or leave this spec out of the production project.`,
      );
    };
    // Getters: a gate without a service named backend or frontend fails only in the specs that ask for one.
    return {
      baseURL: url,
      origins: [...new Set(urls.map((candidate) => candidate.origin))],
      name,
      get frontendUrl() {
        return production('frontend');
      },
      get backendUrl() {
        return production('backend');
      },
      get frontendHealthUrl() {
        return new URL(config.healthPath, production('frontend'));
      },
      get backendHealthUrl() {
        return new URL(config.healthPath, production('backend'));
      },
      serviceUrl: production,
    };
  }
  const find = (service: string): ServedService => {
    const found = declared(service);
    if (isServed(found)) return found;
    throw new PreflightError(`preflight: the service "${service}" has no URL (it is judged by its output, and serves on no port); a spec cannot reach it. Give it a url in the gate configuration (docs/gate-config.md) if it serves one.`);
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
