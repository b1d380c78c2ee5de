import type { DriftSource } from '../../drift/rules.ts';

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
  /** The service's own statement (its env file, its script): the source of truth when others disagree. */
  own: boolean;
}

/** A service found in the repository. */
export interface DetectedService {
  name: string;
  /** Folder relative to the repository root ('' for the root). */
  cwd: string;
  command: string;
  /** Why this command (which script of which package.json). */
  commandFrom: string;
  kind: 'frontend' | 'backend';
  /** Readiness path found in its sources (e.g. /health), if any. */
  healthPath?: string;
}

export interface Detection {
  root: string;
  services: DetectedService[];
  statements: PortStatement[];
  /** Things init looked for and did not find, or found but could not tie to a service. */
  notDetected: string[];
  /** What init read, for the listing (PM2 file, tunnel config, docs). */
  found: string[];
}

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
