/**
 * A report reads the names it shows and resolves its filters without reading the whole entity catalog (issue:
 * "reads per report bounded by the report's range (never the whole dictionary)"). Every report type, with filters
 * by name, by ARN and of an agent queue by its agent's login, equals the same report built from the whole catalog;
 * no entity partition (`N#…`) is queried, nor (the audit aside) any agent-state partition (`S#…`); a renamed entity is found by its new
 * name only; and a table written before the name index existed gets its index on the first filtered report.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { agentQueueOf } from '../../lambdas/domain/agent-queue.js';
import type { EntityCatalog, EntityInfo } from '../../lambdas/domain/engine/entities.js';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import { parseCtr } from '../../lambdas/domain/model/ctr.js';
import { parseReportDefinitions } from '../../lambdas/domain/reports/definitions.js';
import type { ReportDefinition } from '../../lambdas/domain/reports/definitions.js';
import { buildReport } from '../../lambdas/reporting/generate-report.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { ENTITY_SHARDS } from '../../lambdas/storage/dynamodb/keys.js';
import { simulate } from '../../cli/simulator/index.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';
import { sequenced } from '../support/racing-writers.js';

const TABLE = 'names';
const sim = simulate({ seed: 5, agents: 16, hours: 8, start: '2026-03-10T07:00:00', timeZone: 'America/New_York' });
const nowMs = Date.parse(sim.truth.end);
const range = { startMs: nowMs - 8 * 3_600_000, endMs: nowMs };

/** Every Query's partition key, as the store sends them. */
const queried: string[] = [];

function recording(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { KeyConditionExpression?: string; ExpressionAttributeValues?: Record<string, unknown> };
      const pk = input.ExpressionAttributeValues?.[':pk'];
      if (input.KeyConditionExpression && typeof pk === 'string') queried.push(pk);
      return next(args);
    },
    { step: 'initialize', name: 'recordQueries' },
  );
  return client;
}

const doc = recording(new MemoryDynamo(0).client());
const store = new DynamoMetricStore(doc, TABLE);
let catalog: EntityCatalog;

beforeAll(async () => {
  const ctrs = sim.ctrLines.map((l) => {
    const r = parseCtr(JSON.parse(l), { nowMs });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
  const events = sim.agentEventLines.map((l) => {
    const r = parseAgentEvent(JSON.parse(l), { nowMs });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
  for (let i = 0; i < ctrs.length; i += 500) await store.applyCtrs(sequenced(ctrs.slice(i, i + 500), 'shardId-000000000001'));
  for (let i = 0; i < events.length; i += 500) await store.applyAgentEvents(sequenced(events.slice(i, i + 500), 'shardId-000000000002'));
  catalog = await store.entities();
  // The index is complete once its marker is written: by the first lookup on a table (tested last).
  await store.entitiesNamed('queue', ['any']);
});

const named = (kind: EntityInfo['kind']): EntityInfo[] => [...catalog.all()].filter((e) => e.kind === kind && e.name !== null);
const first = (kind: EntityInfo['kind']): EntityInfo => {
  const e = named(kind)[0];
  if (!e) throw new Error(`the simulation has no named ${kind}`);
  return e;
};

function defs(reports: readonly Record<string, unknown>[]): ReportDefinition[] {
  return [
    ...parseReportDefinitions({
      reports: reports.map((r, i) => ({ name: `r${i}`, timeRange: 'LAST_24_HOURS', schedule: { frequency: 'DAILY', at: '00:00' }, timeZone: 'America/New_York', ...r })),
    }),
  ];
}

const rowsOf = async (def: ReportDefinition, full?: EntityCatalog) => {
  const built = await buildReport(def, range, store, full);
  return { header: built.header, rows: [...built.rows], warnings: built.warnings };
};

/**
 * Builds the report twice, from the whole catalog and from what it reads itself; the second must query no entity
 * partition (N#) and, but for the activity audit, no agent-state partition (S#): the audit picks the agents that can
 * have rows from every agent's latest event time (one ~1 KB item per agent of the center; see generate-report.ts).
 */
async function bothWays(def: ReportDefinition) {
  const full = await rowsOf(def, catalog);
  queried.length = 0;
  const lean = await rowsOf(def);
  const wholeReads = queried.filter((pk) => pk.startsWith('N#') || (pk.startsWith('S#') && def.type !== 'AGENT_ACTIVITY_AUDIT'));
  return { full, lean, wholeReads };
}

describe('reports read only the names they show', () => {
  it('every report type, unfiltered and filtered by name and by ARN, equals the report built from the whole catalog', async () => {
    const queue = first('queue');
    const agent = first('agent');
    // The agent's own routing profile and top hierarchy group, so that filters combining them select rows.
    const [state] = await store.agentStatesOf([agent.id]);
    const profile = catalog.get(state?.snapshot?.configuration.routingProfile?.id ?? '') as EntityInfo;
    const group = catalog.get(state?.snapshot?.configuration.hierarchy.level1?.id ?? '') as EntityInfo;
    expect(profile?.kind).toBe('routingProfile');
    expect(group?.kind).toBe('hierarchyGroup');
    const all = defs([
      { type: 'HISTORICAL', groupings: ['QUEUE'], metrics: ['contacts_queued', 'contacts_handled'], interval: 'HOUR' },
      { type: 'HISTORICAL', groupings: ['AGENT', 'ROUTING_PROFILE', 'AGENT_HIERARCHY_LEVEL_ONE'], agentName: true, metrics: ['contacts_handled', 'agent_idle_time'], interval: 'TOTAL' },
      { type: 'HISTORICAL', groupings: ['QUEUE'], filters: { QUEUE: [queue.name] }, metrics: ['contacts_queued'], interval: 'TOTAL' },
      { type: 'HISTORICAL', groupings: ['QUEUE'], filters: { QUEUE: [queue.arn] }, metrics: ['contacts_queued'], interval: 'TOTAL' },
      { type: 'HISTORICAL', groupings: ['AGENT'], filters: { ROUTING_PROFILE: [profile.name], AGENT: [agent.name] }, metrics: ['contacts_handled'], interval: 'TOTAL' },
      { type: 'LOGIN_LOGOUT' },
      { type: 'LOGIN_LOGOUT', filters: { ROUTING_PROFILE: [profile.name], AGENT_HIERARCHY_LEVEL_ONE: [group.arn] } },
      { type: 'AGENT_ACTIVITY_AUDIT' },
      { type: 'AGENT_ACTIVITY_AUDIT', filters: { AGENT: [agent.name] } },
    ]);
    for (const def of all) {
      const { full, lean, wholeReads } = await bothWays(def);
      // The report's name goes with each figure, so a failure says which report it was.
      expect({ report: def.name, ...lean }).toEqual({ report: def.name, ...full });
      expect({ report: def.name, hasRows: lean.rows.length > 0, warnings: lean.warnings, wholeReads }).toEqual({ report: def.name, hasRows: true, warnings: [], wholeReads: [] });
    }
    // The store's lookup by name and by ARN (an ARN that is the entity's id has no index entry of its own).
    expect((await store.entitiesNamed('queue', [queue.name as string])).map((e) => e.id)).toEqual([queue.id]);
    expect((await store.entitiesNamed('queue', [queue.arn as string])).map((e) => e.id)).toEqual([queue.id]);
    expect((await store.entitiesNamed('agent', [agent.name as string, agent.arn as string])).map((e) => e.id)).toEqual([agent.id]);
        // Names, not ids, in the rows.
    const [byQueue] = await Promise.all([rowsOf(all[0] as ReportDefinition)]);
    expect(byQueue.rows.some((r) => r.includes(queue.name as string))).toBe(true);
  });

  it('agent states name what their snapshots refer to, read by key, without reading the catalog', async () => {
    queried.length = 0;
    const states = await store.agentStates();
    const some = await store.agentStatesOf(states.slice(0, 3).map((s) => s.agentArn));
    expect(queried.filter((pk) => pk.startsWith('N#'))).toEqual([]);
    expect(some).toEqual(states.slice(0, 3));
    const withSnapshot = states.filter((s) => s.snapshot !== null);
    expect(withSnapshot.length).toBeGreaterThan(0);
    for (const s of withSnapshot) {
      const cfg = s.snapshot?.configuration;
      // Every routing profile and hierarchy group named as the catalog names it; agent queues by ARN, unnamed.
      expect(cfg?.routingProfile?.name).toBe(catalog.get(cfg?.routingProfile?.id ?? '')?.name);
      expect(cfg?.hierarchy.level1?.name).toBe(catalog.get(cfg?.hierarchy.level1?.id ?? '')?.name);
      for (const q of cfg?.inboundQueues ?? []) expect(q.name).toBe(catalog.get(q.id)?.name ?? null);
    }
  });

  it("selects an agent queue by its agent's login, as the whole catalog does", async () => {
    const withQueue = named('agent').find((a) => catalog.get(agentQueueOf(a.id) ?? '')?.kind === 'queue');
    if (!withQueue) throw new Error('the simulation has no agent queue');
    const [def] = defs([{ type: 'HISTORICAL', groupings: ['QUEUE'], filters: { QUEUE: [withQueue.name] }, metrics: ['contacts_queued'], interval: 'TOTAL' }]);
    const { full, lean, wholeReads } = await bothWays(def as ReportDefinition);
    expect(lean).toEqual(full);
    expect(lean.warnings).toEqual([]);
    expect(wholeReads).toEqual([]);
  });

  it('finds a renamed entity by its new name only, and warns on the old one', async () => {
    const renamed = new DynamoMetricStore(new MemoryDynamo(0).client(), TABLE);
    const q = (name: string, lastUpdate: string) => ({
      ...(JSON.parse(sim.ctrLines[0] as string) as Record<string, unknown>),
      ContactId: `renamed-${name}`,
      Queue: { ARN: 'arn:aws:connect:us-east-1:123456789012:instance/i/queue/renamed', Name: name, EnqueueTimestamp: '2026-03-10T12:00:00Z', DequeueTimestamp: '2026-03-10T12:00:30Z', Duration: 30 },
      LastUpdateTimestamp: lastUpdate,
    });
    for (const [name, at] of [['Billing', '2026-03-10T12:05:00Z'], ['Accounts', '2026-03-10T13:05:00Z']] as const) {
      const r = parseCtr(q(name, at), { nowMs });
      if (!r.ok) throw new Error(r.error.message);
      await renamed.applyCtrs(sequenced([r.value], 'shardId-000000000003'));
    }
    expect(await renamed.entitiesNamed('queue', ['Accounts'])).toMatchObject([{ id: 'arn:aws:connect:us-east-1:123456789012:instance/i/queue/renamed', name: 'Accounts' }]);
    expect(await renamed.entitiesNamed('queue', ['Billing'])).toEqual([]);
    const [old] = defs([{ type: 'HISTORICAL', groupings: ['QUEUE'], filters: { QUEUE: ['Billing'] }, metrics: ['contacts_queued'], interval: 'TOTAL' }]);
    const built = await buildReport(old as ReportDefinition, { startMs: Date.parse('2026-03-10T00:00:00Z'), endMs: Date.parse('2026-03-11T00:00:00Z') }, renamed);
    expect(built.warnings).toEqual(['filters.QUEUE: "Billing" matches no queue known to the catalog; no data matches it']);
  });

  it('a table written before the name index gets it from the first filtered report, once', async () => {
    // Remove every index entry and the marker: what a table written by an earlier release holds.
    const partitions = ['E#index', ...(['queue', 'agent', 'routingProfile', 'hierarchyGroup'] as const).flatMap((k) => Array.from({ length: ENTITY_SHARDS }, (_, s) => `E#${k}#${s}`))];
    let removed = 0;
    for (const pk of partitions) {
      const got = await doc.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } }));
      for (const item of got.Items ?? []) {
        await doc.send(new DeleteCommand({ TableName: TABLE, Key: { pk: item.pk, sk: item.sk } }));
        removed++;
      }
    }
    expect(removed).toBeGreaterThan(named('queue').length);
    const upgraded = new DynamoMetricStore(doc, TABLE);
    const profile = first('routingProfile');
    queried.length = 0;
    expect((await upgraded.entitiesNamed('routingProfile', [profile.name as string])).map((e) => e.id)).toEqual([profile.id]);
    expect(queried.filter((pk) => pk.startsWith('N#'))).toHaveLength(4 * ENTITY_SHARDS);
    // Another reader (a later invocation) finds the index complete: no catalog read.
    queried.length = 0;
    const later = new DynamoMetricStore(doc, TABLE);
    expect((await later.entitiesNamed('queue', [first('queue').name as string])).map((e) => e.id)).toEqual([first('queue').id]);
    expect(queried.filter((pk) => pk.startsWith('N#'))).toEqual([]);
  });
});
