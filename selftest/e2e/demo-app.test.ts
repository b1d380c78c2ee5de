// End-to-end tests of the bundled demo app: the real database (PostgreSQL), backend and frontend processes, on
// free loopback ports. What a client sees: status codes, bodies, pages, log lines, and what the database holds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { DEFAULT_FAKE_MICROPHONE_WAV } from '../../harness/browser/microphone.ts';
import {
  postJson,
  request,
  startDatabase,
  startDemoProcess,
  stopAllDemoProcesses,
  stopDemoProcess,
  waitForExit,
  waitForOutput,
  waitUntilServing,
  type DemoProcess,
  type RunningDatabase,
  type ServedResponse,
} from '../support/demo-process.ts';
import { freePort } from '../support/ports.ts';

const healthPath = '/ops/health/production';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const wav = fs.readFileSync(DEFAULT_FAKE_MICROPHONE_WAV);

let database: RunningDatabase;
let sql: pg.Client;

interface Service {
  process: DemoProcess;
  url: string;
}

async function startBackend(env: Record<string, string> = {}, port?: number): Promise<Service> {
  const url = `http://127.0.0.1:${port ?? (await freePort())}`;
  const demo = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: url, PREFLIGHT_DATABASE_URL: database.url, ...env });
  await waitUntilServing(demo, url + healthPath);
  return { process: demo, url };
}

/** Waits for the backend's readiness contract to say ready (migrations done), with a deadline. */
async function untilReady(service: Service, timeoutMs = 20_000): Promise<ServedResponse> {
  const deadline = Date.now() + timeoutMs;
  let last: ServedResponse | undefined;
  while (Date.now() < deadline) {
    last = await request(service.url + healthPath);
    if (last.status === 200) return last;
    await Promise.race([delay(50), service.process.exited]);
  }
  throw new Error(`not ready within ${timeoutMs} ms: ${last?.text}\n${service.process.logs()}`);
}

async function startFrontend(backendUrl: string, env: Record<string, string> = {}): Promise<Service> {
  const url = `http://127.0.0.1:${await freePort()}`;
  const demo = startDemoProcess('frontend', { PREFLIGHT_FRONTEND_URL: url, PREFLIGHT_BACKEND_URL: backendUrl, ...env });
  await waitUntilServing(demo, url + healthPath);
  return { process: demo, url };
}

const upload = (backend: Service, id: string, body: Buffer | string, contentType = 'audio/wav') =>
  request(`${backend.url}/api/story/${id}/upload`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : new Uint8Array(body) });

async function startStory(backend: Service, fields: Record<string, unknown> = {}): Promise<string> {
  const started = await postJson(`${backend.url}/api/story/start`, { consent: true, ...fields });
  assert.equal(started.status, 201, started.text);
  return started.json().id;
}

/** Polls the job's status until it leaves PROCESSING, with a deadline. */
async function jobOutcome(backend: Service, id: string, timeoutMs = 10_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await request(`${backend.url}/api/story/${id}/status`)).json();
    if (last.status === 'COMPLETED' || last.status === 'FAILED') return last;
    await delay(25);
  }
  throw new Error(`story ${id} still ${last?.status} after ${timeoutMs} ms`);
}

const storedRow = async (id: string) => (await sql.query('SELECT status, audio_bytes, transcript, reason FROM stories WHERE id = $1', [id])).rows[0];
const storyCount = async () => Number((await sql.query('SELECT count(*) AS n FROM stories')).rows[0].n);

before(async () => {
  database = await startDatabase({ port: await freePort() });
  sql = new pg.Client({ host: '127.0.0.1', port: database.port, user: 'postgres', database: 'postgres' });
  await sql.connect();
});

after(async () => {
  await sql?.end().catch(() => undefined);
  await stopAllDemoProcesses();
  if (database) await rm(database.dir, { recursive: true, force: true });
});

describe('the demo flow through the real database, backend and frontend', () => {
  let backend: Service;
  let frontend: Service;

  before(async () => {
    backend = await startBackend({ DEMO_VERSION: '9.9.9', DEMO_RELEASE_ID: 'rel-42', DEMO_MAX_AUDIO_BYTES: String(64 * 1024) });
    await untilReady(backend);
    frontend = await startFrontend(backend.url);
  });

  it('answers the readiness contract with "ready": the backend checked the database, the frontend the backend', async () => {
    const body = (await untilReady(backend)).json();
    assert.equal(body.status, 'ready');
    assert.equal(body.version, '9.9.9');
    assert.equal(body.releaseId, 'rel-42');
    assert.equal(body.checks.database.status, 'pass');
    assert.match(body.checks.database.output, new RegExp(`PostgreSQL at 127.0.0.1:${database.port} .* answers; schema version 1`));
    const frontendHealth = await request(frontend.url + healthPath);
    assert.equal(frontendHealth.status, 200, frontendHealth.text);
    assert.match(frontendHealth.json().checks.backend.output, new RegExp(`reached the backend at ${backend.url}`));
  });

  it('prints one listening line per service with its real address, pid and start time', () => {
    const pattern = /^\[demo-backend\] listening on (\S+) \(pid (\d+), t=(\d+)\)$/m;
    const match = pattern.exec(backend.process.stdout());
    assert.ok(match, backend.process.logs());
    assert.equal(match[1], backend.url);
    assert.equal(Number(match[2]), backend.process.child.pid);
    assert.match(database.process.stdout(), new RegExp(`^\\[demo-database\\] listening on tcp://127.0.0.1:${database.port} \\(pid \\d+, t=\\d+\\)$`, 'm'));
    assert.match(backend.process.stdout(), /transcriber: offline stand-in for a speech-to-text provider/);
  });

  it('start, upload, status until COMPLETED, then the story with its transcript; the profile page shows it with a QR code', async () => {
    const started = await postJson(`${backend.url}/api/story/start`, { consent: true, name: ' Ada ', age: 36, location: 'London', language: 'English' }, { 'x-preflight-test': '1' });
    assert.equal(started.status, 201, started.text);
    const { id, status } = started.json();
    assert.match(id, uuidPattern);
    assert.equal(status, 'CREATED');

    const uploaded = await upload(backend, id, wav);
    assert.equal(uploaded.status, 202, uploaded.text);
    assert.deepEqual(uploaded.json(), { id, status: 'PROCESSING', audioBytes: wav.length });
    assert.deepEqual(await jobOutcome(backend, id), { id, status: 'COMPLETED', audioBytes: wav.length });

    const story = (await request(`${backend.url}/api/story/${id}`)).json();
    assert.equal(story.name, 'Ada');
    assert.equal(story.age, 36);
    assert.equal(story.testData, true, 'X-Preflight-Test: 1 marks the story as test data');
    assert.match(story.transcript, new RegExp(`^\\[stand-in transcript, no speech recognition\\] A WAV recording \\(audio/wav\\) of ${wav.length} bytes, fingerprint [0-9a-f]{12}\\.$`));

    const page = await request(`${frontend.url}/profile/${id}`);
    assert.equal(page.status, 200);
    assert.ok(page.text.includes(`<blockquote data-testid="transcript">${story.transcript.replaceAll("'", '&#39;')}</blockquote>`), page.text);
    assert.match(page.text, new RegExp(`<a href="${frontend.url}/profile/${id}" data-testid="public-url">`));
    assert.match(page.text, /<svg [^>]*viewBox/);
  });

  it('the transcript is deterministic: the same recording gives the same text', async () => {
    const transcripts = [];
    for (const _ of [1, 2]) {
      const id = await startStory(backend);
      assert.equal((await upload(backend, id, wav)).status, 202);
      await jobOutcome(backend, id);
      transcripts.push((await request(`${backend.url}/api/story/${id}`)).json().transcript);
    }
    assert.equal(transcripts[0], transcripts[1]);
  });

  it('bad input gets a clear 4xx and nothing is stored', async () => {
    const before = await storyCount();
    for (const [body, message] of [
      [{ consent: false, name: 'x' }, /consent is required/],
      [{ name: 'x' }, /consent is required/],
      [{ consent: true, age: 'old' }, /age must be a number/],
    ] as const) {
      const answer = await postJson(`${backend.url}/api/story/start`, body);
      assert.equal(answer.status, 400, answer.text);
      assert.match(answer.json().error, message);
    }
    assert.equal(await storyCount(), before, 'no story was stored without consent');

    const id = await startStory(backend);
    const cases: [string, Buffer | string, string, number, RegExp][] = [
      ['empty audio', Buffer.alloc(0), 'audio/webm', 400, /the recording is empty \(0 bytes\)/],
      ['not audio by its type', 'hello', 'text/plain', 415, /must be audio \(Content-Type audio\/\.\.\.\), got "text\/plain"/],
      ['not audio by its bytes', 'hello, I am text pretending to be audio', 'audio/webm', 415, /the upload is not audio/],
      ['over the size limit', Buffer.concat([wav, wav, wav]), 'audio/wav', 413, /larger than the limit of 65536 bytes/],
    ];
    for (const [what, body, type, statusCode, message] of cases) {
      const answer = await upload(backend, id, body, type);
      assert.equal(answer.status, statusCode, `${what}: ${answer.text}`);
      assert.match(answer.json().error, message, what);
      assert.deepEqual(await storedRow(id), { status: 'CREATED', audio_bytes: null, transcript: null, reason: null }, `${what}: nothing stored`);
    }

    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/api/story/${unknown}/status`, `/api/story/${unknown}`, '/api/story/not-an-id/status']) {
      const answer = await request(backend.url + url);
      assert.equal(answer.status, 404, url);
      assert.match(answer.json().error, /not found/);
    }
    const toUnknown = await upload(backend, unknown, wav);
    assert.equal(toUnknown.status, 404);
    assert.match(toUnknown.json().error, /story 00000000-.* not found: start one with POST \/api\/story\/start/);
    assert.equal(await storyCount(), before + 1, 'only the story started with consent exists');

    const notFound = await request(`${frontend.url}/profile/${unknown}`);
    assert.equal(notFound.status, 404);
    assert.match(notFound.text, /Profile not found/);
  });

  it('a second upload to the same story is refused (409), the first recording kept', async () => {
    const id = await startStory(backend);
    assert.equal((await upload(backend, id, wav)).status, 202);
    const again = await upload(backend, id, wav);
    assert.equal(again.status, 409, again.text);
    assert.equal((await jobOutcome(backend, id)).status, 'COMPLETED');
  });

  it('the database refuses a COMPLETED story without audio and transcript', async () => {
    const id = await startStory(backend);
    await assert.rejects(sql.query(`UPDATE stories SET status = 'COMPLETED' WHERE id = $1`, [id]), /completed_has_audio_and_transcript/);
  });

  it('the home page calls to tell your story; the recorder page carries the API URL and no microphone policy', async () => {
    assert.match((await request(frontend.url + '/')).text, /<a href="\/tell-your-story">Press to tell your story<\/a>/);
    const page = await fetch(`${frontend.url}/tell-your-story`);
    const html = await page.text();
    assert.match(html, /<h2 id="consent-heading">Before we begin<\/h2>/);
    assert.match(html, /<button type="button" id="continue" disabled>Continue to recording<\/button>/);
    assert.match(html, new RegExp(`data-api-url="${backend.url}"`));
    assert.equal(page.headers.get('permissions-policy'), null);
    assert.equal((await request(`${frontend.url}/recorder.js`)).status, 200);
  });
});

describe('durability: restarts and a backend killed mid-way', () => {
  it('stories survive a backend restart; a transcription cut short is resumed; a half upload stores nothing', async () => {
    const port = await freePort();
    let backend = await startBackend({ DEMO_FAULT: 'transcription-stuck' }, port);
    await untilReady(backend);
    const done = await startStory(backend, { name: 'Durable' });
    const cutShort = await startStory(backend);
    const halfUploaded = await startStory(backend);
    assert.equal((await upload(backend, cutShort, wav)).status, 202);
    assert.equal((await storedRow(cutShort)).status, 'PROCESSING');

    // Half of a declared body, then the backend dies: it never had the whole recording.
    const partial = http.request(`${backend.url}/api/story/${halfUploaded}/upload`, { method: 'POST', headers: { 'content-type': 'audio/wav', 'content-length': wav.length } });
    partial.on('error', () => undefined);
    partial.write(wav.subarray(0, wav.length / 2));
    await waitForOutput(backend.process, /fault transcription-stuck: story/);
    backend.process.child.kill('SIGKILL');
    await backend.process.exited;
    assert.deepEqual(await storedRow(halfUploaded), { status: 'CREATED', audio_bytes: null, transcript: null, reason: null });

    backend = await startBackend({}, port);
    await untilReady(backend);
    await waitForOutput(backend.process, new RegExp(`resuming the transcription of story ${cutShort}`));
    const resumed = await jobOutcome(backend, cutShort);
    assert.equal(resumed.status, 'COMPLETED');
    assert.match((await storedRow(cutShort)).transcript, /stand-in transcript/);
    assert.equal((await request(`${backend.url}/api/story/${done}`)).json().name, 'Durable', 'the story outlived the backend');
    assert.equal((await request(`${backend.url}/api/story/${halfUploaded}/status`)).json().status, 'CREATED');
    assert.deepEqual(await stopDemoProcess(backend.process), { code: 0, signal: null }, backend.process.logs());
  });

  it('without its database the backend listens and says down, naming the database, until it can migrate', async () => {
    const closed = `tcp://127.0.0.1:${await freePort()}`;
    const backend = await startBackend({ PREFLIGHT_DATABASE_URL: closed });
    const health = await request(backend.url + healthPath);
    assert.equal(health.status, 503);
    assert.equal(health.json().status, 'down');
    assert.match(health.json().message, new RegExp(`database: cannot reach PostgreSQL at ${closed.slice('tcp://'.length)} \\(PREFLIGHT_DATABASE_URL\\): ECONNREFUSED`));
  });
});

describe('fault switches (DEMO_FAULT)', () => {
  it('upload-rejected answers 413 and stores nothing; transcription-failed ends FAILED with its reason', async () => {
    const rejecting = await startBackend({ DEMO_FAULT: 'backend:upload-rejected' });
    await untilReady(rejecting);
    const id = await startStory(rejecting);
    const refused = await upload(rejecting, id, wav);
    assert.equal(refused.status, 413);
    assert.match(refused.json().error, /fault upload-rejected/);
    assert.equal((await storedRow(id)).audio_bytes, null);

    const failing = await startBackend({ DEMO_FAULT: 'transcription-failed' });
    await untilReady(failing);
    const failed = await startStory(failing);
    assert.equal((await upload(failing, failed, wav)).status, 202);
    assert.deepEqual(await jobOutcome(failing, failed), {
      id: failed, status: 'FAILED', reason: 'fault transcription-failed: the speech-to-text provider rejected the recording', audioBytes: wav.length,
    });
    const frontend = await startFrontend(failing.url);
    const page = await request(`${frontend.url}/profile/${failed}`);
    assert.equal(page.status, 409);
    assert.match(page.text, /its transcription failed: fault transcription-failed/);
  });

  it('flaky-once fails only the first story of the process', async () => {
    const backend = await startBackend({ DEMO_FAULT: 'flaky-once' });
    await untilReady(backend);
    const first = await postJson(`${backend.url}/api/story/start`, { consent: true });
    assert.equal(first.status, 500);
    assert.match(first.json().error, /flaky-once/);
    assert.equal((await postJson(`${backend.url}/api/story/start`, { consent: true })).status, 201);
  });

  it('wrong-api-port: the frontend calls the backend port + 1 and says down naming both URLs; mic-blocked sends the policy', async () => {
    const backend = await startBackend();
    const frontend = await startFrontend(backend.url, { DEMO_FAULT: 'frontend:wrong-api-port,frontend:mic-blocked' });
    const wrong = new URL(backend.url);
    wrong.port = String(Number(wrong.port) + 1);
    const health = await request(frontend.url + healthPath);
    assert.equal(health.status, 503);
    assert.equal(health.json().status, 'down');
    assert.match(health.json().message, new RegExp(`the frontend at ${frontend.url} cannot reach the backend it is configured to call at ${wrong.origin} \\(fault wrong-api-port: PREFLIGHT_BACKEND_URL says the backend is at ${backend.url}\\)`));
    const page = await fetch(`${frontend.url}/tell-your-story`);
    assert.equal(page.headers.get('permissions-policy'), 'microphone=()');
  });

  it('db-missing and crash-on-start: the database exits 1 before listening, saying why', async () => {
    for (const fault of ['database:db-missing', 'crash-on-start']) {
      const demo = startDemoProcess('database', { PREFLIGHT_DATABASE_URL: `tcp://127.0.0.1:${await freePort()}`, DEMO_FAULT: fault });
      assert.equal((await waitForExit(demo, 20_000)).code, 1, demo.logs());
      assert.match(demo.stderr(), new RegExp(`\\[demo-database\\] fault ${fault.replace('database:', '')}: .*exiting with code 1`));
      assert.doesNotMatch(demo.stdout(), /listening on/);
    }
  });

  it('db-down: the database stops PostgreSQL and exits 1 once a story is stored; the backend then says down', async () => {
    const own = await startDatabase({ port: await freePort(), env: { DEMO_FAULT: 'database:db-down' } });
    const backend = await startBackend({ PREFLIGHT_DATABASE_URL: own.url });
    await untilReady(backend);
    await startStory(backend);
    assert.equal((await waitForExit(own.process, 20_000)).code, 1, own.process.logs());
    assert.match(own.process.stdout(), /fault db-down: a story was stored/);
    const health = await request(backend.url + healthPath);
    assert.equal(health.status, 503);
    assert.match(health.json().message, /cannot reach PostgreSQL/);
    await rm(own.dir, { recursive: true, force: true });
  });

  it('an unknown fault or scope exits 1 naming it, even when scoped to another process', async () => {
    const demo = startDemoProcess('frontend', { PREFLIGHT_FRONTEND_URL: `http://127.0.0.1:${await freePort()}`, DEMO_FAULT: 'degraded,backend:explode,queue:down' });
    assert.equal((await waitForExit(demo, 20_000)).code, 1, demo.logs());
    assert.match(demo.stderr(), /DEMO_FAULT: .*unknown fault "explode"/);
    assert.match(demo.stderr(), /unknown scope "queue" \(expected "backend:", "frontend:", "database:"\)/);
  });
});

describe('startup and lifetime failures', { concurrency: true }, () => {
  it('crash-on-start prints startup lines, then exits 1 before listening', async () => {
    const demo = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${await freePort()}`, DEMO_FAULT: 'crash-on-start' });
    assert.equal((await waitForExit(demo, 20_000)).code, 1, demo.logs());
    assert.match(demo.stdout(), /\[demo-backend\] starting demo backend/);
    assert.match(demo.stderr(), /\[demo-backend\] fault crash-on-start: exiting with code 1 before listening/);
  });

  it('die-after-ready serves, then exits 7', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const demo = startDemoProcess('frontend', { PREFLIGHT_FRONTEND_URL: url, PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${await freePort()}`, DEMO_FAULT: 'die-after-ready=400' });
    await waitUntilServing(demo, url + healthPath);
    assert.equal((await waitForExit(demo, 20_000)).code, 7, demo.logs());
    assert.match(demo.stderr(), /\[demo-frontend\] fault die-after-ready: exiting with code 7/);
  });

  it('never-listen stays alive without listening, and still stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const demo = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${port}`, DEMO_FAULT: 'never-listen' });
    await waitForOutput(demo, /fault never-listen/);
    await assert.rejects(request(`http://127.0.0.1:${port}${healthPath}`));
    assert.deepEqual(await stopDemoProcess(demo), { code: 0, signal: null });
  });

  it('NODE_ENV=production without DEMO_RELEASE_ID or PREFLIGHT_DATABASE_URL exits 1 and prints every problem', async () => {
    const demo = startDemoProcess('backend', { NODE_ENV: 'production', PREFLIGHT_BACKEND_URL: `http://127.0.0.1:${await freePort()}`, PREFLIGHT_HEALTH_PATH: 'health' });
    assert.equal((await waitForExit(demo, 20_000)).code, 1, demo.logs());
    const stderr = demo.stderr();
    assert.match(stderr, /^\[demo-backend\] invalid configuration: DEMO_RELEASE_ID: expected a release id \(required when NODE_ENV=production\), got \(unset\)$/m);
    assert.match(stderr, /^\[demo-backend\] invalid configuration: PREFLIGHT_DATABASE_URL: expected the database URL, set explicitly.*, got \(unset\)$/m);
    assert.match(stderr, /^\[demo-backend\] invalid configuration: PREFLIGHT_HEALTH_PATH: expected a path starting with "\/", got "health"$/m);
    assert.match(stderr, /3 configuration problem\(s\)/);
  });

  it('an unparseable URL is fatal even outside production', async () => {
    const demo = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: 'localhost:3001' });
    assert.equal((await waitForExit(demo, 20_000)).code, 1, demo.logs());
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
    const demo = startDemoProcess('backend', { PREFLIGHT_BACKEND_URL: url, PREFLIGHT_DATABASE_URL: database.url });
    await waitUntilServing(demo, url + healthPath);
    assert.match(demo.stdout(), new RegExp(`listening on http://\\[::1\\]:${port} \\(pid`));
    await assert.rejects(request(`http://127.0.0.1:${port}${healthPath}`), 'nothing listens on IPv4 for this port');
  });
});
