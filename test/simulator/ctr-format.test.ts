import { beforeAll, describe, expect, it } from 'vitest';
import type { CtrJson } from './fixture.js';
import { Violations, finalCtrs, fixtureRun, ms, parseCtrs } from './fixture.js';

const SECONDS_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const ARN = /^arn:aws:connect:us-east-1:123456789012:instance\/[0-9a-f-]{36}/;

let lines: CtrJson[];
let finals: CtrJson[];

beforeAll(() => {
  lines = parseCtrs(fixtureRun().ctrLines);
  finals = finalCtrs(lines);
});

function timestamps(c: CtrJson): (string | null)[] {
  return [
    c.InitiationTimestamp,
    c.ConnectedToSystemTimestamp,
    c.DisconnectTimestamp,
    c.LastUpdateTimestamp,
    c.TransferCompletedTimestamp,
    c.Queue?.EnqueueTimestamp ?? null,
    c.Queue?.DequeueTimestamp ?? null,
    c.Agent?.ConnectedToAgentTimestamp ?? null,
    c.Agent?.AfterContactWorkStartTimestamp ?? null,
    c.Agent?.AfterContactWorkEndTimestamp ?? null,
  ];
}

describe('ctr.jsonl format', () => {
  it('has a few thousand records covering every initiation method', () => {
    expect(finals.length).toBeGreaterThan(2000);
    const methods = new Set(finals.map((c) => c.InitiationMethod));
    expect([...methods].sort()).toEqual(['API', 'CALLBACK', 'INBOUND', 'OUTBOUND', 'QUEUE_TRANSFER', 'TRANSFER']);
  });

  it('writes every required field with the documented types', () => {
    const v = new Violations();
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const reasons = ['CUSTOMER_DISCONNECT', 'AGENT_DISCONNECT', 'CONTACT_FLOW_DISCONNECT', 'TELECOM_PROBLEM'];
    for (const c of lines) {
      const id = c.ContactId;
      v.check(c.AWSAccountId === '123456789012', () => `${id}: AWSAccountId`);
      v.check(c.AWSContactTraceRecordFormatVersion === '2017-03-10', () => `${id}: format version`);
      v.check(ARN.test(c.InstanceARN), () => `${id}: InstanceARN`);
      v.check(uuid.test(id), () => `${id}: ContactId`);
      v.check(c.Channel === 'VOICE' || c.Channel === 'CHAT', () => `${id}: Channel`);
      v.check(Number.isInteger(c.AgentConnectionAttempts), () => `${id}: AgentConnectionAttempts`);
      v.check(typeof c.Attributes === 'object' && c.Attributes !== null, () => `${id}: Attributes`);
      v.check(c.Recording === null, () => `${id}: Recording`);
      v.check(JSON.stringify(c.MediaStreams) === JSON.stringify([{ Type: c.Channel === 'CHAT' ? 'CHAT' : 'AUDIO' }]), () => `${id}: MediaStreams`);
      // null: ended by an API (an API contact nobody answered in time), as the contact records data model allows.
      v.check(c.DisconnectReason === null ? c.InitiationMethod === 'API' && c.Agent === null : reasons.includes(c.DisconnectReason), () => `${id}: DisconnectReason`);
      for (const t of timestamps(c)) v.check(t === null || SECONDS_TS.test(t), () => `${id}: timestamp ${String(t)}`);
      if (c.Channel === 'VOICE') v.check(c.CustomerEndpoint?.Type === 'TELEPHONE_NUMBER', () => `${id}: CustomerEndpoint`);
      if (c.Queue) v.check(ARN.test(c.Queue.ARN) && c.Queue.Name.length > 0, () => `${id}: Queue`);
      if (c.Agent) {
        v.check(ARN.test(c.Agent.ARN) && ARN.test(c.Agent.RoutingProfile.ARN), () => `${id}: Agent ARNs`);
        v.check(Object.keys(c.Agent.HierarchyGroups).join() === 'Level1,Level2,Level3,Level4,Level5', () => `${id}: HierarchyGroups`);
        v.check(Object.values(c.Agent.HierarchyGroups).every((g) => ARN.test(g.ARN) && g.GroupName.length > 0), () => `${id}: group`);
      }
    }
    expect(v.list).toEqual([]);
  });

  it('keeps durations consistent with the timestamps', () => {
    const v = new Violations();
    for (const c of lines) {
      const id = c.ContactId;
      v.check(ms(c.InitiationTimestamp) <= ms(c.DisconnectTimestamp), () => `${id}: initiation after disconnect`);
      v.check(ms(c.DisconnectTimestamp) <= ms(c.LastUpdateTimestamp), () => `${id}: disconnect after last update`);
      const q = c.Queue;
      if (q?.EnqueueTimestamp && q.DequeueTimestamp) {
        v.check(q.Duration === (ms(q.DequeueTimestamp) - ms(q.EnqueueTimestamp)) / 1000, () => `${id}: Queue.Duration`);
        v.check(ms(q.EnqueueTimestamp) >= ms(c.InitiationTimestamp), () => `${id}: enqueued before initiation`);
        v.check(ms(q.DequeueTimestamp) <= ms(c.DisconnectTimestamp), () => `${id}: dequeued after disconnect`);
      }
      const a = c.Agent;
      if (!a) continue;
      const talk = (ms(c.DisconnectTimestamp) - ms(a.ConnectedToAgentTimestamp)) / 1000;
      v.check(a.AgentInteractionDuration + a.CustomerHoldDuration === talk, () => `${id}: interaction + hold != answer..disconnect`);
      v.check(a.AgentInteractionDuration >= 0, () => `${id}: negative interaction`);
      v.check(a.LongestHoldDuration <= a.CustomerHoldDuration, () => `${id}: longest hold`);
      v.check(a.NumberOfHolds === 0 === (a.CustomerHoldDuration === 0), () => `${id}: holds vs hold time`);
      if (a.AfterContactWorkStartTimestamp && a.AfterContactWorkEndTimestamp) {
        const acw = (ms(a.AfterContactWorkEndTimestamp) - ms(a.AfterContactWorkStartTimestamp)) / 1000;
        v.check(a.AfterContactWorkDuration === acw, () => `${id}: ACW duration`);
        v.check(a.AfterContactWorkStartTimestamp === c.DisconnectTimestamp, () => `${id}: ACW start != disconnect`);
      } else {
        v.check(a.AfterContactWorkDuration === 0, () => `${id}: ACW without timestamps`);
      }
      // The whisper is inside the queue time: answered = dequeued.
      if (q?.EnqueueTimestamp) v.check(q.DequeueTimestamp === a.ConnectedToAgentTimestamp, () => `${id}: dequeue != answer`);
      v.check(c.AgentConnectionAttempts >= 1, () => `${id}: handled without attempts`);
    }
    expect(v.list).toEqual([]);
  });

  it('models each contact kind as described', () => {
    const byMethod = (m: string): CtrJson[] => finals.filter((c) => c.InitiationMethod === m);
    for (const c of byMethod('OUTBOUND')) {
      expect(c.Queue?.Name).toBe('Outbound');
      expect(c.Queue?.EnqueueTimestamp).toBeNull();
      expect(c.Queue?.Duration).toBe(0);
      expect(c.Agent).not.toBeNull();
    }
    // A callback is queued in the Callback queue or back into the queue the customer waited in.
    const finalsById = new Map(finals.map((c) => [c.ContactId, c]));
    const callbackQueues = new Set<string>();
    for (const c of byMethod('CALLBACK')) {
      expect(c.PreviousContactId).not.toBeNull();
      const original = finalsById.get(c.PreviousContactId ?? '');
      const sameQueue = original !== undefined && c.Queue?.Name === original.Queue?.Name;
      expect(sameQueue || c.Queue?.Name === 'Callback').toBe(true);
      callbackQueues.add(sameQueue ? 'same' : 'Callback');
    }
    expect([...callbackQueues].sort()).toEqual(['Callback', 'same']);
    const byId = new Map(finals.map((c) => [c.ContactId, c]));
    const v = new Violations();
    let moved = 0;
    for (const c of finals) {
      if (c.NextContactId === null) continue;
      const next = byId.get(c.NextContactId);
      if (!next) continue;
      const id = c.ContactId;
      v.check(next.PreviousContactId === id, () => `${id}: next's PreviousContactId`);
      v.check(next.InitialContactId === (c.InitialContactId ?? id), () => `${id}: next's InitialContactId`);
      if (next.InitiationMethod === 'CALLBACK' || next.InitiationMethod === 'QUEUE_TRANSFER') {
        // Moved on by the queue flow before any agent answered.
        v.check(c.Agent === null, () => `${id}: moved by the flow but handled`);
        v.check(c.DisconnectReason === 'CONTACT_FLOW_DISCONNECT', () => `${id}: ${String(c.DisconnectReason)}`);
        v.check(c.Queue?.DequeueTimestamp === c.DisconnectTimestamp, () => `${id}: dequeue != disconnect`);
        moved++;
      } else {
        v.check(next.InitiationMethod === 'TRANSFER' && c.Agent !== null, () => `${id}: next is ${next.InitiationMethod}`);
      }
    }
    expect(v.list).toEqual([]);
    expect(moved).toBeGreaterThan(0);
  });

  it('contains the edge cases the engine must handle', () => {
    expect(finals.some((c) => c.TransferredToEndpoint !== null && c.TransferCompletedTimestamp === c.DisconnectTimestamp)).toBe(true);
    expect(finals.some((c) => (c.Agent?.NumberOfHolds ?? 0) > 1)).toBe(true);
    expect(finals.some((c) => c.AgentConnectionAttempts > 1)).toBe(true);
    expect(finals.some((c) => c.Queue === null)).toBe(true);
    expect(finals.some((c) => c.Channel === 'CHAT' && c.Agent !== null)).toBe(true);
    expect(finals.some((c) => c.DisconnectReason === 'TELECOM_PROBLEM' && c.Agent === null)).toBe(true);
    const abandoned = finals.filter((c) => c.Queue?.EnqueueTimestamp && !c.Agent && !c.NextContactId && c.DisconnectReason === 'CUSTOMER_DISCONNECT');
    expect(abandoned.length).toBeGreaterThan(0);
  });

  it('publishes about 5% of contacts twice, the earlier version differing in metrics and attributes', () => {
    const versions = new Map<string, CtrJson[]>();
    for (const c of lines) versions.set(c.ContactId, [...(versions.get(c.ContactId) ?? []), c]);
    const twice = [...versions.values()].filter((v) => v.length > 1);
    expect(twice.every((v) => v.length === 2)).toBe(true);
    expect(twice.length / versions.size).toBeGreaterThan(0.03);
    expect(twice.length / versions.size).toBeLessThan(0.08);
    for (const v of twice) {
      const [early, final] = [...v].sort((x, y) => ms(x.LastUpdateTimestamp) - ms(y.LastUpdateTimestamp));
      if (!early || !final) continue;
      expect(ms(early.LastUpdateTimestamp)).toBeLessThan(ms(final.LastUpdateTimestamp));
      expect(early.Attributes).not.toEqual(final.Attributes);
      expect(early.Agent?.AfterContactWorkDuration).toBe(0);
      expect(early.Agent?.AfterContactWorkEndTimestamp).toBeNull();
      expect(final.Agent?.AfterContactWorkDuration).toBeGreaterThan(0);
      expect(early.DisconnectTimestamp).toBe(final.DisconnectTimestamp);
    }
  });

  it('is ordered by LastUpdateTimestamp except late copies of earlier versions (about a third)', () => {
    let maxSeen = 0;
    const finalSeen = new Set<string>();
    const finalById = new Map(finals.map((c) => [c.ContactId, c]));
    const v = new Violations();
    let late = 0;
    let earlier = 0;
    for (const c of lines) {
      const t = ms(c.LastUpdateTimestamp);
      const isFinal = finalById.get(c.ContactId) === c;
      if (!isFinal) earlier++;
      if (t < maxSeen) {
        // Only an earlier version whose final version was already written may go back in time.
        v.check(!isFinal && finalSeen.has(c.ContactId), () => `${c.ContactId}: out of order`);
        late++;
      }
      if (isFinal) finalSeen.add(c.ContactId);
      maxSeen = Math.max(maxSeen, t);
    }
    expect(v.list).toEqual([]);
    expect(late / earlier).toBeGreaterThan(0.15);
    expect(late / earlier).toBeLessThan(0.55);
  });
});
