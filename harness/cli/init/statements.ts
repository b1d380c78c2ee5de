import type { DriftSource } from '../../drift/rules.ts';
import type { DetectedDatabase } from './database.ts';

export { escapeRegExp } from '../../drift/port-mentions.ts';

/** One place in the repository that states a service's port (and maybe its whole URL). */
export interface PortStatement {
  service: string;
  port: number;
  /** The host, where the statement is a URL. */
  host?: string;
  /** Where, for a person: `backend/.env.example:1`. */
  where: string;
  /** How drift reads it again (its file relative to the repository root). */
  source: DriftSource;
  /** The service's own statement (its PM2 app, env file, script, code): the source of truth when others disagree. */
  own: boolean;
  /**
   * config: what decides where a service listens or is reached (env files, PM2, compose, tunnel, scripts, its code);
   * hard-coded: a URL written into a source file or script (checked as a warning: it does not decide where anything
   * listens); doc: a Markdown file the drift rules list in `docs`.
   */
  kind: 'config' | 'hard-coded' | 'doc';
}

export interface FoundPath {
  path: string;
  /** file:line, and where it is mounted. */
  where: string;
}

/** A service found in the repository. */
export interface DetectedService {
  name: string;
  /** Folder relative to the repository root ('' for the root). */
  cwd: string;
  command: string;
  /** Why this command (which PM2 app or script of which package.json). */
  commandFrom: string;
  kind: 'frontend' | 'backend';
  /** Readiness path found where it defines its routes (e.g. /ops/health/production), if any. */
  readiness?: FoundPath & { contract: boolean };
  /** Liveness path found the same way (e.g. /health/live). */
  liveness?: FoundPath;
  /** First segments of its routes (/api, /ops): a URL with one of them calls this service. */
  routePrefixes: string[];
  /** Variables its PM2 app sets (secrets left out: they stay in the user's env files). */
  env: Record<string, string>;
  /** Variables of its PM2 app left out of preflight.config.ts because they look secret. */
  envLeftOut: string[];
  /** The source files its command runs, relative to cwd. */
  entryFiles: string[];
}

export interface Detection {
  root: string;
  services: DetectedService[];
  statements: PortStatement[];
  /** Things init looked for and did not find, or found but could not tie to a service. */
  notDetected: string[];
  /** What init read, for the listing (PM2 file, tunnel config, docs). */
  found: string[];
  /** Folders and PM2 or compose apps that look like services but that nothing the app runs starts (legacy copies). */
  notDeclared: string[];
  /** The PostgreSQL the app needs, if it does. */
  database?: DetectedDatabase;
  /** One-line summaries of what was counted, not listed (Markdown, URLs in source files that name no service). */
  counts: string[];
}
