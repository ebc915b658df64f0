/**
 * Callback requested in queue, called back through the same queue: cb-1 waits
 * 30 s in Sales and asks to be called back; the callback contact cb-2
 * (InitiationMethod CALLBACK, PreviousContactId cb-1) is queued in Sales and
 * answered by asmith after 45 s. The callback's record comes first in the file.
 */
import { describe, expect, it } from 'vitest';
import { DOCS, rowOf, runScenario } from './support.js';

const report = (metrics: string[]) =>
  runScenario('ctr-callback-same-queue', {
    groupings: ['QUEUE'],
    metrics,
    interval: 'TOTAL',
    timeRange: { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00' },
    timeZone: 'UTC',
  });

describe(`conformance: callback requested in queue (same queue) and the callback contact (${DOCS.historicalDefinitions})`, () => {
  it('a callback is not a transfer', () => {
    const sales = rowOf(
      report(['Contacts transferred out', 'Contacts transferred out from queue', 'Contacts transferred in', 'Contacts abandoned']),
      { Queue: 'Sales' },
    );
    // DOCS.historicalDefinitions, "Contacts transferred out": "Count of contacts transferred out from queue to queue, and
    // transferred out by an agent using the CCP." cb-1 left the queue because the customer requested a callback:
    // its next contact cb-2 is InitiationMethod CALLBACK (DOCS.ctrDataModel: "CALLBACK: The customer was contacted as
    // part of a callback flow"), not QUEUE_TRANSFER or TRANSFER.
    expect(sales['Contacts transferred out']).toBe('0');
    // "Contacts transferred out queue": "transferred from the queue to another queue in a Transfer to queue flow."
    expect(sales['Contacts transferred out from queue']).toBe('0');
    // "Contacts transferred in" counts TRANSFER and QUEUE_TRANSFER contacts; a callback is neither.
    expect(sales['Contacts transferred in']).toBe('0');
    // "Contact abandoned": "Contacts queued for callback are not counted as abandoned."
    expect(sales['Contacts abandoned']).toBe('0');
  });

  it('counts the callback contact and the service level of both', () => {
    const sales = rowOf(
      report([
        'Contacts queued',
        'Contacts incoming',
        'Callback contacts',
        'Callback contacts handled',
        'Contacts handled',
        'Service level 15 seconds',
        'Service level 30 seconds',
        'Service level 60 seconds',
        'Contacts answered in 60 seconds',
      ]),
      { Queue: 'Sales' },
    );
    // "Contacts queued": "Count of contacts placed in the queue." cb-1 and cb-2 were both placed in Sales.
    expect(sales['Contacts queued']).toBe('2');
    // "Contacts incoming": inbound and transferred contacts: cb-1 only.
    expect(sales['Contacts incoming']).toBe('1');
    // "Callback contacts": "Count of contacts that were initiated from a queued callback."
    expect(sales['Callback contacts']).toBe('1');
    // "Callback contacts handled": "initiated from a queued callback and handled by an agent."
    expect(sales['Callback contacts handled']).toBe('1');
    expect(sales['Contacts handled']).toBe('1');
    // "Service level X": removed when "an agent answers the contact, the customer abandons the contact, or the customer
    // requests a call back": cb-1 removed after 30 s (callback requested), cb-2 after 45 s (answered).
    expect(sales['Service level 15 seconds']).toBe('0.00%');
    // "between 0 and X": 30 s is within 30 s. 1 of 2.
    expect(sales['Service level 30 seconds']).toBe('50.00%');
    expect(sales['Service level 60 seconds']).toBe('100.00%');
    // "Contacts answered in X seconds": only cb-2 was answered by an agent (45 s after its EnqueueTimestamp).
    expect(sales['Contacts answered in 60 seconds']).toBe('1');
  });
});
