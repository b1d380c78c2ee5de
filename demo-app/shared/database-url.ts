// The demo database's address: PREFLIGHT_DATABASE_URL (any scheme; host, port, and for a postgres:// URL the user
// and database name), read by the database service and by the backend.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const defaultDatabaseUrl = new URL('tcp://127.0.0.1:5433');

// The repo root is the demo-app folder's parent, whatever the working directory.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const demoDataDir = path.join(repoRoot, 'demo-app', 'data');

export const databaseUrlSchema = z.url().transform((value) => new URL(value)).refine((url) => url.hostname !== '' && url.port !== '', {
  error: 'the URL must name a host and a port',
});

export interface PostgresAddress {
  host: string;
  port: number;
  user: string;
  database: string;
  password?: string;
}

export function postgresAddress(url: URL): PostgresAddress {
  const isPostgres = url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  const database = isPostgres ? decodeURIComponent(url.pathname.replace(/^\//, '')) : '';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port),
    user: (isPostgres && decodeURIComponent(url.username)) || 'postgres',
    database: database || 'postgres',
    ...(isPostgres && url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

/** host:port, for messages (never the password). */
export function describeAddress(address: PostgresAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}
