/**
 * Sends datapoints to CloudWatch with PutMetricData, batched within the API's
 * limits (PutMetricData API reference): at most 1000 metrics per request, a
 * request body of at most 1 MB, at most 30 dimensions per metric, dimension
 * names of 1–255 and values of 1–1024 characters, and values that are finite
 * and within ±2^360.
 *
 * Why PutMetricData and not the embedded metric format (EMF), which the
 * stream handlers use for their per-batch counters: the publisher is a
 * scheduled job that computes gauges (agents online, contacts in queue,
 * service level) for one instant, once a minute, not a log of requests.
 * - It stamps each datum with the instant (or minute) it describes; EMF
 *   takes the log event's time.
 * - A failed call fails the invocation, so the scheduled run is retried and
 *   the failure shows in the function's error metric; EMF extraction happens
 *   later, out of sight, and drops malformed documents silently.
 * - One call carries up to 1000 datums across many dimension values; EMF
 *   allows 100 metrics per document and bills the log ingestion on top.
 * - The function needs no log group contract, and the local runtime swaps the
 *   adapter for a recorder behind the same interface.
 *
 * The size limit is checked against the larger of the two encodings the SDK
 * may use (the AWS query form encoding, which CloudWatch historically
 * spoke, is always larger than its JSON protocol), so a batch never exceeds
 * 1 MB whatever the client's protocol.
 */
import { PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchClient, MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { Datapoint } from '../domain/realtime/datapoints.js';
import type { MetricsPublisher, PublishResult } from './metrics-publisher.js';

export const PUT_METRIC_DATA_LIMITS = {
  maxDatums: 1000,
  maxBytes: 1024 * 1024,
  maxDimensions: 30,
  maxDimensionNameLength: 255,
  maxDimensionValueLength: 1024,
  maxAbsValue: 2 ** 360,
} as const;

export interface BatchLimits {
  readonly maxDatums: number;
  readonly maxBytes: number;
}

export class InvalidDatapointError extends Error {
  constructor(
    readonly metricName: string,
    reason: string,
  ) {
    super(`Datapoint ${metricName} cannot be published: ${reason}`);
    this.name = 'InvalidDatapointError';
  }
}

/** Fails loudly on a datapoint CloudWatch would reject, so one bad value does not fail a whole batch at the API. */
export function validateDatapoint(d: Datapoint): void {
  const L = PUT_METRIC_DATA_LIMITS;
  const dims = Object.entries(d.dimensions);
  if (dims.length > L.maxDimensions) throw new InvalidDatapointError(d.metric.name, `${dims.length} dimensions (at most ${L.maxDimensions})`);
  for (const [k, v] of dims) {
    if (!d.metric.dimensions.includes(k)) throw new InvalidDatapointError(d.metric.name, `dimension ${k} is not in the catalog (${d.metric.dimensions.join(', ') || 'none'})`);
    if (k.length < 1 || k.length > L.maxDimensionNameLength) throw new InvalidDatapointError(d.metric.name, `dimension name of ${k.length} characters`);
    if (v.length < 1 || v.length > L.maxDimensionValueLength) throw new InvalidDatapointError(d.metric.name, `dimension ${k} has a value of ${v.length} characters (1 to ${L.maxDimensionValueLength})`);
  }
  if (!Number.isFinite(d.value) || Math.abs(d.value) > L.maxAbsValue) throw new InvalidDatapointError(d.metric.name, `value ${d.value}`);
  if (!Number.isFinite(d.timestampMs)) throw new InvalidDatapointError(d.metric.name, 'no valid timestamp');
}

export function toMetricDatum(d: Datapoint): MetricDatum {
  return {
    MetricName: d.metric.name,
    Unit: d.metric.unit,
    Value: d.value,
    Timestamp: new Date(d.timestampMs),
    Dimensions: Object.entries(d.dimensions).map(([Name, Value]) => ({ Name, Value })),
  };
}

const enc = (s: string): number => Buffer.byteLength(encodeURIComponent(s), 'utf8');

/** Bytes a datum adds to a request body in the AWS query encoding (member index `i`, 1-based), an upper bound of its JSON size. */
export function datumBytes(d: MetricDatum, i: number): number {
  const p = `MetricData.member.${i}.`;
  let n = 0;
  const field = (k: string, v: string) => (n += 1 + enc(p + k) + 1 + enc(v));
  field('MetricName', d.MetricName ?? '');
  if (d.Unit) field('Unit', d.Unit);
  field('Value', String(d.Value ?? 0));
  if (d.Timestamp) field('Timestamp', d.Timestamp.toISOString());
  (d.Dimensions ?? []).forEach((dim, j) => {
    field(`Dimensions.member.${j + 1}.Name`, dim.Name ?? '');
    field(`Dimensions.member.${j + 1}.Value`, dim.Value ?? '');
  });
  return n;
}

/** Fixed part of a request body: action, version, namespace. */
export function envelopeBytes(namespace: string): number {
  return enc('Action') + 1 + enc('PutMetricData') + 1 + enc('Version') + 1 + enc('2010-08-01') + 1 + enc('Namespace') + 1 + enc(namespace);
}

/** Splits datums into requests of at most `maxDatums` and `maxBytes`, in order. */
export function batchDatums(namespace: string, datums: readonly MetricDatum[], limits: BatchLimits = PUT_METRIC_DATA_LIMITS): MetricDatum[][] {
  const out: MetricDatum[][] = [];
  let batch: MetricDatum[] = [];
  let bytes = envelopeBytes(namespace);
  for (const d of datums) {
    let size = datumBytes(d, batch.length + 1);
    if (batch.length > 0 && (batch.length >= limits.maxDatums || bytes + size > limits.maxBytes)) {
      out.push(batch);
      batch = [];
      bytes = envelopeBytes(namespace);
      size = datumBytes(d, 1);
    }
    if (bytes + size > limits.maxBytes) throw new InvalidDatapointError(d.MetricName ?? '?', `one datum of ${size} bytes exceeds the request limit`);
    batch.push(d);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

export class CloudWatchMetricsPublisher implements MetricsPublisher {
  constructor(
    private readonly client: CloudWatchClient,
    private readonly limits: BatchLimits = PUT_METRIC_DATA_LIMITS,
  ) {}

  async publish(namespace: string, datapoints: readonly Datapoint[]): Promise<PublishResult> {
    datapoints.forEach(validateDatapoint);
    const batches = batchDatums(namespace, datapoints.map(toMetricDatum), this.limits);
    // Sequential: a minute's worth fits in a few calls, and the first failure (after the SDK's own retries) fails the run.
    // A retried run resends the batches that did go through: gauges are unaffected, a count's Sum can double for that minute.
    for (const MetricData of batches) await this.client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData }));
    return { datapoints: datapoints.length, calls: batches.length };
  }
}
