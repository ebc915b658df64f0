/**
 * The activity audit reads the timelines of the agents that can have rows in its range only: an agent whose latest
 * event is before the range and who was not logged in at its start (no stored session spans it) was logged out all
 * along. The rows equal those of reading every agent, over ranges inside, at the end of and after a simulated day.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import type { ReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { buildReport } from '../../lambdas/reporting/generate-report.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import type { MetricReader } from '../../lambdas/storage/metric-store.js';
import { simulate } from '../../cli/simulator/index.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';
import { sequenced } from '../support/racing-writers.js';

const sim = simulate({ seed: 21, agents: 12, hours: 10, start: '2026-03-10T06:00:00', timeZone: 'America/New_York' });
const store = new DynamoMetricStore(new MemoryDynamo(0).client(), 'audit');
const definition = { name: 'audit', type: 'AGENT_ACTIVITY_AUDIT', timeZone: 'America/New_York' } as unknown as ReportDefinition;

beforeAll(async () => {
  const events = sim.agentEventLines.map((l) => {
    const r = parseAgentEvent(JSON.parse(l), { nowMs: Date.parse(sim.truth.end) });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
  for (let i = 0; i < events.length; i += 500) await store.applyAgentEvents(sequenced(events.slice(i, i + 500), 'shardId-000000000001'));
});

/** The store as a reader, counting timeline reads; `everyone` makes every agent look active (the audit reads all). */
function reader(everyone: boolean): { reader: MetricReader; reads: () => number } {
  let reads = 0;
  const r = Object.assign(Object.create(store) as MetricReader, {
    timeline: (arn: string, a: number, b: number) => {
      reads++;
      return store.timeline(arn, a, b);
    },
    agentStates: async () => (await store.agentStates()).map((s) => (everyone ? { ...s, eventMs: Number.MAX_SAFE_INTEGER } : s)),
  });
  return { reader: r, reads: () => reads };
}

describe('activity audit reads', () => {
  const end = Date.parse(sim.truth.end);
  it.each([
    ['inside the day', end - 6 * 3_600_000, false],
    ['at its end', end - 1_800_000, false],
    // Every agent's latest event is before this range: only those still logged in at the end are read.
    ['after it', end + 3_600_000, true],
  ])('%s: reads only agents that can have rows, and the rows equal reading all', async (_name, startMs, fewer) => {
    const range = { startMs, endMs: startMs + 1_800_000 };
    const all = reader(true);
    const some = reader(false);
    const full = await buildReport(definition, range, all.reader);
    const lean = await buildReport(definition, range, some.reader);
    expect(lean.rows).toEqual(full.rows);
    expect(all.reads()).toBe((await store.agentStates()).length);
    expect(some.reads()).toBeGreaterThan(0);
    expect(Math.sign(all.reads() - some.reads())).toBe(fewer ? 1 : 0);
  });
});
