import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_METRICS } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import { actionsOf, expectTemplate, logicalId, policyStatements, synth, type Synthesized } from './synth.js';

const CTR_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/acme-connect-ctr';
const AGENT_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/acme-connect-agent-events';
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9';

describe('stacks for existing resources: streams Amazon Connect already writes to, an existing reports bucket; no contact events', () => {
  let app: Synthesized;
  let pipeline: Template;

  beforeAll(() => {
    app = synth({
      instancePrefix: 'acme',
      streams: { mode: 'import', ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, retentionHours: 168 },
      ingestion: { batchSize: 500, maxBatchingWindowSeconds: 2, retryAttempts: 3, maxRecordAgeHours: 48, parallelizationFactor: 4 },
      retentionDays: 90,
      logRetentionDays: 14,
      reports: { bucket: { bucketName: 'acme-reports', encryptionKeyArn: KEY_ARN } },
      monitoring: { contactEvents: false, queues: { Sales: {} } },
    });
    pipeline = app.pipeline;
  });

  it('creates no stream', () => {
    expectTemplate(app.stateful).resourceCountIs('AWS::Kinesis::Stream', 0);
    expectTemplate(pipeline).resourceCountIs('AWS::Kinesis::Stream', 0);
  });

  it('still creates the table in the stateful stack', () => {
    expectTemplate(app.stateful).resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('names the stacks after the instance prefix', () => {
    expect(app.stacks.stateful.stackName).toBe('acme-stateful');
    expect(app.stacks.pipeline.stackName).toBe('acme-pipeline');
  });

  it('maps each function to the given stream ARN with the configured settings', () => {
    for (const arn of [CTR_ARN, AGENT_ARN]) {
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arn,
        BatchSize: 500,
        MaximumBatchingWindowInSeconds: 2,
        MaximumRetryAttempts: 3,
        MaximumRecordAgeInSeconds: 48 * 3600,
        ParallelizationFactor: 4,
        StartingPosition: 'TRIM_HORIZON',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      });
    }
  });

  it('lets each function read only its own stream', () => {
    const kinesis = policyStatements(pipeline).filter((s) => actionsOf(s).some((a) => a.startsWith('kinesis:')));
    expect(kinesis.map((s) => s.Resource).sort()).toEqual([AGENT_ARN, CTR_ARN].sort());
  });

  it('passes the aggregate retention and the log retention on', () => {
    expectTemplate(pipeline).resourcePropertiesCountIs('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ RETENTION_DAYS: '90' }) } }, 2);
    expectTemplate(pipeline).resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 14 }, 4);
  });

  describe('an existing reports bucket', () => {
    it('is not created, nor any access-log bucket for it: the only buckets are the dead-letter bucket and its own access-log bucket', () => {
      const buckets = Object.keys(app.stateful.findResources('AWS::S3::Bucket')).sort();
      expect(buckets).toEqual(
        [logicalId(app.stateful, 'AWS::S3::Bucket', 'DeadLetters/Bucket'), logicalId(app.stateful, 'AWS::S3::Bucket', 'DeadLetters/AccessLogBucket')].sort(),
      );
      expectTemplate(pipeline).resourceCountIs('AWS::S3::Bucket', 0);
    });

    it('is named to the scheduler, which writes under connect/acme/Reports/', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ REPORTS_BUCKET: 'acme-reports', REPORTS_KEY_PREFIX: 'connect/acme' }) },
      });
    });

    it('may be written by the scheduler under connect/acme/Reports/ only, with its KMS key for that and nothing else', () => {
      const role = logicalId(pipeline, 'AWS::IAM::Role', 'ReportScheduler/Handler/Role');
      expectTemplate(pipeline).hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'WriteReports',
              Effect: 'Allow',
              Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
              Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::acme-reports/connect/acme/Reports/*']] },
            },
            { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: KEY_ARN },
          ]),
        },
      });
      // Besides these, only the two stream consumers' dead-letter writes (to the dead-letter bucket) touch S3 or KMS.
      const others = policyStatements(pipeline).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:') || a.startsWith('s3:')) && s.Sid !== 'WriteDeadLetters');
      expect(others).toHaveLength(2);
    });
  });

  describe('without contact events', () => {
    it('has no contact-events function, rule or failure queue', () => {
      expectTemplate(pipeline).resourceCountIs('AWS::Lambda::Function', 4);
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::Events::Rule', { EventPattern: Match.anyValue() }, 0);
      expectTemplate(pipeline).resourceCountIs('AWS::SQS::Queue', 2);
    });

    it('has no oldest-contact alarm, and no in-queue charts', () => {
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: QUEUE_METRICS.oldestContactAge.name }, 0);
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: QUEUE_METRICS.serviceLevel.name }, 1);
      expect(JSON.stringify(pipeline.findResources('AWS::CloudWatch::Dashboard'))).not.toContain(QUEUE_METRICS.oldestContactAge.name);
    });
  });
});

describe('imported streams encrypted with a customer-managed KMS key', () => {
  const STREAM_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';

  it('lets each stream consumer decrypt with the key (streams.encryptionKeyArn), and no other function', () => {
    const { pipeline } = synth({ instancePrefix: 'acme', streams: { ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, encryptionKeyArn: STREAM_KEY_ARN } });
    const decrypt = policyStatements(pipeline).filter((s) => s.Resource === STREAM_KEY_ARN);
    expect(decrypt.map((s) => actionsOf(s))).toEqual([['kms:Decrypt'], ['kms:Decrypt']]);
    const roles = Object.values(pipeline.findResources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties?.PolicyDocument).includes(STREAM_KEY_ARN))
      .map((p) => JSON.stringify(p.Properties?.Roles));
    expect(roles.sort()).toEqual(
      [
        JSON.stringify([{ Ref: logicalId(pipeline, 'AWS::IAM::Role', 'CtrIngestion/Handler/Role') }]),
        JSON.stringify([{ Ref: logicalId(pipeline, 'AWS::IAM::Role', 'AgentEventIngestion/Handler/Role') }]),
      ].sort(),
    );
  });
});
