/**
 * API-initiated contacts and disconnect reasons, all in the Support queue:
 * dr-1 a chat started with StartChatContact (API), answered after 30 s;
 * dr-2 a StartOutboundVoiceContact (API) contact ended by StopContact after 60 s in queue: DisconnectReason null;
 * dr-3 the customer hangs up after 50 s in queue (CUSTOMER_DISCONNECT);
 * dr-4 a record written before DisconnectReason existed (no key), the customer left after exactly 20 s;
 * dr-5 the call drops after 10 s in queue (TELECOM_PROBLEM).
 */
import { describe, expect, it } from 'vitest';
import { DOCS, rowOf, runScenario } from './support.js';

const support = () =>
  rowOf(
    runScenario('ctr-api-disconnect-reason', {
      groupings: ['QUEUE'],
      metrics: [
        'API contacts',
        'API contacts handled',
        'Contacts queued',
        'Contacts handled',
        'Contacts abandoned',
        'Abandonment rate',
        'Average queue abandon time',
        'Contacts abandoned in 20 seconds',
        'Service level 20 seconds',
        'Service level 60 seconds',
      ],
      interval: 'TOTAL',
      timeRange: { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00' },
      timeZone: 'UTC',
      durationFormat: 'SECONDS',
    }),
    { Queue: 'Support' },
  );

describe(`conformance: API-initiated contacts and disconnect reasons (${DOCS.historicalDefinitions})`, () => {
  it('API contacts', () => {
    const r = support();
    // DOCS.historicalDefinitions, "API contacts": "Count of contacts that were initiated using an Amazon Connect API operation,
    // such as StartOutboundVoiceContact. This includes contacts that were not handled by an agent." dr-1 and dr-2.
    expect(r['API contacts']).toBe('2');
    // "API contacts handled": "... and handled by an agent." dr-1.
    expect(r['API contacts handled']).toBe('1');
    expect(r['Contacts queued']).toBe('5');
    expect(r['Contacts handled']).toBe('1');
  });

  it('a null DisconnectReason is not an abandon; a record without the field keeps the 2019 rule', () => {
    const r = support();
    // "Contact abandoned": "Count of contacts disconnected by the customer while in the queue." dr-3 (CUSTOMER_DISCONNECT).
    // DOCS.ctrDataModel, DisconnectReason: "For many contacts, such as contacts ended by flows or APIs, there will not be any
    // disconnect reason. In the contact record it will appear as null." dr-2 was ended by an API: not an abandon.
    // dr-4 predates the field: the 2019 user guide's rule, "Any call that was placed in a queue but not picked up by an agent or
    // transferred to a callback is considered an abandoned call". dr-5 is a TELECOM_PROBLEM, not the customer.
    expect(r['Contacts abandoned']).toBe('2');
    // Abandonment rate = contacts abandoned / contacts queued: 2 / 5.
    expect(r['Abandonment rate']).toBe('40.00%');
    // "Average queue abandon time": "averaging the difference between EnqueueTimestamp and DequeueTimestamp ... for abandoned
    // contacts": (50 + 20) / 2.
    expect(r['Average queue abandon time']).toBe('35');
    // "Contacts abandoned in X seconds": "disconnected by the customer while in the queue for 0 to X seconds": dr-4 (exactly 20 s).
    expect(r['Contacts abandoned in 20 seconds']).toBe('1');
    // "Service level X": removed when "an agent answers the contact, the customer abandons the contact, or the customer requests a
    // call back". Within 20 s: dr-4. Within 60 s: dr-1 (30 s), dr-3 (50 s), dr-4. dr-2 (ended by an API) and dr-5 (telecom) were not removed.
    expect(r['Service level 20 seconds']).toBe('20.00%');
    expect(r['Service level 60 seconds']).toBe('60.00%');
  });
});
