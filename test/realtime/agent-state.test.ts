/**
 * Agent classification for real-time reports, checked by hand against the
 * definitions in real-time-metrics-definitions.md.
 */
import { describe, expect, it } from 'vitest';
import { agentActivity, agentFlags, contactStateLabel, viewOfState } from '../../lambdas/domain/realtime/agent-state.js';
import type { AgentFlags } from '../../lambdas/domain/realtime/agent-state.js';
import { agentState } from './fixtures.js';
import type { StateSpec } from './fixtures.js';

const flags = (s: Omit<StateSpec, 'agent'>): AgentFlags => agentFlags(viewOfState(agentState({ agent: 'alice', ...s })));
const activity = (s: Omit<StateSpec, 'agent'>): string => agentActivity(viewOfState(agentState({ agent: 'alice', ...s })));

describe('agentFlags', () => {
  it('counts an idle Available agent as online, available and staffed', () => {
    expect(flags({ status: 'Available' })).toEqual({ online: true, onContact: false, npt: false, acw: 0, error: false, available: true, staffed: true });
  });

  it('counts an agent in a custom status as online and NPT, neither staffed nor available', () => {
    expect(flags({ status: 'Break' })).toEqual({ online: true, onContact: false, npt: true, acw: 0, error: false, available: false, staffed: false });
  });

  it('counts an agent talking to a customer as on contact and staffed, not available', () => {
    const f = flags({ status: 'Available', contacts: [{ state: 'CONNECTED' }] });
    expect([f.onContact, f.staffed, f.available]).toEqual([true, true, false]);
  });

  it('counts an agent on hold as on contact', () => {
    expect(flags({ status: 'Available', contacts: [{ state: 'CONNECTED_ONHOLD' }] }).onContact).toBe(true);
  });

  it('counts an agent in ACW as on contact and one contact in ACW', () => {
    const f = flags({ status: 'Available', contacts: [{ state: 'ENDED' }] });
    expect([f.onContact, f.acw]).toEqual([true, 1]);
  });

  it('counts a chat agent with one contact connected and one in ACW once on contact and once in ACW', () => {
    const f = flags({ status: 'Available', contacts: [{ id: 'a', state: 'CONNECTED', channel: 'CHAT' }, { id: 'b', state: 'ENDED', channel: 'CHAT' }] });
    expect([f.onContact, f.acw]).toEqual([true, 1]);
  });

  it('counts contacts, not agents, in ACW: two chats in ACW make 2', () => {
    expect(flags({ status: 'Available', contacts: [{ id: 'a', state: 'ENDED', channel: 'CHAT' }, { id: 'b', state: 'ENDED', channel: 'CHAT' }] }).acw).toBe(2);
  });

  it('counts an outbound call ringing the customer as on contact (outbound ring)', () => {
    expect(flags({ status: 'Available', contacts: [{ state: 'CONNECTING', method: 'OUTBOUND' }] }).onContact).toBe(true);
  });

  it('counts a callback dialing the customer as on contact', () => {
    expect(flags({ status: 'Available', contacts: [{ state: 'CONNECTING', method: 'CALLBACK' }] }).onContact).toBe(true);
  });

  it('does not count an inbound contact ringing the agent as on contact, nor the agent as available', () => {
    const f = flags({ status: 'Available', contacts: [{ state: 'CONNECTING', method: 'INBOUND' }] });
    expect([f.onContact, f.available, f.staffed]).toEqual([false, false, true]);
  });

  it('counts an agent with a missed contact as in error and not available', () => {
    const f = flags({ status: 'Available', contacts: [{ state: 'MISSED' }] });
    expect([f.error, f.available]).toEqual([true, false]);
  });

  it('counts a rejected or errored contact as an error', () => {
    expect([flags({ status: 'Available', contacts: [{ state: 'REJECTED' }] }).error, flags({ status: 'Available', contacts: [{ state: 'ERROR' }] }).error]).toEqual([true, true]);
  });

  it('counts an agent on an outbound call in a custom status as NPT and on contact but not staffed', () => {
    const f = flags({ status: 'Training', contacts: [{ state: 'CONNECTED', method: 'OUTBOUND' }] });
    expect([f.npt, f.onContact, f.staffed]).toEqual([true, true, false]);
  });

  it('counts nothing after a LOGOUT', () => {
    expect(flags({ status: 'Offline', eventType: 'LOGOUT' })).toEqual({ online: false, onContact: false, npt: false, acw: 0, error: false, available: false, staffed: false });
  });

  it('counts an Offline agent as not online', () => {
    expect(flags({ status: 'Offline' }).online).toBe(false);
  });
});

describe('agentActivity', () => {
  it('puts Error before everything else', () => {
    expect(activity({ status: 'Available', contacts: [{ id: 'a', state: 'CONNECTED' }, { id: 'b', state: 'ERROR' }] })).toBe('Error');
  });

  it('puts Missed before On contact', () => {
    expect(activity({ status: 'Available', contacts: [{ id: 'a', state: 'CONNECTED' }, { id: 'b', state: 'MISSED' }] })).toBe('Missed');
  });

  it('puts On contact before After contact work', () => {
    expect(activity({ status: 'Available', contacts: [{ id: 'a', state: 'ENDED' }, { id: 'b', state: 'CONNECTED' }] })).toBe('On contact');
  });

  it('shows After contact work when only ACW remains', () => {
    expect(activity({ status: 'Available', contacts: [{ state: 'ENDED' }] })).toBe('After contact work');
  });

  it('shows Incoming while an inbound contact rings', () => {
    expect(activity({ status: 'Available', contacts: [{ state: 'CONNECTING' }] })).toBe('Incoming');
  });

  it('shows the custom status name when there is no contact', () => {
    expect(activity({ status: 'Lunch' })).toBe('Lunch');
  });

  it('shows Available for an idle routable agent and Offline after a logout', () => {
    expect([activity({ status: 'Available' }), activity({ status: 'Offline', eventType: 'LOGOUT' })]).toEqual(['Available', 'Offline']);
  });
});

describe('contactStateLabel', () => {
  it('names contact states as the real-time Contact State column does', () => {
    const labels = [
      { state: 'CONNECTED', method: 'INBOUND' },
      { state: 'CONNECTED_ONHOLD', method: 'INBOUND' },
      { state: 'ENDED', method: 'INBOUND' },
      { state: 'CONNECTING', method: 'INBOUND' },
      { state: 'CONNECTING', method: 'OUTBOUND' },
      { state: 'INCOMING', method: 'CALLBACK' },
      { state: 'CONNECTING', method: 'CALLBACK' },
      { state: 'MISSED', method: 'INBOUND' },
    ].map(contactStateLabel);
    expect(labels).toEqual(['Connected', 'On hold', 'After contact work', 'Incoming', 'Calling', 'Callback incoming', 'Callback dialing', 'Missed contact']);
  });
});
