import type { Expectation } from './rules.ts';

export function meets(value: string, expect: Expectation): boolean {
  if ('equals' in expect) return value === expect.equals;
  if ('oneOf' in expect) return expect.oneOf.includes(value);
  if ('noneOf' in expect) return !expect.noneOf.includes(value);
  return new RegExp(expect.matches.source, expect.matches.flags.replace(/[gy]/g, '')).test(value);
}

/** `must be "4"`, `must be one of "a", "b"`, `must not be "localhost"`, `must match /re/`. */
export function describeExpectation(expect: Expectation): string {
  const list = (values: string[]) => values.map((value) => JSON.stringify(value)).join(', ');
  if ('equals' in expect) return `must be ${JSON.stringify(expect.equals)}`;
  if ('oneOf' in expect) return `must be one of ${list(expect.oneOf)}`;
  if ('noneOf' in expect) return `must not be ${list(expect.noneOf)}`;
  return `must match ${expect.matches}`;
}
