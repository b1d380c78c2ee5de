import { findPortHolders } from '../platform/index.ts';
import { carriesEnv, procAvailable, type ProcessEntry } from './process-table.ts';
import type { RunningService } from './launch.ts';

/** Another declared service that holds a port the exited service's output names. */
export interface PortClash {
  port: number;
  /** The service of this gate that holds it. */
  holder: RunningService;
  /** Its process that listens on the port. */
  process: ProcessEntry;
}

// "port 3300", "Port: 3300", "PORT=3300", "127.0.0.1:3300", "[::1]:3300", ":::3300", "localhost:3300": how programs name a port.
const PORT_MENTION = /\bport\b\D{0,12}?(\d{2,5})\b|(?:\d{1,3}(?:\.\d{1,3}){3}|\]|localhost|::):(\d{2,5})\b/gi;
const MAX_PORTS_LOOKED_UP = 8;

// What a program says when a port it needs is taken: Node's EADDRINUSE, and the words of apps that check first.
const PORT_TAKEN = /EADDRINUSE|address already in use|\bin use\b|occupied|port conflict|port validation failed|\bis taken\b|already bound/i;
// A port is named on the line that says so or on the few after it ("Occupied ports detected:" then "- Port 3300: ...").
const LINES_AFTER = 6;

/**
 * The ports the output names where it says a port is taken, most recent last, each once. A port named elsewhere (the
 * database a backend connects to) is not one it needed free: its holder is no cause.
 */
export function portsNamedTaken(lines: string[]): number[] {
  const ports: number[] = [];
  lines.forEach((line, index) => {
    if (!PORT_TAKEN.test(line)) return;
    for (const nearby of lines.slice(index, index + 1 + LINES_AFTER)) {
      for (const match of nearby.matchAll(PORT_MENTION)) {
        const port = Number(match[1] ?? match[2]);
        if (port > 0 && port < 65_536 && !ports.includes(port)) ports.push(port);
      }
    }
  });
  return ports;
}

/** Whether the process belongs to the running service: it inherited its tag (Linux), or is in its process group. */
function belongsTo(entry: ProcessEntry, service: RunningService): boolean {
  if (procAvailable) return carriesEnv(entry.pid, service.tree.tag.name, service.tree.tag.value);
  return entry.pgid === service.tree.pgid;
}

/**
 * The first port the exited service's output says is taken that a process of another service of this gate listens
 * on, as the OS tells it (harness/platform): the cause is then that service, not the exited one's command.
 */
export function findPortClash(exited: RunningService, others: RunningService[]): PortClash | undefined {
  const output = exited.log.tail(40).filter((line) => !line.startsWith('# preflight:'));
  for (const port of portsNamedTaken(output).slice(-MAX_PORTS_LOOKED_UP)) {
    for (const entry of findPortHolders(port)) {
      const holder = others.find((other) => other !== exited && belongsTo(entry, other));
      if (holder) return { port, holder, process: entry };
    }
  }
  return undefined;
}
