// The database service's configuration, parsed once from the environment.
import path from 'node:path';
import type { DemoFaults } from '../shared/faults.ts';
import { EnvReader, nonEmptySchema, reportEnvProblems } from '../shared/env-reader.ts';
import { databaseUrlSchema, defaultDatabaseUrl, demoDataDir } from '../shared/database-url.ts';

export interface DatabaseEnv {
  databaseUrl: URL;
  /** Holds the cluster (`cluster/`) and the library links (`lib/`). */
  dbDir: string;
  faults: DemoFaults;
}

export function loadDatabaseEnv(env: NodeJS.ProcessEnv, logPrefix: string): DatabaseEnv | undefined {
  const reader = new EnvReader(env);
  const databaseUrl = reader.read('PREFLIGHT_DATABASE_URL', databaseUrlSchema, 'a URL with a host and a port, such as tcp://127.0.0.1:5433',
    defaultDatabaseUrl, { fatal: true });
  const dataDir = reader.read('DEMO_DATA_DIR', nonEmptySchema, 'a directory path', demoDataDir);
  const dbDir = reader.read('DEMO_DB_DIR', nonEmptySchema, 'a directory path', path.join(dataDir!, 'postgres'));
  const faults = reader.faults('database');
  if (reportEnvProblems(logPrefix, reader.problems, env.NODE_ENV === 'production')) return undefined;
  return { databaseUrl: databaseUrl!, dbDir: path.resolve(dbDir!), faults: faults! };
}
