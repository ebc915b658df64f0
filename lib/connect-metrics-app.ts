import { Duration, type Environment, Tags } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { ConnectMetricsConfig, ReportsBucketConfig, StreamsConfig } from './config.js';
import type { ConnectStreamsProps } from './constructs/connect-streams.js';
import type { ReportsBucketProps } from './constructs/reporting.js';
import { PipelineStack } from './pipeline-stack.js';
import { StatefulStack } from './stateful-stack.js';

export interface ConnectMetricsStacks {
  readonly stateful: StatefulStack;
  readonly pipeline: PipelineStack;
}

/**
 * Builds the deployment described by `config`: `<prefix>-stateful` (table,
 * streams, reports bucket) and `<prefix>-pipeline` (every function, rule,
 * alarm and the dashboard, which depend on it).
 * bin/app.ts and the CDK tests both build the app through here.
 */
export function createConnectMetricsStacks(scope: Construct, config: ConnectMetricsConfig, env?: Environment): ConnectMetricsStacks {
  const prefix = config.instancePrefix;

  const stateful = new StatefulStack(scope, `${prefix}-stateful`, {
    env,
    description: 'connect-metrics: aggregate table, Amazon Connect streams, reports and dead-letter buckets (data, retained)',
    terminationProtection: config.terminationProtection,
    streams: streamsProps(config.streams, prefix),
    reportsBucket: reportsBucketProps(config.reports.bucket, config.reports.keyPrefix),
    deadLetterBucket: { retention: Duration.days(config.deadLetters.retentionDays) },
  });

  const pipeline = new PipelineStack(scope, `${prefix}-pipeline`, {
    env,
    description: 'connect-metrics: stream consumers, report scheduler, real-time metrics, alarms and dashboard (stateless, safe to redeploy)',
    table: stateful.table,
    streams: stateful.streams,
    reportsBucket: stateful.reports,
    deadLetterBucket: stateful.deadLetters,
    reportDefinitionsFile: config.reports.definitionsFile,
    reportCorrectionWindow: Duration.hours(config.reports.correctionWindowHours),
    metricsNamespace: config.monitoring.metricsNamespace,
    monitoring: {
      contactEvents: config.monitoring.contactEvents,
      connectInstanceArn: config.monitoring.connectInstanceArn,
      contactEventsReservedConcurrency: config.monitoring.contactEvents ? (config.monitoring.contactEventsConcurrency ?? undefined) : undefined,
      queues: config.monitoring.queues,
      defaultThresholds: config.monitoring.defaults,
      alarmEmail: config.monitoring.alarmEmail,
      agentEventMaxAge: Duration.seconds(config.monitoring.agentEventMaxAgeSeconds),
      dashboardName: prefix,
    },
    aggregateRetention: Duration.days(config.retentionDays),
    logRetention: toRetentionDays(config.logRetentionDays),
    serviceName: prefix,
    ingestion: {
      batchSize: config.ingestion.batchSize,
      maxBatchingWindow: Duration.seconds(config.ingestion.maxBatchingWindowSeconds),
      retryAttempts: config.ingestion.retryAttempts,
      maxRecordAge: Duration.hours(config.ingestion.maxRecordAgeHours),
      parallelizationFactor: config.ingestion.parallelizationFactor,
    },
  });

  for (const stack of [stateful, pipeline]) {
    Tags.of(stack).add('app', 'connect-metrics');
    Tags.of(stack).add('connect-metrics:instance', prefix);
  }
  return { stateful, pipeline };
}

function streamsProps(streams: StreamsConfig, prefix: string): ConnectStreamsProps {
  const retentionPeriod = Duration.hours(streams.retentionHours);
  if (streams.mode === 'import') {
    return { ctrStreamArn: streams.ctrStreamArn, agentEventStreamArn: streams.agentEventStreamArn, retentionPeriod, encryptionKeyArn: streams.encryptionKeyArn };
  }
  return {
    streamNamePrefix: prefix,
    retentionPeriod,
    streamMode: streams.capacityMode === 'on-demand' ? kinesis.StreamMode.ON_DEMAND : kinesis.StreamMode.PROVISIONED,
    shardCount: streams.shardCount,
  };
}

function reportsBucketProps(bucket: ReportsBucketConfig, keyPrefix: string): ReportsBucketProps {
  if (bucket.mode === 'import') {
    return { keyPrefix, importBucketName: bucket.bucketName, importedBucketKeyArn: bucket.encryptionKeyArn };
  }
  return {
    keyPrefix,
    reportRetention: Duration.days(bucket.reportRetentionDays),
    accessLogRetention: Duration.days(bucket.accessLogRetentionDays),
  };
}

function toRetentionDays(days: number): logs.RetentionDays {
  const match = Object.values(logs.RetentionDays).find((value): value is logs.RetentionDays => value === days);
  if (match === undefined) throw new Error(`no CloudWatch Logs retention period of ${days} days`);
  return match;
}
