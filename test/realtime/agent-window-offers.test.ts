/**
 * The real-time agent window follows the historical rules for offers and outbound ring: an offer gone from the
 * snapshot while ringing (abandoned by the customer) or ended in ERROR is missed; the agent's own outbound call
 * ringing is on contact; time in a custom status with a contact connected is kept per contact for AHT.
 */
import { describe, expect, it } from 'vitest';
import { agentWindowPrimitives, sumValues } from '../../lambdas/domain/realtime/agent-window.js';
import { queueRef } from '../support/builders.js';
import { ms, point } from './fixtures.js';

const T = (hms: string) => ms(`2026-03-10T${hms}Z`);
const SALES = queueRef('Sales').id;

describe('real-time agent window: offers and outbound ring', () => {
  const points = [
    point({ eventMs: T('10:00:00') }),
    point({ eventMs: T('10:01:00'), contacts: [{ id: 'a', state: 'CONNECTING', method: 'INBOUND', queue: SALES, channel: 'VOICE' }] }),
    point({ eventMs: T('10:01:10'), contacts: [] }), // the customer hung up while it rang
    point({ eventMs: T('10:02:00'), contacts: [{ id: 'b', state: 'CONNECTING', method: 'INBOUND', queue: SALES, channel: 'VOICE' }] }),
    point({ eventMs: T('10:02:03'), contacts: [{ id: 'b', state: 'ERROR', method: 'INBOUND', queue: SALES, channel: 'VOICE' }] }),
    point({ eventMs: T('10:02:08'), contacts: [] }),
    point({ eventMs: T('10:03:00'), contacts: [{ id: 'd', state: 'CONNECTING', method: 'OUTBOUND', queue: SALES, channel: 'VOICE' }] }),
    point({ eventMs: T('10:03:20'), contacts: [{ id: 'd', state: 'CONNECTED', method: 'OUTBOUND', queue: SALES, channel: 'VOICE' }] }),
    point({ eventMs: T('10:04:00'), statusType: 'CUSTOM', statusName: 'Break', contacts: [{ id: 'd', state: 'CONNECTED', method: 'OUTBOUND', queue: SALES, channel: 'VOICE' }] }),
    point({ eventMs: T('10:04:30'), statusType: 'CUSTOM', statusName: 'Break', contacts: [] }),
  ];
  const p = sumValues(agentWindowPrimitives(points, T('10:00:00'), T('10:05:00')));

  it('counts the abandoned offer and the offer in ERROR as missed; the outbound dial is not an offer', () => {
    expect(p.contacts_missed).toBe(2);
  });

  it('counts the outbound ring as on contact: 10:03:00–10:04:00 (Break from 10:04 is not on contact)', () => {
    expect(p.agent_on_contact_time).toBe(60_000);
  });

  it('keeps the 30 s in Break with the call connected for Average handle time', () => {
    expect(p.contact_time_in_custom_status).toBe(30_000);
  });
});
