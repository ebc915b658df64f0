/**
 * Agent counts per queue (every inbound queue of the agent's routing
 * profile) and per routing profile, with summary rows that count each agent
 * once, checked by hand.
 */
import { describe, expect, it } from 'vitest';
import { byQueue, byRoutingProfile, classifyState, countAgents } from '../../lambdas/domain/realtime/agent-counts.js';
import { queueRef, ref } from '../support/builders.js';
import { agentState } from './fixtures.js';

const agents = [
  agentState({ agent: 'a1', status: 'Available', profile: 'Sales', queues: ['Sales', 'Support'] }),
  agentState({ agent: 'a2', status: 'Available', profile: 'Sales', queues: ['Sales', 'Support'], contacts: [{ state: 'CONNECTED', queue: 'Support' }] }),
  agentState({ agent: 'a3', status: 'Break', profile: 'Billing', queues: ['Billing', 'Support'] }),
  agentState({ agent: 'a4', status: 'Offline', eventType: 'LOGOUT', profile: 'Billing', queues: ['Billing', 'Support'] }),
].map(classifyState);

const Q = (n: string) => queueRef(n).id;
const RP = (n: string) => ref('routing-profile', n).id;

describe('countAgents by queue', () => {
  const { rows, summary } = countAgents(agents, byQueue);

  it('counts an agent for every inbound queue of their routing profile', () => {
    expect(rows.get(Q('Support'))).toEqual({ online: 3, onContact: 1, npt: 1, acw: 0, error: 0, available: 1, staffed: 2 });
  });

  it('counts only the agents whose profile serves the queue', () => {
    expect(rows.get(Q('Billing'))).toEqual({ online: 1, onContact: 0, npt: 1, acw: 0, error: 0, available: 0, staffed: 0 });
  });

  it('counts each agent once in the summary row, however many queues they serve', () => {
    expect(summary).toEqual({ online: 3, onContact: 1, npt: 1, acw: 0, error: 0, available: 1, staffed: 2 });
  });
});

describe('countAgents by routing profile', () => {
  const { rows, summary } = countAgents(agents, byRoutingProfile);

  it('counts each agent for their own routing profile', () => {
    expect([rows.get(RP('Sales'))?.online, rows.get(RP('Billing'))?.online]).toEqual([2, 1]);
  });

  it('sums to the summary row, as each agent has one routing profile', () => {
    expect((rows.get(RP('Sales'))?.staffed ?? 0) + (rows.get(RP('Billing'))?.staffed ?? 0)).toBe(summary.staffed);
  });
});
