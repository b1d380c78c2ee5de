// The demo backend: `node --import tsx demo-app/backend/server.ts`. See docs/demo-app.md.
// It listens at once; its readiness contract says `down` until PostgreSQL answers and the migrations ran.
import { createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { postgresAddress } from '../shared/database-url.ts';
import { launchService } from '../shared/lifecycle.ts';
import { Database, describePgError } from './database.ts';
import { loadBackendEnv } from './env.ts';
import { createStoryApi } from './story-api.ts';
import { StoryStore } from './story-store.ts';
import { OfflineStandInTranscriber } from './transcriber.ts';
import { TranscriptionJobs } from './transcription-jobs.ts';

const logPrefix = '[demo-backend]';
const migrationRetryMs = 250;

async function main(): Promise<void> {
  const env = loadBackendEnv(process.env, logPrefix);
  if (!env) return void (process.exitCode = 1);

  const release = env.releaseId === undefined ? '' : `, release ${env.releaseId}`;
  const db = new Database(postgresAddress(env.databaseUrl));
  const transcriber = new OfflineStandInTranscriber();
  console.log(`${logPrefix} starting demo backend ${env.version}${release} (pid ${process.pid}, node ${process.version})`);
  console.log(`${logPrefix} database ${db.where}, health path ${env.healthPath}, faults: ${env.faults.active.join(', ') || 'none'}`);
  console.log(`${logPrefix} transcriber: ${transcriber.name}`);

  const store = new StoryStore(db);
  const jobs = new TranscriptionJobs(store, transcriber, env.faults, logPrefix);
  const server = createServer(createStoryApi({
    db, store, jobs,
    healthPath: env.healthPath,
    version: env.version,
    releaseId: env.releaseId,
    maxAudioBytes: env.maxAudioBytes,
    faults: env.faults,
    logPrefix,
  }));
  let stopping = false;
  const started = launchService({
    logPrefix, server, serviceUrl: env.backendUrl, faults: env.faults,
    onShutdown: async () => {
      stopping = true;
      await jobs.idle();
      await db.close();
    },
  });
  await migrateWhenReachable(db, () => stopping);
  if (stopping) return;
  // Transcriptions a stopped backend left unfinished: their audio is stored, so they are run again.
  for (const id of await store.pendingJobs()) {
    console.log(`${logPrefix} resuming the transcription of story ${id}`);
    jobs.enqueue(id);
  }
  await started;
}

/** Runs the migrations, retrying while PostgreSQL cannot be reached (the readiness contract says `down` meanwhile). */
async function migrateWhenReachable(db: Database, stopping: () => boolean): Promise<void> {
  for (let attempt = 1; !stopping(); attempt++) {
    try {
      const applied = await db.migrate();
      console.log(`${logPrefix} migrations: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
      return;
    } catch (error) {
      db.lastError = describePgError(error);
      if (attempt === 1 || attempt % 20 === 0) console.error(`${logPrefix} cannot migrate ${db.where} yet (attempt ${attempt}): ${db.lastError}; retrying every ${migrationRetryMs} ms`);
      await delay(migrationRetryMs);
    }
  }
}

await main();
