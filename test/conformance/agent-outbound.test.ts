/**
 * Conformance: outbound dials answered and unanswered, agent side (sample-events/conformance/agent-outbound).
 *
 * ana, Available from 12:55:
 *   D1 she dials 13:00:00 (outbound ring), the customer answers 13:00:12, the call ends 13:02:12, ACW to 13:02:42
 *   D2 she dials 13:05:00, nobody answers, she hangs up 13:05:30, ACW to 13:05:40
 *   I1 inbound (Sales) offered 13:10:00, answered 13:10:05, ends 13:12:05, ACW to 13:12:35
 * She logs out at 13:15:00. The report covers 13:00–13:15 (900 s).
 *
 * Every expected value is worked out by hand below from the documentation quoted next to it.
 */
import { describe, expect, it } from 'vitest';
import { rowOf, runScenario } from './support.js';

// Historical metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html
// Real-time metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/real-time-metrics-definitions.html
const REPORT = {
  groupings: ['AGENT'],
  metrics: ['Agent answer rate', 'Contacts missed', 'Agent on contact time', 'Agent idle time', 'Occupancy', 'Agent outbound connecting time'],
  interval: 'TOTAL',
  timeRange: { start: '2026-03-10T13:00:00', end: '2026-03-10T13:15:00' },
  timeZone: 'UTC',
};

describe('conformance: agent-outbound', () => {
  const ana = rowOf(runScenario('agent-outbound', REPORT), { Agent: 'ana' });

  it('Agent answer rate counts only the contact routed to her: 1 of 1 = 100.00%', () => {
    // "Agent answer rate": "Percentage of contacts routed to an agent that were answered." Her own dials (D1, D2) are
    // not routed to her: the agent event stream model (https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html,
    // "InitiationMethod") — "OUTBOUND: An agent initiated voice (phone) contact with the customer, by using the CCP".
    expect(ana['Agent answer rate']).toBe('100.00%');
  });

  it('the unanswered dial is not a missed contact: 0', () => {
    // "Contacts missed": "Count of contacts routed to an agent but not answered by the agent".
    expect(ana['Contacts missed']).toBe('0');
  });

  it('Agent on contact time includes outbound ring: D1 13:00:00–13:02:42 (162 s) + D2 13:05:00–13:05:40 (40 s) + I1 13:10:05–13:12:35 (150 s) = 352 s', () => {
    // Real-time "On contact": an agent is on a contact when handling at least one contact "either connected, on hold,
    // in After contact work, or outbound ring"; "Agent Activity": "if at least one contact is Connected, On Hold, or
    // Outbound contact/Outbound callback, Agent Activity = On contact".
    expect(ana['Agent on contact time']).toBe('00:05:52');
  });

  it('Agent idle time: 900 − 352 on contact − 5 s of I1 ringing = 543 s', () => {
    // "Agent idle time": "After the agent sets their status in the CCP to Available, this is the amount of time they weren't
    // handling contacts" ... "doesn't include the amount of time from when Amazon Connect starts routing the contact to the
    // agent, to when agent picks up or declines the contact" (I1, 13:10:00–13:10:05).
    expect(ana['Agent idle time']).toBe('00:09:03');
  });

  it('Occupancy = 352 / (352 + 543) = 39.33%', () => {
    // "Occupancy": "(Agent on contact (wall clock time) / (Agent on contact (wall clock time) + Agent idle time))".
    expect(ana.Occupancy).toBe('39.33%');
  });

  it('Agent outbound connecting time: D1 rang 12 s until connected; D2 never connected', () => {
    // "Agent outbound connecting time": "Total time between when an outbound contact is initiated by Amazon Connect
    // reserving the agent for the contact, and the agent is connected."
    expect(ana['Agent outbound connecting time']).toBe('00:00:12');
  });
});
