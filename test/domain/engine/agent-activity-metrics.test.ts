/**
 * Agent-activity-driven metrics over one agent's morning, computed by hand.
 *
 * 10:00:00.000  LOGIN, Available
 * 10:05:00.000  X (INBOUND, BasicQueue) CONNECTING      ← offered (routed)
 * 10:05:10.000  X CONNECTED                             ← answered; connecting time 10 s
 * 10:08:00.000  X CONNECTED_ONHOLD
 * 10:09:00.000  X CONNECTED
 * 10:12:00.000  X ENDED (ACW starts)
 * 10:13:30.500  X gone from the snapshot                ← ACW ends: 90.5 s
 * 10:20:00.000  status Break (custom)
 * 10:25:00.000  status Available
 * 10:27:00.000  Y (INBOUND) CONNECTING                  ← offered
 * 10:27:20.000  Y MISSED                                ← missed; connecting time 20 s; error status starts
 * 10:27:25.000  Y cleared from the snapshot
 * 10:40:00.000  LOGOUT
 *
 * Bucket 10:00–10:15: idle 10:00–10:05 (300) + 10:13:30.5–10:15 (89.5) = 389.5 s;
 *   on contact 10:05:10–10:13:30.5 = 500.5 s; ringing 10 s (neither); online 900 s.
 * Bucket 10:15–10:30: idle 10:15–10:20 (300) + 10:25–10:27 (120) + missed 10:27:20–10:27:25 (5, error counts as idle)
 *   + 10:27:25–10:30 (155) = 580 s; NPT 300 s; error 5 s; ringing 20 s; online 900 s.
 * Bucket 10:30–10:45: idle 10:30–10:40 = 600 s; online 600 s; nothing after the LOGOUT.
 */
import { describe, expect, it } from 'vitest';
import { contact, ctr, ms, snapshot, timeline } from '../../support/builders.js';
import { engineOf, rows, value } from '../../support/metrics.js';

const X = { id: 'X', method: 'INBOUND', queue: 'BasicQueue' };
const Y = { id: 'Y', method: 'INBOUND', queue: 'BasicQueue' };
const events = timeline('alice', [
  ['LOGIN', '2026-03-10T10:00:00.000Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T10:05:00.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTING', since: '2026-03-10T10:05:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:05:10.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTED', since: '2026-03-10T10:05:10.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:08:00.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTED_ONHOLD', since: '2026-03-10T10:08:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:09:00.000Z', snapshot('Available', [contact({ ...X, state: 'CONNECTED', since: '2026-03-10T10:09:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:12:00.000Z', snapshot('Available', [contact({ ...X, state: 'ENDED', since: '2026-03-10T10:12:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:13:30.500Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T10:20:00.000Z', snapshot('Break')],
  ['STATE_CHANGE', '2026-03-10T10:25:00.000Z', snapshot('Available')],
  ['STATE_CHANGE', '2026-03-10T10:27:00.000Z', snapshot('Available', [contact({ ...Y, state: 'CONNECTING', since: '2026-03-10T10:27:00.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:27:20.000Z', snapshot('Available', [contact({ ...Y, state: 'MISSED', since: '2026-03-10T10:27:20.000Z' })])],
  ['STATE_CHANGE', '2026-03-10T10:27:25.000Z', snapshot('Available')],
  ['LOGOUT', '2026-03-10T10:40:00.000Z', snapshot('Offline')],
]);

const engine = engineOf([], events);
const quarter = (start: string) => {
  const end = new Date(ms(start) + 15 * 60 * 1000).toISOString();
  const [r] = rows(engine, { start, end, groupBy: ['agent'] });
  return (id: string) => value(r, id);
};
const q1 = quarter('2026-03-10T10:00:00.000Z');
const q2 = quarter('2026-03-10T10:15:00.000Z');
const q3 = quarter('2026-03-10T10:30:00.000Z');

describe('agent-level status time, split by wall clock', () => {
  it('Online time: 900, 900 and 600 s (custom status counts as online)', () => {
    expect([q1('online_time'), q2('online_time'), q3('online_time')]).toEqual([900, 900, 600]);
  });
  it('Agent idle time: 389.5, 580 and 600 s (a missed contact still counts as idle)', () => {
    expect([q1('agent_idle_time'), q2('agent_idle_time'), q3('agent_idle_time')]).toEqual([389.5, 580, 600]);
  });
  it('Agent on contact time: 500.5 s, talk + hold + ACW, ringing excluded', () => {
    expect([q1('agent_on_contact_time'), q2('agent_on_contact_time')]).toEqual([500.5, 0]);
  });
  it('Non-Productive Time: the 5-minute break, 300 s', () => {
    expect([q1('non_productive_time'), q2('non_productive_time')]).toEqual([0, 300]);
  });
  it('Error status time: the 5 s the missed contact sat in MISSED', () => {
    expect([q1('error_status_time'), q2('error_status_time')]).toEqual([0, 5]);
  });
  it('Occupancy: 500.5 / (500.5 + 389.5) = 56.2359…%, then 0%', () => {
    expect(q1('occupancy')).toBeCloseTo((500.5 / 890) * 100, 10);
    expect(q2('occupancy')).toBe(0);
  });
});

describe('contact-level activity', () => {
  it('Contacts missed: Y, once, in the 10:15 quarter', () => {
    expect([q1('contacts_missed'), q2('contacts_missed')]).toEqual([0, 1]);
  });
  it('Agent answer rate: X offered and answered (100%), Y offered and missed (0%)', () => {
    expect([q1('agent_answer_rate'), q2('agent_answer_rate')]).toEqual([100, 0]);
  });
  it('Agent incoming connecting time: 10 s for X, 20 s for Y; averages the same', () => {
    expect([q1('agent_incoming_connecting_time'), q2('agent_incoming_connecting_time')]).toEqual([10, 20]);
    expect([q1('avg_agent_incoming_connecting_time'), q2('avg_agent_incoming_connecting_time')]).toEqual([10, 20]);
  });
  it('Avg ACW from agent events: X ended 10:12:00.000, left the snapshot 10:13:30.500 → 90.5 s', () => {
    expect(q1('avg_acw_agent_events')).toBe(90.5);
  });
  it('has no contact activity after the last contact change: a count is 0 in a row that exists (one rule for count columns)', () => {
    expect(q3('contacts_missed')).toBe(0);
  });
});

describe('sessions', () => {
  it('pairs the LOGIN with the LOGOUT', () => {
    expect(engine.sessions()).toEqual([{ agentArn: events[0]?.agentArn, loginMs: ms('2026-03-10T10:00:00.000Z'), logoutMs: ms('2026-03-10T10:40:00.000Z') }]);
  });
  it('leaves a login without a logout open', () => {
    const open = engineOf([], events.slice(0, 5));
    expect(open.sessions()).toEqual([{ agentArn: events[0]?.agentArn, loginMs: ms('2026-03-10T10:00:00.000Z'), logoutMs: null }]);
  });
});

describe('hold disconnect', () => {
  // Contacts hold disconnect is contact-record-driven: the agent events say the contact ended on hold, its record says it was not
  // transferred (see test/conformance/ctr-transfer-on-hold.test.ts for a transfer made on hold).
  it('counts a contact that goes from CONNECTED_ONHOLD to ENDED', () => {
    const Z = { id: 'Z', queue: 'BasicQueue' };
    const evs = timeline('bob', [
      ['LOGIN', '2026-03-10T11:00:00.000Z', snapshot('Available')],
      ['STATE_CHANGE', '2026-03-10T11:01:00.000Z', snapshot('Available', [contact({ ...Z, state: 'CONNECTED', since: '2026-03-10T11:01:00.000Z' })])],
      ['STATE_CHANGE', '2026-03-10T11:02:00.000Z', snapshot('Available', [contact({ ...Z, state: 'CONNECTED_ONHOLD', since: '2026-03-10T11:02:00.000Z' })])],
      ['STATE_CHANGE', '2026-03-10T11:03:00.000Z', snapshot('Available', [contact({ ...Z, state: 'ENDED', since: '2026-03-10T11:03:00.000Z' })])],
    ]);
    const record = ctr({ id: 'Z', queue: { name: 'BasicQueue', enqueue: '2026-03-10T11:00:50Z', waitSec: 10 }, agent: { name: 'bob', connected: '2026-03-10T11:01:00Z', talk: 60, hold: 60 }, disconnect: '2026-03-10T11:03:00Z' });
    const [r] = rows(engineOf([record], evs), { start: '2026-03-10T11:00:00Z', end: '2026-03-10T11:15:00Z', groupBy: ['queue'] });
    expect(value(r, 'contacts_hold_disconnect')).toBe(1);
  });
});

describe('agent-activity interval attribution', () => {
  it('splits on-contact time 05:23–06:15 into 7, 30 and 15 minutes of the half hours', () => {
    const C = { id: 'C', queue: 'BasicQueue' };
    const evs = timeline('carol', [
      ['LOGIN', '2026-03-10T05:00:00.000Z', snapshot('Available')],
      ['STATE_CHANGE', '2026-03-10T05:23:00.000Z', snapshot('Available', [contact({ ...C, state: 'CONNECTED', since: '2026-03-10T05:23:00.000Z' })])],
      ['STATE_CHANGE', '2026-03-10T06:15:00.000Z', snapshot('Available')],
      ['LOGOUT', '2026-03-10T06:30:00.000Z', snapshot('Offline')],
    ]);
    const r = rows(engineOf([], evs), { start: '2026-03-10T05:00:00Z', end: '2026-03-10T06:30:00Z', interval: 'THIRTY_MIN', groupBy: ['agent'] });
    expect(r.map((x) => value(x, 'agent_on_contact_time'))).toEqual([7 * 60, 30 * 60, 15 * 60]);
  });
});

describe('duplicates and order', () => {
  it('ignores a re-delivered event and gives the same result for shuffled arrival', () => {
    const shuffled = [...events].reverse();
    const twice = engineOf([], [...shuffled, ...events]);
    const [a] = rows(twice, { start: '2026-03-10T10:00:00Z', end: '2026-03-10T11:00:00Z', groupBy: ['agent'] });
    const [b] = rows(engine, { start: '2026-03-10T10:00:00Z', end: '2026-03-10T11:00:00Z', groupBy: ['agent'] });
    expect(twice.stats.agentEventsDuplicate).toBe(events.length);
    expect(a?.primitives).toEqual(b?.primitives);
  });
});

describe('connecting time by initiation method', () => {
  // One contact of each method rings (CONNECTING) for a different, hand-picked time, then connects:
  // OUTBOUND 4 s, API 9 s; CALLBACK 12 s: 5 s offered (INCOMING, Amazon Connect has reserved the agent) + 7 s dialing
  // (historical-metrics-definitions, "Agent callback connecting time": from "Amazon Connect reserving the agent").
  const ring = (id: string, method: string, from: string, to: string, incomingAt?: string) =>
    [
      ...(incomingAt ? ([['STATE_CHANGE', incomingAt, snapshot('Available', [contact({ id, method, state: 'INCOMING', since: incomingAt })])]] as const) : []),
      ['STATE_CHANGE', from, snapshot('Available', [contact({ id, method, state: 'CONNECTING', since: from })])],
      ['STATE_CHANGE', to, snapshot('Available', [contact({ id, method, state: 'CONNECTED', since: to })])],
      ['STATE_CHANGE', new Date(ms(to) + 60_000).toISOString(), snapshot('Available')],
    ] as Array<[string, string, ReturnType<typeof snapshot>]>;
  const evs = timeline('erin', [
    ['LOGIN', '2026-03-10T12:00:00.000Z', snapshot('Available')],
    ...ring('O', 'OUTBOUND', '2026-03-10T12:01:00.000Z', '2026-03-10T12:01:04.000Z'),
    ...ring('C', 'CALLBACK', '2026-03-10T12:03:05.000Z', '2026-03-10T12:03:12.000Z', '2026-03-10T12:03:00.000Z'),
    ...ring('A', 'API', '2026-03-10T12:05:00.000Z', '2026-03-10T12:05:09.000Z'),
  ]);
  const [r] = rows(engineOf([], evs), { start: '2026-03-10T12:00:00Z', end: '2026-03-10T12:15:00Z', groupBy: ['agent'] });
  it.each([
    ['agent_outbound_connecting_time', 4],
    ['avg_agent_outbound_connecting_time', 4],
    ['agent_callback_connecting_time', 12],
    ['avg_agent_callback_connecting_time', 12],
    ['agent_api_connecting_time', 9],
    ['avg_agent_api_connecting_time', 9],
    ['agent_incoming_connecting_time', 0],
  ] as const)('%s = %f s', (id, expected) => {
    expect(value(r, id)).toBe(expected);
  });
  it('Average agent incoming connecting time has no data without inbound offers (a dash)', () => {
    expect(value(r, 'avg_agent_incoming_connecting_time')).toBeNull();
  });
  it('Agent answer rate: two routed offers (callback, API) resolved, both answered = 100%; the outbound dial is not routed', () => {
    expect(value(r, 'agent_answer_rate')).toBe(100);
  });
});
