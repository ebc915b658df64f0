/**
 * Conformance: several hold periods and a customer hanging up on hold, agent side (sample-events/conformance/agent-holds).
 *
 * ana, Available from 10:55. H1 (voice, Sales) rings 11:00:00, answered 11:00:04; on hold 11:01:00–11:01:30,
 * 11:02:00–11:02:20, and from 11:03:00 until the customer hangs up while on hold at 11:03:45; ACW to 11:04:45.
 * Logout 11:15:00. The contact record: talk 126 s, hold 95 s over 3 holds, ACW 60 s, CUSTOMER_DISCONNECT.
 *
 * Every expected value is worked out by hand below from the documentation quoted next to it.
 */
import { describe, expect, it } from 'vitest';
import { rowOf, runScenario } from './support.js';

// Historical metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html
const REPORT = {
  groupings: ['AGENT'],
  metrics: ['Contacts hold disconnect', 'Agent on contact time', 'Agent idle time', 'Contact handle time', 'Average handle time'],
  interval: 'TOTAL',
  timeRange: { start: '2026-03-10T11:00:00', end: '2026-03-10T11:15:00' },
  timeZone: 'UTC',
};

describe('conformance: agent-holds', () => {
  const ana = rowOf(runScenario('agent-holds', REPORT), { Agent: 'ana' });

  it('Contacts hold disconnect: the customer hung up during the third hold = 1', () => {
    // "Contacts hold disconnect": "Count of contacts disconnected while the customer was on hold. This includes both
    // contacts disconnected by the agent and contacts disconnected by the customer."
    expect(ana['Contacts hold disconnect']).toBe('1');
  });

  it('Agent on contact time includes the holds and ACW: 11:00:04–11:04:45 = 281 s', () => {
    // "Agent on contact time": "Total time that an agent spent on a contact, including Customer Hold Time and After
    // Contact Work Time."
    expect(ana['Agent on contact time']).toBe('00:04:41');
  });

  it('Agent idle time: 900 − 281 − 4 s ringing = 615 s', () => {
    // "Agent idle time" "doesn't include the amount of time from when Amazon Connect starts routing the contact to the
    // agent, to when agent picks up or declines the contact".
    expect(ana['Agent idle time']).toBe('00:10:15');
  });

  it('handle time: talk 126 + hold 95 + ACW 60 = 281 s, no custom status', () => {
    // "Average handle time": "It includes talk time, hold time, and After Contact Work (ACW) time."
    expect([ana['Contact handle time'], ana['Average handle time']]).toEqual(['00:04:41', '00:04:41']);
  });
});
