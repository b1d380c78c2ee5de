import type { Expectation } from './rules.ts';

export function meets(value: string, expect: Expectation): boolean {
  if ('equals' in expect) return value === expect.equals;
  if ('oneOf' in expect) return expect.oneOf.includes(value);
  if ('noneOf' in expect) return !expect.noneOf.includes(value);
  return new RegExp(expect.matches.source, expect.matches.flags.replace(/[gy]/g, '')).test(value);
}

/** `"4"`, `one of "a", "b"`, `not "localhost"`, `matching /re/`. */
export function describeExpectation(expect: Expectation): string {
  const list = (values: string[]) => values.map((value) => JSON.stringify(value)).join(', ');
  if ('equals' in expect) return JSON.stringify(expect.equals);
  if ('oneOf' in expect) return `one of ${list(expect.oneOf)}`;
  if ('noneOf' in expect) return `not ${list(expect.noneOf)}`;
  return `matching ${expect.matches}`;
}
