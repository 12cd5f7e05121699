/** What each NFS client compares: the change attribute (with or without the ctime mixed in), or the times. */
import { describe, expect, it } from 'vitest';
import { mixedChangeAttr, sameAttrFor } from '../../src/model/client.js';

const a = { iversion: 5, mtime: 1_000_000, ctime: 1_000_000 };

describe('clients', () => {
  it('nfsv4 with i_version sees a change in the counter or in the ctime', () => {
    const same = sameAttrFor('nfsv4', true);
    expect(same(a, { ...a })).toBe(true);
    expect(same(a, { ...a, iversion: 6 })).toBe(false);
    expect(same(a, { ...a, ctime: 1_000_001 })).toBe(false);
    // mtime alone is not in the change attribute.
    expect(same(a, { ...a, mtime: 7 })).toBe(true);
  });

  it('without the ctime mixed in, the counter alone decides: a reused value looks unchanged', () => {
    const same = sameAttrFor('nfsv4', true, false);
    expect(same(a, { ...a, ctime: 9_000_000 })).toBe(true);
    expect(same(a, { ...a, iversion: 6 })).toBe(false);
  });

  it('nfsv4 without i_version uses the ctime; nfsv3 compares mtime and ctime, never i_version', () => {
    expect(sameAttrFor('nfsv4', false)(a, { ...a, iversion: 6 })).toBe(true);
    expect(sameAttrFor('nfsv4', false)(a, { ...a, ctime: 2 })).toBe(false);
    const v3 = sameAttrFor('nfsv3', true);
    expect(v3(a, { ...a, iversion: 6 })).toBe(true);
    expect(v3(a, { ...a, mtime: 2 })).toBe(false);
  });

  it('mixes as nfsd does: ctime seconds shifted by 30 bits, plus nanoseconds, plus i_version', () => {
    expect(mixedChangeAttr({ iversion: 3, mtime: 0, ctime: 2_000_001 })).toBe(2 * 2 ** 30 + 1000 + 3);
  });
});
