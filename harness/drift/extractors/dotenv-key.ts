import dotenv from 'dotenv';
import { ExtractionProblem, type ValueSlot } from './slot.ts';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The value of `key` as dotenv reads it, and where its last definition (the one dotenv keeps) sits. */
export function extractDotenvKey(text: string, key: string): ValueSlot[] {
  const parsed = dotenv.parse(text);
  if (!(key in parsed)) throw new ExtractionProblem('absent', `no ${key}= in the file`);
  const value = parsed[key]!;
  const definition = new RegExp(`^[ \\t]*(?:export[ \\t]+)?${escapeRegExp(key)}[ \\t]*[=:][ \\t]*`, 'gm');
  let last: RegExpExecArray | undefined;
  for (const match of text.matchAll(definition)) last = match;
  if (!last) return [{ raw: value, start: 0, end: 0 }];
  const valueStart = last.index + last[0].length;
  const lineEnd = text.indexOf('\n', valueStart) === -1 ? text.length : text.indexOf('\n', valueStart);
  const rest = text.slice(valueStart, lineEnd).replace(/\r$/, '');
  return [locate(rest, valueStart, value)];
}

/** The value's span on its line, kept only when it reads back as exactly what dotenv parsed (no escapes, one line). */
function locate(rest: string, offset: number, value: string): ValueSlot {
  const quote = /^['"`]/.exec(rest)?.[0];
  if (quote) {
    const close = rest.indexOf(quote, 1);
    const inner = close > 0 ? rest.slice(1, close) : undefined;
    if (inner !== value) return { raw: value, start: offset, end: offset };
    return { raw: value, start: offset + 1, end: offset + 1 + inner.length, render: (next) => (next.includes(quote) || next.includes('\n') ? undefined : next) };
  }
  const inner = rest.replace(/\s+#.*$/, '').trimEnd();
  if (inner !== value) return { raw: value, start: offset, end: offset };
  return {
    raw: value,
    start: offset,
    end: offset + inner.length,
    render: (next) => (/[\s#'"`]/.test(next) ? JSON.stringify(next) : next),
  };
}
