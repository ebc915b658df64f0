import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { AGENT_METRICS, PIPELINE_METRICS, QUEUE_METRICS } from '../../lambdas/domain/realtime/cloudwatch-catalog.js';
import { actionsOf, alarmsOf, dashboardBody, expectTemplate, logicalId, policyStatements, synth } from './synth.js';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-1:123456789012:instance/12345678-aaaa-bbbb-cccc-123456789012';
const NAMESPACE = 'Acme/Connect/acme';

describe('monitoring with queues, an alarm e-mail and one Amazon Connect instance configured', () => {
  let pipeline: Template;
  let topic: { Ref: string };
  const alarmActions = () => ({ AlarmActions: [topic], OKActions: [topic] });

  beforeAll(() => {
    pipeline = synth({
      instancePrefix: 'acme',
      monitoring: {
        metricsNamespace: NAMESPACE,
        alarmEmail: 'ops@example.com',
        connectInstanceArn: INSTANCE_ARN,
        agentEventMaxAgeSeconds: 600,
        queues: { Sales: { serviceLevelTarget: 90, serviceLevelThresholdSeconds: 20, oldestContactMaxSeconds: 60 }, Support: {} },
        defaults: { abandonRateMax: 5, evaluationPeriods: 4 },
      },
    }).pipeline;
    topic = { Ref: logicalId(pipeline, 'AWS::SNS::Topic', 'Monitoring/AlarmTopic') };
  });

  describe('real-time functions', () => {
    it('take contact events of the configured instance only', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.connect'],
          'detail-type': ['Amazon Connect Contact Event'],
          detail: { eventType: ['INITIATED', 'CONNECTED_TO_SYSTEM', 'QUEUED', 'CONNECTED_TO_AGENT', 'DISCONNECTED'], instanceArn: [INSTANCE_ARN] },
        },
      });
    });

    it('measure each listed queue at its service-level threshold, in the configured namespace', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ METRICS_NAMESPACE: NAMESPACE, SL_THRESHOLDS_JSON: '{"Sales":20,"Support":60}' }) },
      });
    });

    it('may put metric data into the configured namespace only', () => {
      const statements = policyStatements(pipeline).filter((s) => actionsOf(s).includes('cloudwatch:PutMetricData'));
      expect(statements.map((s) => [s.Resource, s.Condition])).toEqual([['*', { StringEquals: { 'cloudwatch:namespace': NAMESPACE } }]]);
    });
  });

  describe('queue alarms', () => {
    it.each([
      ['Sales', 90],
      ['Support', 80],
    ])('%s: service level below its target (%i percent) for 4 five-minute periods', (queue, target) => {
      expectTemplate(pipeline).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: NAMESPACE,
        MetricName: QUEUE_METRICS.serviceLevel.name,
        Dimensions: [{ Name: 'Queue', Value: queue }],
        Statistic: 'Average',
        Period: 300,
        Threshold: target,
        ComparisonOperator: 'LessThanThreshold',
        EvaluationPeriods: 4,
        TreatMissingData: 'notBreaching',
        ...alarmActions(),
      });
    });

    it.each(['Sales', 'Support'])('%s: abandon rate above the default maximum (5 percent)', (queue) => {
      expectTemplate(pipeline).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: NAMESPACE,
        MetricName: QUEUE_METRICS.abandonRate.name,
        Dimensions: [{ Name: 'Queue', Value: queue }],
        Statistic: 'Average',
        Period: 300,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 4,
        TreatMissingData: 'notBreaching',
        ...alarmActions(),
      });
    });

    it.each([
      ['Sales', 60],
      ['Support', 120],
    ])('%s: oldest contact in queue older than %i s for two minutes', (queue, seconds) => {
      expectTemplate(pipeline).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: NAMESPACE,
        MetricName: QUEUE_METRICS.oldestContactAge.name,
        Dimensions: [{ Name: 'Queue', Value: queue }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: seconds,
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 2,
        TreatMissingData: 'notBreaching',
        ...alarmActions(),
      });
    });
  });

  describe('pipeline alarms', () => {
    it('reuse the stream consumers’ iterator-age alarms and wire them to the topic', () => {
      expectTemplate(pipeline).resourcePropertiesCountIs(
        'AWS::CloudWatch::Alarm',
        { Namespace: 'AWS/Lambda', MetricName: 'IteratorAge', Statistic: 'Maximum', Threshold: 90 * 60 * 1000, ...alarmActions() },
        2,
      );
    });

    it('fire on any message in any failure queue (two stream consumers, contact events)', () => {
      expectTemplate(pipeline).resourcePropertiesCountIs(
        'AWS::CloudWatch::Alarm',
        { Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ...alarmActions() },
        3,
      );
    });

    it('fire on function errors: any for the consumers, scheduler and contact events; three in five minutes for the per-minute publisher', () => {
      const errors = { Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Period: 300, ComparisonOperator: 'GreaterThanOrEqualToThreshold', ...alarmActions() };
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { ...errors, Threshold: 1 }, 4);
      expectTemplate(pipeline).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { ...errors, Threshold: 3 }, 1);
    });

    it.each([
      ['dead-lettered record', PIPELINE_METRICS.deadLettered.name],
      ['failed report run', PIPELINE_METRICS.reportRunsFailed.name],
    ])('fire on any %s, summed over every dimension the handlers publish it with', (_what, metricName) => {
      expectTemplate(pipeline).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [Match.objectLike({ Expression: `SELECT SUM(${metricName}) FROM "${NAMESPACE}"`, Period: 300, ReturnData: true })],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        ...alarmActions(),
      });
    });

    it('fire when there are no agent events for 10 minutes while agents are online', () => {
      const age = logicalId(pipeline, 'AWS::CloudWatch::Alarm', 'Monitoring/AgentEventAgeAlarm');
      const online = logicalId(pipeline, 'AWS::CloudWatch::Alarm', 'Monitoring/AgentsOnlineAlarm');
      const alarms = pipeline.findResources('AWS::CloudWatch::Alarm');
      expect(alarms[age]?.Properties).toMatchObject({
        Namespace: NAMESPACE,
        MetricName: PIPELINE_METRICS.agentEventAge.name,
        Statistic: 'Maximum',
        Threshold: 600,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(alarms[age]?.Properties?.Dimensions).toBeUndefined();
      expect(alarms[online]?.Properties).toMatchObject({
        Metrics: [expect.objectContaining({ Expression: `SELECT SUM(${AGENT_METRICS.online.name}) FROM SCHEMA("${NAMESPACE}", RoutingProfile)` })],
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expectTemplate(pipeline).hasResourceProperties('AWS::CloudWatch::CompositeAlarm', {
        AlarmRule: {
          'Fn::Join': ['', ['(ALARM("', { 'Fn::GetAtt': [age, 'Arn'] }, '") AND ALARM("', { 'Fn::GetAtt': [online, 'Arn'] }, '"))']],
        },
        ...alarmActions(),
      });
    });
  });

  it('every alarm notifies the alarm topic when it fires and when it recovers, but the composite’s two inputs', () => {
    const alarms = Object.entries(alarmsOf(pipeline));
    // Three per queue; 14 on the pipeline (iterator age ×2, failure queues ×3, errors ×5, dead letters, failed
    // report runs, the two inputs of the no-agent-events composite); the composite.
    expect(alarms).toHaveLength(2 * 3 + 14 + 1);
    const notifying = alarms.filter(([, alarm]) => alarm.Properties.AlarmActions !== undefined);
    expect(notifying).toHaveLength(alarms.length - 2);
    for (const [, alarm] of notifying) expect(alarm.Properties).toMatchObject(alarmActions());
  });

  it('every metric alarm treats missing data as not breaching (a quiet queue or idle function is not a fault)', () => {
    const metricAlarms = Object.values(pipeline.findResources('AWS::CloudWatch::Alarm'));
    expect(metricAlarms.map((alarm) => alarm.Properties?.TreatMissingData)).toEqual(metricAlarms.map(() => 'notBreaching'));
  });

  describe('alarm topic', () => {
    it('is encrypted with its own rotating KMS key, which CloudWatch may use', () => {
      const key = logicalId(pipeline, 'AWS::KMS::Key', 'Monitoring/AlarmTopicKey');
      expectTemplate(pipeline).hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } });
      expectTemplate(pipeline).hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
          ]),
        },
      });
    });

    it('refuses publishing without TLS and lets only this account’s CloudWatch alarms publish', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [topic],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sns:Publish',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Condition: { ArnLike: { 'aws:SourceArn': Match.anyValue() }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        },
      });
    });

    it('subscribes the configured e-mail, which is the AlarmEmail parameter’s default', () => {
      expectTemplate(pipeline).hasParameter('AlarmEmail', { Default: 'ops@example.com' });
      expectTemplate(pipeline).hasResource('AWS::SNS::Subscription', {
        Condition: Match.stringLikeRegexp('HasAlarmEmail'),
        Properties: { Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' }, TopicArn: topic },
      });
    });
  });

  describe('dashboard', () => {
    it('is named after the instance prefix', () => {
      expectTemplate(pipeline).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'acme' });
    });

    it('charts each listed queue’s service level against its target', () => {
      const widgets = dashboardBody(pipeline).widgets.filter((w) => w.properties.title?.includes('service level'));
      expect(widgets.map((w) => [w.properties.title, w.properties.annotations?.horizontal?.map((a) => a.value)])).toEqual([
        ['Sales: service level (20 s)', [90]],
        ['Support: service level (60 s)', [80]],
      ]);
      expect(JSON.stringify(widgets[0]?.properties.metrics)).toContain(`["${NAMESPACE}","${QUEUE_METRICS.serviceLevel.name}","Queue","Sales"`);
    });

    it('charts the listed queues by name rather than searching for queues', () => {
      const body = JSON.stringify(dashboardBody(pipeline));
      expect(body).not.toContain(',Queue}');
      expect(body).toContain(`{\\"${NAMESPACE}\\",RoutingProfile} MetricName=\\"${AGENT_METRICS.occupancy.name}\\"`);
    });

    it('shows every metric of the catalog', () => {
      const body = JSON.stringify(dashboardBody(pipeline));
      const names = [...Object.values(QUEUE_METRICS), ...Object.values(AGENT_METRICS), ...Object.values(PIPELINE_METRICS)].map((def) => def.name);
      expect(names.filter((name) => !body.includes(name))).toEqual([]);
    });

    it('labels each series of the Report runs widget with what it counts', () => {
      const widget = dashboardBody(pipeline).widgets.find((w) => w.properties.title === 'Report runs');
      const series = (widget?.properties.metrics ?? []).map((m) => (Array.isArray(m) ? (m.at(-1) as { label?: string; yAxis?: string }) : {}));
      expect(series.map((m) => [m.label, m.yAxis ?? 'left'])).toEqual([
        ['Report runs succeeded', 'left'],
        ['Reports corrected for late data', 'left'],
        ['Report runs failed', 'right'],
      ]);
    });

    it('charts the reports corrected for late data, summed every 15 minutes in the deployment’s namespace', () => {
      const widget = dashboardBody(pipeline).widgets.find((w) => w.properties.title === 'Report runs');
      const corrected = (widget?.properties.metrics ?? [])
        .map((m) => (Array.isArray(m) ? (m.at(-1) as { label?: string; expression?: string; period?: number }) : {}))
        .find((m) => m.label === 'Reports corrected for late data');
      expect(corrected).toMatchObject({
        expression: `SEARCH('Namespace="${NAMESPACE}" MetricName="${PIPELINE_METRICS.reportsCorrected.name}"', 'Sum', 900)`,
        period: 900,
      });
    });

    it('has the pipeline row: iterator age, function errors, failure queues, dead letters, report runs, data freshness', () => {
      const titles = dashboardBody(pipeline).widgets.map((w) => w.properties.title);
      expect(titles).toEqual(
        expect.arrayContaining([
          'Stream iterator age',
          'Function errors',
          'Failure-queue depth',
          'Dead-lettered and failed records',
          'Report runs',
          'Data freshness (age of the newest event applied)',
          'Agent states',
          'Contacts in queue',
          'Oldest contact in queue',
          'Alarms',
        ]),
      );
    });
  });
});

describe('two deployments in one account', () => {
  /** Every custom CloudWatch namespace a template mentions: function environments, the PutMetricData condition, alarms and the dashboard. */
  function namespacesIn(template: Template): string[] {
    return [...new Set(JSON.stringify(template.toJSON()).match(/ConnectMetrics[A-Za-z0-9./#:_-]*/g) ?? [])].sort();
  }

  it('publish, alarm and chart in namespaces of their own (the instance prefix in the namespace)', () => {
    const east = synth({ instancePrefix: 'east', monitoring: { queues: { Sales: {} } } }).pipeline;
    const west = synth({ instancePrefix: 'west', monitoring: { queues: { Sales: {} } } }).pipeline;
    expect([namespacesIn(east), namespacesIn(west)]).toEqual([['ConnectMetrics/east'], ['ConnectMetrics/west']]);
    for (const [template, namespace] of [[east, 'ConnectMetrics/east'], [west, 'ConnectMetrics/west']] as const) {
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));
      expect(functions.map((f) => f.Properties?.Environment?.Variables?.METRICS_NAMESPACE)).toEqual(functions.map(() => namespace));
      expectTemplate(template).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: QUEUE_METRICS.serviceLevel.name, Namespace: namespace });
    }
  });
});
