import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectTemplate, synth, type Synthesized } from './synth.js';

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
