import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESM_REQUIRE_BANNER } from '../../lib/constructs/function-defaults.js';
import { actionsOf, crossStackRef, expectTemplate, logicalId, policyStatements, synth, type Synthesized } from './synth.js';

const STATEFUL = 'connect-metrics-stateful';

describe('PipelineStack with the default configuration (streams created by the stateful stack)', () => {
  let app: Synthesized;
  let pipeline: Template;
  let ctrStreamRef: Record<string, unknown>;
  let agentStreamRef: Record<string, unknown>;

  beforeAll(() => {
    // The one configuration in the suite that really runs esbuild.
    app = synth({}, { bundle: true });
    pipeline = app.pipeline;
    const ctrStream = logicalId(app.stateful, 'AWS::Kinesis::Stream', 'ConnectStreams/CtrStream');
    const agentStream = logicalId(app.stateful, 'AWS::Kinesis::Stream', 'ConnectStreams/AgentEventStream');
    ctrStreamRef = crossStackRef(app.stateful, STATEFUL, { 'Fn::GetAtt': [ctrStream, 'Arn'] });
    agentStreamRef = crossStackRef(app.stateful, STATEFUL, { 'Fn::GetAtt': [agentStream, 'Arn'] });
  });

  describe('event source mappings', () => {
    it('has one mapping per stream', () => {
      expectTemplate(pipeline).resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: ctrStreamRef });
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: agentStreamRef });
    });

    it('use partial batch responses, bisect on error, bounded retries and record age, and one batch per shard', () => {
      const mappings = pipeline.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: {
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: 10,
          MaximumRecordAgeInSeconds: 6 * 3600,
          ParallelizationFactor: 1,
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: 1000,
          MaximumBatchingWindowInSeconds: 5,
        },
      });
      expect(Object.keys(mappings)).toHaveLength(2);
    });

    it('send what they give up on to their own SQS failure queue', () => {
      for (const name of ['CtrIngestion', 'AgentEventIngestion']) {
        const queue = logicalId(pipeline, 'AWS::SQS::Queue', `${name}/FailureQueue`);
        const fn = logicalId(pipeline, 'AWS::Lambda::Function', `${name}/Handler/Function`);
        expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: fn },
          DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
        });
      }
    });
  });

  describe('failure queues', () => {
    it('are encrypted, refuse plain HTTP and keep messages 14 days', () => {
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 }, 2);
      expectTemplate(pipeline).resourcePropertiesCountIs(
        'AWS::SQS::QueuePolicy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        },
        2,
      );
    });
  });

  describe('functions', () => {
    it('run Node.js 22 on arm64 with tracing, source maps and their table and source', () => {
      for (const source of ['ctr', 'agent-events']) {
        expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Function', {
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          MemorySize: 512,
          Timeout: 60,
          TracingConfig: { Mode: 'Active' },
          Environment: {
            Variables: Match.objectEquals({
              NODE_OPTIONS: '--enable-source-maps',
              POWERTOOLS_SERVICE_NAME: 'connect-metrics',
              RETENTION_DAYS: '400',
              SOURCE: source,
              TABLE_NAME: crossStackRef(app.stateful, STATEFUL, { Ref: logicalId(app.stateful, 'AWS::DynamoDB::Table', 'Metrics/Table') }),
            }),
          },
        });
      }
    });

    it('log to their own log group with one month retention (no logRetention custom resource)', () => {
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 2);
      for (const name of ['CtrIngestion', 'AgentEventIngestion']) {
        const logGroup = logicalId(pipeline, 'AWS::Logs::LogGroup', `${name}/Handler/LogGroup`);
        expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroup } } });
      }
      expectTemplate(pipeline).resourceCountIs('Custom::LogRetention', 0);
    });

    it('are bundled by esbuild as ESM, with require() available and the AWS SDK inside', () => {
      const functions = Object.values(pipeline.findResources('AWS::Lambda::Function'));
      expect(functions).toHaveLength(2);
      for (const fn of functions) {
        const assetPath: unknown = fn.Metadata?.['aws:asset:path'];
        expect(typeof assetPath).toBe('string');
        const code = readFileSync(path.join(app.app.outdir, String(assetPath), 'index.mjs'), 'utf8');
        expect(code.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
        // Nothing left to load from the runtime's copy of the SDK.
        // (The bundled SDK's own error messages mention require("@aws-sdk/..."), so only imports count.)
        expect(code).not.toMatch(/(\bfrom\s*|\bimport\s*\(\s*)["']@aws-sdk\//);
        expect(existsSync(path.join(app.app.outdir, String(assetPath), 'index.mjs.map'))).toBe(true);
      }
    });
  });

  describe('IAM', () => {
    it('lets each function read its own stream, and no other', () => {
      const kinesis = policyStatements(pipeline).filter((s) => actionsOf(s).some((a) => a.startsWith('kinesis:')));
      expect(kinesis).toHaveLength(2);
      for (const [name, streamArn] of [['CtrIngestion', ctrStreamRef], ['AgentEventIngestion', agentStreamRef]] as const) {
        expectTemplate(pipeline).hasResourceProperties('AWS::IAM::Policy', {
          Roles: [{ Ref: logicalId(pipeline, 'AWS::IAM::Role', `${name}/Handler/Role`) }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Allow',
                Action: Match.arrayWith(['kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards']),
                Resource: streamArn,
              }),
            ]),
          },
        });
      }
    });

    it('lets each function read and write the table, and no other', () => {
      const tableArn = crossStackRef(app.stateful, STATEFUL, { 'Fn::GetAtt': [logicalId(app.stateful, 'AWS::DynamoDB::Table', 'Metrics/Table'), 'Arn'] });
      expectTemplate(pipeline).resourcePropertiesCountIs(
        'AWS::IAM::Policy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Allow',
                Action: Match.arrayWith(['dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']),
                Resource: tableArn,
              }),
            ]),
          },
        },
        2,
      );
      expect(policyStatements(pipeline).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))).toHaveLength(2);
    });

    it('grants nothing on Resource "*" but the X-Ray calls, which take no resource', () => {
      const wildcard = policyStatements(pipeline).filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
      expect(wildcard.map((s) => actionsOf(s).join(' '))).toEqual([
        'xray:PutTelemetryRecords xray:PutTraceSegments',
        'xray:PutTelemetryRecords xray:PutTraceSegments',
      ]);
    });

    it('uses no managed policies (AWSLambdaBasicExecutionRole would allow writing to every log group)', () => {
      const roles = pipeline.findResources('AWS::IAM::Role');
      expect(Object.keys(roles)).toHaveLength(2);
      for (const role of Object.values(roles)) {
        expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      }
      for (const name of ['CtrIngestion', 'AgentEventIngestion']) {
        const logGroup = logicalId(pipeline, 'AWS::Logs::LogGroup', `${name}/Handler/LogGroup`);
        expectTemplate(pipeline).hasResourceProperties('AWS::IAM::Policy', {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] } }),
            ]),
          },
        });
      }
    });
  });

  describe('alarms', () => {
    it('watch iterator age (at a quarter of the record age limit) and the failure queues', () => {
      const alarms = expectTemplate(pipeline);
      alarms.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Namespace: 'AWS/Lambda', Threshold: 90 * 60 * 1000 }, 2);
      alarms.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Threshold: 1 }, 2);
    });
  });

  it('depends on the stateful stack, which is deployed first', () => {
    expect(app.stacks.pipeline.dependencies).toContain(app.stacks.stateful);
  });
});
