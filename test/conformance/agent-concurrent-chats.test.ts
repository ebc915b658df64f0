/**
 * Conformance: one agent with three concurrent chats (sample-events/conformance/agent-concurrent-chats).
 *
 * ana, Available from 08:55, takes three chats (Support, started with the StartChatContact API):
 *   X1 offered 09:00:00, accepted 09:00:05, ends 09:05:05, ACW to 09:06:05 (talk 300 s, ACW 60 s)
 *   X2 offered 09:01:00, accepted 09:01:04, ends 09:07:04, ACW to 09:07:34 (talk 360 s, ACW 30 s)
 *   X3 offered 09:02:00, accepted 09:02:03, ends 09:08:03, ACW to 09:09:03 (talk 360 s, ACW 60 s)
 * From 09:03:00 to 09:04:00 she is in Training (a custom status) with all three chats connected.
 * She logs out at 09:15:00. The report covers 09:00–09:15 (900 s).
 *
 * Every expected value is worked out by hand below from the documentation quoted next to it.
 */
import { describe, expect, it } from 'vitest';
import { rowOf, runScenario } from './support.js';

// Historical metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html
// Determine how long an agent spends doing ACW (Amazon Connect Administrator Guide, 2019) — https://docs.aws.amazon.com/connect/latest/adminguide/determine-acw-time.html
const REPORT = {
  groupings: ['AGENT'],
  metrics: [
    'Agent on contact time',
    'Agent idle time',
    'Non-Productive Time',
    'Occupancy',
    'Avg ACW',
    'Agent answer rate',
    'Agent API connecting time',
    'Average agent API connecting time',
    'Contact handle time',
    'Average handle time',
  ],
  interval: 'TOTAL',
  timeRange: { start: '2026-03-10T09:00:00', end: '2026-03-10T09:15:00' },
  timeZone: 'UTC',
};

describe('conformance: agent-concurrent-chats', () => {
  const ana = rowOf(runScenario('agent-concurrent-chats', REPORT), { Agent: 'ana' });

  it('Agent on contact time is wall clock, without the Training minute: 09:00:05–09:09:03 (538 s) − 60 s = 478 s', () => {
    // "Agent on contact time": "This does not include time spent on a contact while in a custom status".
    // "Occupancy": "an agent is considered 100% occupied for a given interval if they are handling at least one contact
    // for that entire duration" — three chats at once count once.
    expect(ana['Agent on contact time']).toBe('00:07:58');
  });

  it('Agent idle time: 900 − 538 handling chats − 5 s of X1 ringing (09:00:00–09:00:05, nothing else open) = 357 s', () => {
    // "Agent idle time": "the amount of time they weren't handling contacts" and it "doesn't include the amount of time
    // from when Amazon Connect starts routing the contact to the agent, to when agent picks up". X2 and X3 rang while X1
    // was connected: she was handling a contact then.
    expect(ana['Agent idle time']).toBe('00:05:57');
  });

  it('Non-Productive Time: the Training minute, on contact or not = 60 s', () => {
    // "Non-Productive Time": "Total time that agents spent in a custom status" ... "it's possible for agents to be
    // counted as On contact and NPT at the same time".
    expect(ana['Non-Productive Time']).toBe('00:01:00');
  });

  it('Occupancy = 478 / (478 + 357) = 57.25%', () => {
    // "Occupancy": "(Agent on contact (wall clock time) / (Agent on contact (wall clock time) + Agent idle time))".
    expect(ana.Occupancy).toBe('57.25%');
  });

  it('Avg ACW from agent events: (60 + 30 + 60) / 3 = 50 s', () => {
    // 2019 guide, "Determine how long an agent spends doing ACW": subtract the StateStartTimestamp of the contact
    // entering ENDED from the EventTimestamp of the event that no longer lists it.
    expect(ana['Avg ACW']).toBe('00:00:50');
  });

  it('three chats routed, three answered: 100.00%', () => {
    // "Agent answer rate": "Percentage of contacts routed to an agent that were answered."
    expect(ana['Agent answer rate']).toBe('100.00%');
  });

  it('Agent API connecting time 5 + 4 + 3 = 12 s; average 4 s', () => {
    // "Agent API connecting time": "The total time between when a contact is initiated using an Amazon Connect API, and
    // the agent is connected." "Average agent API connecting time": "The average time between ...".
    expect([ana['Agent API connecting time'], ana['Average agent API connecting time']]).toEqual(['00:00:12', '00:00:04']);
  });

  it('Contact handle time 360 + 390 + 420 = 1170 s; Average handle time (1170 − 3 × 60) / 3 = 330 s', () => {
    // "Contact handle time": "This includes any time spent on contacts while in a custom status."
    // "Average handle time": "AHT does not include any time spent in a custom status" — each chat was connected during
    // the Training minute, so each chat's handle time loses 60 s.
    expect([ana['Contact handle time'], ana['Average handle time']]).toEqual(['00:19:30', '00:05:30']);
  });
});
