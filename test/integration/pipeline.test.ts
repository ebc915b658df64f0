/**
 * The whole pipeline on local AWS-compatible services (kinesalite, dynalite),
 * records put on Kinesis and processed by the unchanged Lambda handlers through
 * the Lambda-like poller: a simulated day, delivered cleanly, twice, with
 * handler and DynamoDB failures injected, and replayed from TRIM_HORIZON, always
 * ends with aggregates equal to the simulator's ground truth.
 */
import { readFileSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { simulate } from '../../cli/simulator/index.js';
import { LocalPipeline } from '../../cli/local/pipeline.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import type { DeadLetter } from '../../lambdas/storage/metric-store.js';
import { compareWithTruth } from '../support/truth-compare.js';

const sim = simulate({ seed: 42, agents: 6, hours: 24, start: '2026-03-10T00:00:00', timeZone: 'America/Chicago' });
const START = Date.parse(sim.truth.start);
const END = Date.parse(sim.truth.end);

let pipeline: LocalPipeline | undefined;
afterEach(async () => {
  await pipeline?.stop();
  pipeline = undefined;
});

async function storedCells(p: LocalPipeline): Promise<Cell[]> {
  const out: Cell[] = [];
  for await (const c of p.store.cells(START - 86_400_000, END + 86_400_000)) out.push(c);
  return out;
}

/** A seeded coin for fault injection. */
function coin(seed: number) {
  let s = seed >>> 0;
  return (p: number) => {
    s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32 < p;
  };
}

describe('local pipeline vs ground truth', () => {
  it('a simulated day replayed once equals its ground truth', async () => {
    pipeline = await LocalPipeline.start({ batchSize: 100 });
    await pipeline.put('ctr', sim.ctrLines);
    await pipeline.put('agent-events', sim.agentEventLines);
    await pipeline.drain();
    expect(sim.ctrLines.length).toBeGreaterThan(200);
    expect(compareWithTruth(sim.truth, await storedCells(pipeline))).toEqual([]);
    const sessions = await pipeline.store.sessions(START, END + 1);
    expect(sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort()).toEqual(sim.truth.sessions.map((s) => [s.agentArn, s.loginMs, s.logoutMs]).sort());
  });

  it('every record delivered twice, random handler failures, and a DynamoDB failure in every batch: still equal', async () => {
    const flip = coin(7);
    let batch = 0;
    let injected = 0;
    let calls = 0;
    let failAt = -1;
    pipeline = await LocalPipeline.start({
      batchSize: 100,
      wrapHandler: (_source, handler) => async (event) => {
        // Each invocation: maybe throw before doing anything, and arm a DynamoDB failure after the N-th call.
        batch++;
        calls = 0;
        failAt = 1 + (batch % 37);
        if (flip(0.1)) {
          injected++;
          throw new Error('injected handler failure');
        }
        const res = await handler(event);
        if (flip(0.1)) {
          injected++;
          throw new Error('injected failure after the batch was applied');
        }
        return res;
      },
      wrapDynamo: (doc) => {
        const send = doc.send.bind(doc);
        return Object.assign(Object.create(doc) as DynamoDBDocumentClient, {
          send: ((command: Parameters<typeof send>[0]) => {
            if (++calls === failAt) {
              injected++;
              return Promise.reject(new Error(`injected DynamoDB failure at call ${failAt}`));
            }
            return send(command);
          }) as typeof send,
        });
      },
    });
    await pipeline.put('ctr', [...sim.ctrLines, ...sim.ctrLines]);
    await pipeline.put('agent-events', [...sim.agentEventLines, ...sim.agentEventLines]);
    await pipeline.drain();
    failAt = -1;
    expect(injected).toBeGreaterThan(20);
    expect(pipeline.failedBatches).toEqual([]);
    expect(pipeline.totals.ctr?.duplicates).toBeGreaterThanOrEqual(sim.ctrLines.length);
    expect(compareWithTruth(sim.truth, await storedCells(pipeline))).toEqual([]);

    // And the whole streams replayed twice more from TRIM_HORIZON.
    await pipeline.replayFromTrimHorizon();
    await pipeline.replayFromTrimHorizon();
    failAt = -1;
    expect(compareWithTruth(sim.truth, await storedCells(pipeline))).toEqual([]);
  }, 300_000);

  it('dead-letters malformed records with payload and reason, and counts the good records around them', async () => {
    pipeline = await LocalPipeline.start({ batchSize: 50 });
    const bad = [
      readFileSync(new URL('../../sample-events/malformed/not-json.txt', import.meta.url), 'utf8'),
      JSON.stringify(JSON.parse(readFileSync(new URL('../../sample-events/malformed/missing-contact-id.json', import.meta.url), 'utf8'))),
      JSON.stringify(JSON.parse(readFileSync(new URL('../../sample-events/malformed/wrong-type.json', import.meta.url), 'utf8'))),
    ];
    const lines = [...sim.ctrLines.slice(0, 40), ...bad, ...sim.ctrLines.slice(40)];
    await pipeline.put('ctr', lines);
    await pipeline.put('agent-events', sim.agentEventLines);
    await pipeline.drain();
    const dead: DeadLetter[] = [];
    for await (const d of pipeline.store.deadLetters('ctr')) dead.push(d);
    expect(dead).toHaveLength(3);
    const payloads = dead.map((d) => Buffer.from(d.data, 'base64').toString('utf8')).sort();
    expect(payloads).toEqual([...bad].sort());
    expect(dead.map((d) => d.reason)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Record data is not JSON/),
        'Validation failed: ContactId: expected a non-empty string, got nothing (missing)',
        'Validation failed: Agent.AgentInteractionDuration: expected a non-negative integer, got "12" (string)',
      ]),
    );
    for (const d of dead) {
      expect(d.shardId).toMatch(/^shardId-/);
      expect(d.sequenceNumber).toMatch(/^\d+$/);
    }
    expect(pipeline.totals.ctr?.deadLettered).toBe(3);
    expect(compareWithTruth(sim.truth, await storedCells(pipeline))).toEqual([]);
  });
});
