/**
 * Real-time windows (trailing hours, midnight to now in a zone) and queue /
 * routing-profile performance over them: the registry's primitives summed
 * over the contacts disconnecting in [start, now), to the millisecond.
 */
import { describe, expect, it } from 'vitest';
import { InvalidWindowError, parseWindow, windowRange } from '../../lambdas/domain/realtime/windows.js';
import { metricValues, PERFORMANCE_METRICS, queueOf, routingProfileOf, sumAll, sumByGroup } from '../../lambdas/domain/realtime/performance.js';
import type { WindowContact } from '../../lambdas/domain/realtime/performance.js';
import { dims, facts, ms } from './fixtures.js';

describe('parseWindow and windowRange', () => {
  it('accepts the trailing windows Connect offers, .5 included', () => {
    expect(['0.5', '.5', '1', '2', '4', '8', '12', '24'].map((v) => parseWindow(v))).toEqual([0.5, 0.5, 1, 2, 4, 8, 12, 24].map((hours) => ({ kind: 'trailing', hours })));
  });

  it('rejects other windows', () => {
    expect(() => parseWindow('3')).toThrow(InvalidWindowError);
  });

  it('makes a trailing window end at the instant, exactly', () => {
    const now = ms('2026-03-10T15:37:23.456Z');
    expect(windowRange(parseWindow('0.5'), now)).toEqual({ startMs: now - 1_800_000, endMs: now });
  });

  it('starts "midnight to now" at local midnight of the zone', () => {
    expect(windowRange(parseWindow('midnight', 'America/Chicago'), ms('2026-03-10T15:37:23Z')).startMs).toBe(ms('2026-03-10T05:00:00Z'));
  });

  it('starts "midnight to now" at the right offset on a spring-forward day', () => {
    expect(windowRange(parseWindow('midnight', 'America/Chicago'), ms('2026-03-08T20:00:00Z')).startMs).toBe(ms('2026-03-08T06:00:00Z'));
  });
});

const c = (id: string, at: string, queue: string | null, profile: string | null, f = facts()): WindowContact => ({ contactId: id, dims: dims({ queue, routingProfile: profile }), facts: f, disconnectMs: ms(at) });

describe('performance over a window', () => {
  const contacts = [
    c('1', '2026-03-10T10:00:00Z', 'Q1', 'RP1', facts({ q: 20, ai: 60, acw: 30 })),
    c('2', '2026-03-10T10:05:00Z', 'Q1', null, facts({ h: false, q: 90, o: 'ABANDONED', ai: 0, acw: 0 })),
    c('3', '2026-03-10T10:06:00Z', 'Q2', 'RP1', facts({ q: 5, ai: 120, acw: 0 })),
  ];
  const value = (p: ReturnType<typeof sumAll>, id: string) => metricValues(PERFORMANCE_METRICS, p)[id];

  it('groups by the contact record queue', () => {
    const q1 = sumByGroup(contacts, queueOf).get('Q1') ?? {};
    expect([value(q1, 'contacts_queued'), value(q1, 'contacts_handled'), value(q1, 'contacts_abandoned'), value(q1, 'service_level_60')]).toEqual([2, 1, 1, 50]);
  });

  it('computes AHT as the registry does: talk + hold + ACW over handled', () => {
    expect(value(sumByGroup(contacts, queueOf).get('Q1') ?? {}, 'avg_handle_time')).toBe(90);
  });

  it('groups by the handling agent routing profile, leaving out contacts no agent took', () => {
    expect(value(sumByGroup(contacts, routingProfileOf).get('RP1') ?? {}, 'contacts_handled')).toBe(2);
  });

  it('sums every contact once in the summary row, keeping the largest queue time', () => {
    const all = sumAll(contacts, queueOf);
    expect([value(all, 'contacts_queued'), value(all, 'max_queued_time')]).toEqual([3, 90]);
  });

  it('shows a dash (null) for a queue with no contact in the window', () => {
    expect(value({}, 'contacts_queued')).toBeNull();
  });
});
