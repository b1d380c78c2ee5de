// Stories in PostgreSQL. Each change is one statement (or one transaction), so a backend killed at any moment
// leaves a story in a state it can be read in: CREATED (no audio yet), PROCESSING (audio stored, transcript
// pending, resumed at the next start), COMPLETED (audio and transcript) or FAILED (with a reason).
import { randomUUID } from 'node:crypto';
import type { Database } from './database.ts';

export type StoryStatus = 'CREATED' | 'PROCESSING' | 'COMPLETED' | 'FAILED';

export interface NewStory {
  name?: string;
  age?: number;
  location?: string;
  language?: string;
  testData: boolean;
}

export interface StoryStatusView {
  id: string;
  status: StoryStatus;
  reason?: string;
  audioBytes?: number;
}

export interface StoryProfile extends StoryStatusView {
  name?: string;
  age?: number;
  location?: string;
  language?: string;
  audioType?: string;
  transcript?: string;
  testData: boolean;
  createdAt: string;
  completedAt?: string;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isStoryId = (id: string) => uuidPattern.test(id);

export class StoryStore {
  constructor(private readonly db: Database) {}

  async create(input: NewStory): Promise<StoryStatusView> {
    const id = randomUUID();
    await this.db.pool.query(
      `INSERT INTO stories (id, name, age, location, language, consent_at, status, test_data) VALUES ($1, $2, $3, $4, $5, now(), 'CREATED', $6)`,
      [id, input.name ?? null, input.age ?? null, input.location ?? null, input.language ?? null, input.testData],
    );
    return { id, status: 'CREATED' };
  }

  async profile(id: string): Promise<StoryProfile | undefined> {
    if (!isStoryId(id)) return undefined;
    const { rows } = await this.db.pool.query(
      `SELECT id, name, age, location, language, status, reason, audio_type, audio_bytes, transcript, test_data, created_at, completed_at
       FROM stories WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row) return undefined;
    return dropUndefined({
      id: row.id, status: row.status, reason: row.reason ?? undefined, audioBytes: row.audio_bytes ?? undefined,
      name: row.name ?? undefined, age: row.age ?? undefined, location: row.location ?? undefined, language: row.language ?? undefined,
      audioType: row.audio_type ?? undefined, transcript: row.transcript ?? undefined, testData: row.test_data,
      createdAt: (row.created_at as Date).toISOString(), completedAt: row.completed_at ? (row.completed_at as Date).toISOString() : undefined,
    });
  }

  async status(id: string): Promise<StoryStatusView | undefined> {
    const profile = await this.profile(id);
    if (!profile) return undefined;
    return dropUndefined({ id: profile.id, status: profile.status, reason: profile.reason, audioBytes: profile.audioBytes });
  }

  /** Stores the audio and marks the story PROCESSING, only if it is still CREATED; false when it was not. */
  async attachAudio(id: string, audio: Buffer, contentType: string): Promise<boolean> {
    const result = await this.db.pool.query(
      `UPDATE stories SET audio = $2, audio_type = $3, audio_bytes = $4, status = 'PROCESSING' WHERE id = $1 AND status = 'CREATED'`,
      [id, audio, contentType, audio.length]);
    return result.rowCount === 1;
  }

  async audio(id: string): Promise<{ audio: Buffer; contentType: string } | undefined> {
    const { rows } = await this.db.pool.query(`SELECT audio, audio_type FROM stories WHERE id = $1 AND audio IS NOT NULL`, [id]);
    return rows[0] ? { audio: rows[0].audio, contentType: rows[0].audio_type } : undefined;
  }

  async complete(id: string, transcript: string): Promise<void> {
    await this.db.pool.query(
      `UPDATE stories SET status = 'COMPLETED', transcript = $2, completed_at = now() WHERE id = $1 AND status = 'PROCESSING'`, [id, transcript]);
  }

  async fail(id: string, reason: string): Promise<void> {
    await this.db.pool.query(`UPDATE stories SET status = 'FAILED', reason = $2 WHERE id = $1 AND status = 'PROCESSING'`, [id, reason]);
  }

  /** Stories whose transcription a stopped backend left unfinished. */
  async pendingJobs(): Promise<string[]> {
    const { rows } = await this.db.pool.query<{ id: string }>(`SELECT id FROM stories WHERE status = 'PROCESSING' ORDER BY created_at`);
    return rows.map((row) => row.id);
  }
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
