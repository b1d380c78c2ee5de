// DEMO_FAULT: switches that make the demo app misbehave on purpose, so the harness can prove it notices.
//
// Grammar:  DEMO_FAULT = entry ("," entry)*
//           entry      = [scope ":"] name ["=" milliseconds]
//           scope      = "backend" | "frontend" | "database"   (no scope: every process)
// Whitespace around entries is ignored; empty entries are skipped.

export type DemoService = 'backend' | 'frontend' | 'database';
const services: readonly DemoService[] = ['backend', 'frontend', 'database'];
export type HealthFault = 'degraded' | 'down' | 'bad-contract';

export interface DemoFaults {
  crashOnStart: boolean;
  neverListen: boolean;
  slowStartMs?: number;
  dieAfterReadyMs?: number;
  health?: HealthFault;
  /** Frontend: the recorder page sends `Permissions-Policy: microphone=()`. */
  micBlocked: boolean;
  /** Frontend: its API URL names the backend's port + 1 (the drift the real app shipped with). */
  wrongApiPort: boolean;
  /** Backend: every upload answers 413. */
  uploadRejected: boolean;
  /** Backend: a transcription job never ends (status stays PROCESSING). */
  transcriptionStuck: boolean;
  /** Backend: every transcription job ends FAILED with a reason. */
  transcriptionFailed: boolean;
  /** Backend: the first POST /api/story/start of the process answers 500. */
  flakyOnce: boolean;
  /** Database: exits before PostgreSQL starts. */
  dbMissing: boolean;
  /** Database: stops PostgreSQL and exits as soon as the first story is stored. */
  dbDown: boolean;
  /** The entries that apply to this process, as written, for log lines. */
  active: string[];
}

const timedFaults = ['slow-start', 'die-after-ready'] as const;
const flagFaults = [
  'crash-on-start',
  'never-listen',
  'degraded',
  'down',
  'bad-contract',
  'mic-blocked',
  'wrong-api-port',
  'upload-rejected',
  'transcription-stuck',
  'transcription-failed',
  'flaky-once',
  'db-missing',
  'db-down',
] as const;
export const knownFaultNames: readonly string[] = [...flagFaults, ...timedFaults];

export class FaultSpecError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'FaultSpecError';
  }
}

export function noFaults(): DemoFaults {
  return {
    crashOnStart: false, neverListen: false, micBlocked: false, wrongApiPort: false, uploadRejected: false,
    transcriptionStuck: false, transcriptionFailed: false, flakyOnce: false, dbMissing: false, dbDown: false, active: [],
  };
}

/** Parses the whole DEMO_FAULT value (every entry is checked, whatever its scope) and keeps what applies to `service`. */
export function parseFaults(raw: string | undefined, service: DemoService): DemoFaults {
  const faults = noFaults();
  const problems: string[] = [];
  for (const entry of (raw ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    const problem = applyEntry(entry, service, faults);
    if (problem) problems.push(`${JSON.stringify(entry)}: ${problem}`);
  }
  if (problems.length > 0) throw new FaultSpecError(problems);
  return faults;
}

function applyEntry(entry: string, service: DemoService, faults: DemoFaults): string | undefined {
  const scopeMatch = /^([a-z]+):(.*)$/.exec(entry);
  let scope: DemoService | undefined;
  let rest = entry;
  if (scopeMatch) {
    if (!(services as readonly string[]).includes(scopeMatch[1]!)) {
      return `unknown scope "${scopeMatch[1]}" (expected ${services.map((name) => `"${name}:"`).join(', ')})`;
    }
    scope = scopeMatch[1] as DemoService;
    rest = scopeMatch[2]!.trim();
  }
  const [name = '', value, ...extra] = rest.split('=').map((part) => part.trim());
  if (!knownFaultNames.includes(name)) {
    return `unknown fault "${name}" (known: ${knownFaultNames.join(', ')})`;
  }
  const isTimed = (timedFaults as readonly string[]).includes(name);
  if (isTimed && (value === undefined || extra.length > 0 || !/^\d+$/.test(value))) {
    return `fault "${name}" needs a duration in milliseconds, e.g. ${name}=1500`;
  }
  if (!isTimed && value !== undefined) return `fault "${name}" takes no value`;
  if (scope !== undefined && scope !== service) return undefined;

  if (name === 'degraded' || name === 'down' || name === 'bad-contract') {
    if (faults.health !== undefined && faults.health !== name) {
      return `conflicts with fault "${faults.health}" (one health fault per process)`;
    }
    faults.health = name;
  } else if (name === 'slow-start') faults.slowStartMs = Number(value);
  else if (name === 'die-after-ready') faults.dieAfterReadyMs = Number(value);
  else if (name === 'crash-on-start') faults.crashOnStart = true;
  else if (name === 'never-listen') faults.neverListen = true;
  else if (name === 'mic-blocked') faults.micBlocked = true;
  else if (name === 'wrong-api-port') faults.wrongApiPort = true;
  else if (name === 'upload-rejected') faults.uploadRejected = true;
  else if (name === 'transcription-stuck') faults.transcriptionStuck = true;
  else if (name === 'transcription-failed') faults.transcriptionFailed = true;
  else if (name === 'flaky-once') faults.flakyOnce = true;
  else if (name === 'db-missing') faults.dbMissing = true;
  else if (name === 'db-down') faults.dbDown = true;
  faults.active.push(value === undefined ? name : `${name}=${value}`);
  return undefined;
}
