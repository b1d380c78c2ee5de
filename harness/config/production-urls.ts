import { z } from 'zod';
import { PRODUCTION_URL_VAR, productionVariable, productionVariables, serviceVariable, type ProductionConfig } from './types.ts';

// The production target, from the environment (docs/production.md): PREFLIGHT_PRODUCTION_URL is the browser's service
// in production (and runs the production project), PREFLIGHT_PRODUCTION_<NAME>_URL each other service's.

const INSECURE_VAR = 'PREFLIGHT_ALLOW_INSECURE_PRODUCTION';
const httpUrl = z.url({ protocol: /^https?$/ }).transform((value) => new URL(value));
const allowed = z.stringbool();

export interface ProductionServices {
  /** Every declared service's name, in the gate file's order. */
  names: string[];
  /** The service whose URL is the specs' baseURL (browser: true, or the one the gate file's baseURL names), if any. */
  browser?: string;
  /** How a message names a service's declaration: `preflight.config.ts services.api`. */
  declaredAt(name: string): string;
}

/**
 * The production configuration when PREFLIGHT_PRODUCTION_URL is set (undefined otherwise, or when it is invalid); every
 * problem with a production variable is added to `problems`. A service without a production URL is no problem here:
 * the spec that asks for it fails, naming the variable (harness/production/target.ts).
 */
export function parseProduction(env: Record<string, string>, declared: ProductionServices, problems: string[]): ProductionConfig | undefined {
  if (env[PRODUCTION_URL_VAR] === undefined) return undefined;
  const { names, browser } = declared;
  const insecure = allowed.safeParse(env[INSECURE_VAR] ?? 'false');
  // An invalid PREFLIGHT_ALLOW_INSECURE_PRODUCTION is reported by the environment's schema (env-schema.ts).
  const allowInsecure = insecure.success && insecure.data;
  const parse = (variable: string): URL | undefined => {
    const value = env[variable]!;
    const parsed = httpUrl.safeParse(value);
    if (!parsed.success) {
      problems.push(`${variable}: expected an http:// or https:// URL, got ${JSON.stringify(value)}`);
      return undefined;
    }
    if (parsed.data.protocol === 'http:' && !allowInsecure) {
      problems.push(`${variable}: expected an https:// URL: production is never checked over plain http (set ${INSECURE_VAR}=true to allow it), got ${JSON.stringify(value)}`);
      return undefined;
    }
    return parsed.data;
  };

  const url = parse(PRODUCTION_URL_VAR);
  const services: ProductionConfig['services'] = {};
  for (const name of names) {
    const { own, legacy } = productionVariables(name, names);
    const variable = env[own] !== undefined ? own : legacy !== undefined && env[legacy] !== undefined ? legacy : undefined;
    // The browser's service is PREFLIGHT_PRODUCTION_URL; so is a service named frontend when no service is the browser's (as before per-service variables).
    const isBrowser = name === browser || (browser === undefined && name === 'frontend');
    if (variable === undefined) {
      if (isBrowser && url) services[name] = { url, variable: PRODUCTION_URL_VAR };
      continue;
    }
    const given = parse(variable);
    if (!given) continue;
    if (isBrowser && url && given.href !== url.href) {
      problems.push(`${variable}: expected ${JSON.stringify(env[PRODUCTION_URL_VAR])} or nothing: ${name} is the browser's service, whose production URL is ${PRODUCTION_URL_VAR}; got ${JSON.stringify(env[variable])}`);
      continue;
    }
    services[name] = { url: given, variable };
  }

  // A production variable that names no declared service is a typo or a renamed service: said, not ignored.
  const known = new Set([PRODUCTION_URL_VAR, ...names.flatMap((name) => Object.values(productionVariables(name, names))), ...names.map((name) => serviceVariable({ name }, 'URL'))]);
  for (const variable of Object.keys(env).filter((key) => /^PREFLIGHT_PRODUCTION_.+_URL$/.test(key) && !known.has(key)).sort()) {
    problems.push(
      `${variable}: names no declared service (declared: ${names.join(', ')}), got ${JSON.stringify(env[variable])}; fix: name the service's production URL PREFLIGHT_PRODUCTION_<NAME>_URL (${names.map((name) => productionVariable({ name })).join(', ')}), or remove it`,
    );
  }
  // A service whose own URL variable is also a production variable: setting one would set the other.
  for (const name of names) {
    const local = serviceVariable({ name }, 'URL');
    const clash = local === PRODUCTION_URL_VAR ? 'the browser\'s production URL' : names.find((other) => productionVariable({ name: other }) === local);
    if (clash) problems.push(`${declared.declaredAt(name)}: expected another name: its URL variable ${local} is also ${clash === 'the browser\'s production URL' ? clash : `the production URL of ${clash}`}; fix: rename the service`);
  }

  if (!url) return undefined;
  const urls = [url, ...Object.values(services).map((service) => service.url)].filter((candidate, index, all) => all.findIndex((other) => other.origin === candidate.origin) === index);
  return { url, services, urls, allowInsecure };
}
