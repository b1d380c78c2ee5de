import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LISTING_MARKER } from '../../harness/reporter/critical-spec-lister.ts';
import { parseListing } from '../../harness/reporter/spec-listing.ts';

describe('parseListing: the listing process\'s output, whatever it is', () => {
  it('reads the listing line', () => {
    const spec = { title: 'a', file: 'tests/a.spec.ts', line: 1, project: 'local', tags: ['@critical'] };
    assert.deepEqual(parseListing(`noise\n${LISTING_MARKER}${JSON.stringify({ specs: [spec], errors: [] })}\n`, 0), { ok: true, specs: [spec] });
  });

  it('says what it could not read instead of throwing', () => {
    const result = parseListing(`noise\n${LISTING_MARKER}{"specs": [trunc\n`, 0);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.problem : '', /listing the specs \(playwright test --list\) printed a line it could not read/);
  });

  it('a line of the wrong shape is a problem too', () => {
    const result = parseListing(`${LISTING_MARKER}{"specs": 3}\n`, 0);
    assert.equal(result.ok, false);
  });
});
