import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { ConnectStreams } from '../../lib/constructs/connect-streams.js';
import { MetricsFunction } from '../../lib/constructs/function-defaults.js';
import { MetricsTable } from '../../lib/constructs/metrics-table.js';
import { StreamIngestion } from '../../lib/constructs/stream-ingestion.js';
import { expectTemplate, newOutdir } from './synth.js';

const CTR_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/ctr';
const AGENT_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/agent-events';

/** A stack in an app that does not bundle: these tests are about construct validation. */
function newStack(env?: { region: string }): Stack {
  return new Stack(new App({ outdir: newOutdir(), context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', { env });
}

describe('ConnectStreams', () => {
  it('refuses one stream ARN without the other', () => {
    expect(() => new ConnectStreams(newStack(), 'Streams', { ctrStreamArn: CTR_ARN })).toThrow(
      'ConnectStreams: give both ctrStreamArn and agentEventStreamArn to import the streams, or neither to create them',
    );
  });

  it('refuses a shard count below 1', () => {
    expect(() => new ConnectStreams(newStack(), 'Streams', { shardCount: 0 })).toThrow('ConnectStreams: shardCount must be a whole number ≥ 1; got 0');
  });

  it('refuses something that is not a Kinesis stream ARN', () => {
    expect(() => new ConnectStreams(newStack(), 'Streams', { ctrStreamArn: 'arn:aws:sqs:eu-west-1:123456789012:q', agentEventStreamArn: AGENT_ARN })).toThrow(
      /ctrStreamArn must be a Kinesis stream ARN/,
    );
  });

  it('refuses streams in another region than the stack', () => {
    expect(() => new ConnectStreams(newStack({ region: 'us-east-1' }), 'Streams', { ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN })).toThrow(
      /ctrStreamArn is in region eu-west-1 but the stack deploys to us-east-1/,
    );
  });

  it('refuses settings for created streams alongside imported ones', () => {
    expect(() => new ConnectStreams(newStack(), 'Streams', { ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, shardCount: 2 })).toThrow(
      'ConnectStreams: shardCount applies only to created streams; remove it or the stream ARNs',
    );
  });

  it('refuses unencrypted streams', () => {
    expect(() => new ConnectStreams(newStack(), 'Streams', { encryption: kinesis.StreamEncryption.UNENCRYPTED })).toThrow(/must be encrypted/);
  });

  it('encrypts with a customer-managed key when given one', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new ConnectStreams(stack, 'Streams', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
    expectTemplate(Template.fromStack(stack)).resourcePropertiesCountIs(
      'AWS::Kinesis::Stream',
      { StreamEncryption: { EncryptionType: 'KMS', KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] } } },
      2,
    );
  });
});

describe('MetricsTable', () => {
  it('uses a customer-managed key when given one', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    new MetricsTable(stack, 'Table', { encryptionKey: key });
    expectTemplate(Template.fromStack(stack)).hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } });
  });

  it('refuses deletion protection on a table meant to be destroyed', () => {
    expect(() => new MetricsTable(newStack(), 'Table', { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true })).toThrow(/deletionProtection cannot be true/);
  });
});

describe('StreamIngestion', () => {
  function ingestion(overrides: Partial<ConstructorParameters<typeof StreamIngestion>[2]>): () => StreamIngestion {
    const stack = newStack();
    const stream = kinesis.Stream.fromStreamArn(stack, 'Stream', CTR_ARN);
    const table = new MetricsTable(stack, 'Table');
    return () => new StreamIngestion(stack, 'Ingestion', { source: 'ctr', stream, table, ...overrides });
  }

  it('refuses a record age the stream does not keep records for', () => {
    expect(ingestion({ maxRecordAge: Duration.hours(24) })).toThrow(/maxRecordAge \(1 day\) must be shorter than the stream retention \(1 day\)/);
  });

  it('refuses unbounded retries', () => {
    expect(ingestion({ retryAttempts: -1 })).toThrow(/retryAttempts must be a whole number from 0 to 10000 \(unbounded retries are not allowed\)/);
  });

  it('refuses batches larger than Kinesis allows', () => {
    expect(ingestion({ batchSize: 10_001 })).toThrow(/batchSize must be a whole number from 1 to 10000/);
  });
});

describe('MetricsFunction', () => {
  it('refuses an entry outside the repository', () => {
    expect(() => new MetricsFunction(newStack(), 'Fn', { entry: '../elsewhere/handler.ts' })).toThrow(/entry must be a path inside the repository/);
  });

  it('refuses memory Lambda does not offer', () => {
    expect(() => new MetricsFunction(newStack(), 'Fn', { entry: 'lambdas/handlers/ctr-stream.ts', memorySize: 64 })).toThrow(/memorySize must be a whole number of MB from 128 to 10240/);
  });

  it('sets reserved concurrency when asked', () => {
    const stack = newStack();
    new MetricsFunction(stack, 'Fn', { entry: 'lambdas/handlers/ctr-stream.ts', reservedConcurrentExecutions: 5 });
    expectTemplate(Template.fromStack(stack)).hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 5 });
  });
});
