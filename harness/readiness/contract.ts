import { z } from 'zod';
import type { ReadinessState } from '../core/service-record.ts';

/** One named check of the readiness body (IETF health-check draft: pass / warn / fail). */
export const readinessCheckSchema = z.object({
  status: z.enum(['pass', 'warn', 'fail']),
  critical: z.boolean().optional(),
  latencyMs: z.number().nonnegative().optional(),
  output: z.string().optional(),
});

/** The readiness contract body of docs/design.md, written once: every caller uses this schema. */
export const readinessBodySchema = z.object({
  status: z.enum(['ready', 'ready-degraded', 'down']),
  message: z.string().optional(),
  version: z.string().optional(),
  releaseId: z.string().optional(),
  checkedAt: z.iso.datetime({ offset: true }).optional(),
  checks: z.record(z.string(), readinessCheckSchema).optional(),
});

export type ReadinessBody = z.output<typeof readinessBodySchema>;

export type { ReadinessState };

export interface ReadinessVerdict {
  state: ReadinessState;
  /** One line a person can read: why this state. */
  reason: string;
  httpStatus: number;
  body?: ReadinessBody;
}

/**
 * Interprets one answer of the readiness contract:
 * 200 + ready -> ready, 200 + ready-degraded -> degraded, 503 + down -> down, anything else -> violation.
 */
export function interpretReadiness(httpStatus: number, rawBody: string, contentType = '', location?: string): ReadinessVerdict {
  if (httpStatus >= 300 && httpStatus < 400) {
    const target = location ? ` to ${location}` : '';
    return violation(httpStatus, `answered HTTP ${httpStatus} (a redirect${target}); the contract endpoint must answer itself, without redirects`);
  }
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    const kind = contentType ? ` (${contentType.split(';')[0]})` : '';
    return violation(httpStatus, `answered HTTP ${httpStatus} with a body that is not JSON${kind}: ${snippet(rawBody)}`);
  }
  const parsed = readinessBodySchema.safeParse(json);
  if (!parsed.success) {
    return violation(httpStatus, `answered HTTP ${httpStatus} with a body that breaks the contract: ${describeSchemaIssues(parsed.error.issues, json)}`);
  }
  const body = parsed.data;
  const expected = body.status === 'down' ? 503 : 200;
  if (httpStatus !== expected) {
    return violation(httpStatus, `answered HTTP ${httpStatus} with status "${body.status}"; the contract pairs "${body.status}" with HTTP ${expected}`, body);
  }
  const detail = body.message ? `: ${body.message}` : failingChecks(body);
  if (body.status === 'ready') return { state: 'ready', reason: `ready${body.message ? `: ${body.message}` : ''}`, httpStatus, body };
  if (body.status === 'ready-degraded') return { state: 'degraded', reason: `ready-degraded${detail}`, httpStatus, body };
  return { state: 'down', reason: `down${detail}`, httpStatus, body };
}

/** No answer within the timeout is a contract violation too: the contract promises an answer in time. */
export function timeoutViolation(timeoutMs: number): ReadinessVerdict {
  return violation(0, `no answer within ${timeoutMs} ms (a timeout); the contract endpoint must answer promptly, without waiting on slow dependencies`);
}

function violation(httpStatus: number, reason: string, body?: ReadinessBody): ReadinessVerdict {
  return { state: 'violation', reason: `contract violation: ${reason}`, httpStatus, body };
}

function failingChecks(body: ReadinessBody): string {
  const names = Object.entries(body.checks ?? {})
    .filter(([, check]) => check.status !== 'pass')
    .map(([name, check]) => `${name} ${check.status}${check.output ? ` (${check.output})` : ''}`);
  return names.length ? `: ${names.join(', ')}` : '';
}

function describeSchemaIssues(issues: z.core.$ZodIssue[], json: unknown): string {
  return issues
    .map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : 'body';
      const got = valueAt(json, issue.path);
      return `${where}: ${issue.message} (got ${got === undefined ? 'nothing' : snippet(JSON.stringify(got))}${caseHint(issue, got)})`;
    })
    .join('; ');
}

/** "READY" is not "ready": say so, since it is the most common way to break the contract. */
function caseHint(issue: z.core.$ZodIssue, got: unknown): string {
  if (issue.code !== 'invalid_value' || typeof got !== 'string') return '';
  const match = issue.values.find((value) => typeof value === 'string' && value.toLowerCase() === got.toLowerCase());
  return match === undefined ? '' : `, and "${got}" is not "${String(match)}": values are case-sensitive`;
}

function valueAt(json: unknown, path: PropertyKey[]): unknown {
  let value: unknown = json;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function snippet(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}...` : flat || '(empty)';
}
