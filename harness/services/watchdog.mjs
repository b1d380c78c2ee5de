// A service's watchdog: started beside each service with a pipe from the runner as its stdin. The pipe closes
// when the runner ends, however it ends (even SIGKILL); then the watchdog stops the service's whole tree, so no
// service outlives its runner. Plain JavaScript on purpose: it must start in milliseconds, without the TypeScript
// loader, so it reads /proc itself (the same reads as harness/services/process-table.ts) rather than import it.
// Usage: node watchdog.mjs <pgid> <TAG_NAME=value> <grace ms>
import fs from 'node:fs';

const [pgid, needle, graceArg] = process.argv.slice(2);
const grace = Number(graceArg) || 3000;
const mark = `${needle}\0`;

// The terminal's Ctrl+C and hang-up are for the runner; the runner's end is what the watchdog waits for.
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});

function read(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Running processes that carry the service's tag: the tree, including what left its process group. */
function tagged() {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => read(`/proc/${pid}/environ`)?.includes(mark) && !/^\d+ \(.*\) Z /s.test(read(`/proc/${pid}/stat`) ?? ''))
    .map(Number);
}

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
}

function stopTree() {
  const members = tagged();
  if (members.length === 0) process.exit(0);
  // The group only while its leader (the service's shell) still carries the tag: never a group that is someone else's.
  if (members.includes(Number(pgid))) signal(-Number(pgid), 'SIGTERM');
  for (const pid of members) signal(pid, 'SIGTERM');
  const deadline = Date.now() + grace;
  const poll = setInterval(() => {
    const left = tagged();
    if (left.length && Date.now() < deadline) return;
    clearInterval(poll);
    for (const pid of left) signal(pid, 'SIGKILL');
    process.exit(0);
  }, 20);
}

process.stdin.on('data', () => {}); // the runner never writes; reading lets the pipe's end be seen
process.stdin.on('end', stopTree);
process.stdin.on('error', stopTree);
process.stdin.resume();
