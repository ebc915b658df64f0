/**
 * The engine against the simulator's ground truth: for many seeds, center
 * sizes and time zones, every metric of every 15-minute interval and every
 * queue, agent and routing profile equals what the simulator computed from its
 * own timeline. The simulator never calls the engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../cli/simulator/index.js';
import { MetricEngine } from '../../../lambdas/domain/engine/metric-engine.js';
import { parseAgentEvent } from '../../../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../../../lambdas/domain/model/ctr.js';
import { compareWithTruth } from '../../support/truth-compare.js';

function engineFor(ctrLines: string[], eventLines: string[]): MetricEngine {
  const engine = new MetricEngine();
  for (const line of ctrLines) {
    const r = parseCtr(JSON.parse(line));
    if (!r.ok) throw r.error;
    engine.addCtr(r.value);
  }
  for (const line of eventLines) {
    const r = parseAgentEvent(JSON.parse(line));
    if (!r.ok) throw r.error;
    engine.addAgentEvent(r.value);
  }
  return engine;
}

describe('engine vs simulator ground truth', () => {
  it('agrees on every interval, grouping and metric for many seeds', () => {
    let checkedValues = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 3, max: 10 }),
        fc.constantFrom('UTC', 'America/New_York', 'Asia/Kathmandu', 'Europe/Berlin'),
        (seed, agents, timeZone) => {
          const sim = simulate({ seed, agents, hours: 24, start: '2026-03-10T00:00:00', timeZone });
          const engine = engineFor(sim.ctrLines, sim.agentEventLines);
          expect(compareWithTruth(sim.truth, engine.cells().values())).toEqual([]);
          expect(engine.sessions().map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort()).toEqual(
            sim.truth.sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort(),
          );
          for (const i of sim.truth.intervals) for (const g of Object.values(i.groups)) for (const row of Object.values(g)) checkedValues += Object.keys(row).length;
        },
      ),
      { numRuns: 25, seed: 20261121 },
    );
    expect(checkedValues).toBeGreaterThan(100_000);
  });

  it('agrees across the DST change (America/New_York, 2026-03-08 and 2026-11-01)', () => {
    for (const start of ['2026-03-07T12:00:00', '2026-10-31T12:00:00']) {
      const sim = simulate({ seed: 11, agents: 6, hours: 36, start, timeZone: 'America/New_York' });
      expect(sim.ctrLines.length).toBeGreaterThan(50);
      expect(compareWithTruth(sim.truth, engineFor(sim.ctrLines, sim.agentEventLines).cells().values())).toEqual([]);
    }
  });
});
