// Ports stated in running text: a local URL with a port (http://localhost:3001) in a source file, a script or a doc, or
// "port 3001" in prose. `npx preflight init` finds them; drift checks the Markdown files a rules file lists in `docs`.
import type { DriftSource } from './rules.ts';

export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const LOCAL_URL = /https?:\/\/(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d{2,5})\b/g;
const PROSE_PORT = /\bport (\d{2,5})\b/gi;
/** Past this, a line is anchored by its last characters before the mention, not from its start (minified code). */
const LONGEST_ANCHOR = 120;

export interface PortMention {
  port: number;
  host?: string;
  /** Where on the line. */
  at: number;
  kind: 'url' | 'prose';
  /** The text found (`http://localhost:3001`, `port 3001`). */
  text: string;
}

/** The ports a line states: local URLs with a port, and (in prose) "port NNNN". */
export function portMentions(line: string, options: { prose?: boolean } = {}): PortMention[] {
  const mentions: PortMention[] = [];
  for (const match of line.matchAll(LOCAL_URL)) mentions.push({ port: Number(match[2]), host: match[1], at: match.index!, kind: 'url', text: match[0] });
  if (options.prose) for (const match of line.matchAll(PROSE_PORT)) mentions.push({ port: Number(match[1]), at: match.index!, kind: 'prose', text: match[0] });
  return mentions;
}

/** A drift source that finds this mention again: the words before it on its line, then the URL (its port taken) or the port. */
export function mentionSource(file: string, line: string, mention: PortMention): DriftSource {
  const before = line.slice(0, mention.at);
  const anchor = before.length > LONGEST_ANCHOR ? escapeRegExp(before.slice(-LONGEST_ANCHOR / 2)) : `^${escapeRegExp(before)}`;
  if (mention.kind === 'url') return { file, regex: new RegExp(`${anchor}(https?:\\/\\/[^\\s/:'"\`]+:\\d+)`, 'm'), take: 'port' };
  return { file, regex: new RegExp(`${anchor}${escapeRegExp(mention.text.slice(0, 5))}(\\d+)`, 'm') };
}

/** The one name of `names` that the line names as a word, if exactly one. */
export function nameOnLine(line: string, names: string[]): string | undefined {
  const words = line.toLowerCase();
  const named = names.filter((name) => new RegExp(`(^|[^a-z])${escapeRegExp(name.toLowerCase())}([^a-z]|$)`).test(words));
  return named.length === 1 ? named[0] : undefined;
}
