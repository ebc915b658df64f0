import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT_METRICS, PIPELINE_METRICS, QUEUE_METRICS } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import { ESM_REQUIRE_BANNER } from '../../lib/constructs/function-defaults.js';
import { REPORT_DEFINITIONS_FILE_NAME } from '../../lib/constructs/reporting.js';
import { repoPath } from '../../lib/paths.js';
import { actionsOf, alarmsOf, crossStackRef, dashboardBody, expectTemplate, expectToMatch, logicalId, policyStatements, synth, type Synthesized } from './synth.js';

const STATEFUL = 'connect-metrics-stateful';

/** Construct paths of the functions, under the pipeline stack. */
const FUNCTIONS = {
  ctr: 'CtrIngestion/Handler',
  agentEvents: 'AgentEventIngestion/Handler',
  scheduler: 'ReportScheduler/Handler',
  publisher: 'Realtime/Publisher',
  contactEvents: 'Realtime/ContactEvents',
} as const;

describe('PipelineStack with the default configuration (streams created by the stateful stack)', () => {
  let app: Synthesized;
  let pipeline: Template;
  let ctrStreamRef: Record<string, unknown>;
  let agentStreamRef: Record<string, unknown>;
  let tableArnRef: Record<string, unknown>;
  const fnId = (name: keyof typeof FUNCTIONS) => logicalId(pipeline, 'AWS::Lambda::Function', `${FUNCTIONS[name]}/Function`);
  const roleId = (name: keyof typeof FUNCTIONS) => logicalId(pipeline, 'AWS::IAM::Role', `${FUNCTIONS[name]}/Role`);
  const statementsOf = (name: keyof typeof FUNCTIONS) => {
    const policies = Object.values(pipeline.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId(name) }] } }));
    expect(policies).toHaveLength(1);
    const statements: unknown = policies[0]?.Properties?.PolicyDocument?.Statement;
    return Array.isArray(statements) ? (statements as ReturnType<typeof policyStatements>) : [];
  };

  beforeAll(() => {
    // The one configuration in the suite that really runs esbuild. (nag.test.ts
    // synthesizes it with CloudFormation's rules checked, as `cdk synth` does.)
    app = synth({}, { bundle: true });
    pipeline = app.pipeline;
    tableArnRef = crossStackRef(app.stateful, STATEFUL, { 'Fn::GetAtt': [logicalId(app.stateful, 'AWS::DynamoDB::Table', 'Metrics/Table'), 'Arn'] });
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

    it('use partial batch responses, bisect on error, bounded retries and record age; one CTR batch per shard, eight agent-event batches', () => {
      const mappings = pipeline.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: {
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          BisectBatchOnFunctionError: true,
          MaximumRetryAttempts: 10,
          MaximumRecordAgeInSeconds: 6 * 3600,
          StartingPosition: 'TRIM_HORIZON',
          BatchSize: 1000,
          MaximumBatchingWindowInSeconds: 5,
        },
      });
      expect(Object.keys(mappings)).toHaveLength(2);
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: ctrStreamRef, ParallelizationFactor: 1 });
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: agentStreamRef, ParallelizationFactor: 8 });
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
    it('are encrypted, refuse plain HTTP and keep messages 14 days (both stream consumers and the contact-events rule)', () => {
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 }, 3);
      expectTemplate(pipeline).resourceCountIs('AWS::SQS::Queue', 3);
      expectTemplate(pipeline).resourcePropertiesCountIs(
        'AWS::SQS::QueuePolicy',
        {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        },
        3,
      );
    });
  });

  describe('functions', () => {
    it('run Node.js 22 on arm64 with tracing and source maps, every one of them', () => {
      expectTemplate(pipeline).resourceCountIs('AWS::Lambda::Function', 5);
      expectTemplate(pipeline).resourcePropertiesCountIs(
        'AWS::Lambda::Function',
        {
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'connect-metrics' }) },
        },
        5,
      );
    });

    it('give the stream consumers their table, source, retention, metrics namespace and dead-letter bucket', () => {
      // The agent-event consumer is CPU-bound: a full vCPU (1,769 MB).
      for (const [source, memory] of [['ctr', 512], ['agent-events', 1769]] as const) {
        expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Function', {
          MemorySize: memory,
          Timeout: 60,
          Environment: {
            Variables: Match.objectEquals({
              NODE_OPTIONS: '--enable-source-maps',
              POWERTOOLS_SERVICE_NAME: 'connect-metrics',
              RETENTION_DAYS: '400',
              METRICS_NAMESPACE: 'ConnectMetrics/connect-metrics',
              SOURCE: source,
              TABLE_NAME: crossStackRef(app.stateful, STATEFUL, { Ref: logicalId(app.stateful, 'AWS::DynamoDB::Table', 'Metrics/Table') }),
              DEAD_LETTER_BUCKET: crossStackRef(app.stateful, STATEFUL, { Ref: logicalId(app.stateful, 'AWS::S3::Bucket', 'DeadLetters/Bucket') }),
            }),
          },
        });
      }
    });

    it('log to their own log group with one month retention (no logRetention custom resource)', () => {
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 5);
      for (const name of Object.keys(FUNCTIONS) as Array<keyof typeof FUNCTIONS>) {
        const logGroup = logicalId(pipeline, 'AWS::Logs::LogGroup', `${FUNCTIONS[name]}/LogGroup`);
        expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroup } } });
      }
      expectTemplate(pipeline).resourceCountIs('Custom::LogRetention', 0);
    });

    it('are bundled by esbuild as ESM, with require() available and the AWS SDK inside', () => {
      const functions = Object.values(pipeline.findResources('AWS::Lambda::Function'));
      expect(functions).toHaveLength(5);
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

  describe('report scheduler', () => {
    it('is woken every 15 minutes by an EventBridge rule', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0/15 * * * ? *)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('scheduler'), 'Arn'] } })],
      });
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [fnId('scheduler'), 'Arn'] },
        Principal: 'events.amazonaws.com',
      });
    });

    it('has 15 minutes, 2 GB, its table, bucket, key prefix and namespace, and no reserved concurrency (the run ledger handles overlap)', () => {
      const bucket = logicalId(app.stateful, 'AWS::S3::Bucket', 'Reports/Bucket');
      const fn = pipeline.findResources('AWS::Lambda::Function')[fnId('scheduler')];
      expect(fn?.Properties).toMatchObject({ Timeout: 900, MemorySize: 2048 });
      expect(fn?.Properties?.ReservedConcurrentExecutions).toBeUndefined();
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Function', {
        Timeout: 900,
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: crossStackRef(app.stateful, STATEFUL, { Ref: logicalId(app.stateful, 'AWS::DynamoDB::Table', 'Metrics/Table') }),
            REPORTS_BUCKET: crossStackRef(app.stateful, STATEFUL, { Ref: bucket }),
            REPORTS_KEY_PREFIX: 'connect/connect-metrics',
            METRICS_NAMESPACE: 'ConnectMetrics/connect-metrics',
          }),
        },
      });
    });

    it('is not retried on failure: the next wake-up picks up every open run', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId('scheduler') }, MaximumRetryAttempts: 0 });
    });

    it('may put objects (and abort its multipart uploads), and read them back for corrections, only under <key prefix>/Reports/ of the reports bucket', () => {
      const bucketArn = crossStackRef(app.stateful, STATEFUL, { 'Fn::GetAtt': [logicalId(app.stateful, 'AWS::S3::Bucket', 'Reports/Bucket'), 'Arn'] });
      const s3 = statementsOf('scheduler').filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
      expect(s3).toHaveLength(1);
      expectToMatch(s3[0], {
        Sid: 'WriteReports',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [bucketArn, '/connect/connect-metrics/Reports/*']] },
      });
      // The other S3 statements are the dead-letter writes of the three ingesting functions.
      expect(policyStatements(pipeline).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')) && s.Sid !== 'WriteDeadLetters')).toHaveLength(1);
    });

    it('has the report definitions bundled next to the handler as report-definitions.json', () => {
      const fn = pipeline.findResources('AWS::Lambda::Function')[fnId('scheduler')];
      const assetPath: unknown = fn?.Metadata?.['aws:asset:path'];
      expect(typeof assetPath).toBe('string');
      const bundled = readFileSync(path.join(app.app.outdir, String(assetPath), REPORT_DEFINITIONS_FILE_NAME), 'utf8');
      expect(bundled).toBe(readFileSync(repoPath('config/reports.json'), 'utf8'));
    });
  });

  describe('real-time publisher', () => {
    it('runs every minute, with a timeout shorter than that, and no retries', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId('publisher'), 'Arn'] } })],
      });
      expect(pipeline.findResources('AWS::Lambda::Function')[fnId('publisher')]?.Properties?.Timeout).toBeLessThan(60);
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: fnId('publisher') }, MaximumRetryAttempts: 0 });
    });

    it('gets its table, namespace and (with no queues listed) no service-level thresholds', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: Match.anyValue(),
            METRICS_NAMESPACE: 'ConnectMetrics/connect-metrics',
            SL_THRESHOLDS_JSON: '{}',
          }),
        },
      });
    });

    it('may put metric data only into its namespace: the one Resource "*" the API requires', () => {
      const putMetricData = statementsOf('publisher').filter((s) => actionsOf(s).includes('cloudwatch:PutMetricData'));
      expect(putMetricData).toEqual([
        {
          Sid: 'PutMetricDataInOwnNamespace',
          Effect: 'Allow',
          Action: 'cloudwatch:PutMetricData',
          Resource: '*',
          Condition: { StringEquals: { 'cloudwatch:namespace': 'ConnectMetrics/connect-metrics' } },
        },
      ]);
      expect(policyStatements(pipeline).filter((s) => actionsOf(s).includes('cloudwatch:PutMetricData'))).toHaveLength(1);
    });

    it('only reads the table', () => {
      const dynamo = statementsOf('publisher').filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo).toHaveLength(1);
      expectToMatch(dynamo[0]?.Resource, tableArnRef);
      expect(actionsOf(dynamo[0] ?? { Effect: '', Action: [], Resource: '' })).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/)]),
      );
    });
  });

  describe('contact events', () => {
    it('are taken from every Amazon Connect instance when no instance ARN is configured', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.connect'],
          'detail-type': ['Amazon Connect Contact Event'],
          // Only the types the handler uses (the contact stages), from any instance.
          detail: { eventType: ['INITIATED', 'CONNECTED_TO_SYSTEM', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED'] },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [fnId('contactEvents'), 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(pipeline, 'AWS::SQS::Queue', 'Realtime/ContactEventsFailureQueue'), 'Arn'] } },
          }),
        ],
      });
    });

    it('land in the failure queue when the function keeps failing on them, and the function is capped at 10 concurrent runs', () => {
      const queue = logicalId(pipeline, 'AWS::SQS::Queue', 'Realtime/ContactEventsFailureQueue');
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId('contactEvents') },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queue, 'Arn'] } } },
      });
      expect(pipeline.findResources('AWS::Lambda::Function')[fnId('contactEvents')]?.Properties?.ReservedConcurrentExecutions).toBe(10);
    });
  });

  describe('IAM', () => {
    it('lets each stream consumer read its own stream, and nothing else any stream', () => {
      const kinesis = policyStatements(pipeline).filter((s) => actionsOf(s).some((a) => a.startsWith('kinesis:')));
      expect(kinesis).toHaveLength(2);
      for (const [name, streamArn] of [['ctr', ctrStreamRef], ['agentEvents', agentStreamRef]] as const) {
        expectTemplate(pipeline).hasResourceProperties('AWS::IAM::Policy', {
          Roles: [{ Ref: roleId(name) }],
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

    it('grants each function exactly the DynamoDB calls its code makes, on the table only', () => {
      const expected: Record<keyof typeof FUNCTIONS, string[]> = {
        ctr: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        agentEvents: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        scheduler: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        publisher: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
        contactEvents: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
      };
      for (const name of Object.keys(FUNCTIONS) as Array<keyof typeof FUNCTIONS>) {
        const dynamo = statementsOf(name).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
        expect(dynamo).toHaveLength(1);
        expectToMatch(dynamo[0]?.Resource, tableArnRef);
        expect({ name, actions: actionsOf(dynamo[0] ?? { Effect: '', Action: [], Resource: '' }).sort() }).toEqual({ name, actions: expected[name] });
      }
      expect(policyStatements(pipeline).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))).toHaveLength(5);
    });

    it('grants each function exactly the S3, Kinesis, CloudWatch, SQS and log actions its code (or its event source) calls, on its own resources', () => {
      const deadLetters = { 'Fn::Join': ['', [crossStackRef(app.stateful, STATEFUL, { 'Fn::GetAtt': [logicalId(app.stateful, 'AWS::S3::Bucket', 'DeadLetters/Bucket'), 'Arn'] }), '/dead-letters/*']] };
      const reports = { 'Fn::Join': ['', [crossStackRef(app.stateful, STATEFUL, { 'Fn::GetAtt': [logicalId(app.stateful, 'AWS::S3::Bucket', 'Reports/Bucket'), 'Arn'] }), '/connect/connect-metrics/Reports/*']] };
      const queue = (path: string) => ({ 'Fn::GetAtt': [logicalId(pipeline, 'AWS::SQS::Queue', path), 'Arn'] });
      const logs = (name: keyof typeof FUNCTIONS) => ({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logicalId(pipeline, 'AWS::Logs::LogGroup', `${FUNCTIONS[name]}/LogGroup`), 'Arn'] } });
      const xray = { Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' };
      const polling = ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'];
      const expected: Record<keyof typeof FUNCTIONS, unknown[]> = {
        ctr: [{ Action: polling, Resource: ctrStreamRef }, logs('ctr'), { Action: ['s3:PutObject'], Resource: deadLetters }, { Action: ['sqs:SendMessage'], Resource: queue('CtrIngestion/FailureQueue') }, xray],
        agentEvents: [
          { Action: polling, Resource: agentStreamRef },
          logs('agentEvents'),
          { Action: ['s3:PutObject'], Resource: deadLetters },
          { Action: ['sqs:SendMessage'], Resource: queue('AgentEventIngestion/FailureQueue') },
          xray,
        ],
        scheduler: [logs('scheduler'), { Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'], Resource: reports }, xray],
        publisher: [{ Action: ['cloudwatch:PutMetricData'], Resource: '*' }, logs('publisher'), xray],
        contactEvents: [logs('contactEvents'), { Action: ['sqs:SendMessage'], Resource: queue('Realtime/ContactEventsFailureQueue') }, xray],
      };
      for (const name of Object.keys(FUNCTIONS) as Array<keyof typeof FUNCTIONS>) {
        // DynamoDB grants: the test above.
        const granted = statementsOf(name)
          .filter((st) => !actionsOf(st).some((a) => a.startsWith('dynamodb:')))
          .map((st) => ({ Action: actionsOf(st).sort(), Resource: st.Resource }))
          .sort((a, b) => String(a.Action[0]).localeCompare(String(b.Action[0])));
        expect(granted.every((st) => st.Action.every((a) => !a.includes('*')))).toBe(true);
        expectToMatch({ name, granted }, { name, granted: expected[name] });
      }
    });

    it('gives the stream consumers the dead-letter bucket, and no other function', () => {
      const bucket = crossStackRef(app.stateful, STATEFUL, { Ref: logicalId(app.stateful, 'AWS::S3::Bucket', 'DeadLetters/Bucket') });
      const functions = pipeline.findResources('AWS::Lambda::Function');
      const bucketOf = (name: keyof typeof FUNCTIONS): unknown => functions[fnId(name)]?.Properties?.Environment?.Variables?.DEAD_LETTER_BUCKET;
      expectToMatch(
        (Object.keys(FUNCTIONS) as Array<keyof typeof FUNCTIONS>).map((name) => [name, bucketOf(name) ?? 'none']),
        [
          ['ctr', bucket],
          ['agentEvents', bucket],
          ['scheduler', 'none'],
          ['publisher', 'none'],
          ['contactEvents', 'none'],
        ],
      );
    });

    it('grants nothing on Resource "*" but the X-Ray calls and PutMetricData, which take no resource', () => {
      const wildcard = policyStatements(pipeline).filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
      expect(wildcard.map((s) => actionsOf(s).join(' ')).sort()).toEqual([
        'cloudwatch:PutMetricData',
        ...Array.from({ length: 5 }, () => 'xray:PutTelemetryRecords xray:PutTraceSegments'),
      ]);
    });

    it('uses no managed policies (AWSLambdaBasicExecutionRole would allow writing to every log group)', () => {
      const roles = pipeline.findResources('AWS::IAM::Role');
      expect(Object.keys(roles)).toHaveLength(5);
      for (const role of Object.values(roles)) {
        expect(role.Properties?.ManagedPolicyArns).toBeUndefined();
      }
      for (const path of Object.values(FUNCTIONS)) {
        const logGroup = logicalId(pipeline, 'AWS::Logs::LogGroup', `${path}/LogGroup`);
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
    it('watch iterator age (at a quarter of the record age limit) and every failure queue', () => {
      const alarms = expectTemplate(pipeline);
      alarms.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'IteratorAge', Namespace: 'AWS/Lambda', Threshold: 90 * 60 * 1000 }, 2);
      alarms.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Threshold: 1 }, 3);
    });

    it('include no queue alarms when no queues are configured', () => {
      for (const def of [QUEUE_METRICS.serviceLevel, QUEUE_METRICS.abandonRate, QUEUE_METRICS.oldestContactAge]) {
        expectTemplate(pipeline).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: def.name }, 0);
      }
    });

    it('all notify the alarm topic, but the two inputs of the no-agent-events composite', () => {
      const topic = { Ref: logicalId(pipeline, 'AWS::SNS::Topic', 'Monitoring/AlarmTopic') };
      const silent = Object.entries(alarmsOf(pipeline)).filter(([, alarm]) => alarm.Properties.AlarmActions === undefined);
      expect(silent.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['MonitoringAgentEventAgeAlarm', 'MonitoringAgentsOnlineAlarm']);
      for (const [, alarm] of Object.entries(alarmsOf(pipeline)).filter(([, a]) => a.Properties.AlarmActions !== undefined)) {
        expect(alarm.Properties).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
      }
    });
  });

  describe('alarm e-mail', () => {
    it('is a stack parameter, empty by default', () => {
      expectTemplate(pipeline).hasParameter('AlarmEmail', { Type: 'String', Default: '' });
    });

    it('subscribes only when the parameter is not empty', () => {
      const conditions = pipeline.findConditions('*', { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }] });
      const [condition] = Object.keys(conditions);
      expect(condition).toBeDefined();
      expectTemplate(pipeline).hasResource('AWS::SNS::Subscription', {
        Condition: condition,
        Properties: { Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' }, TopicArn: { Ref: logicalId(pipeline, 'AWS::SNS::Topic', 'Monitoring/AlarmTopic') } },
      });
    });
  });

  describe('dashboard', () => {
    it('charts every queue the publisher reports with SEARCH over the Queue dimension when no queues are configured', () => {
      const body = dashboardBody(pipeline);
      const serviceLevel = body.widgets.filter((w) => w.properties.title?.startsWith('Service level'));
      expect(serviceLevel).toHaveLength(1);
      expect(JSON.stringify(serviceLevel[0]?.properties.metrics)).toContain(`SEARCH('{\\"ConnectMetrics/connect-metrics\\",Queue} MetricName=\\"${QUEUE_METRICS.serviceLevel.name}\\"'`);
      expect(serviceLevel[0]?.properties.annotations?.horizontal).toEqual([expect.objectContaining({ value: 80 })]);
    });

    it('shows every metric of the catalog', () => {
      const body = JSON.stringify(dashboardBody(pipeline));
      const missing = [...Object.values(QUEUE_METRICS), ...Object.values(AGENT_METRICS), ...Object.values(PIPELINE_METRICS)]
        .map((def) => def.name)
        .filter((name) => !body.includes(name));
      expect(missing).toEqual([]);
    });
  });

  it('depends on the stateful stack, which is deployed first', () => {
    expect(app.stacks.pipeline.dependencies).toContain(app.stacks.stateful);
  });
});
