/**
 * Conformance: tasks, agent side (sample-events/conformance/agent-tasks).
 *
 * ana, Available from 14:55. Task T1 (Support, InitiationMethod API, Channel TASKS as agent events spell it) is
 * offered 15:00:00 and accepted 15:00:08. Task T2 is offered 15:05:00 while she works T1; she rejects it at
 * 15:05:30 (gone 15:05:35). T1 is completed 15:20:00, ACW to 15:21:00. Logout 15:30:00.
 *
 * Every expected value is worked out by hand below from the documentation quoted next to it.
 */
import { describe, expect, it } from 'vitest';
import { rowOf, runScenario } from './support.js';

// Historical metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html
// Agent event streams data model — https://docs.aws.amazon.com/connect/latest/adminguide/agent-event-stream-model.html
const REPORT = {
  groupings: ['AGENT'],
  metrics: ['Agent answer rate', 'Contacts missed', 'Agent API connecting time', 'Average agent API connecting time', 'Agent on contact time', 'Avg ACW'],
  interval: 'TOTAL',
  timeRange: { start: '2026-03-10T15:00:00', end: '2026-03-10T15:30:00' },
  timeZone: 'UTC',
};

describe('conformance: agent-tasks', () => {
  const ana = rowOf(runScenario('agent-tasks', REPORT), { Agent: 'ana' });

  it('two tasks routed to her, one answered: 50.00%; the rejected one is missed: 1', () => {
    // "Agent answer rate": "Percentage of contacts routed to an agent that were answered."
    // "Contacts missed": "Count of contacts routed to an agent but not answered by the agent".
    // Data model, "State": "The REJECTED state does not apply to voice contacts" — it does to tasks.
    expect([ana['Agent answer rate'], ana['Contacts missed']]).toEqual(['50.00%', '1']);
  });

  it('Agent API connecting time: T1 8 s to CONNECTED + T2 30 s to REJECTED = 38 s; average 19 s', () => {
    // "Agent API connecting time": "The total time between when a contact is initiated using an Amazon Connect API, and
    // the agent is connected." "Agent incoming connecting time" (same page) states the event-stream measure: "the duration
    // between the contact state of STATE_CHANGE event changes from CONNECTING to CONNECTED/MISSED/ERROR" — REJECTED is
    // the task and chat form of MISSED.
    expect([ana['Agent API connecting time'], ana['Average agent API connecting time']]).toEqual(['00:00:38', '00:00:19']);
  });

  it('Agent on contact time: 15:00:08–15:21:00 = 1252 s (T2 ringing while T1 is connected adds nothing)', () => {
    // "Agent on contact time": "Total time that an agent spent on a contact, including ... After Contact Work Time."
    expect(ana['Agent on contact time']).toBe('00:20:52');
  });

  it('Avg ACW: 15:20:00–15:21:00 = 60 s', () => {
    expect(ana['Avg ACW']).toBe('00:01:00');
  });
});
