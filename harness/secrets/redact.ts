/**
 * Secrets never reach logs, reports or the console: the values of environment variables whose names look
 * secret are replaced with [redacted]. The one place that decides what a secret is and how it is hidden.
 */
export const REDACTED = '[redacted]';

/** Names that look secret: they contain one of these words, in any case. */
export const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH/i;

// Shorter values and flag words would turn every "true" or "1" of every log into [redacted].
const MIN_SECRET_LENGTH = 4;
const NOT_SECRET = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'none', 'undefined']);

// Redaction runs on every console write and log line: the secret list is kept per environment, and made anew
// when variables are added (dotenv loading .env) or removed.
const cache = new WeakMap<object, { size: number; values: string[] }>();

/** The secret values of `env`, longest first (so a secret containing another is hidden whole). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const size = Object.keys(env).length;
  const cached = cache.get(env);
  if (cached?.size === size) return cached.values;
  const values = findSecretValues(env);
  cache.set(env, { size, values });
  return values;
}

function findSecretValues(env: NodeJS.ProcessEnv): string[] {
  const entries = Object.entries(env).filter(
    (entry): entry is [string, string] =>
      SECRET_NAME.test(entry[0]) && typeof entry[1] === 'string' && looksSecret(entry[1]),
  );
  return [...new Set(entries.map(([, value]) => value.trim()))].sort((a, b) => b.length - a.length);
}

// `NAME=value` written out in text (a start command, a URL's query): the value goes when the name looks secret.
const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s'"&;]+)/g;

// The password of a URL (`postgres://app:pw@db/x`).
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]+):([^\s@/]+)@/gi;

const looksSecret = (value: string) => value.trim().length >= MIN_SECRET_LENGTH && !NOT_SECRET.has(value.trim().toLowerCase());

// Secret values given to services (their env and envFile in the gate configuration), hidden like the runner's own.
let givenSecrets: string[] = [];

/** Adds the secret-looking values of `env` (a service's own variables) to what is redacted everywhere in this process. */
export function addSecretValues(env: Record<string, string | undefined>): void {
  givenSecrets = [...new Set([...givenSecrets, ...findSecretValues(env)])].sort((a, b) => b.length - a.length);
}

/** `text` with every secret value replaced by [redacted]: the environment's, the services' own, and those assigned in the text itself. */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let result = text;
  for (const secret of [...secretValues(env), ...givenSecrets]) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result
    .replace(ASSIGNMENT, (whole, name: string, value: string) =>
      SECRET_NAME.test(name) && looksSecret(value.replace(/^["']|["']$/g, '')) && value !== REDACTED ? `${name}=${REDACTED}` : whole,
    )
    .replace(URL_CREDENTIALS, (_whole, scheme: string, user: string) => `${scheme}${user}:${REDACTED}@`);
}

/** A copy of `value` (JSON-like: strings, arrays, plain objects) with every string redacted. */
export function redactDeep<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  if (typeof value === 'string') return redact(value, env) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, env)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactDeep(item, env)])) as T;
  }
  return value;
}

const installed = Symbol.for('preflight.console-redaction');

/** Redacts everything this process writes to stdout and stderr (the console output of the run). */
export function installConsoleRedaction(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    const marked = stream as NodeJS.WriteStream & { [installed]?: true };
    if (marked[installed]) continue;
    marked[installed] = true;
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : undefined;
      if (text === undefined) return write(chunk, ...rest);
      const safe = redact(text);
      if (safe === text) return write(chunk, ...rest);
      // The encoding argument, if any, described the original chunk; the redacted text is a utf8 string.
      return write(safe, ...rest.filter((arg) => typeof arg === 'function'));
    }) as typeof stream.write;
  }
}
