/**
 * The 2019 user guide's "Use Agent Event Streams to Determine Agent ACW Time":
 * the contact enters ENDED at StateStartTimestamp 18:55:27.027 and the agent
 * leaves ACW at the EventTimestamp 18:55:32.032 of the STATE_CHANGE whose
 * current snapshot has no contacts → 5.005 s.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { acwPeriods } from '../../../lambdas/domain/engine/agent-activity.js';
import { parseAgentEvent } from '../../../lambdas/domain/model/agent-event.js';
import type { AgentEvent } from '../../../lambdas/domain/model/types.js';
import { engineOf, rows, value } from '../../support/metrics.js';

function sample(name: string): AgentEvent {
  const r = parseAgentEvent(JSON.parse(readFileSync(new URL(`../../../sample-events/agent-events/${name}`, import.meta.url), 'utf8')));
  if (!r.ok) throw r.error;
  return r.value;
}

describe('ACW from the seed example events', () => {
  const entered = sample('seed-acw-1.json');
  const left = sample('seed-acw-2.json');

  it('finds the ACW period from the second event alone: 18:55:27.027 → 18:55:32.032', () => {
    expect(acwPeriods(left)).toEqual([{ contactId: 'ContactId-1', startMs: Date.parse('2018-10-25T18:55:27.027Z'), endMs: Date.parse('2018-10-25T18:55:32.032Z') }]);
    expect(acwPeriods(entered)).toEqual([]);
  });

  it('gives Avg ACW = 5.005 s through the engine and the registry', () => {
    const [row] = rows(engineOf([], [entered, left]), { start: '2018-10-25T18:45:00Z', end: '2018-10-25T19:00:00Z', groupBy: ['agent'] });
    expect(value(row, 'avg_acw_agent_events')).toBeCloseTo(5.005, 9);
  });
});
