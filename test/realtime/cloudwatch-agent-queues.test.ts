/**
 * Agent queues (one per agent, for transfers to that agent) are not
 * published as CloudWatch queue metrics.
 */
import { describe, expect, it } from 'vitest';
import { isAgentQueue } from '../../lambdas/domain/agent-queue.js';
import { realtimeDatapoints } from '../../lambdas/domain/realtime/datapoints.js';

const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const SALES = `${INSTANCE}/queue/6f3c1d2e-8a4b-4c5d-9e6f-0a1b2c3d4e02`;
const AGENT_QUEUE = `${INSTANCE}/queue/agent/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;

describe('isAgentQueue', () => {
  it('recognises an agent queue ARN, and no standard queue, name or look-alike', () => {
    expect(isAgentQueue(AGENT_QUEUE)).toBe(true);
    expect([SALES, 'agent', 'Sales /queue/agent/ team', `${INSTANCE}/queue/agentish/x`, `${INSTANCE}/queue/agent/`].map(isAgentQueue)).toEqual([false, false, false, false, false]);
  });
});

describe('realtimeDatapoints', () => {
  it('publishes queue metrics for standard queues only', () => {
    const names = new Map([
      [SALES, 'Sales'],
      [AGENT_QUEUE, 'agent-jane'],
    ]);
    const points = realtimeDatapoints({
      nowMs: Date.parse('2026-03-10T15:00:00Z'),
      agents: [],
      contacts: [],
      occupancyByProfile: new Map(),
      waiting: null,
      queueIds: [SALES, AGENT_QUEUE],
      routingProfileIds: [],
      queueName: (id) => names.get(id) ?? id,
      routingProfileName: (id) => id,
      slThreshold: () => 60,
      newestAgentEventMs: null,
    });
    const queues = new Set(points.map((p) => p.dimensions.Queue).filter((q) => q !== undefined));
    expect([...queues]).toEqual(['Sales']);
    expect(points.length).toBeGreaterThan(0);
  });
});
