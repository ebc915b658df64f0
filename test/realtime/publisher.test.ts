/**
 * The real-time publisher against a mocked CloudWatch client: its
 * PutMetricData calls stay within the API's limits (1000 metrics and 1 MB per
 * request, 30 dimensions per metric, finite values) and carry the catalog's
 * names, units and dimensions, with a center large enough to need many calls.
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { MetricDatum, PutMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EntityCatalog } from '../../lambdas/domain/engine/entities.js';
import type { TimelinePoint } from '../../lambdas/domain/engine/agent-activity.js';
import { AGENT_METRICS, PIPELINE_METRICS, QUEUE_METRICS } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import type { CloudWatchMetricDef } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import type { Datapoint } from '../../lambdas/domain/realtime/datapoints.js';
import { CloudWatchMetricsPublisher, InvalidDatapointError } from '../../lambdas/realtime/cloudwatch-publisher.js';
import { defaultPublisherConfig, parseSlThresholds, RealtimePublisher, SlThresholdConfigError } from '../../lambdas/realtime/publisher.js';
import { runInstant } from '../../lambdas/handlers/realtime-publisher.js';
import type { AgentState, StoredContact } from '../../lambdas/storage/metric-store.js';
import { agentState, dims, facts, MemoryReader, ms, point } from './fixtures.js';

const cw = mockClient(CloudWatchClient);
beforeEach(() => {
  cw.reset();
  cw.on(PutMetricDataCommand).resolves({});
});

const CATALOG: ReadonlyMap<string, CloudWatchMetricDef> = new Map([...Object.values(QUEUE_METRICS), ...Object.values(AGENT_METRICS), ...Object.values(PIPELINE_METRICS)].map((m) => [m.name, m]));
const ONE_MB = 1024 * 1024;

/** The request body in the AWS query encoding, built here with URLSearchParams, independently of the adapter's own estimate. */
function queryBody(input: PutMetricDataCommandInput): string {
  const p = new URLSearchParams({ Action: 'PutMetricData', Version: '2010-08-01', Namespace: input.Namespace ?? '' });
  (input.MetricData ?? []).forEach((d, i) => {
    const k = `MetricData.member.${i + 1}.`;
    p.append(`${k}MetricName`, d.MetricName ?? '');
    if (d.Unit) p.append(`${k}Unit`, d.Unit);
    p.append(`${k}Value`, String(d.Value));
    if (d.Timestamp) p.append(`${k}Timestamp`, d.Timestamp.toISOString());
    (d.Dimensions ?? []).forEach((dim, j) => {
      p.append(`${k}Dimensions.member.${j + 1}.Name`, dim.Name ?? '');
      p.append(`${k}Dimensions.member.${j + 1}.Value`, dim.Value ?? '');
    });
  });
  return p.toString();
}

const calls = () => cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
const datums = () => calls().flatMap((i) => i.MetricData ?? []);

// A large center: 700 queues with long names, 50 routing profiles of 14 queues each, 600 agents.
const NOW = ms('2026-03-10T15:00:00Z');
const queueName = (i: number) => `Queue ${String(i).padStart(4, '0')} ${'x'.repeat(48)}`;
const queueArn = (i: number) => `arn:aws:connect:us-east-1:123456789012:instance/i/queue/${i}`;
const profileArn = (p: number) => `arn:aws:connect:us-east-1:123456789012:instance/i/routing-profile/${p}`;

function bigCenter(): MemoryReader {
  const catalog = new EntityCatalog();
  for (let i = 0; i < 700; i++) catalog.put({ kind: 'queue', id: queueArn(i), arn: queueArn(i), name: queueName(i), seenMs: 0 });
  for (let p = 0; p < 50; p++) catalog.put({ kind: 'routingProfile', id: profileArn(p), arn: profileArn(p), name: `Profile ${p}`, seenMs: 0 });
  const states: AgentState[] = [];
  const timelines = new Map<string, TimelinePoint[]>();
  for (let a = 0; a < 600; a++) {
    const p = a % 50;
    const base = agentState({ agent: `agent-${a}`, status: a % 7 === 0 ? 'Break' : 'Available', at: '2026-03-10T14:58:00Z', contacts: a % 3 === 0 ? [{ state: 'CONNECTED' }] : [] });
    const snapshot = base.snapshot && {
      ...base.snapshot,
      configuration: {
        ...base.snapshot.configuration,
        routingProfile: { id: profileArn(p), arn: profileArn(p), name: `Profile ${p}` },
        inboundQueues: Array.from({ length: 14 }, (_, k) => ({ id: queueArn(p * 14 + k), arn: queueArn(p * 14 + k), name: queueName(p * 14 + k) })),
      },
    };
    states.push({ ...base, snapshot });
    timelines.set(base.agentArn, [
      point({ eventMs: NOW - 20 * 60_000, dims: dims({ agent: base.agentArn, routingProfile: profileArn(p) }) }),
      point({ eventMs: NOW - 5 * 60_000, contacts: [{ id: `c-${a}`, state: 'CONNECTED' }], dims: dims({ agent: base.agentArn, routingProfile: profileArn(p) }) }),
    ]);
  }
  const contacts: StoredContact[] = [];
  for (let i = 0; i < 700; i++) {
    for (let k = 0; k < 3; k++) contacts.push({ contactId: `q${i}-${k}`, dims: dims({ queue: queueArn(i) }), facts: facts({ q: 10 + k * 40 }), disconnectMs: NOW - (k + 1) * 50_000 });
  }
  return new MemoryReader(states, contacts, timelines, catalog);
}

describe('RealtimePublisher with CloudWatch', () => {
  it('splits a large center into several PutMetricData calls of at most 1000 metrics', async () => {
    const publisher = new RealtimePublisher({ reader: bigCenter(), contactEvents: null, publisher: new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })), config: defaultPublisherConfig('ConnectMetrics') });
    const result = await publisher.run(NOW);
    expect([result.calls > 5, result.calls, calls().every((c) => (c.MetricData?.length ?? 0) <= 1000), datums().length]).toEqual([true, calls().length, true, result.datapoints]);
  });

  it('keeps every request body under 1 MB', async () => {
    const publisher = new RealtimePublisher({ reader: bigCenter(), contactEvents: null, publisher: new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })), config: defaultPublisherConfig('ConnectMetrics') });
    await publisher.run(NOW);
    const sizes = calls().map((c) => Math.max(Buffer.byteLength(queryBody(c)), Buffer.byteLength(JSON.stringify(c))));
    expect(sizes.every((s) => s <= ONE_MB)).toBe(true);
  });

  it('uses the catalog names, units and dimensions, one dimension per queue or routing-profile datum', async () => {
    const publisher = new RealtimePublisher({ reader: bigCenter(), contactEvents: null, publisher: new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })), config: defaultPublisherConfig('ConnectMetrics') });
    await publisher.run(NOW);
    const wrong = datums().filter((d: MetricDatum) => {
      const def = CATALOG.get(d.MetricName ?? '');
      const names = (d.Dimensions ?? []).map((x) => x.Name ?? '');
      return !def || d.Unit !== def.unit || names.length !== Math.min(1, def.dimensions.length) || !names.every((n) => def.dimensions.includes(n)) || !Number.isFinite(d.Value);
    });
    expect([datums().length > 5000, wrong]).toEqual([true, []]);
  });

  it('publishes every queue and every agent count per queue and per routing profile', async () => {
    const publisher = new RealtimePublisher({ reader: bigCenter(), contactEvents: null, publisher: new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })), config: defaultPublisherConfig('ConnectMetrics') });
    await publisher.run(NOW);
    const online = datums().filter((d) => d.MetricName === AGENT_METRICS.online.name);
    const byDim = (n: string) => online.filter((d) => d.Dimensions?.[0]?.Name === n);
    const total = byDim('RoutingProfile').reduce((s, d) => s + (d.Value ?? 0), 0);
    expect([byDim('Queue').length, byDim('RoutingProfile').length, total, calls().every((c) => c.Namespace === 'ConnectMetrics')]).toEqual([700, 50, 600, true]);
  });
});

describe('CloudWatchMetricsPublisher', () => {
  const dp = (value: number, queue: string, metric = QUEUE_METRICS.contactsQueued): Datapoint => ({ metric, dimensions: { Queue: queue }, value, timestampMs: NOW });

  it('cuts batches by size when dimension values are long, still under 1 MB each', async () => {
    const long = (i: number) => `${i}-${'q'.repeat(1000)}`;
    const result = await new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })).publish('ConnectMetrics', Array.from({ length: 2500 }, (_, i) => dp(i, long(i))));
    const counts = calls().map((c) => c.MetricData?.length ?? 0);
    expect([result.calls >= 3, counts.every((n) => n < 1000), counts.reduce((a, b) => a + b, 0), calls().every((c) => Buffer.byteLength(queryBody(c)) <= ONE_MB)]).toEqual([true, true, 2500, true]);
  });

  it('sends values and timestamps as given', async () => {
    await new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })).publish('NS', [dp(3, 'Sales')]);
    expect(datums()).toEqual([{ MetricName: 'ContactsQueued', Unit: 'Count', Value: 3, Timestamp: new Date(NOW), Dimensions: [{ Name: 'Queue', Value: 'Sales' }] }]);
  });

  it('refuses a value CloudWatch would reject before calling it', async () => {
    await expect(new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })).publish('NS', [dp(1, 'Sales'), dp(Number.NaN, 'Sales')])).rejects.toThrow(InvalidDatapointError);
    expect(calls()).toEqual([]);
  });

  it('refuses a dimension the catalog does not list for the metric', async () => {
    const bad: Datapoint = { metric: AGENT_METRICS.occupancy, dimensions: { Queue: 'Sales' }, value: 50, timestampMs: NOW };
    await expect(new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })).publish('NS', [bad])).rejects.toThrow(/not in the catalog/);
  });
});

describe('service-level thresholds', () => {
  const reader = () =>
    new MemoryReader(
      [],
      [
        { contactId: 'a', dims: dims({ queue: 'Q1' }), facts: facts({ q: 20 }), disconnectMs: NOW - 60_000 },
        { contactId: 'b', dims: dims({ queue: 'Q1' }), facts: facts({ q: 45 }), disconnectMs: NOW - 120_000 },
      ],
      new Map(),
      (() => {
        const c = new EntityCatalog();
        c.put({ kind: 'queue', id: 'Q1', arn: null, name: 'Sales', seenMs: 0 });
        return c;
      })(),
    );
  const serviceLevel = async (json: string | undefined) => {
    const p = new RealtimePublisher({ reader: reader(), contactEvents: null, publisher: new CloudWatchMetricsPublisher(new CloudWatchClient({ region: 'us-east-1' })), config: defaultPublisherConfig('NS', parseSlThresholds(json)) });
    return (await p.datapoints(NOW)).find((d) => d.metric === QUEUE_METRICS.serviceLevel)?.value;
  };

  it('measures a queue at 60 seconds by default', async () => {
    expect(await serviceLevel(undefined)).toBe(100);
  });

  it('measures a queue at its configured threshold', async () => {
    expect(await serviceLevel('{"Sales": 30}')).toBe(50);
  });

  it('refuses a threshold the registry does not define', () => {
    expect(() => parseSlThresholds('{"Sales": 40}')).toThrow(SlThresholdConfigError);
  });

  it('refuses text that is not JSON', () => {
    expect(() => parseSlThresholds('Sales=30')).toThrow(SlThresholdConfigError);
  });
});

describe('runInstant', () => {
  it('floors the scheduled time to the minute', () => {
    expect(runInstant('2026-03-10T15:01:00Z', ms('2026-03-10T15:01:03.500Z'))).toBe(ms('2026-03-10T15:01:00Z'));
  });

  it('uses the clock when the event has no time', () => {
    expect(runInstant(undefined, ms('2026-03-10T15:01:59.999Z'))).toBe(ms('2026-03-10T15:01:00Z'));
  });
});
