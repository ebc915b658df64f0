import { Duration, Names, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../env-vars.js';
import { AGENT_EVENT_MEMORY_MB, AGENT_EVENT_PARALLELIZATION } from '../ingestion-defaults.js';
import { MINIMUM_STREAM_RETENTION } from './connect-streams.js';
import type { DeadLetterBucket } from './dead-letter-bucket.js';
import { MetricsFunction } from './function-defaults.js';
import type { MetricsTable } from './metrics-table.js';

/** Which Amazon Connect stream a consumer reads. Also the value of `SOURCE`. */
export type IngestionSource = 'ctr' | 'agent-events';

/**
 * The Kinesis calls a Lambda event source mapping with a standard iterator
 * makes with the function's role (no SubscribeToShard or
 * DescribeStreamConsumer: those are for enhanced fan-out).
 */
export const KINESIS_POLLING_ACTIONS = [
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
] as const;

/**
 * An on-failure destination that lets the function's role send messages to
 * `queue` and nothing more (SqsDlq's grant also allows GetQueueAttributes
 * and GetQueueUrl, which Lambda does not call).
 */
export function sendOnlyQueueDestination(queue: sqs.IQueue): lambda.IEventSourceDlq {
  return {
    bind: (_target, fn) => {
      fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'SendToFailureQueue', actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
      // An SSE-KMS queue needs its key to encrypt the message.
      queue.encryptionMasterKey?.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
      return { destination: queue.queueArn };
    },
  };
}

/** Handler module of each source, relative to the repository root. */
export const INGESTION_HANDLER_ENTRIES: Readonly<Record<IngestionSource, string>> = {
  ctr: 'lambdas/handlers/ctr-stream.ts',
  'agent-events': 'lambdas/handlers/agent-event-stream.ts',
};

export interface StreamIngestionProps {
  /** Which stream this is; picks the handler and sets `SOURCE`. */
  readonly source: IngestionSource;

  /** The Kinesis stream to consume. */
  readonly stream: kinesis.IStream;

  /** Where the aggregates go; the function gets read/write access and `TABLE_NAME`. */
  readonly table: MetricsTable;

  /**
   * Where large dead-lettered payloads go; the function may put objects
   * under its `dead-letters/` prefix and gets `DEAD_LETTER_BUCKET`.
   *
   * @default - none: dead letters are kept in the table only
   */
  readonly deadLetterBucket?: DeadLetterBucket;

  /**
   * How long the stream keeps records. Only used to check that `maxRecordAge`
   * gives up on a record while it can still be replayed from the stream.
   *
   * @default Duration.hours(24), the Kinesis minimum
   */
  readonly streamRetention?: Duration;

  /**
   * Most records per invocation (1–10000).
   *
   * @default 1000
   */
  readonly batchSize?: number;

  /**
   * How long Lambda gathers records before invoking (0–300 seconds).
   *
   * @default Duration.seconds(5)
   */
  readonly maxBatchingWindow?: Duration;

  /**
   * Retries of a failing batch before its records go to the failure queue (0–10000).
   * Bounded so that one poison record cannot stall its shard until the record expires.
   *
   * @default 10
   */
  readonly retryAttempts?: number;

  /**
   * Records older than this are not processed but sent to the failure queue
   * (1 minute to 7 days, and shorter than `streamRetention`, so the records
   * named in the failure queue are still in the stream to be replayed).
   *
   * @default Duration.hours(6)
   */
  readonly maxRecordAge?: Duration;

  /**
   * Concurrent batches per shard, 1 to 10. Lambda keeps records of one
   * partition key in order (Connect's partition keys: ContactId, agent ARN),
   * and the store's writes are conditional, so any factor is safe.
   * A consumer applies about 400 agent events a second with 10 ms per DynamoDB
   * call (most of its CPU is the AWS SDK's, per call; README, Scale): eight
   * concurrent batches drain a backlog at over 2,000 a second per shard.
   * @default - 8 for agent events, 1 for CTRs
   */
  readonly parallelizationFactor?: number;

  /**
   * The iterator-age alarm fires when the oldest record a batch held was this old.
   *
   * @default - a quarter of `maxRecordAge`, leaving time to act before records are given up
   */
  readonly iteratorAgeAlarmThreshold?: Duration;

  /**
   * KMS key for the failure queue.
   *
   * @default - SQS-managed server-side encryption (SSE-SQS)
   */
  readonly failureQueueEncryptionKey?: kms.IKey;

  /**
   * Agent-event ingestion is CPU-bound; Lambda gives a function one full vCPU from 1,769 MB (and a share below).
   * @default - 1769 for agent events; 512 (`MetricsFunction`) for CTRs
   */
  readonly memorySize?: number;

  /** @default - see `MetricsFunction` (60 seconds) */
  readonly timeout?: Duration;

  /** @default - see `MetricsFunction` (one month) */
  readonly logRetention?: logs.RetentionDays;

  /** @default - no reservation */
  readonly reservedConcurrentExecutions?: number;

  /** @default - see `MetricsFunction` ('connect-metrics') */
  readonly serviceName?: string;

  /**
   * Extra environment variables for the handler.
   *
   * @default - only `TABLE_NAME`, `SOURCE` and the function defaults
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A Lambda consumer of one Amazon Connect Kinesis stream, with the safe stream
 * defaults: partial batch responses, bisect on error, bounded retries and
 * record age, an encrypted SQS on-failure destination, and alarms on iterator
 * age and on anything landing in the failure queue.
 *
 * The failure queue receives what Lambda gives up on: for Kinesis that is
 * the batch's shard and sequence-number range, not the records, so replay
 * reads them from the stream (hence `maxRecordAge` < stream retention).
 */
export class StreamIngestion extends Construct {
  public readonly fn: nodejs.NodejsFunction;
  public readonly eventSource: lambda.EventSourceMapping;
  public readonly failureQueue: sqs.Queue;
  /** Fires when processing falls behind (no actions; attach them where alerting is configured). */
  public readonly iteratorAgeAlarm: cloudwatch.Alarm;
  /** Fires when any batch was given up on (no actions; attach them where alerting is configured). */
  public readonly failureQueueAlarm: cloudwatch.Alarm;
  /** Iterator age at which `iteratorAgeAlarm` fires. */
  public readonly iteratorAgeAlarmThreshold: Duration;
  /** Which stream this consumes. */
  public readonly source: IngestionSource;

  constructor(scope: Construct, id: string, props: StreamIngestionProps) {
    super(scope, id);
    const settings = resolveSettings(props);
    this.source = props.source;
    this.iteratorAgeAlarmThreshold = settings.iteratorAgeAlarmThreshold;

    this.failureQueue = new sqs.Queue(this, 'FailureQueue', {
      ...(props.failureQueueEncryptionKey === undefined
        ? { encryption: sqs.QueueEncryption.SQS_MANAGED }
        : { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.failureQueueEncryptionKey }),
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.failureQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is the on-failure destination of the event source mapping (the dead-letter queue); nothing consumes it automatically',
    });

    const handler = new MetricsFunction(this, 'Handler', {
      entry: INGESTION_HANDLER_ENTRIES[props.source],
      description: `Computes Amazon Connect metrics from the ${props.source === 'ctr' ? 'contact trace record' : 'agent event'} stream`,
      memorySize: props.memorySize ?? (props.source === 'agent-events' ? AGENT_EVENT_MEMORY_MB : undefined),
      timeout: props.timeout,
      logRetention: props.logRetention,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      serviceName: props.serviceName,
      environment: { ...props.environment, [ENV.source]: props.source },
    });
    this.fn = handler.fn;
    props.table.bind(this.fn, 'ingestion');
    props.deadLetterBucket?.bindWriter(this.fn);

    // The mapping is made here rather than with KinesisEventSource, whose
    // grantRead also allows enhanced fan-out and listing calls a standard
    // iterator never makes. Same construct ID as KinesisEventSource's, so the
    // existing mapping (and its position in the stream) is kept.
    this.eventSource = this.fn.addEventSourceMapping(`KinesisEventSource:${Names.nodeUniqueId(props.stream.node)}`, {
      eventSourceArn: props.stream.streamArn,
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: settings.batchSize,
      maxBatchingWindow: settings.maxBatchingWindow,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: settings.retryAttempts,
      maxRecordAge: settings.maxRecordAge,
      // Lambda keeps each partition key's records in order under any factor.
      parallelizationFactor: settings.parallelizationFactor,
      onFailure: sendOnlyQueueDestination(this.failureQueue),
    });
    // What Lambda's standard-iterator polling calls, on this stream only.
    this.fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadStream',
        actions: [...KINESIS_POLLING_ACTIONS],
        resources: [props.stream.streamArn],
      }),
    );
    // A stream encrypted with a customer-managed key: records are decrypted with it.
    props.stream.encryptionKey?.grantDecrypt(this.fn);

    this.iteratorAgeAlarm = new cloudwatch.Alarm(this, 'IteratorAgeAlarm', {
      alarmDescription: `${props.source} stream processing is falling behind; records older than ${settings.maxRecordAge.toHumanString()} are given up`,
      metric: this.fn.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5) }),
      threshold: settings.iteratorAgeAlarmThreshold.toMilliseconds(),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.failureQueueAlarm = new cloudwatch.Alarm(this, 'FailureQueueAlarm', {
      alarmDescription: `${props.source} stream records were given up on; the failure queue names their shard and sequence numbers`,
      metric: this.failureQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

interface ResolvedSettings {
  readonly batchSize: number;
  readonly maxBatchingWindow: Duration;
  readonly retryAttempts: number;
  readonly maxRecordAge: Duration;
  readonly parallelizationFactor: number;
  readonly iteratorAgeAlarmThreshold: Duration;
}

function resolveSettings(props: StreamIngestionProps): ResolvedSettings {
  const fail = (message: string): never => {
    throw new Error(`StreamIngestion (${props.source}): ${message}`);
  };
  const batchSize = props.batchSize ?? 1000;
  const maxBatchingWindow = props.maxBatchingWindow ?? Duration.seconds(5);
  const retryAttempts = props.retryAttempts ?? 10;
  const maxRecordAge = props.maxRecordAge ?? Duration.hours(6);
  const parallelizationFactor = props.parallelizationFactor ?? (props.source === 'agent-events' ? AGENT_EVENT_PARALLELIZATION : 1);
  if (!Token.isUnresolved(parallelizationFactor) && (!Number.isInteger(parallelizationFactor) || parallelizationFactor < 1 || parallelizationFactor > 10)) {
    fail(`parallelizationFactor must be a whole number from 1 to 10; got ${parallelizationFactor}`);
  }
  const streamRetention = props.streamRetention ?? MINIMUM_STREAM_RETENTION;

  if (!Token.isUnresolved(batchSize) && (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000)) {
    fail(`batchSize must be a whole number from 1 to 10000; got ${batchSize}`);
  }
  if (!maxBatchingWindow.isUnresolved() && maxBatchingWindow.toSeconds({ integral: false }) > 300) {
    fail(`maxBatchingWindow must be at most 300 seconds; got ${maxBatchingWindow.toHumanString()}`);
  }
  if (!Token.isUnresolved(retryAttempts) && (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 10_000)) {
    fail(`retryAttempts must be a whole number from 0 to 10000 (unbounded retries are not allowed); got ${retryAttempts}`);
  }
  if (!maxRecordAge.isUnresolved()) {
    const seconds = maxRecordAge.toSeconds({ integral: false });
    if (seconds < 60 || seconds > 604_800) {
      fail(`maxRecordAge must be from 1 minute to 7 days; got ${maxRecordAge.toHumanString()}`);
    }
    if (!streamRetention.isUnresolved() && seconds >= streamRetention.toSeconds({ integral: false })) {
      fail(
        `maxRecordAge (${maxRecordAge.toHumanString()}) must be shorter than the stream retention (${streamRetention.toHumanString()}), ` +
          'or records are dropped by the stream before they reach the failure queue and cannot be replayed',
      );
    }
  }
  if (props.iteratorAgeAlarmThreshold === undefined && maxRecordAge.isUnresolved()) {
    fail('give iteratorAgeAlarmThreshold when maxRecordAge is a token');
  }
  const iteratorAgeAlarmThreshold =
    props.iteratorAgeAlarmThreshold ?? Duration.seconds(Math.max(60, Math.round(maxRecordAge.toSeconds({ integral: false }) / 4)));
  return { batchSize, maxBatchingWindow, retryAttempts, maxRecordAge, parallelizationFactor, iteratorAgeAlarmThreshold };
}
