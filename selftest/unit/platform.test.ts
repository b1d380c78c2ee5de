// The macOS and Windows parsers on recorded outputs of the real tools (selftest/fixtures/platform-outputs/README.md:
// recorded formats, not runs); the Linux path of the same dispatch against real processes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseLsofListeners, parsePsTable, treeOf } from '../../harness/platform/darwin.ts';
import { findPortHolders, killServiceTreeNow, osFamily, terminateServiceTree } from '../../harness/platform/index.ts';
import type { ToolRunner } from '../../harness/platform/run-tool.ts';
import { parseNetstatListeners, parseTaskkill, parseTasklistCsv } from '../../harness/platform/windows.ts';

const recorded = (name: string) => fs.readFileSync(path.join(import.meta.dirname, '../fixtures/platform-outputs', name), 'utf8');

/** Answers each tool with its recorded output, and notes what was run. */
function recordedTools(outputs: Record<string, { file: string; ok?: boolean; stderr?: boolean }>) {
  const calls: string[] = [];
  const run: ToolRunner = (command, args) => {
    calls.push([command, ...args].join(' '));
    const output = outputs[command];
    if (!output) return { ok: false, stdout: '', stderr: `${command}: not found` };
    const text = recorded(output.file);
    return { ok: output.ok ?? true, stdout: output.stderr ? '' : text, stderr: output.stderr ? text : '' };
  };
  return { run, calls };
}

describe('macOS: lsof and ps', () => {
  it('finds every pid listening on the port, IPv4, IPv6 and wildcard, once each', () => {
    assert.deepEqual(parseLsofListeners(recorded('darwin-lsof-listen-3001.txt'), 3001), [51234, 1187]);
    assert.deepEqual(parseLsofListeners(recorded('darwin-lsof-listen-3001.txt'), 3000), []);
    assert.deepEqual(parseLsofListeners('', 3001), [], 'lsof prints nothing (and exits 1) when nobody listens');
  });

  it('reads the process table: pid, parent, group, state and the whole command line', () => {
    const table = parsePsTable(recorded('darwin-ps.txt'));
    assert.equal(table.length, 11);
    assert.deepEqual(table.find((entry) => entry.pid === 51240), {
      pid: 51240, ppid: 51234, pgid: 51230, state: 'S', command: '/usr/local/bin/node /Users/dana/app/backend/worker.js --queue mail',
    });
    assert.equal(table.find((entry) => entry.pid === 51410)?.state, 'R');
  });

  it('a tree is its group and every descendant of the leader, a daemon that left the group included, zombies not', () => {
    const table = parsePsTable(recorded('darwin-ps.txt'));
    assert.deepEqual(treeOf(table, 51230).sort(), [51230, 51234, 51240, 51301]);
  });

  it('names the holder of a port with its command line from ps', () => {
    const tools = recordedTools({ lsof: { file: 'darwin-lsof-listen-3001.txt' }, ps: { file: 'darwin-ps.txt' } });
    const holders = findPortHolders(3001, 'darwin', tools.run);
    assert.deepEqual(holders.map((holder) => [holder.pid, holder.command]), [
      [51234, 'node --import tsx server.ts'],
      [1187, '/Applications/Docker.app/Contents/MacOS/com.docker.backend services'],
    ]);
    assert.deepEqual(tools.calls, ['lsof -nP -iTCP:3001 -sTCP:LISTEN', 'ps -axo pid=,ppid=,pgid=,stat=,command=']);
  });

  it('says nothing (rather than guess) when lsof is missing', () => {
    assert.deepEqual(findPortHolders(3001, 'darwin', recordedTools({}).run), []);
  });
});

describe('Windows: netstat, tasklist and taskkill', () => {
  it('finds the listening pid of a port, not the pids merely connected to it', () => {
    assert.deepEqual(parseNetstatListeners(recorded('win32-netstat-ano.txt'), 3001), [14872]);
    assert.deepEqual(parseNetstatListeners(recorded('win32-netstat-ano.txt'), 13001), [7716]);
    assert.deepEqual(parseNetstatListeners(recorded('win32-netstat-ano.txt'), 52144), []);
  });

  it('reads IPv6 listeners and ignores UDP rows and TIME_WAIT', () => {
    assert.deepEqual(parseNetstatListeners(recorded('win32-netstat-ano-all.txt'), 3001), [15510]);
    assert.deepEqual(parseNetstatListeners(recorded('win32-netstat-ano-all.txt'), 135), [1092]);
  });

  it('a listener is recognised by its remote port 0 in any UI language', () => {
    const german = '  TCP    127.0.0.1:3001         0.0.0.0:0              ABHÖREN         14872\r\n';
    assert.deepEqual(parseNetstatListeners(german, 3001), [14872]);
  });

  it('reads tasklist CSV, its memory with the thousands separator, and "no tasks" as none', () => {
    assert.deepEqual(parseTasklistCsv(recorded('win32-tasklist-pid.csv')), [{ image: 'node.exe', pid: 14872, memKb: 48216 }]);
    assert.deepEqual(parseTasklistCsv(recorded('win32-tasklist-none.txt')), []);
  });

  it('names the holder of a port through netstat, then tasklist', () => {
    const tools = recordedTools({ netstat: { file: 'win32-netstat-ano.txt' }, tasklist: { file: 'win32-tasklist-pid.csv' } });
    assert.deepEqual(findPortHolders(3001, 'win32', tools.run).map((holder) => [holder.pid, holder.command]), [[14872, 'node.exe']]);
    assert.deepEqual(tools.calls, ['netstat -ano', 'tasklist /FO CSV /NH /FI PID eq 14872']);
  });

  it('reads which processes taskkill /T /F stopped, and "not found" as already gone', () => {
    assert.deepEqual(parseTaskkill(recorded('win32-taskkill-tree.txt')), { terminated: [15020, 14900, 14872], notFound: false, errors: [] });
    assert.deepEqual(parseTaskkill(recorded('win32-taskkill-notfound.txt')), { terminated: [], notFound: true, errors: [] });
    const denied = 'ERROR: The process with PID 4 (child process of PID 0) could not be terminated.\r\nReason: Access is denied.\r\n';
    assert.equal(parseTaskkill(denied).errors.length, 2);
  });

  it('stops a service tree with taskkill /T /F on its leader, without signals', async () => {
    const tools = recordedTools({ taskkill: { file: 'win32-taskkill-tree.txt' } });
    const tree = { pgid: 14872, tag: { name: 'PREFLIGHT_SERVICE_TAG', value: 'backend-x' } };
    assert.deepEqual(await terminateServiceTree(tree, 3_000, 'SIGTERM', 'win32', tools.run), { killed: [], survivors: [] });
    killServiceTreeNow(tree, 'win32', tools.run);
    assert.deepEqual(tools.calls, ['taskkill /T /F /PID 14872', 'taskkill /T /F /PID 14872']);
  });
});

describe('this machine', { skip: osFamily() !== 'linux' && 'the real-process check runs on Linux here' }, () => {
  it('dispatches to /proc on Linux: the holder of a real listening socket is this process', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as net.AddressInfo;
      assert.deepEqual(findPortHolders(port).map((holder) => holder.pid), [process.pid]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
