import { z } from '../core/packages.ts';
import type { ReadinessState } from '../core/service-record.ts';

/** One named check of the readiness body (IETF health-check draft: pass / warn / fail). */
export const readinessCheckSchema = z.object({
  status: z.enum(['pass', 'warn', 'fail']),
  critical: z.boolean().optional(),
  latencyMs: z.number().nonnegative().optional(),
  output: z.string().optional(),
});

// The shapes apps already answer besides preflight's `checks` map, read for their reason only: a field of another
// type there is left out, never a contract violation (the contract is the status and its HTTP status).
const lenientText = z.string().optional().catch(undefined);

/** One entry of a list or map of findings, under the names apps give its parts (the real app: { name, message }). */
const findingObjectSchema = z.looseObject({
  name: lenientText,
  componentId: lenientText,
  component: lenientText,
  check: lenientText,
  status: lenientText,
  message: lenientText,
  output: lenientText,
  error: lenientText,
  reason: lenientText,
  description: lenientText,
  critical: z.boolean().optional().catch(undefined),
});
const findingSchema = z.union([z.string(), findingObjectSchema]);

/**
 * Findings as apps list them: a list of entries (`failures: [{ name, message }]`, `errors: ["..."]`), a map of
 * named entries (`details: { database: { status: "down", message } }`), or one message (`error: "..."`).
 */
const findingsSchema = z
  .union([z.string(), z.array(findingSchema.optional().catch(undefined)), z.record(z.string(), z.union([z.string(), findingObjectSchema]).optional().catch(undefined))])
  .optional()
  .catch(undefined);

/** The readiness contract body of docs/design.md, written once: every caller uses this schema. */
export const readinessBodySchema = z.object({
  status: z.enum(['ready', 'ready-degraded', 'down']),
  message: z.string().optional(),
  version: z.string().optional(),
  releaseId: z.string().optional(),
  checkedAt: z.iso.datetime({ offset: true }).optional(),
  // preflight's map of named checks (validated), the IETF draft's map of lists, or a list of checks (read leniently).
  checks: z.union([z.record(z.string(), z.union([readinessCheckSchema, z.array(readinessCheckSchema)])), z.array(findingSchema.optional().catch(undefined))]).optional(),
  failures: findingsSchema,
  warnings: findingsSchema,
  errors: findingsSchema,
  error: findingsSchema,
  details: findingsSchema,
});

export type ReadinessBody = z.output<typeof readinessBodySchema>;

export type { ReadinessState };

export interface ReadinessVerdict {
  state: ReadinessState;
  /** One line a person can read: why this state. */
  reason: string;
  httpStatus: number;
  body?: ReadinessBody;
  /** The named groups of a log readiness pattern, as the line that matched gave them. */
  captured?: Record<string, string>;
  /** A readiness command's exit code. */
  exitCode?: number;
}

/** One check or finding of a readiness answer, whatever shape carried it (docs/readiness-contract.md). */
export interface ReadinessFinding {
  /** The body's field it came from: checks, failures, warnings, errors, error or details. */
  from: string;
  name?: string;
  status: 'pass' | 'warn' | 'fail';
  message?: string;
  critical?: boolean;
  latencyMs?: number;
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
  const detail = describeFindings(body);
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

// Words apps use for a check's state, besides the draft's pass / warn / fail; any other word is a failure.
const PASSING = /^(pass|passed|passing|ok|up|ready|healthy|green|success)$/i;
const WARNING = /^(warn|warning|degraded|ready-degraded|yellow)$/i;
const FINDING_FIELDS = ['checks', 'failures', 'errors', 'error', 'warnings', 'details'] as const;
/** What an entry without a status of its own means, by the field that lists it; checks and details follow the body's status. */
const FIELD_STATUS: Partial<Record<(typeof FINDING_FIELDS)[number], ReadinessFinding['status']>> = { failures: 'fail', errors: 'fail', error: 'fail', warnings: 'warn' };
const BODY_STATUS: Record<ReadinessBody['status'], ReadinessFinding['status']> = { ready: 'pass', 'ready-degraded': 'warn', down: 'fail' };

type FindingEntry = z.output<typeof findingSchema> | z.output<typeof readinessCheckSchema> | undefined;

/** Every check and finding of a body, from each shape the schema reads, in the order of FINDING_FIELDS. */
export function readinessFindings(body: ReadinessBody): ReadinessFinding[] {
  const findings: ReadinessFinding[] = [];
  for (const from of FINDING_FIELDS) {
    const value = body[from];
    const otherwise = FIELD_STATUS[from] ?? BODY_STATUS[body.status];
    const add = (entry: FindingEntry, key?: string) => {
      const finding = toFinding(from, entry, key, otherwise);
      if (finding) findings.push(finding);
    };
    if (value === undefined) continue;
    if (typeof value === 'string') add(value);
    else if (Array.isArray(value)) value.forEach((entry) => add(entry));
    else for (const [key, entry] of Object.entries(value)) (Array.isArray(entry) ? entry : [entry]).forEach((one) => add(one, key));
  }
  return findings;
}

function toFinding(from: string, entry: FindingEntry, key: string | undefined, otherwise: ReadinessFinding['status']): ReadinessFinding | undefined {
  if (entry === undefined) return undefined;
  if (typeof entry === 'string') return entry.trim() ? { from, name: key, status: otherwise, message: entry.trim() } : undefined;
  const named = entry as Partial<Record<'name' | 'componentId' | 'component' | 'check' | 'message' | 'output' | 'error' | 'reason' | 'description' | 'status', string>> & { critical?: boolean; latencyMs?: number };
  const name = named.name ?? named.componentId ?? named.component ?? named.check ?? key;
  const message = named.message ?? named.output ?? named.error ?? named.reason ?? named.description;
  const word = named.status;
  const status = word === undefined ? otherwise : PASSING.test(word) ? 'pass' : WARNING.test(word) ? 'warn' : 'fail';
  if (name === undefined && message === undefined) return undefined;
  return { from, name, status, message, critical: named.critical, latencyMs: named.latencyMs };
}

/** ": <message>: db fail (refused); cache warn (cold)": the message, then each failing entry, then each warning. */
function describeFindings(body: ReadinessBody): string {
  const seen = new Set<string>();
  const named = readinessFindings(body)
    .filter((finding) => finding.status !== 'pass')
    .sort((a, b) => (a.status === b.status ? 0 : a.status === 'fail' ? -1 : 1))
    .map((finding) => (finding.name ? `${finding.name} ${finding.status}${finding.message ? ` (${finding.message})` : ''}` : finding.message!))
    .filter((text) => !seen.has(text) && seen.add(text));
  const parts = [body.message, named.join('; ')].filter(Boolean);
  return parts.length ? `: ${parts.join(': ')}` : '';
}

function describeSchemaIssues(issues: z.core.$ZodIssue[], json: unknown): string {
  return issues
    .flatMap(unwrapUnion)
    .map((issue) => {
      const where = issue.path.length ? issue.path.join('.') : 'body';
      const got = valueAt(json, issue.path);
      return `${where}: ${issue.message} (got ${got === undefined ? 'nothing' : snippet(JSON.stringify(got))}${caseHint(issue, got)})`;
    })
    .join('; ');
}

/**
 * A field of several accepted shapes (checks: a map or a list) that matches none: the issues of the shape it nearly
 * matched, or, when it has none of the types, one issue naming them all.
 */
function unwrapUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue];
  const wrongType = (option: z.core.$ZodIssue[]) => option.length === 1 && option[0]!.code === 'invalid_type' && option[0]!.path.length === 0;
  const near = issue.errors.filter((option) => !wrongType(option));
  if (near.length === 1) return near[0]!.map((inner) => ({ ...inner, path: [...issue.path, ...inner.path] })).flatMap(unwrapUnion);
  const expected = issue.errors.flatMap((option) => (wrongType(option) && option[0]!.code === 'invalid_type' ? [option[0]!.expected] : []));
  if (near.length > 0 || expected.length === 0) return [issue];
  return [{ ...issue, message: `Invalid input: expected ${expected.join(' or ')}` }];
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
