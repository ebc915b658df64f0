import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTemplate, logicalId, synth, type Synthesized } from './synth.js';

describe('StatefulStack with the default configuration', () => {
  let app: Synthesized;
  let stateful: Template;

  beforeAll(() => {
    app = synth({});
    stateful = app.stateful;
  });

  describe('metrics table', () => {
    it('is keyed by string pk and sk, on demand', () => {
      expectTemplate(stateful).resourceCountIs('AWS::DynamoDB::Table', 1);
      expectTemplate(stateful).hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
      });
    });

    it('has point-in-time recovery, encryption at rest and TTL on "ttl"', () => {
      expectTemplate(stateful).hasResourceProperties('AWS::DynamoDB::Table', {
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      });
    });

    it('is retained when removed from the stack, and protected from deletion', () => {
      expectTemplate(stateful).hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      });
    });
  });

  describe('Amazon Connect streams', () => {
    it('creates a CTR stream and an agent-event stream named after the instance prefix', () => {
      expectTemplate(stateful).resourceCountIs('AWS::Kinesis::Stream', 2);
      expectTemplate(stateful).hasResourceProperties('AWS::Kinesis::Stream', { Name: 'connect-metrics-ctr' });
      expectTemplate(stateful).hasResourceProperties('AWS::Kinesis::Stream', { Name: 'connect-metrics-agent-events' });
    });

    it('encrypts both with the AWS-managed key aws/kinesis, which Amazon Connect can write with', () => {
      expectTemplate(stateful).resourcePropertiesCountIs('AWS::Kinesis::Stream', { StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } }, 2);
    });

    it('keeps records 24 hours on one provisioned shard each', () => {
      expectTemplate(stateful).resourcePropertiesCountIs(
        'AWS::Kinesis::Stream',
        { RetentionPeriodHours: 24, ShardCount: 1, StreamModeDetails: { StreamMode: 'PROVISIONED' } },
        2,
      );
    });

    it('retains both streams when they leave the stack', () => {
      const streams = stateful.findResources('AWS::Kinesis::Stream', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(Object.keys(streams)).toHaveLength(2);
    });
  });

  describe('reports bucket', () => {
    const bucketId = () => logicalId(stateful, 'AWS::S3::Bucket', 'Reports/Bucket');
    const logBucketId = () => logicalId(stateful, 'AWS::S3::Bucket', 'Reports/AccessLogBucket');
    const LOCKED_DOWN = {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    };

    it('is created with the access-log bucket (which the dead-letter bucket shares): three buckets, all encrypted at rest (SSE-S3) with all public access blocked', () => {
      expectTemplate(stateful).resourceCountIs('AWS::S3::Bucket', 3);
      expectTemplate(stateful).resourcePropertiesCountIs('AWS::S3::Bucket', LOCKED_DOWN, 3);
    });

    it('is versioned and logs server access to the access-log bucket', () => {
      const bucket = stateful.findResources('AWS::S3::Bucket')[bucketId()];
      expect(bucket?.Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId() }, LogFilePrefix: 'reports-bucket/' },
      });
    });

    it('moves reports to Infrequent Access after 90 days, expires them after a year and old versions after 30 days', () => {
      const bucket = stateful.findResources('AWS::S3::Bucket')[bucketId()];
      expect(bucket?.Properties?.LifecycleConfiguration).toEqual({
        Rules: [
          {
            Id: 'AgeReports',
            Prefix: 'connect/connect-metrics/Reports/',
            Status: 'Enabled',
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }],
            ExpirationInDays: 365,
          },
          {
            Id: 'ExpireOldVersions',
            Status: 'Enabled',
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            ExpiredObjectDeleteMarker: true,
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
          },
        ],
      });
    });

    it('has an access-log bucket with its own lifecycle (90 days)', () => {
      const logBucket = stateful.findResources('AWS::S3::Bucket')[logBucketId()];
      expect(logBucket?.Properties?.LifecycleConfiguration).toEqual({
        Rules: [{ Id: 'ExpireAccessLogs', Status: 'Enabled', ExpirationInDays: 90, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
      });
    });

    it('refuses requests without TLS, or with TLS older than 1.2, on both buckets', () => {
      for (const bucket of [bucketId(), logBucketId()]) {
        const arns = [{ 'Fn::GetAtt': [bucket, 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/*']] }];
        expectTemplate(stateful).hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: bucket },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: arns }),
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } }, Resource: arns }),
            ]),
          },
        });
      }
    });

    it('lets S3 deliver access logs to the access-log bucket, from the reports bucket only', () => {
      expectTemplate(stateful).hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logBucketId() },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 's3:PutObject',
              Principal: { Service: 'logging.s3.amazonaws.com' },
              Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId(), 'Arn'] } } }),
            }),
          ]),
        },
      });
    });

    it('are both retained when they leave the stack (as is the dead-letter bucket)', () => {
      const retained = stateful.findResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(Object.keys(retained).sort()).toEqual([logBucketId(), bucketId(), logicalId(stateful, 'AWS::S3::Bucket', 'DeadLetters/Bucket')].sort());
    });
  });

  describe('dead-letter bucket', () => {
    const bucketId = () => logicalId(stateful, 'AWS::S3::Bucket', 'DeadLetters/Bucket');
    const logBucketId = () => logicalId(stateful, 'AWS::S3::Bucket', 'Reports/AccessLogBucket');

    it('is encrypted (SSE-S3), private, not versioned, and logs access to the reports access-log bucket', () => {
      const bucket = stateful.findResources('AWS::S3::Bucket')[bucketId()];
      expect(bucket?.Properties).toMatchObject({
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId() }, LogFilePrefix: 'dead-letter-bucket/' },
      });
      expect(bucket?.Properties?.VersioningConfiguration).toBeUndefined();
    });

    it('expires dead-lettered payloads after deadLetters.retentionDays (90 by default)', () => {
      expect(stateful.findResources('AWS::S3::Bucket')[bucketId()]?.Properties?.LifecycleConfiguration).toEqual({
        Rules: [{ Id: 'ExpireDeadLetters', Status: 'Enabled', ExpirationInDays: 90, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }],
      });
      const custom = synth({ deadLetters: { retentionDays: 30 } }).stateful;
      const id = logicalId(custom, 'AWS::S3::Bucket', 'DeadLetters/Bucket');
      expect(custom.findResources('AWS::S3::Bucket')[id]?.Properties?.LifecycleConfiguration?.Rules?.[0]?.ExpirationInDays).toBe(30);
    });

    it('refuses requests without TLS, or with TLS older than 1.2', () => {
      const arns = [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/*']] }];
      expectTemplate(stateful).hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId() },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } }, Resource: arns }),
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } }, Resource: arns }),
          ]),
        },
      });
    });

    it('is named by the DeadLetterBucketName output', () => {
      expectTemplate(stateful).hasOutput('DeadLetterBucketName', { Value: { Ref: bucketId() } });
    });
  });

  it('holds only data: no functions, roles or queues', () => {
    for (const type of ['AWS::Lambda::Function', 'AWS::IAM::Role', 'AWS::SQS::Queue', 'Custom::LogRetention']) {
      expectTemplate(stateful).resourceCountIs(type, 0);
    }
  });

  it('has termination protection on', () => {
    expect(app.stacks.stateful.terminationProtection).toBe(true);
  });

  it('outputs the table and stream names for operators', () => {
    expectTemplate(stateful).hasOutput('TableName', {});
    expectTemplate(stateful).hasOutput('CtrStreamName', {});
    expectTemplate(stateful).hasOutput('AgentEventStreamName', {});
    expectTemplate(stateful).hasOutput('ReportsBucketName', { Value: { Ref: logicalId(stateful, 'AWS::S3::Bucket', 'Reports/Bucket') } });
  });

  it('outputs the exact key of the scheduled reports and the S3 event filter that matches one report prefix', () => {
    expectTemplate(stateful).hasOutput('ReportsKeyPattern', {
      Value: 'connect/connect-metrics/Reports/<report prefix>/<report name>-<YYYY-MM-DDThh:mm:ssZ>.csv',
      Description: Match.stringLikeRegexp('filter on prefix connect/connect-metrics/Reports/<report prefix>/ and suffix \\.csv'),
    });
  });
});

describe('StatefulStack with on-demand streams kept 48 hours', () => {
  let stateful: Template;

  beforeAll(() => {
    stateful = synth({ streams: { mode: 'create', capacityMode: 'on-demand', retentionHours: 48 }, terminationProtection: false }).stateful;
  });

  it('creates on-demand streams with no shard count', () => {
    const streams = Object.values(stateful.findResources('AWS::Kinesis::Stream'));
    expect(streams).toHaveLength(2);
    for (const stream of streams) {
      expect(stream.Properties?.StreamModeDetails).toEqual({ StreamMode: 'ON_DEMAND' });
      expect(stream.Properties?.ShardCount).toBeUndefined();
      expect(stream.Properties?.RetentionPeriodHours).toBe(48);
    }
  });
});
