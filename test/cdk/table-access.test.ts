/**
 * The DynamoDB actions granted to the stream consumers (TABLE_ACCESS.ingestion) cover every call their code makes:
 * both handlers are driven through a recording client over an in-memory table with a simulated center's records,
 * duplicates, late and malformed records (small and large dead letters), and every operation they send must be
 * granted. dynalite has no IAM, so without this a missing grant shows only once deployed, as AccessDenied on every
 * batch.
 */
import { describe, expect, it } from 'vitest';
import { TABLE_ACCESS } from '../../lib/constructs/metrics-table.js';
import { makeAgentEventHandler } from '../../lambdas/handlers/agent-event-stream.js';
import { makeCtrHandler } from '../../lambdas/handlers/ctr-stream.js';
import type { HandlerRuntime } from '../../lambdas/handlers/runtime.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import type { BlobStore } from '../../lambdas/storage/metric-store.js';
import { simulate } from '../../cli/simulator/index.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';
import { kinesisBatch } from '../../bench/kinesis-batch.js';

/** lib-dynamodb's command class names, as the IAM actions they need. */
const ACTION_OF: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
  TransactWriteCommand: 'dynamodb:TransactWriteItems',
  TransactGetCommand: 'dynamodb:TransactGetItems',
};

function recordingRuntime(): { runtime: HandlerRuntime; actions: Set<string> } {
  const table = new MemoryDynamo(0).client();
  const send = table.send.bind(table);
  const actions = new Set<string>();
  const client = {
    send: (command: Parameters<typeof send>[0]) => {
      const name = command.constructor.name;
      actions.add(ACTION_OF[name] ?? `unknown command ${name}`);
      return send(command);
    },
  } as unknown as typeof table;
  const blobs = new Map<string, Uint8Array>();
  const blobStore: BlobStore = {
    put: async (k, b) => void blobs.set(k, b),
    get: async (k) => blobs.get(k) ?? new Uint8Array(),
    delete: async (k) => void blobs.delete(k),
    describe: (k) => `memory://${k}`,
  };
  const store = new DynamoMetricStore(client, 'access', { blobs: blobStore, retentionDays: 30 });
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  return { runtime: { store, log: quiet, report: () => {} }, actions };
}

describe('the stream consumers’ DynamoDB grant', () => {
  it('covers every call the CTR and agent-event handlers make', async () => {
    const sim = simulate({ seed: 5, agents: 6, hours: 3, start: '2026-03-10T08:00:00', timeZone: 'America/New_York' });
    const { runtime, actions } = recordingRuntime();
    const ctr = makeCtrHandler(() => runtime);
    const agents = makeAgentEventHandler(() => runtime);
    const junk = ['not json', 'x'.repeat(100_000), '{"AgentARN": 1}'];
    let seq = 1;
    const feed = async (handler: typeof ctr, source: 'ctr' | 'agent-events', lines: readonly string[]) => {
      // Forward, then again backwards (late records, updates, duplicates), in batches of 100 with malformed records among them.
      for (const pass of [lines, [...lines].reverse()]) {
        for (let i = 0; i < pass.length; i += 100) {
          const batch = [...pass.slice(i, i + 100), ...(i === 0 ? junk : [])];
          const res = await handler(kinesisBatch(source, batch, seq));
          seq += batch.length;
          expect(res.batchItemFailures).toEqual([]);
        }
      }
    };
    await feed(agents, 'agent-events', sim.agentEventLines);
    await feed(ctr, 'ctr', sim.ctrLines);

    // The paths this test means to exercise did run: reads, conditional puts, batch writes (dead letters, dictionary).
    for (const a of ['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:BatchWriteItem', 'dynamodb:BatchGetItem']) expect(actions).toContain(a);
    const granted = new Set<string>(TABLE_ACCESS.ingestion);
    expect([...actions].filter((a) => !granted.has(a))).toEqual([]);
  });
});
