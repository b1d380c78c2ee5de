/**
 * The writes the read-only proxy refused (./read-only-proxy.ts), and which spec each belongs to. The proxy runs in
 * the runner and knows only the worker slot and the time; the gate reporter knows which spec that worker ran then.
 */

/** A write the proxy refused. */
export interface BlockedWrite {
  /** When the proxy refused it (ms since the epoch). */
  at: number;
  /** The Playwright worker slot (TEST_PARALLEL_INDEX) whose proxy port received it. */
  worker: number;
  /** What was refused, e.g. "POST https://example.org/api/stories". */
  request: string;
}

/** A blocked write with the spec it belongs to (a key of ./spec-key), or none when no spec had begun in its worker. */
export interface AttributedWrite {
  request: string;
  spec?: string;
}

/** The message of blocked writes, in docs/safety.md's terms: what, why, and the setting that allows them. */
export const blockedWriteMessage = (requests: string[]) =>
  `preflight: blocked ${requests.length === 1 ? 'a write' : `${requests.length} writes`} to production: ${requests.join('; ')}: ` +
  'the production project only reads (GET, HEAD, OPTIONS, without a method-override header); set PREFLIGHT_ALLOW_PRODUCTION_WRITES=true to allow writes, marked as test data';

interface Attempt {
  parallelIndex: number;
  startTime: Date;
}

/**
 * Each write belongs to the spec its worker had begun last when the proxy refused it: a worker runs one spec at a
 * time, and a request that outlives its page (a beacon) still arrives before the worker's next spec begins.
 */
export function attributeBlockedWrites<T extends { results: Attempt[] }>(tests: T[], writes: BlockedWrite[], keyOf: (test: T) => string): AttributedWrite[] {
  const attempts = tests.flatMap((test) => test.results.map((result) => ({ test, worker: result.parallelIndex, began: result.startTime.getTime() })));
  return writes.map((write) => {
    let owner: (typeof attempts)[number] | undefined;
    for (const attempt of attempts) {
      if (attempt.worker === write.worker && attempt.began <= write.at && (!owner || attempt.began > owner.began)) owner = attempt;
    }
    return owner ? { request: write.request, spec: keyOf(owner.test) } : { request: write.request };
  });
}
