// Builds the readiness contract body (see docs/readiness-contract.md), including the health faults.
import type { HealthFault } from './faults.ts';

export interface HealthCheck {
  status: 'pass' | 'warn' | 'fail';
  critical?: boolean;
  latencyMs?: number;
  output?: string;
}

export interface ReadinessInput {
  service: string;
  version: string;
  releaseId?: string;
  checks: Record<string, HealthCheck>;
  fault?: HealthFault;
}

export interface ReadinessResponse {
  statusCode: number;
  body: unknown;
}

export function buildReadiness(input: ReadinessInput): ReadinessResponse {
  const base = {
    version: input.version,
    ...(input.releaseId === undefined ? {} : { releaseId: input.releaseId }),
    checkedAt: new Date().toISOString(),
  };
  if (input.fault === 'bad-contract') {
    return { statusCode: 200, body: { status: 'READY', checks: 'all good' } };
  }
  if (input.fault === 'degraded') {
    const output = `fault degraded: ${input.service} is running with reduced capacity`;
    return {
      statusCode: 200,
      body: {
        status: 'ready-degraded',
        message: output,
        ...base,
        checks: { ...input.checks, capacity: { status: 'warn', critical: false, output } },
      },
    };
  }
  if (input.fault === 'down') {
    const output = `fault down: ${input.service} reports a violated critical invariant`;
    return {
      statusCode: 503,
      body: { status: 'down', message: output, ...base, checks: { ...input.checks, invariant: { status: 'fail', critical: true, output } } },
    };
  }
  const failing = Object.entries(input.checks).filter(([, check]) => check.status === 'fail' && check.critical !== false);
  if (failing.length > 0) {
    const message = failing.map(([name, check]) => `${name}: ${check.output ?? 'fail'}`).join('; ');
    return { statusCode: 503, body: { status: 'down', message, ...base, checks: input.checks } };
  }
  const warning = Object.values(input.checks).some((check) => check.status !== 'pass');
  return { statusCode: 200, body: { status: warning ? 'ready-degraded' : 'ready', ...base, checks: input.checks } };
}

/** Runs `probe`, timing it; a throw becomes a failing check. */
export async function timedCheck(probe: () => Promise<string>, critical = true): Promise<HealthCheck> {
  const started = performance.now();
  try {
    const output = await probe();
    return { status: 'pass', critical, latencyMs: Math.round(performance.now() - started), output };
  } catch (error) {
    const output = error instanceof Error ? error.message : String(error);
    return { status: 'fail', critical, latencyMs: Math.round(performance.now() - started), output };
  }
}
