/**
 * The DynamoDB actions granted to the stream consumers (TABLE_ACCESS.ingestion) cover every call their code makes,
 * and those granted to the report scheduler (TABLE_ACCESS.scheduler) every call building a report makes:
 * both handlers are driven through a recording client over an in-memory table with a simulated center's records,
 * duplicates, late and malformed records (small and large dead letters), and every operation they send must be
 * granted. dynalite has no IAM, so without this a missing grant shows only once deployed, as AccessDenied on every
 * batch.
 */
import { describe, expect, it } from 'vitest';
import { TABLE_ACCESS } from '../../lib/constructs/metrics-table.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import { buildReport } from '../../lambdas/reporting/generate-report.js';
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

function recordingRuntime(): { runtime: HandlerRuntime; store: DynamoMetricStore; actions: Set<string> } {
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
  return { runtime: { store, log: quiet, report: () => {} }, store, actions };
}

describe('the DynamoDB grants', () => {
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

  it('the scheduler’s grant covers every call building each report type makes, the name index’s completion included', async () => {
    const sim = simulate({ seed: 5, agents: 6, hours: 3, start: '2026-03-10T08:00:00', timeZone: 'America/New_York' });
    const { runtime, store, actions } = recordingRuntime();
    const ctr = makeCtrHandler(() => runtime);
    const agents = makeAgentEventHandler(() => runtime);
    await agents(kinesisBatch('agent-events', sim.agentEventLines, 1));
    await ctr(kinesisBatch('ctr', sim.ctrLines, 1));
    actions.clear();
    // A new store (a scheduler invocation) on a table whose name index is not yet marked complete: it completes it.
    const reader = store;
    const range = { startMs: Date.parse('2026-03-10T12:00:00Z'), endMs: Date.parse('2026-03-10T16:00:00Z') };
    const defs = parseReportDefinitions({
      reports: [
        { type: 'HISTORICAL', groupings: ['QUEUE', 'AGENT'], filters: { QUEUE: ['BasicQueue'] }, metrics: ['contacts_handled'], interval: 'HOUR' },
        { type: 'LOGIN_LOGOUT', filters: { ROUTING_PROFILE: ['Basic Routing Profile'] } },
        { type: 'AGENT_ACTIVITY_AUDIT', filters: { AGENT: ['agent1'] } },
      ].map((r, i) => ({ name: `r${i}`, timeRange: 'LAST_24_HOURS', schedule: { frequency: 'DAILY', at: '00:00' }, timeZone: 'America/New_York', ...r })),
    });
    for (const def of defs) await buildReport(def, range, reader);
    for (const a of ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem']) expect(actions).toContain(a);
    const granted = new Set<string>(TABLE_ACCESS.scheduler);
    expect([...actions].filter((a) => !granted.has(a))).toEqual([]);
  });
});
