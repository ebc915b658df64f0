import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConnectStreams, type ConnectStreamsProps } from './constructs/connect-streams.js';
import { DeadLetterBucket, type DeadLetterBucketProps } from './constructs/dead-letter-bucket.js';
import { MetricsTable, type MetricsTableProps } from './constructs/metrics-table.js';
import { reportKeyPattern } from '../lambdas/domain/reports/schedule.js';
import { ReportsBucket, type ReportsBucketProps } from './constructs/reporting.js';

export interface StatefulStackProps extends StackProps {
  /** @default - two new streams with the `ConnectStreams` defaults */
  readonly streams?: ConnectStreamsProps;

  /** @default - the `MetricsTable` defaults (retained, AWS-managed encryption) */
  readonly table?: MetricsTableProps;

  /** @default - a new reports bucket with the `ReportsBucket` defaults (retained) */
  readonly reportsBucket?: ReportsBucketProps;

  /**
   * The dead-letter bucket. Its access logs go to the reports bucket's
   * access-log bucket when the reports bucket is created here.
   *
   * @default - the `DeadLetterBucket` defaults (90 days, retained)
   */
  readonly deadLetterBucket?: Omit<DeadLetterBucketProps, 'accessLogBucket'>;

  /**
   * CloudFormation termination protection: this stack holds the data.
   *
   * @default true
   */
  readonly terminationProtection?: boolean;
}

/**
 * Everything that holds data: the aggregate table (which also holds the
 * dead-letter store and the report-run ledger), the Amazon Connect streams,
 * the reports bucket and the dead-letter bucket (large dead-lettered payloads). Kept apart from the code (`PipelineStack`) so that deploying code
 * never replaces or deletes data, and retained when the stack is deleted.
 */
export class StatefulStack extends Stack {
  public readonly table: MetricsTable;
  public readonly streams: ConnectStreams;
  public readonly reports: ReportsBucket;
  public readonly deadLetters: DeadLetterBucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    const { streams, table, reportsBucket, deadLetterBucket, terminationProtection, ...stackProps } = props;
    super(scope, id, { ...stackProps, terminationProtection: terminationProtection ?? true });

    this.table = new MetricsTable(this, 'Metrics', table);
    this.streams = new ConnectStreams(this, 'ConnectStreams', streams);
    this.reports = new ReportsBucket(this, 'Reports', reportsBucket);
    const sharedLogs = this.reports.accessLogBucket;
    this.deadLetters = new DeadLetterBucket(this, 'DeadLetters', {
      ...deadLetterBucket,
      ...(sharedLogs === undefined ? {} : { accessLogBucket: sharedLogs, accessLogRetention: undefined }),
    });

    new CfnOutput(this, 'TableName', { value: this.table.table.tableName, description: 'DynamoDB table holding the metric aggregates' });
    new CfnOutput(this, 'CtrStreamName', {
      value: this.streams.ctrStream.streamName,
      description: 'Kinesis stream to select for contact trace records in the Amazon Connect data streaming settings',
    });
    new CfnOutput(this, 'AgentEventStreamName', {
      value: this.streams.agentEventStream.streamName,
      description: 'Kinesis stream to select for agent events in the Amazon Connect data streaming settings',
    });
    new CfnOutput(this, 'ReportsBucketName', {
      value: this.reports.bucket.bucketName,
      description: `S3 bucket the scheduled reports are written to, under ${this.reports.reportsPrefix}`,
    });
    new CfnOutput(this, 'ReportsKeyPattern', {
      value: reportKeyPattern(this.reports.keyPrefix),
      description:
        'Key of every scheduled report (the time is the scheduled time, UTC). For an S3 event notification on one report prefix, ' +
        `filter on prefix ${this.reports.reportsPrefix}<report prefix>/ and suffix .csv`,
    });
    new CfnOutput(this, 'DeadLetterBucketName', {
      value: this.deadLetters.bucket.bucketName,
      description: `S3 bucket dead-lettered records too large for the table are kept in, under ${this.deadLetters.keyPrefix}`,
    });
  }
}
