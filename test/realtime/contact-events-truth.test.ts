/**
 * In queue, Oldest and Scheduled from contact events, against the contact
 * records of a simulated day. The simulator writes no contact events, so this
 * test derives them from the final contact records (INITIATED at initiation,
 * QUEUED at enqueue, CONNECTED_TO_AGENT at answer, DISCONNECTED at
 * disconnect; a callback's INITIATED names its queue, as the Transfer to
 * queue block that creates it does), delivers them out of order and twice to
 * the contact-event store on local DynamoDB, and compares what the store
 * derives with what the contact records say directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoClient, dynamoDocumentClient } from '../../lambdas/adapters/aws-clients.js';
import { parseContactEvent } from '../../lambdas/domain/model/contact-event.js';
import type { ContactEvent } from '../../lambdas/domain/model/contact-event.js';
import { waitingByQueue } from '../../lambdas/domain/realtime/contact-state.js';
import type { QueueWaiting } from '../../lambdas/domain/realtime/contact-state.js';
import { waitingAt } from '../../lambdas/realtime/realtime-view.js';
import { DynamoContactEventStore } from '../../lambdas/storage/dynamodb/contact-event-store.js';
import { ensureTable } from '../../lambdas/storage/dynamodb/table-schema.js';
import { startLocalServices } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';
import { simulate } from '../../cli/simulator/index.js';

interface RawCtr {
  ContactId: string;
  Channel: string;
  InitiationMethod: string;
  InitiationTimestamp: string;
  DisconnectTimestamp: string;
  LastUpdateTimestamp: string;
  Queue: { ARN: string; EnqueueTimestamp: string | null; DequeueTimestamp: string | null } | null;
  Agent: { ARN: string; ConnectedToAgentTimestamp: string | null } | null;
}

const sim = simulate({ seed: 8, agents: 6, hours: 24, start: '2026-03-10T00:00:00', timeZone: 'Europe/Paris' });
const final = new Map<string, RawCtr>();
for (const l of sim.ctrLines) {
  const c = JSON.parse(l) as RawCtr;
  const cur = final.get(c.ContactId);
  if (!cur || Date.parse(c.LastUpdateTimestamp) > Date.parse(cur.LastUpdateTimestamp)) final.set(c.ContactId, c);
}
// Contacts initiated in the three morning hours (Paris), and an instant when three wait and a callback is scheduled.
const FROM = Date.parse('2026-03-10T06:30:00Z');
const TO = Date.parse('2026-03-10T09:30:00Z');
const T = Date.parse('2026-03-10T08:03:31.250Z');
const slice = [...final.values()].filter((c) => Date.parse(c.InitiationTimestamp) >= FROM && Date.parse(c.InitiationTimestamp) < TO);

function eventsOf(c: RawCtr): ContactEvent[] {
  const base = { contactId: c.ContactId, channel: c.Channel, initiationMethod: c.InitiationMethod, initiationTimestamp: c.InitiationTimestamp };
  const raw: Array<Record<string, unknown>> = [{ ...base, eventType: 'INITIATED', ...(c.InitiationMethod === 'CALLBACK' && c.Queue ? { queueInfo: { queueArn: c.Queue.ARN } } : {}) }];
  if (c.Queue?.EnqueueTimestamp) raw.push({ ...base, eventType: 'QUEUED', queueInfo: { queueArn: c.Queue.ARN, enqueueTimestamp: c.Queue.EnqueueTimestamp } });
  if (c.Agent?.ConnectedToAgentTimestamp) raw.push({ ...base, eventType: 'CONNECTED_TO_AGENT', agentInfo: { agentArn: c.Agent.ARN, connectedToAgentTimestamp: c.Agent.ConnectedToAgentTimestamp } });
  raw.push({ ...base, eventType: 'DISCONNECTED', disconnectTimestamp: c.DisconnectTimestamp });
  return raw.map((detail, i) => {
    const r = parseContactEvent({ id: `${c.ContactId}-${i}`, 'detail-type': 'Amazon Connect Contact Event', source: 'aws.connect', detail });
    if (!r.ok) throw r.error;
    return r.value;
  });
}

/** What the contact records say is waiting at `at`: queued from enqueue to dequeue; a callback scheduled from initiation to enqueue. */
function expectedAt(at: number): Map<string, QueueWaiting> {
  const out = new Map<string, QueueWaiting>();
  for (const c of slice) {
    if (!c.Queue) continue;
    const w = out.get(c.Queue.ARN) ?? { inQueue: 0, oldestEnqueueMs: null, scheduled: 0 };
    const enq = c.Queue.EnqueueTimestamp ? Date.parse(c.Queue.EnqueueTimestamp) : null;
    const deq = Date.parse(c.Queue.DequeueTimestamp ?? c.DisconnectTimestamp);
    if (enq !== null && enq <= at && at < deq) {
      w.inQueue++;
      if (w.oldestEnqueueMs === null || enq < w.oldestEnqueueMs) w.oldestEnqueueMs = enq;
    } else if (c.InitiationMethod === 'CALLBACK' && Date.parse(c.InitiationTimestamp) <= at && (enq === null || at < enq) && at < Date.parse(c.DisconnectTimestamp)) w.scheduled++;
    if (w.inQueue + w.scheduled > 0) out.set(c.Queue.ARN, w);
  }
  return out;
}

const nonEmpty = (m: ReadonlyMap<string, QueueWaiting>) => new Map([...m].filter(([, w]) => w.inQueue + w.scheduled > 0));

let services: LocalServices;
let doc: DynamoDBDocumentClient;
let live: Map<string, QueueWaiting> = new Map();
let store: DynamoContactEventStore;

beforeAll(async () => {
  services = await startLocalServices();
  const client = dynamoClient({ region: services.region, endpoints: { dynamodb: services.endpoints.dynamodb } });
  await ensureTable(client, 'contact-events');
  doc = dynamoDocumentClient(client);
  store = new DynamoContactEventStore(doc, 'contact-events');
  const events = slice.flatMap(eventsOf);
  // Newest first, every third event delivered twice: what a best-effort, unordered delivery may do.
  const delivery = (list: ContactEvent[]) => [...list].reverse().flatMap((e, i) => (i % 3 === 0 ? [e, e] : [e]));
  for (const e of delivery(events.filter((e) => e.eventMs <= T))) await store.apply(e);
  live = nonEmpty((await waitingAt(store, T, []))?.byQueue ?? new Map());
  for (const e of delivery(events.filter((e) => e.eventMs > T))) await store.apply(e);
}, 120_000);
afterAll(async () => {
  doc?.destroy();
  await services?.stop();
});

describe('In queue, Oldest and Scheduled from contact events', () => {
  it('has contacts waiting at T (the comparison means something)', () => {
    const exp = [...expectedAt(T).values()];
    // Scheduled callbacks at some instant of the slice: 'sees callbacks scheduled during their initial delay' below.
    expect([exp.reduce((s, w) => s + w.inQueue, 0) > 0, slice.length > 50]).toEqual([true, true]);
  });

  it('gives at T, from the events delivered by T, what the contact records say', () => {
    expect(live).toEqual(expectedAt(T));
  });

  it('gives every instant of the slice, from all events, what the contact records say', async () => {
    const all = await store.all();
    let checked = 0;
    for (let at = FROM; at < TO; at += 97_000) {
      expect([new Date(at).toISOString(), nonEmpty(waitingByQueue(all, at).byQueue)]).toEqual([new Date(at).toISOString(), expectedAt(at)]);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('sees callbacks scheduled during their initial delay', async () => {
    const all = await store.all();
    let scheduled = 0;
    for (let at = FROM; at < TO; at += 13_000) scheduled += waitingByQueue(all, at).summary.scheduled;
    expect(scheduled).toBeGreaterThan(0);
  });

  it('leaves nothing waiting once every contact has ended', async () => {
    expect(await store.open()).toEqual([]);
  });
});
