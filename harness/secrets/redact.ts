/**
 * Secrets never reach logs, reports or the console: the values of environment variables whose names look
 * secret, and the credentials of URLs, are replaced with [redacted], in every form a program may print them
 * (raw, JSON-escaped, URL-encoded, base64 as in `Authorization: Basic`). The one place that decides what a
 * secret is and how it is hidden; docs/safety.md describes it.
 */
export const REDACTED = '[redacted]';

/** Names that look secret: they contain one of these words, in any case. */
export const SECRET_NAME = /TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL|AUTH/i;

// Shorter values and flag words would turn every "true" or "1" of every log into [redacted].
const MIN_SECRET_LENGTH = 4;
const NOT_SECRET = new Set(['true', 'false', 'yes', 'no', 'on', 'off', 'null', 'none', 'undefined']);

const looksSecret = (value: string) => value.trim().length >= MIN_SECRET_LENGTH && !NOT_SECRET.has(value.trim().toLowerCase());

// Redaction runs on every console write and log chunk: the secrets are kept per environment and found anew when
// any value changes (a variable set, removed or given another value), not only when the number of variables does.
const cache = new WeakMap<object, { signature: string; values: string[]; forms: string[] }>();

// Secrets that are not in the environment: a password given on the command line (`preflight health https://u:p@h`).
const declared = new Set<string>();

/** Adds the secret-looking values of `env` (a service's own `env` and `envFile` in the gate configuration) to what is redacted everywhere in this process. */
export function addSecretValues(env: Record<string, string | undefined>): void {
  for (const value of findSecretValues(env)) declared.add(value);
}

/** Hides `value` (and its encoded forms) from everything this process redacts from now on. */
export function treatAsSecret(value: string): void {
  if (looksSecret(value)) declared.add(value);
}

function secretsOf(env: NodeJS.ProcessEnv) {
  const signature = [...declared, ...Object.entries(env).map(([name, value]) => `${name}=${value}`)].join('\0');
  const cached = cache.get(env);
  if (cached?.signature === signature) return cached;
  const values = findSecretValues(env);
  const forms = [...new Set(values.flatMap(encodedForms))].sort((a, b) => b.length - a.length);
  const entry = { signature, values, forms };
  cache.set(env, entry);
  return entry;
}

/** The secret values of `env`, longest first (so a secret containing another is hidden whole). */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  return secretsOf(env).values;
}

/** Every form of every secret that a program may print, longest first: what the stream redaction must see whole. */
export function secretForms(env: NodeJS.ProcessEnv = process.env): string[] {
  return secretsOf(env).forms;
}

function findSecretValues(env: NodeJS.ProcessEnv): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string') continue;
    if (SECRET_NAME.test(name) && looksSecret(value)) {
      found.push(value.trim());
      // A multi-line value (a PEM key) is also hidden line by line, wherever a program prints it re-wrapped.
      for (const line of value.split(/\r?\n/)) if (line !== value && looksSecret(line) && !/^-----(BEGIN|END) /.test(line.trim())) found.push(line.trim());
    }
    // The credentials of a URL in any variable (DATABASE_URL=postgres://app:pw@db/x) are secrets too.
    for (const match of value.matchAll(URL_USERINFO)) {
      const [user, password] = [match[2]!, match[3]];
      for (const part of password !== undefined ? [password, safeDecode(password)] : [user, safeDecode(user)]) if (looksSecret(part)) found.push(part);
    }
  }
  return [...new Set([...found, ...declared])].sort((a, b) => b.length - a.length);
}

/**
 * The raw value and how programs print it: JSON-escaped, URL-encoded (both space styles, upper- and lower-case
 * escapes) once and twice (a URL inside a URL's query), base64, hex (upper- and lower-case).
 */
function encodedForms(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  const url = encodeURIComponent(value);
  const urls = [url, url.replace(/%20/g, '+')];
  const encoded = [...urls, ...urls.map((once) => encodeURIComponent(once))];
  const lowerEscapes = (text: string) => text.replace(/%(25)?[0-9A-F]{2}/g, (escape) => escape.toLowerCase());
  const hex = Buffer.from(value).toString('hex');
  const lines = value.split(/\r?\n/);
  return [value, json, json.replace(/\//g, '\\/'), ...encoded, ...encoded.map(lowerEscapes), Buffer.from(value).toString('base64'), hex, hex.toUpperCase(), lines.join('\r\n'), lines.join('\n')]
    .filter((form) => form.length >= MIN_SECRET_LENGTH);
}

const safeDecode = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

// `NAME=value` written out in text (a start command, a URL's query): the value goes when the name looks secret.
const ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s'"&;]+)/g;

// A URL's userinfo: `scheme://user:password@` (group 3 the password) or `scheme://token@` (username only).
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@"'<>]+)(?::([^\s@/"'<>]*))?@/gi;

// Header values that carry credentials, written as `Name: value`, `"name": "value"` or HAR/trace `{"name": .., "value": ..}`.
const CREDENTIAL_HEADER = '(?:proxy-)?authorization|cookie|set-cookie|x-api-key';
const HEADER_LINE = new RegExp(`\\b(${CREDENTIAL_HEADER})(\\\\?["']?\\s*[:=]\\s*\\\\?["']?)([^\\r\\n"'\\\\]+)`, 'gi');
const HEADER_PAIR = new RegExp(`("name"\\s*:\\s*"(?:${CREDENTIAL_HEADER})"\\s*,\\s*"value"\\s*:\\s*")((?:\\\\.|[^"\\\\])*)"`, 'gi');

// HAR and traces also list cookies parsed: `"cookies": [{"name": "sid", "value": ".."}]`.
const COOKIE_LIST = /("cookies"\s*:\s*\[)([^\]]*)\]/gi;
const LISTED_VALUE = /("value"\s*:\s*")((?:\\.|[^"\\])*)"/g;

// Base64 long enough to hide a secret (Basic auth's `user:password`): decoded, and hidden when it holds one.
const BASE64 = /[A-Za-z0-9+/_-]{8,}={0,2}/g;

/** `text` with every secret value replaced by [redacted]: the environment's, and those written in the text itself. */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const { values, forms } = secretsOf(env);
  let result = text;
  for (const form of forms) {
    if (result.includes(form)) result = result.split(form).join(REDACTED);
  }
  result = redactAcrossLines(result, forms, values);
  if (values.length) {
    result = result.replace(BASE64, (token) => {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      return values.some((secret) => decoded.includes(secret)) ? REDACTED : token;
    });
  }
  return result
    .replace(ASSIGNMENT, (whole, name: string, value: string) =>
      SECRET_NAME.test(name) && looksSecret(value.replace(/^["']|["']$/g, '')) && value !== REDACTED ? `${name}=${REDACTED}` : whole,
    )
    .replace(HEADER_PAIR, (_whole, head: string) => `${head}${REDACTED}"`)
    .replace(COOKIE_LIST, (_whole, head: string, list: string) => `${head}${list.replace(LISTED_VALUE, (_value, key: string) => `${key}${REDACTED}"`)}]`)
    .replace(HEADER_LINE, (whole, name: string, separator: string, value: string) => (value.startsWith(REDACTED) ? whole : `${name}${separator}${REDACTED}`))
    .replace(URL_USERINFO, (whole, scheme: string, user: string, password: string | undefined) => {
      if (password === undefined) return user === REDACTED ? whole : `${scheme}${REDACTED}@`;
      return password === REDACTED || password === '' ? whole : `${scheme}${user}:${REDACTED}@`;
    });
}

// A line break a secret may be split at: a real one (then the next line's indentation), or one escaped in JSON.
const LINE_BREAK = /\r?\n[ \t]*|\\r\\n|\\n/g;

// The remainder of a secret whose first few characters ended the line before (already written, in a stream).
const MAX_LEFT_ON_THE_LINE_BEFORE = 3;

/**
 * A secret split across two lines (wrapped, or printed in two parts): found in the text with the line breaks taken
 * out, and hidden on both lines, which stay two. A line that begins with all but the first few characters of a
 * secret is hidden too: in a stream, those few may have been written with the line before.
 */
function redactAcrossLines(text: string, forms: string[], values: string[]): string {
  if (forms.length === 0) return text;
  // Where each line (piece between breaks) starts in the text, and in the text without its breaks.
  const starts = [0];
  const flatStarts = [0];
  const breaks = new RegExp(LINE_BREAK); // exec, not matchAll: a trace has a break in every line
  for (let match = breaks.exec(text); match; match = breaks.exec(text)) {
    flatStarts.push(flatStarts[flatStarts.length - 1]! + (match.index - starts[starts.length - 1]!));
    starts.push(match.index + match[0].length);
  }
  const pieceAt = (flatIndex: number) => {
    let low = 0;
    let high = flatStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (flatStarts[middle]! <= flatIndex) low = middle;
      else high = middle - 1;
    }
    return low;
  };

  const hidden: [number, number][] = [];
  // Only a break with text on both sides can split a secret (most writes end with their only one).
  const flat = starts.length > 2 || (starts.length === 2 && starts[1]! < text.length) ? text.replace(LINE_BREAK, '') : undefined;
  for (const form of flat === undefined ? [] : forms) {
    for (let found = flat!.indexOf(form); found >= 0; found = flat!.indexOf(form, found + 1)) {
      const first = pieceAt(found);
      const last = pieceAt(found + form.length - 1);
      if (first === last) continue; // on one line: the plain pass hides it
      for (let piece = first; piece <= last; piece++) {
        const from = starts[piece]! + Math.max(0, found - flatStarts[piece]!);
        const to = starts[piece]! + Math.min(found + form.length, flatStarts[piece + 1] ?? flat!.length) - flatStarts[piece]!;
        if (to > from) hidden.push([from, to]);
      }
    }
  }
  // A stream writes what its program printed: the raw value.
  for (const value of values) {
    const shortest = Math.max(MIN_SECRET_LENGTH, value.length - MAX_LEFT_ON_THE_LINE_BEFORE);
    for (const start of starts) {
      for (let left = 1; left <= MAX_LEFT_ON_THE_LINE_BEFORE && value.length - left >= shortest; left++) {
        if (text[start] === value[left] && text.startsWith(value.slice(left), start)) {
          hidden.push([start, start + value.length - left]);
          break;
        }
      }
    }
  }
  if (hidden.length === 0) return text;
  let result = '';
  let from = 0;
  for (const [start, end] of hidden.sort((a, b) => a[0] - b[0] || b[1] - a[1])) {
    if (end <= from) continue;
    result += text.slice(from, Math.max(from, start)) + (start >= from ? REDACTED : '');
    from = end;
  }
  return result + text.slice(from);
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

/**
 * How much of `text` can be redacted and written now when more may follow: up to the last line end that no
 * (possibly unfinished) secret crosses. A multi-line secret (a PEM key) is held back until it arrived whole.
 */
export function settledLength(text: string, env: NodeJS.ProcessEnv = process.env): number {
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  let cut = text.lastIndexOf('\n') + 1;
  for (let moved = true; moved && cut > 0; ) {
    moved = false;
    for (const form of secretForms(env)) {
      // A whole occurrence that crosses the cut, or the start of one that has not arrived whole yet.
      const at = text.indexOf(form, Math.max(0, cut - form.length + 1));
      if (at >= 0 && at < cut && at + form.length > cut) {
        cut = lineStart(at);
        moved = true;
        continue;
      }
      for (let start = text.indexOf(form[0]!, Math.max(0, text.length - form.length + 1)); start >= 0 && start < cut; start = text.indexOf(form[0]!, start + 1)) {
        if (form.startsWith(text.slice(start))) {
          cut = lineStart(start);
          moved = true;
          break;
        }
      }
      if (moved || cut === 0) continue;
      // The last line to write ends with the first part of a secret split across two lines: it waits for the second.
      const end = text[cut - 2] === '\r' ? cut - 2 : cut - 1;
      const line = lineStart(cut - 1);
      for (let start = text.indexOf(form[0]!, Math.max(line, end - form.length + 1)); start >= 0 && end - start > MAX_LEFT_ON_THE_LINE_BEFORE; start = text.indexOf(form[0]!, start + 1)) {
        if (end - start < form.length && form.startsWith(text.slice(start, end))) {
          cut = line;
          moved = true;
          break;
        }
      }
    }
  }
  return cut;
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
