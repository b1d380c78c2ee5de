/**
 * Variables the runner sets for the workers Playwright forks after global setup (they inherit its environment),
 * which the services it starts must not get: the services are the app under test, not clients of the run.
 */

const SLOT = Symbol.for('preflight.worker-only-environment');

/** What each variable was before the runner set it for its workers (undefined: unset). */
function originals(): Map<string, string | undefined> {
  const holder = globalThis as { [SLOT]?: Map<string, string | undefined> };
  holder[SLOT] ??= new Map();
  return holder[SLOT];
}

/** Sets variables for the workers forked from now on; the services keep the runner's own values. */
export function setForWorkers(variables: Record<string, string>): void {
  for (const [name, value] of Object.entries(variables)) {
    if (!originals().has(name)) originals().set(name, process.env[name]);
    process.env[name] = value;
  }
}

/** The runner's environment as a service gets it: without what was set for the workers. */
export function environmentForServices(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (originals().size === 0) return env;
  const result = { ...env };
  for (const [name, value] of originals()) {
    if (value === undefined) delete result[name];
    else result[name] = value;
  }
  return result;
}
