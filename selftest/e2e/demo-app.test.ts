// End-to-end tests of the bundled demo app: the real backend and frontend processes, on free loopback ports.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  postForm,
  postJson,
  request,
  startDemoProcess,
  stopAllDemoProcesses,
  stopDemoProcess,
  waitForExit,
  waitForOutput,
  waitUntilServing,
  type DemoProcess,
} from '../support/demo-process.ts';
import { freePort } from '../support/ports.ts';

const healthPath = '/ops/health/production';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const tempDirs: string[] = [];

async function tempDataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'preflight-demo-'));
  tempDirs.push(dir);
  return dir;
}

interface RunningBackend {
  process: DemoProcess;
  url: string;
  dataDir: string;
}

async function startBackend(env: Record<string, string> = {}, options: { port?: number; dataDir?: string } = {}): Promise<RunningBackend> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? (await tempDataDir());
  const url = `http://127.0.0.1:${port}`;
  const demo = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: url, DEMO_DATA_DIR: dataDir, ...env });
  await waitUntilServing(demo, url + healthPath);
  return { process: demo, url, dataDir };
}

async function startFrontend(backendUrl: string, env: Record<string, string> = {}): Promise<{ process: DemoProcess; url: string }> {
  const url = `http://127.0.0.1:${await freePort()}`;
  const demo = startDemoProcess('frontend', { PREFLIGHT_FRONTEND_URL: url, PREFLIGHT_BACKEND_URL: backendUrl, ...env });
  await waitUntilServing(demo, url + healthPath);
  return { process: demo, url };
}

function storyIdIn(html: string): string {
  const match = /<code data-testid="story-id">([^<]+)<\/code>/.exec(html);
  assert.ok(match, `no story id in:\n${html}`);
  return match[1]!;
}

after(async () => {
  await stopAllDemoProcesses();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('demo flow through the real backend and frontend', () => {
  let backend: RunningBackend;
  let frontend: { process: DemoProcess; url: string };

  before(async () => {
    backend = await startBackend({ DEMO_VERSION: '9.9.9', DEMO_RELEASE_ID: 'rel-42' });
    frontend = await startFrontend(backend.url);
  });

  it('answers the readiness contract with "ready" on both services', async () => {
    const backendHealth = await request(backend.url + healthPath);
    assert.equal(backendHealth.status, 200);
    const body = backendHealth.json();
    assert.equal(body.status, 'ready');
    assert.equal(body.version, '9.9.9');
    assert.equal(body.releaseId, 'rel-42');
    assert.ok(!Number.isNaN(Date.parse(body.checkedAt)), body.checkedAt);
    assert.equal(body.checks.storage.status, 'pass');
    assert.equal(body.checks.storage.critical, true);
    assert.equal(typeof body.checks.storage.latencyMs, 'number');
    assert.match(body.checks.storage.output, /writable and readable/);

    const frontendHealth = await request(frontend.url + healthPath);
    assert.equal(frontendHealth.status, 200);
    assert.equal(frontendHealth.json().status, 'ready');
    assert.equal(frontendHealth.json().checks.render.status, 'pass');
  });

  it('prints exactly one listening line with the real URL, pid and start time', () => {
    const lines = backend.process.stdout().split('\n').filter((line) => line.includes('listening on'));
    assert.equal(lines.length, 1, backend.process.logs());
    const pattern = /^\[demo-backend\] listening on (\S+) \(pid (\d+), t=(\d+)\)$/;
    const match = pattern.exec(lines[0]!);
    assert.ok(match, lines[0]);
    assert.equal(match[1], backend.url);
    assert.equal(Number(match[2]), backend.process.child.pid);
    assert.ok(Math.abs(Number(match[3]) - Date.now()) < 60_000);
    assert.match(frontend.process.stdout(), new RegExp(`^\\[demo-frontend\\] listening on ${frontend.url} \\(pid \\d+, t=\\d+\\)$`, 'm'));
  });

  it('stores a story with POST /api/stories and returns it with GET', async () => {
    const created = await postJson(`${backend.url}/api/stories`, { name: '  Ada  ', story: 'I wrote the first program.' });
    assert.equal(created.status, 201, created.text);
    const story = created.json();
    assert.match(story.id, uuidPattern);
    assert.equal(story.name, 'Ada');
    assert.equal(story.story, 'I wrote the first program.');
    assert.ok(!Number.isNaN(Date.parse(story.createdAt)));
    assert.equal(story.testData, undefined);

    const fetched = await request(`${backend.url}/api/stories/${story.id}`);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.json(), story);
  });

  it('marks a story sent with X-Preflight-Test: 1 as test data', async () => {
    const created = await postJson(`${backend.url}/api/stories`, { name: 'Probe', story: 'synthetic' }, { 'x-preflight-test': '1' });
    assert.equal(created.status, 201);
    assert.equal(created.json().testData, true);
    assert.equal((await request(`${backend.url}/api/stories/${created.json().id}`)).json().testData, true);
  });

  it('rejects invalid input with 400 and says what is wrong', async () => {
    const url = `${backend.url}/api/stories`;
    const cases: Array<[string, string | unknown, RegExp]> = [
      ['invalid JSON', '{"name": ', /not valid JSON/],
      ['a non-object', [1, 2], /JSON object/],
      ['an empty name', { name: '   ', story: 'x' }, /name must not be empty/],
      ['a missing story', { name: 'x' }, /story is required/],
      ['a name over 200 characters', { name: 'n'.repeat(201), story: 'x' }, /name must be at most 200/],
      ['a story over 10000 characters', { name: 'x', story: 's'.repeat(10_001) }, /story must be at most 10000/],
      ['a number as name', { name: 7, story: 'x' }, /name must be a string/],
    ];
    for (const [label, body, expected] of cases) {
      const response = typeof body === 'string'
        ? await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        : await postJson(url, body);
      assert.equal(response.status, 400, `${label}: ${response.text}`);
      assert.match(response.json().error, expected, label);
    }
  });

  it('answers 404 JSON for an unknown story and an unknown route', async () => {
    const missing = await request(`${backend.url}/api/stories/does-not-exist`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json(), { error: 'story does-not-exist not found' });
    const unknown = await request(`${backend.url}/api/nothing-here`);
    assert.equal(unknown.status, 404);
    assert.equal(typeof unknown.json().error, 'string');
  });

  it('answers a CORS preflight on /api', async () => {
    const response = await fetch(`${backend.url}/api/stories`, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'POST' },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.match(response.headers.get('access-control-allow-methods') ?? '', /POST/);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /x-preflight-test/i);
  });

  it('serves the home page linking to the form, and the form with labelled fields', async () => {
    const home = await request(frontend.url + '/');
    assert.equal(home.status, 200);
    assert.match(home.text, /<title>Tell Your Story demo<\/title>/);
    assert.match(home.text, /<a href="\/tell-your-story">Tell Your Story<\/a>/);

    const form = await request(frontend.url + '/tell-your-story');
    assert.equal(form.status, 200);
    assert.match(form.text, /<h1>Tell Your Story<\/h1>/);
    assert.match(form.text, /<form method="post" action="\/tell-your-story">/);
    assert.match(form.text, /<label for="name">Your name<\/label><input id="name" name="name" required/);
    assert.match(form.text, /<label for="story">Your story<\/label><textarea id="story" name="story" required/);
    assert.match(form.text, /<button type="submit">Share my story<\/button>/);
  });

  it('saves a story submitted through the frontend form and shows its id, escaping user text', async () => {
    const name = '<script>alert(1)</script> & "Bob"';
    const page = await postForm(`${frontend.url}/tell-your-story`, { name, story: 'Through the form.' }, { 'x-preflight-test': '1' });
    assert.equal(page.status, 200, page.text);
    assert.match(page.text, /<h1>Thank you<\/h1>/);
    assert.match(page.text, /<p role="status">Your story was saved with id <code data-testid="story-id">/);
    const id = storyIdIn(page.text);
    const stored = await request(`${backend.url}/api/stories/${id}`);
    assert.equal(stored.status, 200);
    assert.equal(stored.json().name, name);
    assert.equal(stored.json().testData, true, 'the frontend forwards X-Preflight-Test');
  });

  it('re-renders the form with 400 when the backend rejects the input', async () => {
    const page = await postForm(`${frontend.url}/tell-your-story`, { name: '<i>x</i>', story: '' });
    assert.equal(page.status, 400);
    assert.match(page.text, /<p role="alert">We could not save your story: the backend answered HTTP 400: story must not be empty<\/p>/);
    assert.doesNotMatch(page.text, /<i>x<\/i>/);
    assert.match(page.text, /value="&lt;i&gt;x&lt;\/i&gt;"/);
  });

  it('keeps stories across a backend restart (SIGTERM exits 0, the file is rewritten atomically)', async () => {
    const created = await postJson(`${backend.url}/api/stories`, { name: 'Durable', story: 'Still here after a restart.' });
    assert.equal(created.status, 201);
    const id = created.json().id;

    const stopped = await stopDemoProcess(backend.process);
    assert.deepEqual(stopped, { code: 0, signal: null }, backend.process.logs());
    const onDisk = JSON.parse(await readFile(path.join(backend.dataDir, 'stories.json'), 'utf8'));
    assert.ok(onDisk.some((story: { id: string }) => story.id === id));

    const port = Number(new URL(backend.url).port);
    backend = await startBackend({}, { port, dataDir: backend.dataDir });
    const fetched = await request(`${backend.url}/api/stories/${id}`);
    assert.equal(fetched.status, 200, fetched.text);
    assert.equal(fetched.json().story, 'Still here after a restart.');

    const viaFrontend = await postForm(`${frontend.url}/tell-your-story`, { name: 'After', story: 'restart' });
    assert.equal(viaFrontend.status, 200, viaFrontend.text);
  });
});

describe('fault switches (DEMO_FAULT)', { concurrency: true }, () => {
  it('scopes health faults per process: backend:degraded, frontend:down', async () => {
    const fault = { DEMO_FAULT: 'backend:degraded, frontend:down' };
    const backend = await startBackend(fault);
    const frontend = await startFrontend(backend.url, fault);

    const degraded = await request(backend.url + healthPath);
    assert.equal(degraded.status, 200);
    assert.equal(degraded.json().status, 'ready-degraded');
    assert.equal(typeof degraded.json().message, 'string');
    const warnings = Object.values(degraded.json().checks as Record<string, { status: string }>).filter((c) => c.status === 'warn');
    assert.equal(warnings.length, 1);

    const down = await request(frontend.url + healthPath);
    assert.equal(down.status, 503);
    assert.equal(down.json().status, 'down');
    assert.equal(typeof down.json().message, 'string');
    const failing = Object.values(down.json().checks as Record<string, { status: string; critical?: boolean }>)
      .filter((c) => c.status === 'fail' && c.critical === true);
    assert.equal(failing.length, 1);
  });

  it('bad-contract answers 200 with a body that breaks the readiness schema', async () => {
    const backend = await startBackend({ DEMO_FAULT: 'bad-contract' });
    const health = await request(backend.url + healthPath);
    assert.equal(health.status, 200);
    assert.deepEqual(health.json(), { status: 'READY', checks: 'all good' });
  });

  it('story-500 fails every story, and the frontend answers 502 naming the backend status', async () => {
    const fault = { DEMO_FAULT: 'story-500' };
    const backend = await startBackend(fault);
    const frontend = await startFrontend(backend.url, fault);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const response = await postJson(`${backend.url}/api/stories`, { name: 'a', story: 'b' });
      assert.equal(response.status, 500);
      assert.deepEqual(response.json(), { error: 'fault story-500: storage unavailable' });
    }
    const page = await postForm(`${frontend.url}/tell-your-story`, { name: 'a', story: 'b' });
    assert.equal(page.status, 502);
    assert.match(page.text, /<p role="alert">We could not save your story: the backend answered HTTP 500: fault story-500: storage unavailable<\/p>/);
    assert.equal((await request(frontend.url + '/tell-your-story')).status, 200, 'story-500 is ignored by the frontend');
  });

  it('flaky-once fails only the first story of the process', async () => {
    const backend = await startBackend({ DEMO_FAULT: 'flaky-once' });
    const first = await postJson(`${backend.url}/api/stories`, { name: 'a', story: 'b' });
    assert.equal(first.status, 500);
    assert.match(first.json().error, /flaky-once/);
    const second = await postJson(`${backend.url}/api/stories`, { name: 'a', story: 'b' });
    assert.equal(second.status, 201, second.text);
  });

  it('page-broken renders the heading without the form; an unreachable backend gives 502; readiness stays ready', async () => {
    const closedBackend = `http://127.0.0.1:${await freePort()}`;
    const frontend = await startFrontend(closedBackend, { DEMO_FAULT: 'frontend:page-broken' });
    const page = await request(frontend.url + '/tell-your-story');
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1>Tell Your Story<\/h1>/);
    assert.doesNotMatch(page.text, /<form|<button/);

    const submitted = await postForm(`${frontend.url}/tell-your-story`, { name: 'a', story: 'b' });
    assert.equal(submitted.status, 502);
    assert.match(submitted.text, new RegExp(`<p role="alert">We could not save your story: the backend at ${closedBackend} is unreachable \\(ECONNREFUSED\\)</p>`));

    const health = await request(frontend.url + healthPath);
    assert.equal(health.status, 200, 'frontend readiness does not depend on the backend');
    assert.equal(health.json().status, 'ready');
  });

  it('slow-start waits before listening', async () => {
    const port = await freePort();
    const demo = startDemoProcess('backend', {
      PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${port}`,
      DEMO_DATA_DIR: await tempDataDir(),
      DEMO_FAULT: 'frontend:slow-start=5000,backend:slow-start=600',
    });
    await waitUntilServing(demo, `http://127.0.0.1:${port}${healthPath}`);
    const listenedAt = Number(/listening on .* t=(\d+)\)/.exec(demo.stdout())![1]);
    assert.ok(listenedAt - demo.startedAt >= 600, `listened ${listenedAt - demo.startedAt} ms after spawn`);
    assert.match(demo.stdout(), /fault slow-start: waiting 600 ms before listening/);
  });
});

describe('startup and lifetime failures', { concurrency: true }, () => {
  it('crash-on-start prints startup lines, then exits 1 quickly before listening', async () => {
    const demo = startDemoProcess('backend', {
      PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${await freePort()}`,
      DEMO_DATA_DIR: await tempDataDir(),
      DEMO_FAULT: 'crash-on-start',
    });
    const exit = await waitForExit(demo, 20_000);
    assert.equal(exit.code, 1, demo.logs());
    assert.match(demo.stdout(), /\[demo-backend\] starting demo backend/);
    assert.doesNotMatch(demo.stdout(), /listening on/);
    assert.match(demo.stderr(), /\[demo-backend\] fault crash-on-start: exiting with code 1 before listening/);
  });

  it('die-after-ready serves, then exits 7', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const demo = startDemoProcess('frontend', {
      PREFLIGHT_FRONTEND_URL: url,
      PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${await freePort()}`,
      DEMO_FAULT: 'die-after-ready=400',
    });
    const health = await waitUntilServing(demo, url + healthPath);
    assert.equal(health.status, 200);
    const exit = await waitForExit(demo, 20_000);
    assert.equal(exit.code, 7, demo.logs());
    assert.match(demo.stderr(), /\[demo-frontend\] fault die-after-ready: exiting with code 7/);
  });

  it('never-listen stays alive without listening, and still stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const demo = startDemoProcess('backend', {
      PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${port}`,
      DEMO_DATA_DIR: await tempDataDir(),
      DEMO_FAULT: 'never-listen',
    });
    await waitForOutput(demo, /fault never-listen/);
    await assert.rejects(request(`http://127.0.0.1:${port}${healthPath}`));
    assert.equal(demo.exit(), undefined, 'still alive');
    assert.deepEqual(await stopDemoProcess(demo), { code: 0, signal: null });
  });

  it('an unknown fault exits 1 naming it, even when scoped to the other process', async () => {
    const demo = startDemoProcess('frontend', {
      PREFLIGHT_FRONTEND_URL: `http://127.0.0.1:${await freePort()}`,
      DEMO_FAULT: 'degraded,backend:explode',
    });
    const exit = await waitForExit(demo, 20_000);
    assert.equal(exit.code, 1, demo.logs());
    assert.match(demo.stderr(), /\[demo-frontend\] invalid configuration: DEMO_FAULT: .*unknown fault "explode"/);
    assert.doesNotMatch(demo.stdout(), /listening on/);
  });

  it('NODE_ENV=production with missing DEMO_RELEASE_ID exits 1 and prints every problem', async () => {
    const demo = startDemoProcess('backend', {
      NODE_ENV: 'production',
      PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${await freePort()}`,
      PREFLIGHT_HEALTH_PATH: 'health',
      DEMO_DATA_DIR: 'relative/data',
    });
    const exit = await waitForExit(demo, 20_000);
    assert.equal(exit.code, 1, demo.logs());
    const stderr = demo.stderr();
    assert.match(stderr, /^\[demo-backend\] invalid configuration: DEMO_RELEASE_ID: expected a release id \(required when NODE_ENV=production\), got \(unset\)$/m);
    assert.match(stderr, /^\[demo-backend\] invalid configuration: DEMO_DATA_DIR: expected an absolute directory path.*, got "relative\/data"$/m);
    assert.match(stderr, /^\[demo-backend\] invalid configuration: PREFLIGHT_HEALTH_PATH: expected a path starting with "\/", got "health"$/m);
    assert.match(stderr, /3 configuration problem\(s\)/);
    assert.doesNotMatch(demo.stdout(), /listening on/);
  });

  it('outside production an invalid health path is a warning and the default path is served', async () => {
    const backend = await startBackend({ PREFLIGHT_HEALTH_PATH: 'health' });
    assert.match(backend.process.stderr(), /\[demo-backend\] warning: PREFLIGHT_HEALTH_PATH: expected a path starting with "\/", got "health"; using "\/ops\/health\/production"/);
    assert.equal((await request(backend.url + healthPath)).status, 200);
  });

  it('an unparseable URL is fatal even outside production', async () => {
    const demo = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: 'localhost:3001', DEMO_DATA_DIR: await tempDataDir() });
    const exit = await waitForExit(demo, 20_000);
    assert.equal(exit.code, 1, demo.logs());
    assert.match(demo.stderr(), /PREFLIGHT_BACKEND_URL: expected an http\(s\) URL.*got "localhost:3001"/);
  });
});

describe('address families', () => {
  it('a [::1] URL listens on IPv6 loopback (and not on IPv4)', async (t) => {
    let port: number;
    try {
      port = await freePort('::1');
    } catch (error) {
      return t.skip(`this machine has no IPv6 loopback: ${String(error)}`);
    }
    const url = `http://[::1]:${port}`;
    const demo = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: url, DEMO_DATA_DIR: await tempDataDir() });
    const health = await waitUntilServing(demo, url + healthPath);
    assert.equal(health.status, 200);
    assert.match(demo.stdout(), new RegExp(`listening on http://\\[::1\\]:${port} \\(pid`));
    await assert.rejects(request(`http://127.0.0.1:${port}${healthPath}`), 'nothing listens on IPv4 for this port');
  });
});
