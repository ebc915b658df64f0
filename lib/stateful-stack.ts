import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConnectStreams, type ConnectStreamsProps } from './constructs/connect-streams.js';
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
   * CloudFormation termination protection: this stack holds the data.
   *
   * @default true
   */
  readonly terminationProtection?: boolean;
}

/**
 * Everything that holds data: the aggregate table (which also holds the
 * dead-letter store and the report-run ledger), the Amazon Connect streams
 * and the reports bucket. Kept apart from the code (`PipelineStack`) so that deploying code
 * never replaces or deletes data, and retained when the stack is deleted.
 */
export class StatefulStack extends Stack {
  public readonly table: MetricsTable;
  public readonly streams: ConnectStreams;
  public readonly reports: ReportsBucket;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    const { streams, table, reportsBucket, terminationProtection, ...stackProps } = props;
    super(scope, id, { ...stackProps, terminationProtection: terminationProtection ?? true });

    this.table = new MetricsTable(this, 'Metrics', table);
    this.streams = new ConnectStreams(this, 'ConnectStreams', streams);
    this.reports = new ReportsBucket(this, 'Reports', reportsBucket);

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
  }
}
