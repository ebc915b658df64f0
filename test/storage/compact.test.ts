import { describe, expect, it } from 'vitest';
import { compactJson, decodeSnapshot, encodeSnapshot, expandJson, instancePrefix } from '../../lambdas/storage/dynamodb/compact.js';
import type { AgentSnapshot } from '../../lambdas/domain/model/types.js';

const PREFIX = 'arn:aws:connect:us-east-1:123456789012:instance/0f0a6b80-6cc8-4f5a-98a4-7f0b55ea7e01/';
const AGENT = `${PREFIX}agent/36122afe-3384-4652-a273-00155fe85cb5`;

describe('compact stored JSON', () => {
  it('finds the instance prefix of a Connect ARN, and none elsewhere', () => {
    expect(instancePrefix(AGENT)).toBe(PREFIX);
    expect(instancePrefix('arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/abc/queue/q')).toBe('arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/abc/');
    expect(instancePrefix('agent-1')).toBeNull();
    expect(instancePrefix(`x${AGENT}`)).toBeNull();
  });

  it('round-trips any JSON, control characters and the prefix inside names included, and shrinks ARNs', () => {
    const value = { q: `${PREFIX}queue/abc`, name: `odd \u0001 name ${PREFIX}`, list: [PREFIX, 'x\u001fy'], n: 5 };
    const json = JSON.stringify(value);
    const stored = compactJson(json, PREFIX);
    expect(stored.length).toBeLessThan(json.length - 2 * PREFIX.length);
    expect(JSON.parse(expandJson(stored, PREFIX))).toEqual(value);
    expect(compactJson(json, null)).toBe(json);
    expect(expandJson(json, PREFIX)).toBe(json);
  });

  it('refuses to expand compacted text without its prefix', () => {
    expect(() => expandJson(compactJson(JSON.stringify([PREFIX]), PREFIX), null)).toThrow(/no instance prefix/);
  });

  it('encodes a snapshot as positional arrays and decodes it to the same snapshot', () => {
    const snap: AgentSnapshot = {
      status: { ref: { id: `${PREFIX}agent-state/s1`, arn: `${PREFIX}agent-state/s1`, name: 'Available' }, type: 'ROUTABLE', startMs: 1773151206762 },
      configuration: {
        username: 'pablo.okafor8',
        firstName: 'Pablo',
        lastName: null,
        routingProfile: { id: 'rp', arn: null, name: 'Support' },
        inboundQueues: [{ id: `${PREFIX}queue/agent/a1`, arn: null, name: null }],
        hierarchy: { level1: { id: 'h1', arn: 'other', name: 'North' }, level2: null, level3: null, level4: null, level5: null },
      },
      contacts: [
        { contactId: 'c1', initialContactId: null, channel: 'VOICE', initiationMethod: 'INBOUND', state: 'CONNECTED', stateStartMs: 1, connectedToAgentMs: 2, queueMs: null, queue: { id: `${PREFIX}queue/q`, arn: null, name: null } },
      ],
    };
    const stored = JSON.stringify(encodeSnapshot(snap));
    expect(stored.length).toBeLessThan(JSON.stringify(snap).length / 1.5);
    expect(decodeSnapshot(JSON.parse(stored))).toEqual(snap);
    const noHierarchy = { ...snap, status: null, configuration: { ...snap.configuration, hierarchy: { level1: null, level2: null, level3: null, level4: null, level5: null } } };
    expect(decodeSnapshot(JSON.parse(JSON.stringify(encodeSnapshot(noHierarchy))))).toEqual(noHierarchy);
    expect(decodeSnapshot(encodeSnapshot(null))).toBeNull();
  });
});
