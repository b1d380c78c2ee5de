// A service as the configuration resolves it, for tests that launch one process directly (no gate file).
import type { ServiceConfig } from '../../harness/config/types.ts';
import { repoRoot } from './demo-process.ts';

export function serviceConfig(name: string, command: string, overrides: Partial<ServiceConfig> = {}): ServiceConfig {
  const url = new URL('http://127.0.0.1:9');
  return {
    name,
    command,
    cwd: repoRoot,
    env: {},
    url,
    urlText: url.href,
    readiness: { kind: 'contract', downForMs: 15_000 },
    healthUrl: new URL('/health', url),
    dependsOn: [],
    readyAfter: [],
    timeoutMs: 10_000,
    stop: { signal: 'SIGTERM', graceMs: 3_000, timeoutMs: 30_000 },
    detached: false,
    probeHeaders: {},
    reuseExisting: false,
    setBy: { command: 'the test', url: 'the test', timeout: 'the test', reuse: 'the test', service: 'the test' },
    ...overrides,
  };
}
