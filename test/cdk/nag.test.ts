import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createConnectMetricsStacks } from '../../lib/connect-metrics-app.js';
import { newApp } from './synth.js';

/**
 * The richest configuration first: CloudFormation validation starts its
 * engine once per process, for the resource types of the first app, and
 * restarts only for an app with types that one did not have.
 */
const CONFIGURATIONS = {
  'everything created, queues, e-mail and one Connect instance': {
    streams: { mode: 'create', capacityMode: 'on-demand' },
    monitoring: {
      alarmEmail: 'ops@example.com',
      connectInstanceArn: 'arn:aws:connect:eu-west-1:123456789012:instance/12345678-aaaa-bbbb-cccc-123456789012',
      queues: { Sales: { serviceLevelTarget: 90 }, Support: {} },
    },
  },
  'existing streams (with a customer-managed key) and reports bucket, no contact events': {
    streams: {
      ctrStreamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/ctr',
      agentEventStreamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/agent-events',
      encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
    },
    reports: { bucket: { bucketName: 'acme-reports', encryptionKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9' } },
    monitoring: { contactEvents: false },
  },
  'the defaults (config/reports.json, created streams and bucket, contact events, no queues)': {},
} as const;

describe('AWS Solutions checks (cdk-nag)', () => {
  it.each(Object.entries(CONFIGURATIONS))('find nothing unacknowledged in any stack, and synthesis succeeds: %s', (_name, connectMetrics) => {
    // With CloudFormation's rules checked too, as `cdk synth` does.
    const app = newApp(connectMetrics, { validate: true });
    createConnectMetricsStacks(app, loadConfig(app));
    const checks = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(checks);

    // Synthesis fails with the report when a rule finds an unacknowledged
    // problem, errors and warnings alike ...
    expect(() => app.synth()).not.toThrow();
    // ... and, to be explicit, the pack's own verdict on the finished tree
    // (acknowledgements made during synthesis included).
    expect(checks.validateScope(app).violations).toEqual([]);
  });
});
