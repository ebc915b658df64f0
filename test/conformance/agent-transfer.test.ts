/**
 * Conformance: agent-to-agent transfer, agent side, and the agent queue it goes through
 * (sample-events/conformance/agent-transfer).
 *
 * ana answers C5 (voice, Sales; offered 14:00:00, answered 14:00:04) and transfers it with a quick connect to ben
 * at 14:02:04 (C5 is in ACW until 14:02:34). The transfer is a new contact, C6 (InitiationMethod TRANSFER), in
 * ben's agent queue (…/queue/agent/<ben's id>, no name): offered to ben 14:02:05, answered 14:02:10, ends 14:05:10,
 * ACW to 14:05:40. Both log out at 14:15. Both contact records are in ctr.jsonl.
 *
 * Every expected value is worked out by hand below from the documentation quoted next to it.
 */
import { describe, expect, it } from 'vitest';
import { runScenario, rowOf } from './support.js';

// Historical metrics definitions in Amazon Connect — https://docs.aws.amazon.com/connect/latest/adminguide/historical-metrics-definitions.html
// Amazon Connect Administrator Guide (2019), "Include Agent Queues in Historical Metric Reports":
//   "By default, agent queues are excluded from historical metrics reports. To include agent queues in the report,
//   select agent queues as a filter for the report."
// Agent event streams data model / Sample agent event stream — https://docs.aws.amazon.com/connect/latest/adminguide/sample-agent-event-stream.html:
//   "This queue has a name of "null" because it's an agent queue, and agent queues don't have names."
const BEN_QUEUE = 'arn:aws:connect:us-east-1:111122223333:instance/c0ffee00-0000-4000-8000-000000000001/queue/agent/a0a0a0a0-0000-4000-8000-0000000000b2';
const REPORT = {
  groupings: ['QUEUE'],
  metrics: ['Contacts handled', 'Agent answer rate', 'Contacts missed'],
  interval: 'TOTAL',
  timeRange: { start: '2026-03-10T14:00:00', end: '2026-03-10T14:15:00' },
  timeZone: 'UTC',
};

describe('conformance: agent-transfer', () => {
  it('a queue report leaves the agent queue out by default: one row, Sales', () => {
    const rows = runScenario('agent-transfer', REPORT);
    expect(rows.map((r) => r.Queue)).toEqual(['Sales']);
    // "Contacts handled": C5, answered by ana. "Agent answer rate": 1 of 1 routed to ana in Sales.
    expect(rowOf(rows, { Queue: 'Sales' })).toMatchObject({ 'Contacts handled': '1', 'Agent answer rate': '100.00%', 'Contacts missed': '0' });
  });

  it('selecting the agent queue as a filter shows it, named after its agent (ben), never as an ARN', () => {
    for (const filter of [BEN_QUEUE, 'ben']) {
      const rows = runScenario('agent-transfer', { ...REPORT, filters: { QUEUE: [filter] } });
      // C6 reached ben through his agent queue: handled 1; routed to ben and answered: 100.00%.
      expect(rows).toEqual([{ Queue: 'ben', 'Contacts handled': '1', 'Agent answer rate': '100.00%', 'Contacts missed': '0' }]);
    }
  });

  it('includeAgentQueues shows every queue, agent queues included', () => {
    const rows = runScenario('agent-transfer', { ...REPORT, includeAgentQueues: true });
    expect(rows.map((r) => r.Queue)).toEqual(['ben', 'Sales']);
  });

  it('agent side: both agents answered the contact routed to them; ana on contact 14:00:04–14:02:34, ben 14:02:10–14:05:40', () => {
    const rows = runScenario('agent-transfer', { ...REPORT, groupings: ['AGENT'], metrics: ['Agent answer rate', 'Contacts missed', 'Agent on contact time', 'Contacts handled'] });
    // "Agent on contact time": "Total time that an agent spent on a contact, including ... After Contact Work Time."
    expect(rowOf(rows, { Agent: 'ana' })).toMatchObject({ 'Agent answer rate': '100.00%', 'Contacts missed': '0', 'Agent on contact time': '00:02:30', 'Contacts handled': '1' });
    expect(rowOf(rows, { Agent: 'ben' })).toMatchObject({ 'Agent answer rate': '100.00%', 'Contacts missed': '0', 'Agent on contact time': '00:03:30', 'Contacts handled': '1' });
  });
});
