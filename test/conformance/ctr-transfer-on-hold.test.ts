/**
 * Transfer while the customer is on hold, and a customer hanging up on hold.
 * th-1: jdoe puts the customer on hold at 17:02:10 and transfers the call to
 * Support with a quick connect at 17:02:40 while the customer is on hold
 * (NextContactId th-2, TRANSFER); jdoe's agent events show th-1 going from
 * CONNECTED_ONHOLD to ENDED. th-3: the customer hangs up while on hold.
 */
import { describe, expect, it } from 'vitest';
import { DOCS, rowOf, runScenario } from './support.js';

const report = (groupings: string[]) =>
  runScenario('ctr-transfer-on-hold', {
    groupings,
    metrics: [
      'Contacts hold disconnect',
      'Contacts hold customer disconnect',
      'Contacts hold agent disconnect',
      'Contacts put on hold',
      'Customer hold time',
      'Contacts transferred out',
      'Contacts handled',
    ],
    interval: 'TOTAL',
    timeRange: { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00' },
    timeZone: 'UTC',
  });

describe(`conformance: transfer while the customer is on hold (${DOCS.historicalDefinitions})`, () => {
  it('is a transfer, not a hold disconnect', () => {
    const jdoe = rowOf(report(['AGENT']), { Agent: 'jdoe' });
    // DOCS.historicalDefinitions, "Contacts hold disconnect": "Count of contacts disconnected while the customer was on hold."
    // th-3 was disconnected on hold; th-1 was not disconnected but transferred (th-2 continues the call).
    expect(jdoe['Contacts hold disconnect']).toBe('1');
    // "Contacts hold customer disconnect": "disconnected by the customer while the customer was on hold": th-3 (CUSTOMER_DISCONNECT).
    expect(jdoe['Contacts hold customer disconnect']).toBe('1');
    // "Contacts hold agent disconnect": "disconnected by the agent while the customer was on hold": none — th-1's agent left
    // (AGENT_DISCONNECT) to complete a transfer, which is not a disconnect of the customer.
    expect(jdoe['Contacts hold agent disconnect']).toBe('0');
    // "Contacts transferred out": "transferred out by an agent using the CCP": th-1.
    expect(jdoe['Contacts transferred out']).toBe('1');
    // "Contacts put on hold": "Count of contacts put on hold by an agent one or more times": th-1 and th-3.
    expect(jdoe['Contacts put on hold']).toBe('2');
    // "Customer hold time": "Total time that customers spent on hold after being connected to an agent. This includes time spent
    // on a hold when being transferred": 30 s + 30 s.
    expect(jdoe['Customer hold time']).toBe('00:01:00');
    expect(jdoe['Contacts handled']).toBe('2');
  });

  it('per queue', () => {
    const rows = report(['QUEUE']);
    // Both of jdoe's contacts were Sales contacts; th-2 (Support) was never on hold.
    expect(rowOf(rows, { Queue: 'Sales' })['Contacts hold disconnect']).toBe('1');
    expect(rowOf(rows, { Queue: 'Support' })['Contacts hold disconnect']).toBe('0');
  });
});
