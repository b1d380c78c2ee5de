import path from 'node:path';
import type { TestCase } from '@playwright/test/reporter';
import type { SpecRef } from '../verdict/completeness.ts';

/** One string per spec, equal in a run and in a merged report: what a blocked write records of its spec. */
export const specKey = (spec: Pick<SpecRef, 'project' | 'file' | 'line' | 'title'>) => JSON.stringify([spec.project, spec.file, spec.line, spec.title]);

/** How the gate names a spec, the same in a run, a listing and a merged report: titles below the file, path from the working directory. */
export function specRef(test: TestCase): SpecRef {
  return {
    title: test.titlePath().slice(3).join(' › ') || test.title,
    file: path.relative(process.cwd(), test.location.file),
    line: test.location.line,
    project: test.parent.project()?.name ?? '',
    tags: test.tags,
  };
}
