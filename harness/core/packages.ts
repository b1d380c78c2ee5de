import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Yaml from 'yaml';
import type { z as zod } from 'zod';
import { PACKAGE_ROOT } from './project-root.ts';

/**
 * zod and yaml through require, found from preflight's own package. Their ES builds are many small modules (zod's is
 * about 95), and Playwright's ESM loader passes each through its loader thread: about 60 ms for zod in the runner
 * before the first service starts, and again in every worker; their CommonJS builds load in one go (docs/architecture.md).
 * require also works where a project loads the harness through a require hook, as CommonJS.
 */
const requireOwn = createRequire(path.join(PACKAGE_ROOT, 'package.json'));

export const z: typeof zod = (requireOwn('zod') as { z: typeof zod }).z;

/** The types of zod the harness names, under the same `z` (the value above is zod's own `z`). */
export declare namespace z {
  export type ZodType<Output = unknown, Input = unknown> = zod.ZodType<Output, Input>;
  export type input<T> = zod.input<T>;
  export type output<T> = zod.output<T>;
  export namespace core {
    export type $ZodIssue = zod.core.$ZodIssue;
  }
}

/** yaml, loaded on first use: only drift and init read YAML. */
export const yaml = (): typeof Yaml => requireOwn('yaml') as typeof Yaml;
