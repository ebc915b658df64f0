/**
 * What other records say about a contact: its next contact's InitiationMethod
 * (callback or transfer) and, from the agent events, whether it ended on hold.
 * The engine joins them whatever the arrival order; a store that saw the
 * contact first restates its facts with `withJoin`.
 */
import { describe, expect, it } from 'vitest';
import { contactFacts, contactsEndedOnHold, factsPrimitives, leftByTransfer, withJoin } from '../../../lambdas/domain/engine/ctr-contribution.js';
import { MetricEngine, sumCells } from '../../../lambdas/domain/engine/metric-engine.js';
import type { Ctr } from '../../../lambdas/domain/model/types.js';
import { contact, ctr, snapshot, timeline } from '../../support/builders.js';

const original = ctr({ id: 'O', queue: { name: 'Sales', enqueue: '2026-03-10T10:00:00Z', waitSec: 30 }, next: 'N', reason: 'CONTACT_FLOW_DISCONNECT', disconnect: '2026-03-10T10:00:30Z' });
const next = (method: string): Ctr => ({ ...ctr({ id: 'N', method, queue: { name: 'Sales', enqueue: '2026-03-10T10:02:00Z', waitSec: 10 }, disconnect: '2026-03-10T10:03:00Z' }), previousContactId: 'O' });

function totals(records: Ctr[]) {
  const engine = new MetricEngine();
  for (const r of records) engine.addCtr(r);
  return sumCells(engine.cells().values());
}

describe('a callback is not a transfer', () => {
  it('counts the original as a queue transfer while its next contact is unknown', () => {
    const p = totals([original]);
    expect([p.contacts_transferred_out, p.contacts_transferred_out_from_queue, p.removed_in_60]).toEqual([1, 1, undefined]);
  });

  it('counts it as a callback (removed from the queue, not transferred) once the CALLBACK record is known, in either order', () => {
    for (const order of [[original, next('CALLBACK')], [next('CALLBACK'), original]]) {
      const p = totals(order);
      expect([p.contacts_transferred_out, p.contacts_transferred_out_from_queue, p.removed_in_30, p.callback_contacts]).toEqual([undefined, undefined, 2, 1]);
    }
  });

  it('also finds the next contact by its PreviousContactId', () => {
    const p = totals([{ ...original, nextContactId: 'not-loaded' }, next('CALLBACK')]);
    expect([p.contacts_transferred_out, p.removed_in_30]).toEqual([undefined, 2]);
  });

  it('keeps a QUEUE_TRANSFER a transfer, not removed from the queue', () => {
    const p = totals([original, next('QUEUE_TRANSFER')]);
    expect([p.contacts_transferred_out, p.contacts_transferred_out_from_queue, p.removed_in_600]).toEqual([1, 1, 1]);
  });

  it('restates stored facts exactly as if the next contact had been known', () => {
    const stored = contactFacts(original);
    expect(factsPrimitives(withJoin(stored, { successorMethod: 'CALLBACK' }))).toEqual(factsPrimitives(contactFacts(original, { successorMethod: 'CALLBACK' })));
    expect(withJoin(stored, { successorMethod: null })).toBe(stored);
    expect([leftByTransfer(null), leftByTransfer(undefined), leftByTransfer('TRANSFER'), leftByTransfer('QUEUE_TRANSFER'), leftByTransfer('CALLBACK'), leftByTransfer('DISCONNECT')]).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('hold disconnects from the agent events', () => {
  const Z = { id: 'Z', queue: 'Sales' };
  const events = timeline('bob', [
    ['LOGIN', '2026-03-10T11:00:00.000Z', snapshot('Available')],
    ['STATE_CHANGE', '2026-03-10T11:01:00.000Z', snapshot('Available', [contact({ ...Z, state: 'CONNECTED', since: '2026-03-10T11:01:00.000Z' })])],
    ['STATE_CHANGE', '2026-03-10T11:02:00.000Z', snapshot('Available', [contact({ ...Z, state: 'CONNECTED_ONHOLD', since: '2026-03-10T11:02:00.000Z' })])],
    ['STATE_CHANGE', '2026-03-10T11:03:00.000Z', snapshot('Available', [contact({ ...Z, state: 'ENDED', since: '2026-03-10T11:03:00.000Z' })])],
  ]);
  const record = ctr({ id: 'Z', queue: { name: 'Sales', enqueue: '2026-03-10T11:00:50Z', waitSec: 10 }, agent: { name: 'bob', connected: '2026-03-10T11:01:00Z', talk: 60, hold: 60 }, disconnect: '2026-03-10T11:03:00Z' });

  it('names the contacts an event ends on hold', () => {
    expect(events.map(contactsEndedOnHold)).toEqual([[], [], [], ['Z']]);
  });

  it('counts the record of a contact that ended on hold, not one transferred on hold', () => {
    const count = (r: Ctr) => {
      const engine = new MetricEngine();
      engine.addCtr(r);
      for (const e of events) engine.addAgentEvent(e);
      return sumCells(engine.cells().values()).contacts_hold_disconnected;
    };
    expect(count(record)).toBe(1);
    expect(count({ ...record, nextContactId: 'T' })).toBeUndefined();
    expect(count({ ...record, transferredToEndpoint: '+14155550123' })).toBeUndefined();
  });
});
