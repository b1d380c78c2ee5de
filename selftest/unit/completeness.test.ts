import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMissingCriticalSpecs, missingShards, type SpecRef } from '../../harness/verdict/completeness.ts';

const ref = (title: string, tags = ['@critical'], project = 'local'): SpecRef => ({ title, file: `tests/${title}.spec.ts`, line: 1, project, tags });
const listed = [ref('a'), ref('b'), ref('c'), ref('n', [])];
const titles = (missing: { title: string }[]) => missing.map((spec) => spec.title);

describe('findMissingCriticalSpecs: which @critical specs a run left out', () => {
  it('an unfiltered run that ran everything misses nothing', () => {
    assert.deepEqual(findMissingCriticalSpecs({ listed, ran: listed, selected: listed }), []);
  });

  it('a filtered run misses the critical specs the filter removed, not the non-critical ones', () => {
    const missing = findMissingCriticalSpecs({ listed, ran: [ref('a')], selected: [ref('a')] });
    assert.deepEqual(titles(missing), ['b', 'c']);
    assert.match(missing[0]!.why, /filtered out of this run by the command line/);
  });

  it('a spec selected but not run (--last-failed) is left out after selection', () => {
    const missing = findMissingCriticalSpecs({ listed, ran: [ref('a'), ref('b')], selected: listed });
    assert.deepEqual(titles(missing), ['c']);
    assert.match(missing[0]!.why, /--last-failed/);
  });

  it('a shard expects only its own specs: selected specs of other shards are not missing, filtered ones are', () => {
    const shard = { current: 1, total: 2 };
    assert.deepEqual(findMissingCriticalSpecs({ listed, ran: [ref('a')], selected: listed, shard }), []);
    assert.deepEqual(titles(findMissingCriticalSpecs({ listed, ran: [ref('a')], selected: [ref('a'), ref('b')], shard })), ['c']);
  });

  it('a merge expects every spec, whichever shard ran it', () => {
    const missing = findMissingCriticalSpecs({ listed, ran: [ref('a'), ref('c')], merged: true });
    assert.deepEqual(titles(missing), ['b']);
    assert.match(missing[0]!.why, /ran in no shard/);
  });

  it('tells projects apart, and counts a spec repeated (--repeat-each) once', () => {
    const missing = findMissingCriticalSpecs({ listed: [ref('a'), ref('a', ['@critical'], 'production'), ref('a', ['@critical'], 'production')], ran: [ref('a')] });
    assert.deepEqual(missing.map((spec) => spec.project), ['production']);
  });
});

describe('missingShards', () => {
  it('names the shards a merge lacks', () => {
    assert.deepEqual(missingShards([{ current: 2, total: 3 }]), ['1/3', '3/3']);
    assert.deepEqual(missingShards([{ current: 1, total: 2 }, { current: 2, total: 2 }]), []);
    assert.deepEqual(missingShards([null]), []);
  });
});
