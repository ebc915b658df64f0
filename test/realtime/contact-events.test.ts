/**
 * Contact events: validation of what EventBridge delivers, the merge of a
 * contact's events (order- and duplicate-independent), and In queue, Oldest
 * and Scheduled derived from the merged lifecycles.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContactEvent } from '../../lambdas/domain/model/contact-event.js';
import type { ContactEvent } from '../../lambdas/domain/model/contact-event.js';
import { ValidationError } from '../../lambdas/domain/model/validation.js';
import { lifecycleOf, mergeLifecycle, waitingAt, waitingByQueue } from '../../lambdas/domain/realtime/contact-state.js';
import type { ContactLifecycle } from '../../lambdas/domain/realtime/contact-state.js';
import { ms } from './fixtures.js';

const QUEUE = 'arn:aws:connect:us-west-2:123456789012:instance/i/queue/sales';

/** The documentation's DISCONNECTED sample, with its mixed casing. */
const docDisconnected = {
  version: '0',
  id: 'abcabcab-abca-abca-abca-abcabcabcabc',
  'detail-type': 'Amazon Connect Contact Event',
  source: 'aws.connect',
  account: '111122223333',
  time: '2021-08-04T17:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:...', 'contactArn', 'instanceArn'],
  detail: {
    eventType: 'DISCONNECTED',
    contactId: '11111111-1111-1111-1111-111111111111',
    initialContactId: '11111111-2222-3333-4444-555555555555',
    previousContactId: '11111111-2222-3333-4444-555555555555',
    channel: 'Voice',
    instanceArn: 'arn:aws::connect:us-west-2:123456789012:instance/12345678-1234-1234-1234-123456789012',
    initiationMethod: 'OUTBOUND',
    initiationTimestamp: '2021-08-04T17:17:53.000Z',
    connectedToSystemTimestamp: '2021-08-04T17:17:55.000Z',
    disconnectTimestamp: '2021-08-04T17:18:37.000Z',
    queueInfo: { queueArn: 'arn', queueType: 'type', enqueueTimestamp: '2021-08-04T17:29:04.000Z' },
    AgentInfo: { AgentArn: 'arn', connectedToAgentTimestamp: '2021-08-04T17:29:09.000Z' },
    CustomerVoiceActivity: { greetingStartTimestamp: '2021-08-04T17:29:20.000Z', greetingEndTimestamp: '2021-08-04T17:29:22.000Z' },
  },
};

function event(type: string, contactId: string, extra: Record<string, unknown> = {}): ContactEvent {
  const r = parseContactEvent({ eventType: type, contactId, initiationMethod: 'INBOUND', channel: 'VOICE', ...extra });
  if (!r.ok) throw r.error;
  return r.value;
}

describe('parseContactEvent', () => {
  it('reads the documentation sample, both casings and all', () => {
    const r = parseContactEvent(docDisconnected);
    expect(r.ok && [r.value.eventType, r.value.channel, r.value.eventMs, r.value.enqueueMs, r.value.agentArn, r.value.eventId]).toEqual([
      'DISCONNECTED',
      'VOICE',
      ms('2021-08-04T17:18:37.000Z'),
      ms('2021-08-04T17:29:04.000Z'),
      'arn',
      'abcabcab-abca-abca-abca-abcabcabcabc',
    ]);
  });

  it('reads a bare detail object', () => {
    const r = parseContactEvent({ eventType: 'QUEUED', contactId: 'c1', queueInfo: { queueArn: QUEUE, enqueueTimestamp: '2026-03-10T10:00:00.000Z' } });
    expect(r.ok && [r.value.eventMs, r.value.queue?.id]).toEqual([ms('2026-03-10T10:00:00.000Z'), QUEUE]);
  });

  it('orders an event by the envelope time when it lacks its stage timestamp', () => {
    const r = parseContactEvent({ time: '2026-03-10T10:00:05Z', detail: { eventType: 'QUEUED', contactId: 'c1', queueInfo: { queueArn: QUEUE } } });
    expect(r.ok && r.value.eventMs).toBe(ms('2026-03-10T10:00:05Z'));
  });

  it('rejects an event without a contact id, naming the raw path', () => {
    const r = parseContactEvent({ detail: { eventType: 'QUEUED' } });
    expect(!r.ok && r.error instanceof ValidationError && r.error.issues.map((i) => i.path)).toEqual(['detail.contactId']);
  });

  it('rejects an event it cannot place in time', () => {
    const r = parseContactEvent({ eventType: 'QUEUED', contactId: 'c1' });
    expect(!r.ok && r.error.issues[0]?.path).toBe('queueInfo.enqueueTimestamp');
  });

  it('carries an event type it does not know and reports it', () => {
    const r = parseContactEvent({ time: '2026-03-10T10:00:00Z', detail: { eventType: 'CONTACT_DATA_UPDATED', contactId: 'c1' } });
    expect(r.ok && r.unknownEnums.map((u) => u.value)).toEqual(['CONTACT_DATA_UPDATED']);
  });
});

const lifecycle = (e: ContactEvent): ContactLifecycle => {
  const l = lifecycleOf(e);
  if (!l) throw new Error('unknown stage');
  return l;
};

const journey = [
  event('INITIATED', 'c1', { initiationTimestamp: '2026-03-10T10:00:00Z' }),
  event('QUEUED', 'c1', { queueInfo: { queueArn: QUEUE, enqueueTimestamp: '2026-03-10T10:00:20Z' } }),
  event('CONNECTED_TO_AGENT', 'c1', { agentInfo: { agentArn: 'agent', connectedToAgentTimestamp: '2026-03-10T10:01:00Z' } }),
  event('DISCONNECTED', 'c1', { disconnectTimestamp: '2026-03-10T10:05:00Z' }),
].map(lifecycle);

describe('mergeLifecycle', () => {
  it('keeps the furthest stage and every timestamp seen', () => {
    const merged = journey.reduce(mergeLifecycle);
    expect([merged.stage, merged.queueId, merged.enqueueMs, merged.connectedToAgentMs]).toEqual(['DISCONNECTED', QUEUE, ms('2026-03-10T10:00:20Z'), ms('2026-03-10T10:01:00Z')]);
  });

  it('never lets an older event overwrite a newer state', () => {
    const [initiated, queued, connected] = journey as [ContactLifecycle, ContactLifecycle, ContactLifecycle];
    expect(mergeLifecycle(mergeLifecycle(initiated, connected), queued).stage).toBe('CONNECTED_TO_AGENT');
  });

  it('gives the same lifecycle whatever the order and repetition of the events', () => {
    const expected = journey.reduce(mergeLifecycle);
    // Every event at least once, some repeated, in any order.
    const deliveries = fc
      .array(fc.integer({ min: 0, max: journey.length - 1 }), { maxLength: 8 })
      .chain((extra) => {
        const all = [...journey, ...extra.map((i) => journey[i] as ContactLifecycle)];
        return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
      });
    fc.assert(
      fc.property(deliveries, (delivered) => {
        expect(delivered.reduce(mergeLifecycle)).toEqual(expected);
      }),
    );
  });
});

describe('waitingAt and waitingByQueue', () => {
  const merged = journey.reduce(mergeLifecycle);

  it('sees a contact in queue from its enqueue until an agent takes it', () => {
    expect(['10:00:10', '10:00:20', '10:00:59', '10:01:00'].map((t) => waitingAt(merged, ms(`2026-03-10T${t}Z`)))).toEqual([null, 'queued', 'queued', null]);
  });

  it('sees a callback as scheduled from its initiation until it is queued', () => {
    const cb = [
      event('INITIATED', 'cb', { initiationMethod: 'CALLBACK', initiationTimestamp: '2026-03-10T10:00:00Z', queueInfo: { queueArn: QUEUE } }),
      event('QUEUED', 'cb', { initiationMethod: 'CALLBACK', queueInfo: { queueArn: QUEUE, enqueueTimestamp: '2026-03-10T10:02:00Z' } }),
    ]
      .map(lifecycle)
      .reduce(mergeLifecycle);
    expect(['10:01:00', '10:02:00'].map((t) => waitingAt(cb, ms(`2026-03-10T${t}Z`)))).toEqual(['scheduled', 'queued']);
  });

  it('counts In queue, Oldest and Scheduled per queue', () => {
    const contacts = [
      lifecycle(event('QUEUED', 'a', { queueInfo: { queueArn: QUEUE, enqueueTimestamp: '2026-03-10T10:00:00Z' } })),
      lifecycle(event('QUEUED', 'b', { queueInfo: { queueArn: QUEUE, enqueueTimestamp: '2026-03-10T10:03:00Z' } })),
      lifecycle(event('INITIATED', 'c', { initiationMethod: 'CALLBACK', initiationTimestamp: '2026-03-10T10:04:00Z', queueInfo: { queueArn: QUEUE } })),
    ];
    const w = waitingByQueue(contacts, ms('2026-03-10T10:05:00Z')).byQueue.get(QUEUE);
    expect(w).toEqual({ inQueue: 2, oldestEnqueueMs: ms('2026-03-10T10:00:00Z'), scheduled: 1 });
  });

  it('does not count a contact whose contact record says it ended, though its DISCONNECTED event was lost', () => {
    const queued = lifecycle(event('QUEUED', 'a', { queueInfo: { queueArn: QUEUE, enqueueTimestamp: '2026-03-10T10:00:00Z' } }));
    expect(waitingByQueue([queued], ms('2026-03-10T10:05:00Z'), new Map([['a', ms('2026-03-10T10:01:00Z')]])).summary.inQueue).toBe(0);
  });
});
