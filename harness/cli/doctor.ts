import dns from 'node:dns';
import net from 'node:net';
import { chooseChromium } from '../browser/chromium.ts';
import { loadConfig } from '../config/load-config.ts';
import { isServed, PRODUCTION_URL_VAR, type PreflightConfig } from '../config/types.ts';
import { diagnoseFamilies } from '../network/family-diagnosis.ts';
import { probeAddressFamilies } from '../network/family-probe.ts';
import { serviceNodeOptions } from '../network/ipv4-first.ts';
import { systemResolver, type HostResolver } from '../network/resolve-host.ts';
import { urlVariable } from '../network/readiness-families.ts';
import { checkCertificate, expiryWarning } from '../production/certificate-check.ts';
import { exitCodeFor } from '../core/findings.ts';
import type { CommandSpec } from './command-line.ts';

export interface DoctorOptions {
  env?: NodeJS.ProcessEnv;
  /** Name resolution, injectable so the `::1`-first case can be checked on any machine. */
  resolver?: HostResolver;
  print?: (line: string) => void;
}

type Level = 'ok' | 'warning' | 'problem';
const MARK: Record<Level, string> = { ok: 'ok  ', warning: 'WARN', problem: 'FAIL' };

/**
 * `npx preflight doctor`: what this machine does with names and address families, which browser the gate uses, and
 * which families answer on each configured URL. Exit 0 when all is sound, 1 with warnings only, 3 with a problem.
 */
export async function runDoctor(options: DoctorOptions = {}): Promise<number> {
  const { resolver = systemResolver, print = (line: string) => console.log(line) } = options;
  const levels: Level[] = [];
  const report = (level: Level, text: string) => {
    levels.push(level);
    print(`  ${MARK[level]} ${text}`);
  };

  print('preflight doctor');
  print(`  node ${process.version}, DNS result order ${dns.getDefaultResultOrder()}, address family auto-selection ${net.getDefaultAutoSelectFamily() ? 'on' : 'off'}`);
  try {
    const localhost = await resolver('localhost');
    print(`  localhost resolves to ${localhost.map((entry) => `${entry.address} (IPv${entry.family})`).join(', ')}${localhost[0]?.family === 6 ? ': IPv6 first, so a client of an IPv4-only service on localhost is refused' : ''}`);
  } catch (error) {
    report('problem', `localhost does not resolve: ${(error as Error).message}`);
  }

  const loaded = loadConfig(options.env);
  if (!loaded.ok) {
    report('problem', `the configuration is invalid:\n${loaded.problems.map((problem) => `         - ${problem}`).join('\n')}`);
    return finish(levels, print);
  }
  const { config } = loaded;
  const nodeOptions = serviceNodeOptions(config.nodeOptions, config.ipv4First);
  print(`  services the gate starts get NODE_OPTIONS=${nodeOptions ?? config.nodeOptions ?? '(unset)'}${config.ipv4First ? '' : ' (PREFLIGHT_IPV4_FIRST=false)'}`);

  const browser = chooseChromium(config.chromiumPath);
  if (browser.kind === 'missing') report('problem', `browser: ${browser.problem}`);
  else report('ok', `browser: ${browser.kind === 'system' ? 'system Chromium' : browser.kind === 'playwright' ? "Playwright's Chromium" : 'PREFLIGHT_CHROMIUM_PATH'} ${browser.executablePath}${browser.kind === 'system' && browser.headlessShellPath && browser.headlessShellPath !== browser.executablePath ? ` (headless specs: ${browser.headlessShellPath})` : ''}`);

  for (const target of configuredUrls(config)) {
    const families = await probeAddressFamilies(target.url, { resolver });
    const finding = diagnoseFamilies(families, { name: target.name, variable: target.variable });
    if (finding.level === 'silent') {
      // Local services are started by the gate itself (a reusable one too, when nothing serves there): nothing answering is expected.
      const level: Level = target.startedByGate ? 'ok' : 'problem';
      report(level, `${finding.text}${level === 'ok' ? ' (not running; `npx playwright test` starts it)' : ''}`);
    } else {
      report(finding.level, finding.text);
    }
    if (target.url.protocol === 'https:' && finding.level !== 'silent') {
      const certificate = await checkCertificate(target.url);
      if (!certificate.ok) report('problem', certificate.reason);
      else report(expiryWarning(certificate) ? 'warning' : 'ok', expiryWarning(certificate) ?? `the certificate of ${target.url.origin} is valid until ${certificate.validTo.toISOString()} (${certificate.daysLeft} days)`);
    }
  }
  return finish(levels, print);
}

interface ConfiguredUrl {
  name: string;
  variable: string;
  url: URL;
  startedByGate: boolean;
}

function configuredUrls(config: PreflightConfig): ConfiguredUrl[] {
  const urls: ConfiguredUrl[] = config.services.filter(isServed).map((service) => ({ name: service.name, variable: urlVariable(service), url: service.healthUrl, startedByGate: true }));
  if (config.production) {
    const { url, services } = config.production;
    // Each production URL once, named by the services it is (the browser's service shares PREFLIGHT_PRODUCTION_URL).
    const entries = [{ url, variable: PRODUCTION_URL_VAR, names: [] as string[] }];
    for (const [name, service] of Object.entries(services)) {
      const same = entries.find((entry) => entry.variable === service.variable);
      if (same) same.names.push(name);
      else entries.push({ url: service.url, variable: service.variable, names: [name] });
    }
    for (const entry of entries) {
      urls.push({ name: `production ${entry.names.join(', ') || 'browser'}`, variable: entry.variable, url: new URL(config.healthPath, entry.url), startedByGate: false });
    }
  }
  return urls;
}

function finish(levels: Level[], print: (line: string) => void): number {
  // Doctor has no strict mode: a warning is 1.
  const code = exitCodeFor({ critical: levels.filter((level) => level === 'problem').length, warnings: levels.filter((level) => level === 'warning').length }, false);
  print(code === 0 ? 'doctor: everything it checks is sound (exit 0)' : `doctor: ${code === 3 ? 'problems found' : 'warnings'} above (exit ${code})`);
  return code;
}

// The command's registry entry (harness/cli/main.ts) is this module.
export const command: CommandSpec = {
  name: 'doctor',
  summary: 'Check this machine: Node, how localhost resolves, the browser, and which address families answer on each configured URL.',
  options: {},
  exitCodes: '0 all sound, 1 warnings, 3 a problem (an invalid configuration, no browser, a URL nothing answers on)',
};
export const run = () => runDoctor();
