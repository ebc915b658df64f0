import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ConnectStreams } from './constructs/connect-streams.js';
import type { MetricsTable } from './constructs/metrics-table.js';
import { StreamIngestion, type StreamIngestionProps } from './constructs/stream-ingestion.js';
import { ENV } from './env-vars.js';

/** Event-source settings shared by both stream consumers; see `StreamIngestionProps` for defaults. */
export type IngestionSettings = Pick<StreamIngestionProps, 'batchSize' | 'maxBatchingWindow' | 'retryAttempts' | 'maxRecordAge'>;

export interface PipelineStackProps extends StackProps {
  /** The aggregate table, from the `StatefulStack`. */
  readonly table: MetricsTable;

  /** The Amazon Connect streams, from the `StatefulStack`. */
  readonly streams: ConnectStreams;

  /**
   * How long aggregates are kept before DynamoDB TTL removes them (whole days).
   *
   * @default Duration.days(400)
   */
  readonly aggregateRetention?: Duration;

  /** @default - the `StreamIngestion` defaults */
  readonly ingestion?: IngestionSettings;

  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;

  /** @default 'connect-metrics' */
  readonly serviceName?: string;
}

/**
 * The stateless code: the stream consumers that turn Amazon Connect records
 * into aggregates. Safe to redeploy, or delete and recreate, at any time:
 * the data lives in the `StatefulStack`, and a new event source mapping
 * starts from TRIM_HORIZON, i.e. the oldest record the stream still holds.
 */
export class PipelineStack extends Stack {
  public readonly ctrIngestion: StreamIngestion;
  public readonly agentEventIngestion: StreamIngestion;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    const { table, streams, aggregateRetention: retention, ingestion, logRetention, serviceName, ...stackProps } = props;
    super(scope, id, stackProps);
    const aggregateRetention = retention ?? Duration.days(400);
    const ttlDays = aggregateRetention.toDays({ integral: false });
    if (!Number.isInteger(ttlDays) || ttlDays < 1) {
      throw new Error(`PipelineStack: aggregateRetention must be a whole number of days ≥ 1; got ${aggregateRetention.toHumanString()}`);
    }

    const common = {
      table,
      streamRetention: streams.retentionPeriod,
      logRetention,
      serviceName,
      environment: { [ENV.retentionDays]: String(ttlDays) },
      ...ingestion,
    } satisfies Partial<StreamIngestionProps>;

    this.ctrIngestion = new StreamIngestion(this, 'CtrIngestion', { ...common, source: 'ctr', stream: streams.ctrStream });
    this.agentEventIngestion = new StreamIngestion(this, 'AgentEventIngestion', {
      ...common,
      source: 'agent-events',
      stream: streams.agentEventStream,
    });

    for (const [name, consumer] of [['Ctr', this.ctrIngestion], ['AgentEvent', this.agentEventIngestion]] as const) {
      new CfnOutput(this, `${name}FunctionName`, { value: consumer.fn.functionName });
      new CfnOutput(this, `${name}FailureQueueUrl`, {
        value: consumer.failureQueue.queueUrl,
        description: 'Batches given up on (shard and sequence-number ranges to replay from the stream)',
      });
    }
  }
}
