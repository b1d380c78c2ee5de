import { DEFAULT_HEALTH_PATH, MAX_MILLISECONDS } from '../config/defaults.ts';
import { loadConfig } from '../config/load-config.ts';
import { readinessFindings, timeoutViolation, type ReadinessVerdict } from '../readiness/contract.ts';
import { describeProbe, probeReadiness } from '../readiness/probe.ts';
import { installConsoleRedaction, treatAsSecret } from '../secrets/redact.ts';
import { usageError, type CommandLine, type CommandSpec } from './command-line.ts';

export const command: CommandSpec = {
  name: 'health',
  summary: "Probe one service's readiness contract once and print what it answered.",
  positionals: [{ name: 'url', description: `the contract endpoint, or a service's origin (then PREFLIGHT_HEALTH_PATH, default ${DEFAULT_HEALTH_PATH}, is added)` }],
  options: { timeout: { type: 'string', value: '<ms>', description: `how long to wait for the answer, 1 to ${MAX_MILLISECONDS} (default 5000)` } },
  exitCodes: '0 ready, 1 ready-degraded, 3 down, contract violation (incl. timeout and redirect) or unreachable',
};

const DEFAULT_TIMEOUT_MS = 5_000;

const EXIT: Record<ReadinessVerdict['state'], number> = { ready: 0, degraded: 1, down: 3, violation: 3 };
const STATE_NAME: Record<ReadinessVerdict['state'], string> = { ready: 'ready', degraded: 'ready-degraded', down: 'down', violation: 'contract violation' };

/** `npx preflight health <url>`: one probe of the readiness contract, interpreted by the one module that interprets it. */
export async function run(line: CommandLine): Promise<number> {
  // A URL's credentials (https://user:pass@host, https://token@host) never reach the console, in any form.
  installConsoleRedaction();
  const parsed = readTarget(line);
  if ('problem' in parsed) return usageError(command, parsed.problem);
  const { url, timeoutMs } = parsed;
  const outcome = await probeReadiness(url, timeoutMs);
  if (outcome.kind === 'unreachable') {
    console.log(`${url}\n  ${describeProbe(outcome, url)}`);
    console.log(`  fix: start the service, or check the host and port (use 127.0.0.1 rather than localhost for an IPv4-only service)`);
    console.log('preflight health: unreachable, exit code 3');
    return 3;
  }
  const verdict = outcome.kind === 'timeout' ? timeoutViolation(outcome.timeoutMs) : outcome.verdict;
  console.log(formatVerdict(url, verdict, outcome.latencyMs));
  const code = EXIT[verdict.state];
  console.log(`preflight health: ${STATE_NAME[verdict.state]}, exit code ${code}`);
  return code;
}

function formatVerdict(url: URL, verdict: ReadinessVerdict, latencyMs: number): string {
  const lines = [`${url}`];
  lines.push(verdict.httpStatus ? `  HTTP ${verdict.httpStatus} in ${Math.round(latencyMs)} ms` : `  no answer (${Math.round(latencyMs)} ms)`);
  const body = verdict.body;
  if (verdict.state === 'violation') lines.push(`  ${verdict.reason}`);
  if (body) {
    lines.push(`  status: ${body.status}`);
    if (body.message) lines.push(`  message: ${body.message}`);
    const about = [body.version && `version ${body.version}`, body.releaseId && `release ${body.releaseId}`, body.checkedAt && `checked at ${body.checkedAt}`].filter(Boolean);
    if (about.length) lines.push(`  ${about.join(', ')}`);
    // Each check and finding, from whichever shape the body uses (checks, failures, warnings, errors, details).
    const findings = readinessFindings(body);
    const width = Math.max(0, ...findings.map((finding) => (finding.name ?? '-').length));
    for (const from of new Set(findings.map((finding) => finding.from))) {
      lines.push(`  ${from}:`);
      for (const finding of findings.filter((one) => one.from === from)) {
        const details = [finding.critical === false ? 'non-critical' : finding.critical ? 'critical' : '', finding.latencyMs === undefined ? '' : `${finding.latencyMs} ms`, finding.message ?? '']
          .filter(Boolean)
          .join(', ');
        lines.push(`    ${(finding.name ?? '-').padEnd(width)}  ${finding.status.padEnd(4)}${details ? `  ${details}` : ''}`);
      }
    }
  }
  return lines.join('\n');
}

function readTarget({ values, positionals }: CommandLine): { url: URL; timeoutMs: number } | { problem: string } {
  const [target] = positionals;
  const timeout = values.timeout as string | undefined;
  // Bounded like every time setting (MAX_MILLISECONDS): Node refuses a timer beyond 2^32-1 ms, and an hour is plenty.
  const timeoutMs = timeout === undefined ? DEFAULT_TIMEOUT_MS : /^\d+$/.test(timeout) ? Number(timeout) : Number.NaN;
  if (!(timeoutMs >= 1 && timeoutMs <= MAX_MILLISECONDS)) {
    return { problem: `--timeout expects a whole number of milliseconds from 1 to ${MAX_MILLISECONDS} (one hour), got ${JSON.stringify(timeout)}` };
  }
  if (!target) return { problem: 'no URL given' };
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { problem: `not a URL: ${JSON.stringify(target)} (e.g. http://127.0.0.1:3001)` };
  }
  // The password; or the user name when it stands alone (https://TOKEN@host is a token).
  const credential = url.password || url.username;
  if (credential) [credential, decodeURIComponent(credential)].forEach(treatAsSecret);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: `expected an http:// or https:// URL, got ${JSON.stringify(target)}` };
  if (url.pathname === '/' && !url.search) {
    const loaded = loadConfig();
    url = new URL(loaded.ok ? loaded.config.healthPath : DEFAULT_HEALTH_PATH, url);
  }
  return { url, timeoutMs };
}
