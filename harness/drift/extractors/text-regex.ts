import { ExtractionProblem, type ValueSlot } from './slot.ts';

/** Every match of `pattern` in a text file; the value is the group named `value`, else group 1, else the whole match. */
export function extractRegex(text: string, pattern: RegExp): ValueSlot[] {
  const flags = new Set(`${pattern.flags}gd`);
  const global = new RegExp(pattern.source, [...flags].join(''));
  const slots: ValueSlot[] = [];
  for (const match of text.matchAll(global)) {
    const group = match.groups && 'value' in match.groups ? 'value' : match.length > 1 ? 1 : 0;
    const span = typeof group === 'string' ? match.indices!.groups![group] : match.indices![group];
    if (!span) continue;
    const [start, end] = span;
    slots.push({ raw: text.slice(start, end), start, end, render: (value) => value });
  }
  if (slots.length === 0) throw new ExtractionProblem('absent', `no match for ${pattern}`);
  return slots;
}
