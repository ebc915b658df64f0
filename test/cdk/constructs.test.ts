import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import { describe, expect, it } from 'vitest';
import { ConnectStreams } from '../../lib/constructs/connect-streams.js';
import { DeadLetterBucket } from '../../lib/constructs/dead-letter-bucket.js';
import { MetricsFunction } from '../../lib/constructs/function-defaults.js';
import { MetricsTable } from '../../lib/constructs/metrics-table.js';
import { DEFAULT_QUEUE_THRESHOLDS, Monitoring, RealtimeMetrics } from '../../lib/constructs/monitoring.js';
import { ReportsBucket, ReportScheduler } from '../../lib/constructs/reporting.js';
import { StreamIngestion } from '../../lib/constructs/stream-ingestion.js';
import { expectTemplate, newOutdir } from './synth.js';

const CTR_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/ctr';
const AGENT_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/agent-events';

/** A stack in an app that neither bundles nor validates templates: these tests are about construct validation. */
function newStack(env?: { region: string }): Stack {
  return new Stack(new App({ outdir: newOutdir(), builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', { env });
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

describe('ConnectStreams key of imported streams', () => {
  const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d';

  it('gives imported streams the key named by encryptionKeyArn', () => {
    const streams = new ConnectStreams(newStack(), 'Streams', { ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, encryptionKeyArn: KEY_ARN });
    expect([streams.ctrStream.encryptionKey?.keyArn, streams.agentEventStream.encryptionKey?.keyArn]).toEqual([KEY_ARN, KEY_ARN]);
  });

  it('refuses encryptionKeyArn for created streams, or that is not a KMS key ARN', () => {
    expect(() => new ConnectStreams(newStack(), 'Streams', { encryptionKeyArn: KEY_ARN })).toThrow(/encryptionKeyArn applies only to imported streams/);
    expect(() => new ConnectStreams(newStack(), 'Streams', { ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, encryptionKeyArn: 'alias/mine' })).toThrow(
      /encryptionKeyArn must be a KMS key ARN/,
    );
  });
});

describe('DeadLetterBucket', () => {
  it('refuses a retention that is not whole days', () => {
    expect(() => new DeadLetterBucket(newStack(), 'DeadLetters', { retention: Duration.hours(36) })).toThrow('DeadLetterBucket: retention must be a whole number of days ≥ 1; got 1 day 12 hours');
  });

  it('creates its own access-log bucket unless given one', () => {
    const stack = newStack();
    const own = new DeadLetterBucket(stack, 'Own');
    const shared = new DeadLetterBucket(stack, 'Shared', { accessLogBucket: own.accessLogBucket });
    expect([own.accessLogBucket !== undefined, shared.accessLogBucket]).toEqual([true, undefined]);
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

describe('MetricsFunction bundled files', () => {
  it('refuses a file that does not exist', () => {
    expect(() => new MetricsFunction(newStack(), 'Fn', { entry: 'lambdas/handlers/ctr-stream.ts', bundledFiles: [{ source: 'config/nope.json', fileName: 'x.json' }] })).toThrow(
      /bundled file "config\/nope.json" does not exist/,
    );
  });

  it('refuses a name that is not a plain file name, or would replace the handler', () => {
    for (const fileName of ['../x.json', 'sub/x.json', 'index.mjs']) {
      expect(() => new MetricsFunction(newStack(), 'Fn', { entry: 'lambdas/handlers/ctr-stream.ts', bundledFiles: [{ source: 'config/reports.json', fileName }] })).toThrow(
        /bundled file name must be a plain file name/,
      );
    }
  });
});

describe('ReportsBucket', () => {
  it('refuses to expire reports before they have moved to Infrequent Access', () => {
    expect(() => new ReportsBucket(newStack(), 'Reports', { reportRetention: Duration.days(90) })).toThrow(
      /reportRetention \(90 days\) must be longer than infrequentAccessAfter \(90 days\)/,
    );
  });

  it('refuses a move to Infrequent Access sooner than S3 allows', () => {
    expect(() => new ReportsBucket(newStack(), 'Reports', { infrequentAccessAfter: Duration.days(10) })).toThrow(/infrequentAccessAfter must be at least 30 days/);
  });

  it('refuses lifecycle settings for an imported bucket, whose lifecycle is not ours to change', () => {
    expect(() => new ReportsBucket(newStack(), 'Reports', { importBucketName: 'acme-reports', reportRetention: Duration.days(400) })).toThrow(
      'ReportsBucket: reportRetention applies only to a created bucket; remove it or importBucketName',
    );
  });

  it('refuses a key ARN without an imported bucket', () => {
    expect(() => new ReportsBucket(newStack(), 'Reports', { importedBucketKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9' })).toThrow(
      /importedBucketKeyArn applies only with importBucketName/,
    );
  });

  it('refuses a key prefix that is not a clean key prefix', () => {
    expect(() => new ReportsBucket(newStack(), 'Reports', { keyPrefix: 'acme/../other' })).toThrow(/keyPrefix must be key segments/);
  });
});

describe('ReportScheduler', () => {
  function scheduler(overrides: Partial<ConstructorParameters<typeof ReportScheduler>[2]>): () => ReportScheduler {
    const stack = newStack();
    const table = new MetricsTable(stack, 'Table');
    const reportsBucket = new ReportsBucket(stack, 'Reports');
    return () => new ReportScheduler(stack, 'Scheduler', { table, reportsBucket, ...overrides });
  }

  it('refuses report definitions that parseReportDefinitions rejects, naming the file and every problem', () => {
    const file = path.join(newOutdir(), 'reports.json');
    writeFileSync(file, JSON.stringify({ reports: [{ name: 'a b', type: 'WEEKLY' }] }));
    expect(scheduler({ definitionsFile: file })).toThrow(
      new RegExp(`^ReportScheduler: "${file}": Invalid report definitions \\(2 problems\\):\\n- reports\\[0\\] "a b"\\.name: may contain only`),
    );
  });

  it('refuses a timeout as long as the run ledger’s claim lease', () => {
    expect(scheduler({ timeout: Duration.minutes(20) })).toThrow(/timeout must be shorter than the run ledger's 20 minutes claim lease/);
  });

  it('passes the correction window in whole hours, and reads reports back only when it corrects them', () => {
    const windowHours = (s: ReportScheduler) =>
      Object.values(Template.fromStack(Stack.of(s)).findResources('AWS::Lambda::Function'))
        .map((f) => f.Properties?.Environment?.Variables?.REPORT_CORRECTION_WINDOW_HOURS as unknown)
        .filter((v) => v !== undefined);
    const grant = (s: ReportScheduler) => JSON.stringify(Template.fromStack(Stack.of(s)).findResources('AWS::IAM::Policy'));
    const byDefault = scheduler({})();
    expect(windowHours(byDefault)).toEqual(['24']);
    expect(grant(byDefault)).toContain('s3:GetObject');
    const disabled = scheduler({ correctionWindow: Duration.hours(0) })();
    expect(windowHours(disabled)).toEqual(['0']);
    expect(grant(disabled)).not.toContain('s3:GetObject');
  });

  it.each([
    ['part of an hour', Duration.minutes(90)],
    ['more than the run ledger keeps runs', Duration.days(91)],
  ])('refuses a correction window of %s', (_what, correctionWindow) => {
    expect(scheduler({ correctionWindow })).toThrow(/correctionWindow must be whole hours from 0 to 2160/);
  });
});

describe('RealtimeMetrics', () => {
  function realtime(overrides: Partial<ConstructorParameters<typeof RealtimeMetrics>[2]>): () => RealtimeMetrics {
    const stack = newStack();
    const table = new MetricsTable(stack, 'Table');
    return () => new RealtimeMetrics(stack, 'Realtime', { table, ...overrides });
  }

  it('refuses a service-level threshold Amazon Connect does not offer', () => {
    expect(realtime({ serviceLevelThresholds: { Sales: 50 } })).toThrow(/service-level threshold of queue "Sales" must be one of 15, 20, .* seconds; got 50/);
  });

  it('refuses an instance filter without contact events', () => {
    expect(realtime({ contactEvents: false, connectInstanceArn: 'arn:aws:connect:eu-west-1:123456789012:instance/12345678-aaaa-bbbb-cccc-123456789012' })).toThrow(
      /connectInstanceArn only filters contact events/,
    );
  });

  it('refuses a namespace CloudWatch reserves for AWS', () => {
    expect(realtime({ metricsNamespace: 'AWS/Connect' })).toThrow(/metricsNamespace must be .* not starting with 'AWS\/'/);
  });
});

describe('Monitoring', () => {
  it('refuses an agent-event age the HEART_BEAT interval would trip', () => {
    expect(() => new Monitoring(newStack(), 'Monitoring', { agentEventMaxAge: Duration.minutes(2) })).toThrow(/agentEventMaxAge must be longer than the 120 seconds/);
  });

  it('refuses a service-level target that is not a percentage', () => {
    expect(() => new Monitoring(newStack(), 'Monitoring', { queues: { Sales: { ...DEFAULT_QUEUE_THRESHOLDS, serviceLevelTarget: 180 } } })).toThrow(
      'Monitoring: queue "Sales": serviceLevelTarget must be a percentage above 0 and at most 100; got 180',
    );
  });

  it('refuses a namespace other than the publisher’s', () => {
    const stack = newStack();
    const realtime = new RealtimeMetrics(stack, 'Realtime', { table: new MetricsTable(stack, 'Table'), metricsNamespace: 'Acme' });
    expect(() => new Monitoring(stack, 'Monitoring', { realtime })).toThrow(/metricsNamespace "ConnectMetrics" differs from the real-time publisher's "Acme"/);
  });

  it('subscribes a literal e-mail address unconditionally', () => {
    const stack = newStack();
    new Monitoring(stack, 'Monitoring', { alarmEmail: 'ops@example.com' });
    expectTemplate(Template.fromStack(stack)).hasResource('AWS::SNS::Subscription', { Properties: { Protocol: 'email', Endpoint: 'ops@example.com' }, Condition: Match.absent() });
  });
});
