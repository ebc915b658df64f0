/**
 * Transfers by an agent, contact-record side:
 * at-1 jdoe cold-transfers a Sales call to the Support queue with a queue quick connect → at-2 (TRANSFER), answered by asmith;
 * at-3 asmith warm-transfers a Support call to jdoe with an agent quick connect → at-4 (TRANSFER, jdoe's agent queue);
 * at-5 jdoe transfers a Sales call to an external number (TransferredToEndpoint).
 */
import { describe, expect, it } from 'vitest';
import { DOCS, rowOf, runScenario } from './support.js';

const METRICS = [
  'Contacts handled',
  'Contacts handled incoming',
  'Contacts transferred in',
  'Contacts transferred in by agent',
  'Contacts transferred out',
  'Contacts transferred out by agent',
  'Contacts transferred out internal',
  'Contacts transferred out external',
];
const report = (groupings: string[], filters?: Record<string, string[]>) =>
  runScenario('ctr-agent-transfers', {
    groupings,
    metrics: METRICS,
    interval: 'TOTAL',
    timeRange: { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00' },
    timeZone: 'UTC',
    ...(filters ? { filters } : {}),
  });

describe(`conformance: agent-to-agent and agent-to-queue transfers (cold, warm, quick connect, external) (${DOCS.historicalDefinitions})`, () => {
  it('per agent', () => {
    const rows = report(['AGENT']);
    const jdoe = rowOf(rows, { Agent: 'jdoe' });
    // DOCS.historicalDefinitions, "Contacts handled": "It could be a contact transferred from one agent to another. It could be a
    // contact where the agent answered it, but then they weren't sure what to do and they transferred the contact away again."
    // jdoe: at-1, at-4, at-5.
    expect(jdoe['Contacts handled']).toBe('3');
    // "Contacts handled incoming": "including inbound contacts and transferred contacts": at-1, at-5 (INBOUND), at-4 (TRANSFER).
    expect(jdoe['Contacts handled incoming']).toBe('3');
    // DOCS.ctrDataModel: "TRANSFER: The customer was transferred by an agent to another agent or to a queue, using quick connects in the CCP."
    // "Contacts transferred in by agent": "Count of contacts transferred in by an agent using the CCP." at-4.
    expect(jdoe['Contacts transferred in']).toBe('1');
    expect(jdoe['Contacts transferred in by agent']).toBe('1');
    // "Contacts transferred out by agent": "Count of contacts transferred out by an agent using the CCP." at-1 and at-5.
    expect(jdoe['Contacts transferred out']).toBe('2');
    expect(jdoe['Contacts transferred out by agent']).toBe('2');
    // "Contacts transferred out internal": "to an internal source, such as a queue or another agent. An internal source is any
    // source that can be added as a quick connect." at-1 (queue quick connect).
    expect(jdoe['Contacts transferred out internal']).toBe('1');
    // "Contacts transferred out external": "to an external source, such as a phone number other than the phone number for your contact center." at-5.
    expect(jdoe['Contacts transferred out external']).toBe('1');

    const asmith = rowOf(rows, { Agent: 'asmith' });
    // asmith: at-2 (TRANSFER) and at-3 (INBOUND).
    expect(asmith['Contacts handled']).toBe('2');
    expect(asmith['Contacts handled incoming']).toBe('2');
    expect(asmith['Contacts transferred in']).toBe('1');
    expect(asmith['Contacts transferred in by agent']).toBe('1');
    // at-3, warm-transferred to jdoe with an agent quick connect: internal.
    expect(asmith['Contacts transferred out']).toBe('1');
    expect(asmith['Contacts transferred out by agent']).toBe('1');
    expect(asmith['Contacts transferred out internal']).toBe('1');
    expect(asmith['Contacts transferred out external']).toBe('0');
  });

  it('per queue (standard queues)', () => {
    const rows = report(['QUEUE'], { QUEUE: ['Sales', 'Support'] });
    const sales = rowOf(rows, { Queue: 'Sales' });
    // Sales: at-1 (internal) and at-5 (external) were transferred out by jdoe; nothing came in.
    expect(sales['Contacts handled']).toBe('2');
    expect(sales['Contacts transferred out']).toBe('2');
    expect(sales['Contacts transferred out internal']).toBe('1');
    expect(sales['Contacts transferred out external']).toBe('1');
    expect(sales['Contacts transferred in']).toBe('0');
    const support = rowOf(rows, { Queue: 'Support' });
    // Support: at-2 came in by a queue quick connect; at-3 went out to jdoe.
    expect(support['Contacts handled']).toBe('2');
    expect(support['Contacts transferred in']).toBe('1');
    expect(support['Contacts transferred in by agent']).toBe('1');
    expect(support['Contacts transferred out']).toBe('1');
    expect(support['Contacts transferred out internal']).toBe('1');
  });
});
