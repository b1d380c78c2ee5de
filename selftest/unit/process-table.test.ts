// Reads of /proc against real processes: this test process and a child it starts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, it } from 'node:test';
import { findPortHolders, portAnswers } from '../../harness/services/port-holder.ts';
import { groupMembers, isRunning, procAvailable, processesWithEnv, readProcess, residentKb } from '../../harness/services/process-table.ts';

describe('process table (/proc)', { skip: !procAvailable && 'no /proc on this OS' }, () => {
  it('reads this process: its command line, group and memory', () => {
    const self = readProcess(process.pid)!;
    assert.equal(self.pid, process.pid);
    assert.equal(self.ppid, process.ppid);
    assert.match(self.command, /node/);
    assert.ok(groupMembers(self.pgid).includes(process.pid));
    assert.ok((residentKb(process.pid) ?? 0) > 1000, 'a node process holds more than 1 MB');
  });

  it('finds a child by an environment variable it inherited, and sees it gone once it exited', async () => {
    const mark = `mark-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env: { ...process.env, PROCESS_TABLE_TEST: mark }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    assert.deepEqual(processesWithEnv('PROCESS_TABLE_TEST', mark), [child.pid]);
    child.kill('SIGKILL');
    await exited;
    assert.equal(isRunning(child.pid!), false);
    assert.deepEqual(processesWithEnv('PROCESS_TABLE_TEST', mark), []);
  });

  it('names the process that listens on a port, and says when nothing answers', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    try {
      assert.equal(await portAnswers('127.0.0.1', port), true);
      assert.deepEqual(findPortHolders(port).map((holder) => holder.pid), [process.pid]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    assert.equal(await portAnswers('127.0.0.1', port), false);
    assert.deepEqual(findPortHolders(port), []);
  });
});
