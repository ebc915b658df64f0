import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutPages, parsePages, sameJson } from '../../lambdas/storage/dynamodb/agent-pages.js';
import type { BucketContent, PointJson } from '../../lambdas/storage/dynamodb/agent-pages.js';
import { itemSize } from '../../lambdas/storage/dynamodb/capacity.js';
import { bucketOf, bucketStartMs } from '../../lambdas/domain/time/intervals.js';

const AGENT = 'arn:aws:connect:us-east-1:123456789012:instance/0f0a6b80-6cc8-4f5a-98a4-7f0b55ea7e01/agent/a1';
const B = bucketOf(Date.parse('2026-03-10T14:00:00Z'));
const point = (minute: number, id: string, s?: number): PointJson => ({
  i: id,
  m: bucketStartMs(B) + minute * 60_000 + 1_000,
  t: 'STATE_CHANGE',
  y: 'ROUTABLE',
  n: 'Available',
  d: 'hash-1',
  c: [['contact-1', 'CONNECTED', 'INBOUND', null, undefined]],
  ...(s === undefined ? {} : { s: [['hash-1', { online_time: s, agent_idle_time: s }]] }),
});

describe('sameJson', () => {
  it('agrees with comparing JSON.stringify of both, up to the order of object keys', () => {
    const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)])) : v);
    const canonical = (v: unknown) => JSON.stringify(sorted(JSON.parse(JSON.stringify(v) ?? 'null')));
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.constantFrom(null, undefined, 0, 1, -0, 1.5, 'a', 'b', true), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('x', 'y', 'z'), tie('v'), { maxKeys: 3 })),
    })).v;
    fc.assert(
      fc.property(value, value, (a, b) => {
        if (a === undefined || b === undefined) return;
        expect(sameJson(a, b)).toBe(canonical(a) === canonical(b));
        expect(sameJson(a, JSON.parse(JSON.stringify(a)))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('layoutPages', () => {
  const content = (ev: PointJson[]): BucketContent => ({ ev, st: {}, sp: {}, cp: null });
  const stored = (c: BucketContent) => {
    const { writes } = layoutPages(AGENT, B, c, undefined);
    return parsePages(writes.map((w) => ({ ...w.item, rv: 7 }))).get(B);
  };

  it('writes only the pages whose content changed, and counts the bytes of all of them', () => {
    const before = content([point(0, 'e1', 60), point(4, 'e2', 30)]);
    const existing = stored(before);
    expect(existing?.pages.size).toBe(2);
    expect(layoutPages(AGENT, B, before, undefined, existing).writes).toEqual([]);
    // A new point in minute 9 and a changed status share for e2: pages 5 and 10 change, page 1 does not.
    const after = content([point(0, 'e1', 60), point(4, 'e2', 45), point(9, 'e3', 15)]);
    const { writes, bytes } = layoutPages(AGENT, B, after, undefined, existing);
    expect(writes.map((w) => w.g)).toEqual([5, 10]);
    expect(writes[0]?.old).toBe(existing?.pages.get(5));
    expect(writes[1]?.old).toBeUndefined();
    // All three pages count: the unchanged one as stored, the others as they will be.
    expect(bytes).toBe(itemSize(existing?.pages.get(1)) + itemSize(writes[0]?.item) + itemSize(writes[1]?.item));
    // A changed page is laid out exactly as a layout from scratch lays it out.
    const whole = layoutPages(AGENT, B, after, undefined).writes;
    expect(whole.map((w) => w.item.j)).toEqual([existing?.pages.get(1)?.j, writes[0]?.item.j, writes[1]?.item.j]);
  });

  it('empties a page whose points are gone, and leaves a stored page alone when only key order differs', () => {
    const existing = stored(content([point(0, 'e1', 60), point(4, 'e2', 30)]));
    const { writes } = layoutPages(AGENT, B, content([point(0, 'e1', 60)]), undefined, existing);
    expect(writes.map((w) => [w.g, w.item.j])).toEqual([[5, '{}']]);
    const reordered = point(4, 'e2', 30);
    const { s, ...rest } = reordered;
    expect(layoutPages(AGENT, B, content([point(0, 'e1', 60), { s, ...rest }]), undefined, existing).writes).toEqual([]);
  });
});
