import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsOf, expectTemplate, policyStatements, synth, type Synthesized } from './synth.js';

const CTR_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/acme-connect-ctr';
const AGENT_ARN = 'arn:aws:kinesis:eu-west-1:123456789012:stream/acme-connect-agent-events';

describe('stacks for streams that Amazon Connect already writes to (imported by ARN)', () => {
  let app: Synthesized;
  let pipeline: Template;

  beforeAll(() => {
    app = synth({
      instancePrefix: 'acme',
      streams: { mode: 'import', ctrStreamArn: CTR_ARN, agentEventStreamArn: AGENT_ARN, retentionHours: 168 },
      ingestion: { batchSize: 500, maxBatchingWindowSeconds: 2, retryAttempts: 3, maxRecordAgeHours: 48 },
      retentionDays: 90,
      logRetentionDays: 14,
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
        ParallelizationFactor: 1,
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
    expectTemplate(pipeline).resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 14 }, 2);
  });
});
