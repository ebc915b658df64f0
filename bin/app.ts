// The CDK app (cdk.json: "app": "npx tsx bin/app.ts"). Settings come from the
// `connectMetrics` context value; see lib/config.ts for every setting and its default.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, loadConfig, type ConnectMetricsConfig } from '../lib/config.js';
import { createConnectMetricsStacks } from '../lib/connect-metrics-app.js';

function configOrExit(app: App): ConnectMetricsConfig {
  try {
    return loadConfig(app);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // A list of named settings reads better than a stack trace.
    console.error(`Invalid connect-metrics configuration (context key "connectMetrics" in cdk.json or -c):\n${error.message}`);
    process.exit(1);
  }
}

const app = new App();

// Environment-agnostic unless the CLI knows the account and region (it sets
// these from the credentials in use); nothing here looks anything up in AWS.
createConnectMetricsStacks(app, configOrExit(app), {
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: process.env.CDK_DEFAULT_REGION,
});

// Every synth (and so every deploy) runs the AWS Solutions checks: a finding
// that is not acknowledged, with its reason, in the construct it concerns
// fails synthesis with a report.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
