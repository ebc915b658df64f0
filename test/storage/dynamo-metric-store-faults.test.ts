/**
 * Regression: a simulated day of agent events applied in batches of 100 with a
 * DynamoDB failure injected in every batch, each failed batch then re-applied
 * record by record (what the ingest pipeline does). Single-record batches make
 * ACW and connecting-time spills reach buckets outside the loaded range; the
 * store must patch those without rewriting them from a partial view.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient, dynamoDocumentClient } from '../../lambdas/adapters/aws-clients.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import { startLocalServices } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import { simulate } from '../../cli/simulator/index.js';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import { engineOf } from '../support/metrics.js';
import { engineCells, storeCells } from '../support/store-compare.js';

let services: LocalServices;
beforeAll(async () => { services = await startLocalServices(); });
afterAll(async () => { await services?.stop(); });

describe('DynamoMetricStore under failures', () => {
it('equals the reference engine after failed batches are re-applied record by record', async () => {
  const sim = simulate({ seed: 42, agents: 6, hours: 24, start: '2026-03-10T00:00:00', timeZone: 'America/Chicago' });
  const events = sim.agentEventLines.map((l) => { const r = parseAgentEvent(JSON.parse(l)); if (!r.ok) throw r.error; return r.value; });
  const cfg = { region: services.region, endpoints: { dynamodb: services.endpoints.dynamodb } };
  await ensureTable(dynamoClient(cfg), 'faults');
  let calls = 0; let failAt = -1;
  const doc = dynamoDocumentClient(dynamoClient(cfg));
  const send = doc.send.bind(doc);
  const wrapped = Object.assign(Object.create(doc) as DynamoDBDocumentClient, { send: ((c: Parameters<typeof send>[0]) => (++calls === failAt ? Promise.reject(new Error('x')) : send(c))) as typeof send });
  const store = new DynamoMetricStore(wrapped, 'faults');
  let seq = 0;
  for (let i = 0, b = 0; i < events.length; i += 100, b++) {
    const batch = events.slice(i, i + 100).map((value) => ({ value, position: { shardId: 's', sequenceNumber: String(++seq) } }));
    calls = 0; failAt = 1 + (b % 37);
    try { await store.applyAgentEvents(batch); } catch {
      failAt = -1;
      for (const r of batch) await store.applyAgentEvents([r]);
    }
  }
  failAt = -1;
  const START = Date.parse(sim.truth.start) - 86400000, END = Date.parse(sim.truth.end) + 86400000;
  const a = await storeCells(store, START, END);
  const e = engineCells(engineOf([], events), START, END);
  const am = new Map(a), em = new Map(e);
  const diffs = [...new Set([...am.keys(), ...em.keys()])].filter((k) => JSON.stringify(am.get(k)) !== JSON.stringify(em.get(k)));
  expect(e.length).toBeGreaterThan(300);
  expect(diffs).toEqual([]);
});
});
