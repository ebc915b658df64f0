/**
 * Agent-activity primitives over a window from timeline points, and the
 * Agents view rows built from them, computed by hand.
 */
import { describe, expect, it } from 'vitest';
import { agentWindowPrimitives, sumValues } from '../../lambdas/domain/realtime/agent-window.js';
import { agentRow } from '../../lambdas/domain/realtime/agents-view.js';
import { computeMetric, getMetric } from '../../lambdas/domain/metrics/registry.js';
import { agentArn } from '../support/builders.js';
import { agentState, dims, facts, ms, point } from './fixtures.js';

const T = (hhmmss: string) => ms(`2026-03-10T${hhmmss}Z`);
const contact = (id: string, state: string) => ({ id, state });

// 10:00 Available idle; 10:10 X rings; 10:10:10 X connected; 10:20 X in ACW; 10:22 X cleared;
// 10:30 Y rings; 10:30:20 Y missed; 10:30:25 Y cleared; 10:40 Break.
const points = [
  point({ eventMs: T('10:00:00') }),
  point({ eventMs: T('10:10:00'), contacts: [contact('X', 'CONNECTING')] }),
  point({ eventMs: T('10:10:10'), contacts: [contact('X', 'CONNECTED')] }),
  point({ eventMs: T('10:20:00'), contacts: [contact('X', 'ENDED')] }),
  point({ eventMs: T('10:22:00') }),
  point({ eventMs: T('10:30:00'), contacts: [contact('Y', 'CONNECTING')] }),
  point({ eventMs: T('10:30:20'), contacts: [contact('Y', 'MISSED')] }),
  point({ eventMs: T('10:30:25') }),
  point({ eventMs: T('10:40:00'), statusType: 'CUSTOM', statusName: 'Break' }),
];

describe('agentWindowPrimitives', () => {
  it('clips status time to the window', () => {
    const p = sumValues(agentWindowPrimitives(points, T('10:15:00'), T('10:25:00')));
    // On contact 10:15–10:22 (talk then ACW), idle 10:22–10:25.
    expect([p.agent_on_contact_time, p.agent_idle_time, p.online_time]).toEqual([420_000, 180_000, 600_000]);
  });

  it('runs the last segment until the report instant', () => {
    const p = sumValues(agentWindowPrimitives(points, T('10:40:00'), T('10:45:00')));
    expect([p.non_productive_time, p.online_time]).toEqual([300_000, 300_000]);
  });

  it('clips an ACW period that started before the window and counts it where it ends', () => {
    const p = sumValues(agentWindowPrimitives(points, T('10:21:00'), T('10:25:00')));
    expect([p.agent_acw_time, p.agent_acw_count]).toEqual([60_000, 1]);
  });

  it('does not count an ACW period that ends after the window', () => {
    const p = sumValues(agentWindowPrimitives(points, T('10:00:00'), T('10:21:00')));
    expect([p.agent_acw_time ?? 0, p.agent_acw_count ?? 0]).toEqual([0, 0]);
  });

  it('counts a missed offer at the instant it is missed', () => {
    expect([sumValues(agentWindowPrimitives(points, T('10:30:10'), T('10:31:00'))).contacts_missed, sumValues(agentWindowPrimitives(points, T('10:30:21'), T('10:31:00'))).contacts_missed ?? 0]).toEqual([1, 0]);
  });

  it('gives occupancy through the registry formula', () => {
    const p = sumValues(agentWindowPrimitives(points, T('10:00:00'), T('10:40:00')));
    // On contact 10:10:10–10:22 = 710 s. Idle: 10:00–10:10, 10:22–10:30, 10:30:20–10:30:25 (only a missed contact:
    // idle by the registry's rule) and 10:30:25–10:40; ringing (10:10–10:10:10, 10:30–10:30:20) is neither.
    const idle = 600_000 + 480_000 + 5_000 + 575_000;
    expect(p.agent_idle_time).toBe(idle);
    expect(computeMetric(getMetric('occupancy'), p)).toBeCloseTo((710_000 / (710_000 + idle)) * 100, 9);
  });
});

describe('agentRow', () => {
  const state = agentState({ agent: 'alice', status: 'Break', at: '2026-03-10T10:40:00Z', statusSince: '2026-03-10T10:40:00Z' });
  const window = { startMs: T('10:00:00'), endMs: T('10:45:00') };
  const row = agentRow({
    state,
    points,
    contacts: [{ contactId: 'X', dims: dims({ agent: agentArn('alice'), queue: 'Q-Sales' }), facts: facts({ ai: 590, acw: 120 }), disconnectMs: T('10:20:00') }],
    window,
    nowMs: window.endMs,
  });

  it('shows the activity and how long the agent has been in it', () => {
    expect([row.activity, row.durationSec]).toEqual(['Break', 300]);
  });

  it('shows the queue of the last contact the agent handled, not of the missed one', () => {
    expect(row.queueId).toBe('Q-Sales');
  });

  it('computes Handled in, AHT, Missed and Avg ACW over the window', () => {
    expect([row.values.contacts_handled_incoming, row.values.avg_handle_time, row.values.contacts_missed, row.values.avg_acw_agent_events]).toEqual([1, 710, 1, 120]);
  });

  it('shows Handled out as 0 when the agent handled only incoming contacts', () => {
    expect(row.values.contacts_handled_outbound).toBe(0);
  });
});
