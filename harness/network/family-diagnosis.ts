import type { AddressProbe, FamilyReport } from './family-probe.ts';
import { formatAddress, hostOf } from './resolve-host.ts';

export type FamilyFinding =
  | { level: 'ok'; text: string }
  /** The address a client tries first answers, another one the host resolves to does not. */
  | { level: 'warning'; text: string }
  /** The address the URL names (or resolves to first) does not answer, another family does: the incident. */
  | { level: 'problem'; text: string }
  /** Nothing answers on any family. */
  | { level: 'silent'; text: string };

export interface FamilySubject {
  /** "backend", "production frontend". */
  name: string;
  /** The variable that holds the URL, e.g. PREFLIGHT_BACKEND_URL. */
  variable: string;
}

const at = (probe: AddressProbe) => formatAddress(probe.address, probe.port);
const list = (probes: AddressProbe[]) => probes.map(at).join(' and ');
const urlHost = (address: string) => (address.includes(':') ? `[${address}]` : address);

/** Which families answered, in one sentence with the fix when the one the URL names is not among them. */
export function diagnoseFamilies(report: FamilyReport, subject: FamilySubject): FamilyFinding {
  const { name, variable } = subject;
  if (report.resolveError) return { level: 'problem', text: `${name}: ${hostOf(report.url)} in ${variable} does not resolve (${report.resolveError})` };
  const answering = report.probes.filter((probe) => probe.answered);
  const silent = report.probes.filter((probe) => !probe.answered);
  const named = report.probes.filter((probe) => probe.named);
  const first = named[0];
  if (!first || answering.length === 0) {
    return { level: 'silent', text: `${name}: nothing answers on ${report.probes.map(at).join(' or ')}` };
  }
  if (silent.length === 0) return { level: 'ok', text: `${name} answers on ${list(answering)}` };

  const host = hostOf(report.url);
  const literal = report.named.length === 1 && report.named[0]!.address === host;
  if (first.answered) {
    // Only a hostname can resolve to a silent address besides the one tried first.
    const others = silent.filter((probe) => probe.named);
    if (others.length === 0) return { level: 'ok', text: `${name} answers on ${list(answering)} (not on ${list(silent)}, which ${variable} does not name)` };
    return {
      level: 'warning',
      text:
        `${name} answers on ${list(answering)} but not on ${list(others)}, to which ${host} in ${variable} also resolves: ` +
        `a client that tries ${others[0]!.family === 6 ? 'IPv6' : 'IPv4'} first is refused. Bind the ${name} to both families, or name ${urlHost(first.address)} in the URL instead of ${host}`,
    };
  }
  const target = answering[0]!;
  const names = literal ? `which ${variable} names` : `to which ${host} in ${variable} resolves first`;
  const bind = first.family === 6 ? `:: or ${first.address}` : `0.0.0.0 or ${first.address}`;
  return {
    level: 'problem',
    text:
      `${name} answers on ${list(answering)} but not on ${at(first)}, ${names}: ` +
      `bind the ${name} to ${bind}, or point the URL at ${urlHost(target.address)}${literal ? '' : ` instead of ${host}`}`,
  };
}
