/**
 * One test per contact-record-driven metric, over nine hand-made contacts that
 * all disconnect between 10:00 and 10:15 UTC. Expected values are worked out in
 * the comments from the table below.
 *
 * id  method          queue wait  outcome                 agent: talk hold(holds) acw  reason / transfer
 * C1  INBOUND         12 s        answered                100  20 (1)  30           CUSTOMER_DISCONNECT
 * C2  INBOUND         45 s        abandoned               -                         CUSTOMER_DISCONNECT
 * C3  INBOUND         70 s        moved to callback       -                         CONTACT_FLOW_DISCONNECT, NextContactId C4 (the callback)
 * C4  CALLBACK        20 s        answered                60   0       10           AGENT_DISCONNECT
 * C5  OUTBOUND        (none)      -                       200  30 (2)  15           AGENT_DISCONNECT
 * C6  TRANSFER        250 s       answered                40   0       0            OTHER, TransferredToEndpoint (external)
 * C7  API             601 s       telecom problem         -                         TELECOM_PROBLEM
 * C8  QUEUE_TRANSFER  5 s         abandoned (no reason)   -                         null (older record)
 * C9  INBOUND         30 s        answered                50   10 (1)  5            OTHER, NextContactId (internal)
 */
import { describe, expect, it } from 'vitest';
import { SL_THRESHOLDS } from '../../../lambdas/domain/metrics/primitives.js';
import { ctr } from '../../support/builders.js';
import { engineOf, rows, value } from '../../support/metrics.js';

const contacts = [
  ctr({ id: 'C1', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:00:00Z', waitSec: 12 }, agent: { name: 'alice', connected: '2026-03-10T10:00:12Z', talk: 100, hold: 20, acw: 30 }, disconnect: '2026-03-10T10:02:12Z' }),
  ctr({ id: 'C2', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:01:00Z', waitSec: 45 }, disconnect: '2026-03-10T10:01:45Z' }),
  ctr({ id: 'C3', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:02:00Z', waitSec: 70 }, next: 'C4', reason: 'CONTACT_FLOW_DISCONNECT', disconnect: '2026-03-10T10:03:10Z' }),
  ctr({ id: 'C4', method: 'CALLBACK', queue: { name: 'CallbackQueue', enqueue: '2026-03-10T10:05:00Z', waitSec: 20 }, agent: { name: 'alice', connected: '2026-03-10T10:05:20Z', talk: 60, acw: 10 }, reason: 'AGENT_DISCONNECT', disconnect: '2026-03-10T10:06:20Z' }),
  ctr({ id: 'C5', method: 'OUTBOUND', queue: { name: 'OutboundQueue' }, agent: { name: 'bob', connected: '2026-03-10T10:06:00Z', talk: 200, hold: 30, holds: 2, acw: 15 }, reason: 'AGENT_DISCONNECT', disconnect: '2026-03-10T10:10:00Z' }),
  ctr({ id: 'C6', method: 'TRANSFER', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:03:00Z', waitSec: 250 }, agent: { name: 'bob', connected: '2026-03-10T10:07:10Z', talk: 40 }, reason: 'OTHER', transferredTo: '+14155550123', disconnect: '2026-03-10T10:08:00Z' }),
  ctr({ id: 'C7', method: 'API', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:01:59Z', waitSec: 601 }, reason: 'TELECOM_PROBLEM', disconnect: '2026-03-10T10:12:00Z' }),
  ctr({ id: 'C8', method: 'QUEUE_TRANSFER', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:09:00Z', waitSec: 5 }, reason: null, disconnect: '2026-03-10T10:09:05Z' }),
  ctr({ id: 'C9', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:11:00Z', waitSec: 30 }, agent: { name: 'alice', connected: '2026-03-10T10:11:30Z', talk: 50, hold: 10, acw: 5 }, reason: 'OTHER', next: 'C9-transfer', disconnect: '2026-03-10T10:12:30Z' }),
];

const [row] = rows(engineOf(contacts), { start: '2026-03-10T10:00:00Z', end: '2026-03-10T10:15:00Z' });
const m = (id: string) => value(row, id);

describe('contact-record-driven metrics over the nine contacts', () => {
  it('Contacts queued: every contact with an EnqueueTimestamp (all but the outbound C5) = 8', () => {
    expect(m('contacts_queued')).toBe(8);
  });
  it('Contacts handled: connected to an agent, C1 C4 C5 C6 C9 = 5', () => {
    expect(m('contacts_handled')).toBe(5);
  });
  it('Contacts handled incoming: handled INBOUND/TRANSFER/QUEUE_TRANSFER, C1 C6 C9 = 3', () => {
    expect(m('contacts_handled_incoming')).toBe(3);
  });
  it('Contacts handled outbound: C5 = 1', () => {
    expect(m('contacts_handled_outbound')).toBe(1);
  });
  it('Callback contacts handled: C4 = 1', () => {
    expect(m('callback_contacts_handled')).toBe(1);
  });
  it('API contacts handled: the API contact C7 was not handled = 0', () => {
    expect(m('api_contacts_handled')).toBe(0);
  });
  it('Contacts incoming: C1 C2 C3 (INBOUND), C6 (TRANSFER), C8 (QUEUE_TRANSFER), C9 = 6', () => {
    expect(m('contacts_incoming')).toBe(6);
  });
  it('Callback contacts: C4 = 1; API contacts: C7 = 1', () => {
    expect(m('callback_contacts')).toBe(1);
    expect(m('api_contacts')).toBe(1);
  });
  it('Contacts abandoned: C2 (customer) and C8 (no reason); not C3 (callback) nor C7 (telecom) = 2', () => {
    expect(m('contacts_abandoned')).toBe(2);
  });
  it('Abandonment rate: 2 abandoned / 8 queued = 25%', () => {
    expect(m('abandonment_rate')).toBe(25);
  });
  it('Average queue abandon time: (45 + 5) / 2 = 25 s', () => {
    expect(m('avg_queue_abandon_time')).toBe(25);
  });
  it('Average queue answer time: answered from queue C1 12, C4 20, C6 250, C9 30 → 312 / 4 = 78 s', () => {
    expect(m('avg_queue_answer_time')).toBe(78);
  });
  it('Maximum queued time: C7 waited 601 s, abandoned or not', () => {
    expect(m('max_queued_time')).toBe(601);
  });

  // Removed from queue within X (answered, abandoned or moved to callback), sorted by wait:
  // C8 5, C1 12, C4 20, C9 30, C2 45, C3 70, C6 250; C7 (601 s, telecom) never counts. Queued = 8.
  const slExpected: Record<number, number> = {
    15: 25, // C8 C1 → 2/8
    20: 37.5, // + C4 (exactly 20 s: X is inclusive) → 3/8
    25: 37.5,
    30: 50, // + C9 (exactly 30 s) → 4/8
    45: 62.5, // + C2 (exactly 45 s) → 5/8
    60: 62.5,
    90: 75, // + C3 → 6/8
    120: 75,
    180: 75,
    240: 75,
    300: 87.5, // + C6 → 7/8
    600: 87.5,
  };
  it.each(SL_THRESHOLDS.map((x) => [x, slExpected[x]]))('Service level %i seconds = %f %%', (x, expected) => {
    expect(m(`service_level_${x}`)).toBe(expected);
  });

  // Answered within X: C1 12, C4 20, C9 30, C6 250.
  const answeredExpected: Record<number, number> = { 15: 1, 20: 2, 25: 2, 30: 3, 45: 3, 60: 3, 90: 3, 120: 3, 180: 3, 240: 3, 300: 4, 600: 4 };
  it.each(SL_THRESHOLDS.map((x) => [x, answeredExpected[x]]))('Contacts answered in %i seconds = %i', (x, expected) => {
    expect(m(`contacts_answered_in_${x}`)).toBe(expected);
  });

  // Abandoned within X: C8 5, C2 45.
  const abandonedExpected: Record<number, number> = { 15: 1, 20: 1, 25: 1, 30: 1, 45: 2, 60: 2, 90: 2, 120: 2, 180: 2, 240: 2, 300: 2, 600: 2 };
  it.each(SL_THRESHOLDS.map((x) => [x, abandonedExpected[x]]))('Contacts abandoned in %i seconds = %i', (x, expected) => {
    expect(m(`contacts_abandoned_in_${x}`)).toBe(expected);
  });

  it('After contact work time: 30 + 10 + 15 + 0 + 5 = 60 s', () => {
    expect(m('after_contact_work_time')).toBe(60);
  });
  it('Average after contact work time: 60 / 5 handled = 12 s', () => {
    expect(m('avg_after_contact_work_time')).toBe(12);
  });
  it('Agent interaction time: 100 + 60 + 200 + 40 + 50 = 450 s', () => {
    expect(m('agent_interaction_time')).toBe(450);
  });
  it('Average agent interaction time: 450 / 5 = 90 s', () => {
    expect(m('avg_agent_interaction_time')).toBe(90);
  });
  it('Customer hold time: 20 + 30 + 10 = 60 s', () => {
    expect(m('customer_hold_time')).toBe(60);
  });
  it('Contacts put on hold: C1, C5, C9 = 3', () => {
    expect(m('contacts_put_on_hold')).toBe(3);
  });
  it('Average customer hold time: only contacts that went on hold, 60 / 3 = 20 s', () => {
    expect(m('avg_customer_hold_time')).toBe(20);
  });
  it('Agent interaction and hold time: 450 + 60 = 510 s', () => {
    expect(m('agent_interaction_and_hold_time')).toBe(510);
  });
  it('Average agent interaction and customer hold time: 510 / 5 = 102 s', () => {
    expect(m('avg_agent_interaction_and_customer_hold_time')).toBe(102);
  });
  it('Contact handle time: 450 + 60 + 60 = 570 s', () => {
    expect(m('contact_handle_time')).toBe(570);
  });
  it('Average handle time: 570 / 5 = 114 s', () => {
    expect(m('avg_handle_time')).toBe(114);
  });
  it('Average outbound agent interaction time: C5 only, 200 s; its ACW 15 s', () => {
    expect(m('avg_outbound_agent_interaction_time')).toBe(200);
    expect(m('avg_outbound_after_contact_work_time')).toBe(15);
  });
  it('Contacts agent hung up first: handled with AGENT_DISCONNECT, C4 C5 = 2', () => {
    expect(m('contacts_agent_hung_up_first')).toBe(2);
  });
  it('Contacts transferred in: C6 (TRANSFER, by agent) + C8 (QUEUE_TRANSFER, from queue) = 2', () => {
    expect(m('contacts_transferred_in')).toBe(2);
    expect(m('contacts_transferred_in_by_agent')).toBe(1);
    expect(m('contacts_transferred_in_from_queue')).toBe(1);
  });
  it('Contacts transferred out: by agent C6 (external) + C9 (internal, next contact unknown: a transfer until shown otherwise); C3 moved to a callback (its next contact C4 is CALLBACK) is not a transfer = 2', () => {
    expect(m('contacts_transferred_out')).toBe(2);
    expect(m('contacts_transferred_out_by_agent')).toBe(2);
    expect(m('contacts_transferred_out_internal')).toBe(1);
    expect(m('contacts_transferred_out_external')).toBe(1);
    expect(m('contacts_transferred_out_from_queue')).toBe(0);
  });
});

describe('contact-record-driven metrics: no data', () => {
  it('shows a dash (null) for averages with nothing to average and for every metric of an empty row', () => {
    // Only the outbound contact: nothing queued, nothing abandoned.
    const [only] = rows(engineOf([contacts[4] as (typeof contacts)[number]]), { start: '2026-03-10T10:00:00Z', end: '2026-03-10T10:15:00Z' });
    expect(value(only, 'contacts_queued')).toBe(0);
    expect(value(only, 'service_level_60')).toBeNull();
    expect(value(only, 'avg_queue_abandon_time')).toBeNull();
    expect(value(only, 'max_queued_time')).toBeNull();
    // Agent-activity metrics have no data in a row made of contact records only.
    expect(value(only, 'online_time')).toBeNull();
  });
});

describe('contact-record-driven interval attribution', () => {
  it('counts a contact handled 05:23–06:15 wholly in the 06:00–06:30 interval of its disconnect', () => {
    const c = ctr({ id: 'L', queue: { name: 'BasicQueue', enqueue: '2026-03-10T05:23:00Z', waitSec: 0 }, agent: { name: 'alice', connected: '2026-03-10T05:23:00Z', talk: 52 * 60 }, disconnect: '2026-03-10T06:15:00Z' });
    const r = rows(engineOf([c]), { start: '2026-03-10T05:00:00Z', end: '2026-03-10T07:00:00Z', interval: 'THIRTY_MIN' });
    expect(r.map((x) => new Date(x.intervalStartMs).toISOString())).toEqual(['2026-03-10T06:00:00.000Z']);
    expect(value(r[0], 'agent_interaction_time')).toBe(52 * 60);
  });
});

describe('contact record updates', () => {
  it('keeps the version with the later LastUpdateTimestamp, whatever the arrival order', () => {
    const early = ctr({ id: 'U', queue: { name: 'BasicQueue', enqueue: '2026-03-10T10:00:00Z', waitSec: 5 }, agent: { name: 'alice', connected: '2026-03-10T10:00:05Z', talk: 60, acw: 0 }, disconnect: '2026-03-10T10:01:05Z', updated: '2026-03-10T10:01:05Z' });
    const final = { ...early, lastUpdateMs: Date.parse('2026-03-10T10:03:00Z'), agent: early.agent && { ...early.agent, afterContactWorkDurationSec: 40 } };
    for (const order of [[early, final], [final, early]]) {
      const e = engineOf(order);
      const [r] = rows(e, { start: '2026-03-10T10:00:00Z', end: '2026-03-10T10:15:00Z' });
      // Only the final version counts: one contact, ACW 40 s.
      expect(value(r, 'contacts_handled')).toBe(1);
      expect(value(r, 'after_contact_work_time')).toBe(40);
    }
  });
});
