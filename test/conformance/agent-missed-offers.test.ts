/**
 * Conformance: offers missed, rejected, ended in ERROR and abandoned while ringing, then re-offered to another
 * agent (sample-events/conformance/agent-missed-offers).
 *
 * ana (Available from 11:55) is offered four contacts and answers none:
 *   C1 voice, Sales   rings 12:00:00, MISSED 12:00:20 (cleared 12:00:25)
 *   C2 chat, Support  rings 12:01:00, REJECTED 12:01:05 (cleared 12:01:08)
 *   C3 voice, Sales   rings 12:02:00, ERROR 12:02:03 (cleared 12:02:08)
 *   C4 voice, Sales   rings 12:03:00, the customer hangs up while it rings (gone from her snapshot 12:03:10)
 * ben (Available from 11:55) is offered C1 at 12:00:21, C2 at 12:01:06 and C3 at 12:04:30 and answers each.
 *
 * Every expected value is worked out by hand below from the documentation quoted next to it.
 */
import { describe, expect, it } from 'vitest';
import { rowOf, runScenario } from './support.js';

// Historical metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html
//
// "Contacts missed": "Count of contacts routed to an agent but not answered by the agent, including contacts abandoned
// by the customer. A contact can be counted as missed multiple times, once for each time it is routed to an agent but
// not answered."
// "Agent non-response": "This metric appears as Contacts missed in scheduled reports and exported CSV files."
// "Agent answer rate": "Percentage of contacts routed to an agent that were answered."
const REPORT = {
  metrics: ['Contacts missed', 'Agent answer rate'],
  interval: 'TOTAL',
  timeRange: { start: '2026-03-10T12:00:00', end: '2026-03-10T12:15:00' },
  timeZone: 'UTC',
};

describe('conformance: agent-missed-offers', () => {
  const agents = runScenario('agent-missed-offers', { ...REPORT, groupings: ['AGENT'] });
  const queues = runScenario('agent-missed-offers', { ...REPORT, groupings: ['QUEUE'] });

  it('ana: four offers routed to her, none answered — missed, rejected, error and abandoned while ringing all count: 4', () => {
    expect(rowOf(agents, { Agent: 'ana' })['Contacts missed']).toBe('4');
  });

  it('ana: answer rate 0 of 4 = 0.00% (answered + missed = routed)', () => {
    expect(rowOf(agents, { Agent: 'ana' })['Agent answer rate']).toBe('0.00%');
  });

  it('ben: the three re-offered contacts, all answered: 0 missed, 3 of 3 = 100.00%', () => {
    expect(rowOf(agents, { Agent: 'ben' })).toMatchObject({ 'Contacts missed': '0', 'Agent answer rate': '100.00%' });
  });

  it('Sales: C1, C3, C4 missed by ana (3); C1, C3 answered by ben — 2 of 5 routings = 40.00%', () => {
    // "once for each time it is routed to an agent but not answered": C1 and C3 count as routed twice, missed once each.
    expect(rowOf(queues, { Queue: 'Sales' })).toMatchObject({ 'Contacts missed': '3', 'Agent answer rate': '40.00%' });
  });

  it('Support: C2 rejected by ana (1), answered by ben — 1 of 2 = 50.00%', () => {
    expect(rowOf(queues, { Queue: 'Support' })).toMatchObject({ 'Contacts missed': '1', 'Agent answer rate': '50.00%' });
  });

  it('a definition may name the metric by its console column, Agent non-response', () => {
    const rows = runScenario('agent-missed-offers', { ...REPORT, groupings: ['AGENT'], metrics: ['Agent non-response'] });
    // Same page, "Agent non-response": it "appears as Contacts missed in scheduled reports and exported CSV files".
    expect(rowOf(rows, { Agent: 'ana' })['Contacts missed']).toBe('4');
  });
});
