/**
 * Outbound dials, contact-record side: ob-1 answered by the customer, ob-2
 * unanswered (the customer endpoint never connected, no ConnectedToAgentTimestamp).
 * Both are dialled by jdoe through the Sales outbound queue; neither is queued.
 */
import { describe, expect, it } from 'vitest';
import { DOCS, rowOf, runScenario } from './support.js';

const report = (groupings: string[]) =>
  runScenario('ctr-outbound', {
    groupings,
    metrics: [
      'Contacts handled',
      'Contacts handled outbound',
      'Contacts handled incoming',
      'Contacts incoming',
      'Contacts queued',
      'Average outbound agent interaction time',
      'Average outbound after contact work time',
      'Service level 60 seconds',
    ],
    interval: 'TOTAL',
    timeRange: { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00' },
    timeZone: 'UTC',
  });

describe(`conformance: outbound dial answered and unanswered (${DOCS.historicalDefinitions})`, () => {
  it('per agent', () => {
    const jdoe = rowOf(report(['AGENT']), { Agent: 'jdoe' });
    // DOCS.historicalDefinitions, "Contacts handled": "Count of contacts that were connected to an agent ... or an agent calling
    // the customer". ob-2 never connected anyone (DOCS.ctrDataModel, ConnectedToSystemTimestamp: "For OUTBOUND ... this is when the
    // customer endpoint answers": absent), and its record has no ConnectedToAgentTimestamp.
    expect(jdoe['Contacts handled']).toBe('1');
    // "Contacts handled outbound": "Count of outbound contacts that were handled by an agent. This includes contacts that were
    // initiated by an agent using the CCP."
    expect(jdoe['Contacts handled outbound']).toBe('1');
    // Outbound contacts are neither incoming nor queued ("Contacts queued": "placed in the queue"; the record has no EnqueueTimestamp).
    expect(jdoe['Contacts handled incoming']).toBe('0');
    expect(jdoe['Contacts incoming']).toBe('0');
    expect(jdoe['Contacts queued']).toBe('0');
    // "Average outbound agent interaction time": ob-1's AgentInteractionDuration, 180 s, over 1 outbound contact handled.
    expect(jdoe['Average outbound agent interaction time']).toBe('00:03:00');
    // "Average outbound after contact work time": ob-1's AfterContactWorkDuration, 30 s.
    expect(jdoe['Average outbound after contact work time']).toBe('00:00:30');
    // "Service level X" = removed in X / contacts queued: nothing was queued, no value ("If there's no data for one of the
    // selected metrics, the field in the downloaded CSV file contains a dash", DOCS.download).
    expect(jdoe['Service level 60 seconds']).toBe('-');
  });

  it('per queue (the outbound queue)', () => {
    const sales = rowOf(report(['QUEUE']), { Queue: 'Sales' });
    expect(sales['Contacts handled outbound']).toBe('1');
    expect(sales['Contacts queued']).toBe('0');
  });
});
