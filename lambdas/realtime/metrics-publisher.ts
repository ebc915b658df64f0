/**
 * The port the real-time publisher hands its datapoints to. In Lambda the
 * CloudWatch adapter (cloudwatch-publisher.ts) sends them with PutMetricData;
 * the local runtime, which has no CloudWatch, records them
 * (cli/local/metrics-recorder.ts) for the local dashboard.
 */
import type { Datapoint } from '../domain/realtime/datapoints.js';

export interface PublishResult {
  /** Datapoints accepted. */
  readonly datapoints: number;
  /** API calls (PutMetricData requests) made; 0 for a recorder. */
  readonly calls: number;
}

export interface MetricsPublisher {
  publish(namespace: string, datapoints: readonly Datapoint[]): Promise<PublishResult>;
}
