// The backend's PostgreSQL: a connection pool, the migrations (run at start, each in a transaction, under an
// advisory lock so two backends never migrate at once) and the readiness probe.
import pg from 'pg';
import { describeAddress, type PostgresAddress } from '../shared/database-url.ts';

/** Applied in order, once each; never edit one that shipped, add the next. */
export const migrations: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'stories',
    sql: `
      CREATE TABLE stories (
        id uuid PRIMARY KEY,
        name text, age integer, location text, language text,
        consent_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('CREATED', 'PROCESSING', 'COMPLETED', 'FAILED')),
        reason text,
        audio bytea, audio_type text, audio_bytes integer,
        transcript text,
        test_data boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        -- A story is never COMPLETED without its audio and its transcript, whatever the backend was doing when it died.
        CONSTRAINT completed_has_audio_and_transcript CHECK (status <> 'COMPLETED' OR (audio IS NOT NULL AND transcript IS NOT NULL)),
        CONSTRAINT failed_has_reason CHECK (status <> 'FAILED' OR reason IS NOT NULL)
      );`,
  },
];

const migrationLock = 720_012; // any constant: the advisory lock that serialises migrations

export class Database {
  readonly pool: pg.Pool;
  migrated = false;
  lastError: string | undefined;

  constructor(readonly address: PostgresAddress) {
    this.pool = new pg.Pool({ ...address, max: 5, connectionTimeoutMillis: 2000, statement_timeout: 5000 });
    // An idle connection that breaks (the database restarted) is dropped from the pool, not a crash.
    this.pool.on('error', (error) => (this.lastError = error.message));
  }

  get where(): string {
    return `PostgreSQL at ${describeAddress(this.address)} (PREFLIGHT_DATABASE_URL)`;
  }

  /** Applies the migrations not applied yet; returns the versions it applied. */
  async migrate(): Promise<number[]> {
    const client = await this.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [migrationLock]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const done = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((row) => row.version));
      const applied: number[] = [];
      for (const migration of migrations.filter((candidate) => !done.has(candidate.version))) {
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`);
        }
        applied.push(migration.version);
      }
      this.migrated = true;
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLock]).catch(() => undefined);
      client.release();
    }
  }

  /** For the readiness contract: the database answers, and the schema is there. Throws a message that says which. */
  async probe(): Promise<string> {
    let row: { version: number | null };
    try {
      row = (await this.pool.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations')).rows[0]!;
    } catch (error) {
      throw new Error(`cannot reach ${this.where}: ${describePgError(error)}`);
    }
    if (!this.migrated) throw new Error(`${this.where} answers, but the migrations have not run yet (last error: ${this.lastError ?? 'none'})`);
    return `${this.where} answers; schema version ${row.version}`;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function describePgError(error: unknown): string {
  const err = error as { code?: string; message?: string; errors?: { code?: string }[] };
  // A refused connection on a host with two addresses comes as an AggregateError without a message.
  const code = err.code ?? err.errors?.[0]?.code;
  return [code, err.message].filter(Boolean).join(': ') || String(error);
}
