/**
 * Agent queues in the real-time Queues view: left out by default, as Amazon Connect shows them in a
 * table of their own ("View real-time metrics for agent queues": "you can add an Agent queues table",
 * Amazon Connect Administrator Guide, 2019), and named after their agent when asked for — never a raw ARN.
 */
import { describe, expect, it } from 'vitest';
import { agentOfAgentQueue, isAgentQueue } from '../../lambdas/domain/agent-queue.js';
import { EntityCatalog } from '../../lambdas/domain/engine/entities.js';
import { buildRealtimeReport } from '../../lambdas/domain/realtime/report.js';
import type { RealtimeReportInput } from '../../lambdas/domain/realtime/report.js';
import { agentArn, queueRef, ref } from '../support/builders.js';
import { agentState, dims, facts, ms } from './fixtures.js';

const NOW = ms('2026-03-10T12:00:00Z');
const SALES = queueRef('Sales').id;
const ALICE_QUEUE = queueRef('agent/alice').id;
const PROFILE = ref('routing-profile', 'Basic').id;

function input(over: Partial<RealtimeReportInput> = {}): RealtimeReportInput {
  const entities = new EntityCatalog();
  entities.put({ kind: 'queue', id: SALES, arn: SALES, name: 'Sales', seenMs: 0 });
  entities.put({ kind: 'queue', id: ALICE_QUEUE, arn: ALICE_QUEUE, name: null, seenMs: 0 });
  entities.put({ kind: 'agent', id: agentArn('alice'), arn: agentArn('alice'), name: 'alice', seenMs: 0 });
  entities.put({ kind: 'routingProfile', id: PROFILE, arn: PROFILE, name: 'Basic', seenMs: 0 });
  return {
    nowMs: NOW,
    window: { startMs: NOW - 3_600_000, endMs: NOW },
    agents: [agentState({ agent: 'alice', status: 'Available', at: '2026-03-10T11:59:00Z', queues: ['Sales', 'agent/alice'] })],
    contacts: [
      { contactId: 'in-sales', dims: dims({ queue: SALES, routingProfile: PROFILE }), facts: facts(), disconnectMs: NOW - 60_000 },
      { contactId: 'in-agent-queue', dims: dims({ queue: ALICE_QUEUE, routingProfile: PROFILE }), facts: facts({ m: 'TRANSFER' }), disconnectMs: NOW - 30_000 },
    ],
    agentRows: [],
    entities,
    waiting: null,
    ...over,
  };
}

describe('agent queues', () => {
  it('are recognised by their ARN (…/queue/agent/<agent id>) and belong to that agent', () => {
    expect([isAgentQueue(ALICE_QUEUE), isAgentQueue(SALES), isAgentQueue(null)]).toEqual([true, false, false]);
    expect(agentOfAgentQueue(ALICE_QUEUE)).toBe(agentArn('alice'));
  });

  it('are not rows of the real-time Queues view by default, and their contacts are not in its Summary', () => {
    const report = buildRealtimeReport(input());
    expect(report.queues.map((r) => r.name)).toEqual(['Summary', 'Sales']);
    expect(report.queues[0]?.values.contacts_handled).toBe(1);
  });

  it('are shown when asked for, named after their agent', () => {
    const report = buildRealtimeReport(input({ includeAgentQueues: true }));
    expect(report.queues.map((r) => r.name)).toEqual(['Summary', 'alice', 'Sales']);
    expect(report.queues[0]?.values.contacts_handled).toBe(2);
  });

  it('are named after the agent id when the agent’s login is unknown, never the ARN', () => {
    const c = new EntityCatalog();
    expect(c.nameOf(ALICE_QUEUE)).toBe('alice');
    c.put({ kind: 'agent', id: agentArn('alice'), arn: agentArn('alice'), name: 'alice.w', seenMs: 0 });
    expect(c.nameOf(ALICE_QUEUE)).toBe('alice.w');
  });
});
