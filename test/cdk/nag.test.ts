import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createConnectMetricsStacks } from '../../lib/connect-metrics-app.js';
import { newApp } from './synth.js';

describe('AWS Solutions checks (cdk-nag)', () => {
  it('find nothing that is not acknowledged with a reason in the constructs', () => {
    const app = newApp({});
    createConnectMetricsStacks(app, loadConfig(app));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    // Synthesis fails with the report when a rule finds an unacknowledged problem.
    expect(() => app.synth()).not.toThrow();
  });
});
