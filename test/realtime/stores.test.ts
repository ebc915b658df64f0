/**
 * Current state against local DynamoDB (dynalite): an agent's latest state
 * survives out-of-order and duplicate agent events, and contact events merge
 * into one lifecycle per contact, with the waiting index in step, whatever
 * the delivery order. The contact-event handler dead-letters what it cannot
 * validate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient, dynamoDocumentClient } from '../../lambdas/adapters/aws-clients.js';
import { parseAgentEvent } from '../../lambdas/domain/model/agent-event.js';
import { parseContactEvent } from '../../lambdas/domain/model/contact-event.js';
import type { AgentEvent } from '../../lambdas/domain/model/types.js';
import { agentFlags, viewOfState } from '../../lambdas/domain/realtime/agent-state.js';
import { handleContactEvent } from '../../lambdas/handlers/contact-events.js';
import { contactEventDeadLetterKey, DynamoContactEventStore } from '../../lambdas/storage/dynamodb/contact-event-store.js';
import { DynamoMetricStore } from '../../lambdas/storage/dynamodb/dynamo-metric-store.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import type { Sequenced } from '../../lambdas/storage/metric-store.js';
import { startLocalServices } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import { simulate } from '../../cli/simulator/index.js';
import { ms } from './fixtures.js';

let services: LocalServices;
let tables = 0;
const docs: DynamoDBDocumentClient[] = [];

beforeAll(async () => {
  services = await startLocalServices();
});
afterAll(async () => {
  for (const d of docs) d.destroy();
  await services?.stop();
});

async function newTable(): Promise<{ doc: DynamoDBDocumentClient; name: string }> {
  const client = dynamoClient({ region: services.region, endpoints: { dynamodb: services.endpoints.dynamodb } });
  const name = `realtime-${++tables}`;
  await ensureTable(client, name);
  const doc = dynamoDocumentClient(client);
  docs.push(doc);
  return { doc, name };
}

let seq = 0;
const sequenced = (events: readonly AgentEvent[]): Sequenced<AgentEvent>[] =>
  events.map((value) => ({ value, position: { shardId: 'shardId-000000000000', sequenceNumber: String(++seq).padStart(20, '0') } }));

// One agent's morning from the simulator, as Connect publishes it.
const sim = simulate({ seed: 11, agents: 3, hours: 6, start: '2026-03-10T12:00:00Z', timeZone: 'UTC' });
const parsed = sim.agentEventLines.map((l) => {
  const r = parseAgentEvent(JSON.parse(l));
  if (!r.ok) throw r.error;
  return r.value;
});
const agent = (parsed[0] as AgentEvent).agentArn;
const events = parsed.filter((e) => e.agentArn === agent);
const newest = events[events.length - 1] as AgentEvent;

describe('DynamoMetricStore.agentStates under out-of-order and duplicate agent events', () => {
  it('keeps the newest event when the agent events arrive newest first, in batches, each delivered twice', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoMetricStore(doc, name, { concurrency: 4 });
    const reversed = [...events].reverse();
    for (let i = 0; i < reversed.length; i += 7) {
      const batch = reversed.slice(i, i + 7);
      await store.applyAgentEvents(sequenced([...batch, ...batch]));
      await store.applyAgentEvents(sequenced(batch));
    }
    const [state] = (await store.agentStates()).filter((s) => s.agentArn === agent);
    expect(state).toEqual({ agentArn: agent, eventMs: newest.eventMs, eventType: newest.eventType, snapshot: newest.current });
  });

  it('keeps a newer state when an older event arrives after it', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoMetricStore(doc, name, { concurrency: 4 });
    await store.applyAgentEvents(sequenced([newest]));
    await store.applyAgentEvents(sequenced(events.slice(0, -1)));
    const [state] = await store.agentStates();
    expect([state?.eventMs, state?.eventType]).toEqual([newest.eventMs, newest.eventType]);
  });

  it('gives the same state and the same timeline as an in-order delivery', async () => {
    const a = await newTable();
    const b = await newTable();
    const inOrder = new DynamoMetricStore(a.doc, a.name, { concurrency: 4 });
    const shuffled = new DynamoMetricStore(b.doc, b.name, { concurrency: 4 });
    await inOrder.applyAgentEvents(sequenced(events));
    // Interleave halves (newer half first), with every other event repeated.
    const half = Math.floor(events.length / 2);
    await shuffled.applyAgentEvents(sequenced(events.slice(half)));
    await shuffled.applyAgentEvents(sequenced(events.slice(0, half).filter((_, i) => i % 2 === 0)));
    await shuffled.applyAgentEvents(sequenced(events.filter((_, i) => i % 2 === 1)));
    await shuffled.applyAgentEvents(sequenced(events.slice(0, half)));
    const from = Date.parse(sim.truth.start);
    const to = Date.parse(sim.truth.end) + 1;
    expect(await shuffled.agentStates()).toEqual(await inOrder.agentStates());
    expect(await shuffled.timeline(agent, from, to)).toEqual(await inOrder.timeline(agent, from, to));
  });

  it('classifies the stored state as the newest event says', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoMetricStore(doc, name, { concurrency: 4 });
    await store.applyAgentEvents(sequenced([...events].reverse()));
    const [state] = await store.agentStates();
    expect(state && agentFlags(viewOfState(state))).toEqual(agentFlags(viewOfState({ agentArn: agent, eventMs: newest.eventMs, eventType: newest.eventType, snapshot: newest.current })));
  });
});

const QUEUE = 'arn:aws:connect:us-east-1:123456789012:instance/i/queue/support';
function contactEvent(type: string, contactId: string, extra: Record<string, unknown>) {
  const r = parseContactEvent({ id: `${type}-${contactId}`, time: '2026-03-10T10:00:00Z', detail: { eventType: type, contactId, initiationMethod: 'INBOUND', channel: 'VOICE', ...extra } });
  if (!r.ok) throw r.error;
  return r.value;
}
const queued = (id: string, at: string) => contactEvent('QUEUED', id, { queueInfo: { queueArn: QUEUE, enqueueTimestamp: at } });
const connected = (id: string, at: string) => contactEvent('CONNECTED_TO_AGENT', id, { agentInfo: { agentArn: 'agent', connectedToAgentTimestamp: at } });
const disconnected = (id: string, at: string) => contactEvent('DISCONNECTED', id, { disconnectTimestamp: at });

describe('DynamoContactEventStore', () => {
  it('says contact events are off until the first one arrives', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoContactEventStore(doc, name);
    const before = await store.enabled();
    await store.apply(queued('c1', '2026-03-10T10:00:00Z'));
    expect([before, await store.enabled()]).toEqual([false, true]);
  });

  it('merges events delivered backwards and twice into the newest state', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoContactEventStore(doc, name);
    const journey = [queued('c1', '2026-03-10T10:00:00Z'), connected('c1', '2026-03-10T10:01:00Z'), disconnected('c1', '2026-03-10T10:04:00Z')];
    const outcomes = [];
    for (const e of [...journey].reverse()) outcomes.push(await store.apply(e));
    for (const e of journey) outcomes.push(await store.apply(e));
    const l = await store.get('c1');
    expect([l?.stage, l?.enqueueMs, l?.connectedToAgentMs, l?.disconnectMs, outcomes.filter((o) => o === 'duplicate').length]).toEqual([
      'DISCONNECTED',
      ms('2026-03-10T10:00:00Z'),
      ms('2026-03-10T10:01:00Z'),
      ms('2026-03-10T10:04:00Z'),
      3,
    ]);
  });

  it('lists only the contacts still waiting', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoContactEventStore(doc, name);
    await store.apply(queued('waiting', '2026-03-10T10:00:00Z'));
    await store.apply(queued('taken', '2026-03-10T10:00:00Z'));
    await store.apply(connected('taken', '2026-03-10T10:00:30Z'));
    await store.apply(disconnected('late-queued', '2026-03-10T10:02:00Z'));
    await store.apply(queued('late-queued', '2026-03-10T10:00:00Z'));
    expect((await store.open()).map((l) => l.contactId)).toEqual(['waiting']);
  });

  it('keeps two concurrent deliveries for one contact', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoContactEventStore(doc, name);
    await Promise.all([store.apply(queued('c1', '2026-03-10T10:00:00Z')), store.apply(connected('c1', '2026-03-10T10:00:30Z'))]);
    const l = await store.get('c1');
    expect([l?.stage, l?.enqueueMs]).toEqual(['CONNECTED_TO_AGENT', ms('2026-03-10T10:00:00Z')]);
  });
});

describe('handleContactEvent', () => {
  it('dead-letters an event it cannot validate, with its raw payload, and does not throw', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoContactEventStore(doc, name);
    const reported: string[] = [];
    const raw = { id: 'evt-1', time: '2026-03-10T10:00:00Z', detail: { eventType: 'QUEUED' } };
    const r = await handleContactEvent(raw, { store, log: { info: () => undefined, warn: () => undefined, error: () => undefined }, report: (c) => reported.push(c.outcome), now: () => ms('2026-03-10T10:00:01Z') });
    const letters = [];
    // Its shard of the dead letters (16 partitions, by event id).
    for await (const item of store.io.query(contactEventDeadLetterKey('evt-1').pk)) letters.push(item);
    expect([r.outcome, reported, letters.map((l) => [l.sk, JSON.parse(String(l.data))])]).toEqual(['dead-lettered', ['dead-lettered'], [['evt-1', raw]]]);
  });

  it('applies a valid event and reports its age', async () => {
    const { doc, name } = await newTable();
    const store = new DynamoContactEventStore(doc, name);
    const ages: Array<number | null> = [];
    const raw = { id: 'evt-2', time: '2026-03-10T10:00:00Z', detail: { eventType: 'QUEUED', contactId: 'c9', queueInfo: { queueArn: QUEUE, enqueueTimestamp: '2026-03-10T10:00:00Z' } } };
    const r = await handleContactEvent(raw, { store, log: { info: () => undefined, warn: () => undefined, error: () => undefined }, report: (c) => ages.push(c.freshnessSec), now: () => ms('2026-03-10T10:00:02Z') });
    expect([r.outcome, ages, (await store.open()).map((l) => l.contactId)]).toEqual(['applied', [2], ['c9']]);
  });
});
