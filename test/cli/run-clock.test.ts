/**
 * `run` starts the scheduler's simulated clock at the first event the
 * handlers accept: records they dead-letter (dated 1970 but invalid, not
 * JSON, missing fields) never move it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMainJob } from '../../cli/commands/run.js';
import { simulate } from '../../cli/simulator/index.js';

const sim = simulate({ seed: 11, agents: 3, hours: 2, start: '2026-03-10T09:00:00Z', timeZone: 'UTC' });
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cm-run-clock-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The first CTR of the simulation with every timestamp moved to 1970 and `change` applied. */
function ctrFrom1970(change: (ctr: Record<string, unknown>) => void, zone = 'Z'): string {
  const text = (sim.ctrLines[0] as string).replace(/"\d{4}-\d{2}-\d{2}T(\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z"/g, `"1970-01-01T$1${zone}"`);
  const ctr = JSON.parse(text) as Record<string, unknown>;
  change(ctr);
  return JSON.stringify(ctr);
}

describe('run: where the simulated clock starts', () => {
  it('starts at the real data, not at dead-lettered records dated 1970 or garbage lines', async () => {
    const ctr = join(dir, 'ctr.jsonl');
    const agentEvents = join(dir, 'agent-events.jsonl');
    const badCtrs = [
      ctrFrom1970((c) => (c.ContactId = '')), // dated 1970, fails validation (empty ContactId)
      ctrFrom1970(() => undefined, ''), // dated 1970 without a zone: Date.parse takes it, the CTR parser does not
      'garbage {"InitiationTimestamp":"1970-01-01T00:00:00Z"',
    ];
    await writeFile(ctr, `${badCtrs[0]}\n${badCtrs[2]}\n${sim.ctrLines.join('\n')}\n${badCtrs[1]}\n`);
    await writeFile(agentEvents, `{"EventTimestamp":"1970-01-01T00:00:00.000Z","EventType":"HEART_BEAT"}\n${sim.agentEventLines.join('\n')}\n`);

    const logged: string[] = [];
    const result = await runMainJob(
      { ctr, agentEvents, reports: 'config/reports.json', until: '2026-03-10T11:00:00Z', out: join(dir, 'out'), keyPrefix: 'connect/connect-metrics', batchSize: 100 },
      (line) => logged.push(line),
    );

    const firstRealEvent = Math.min(
      ...sim.agentEventLines.map((l) => Date.parse((JSON.parse(l) as { EventTimestamp: string }).EventTimestamp)),
      ...sim.ctrLines.map((l) => Date.parse((JSON.parse(l) as { InitiationTimestamp: string }).InitiationTimestamp)),
    );
    expect(new Date(result.fromMs).toISOString()).toBe(new Date(firstRealEvent).toISOString());
    expect(firstRealEvent).toBeGreaterThanOrEqual(Date.parse('2026-03-10T09:00:00Z'));
    // The bad records did reach the handlers, which set them aside.
    expect({ ctr: result.pipeline.ctr?.deadLettered, agentEvents: result.pipeline['agent-events']?.deadLettered }).toEqual({ ctr: 3, agentEvents: 1 });
    // From ~09:00 to 11:00: at most 8 quarter-hour wake-ups, not 2 million from 1970.
    expect(result.wakeUps).toBeGreaterThan(0);
    expect(result.wakeUps).toBeLessThanOrEqual(8);
    expect(logged.join('\n')).toContain(`from ${new Date(firstRealEvent).toISOString()}`);
  });
});
