/**
 * Conformance: a queued callback, agent side (sample-events/conformance/agent-callback).
 *
 * ana, Available from 15:55. Amazon Connect reserves her for callback CB1 (Sales) at 16:00:00 (INCOMING,
 * "Callback incoming"); she accepts it at 16:00:06 and Connect dials the customer (CONNECTING, "Callback
 * dialing"); the customer answers 16:00:20; the call ends 16:03:20, ACW to 16:03:50. Logout 16:15:00.
 *
 * Every expected value is worked out by hand below from the documentation quoted next to it.
 */
import { describe, expect, it } from 'vitest';
import { rowOf, runScenario } from './support.js';

// Historical metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html
// Real-time metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/real-time-metrics-definitions.html
const REPORT = {
  groupings: ['AGENT'],
  metrics: ['Agent callback connecting time', 'Average agent callback connecting time', 'Agent on contact time', 'Agent idle time', 'Agent answer rate', 'Contacts missed'],
  interval: 'TOTAL',
  timeRange: { start: '2026-03-10T16:00:00', end: '2026-03-10T16:15:00' },
  timeZone: 'UTC',
};

describe('conformance: agent-callback', () => {
  const ana = rowOf(runScenario('agent-callback', REPORT), { Agent: 'ana' });

  it('Agent callback connecting time runs from the reservation (16:00:00) to the connection (16:00:20): 20 s', () => {
    // "Agent callback connecting time": "The total time between when a callback contact is initiated by Amazon Connect
    // reserving the agent for the contact, and the agent is connected."
    expect(ana['Agent callback connecting time']).toBe('00:00:20');
  });

  it('Average agent callback connecting time: 20 s / 1 callback', () => {
    // "Average agent callback connecting time": "The average time between when a callback contact is initiated by Amazon
    // Connect reserving the agent for the contact, and the agent is connected."
    expect(ana['Average agent callback connecting time']).toBe('00:00:20');
  });

  it('Agent on contact time includes the callback dialing: 16:00:06–16:03:50 = 224 s', () => {
    // Real-time "Agent Activity": "Else if at least one contact is Connected, On Hold, or Outbound contact/Outbound
    // callback, Agent Activity = On contact" ... "Else if at least one contact is Incoming/Inbound Callback, Agent
    // Activity = Incoming". "Contact State": "For queued callbacks, the contact state can also Callback incoming or
    // Callback dialing."
    expect(ana['Agent on contact time']).toBe('00:03:44');
  });

  it('Agent idle time: 900 − 224 on contact − 6 s offered (16:00:00–16:00:06) = 670 s', () => {
    // "Agent idle time" "doesn't include the amount of time from when Amazon Connect starts routing the contact to the
    // agent, to when agent picks up or declines the contact".
    expect(ana['Agent idle time']).toBe('00:11:10');
  });

  it('the callback was routed to her and she answered it: 100.00%, none missed', () => {
    // "Agent answer rate": "Percentage of contacts routed to an agent that were answered."
    expect([ana['Agent answer rate'], ana['Contacts missed']]).toEqual(['100.00%', '0']);
  });
});
