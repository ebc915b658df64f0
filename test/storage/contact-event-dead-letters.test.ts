/**
 * Contact events set aside by the contact-events handler always fit their item: an event nested 34 levels deep with
 * 7,000-character keys (238 KB, under EventBridge's 256 KB) makes a reason that names a path of about 240,000
 * characters, and an id of 2,000 characters cannot be a sort key. Both are dead-lettered, with the payload whole, on
 * the in-memory table through the real SDK client (the store checks every item's size by DynamoDB's rules).
 */
import { describe, expect, it } from 'vitest';
import { handleContactEvent } from '../../lambdas/handlers/contact-events.js';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { contactEventDeadLetterKey, DynamoContactEventStore } from '../../lambdas/storage/dynamodb/contact-event-store.js';
import { MemoryDynamo } from '../../bench/memory-dynamo.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function deadLetter(raw: unknown) {
  const store = new DynamoContactEventStore(new MemoryDynamo(0).client(), 'contact-events');
  const r = await handleContactEvent(raw, { store, log: quiet, report: () => {}, now: () => Date.now() });
  const letters = [];
  for await (const d of store.deadLetters()) letters.push(d);
  return { outcome: r.outcome, letters };
}

describe('contact-event dead letters', () => {
  it('keep an event nested deep with long keys, with a bounded reason and the payload whole', async () => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let i = 0; i < 34; i++) {
      const next: Record<string, unknown> = {};
      node[String(i).padEnd(7000, 'k')] = next;
      node = next;
    }
    const raw = { id: 'evt-deep', source: 'aws.connect', 'detail-type': 'Amazon Connect Contact Event', time: new Date().toISOString(), detail: root };
    const { outcome, letters } = await deadLetter(raw);
    expect(outcome).toBe('dead-lettered');
    expect(letters).toHaveLength(1);
    expect(letters[0]?.id).toBe('evt-deep');
    expect(letters[0]?.reason).toMatch(/nested at most 32 levels deep/);
    expect(letters[0]?.reason.length).toBeLessThan(5000);
    expect(letters[0]?.data).toBe(JSON.stringify(raw));
  });

  it('keep an event whose id cannot be a key under a tag of its payload', async () => {
    const raw = { id: 'x'.repeat(2000), detail: { eventType: 'QUEUED' } };
    const { outcome, letters } = await deadLetter(raw);
    expect(outcome).toBe('dead-lettered');
    expect(letters).toHaveLength(1);
    expect(letters[0]?.id).toMatch(/^\d+-[0-9a-f]+$/);
    expect(letters[0]?.data).toBe(JSON.stringify(raw));
  });

  it('are spread over 16 partitions, and those of earlier releases (one partition) are still listed and deleted', async () => {
    const client = new MemoryDynamo(0).client();
    const store = new DynamoContactEventStore(client, 'contact-events');
    for (let i = 0; i < 64; i++) await handleContactEvent({ id: `evt-${i}`, detail: { eventType: 'QUEUED' } }, { store, log: quiet, report: () => {}, now: () => Date.now() });
    expect(new Set(Array.from({ length: 64 }, (_, i) => contactEventDeadLetterKey(`evt-${i}`).pk)).size).toBe(16);
    await client.send(new PutCommand({ TableName: 'contact-events', Item: { pk: 'X#contact-events', sk: 'evt-old', reason: 'old', data: '{}', failedAtMs: 1 } }));
    const listed = async () => {
      const ids: string[] = [];
      for await (const d of store.deadLetters()) ids.push(d.id);
      return ids.sort();
    };
    const all = await listed();
    expect(all).toHaveLength(65);
    expect(all).toContain('evt-old');
    await store.deleteDeadLetter('evt-old');
    await store.deleteDeadLetter('evt-7');
    expect(await listed()).toEqual(all.filter((id) => id !== 'evt-old' && id !== 'evt-7'));
  });
});
