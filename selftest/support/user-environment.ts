/** The environment of a developer's shell: none of the caller's PREFLIGHT_ variables, no CI unless a test says so. */
export function userEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !/^(PREFLIGHT_|NODE_TEST_CONTEXT$|NODE_OPTIONS$|CI$|GITHUB_ACTIONS$)/.test(entry[0])),
  );
  return { ...inherited, ...extra };
}
