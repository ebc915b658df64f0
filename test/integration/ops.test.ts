/**
 * Operations: backfill from archives (JSON lines and Firehose-style gzip) and
 * redrive of dead letters, on the local services; both idempotent.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill, redrive, redriveContactEvents } from '../../cli/commands/ops.js';
import { DynamoContactEventStore } from '../../lambdas/storage/dynamodb/contact-event-store.js';
import { LOCAL_NAMES } from '../../cli/local/pipeline.js';
import { LocalPipeline } from '../../cli/local/pipeline.js';
import { simulate } from '../../cli/simulator/index.js';
import { splitJsonDocuments } from '../../cli/support/archives.js';
import type { Cell } from '../../lambdas/domain/engine/cell.js';
import type { DeadLetter } from '../../lambdas/storage/metric-store.js';
import { compareWithTruth } from '../support/truth-compare.js';

const sim = simulate({ seed: 5, agents: 5, hours: 24, start: '2026-03-10T00:00:00', timeZone: 'Europe/Berlin' });
let dir: string;
let pipeline: LocalPipeline;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cm-ops-'));
  pipeline = await LocalPipeline.start();
});
afterAll(async () => {
  await pipeline?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cells(): Promise<Cell[]> {
  const out: Cell[] = [];
  for await (const c of pipeline.store.cells(Date.parse(sim.truth.start) - 86_400_000, Date.parse(sim.truth.end) + 86_400_000)) out.push(c);
  return out;
}
const target = () => ({ store: pipeline.store, clients: pipeline.clients, close: async () => undefined });

describe('splitJsonDocuments', () => {
  it('splits concatenated documents with and without newlines, braces inside strings included', () => {
    expect(splitJsonDocuments('{"a":"}{"}{"b":1}\n{"c":{"d":2}}')).toEqual(['{"a":"}{"}', '{"b":1}', '{"c":{"d":2}}']);
  });
});

describe('backfill and redrive', () => {
  it('backfills a day from Firehose gzip and JSON-lines archives, equal to the ground truth, and again changes nothing', async () => {
    // CTRs as Firehose writes them: records concatenated without separators, gzip-compressed, split over objects.
    await mkdir(join(dir, 'ctr', '2026', '03', '10'), { recursive: true });
    const half = Math.floor(sim.ctrLines.length / 2);
    await writeFile(join(dir, 'ctr', '2026', '03', '10', 'part-1.gz'), gzipSync(sim.ctrLines.slice(0, half).join('')));
    await writeFile(join(dir, 'ctr', '2026', '03', '10', 'part-2.gz'), gzipSync(sim.ctrLines.slice(half).join('')));
    await writeFile(join(dir, 'agent-events.jsonl'), `${sim.agentEventLines.join('\n')}\n{"not": "an agent event"}\n`);

    const c = await backfill(target(), 'ctr', join(dir, 'ctr'), { batchSize: 300 });
    const a = await backfill(target(), 'agent-events', join(dir, 'agent-events.jsonl'), { batchSize: 500 });
    expect(c.documents).toBe(sim.ctrLines.length);
    expect(a.deadLettered).toBe(1);
    expect(compareWithTruth(sim.truth, await cells())).toEqual([]);

    const again = await backfill(target(), 'ctr', join(dir, 'ctr'));
    expect(again.applied).toBe(0);
    const rebuilt = await backfill(target(), 'agent-events', join(dir, 'agent-events.jsonl'), { rebuild: true });
    expect(rebuilt.applied).toBe(sim.agentEventLines.length);
    expect(compareWithTruth(sim.truth, await cells())).toEqual([]);
  });

  it('redrives dead letters whose cause is fixed, once, and keeps the ones that still fail', async () => {
    // A CTR that was dead-lettered earlier (say, by a version that rejected it) and a still-malformed one.
    const good = JSON.parse(sim.ctrLines[0] as string) as Record<string, unknown>;
    const fixed = { ...good, ContactId: 'redrive-me' };
    const letter = (seq: string, text: string, reason: string): DeadLetter => ({
      source: 'ctr',
      shardId: 'shardId-000000000001',
      sequenceNumber: seq,
      partitionKey: 'k',
      approximateArrivalMs: 0,
      data: Buffer.from(text).toString('base64'),
      reason,
      failedAtMs: 0,
    });
    await pipeline.store.putDeadLetters([letter('1', JSON.stringify(fixed), 'old reason'), letter('2', '{"ContactId": 7}', 'old reason')]);
    const before = pipeline.store.io.meter.writes;

    const first = await redrive(pipeline.store, 'ctr');
    const second = await redrive(pipeline.store, 'ctr');

    expect(first.redriven).toBe(1);
    expect(second.redriven).toBe(0);
    const left: DeadLetter[] = [];
    for await (const d of pipeline.store.deadLetters('ctr')) left.push(d);
    expect(left.map((d) => d.sequenceNumber)).toEqual(['2']);
    expect(left[0]?.reason).toMatch(/^Validation failed: ContactId/);
    expect(pipeline.store.io.meter.writes).toBeGreaterThan(before);
    // The redriven contact counts exactly once.
    let seen = 0;
    for await (const contact of pipeline.store.contacts(Date.parse(sim.truth.start) - 86_400_000, Date.parse(sim.truth.end) + 86_400_000)) if (contact.contactId === 'redrive-me') seen++;
    expect(seen).toBe(1);
  });

  it('redrives dead-lettered contact events whose cause is fixed, and keeps the ones that still fail', async () => {
    const store = new DynamoContactEventStore(pipeline.clients.dynamoDocument, LOCAL_NAMES.table);
    const queued = { time: '2026-03-10T10:00:05Z', detail: { eventType: 'QUEUED', contactId: 'ce-1', queueInfo: { queueArn: 'arn:aws:connect:us-east-1:123456789012:instance/i/queue/sales' } } };
    await store.putDeadLetter({ reason: 'old reason', data: JSON.stringify(queued), failedAtMs: 0, eventId: 'ev-1' });
    await store.putDeadLetter({ reason: 'old reason', data: JSON.stringify({ detail: { eventType: 'QUEUED' } }), failedAtMs: 0, eventId: 'ev-2' });

    const first = await redriveContactEvents(store);
    const second = await redriveContactEvents(store);

    expect(first).toEqual({ redriven: 1, stillFailing: 1 });
    expect(second).toEqual({ redriven: 0, stillFailing: 1 });
    expect(await store.get('ce-1')).not.toBeNull();
    const left: string[] = [];
    for await (const d of store.deadLetters()) left.push(d.id);
    expect(left).toEqual(['ev-2']);
  });
});
