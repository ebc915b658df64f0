/**
 * Tasks, one channel name, and one rule for count columns.
 * tk-1 a task (contact record Channel TASK; the agent events spell it TASKS) answered by asmith after 40 s, never on hold
 *      (CustomerHoldDuration and NumberOfHolds null);
 * tk-2 a voice call in Support answered by jdoe, on hold once for 20 s;
 * tk-3 a task from Billing offered to asmith at 21:20 and missed; still open, so no contact record yet.
 */
import { describe, expect, it } from 'vitest';
import { DOCS, rowOf, runScenario } from './support.js';

const range = { interval: 'TOTAL', timeRange: { start: '2026-03-10T00:00:00', end: '2026-03-11T00:00:00' }, timeZone: 'UTC' } as const;

describe(`conformance: tasks (${DOCS.historicalDefinitions})`, () => {
  it('one row per channel', () => {
    const rows = runScenario('ctr-tasks-channel', {
      groupings: ['CHANNEL'],
      metrics: ['Contacts handled', 'API contacts', 'Contacts put on hold', 'Customer hold time', 'Average customer hold time', 'Contacts missed'],
      ...range,
    });
    // DOCS.ctrDataModel, Channel: "VOICE, CHAT, TASK"; DOCS.agentEventModel, Contact Channel: "VOICE, CHAT, TASKS". Both name the
    // same channel: a report grouped by channel has one task row.
    expect(rows.map((r) => r.Channel)).toEqual(['TASK', 'VOICE']);
    const task = rowOf(rows, { Channel: 'TASK' });
    // DOCS.historicalDefinitions, "Contacts handled": "Count of contacts that were connected to an agent." tk-1.
    expect(task['Contacts handled']).toBe('1');
    // "API contacts": tk-1 was created with an API (StartTaskContact).
    expect(task['API contacts']).toBe('1');
    // "Contacts put on hold": "Count of contacts put on hold by an agent one or more times": none, so 0 — like every other channel.
    expect(task['Contacts put on hold']).toBe('0');
    // "Customer hold time": "Total time that customers spent on hold after being connected to an agent": nothing, 00:00:00.
    expect(task['Customer hold time']).toBe('00:00:00');
    // "Average customer hold time" only averages contacts that went on hold: none, so no data, a dash (DOCS.download: "If there's no
    // data for one of the selected metrics, the field in the downloaded CSV file contains a dash").
    expect(task['Average customer hold time']).toBe('-');
    // "Contacts missed": "routed to an agent but not answered": tk-3 was missed; it has no contact record, but the agent events
    // (spelled TASKS) put it in the task row.
    expect(task['Contacts missed']).toBe('1');
    const voice = rowOf(rows, { Channel: 'VOICE' });
    expect(voice['Contacts handled']).toBe('1');
    expect(voice['Contacts put on hold']).toBe('1');
    expect(voice['Customer hold time']).toBe('00:00:20');
    expect(voice['Average customer hold time']).toBe('00:00:20');
    // No voice contact was routed to an agent and missed: 0, the same rule as the other count columns.
    expect(voice['Contacts missed']).toBe('0');
  });

  it('a queue row that exists only because of agent activity shows 0 in every count column', () => {
    const rows = runScenario('ctr-tasks-channel', {
      groupings: ['QUEUE'],
      metrics: ['Contacts queued', 'Contacts handled', 'Contacts abandoned', 'Contacts missed', 'Service level 60 seconds', 'Average handle time'],
      ...range,
    });
    const billing = rowOf(rows, { Queue: 'Billing' });
    // Billing saw one missed offer (tk-3) and no contact record yet: nothing was queued, handled or abandoned in the range, so the
    // counts are 0 — not a dash in some count columns and 0 in others.
    expect(billing['Contacts queued']).toBe('0');
    expect(billing['Contacts handled']).toBe('0');
    expect(billing['Contacts abandoned']).toBe('0');
    expect(billing['Contacts missed']).toBe('1');
    // Ratios with nothing to divide by have no data: a dash (DOCS.download).
    expect(billing['Service level 60 seconds']).toBe('-');
    expect(billing['Average handle time']).toBe('-');
  });
});
