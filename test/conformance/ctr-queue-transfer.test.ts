/**
 * Queue-to-queue transfer: qt-1 waits 40 s in Sales, then a Transfer to queue
 * block moves it to Support (qt-2, InitiationMethod QUEUE_TRANSFER), where jdoe
 * answers it after exactly 20 s. Expected cells worked out by hand from the docs.
 */
import { describe, expect, it } from 'vitest';
import { DOCS, rowOf, runScenario } from './support.js';

const rows = () =>
  runScenario('ctr-queue-transfer', {
    groupings: ['QUEUE'],
    metrics: [
      'Contacts queued',
      'Contacts incoming',
      'Contacts handled',
      'Contacts handled incoming',
      'Contacts abandoned',
      'Contacts transferred in',
      'Contacts transferred in from queue',
      'Contacts transferred out',
      'Contacts transferred out from queue',
      'Service level 60 seconds',
      'Contacts answered in 20 seconds',
    ],
    interval: 'TOTAL',
    timeRange: { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00' },
    timeZone: 'UTC',
  });

describe(`conformance: queue-to-queue transfer (${DOCS.historicalDefinitions})`, () => {
  it('the queue the contact left', () => {
    const sales = rowOf(rows(), { Queue: 'Sales' });
    // DOCS.historicalDefinitions, "Contacts queued": "Count of contacts placed in the queue."
    expect(sales['Contacts queued']).toBe('1');
    // "Contacts incoming": "Count of incoming contacts, including inbound contacts and transferred contacts." qt-1 is INBOUND.
    expect(sales['Contacts incoming']).toBe('1');
    // "Contacts handled": "Count of contacts that were connected to an agent." Nobody answered qt-1.
    expect(sales['Contacts handled']).toBe('0');
    // "Contact abandoned": "Count of contacts disconnected by the customer while in the queue." The flow moved it.
    expect(sales['Contacts abandoned']).toBe('0');
    // "Contacts transferred out": "Count of contacts transferred out from queue to queue, and transferred out by an agent using the CCP."
    expect(sales['Contacts transferred out']).toBe('1');
    // "Contacts transferred out queue": "Count of contacts transferred from the queue to another queue in a Transfer to queue flow."
    expect(sales['Contacts transferred out from queue']).toBe('1');
    // "Service level X": "A contact is removed from a queue when the following occurs: an agent answers the contact,
    // the customer abandons the contact, or the customer requests a call back." A flow transfer is none of these: 0 of 1.
    expect(sales['Service level 60 seconds']).toBe('0.00%');
    // "Contacts answered in X seconds": "answered by an agent between 0 and X seconds of being placed in the queue".
    expect(sales['Contacts answered in 20 seconds']).toBe('0');
  });

  it('the queue the contact was transferred into', () => {
    const support = rowOf(rows(), { Queue: 'Support' });
    expect(support['Contacts queued']).toBe('1');
    // DOCS.ctrDataModel, InitiationMethod: "QUEUE_TRANSFER: While the customer was in one queue (listening to Customer queue flow),
    // they were transferred into another queue using a flow block." "Contacts incoming" includes "transferred contacts".
    expect(support['Contacts incoming']).toBe('1');
    expect(support['Contacts handled']).toBe('1');
    // "Contacts handled incoming": "Count of incoming contacts that were handled by an agent, including inbound contacts and transferred contacts."
    expect(support['Contacts handled incoming']).toBe('1');
    // "Contacts transferred in": "Count of contacts transferred in from queue to queue, and transferred in by an agent using the CCP."
    expect(support['Contacts transferred in']).toBe('1');
    // "Contacts transferred in from queue": "Count of contacts transferred to the queue from another in a Transfer to queue flow."
    expect(support['Contacts transferred in from queue']).toBe('1');
    expect(support['Contacts transferred out']).toBe('0');
    expect(support['Contacts transferred out from queue']).toBe('0');
    // Answered 20 s after it was added to Support: removed within 60 s, 1 of 1.
    expect(support['Service level 60 seconds']).toBe('100.00%');
    // "between 0 and X seconds": exactly 20 s is answered in 20 seconds.
    expect(support['Contacts answered in 20 seconds']).toBe('1');
  });
});
