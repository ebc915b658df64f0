/**
 * `redrive` and `backfill` with records the store turns away: 4,000 heartbeats of one agent in one 15-minute
 * interval are more than the store keeps for an agent and interval (MAX_BUCKET_BYTES). The events that fit are
 * applied, and every other one stays (redrive) or becomes (backfill) a dead letter with the store's reason: none is
 * counted as applied and then lost. On the in-memory table, through the real SDK client.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill, redrive } from '../../cli/commands/ops.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import type { DeadLetter } from '../../lambdas/storage/metric-store.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';

const base = JSON.parse(readFileSync(new URL('../../sample-events/agent-events/sample-heartbeat.json', import.meta.url), 'utf8'));
base.PreviousAgentSnapshot = null;
const bucketStart = Date.parse('2026-03-10T14:00:00Z');
base.CurrentAgentSnapshot.AgentStatus.StartTimestamp = new Date(bucketStart - 60_000).toISOString();
const lines = Array.from({ length: 4000 }, (_, i) => JSON.stringify({ ...base, EventId: `flood-${i}`, EventTimestamp: new Date(bucketStart + 1000 + i * 200).toISOString() }));

const newStore = () => new DynamoMetricStore(new MemoryDynamo(0).client(), 'ops');
async function letters(store: DynamoMetricStore): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const d of store.deadLetters('agent-events')) out.push(d);
  return out;
}
const storedFlood = async (store: DynamoMetricStore) => (await store.timeline(base.AgentARN, bucketStart - 1, bucketStart + 900_000)).filter((p) => p.eventId.startsWith('flood-')).length;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cm-ops-away-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('records the store turns away', () => {
  it('redrive keeps them dead-lettered with the store’s reason, and counts only what it applied', async () => {
    const store = newStore();
    await store.putDeadLetters(
      lines.map((line, i) => ({
        source: 'agent-events' as const,
        shardId: 'shardId-000000000001',
        sequenceNumber: String(i + 1).padStart(21, '0'),
        partitionKey: base.AgentARN,
        approximateArrivalMs: bucketStart,
        data: Buffer.from(line).toString('base64'),
        reason: 'Validation failed: an older rule',
        failedAtMs: bucketStart,
      })),
    );
    const r = await redrive(store, 'agent-events');
    const left = await letters(store);
    const stored = await storedFlood(store);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(lines.length);
    expect(r).toEqual({ redriven: stored, stillFailing: lines.length - stored });
    expect(left).toHaveLength(lines.length - stored);
    for (const d of left) expect(d.reason).toMatch(/more activity in the 15-minute interval starting 2026-03-10T14:00:00\.000Z than the store keeps/);

    // Again: nothing more fits, nothing is lost, nothing is counted twice.
    expect(await redrive(store, 'agent-events')).toEqual({ redriven: 0, stillFailing: lines.length - stored });
    expect(await letters(store)).toHaveLength(lines.length - stored);
    expect(await storedFlood(store)).toBe(stored);
  });

  it('backfill dead-letters them with the store’s reason and its archive position', async () => {
    const store = newStore();
    const file = join(dir, 'flood.jsonl');
    await writeFile(file, lines.join('\n') + '\n');
    const r = await backfill({ store, clients: {} as never }, 'agent-events', file, { batchSize: 700 });
    const left = await letters(store);
    const stored = await storedFlood(store);
    expect(stored).toBeGreaterThan(0);
    expect(r).toEqual({ documents: lines.length, applied: stored, duplicates: 0, deadLettered: lines.length - stored });
    expect(left).toHaveLength(lines.length - stored);
    for (const d of left) {
      expect(d.reason).toMatch(/than the store keeps/);
      expect(d.shardId).toBe(`backfill:${file}`);
      expect(Buffer.from(d.data, 'base64').toString('utf8')).toBe(lines[Number(d.sequenceNumber)]);
    }
  });
});
