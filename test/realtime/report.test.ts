/**
 * The real-time report read through the MetricReader port: window edges to
 * the millisecond, In queue / Oldest / Scheduled with and without contact
 * events, and the CSV a user downloads.
 */
import { parse as csvParse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { EntityCatalog } from '../../lambdas/domain/engine/entities.js';
import { realtimeCsv } from '../../lambdas/domain/realtime/report.js';
import type { ContactLifecycle } from '../../lambdas/domain/realtime/contact-state.js';
import { parseWindow } from '../../lambdas/domain/realtime/windows.js';
import { loadRealtimeReport } from '../../lambdas/realtime/realtime-view.js';
import { openLocalStore, RealtimeCommandError } from '../../cli/commands/realtime.js';
import type { ContactEventSource } from '../../lambdas/storage/contact-event-source.js';
import type { StoredContact } from '../../lambdas/storage/metric-store.js';
import { queueRef, ref } from '../support/builders.js';
import { agentState, dims, facts, MemoryReader, ms } from './fixtures.js';

const NOW = ms('2026-03-10T12:00:00Z');
const SALES = queueRef('Sales').id;
const SUPPORT = queueRef('Support').id;
const PROFILE = ref('routing-profile', 'Basic').id;

const contact = (id: string, disconnectMs: number, queue = SALES): StoredContact => ({ contactId: id, dims: dims({ queue, routingProfile: PROFILE }), facts: facts(), disconnectMs });

function catalog(): EntityCatalog {
  const c = new EntityCatalog();
  c.put({ kind: 'queue', id: SALES, arn: SALES, name: 'Sales', seenMs: 0 });
  c.put({ kind: 'queue', id: SUPPORT, arn: SUPPORT, name: 'Support', seenMs: 0 });
  c.put({ kind: 'routingProfile', id: PROFILE, arn: PROFILE, name: 'Basic', seenMs: 0 });
  return c;
}

const reader = () =>
  new MemoryReader(
    [agentState({ agent: 'alice', status: 'Available', at: '2026-03-10T11:59:00Z', queues: ['Sales', 'Support'] })],
    [contact('before', NOW - 3_600_001), contact('at-start', NOW - 3_600_000), contact('inside', NOW - 1), contact('at-now', NOW)],
    new Map(),
    catalog(),
  );

const lifecycle = (over: Partial<ContactLifecycle> & { contactId: string }): ContactLifecycle => ({
  stage: 'QUEUED',
  stageMs: NOW - 90_000,
  initiationMethod: 'INBOUND',
  channel: 'VOICE',
  queueId: SALES,
  initiationMs: NOW - 100_000,
  enqueueMs: NOW - 90_000,
  connectedToAgentMs: null,
  disconnectMs: null,
  ...over,
});

const events: ContactEventSource = {
  enabled: async () => true,
  open: async () => [
    lifecycle({ contactId: 'q1' }),
    lifecycle({ contactId: 'q2', enqueueMs: NOW - 30_000 }),
    lifecycle({ contactId: 'cb', stage: 'INITIATED', initiationMethod: 'CALLBACK', enqueueMs: null, initiationMs: NOW - 10_000, queueId: SUPPORT }),
  ],
};

describe('loadRealtimeReport', () => {
  it('counts contacts disconnecting from the window start, inclusive, to the instant, exclusive', async () => {
    const { report } = await loadRealtimeReport(reader(), null, { nowMs: NOW, window: parseWindow('1') });
    expect(report.queues.find((r) => r.id === SALES)?.values.contacts_handled).toBe(2);
  });

  it('leaves In queue, Oldest and Scheduled unknown without contact events', async () => {
    const { report } = await loadRealtimeReport(reader(), null, { nowMs: NOW, window: parseWindow('1') });
    expect([report.contactEvents, report.queues.map((r) => r.waiting)]).toEqual([false, [null, null, null]]);
  });

  it('derives In queue, Oldest and Scheduled per queue from contact events', async () => {
    const { report } = await loadRealtimeReport(reader(), events, { nowMs: NOW, window: parseWindow('1') });
    const w = (id: string) => report.queues.find((r) => r.id === id)?.waiting;
    expect([w(SALES), w(SUPPORT)]).toEqual([
      { inQueue: 2, oldestSec: 90, scheduled: 0 },
      { inQueue: 0, oldestSec: null, scheduled: 1 },
    ]);
  });

  it("gives a routing profile the waiting contacts of its inbound queues", async () => {
    const { report } = await loadRealtimeReport(reader(), events, { nowMs: NOW, window: parseWindow('1') });
    expect(report.routingProfiles.find((r) => r.id === PROFILE)?.waiting).toEqual({ inQueue: 2, oldestSec: 90, scheduled: 1 });
  });

  it('writes dashes without contact events and the values with them', async () => {
    const cells = async (src: ContactEventSource | null) => {
      const { report, entities } = await loadRealtimeReport(reader(), src, { nowMs: NOW, window: parseWindow('1') });
      const rows = csvParse(realtimeCsv(report, entities).queues) as string[][];
      const header = rows[0] ?? [];
      const sales = rows.find((r) => r[0] === 'Sales') ?? [];
      return ['In queue', 'Oldest', 'Scheduled'].map((h) => sales[header.indexOf(h)]);
    };
    expect([await cells(null), await cells(events)]).toEqual([
      ['-', '-', '-'],
      ['2', '00:01:30', '0'],
    ]);
  });

  it('starts each CSV with its summary row', async () => {
    const { report, entities } = await loadRealtimeReport(reader(), events, { nowMs: NOW, window: parseWindow('1') });
    const csv = realtimeCsv(report, entities);
    expect([csv.queues, csv.routingProfiles].map((t) => (csvParse(t) as string[][])[1]?.slice(0, 2))).toEqual([
      ['Summary', '1'],
      ['Summary', '1'],
    ]);
  });
});

describe('openLocalStore', () => {
  it('refuses a data dir no replay has filled, saying what to run', async () => {
    await expect(openLocalStore('/nonexistent/connect-metrics')).rejects.toThrow(RealtimeCommandError);
  });
});
