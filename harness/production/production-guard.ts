import fs from 'node:fs';
import path from 'node:path';
import type { PreflightConfig } from '../config/types.ts';
import { setForWorkers } from '../core/worker-environment.ts';
import { PRODUCTION_PROJECT } from './production-project.ts';
import { PROXY_VAR, type PublishedProxy } from './proxy-clients.ts';
import { startReadOnlyProxy } from './read-only-proxy.ts';
import type { BlockedWrite } from './blocked-writes.ts';

/** Whether `--project` (none, or a name or glob that matches) selects the project `name`. */
export function selectsProject(projects: string[], name: string): boolean {
  if (projects.length === 0) return true;
  return projects.some((pattern) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(name));
}

/**
 * Global setup's part of "production is read-only" (docs/safety.md): when the production project runs and writes
 * are not allowed, starts the read-only proxy and tells the workers Playwright forks next where it is, and to trust
 * its authority (NODE_EXTRA_CA_CERTS: the user's own authorities, then the proxy's). Returns how to stop it, or
 * undefined when no proxy is needed (no production, writes allowed, or --project without production).
 */
export async function startProductionGuard(
  config: Pick<PreflightConfig, 'production' | 'allowProductionWrites' | 'extraCaCertsFile'>,
  options: { workers: number; projects: string[]; onBlocked(write: BlockedWrite): void },
): Promise<(() => Promise<void>) | undefined> {
  if (!config.production || config.allowProductionWrites || !selectsProject(options.projects, PRODUCTION_PROJECT)) return undefined;
  const proxy = await startReadOnlyProxy({ production: config.production, workers: options.workers, onBlocked: options.onBlocked });
  const bundle = path.join(path.dirname(proxy.authority.caFile), 'trusted-by-workers.pem');
  const own = config.extraCaCertsFile && fs.existsSync(config.extraCaCertsFile) ? `${fs.readFileSync(config.extraCaCertsFile, 'utf8').trim()}\n` : '';
  fs.writeFileSync(bundle, own + fs.readFileSync(proxy.authority.caFile, 'utf8'));
  const published: PublishedProxy = { ports: proxy.ports, spkiSha256: proxy.authority.spkiSha256 };
  setForWorkers({ [PROXY_VAR]: JSON.stringify(published), NODE_EXTRA_CA_CERTS: bundle });
  return proxy.close;
}
