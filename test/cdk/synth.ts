/**
 * Builds the app the way bin/app.ts does, for CDK assertions: same wiring
 * (`createConnectMetricsStacks`), same feature flags (read from cdk.json,
 * which the CLI would apply but `new App()` in a test does not), settings
 * given as the `connectMetrics` context value.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Matcher, MatchResult, Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { createConnectMetricsStacks, type ConnectMetricsStacks } from '../../lib/connect-metrics-app.js';
import { repoPath } from '../../lib/paths.js';

export interface SynthOptions {
  /** Run esbuild for the function code (slower); otherwise assets are not bundled. */
  readonly bundle?: boolean;

  /**
   * Validate the templates against CloudFormation's rules, as `cdk synth`
   * does (CDK's built-in CloudFormation validation; cdk.json's
   * `@aws-cdk/core:validateAgainstDefaultRules` makes its findings errors).
   * Its engine takes seconds to start in each test process, so only the
   * tests whose point is that synthesis succeeds turn it on; the others
   * assert properties.
   */
  readonly validate?: boolean;
}

export interface Synthesized {
  readonly app: App;
  readonly stacks: ConnectMetricsStacks;
  readonly stateful: Template;
  readonly pipeline: Template;
}

const cdkJson: unknown = JSON.parse(readFileSync(repoPath('cdk.json'), 'utf8'));

function featureFlags(): Record<string, unknown> {
  if (typeof cdkJson !== 'object' || cdkJson === null || !('context' in cdkJson)) return {};
  const context = cdkJson.context;
  return typeof context === 'object' && context !== null ? { ...context } : {};
}

/**
 * Every cloud assembly a test file writes goes under one directory, removed
 * after the file's tests (bundled assets with source maps are a few MB each,
 * and CDK's default temporary outdirs are never cleaned up). Registered when
 * a test file imports this module, so it applies to that file.
 */
const OUTDIR_ROOT = mkdtempSync(path.join(tmpdir(), 'connect-metrics-cdk-test-'));
afterAll(() => rmSync(OUTDIR_ROOT, { recursive: true, force: true }));

/** A fresh, empty directory for one cloud assembly. */
export function newOutdir(): string {
  return mkdtempSync(path.join(OUTDIR_ROOT, 'assembly-'));
}

export function newApp(connectMetrics: unknown, options: SynthOptions = {}): App {
  return new App({
    outdir: newOutdir(),
    builtinCloudFormationValidation: options.validate === true,
    context: {
      ...featureFlags(),
      connectMetrics,
      // An empty list of bundling stacks skips bundling altogether; asset
      // metadata (off outside the CLI) says where each bundle was written.
      ...(options.bundle === true ? { 'aws:cdk:enable-asset-metadata': true } : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
}

export function synth(connectMetrics: unknown, options: SynthOptions = {}): Synthesized {
  const app = newApp(connectMetrics, options);
  const stacks = createConnectMetricsStacks(app, loadConfig(app));
  return { app, stacks, stateful: Template.fromStack(stacks.stateful), pipeline: Template.fromStack(stacks.pipeline) };
}

/**
 * Logical ID of the only resource of `type` under the construct path `path`
 * (relative to its stack, e.g. `CtrIngestion/FailureQueue`). Logical IDs
 * start with the path's segments run together, then a hash.
 */
export function logicalId(template: Template, type: string, path: string): string {
  const prefix = path.replace(/[^A-Za-z0-9]/g, '');
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} under "${path}", found ${ids.length}`);
  const [id] = ids;
  if (id === undefined) throw new Error('unreachable');
  return id;
}

/**
 * What the pipeline stack holds where it refers to `value` in the stateful
 * stack: a weak cross-stack reference (`Fn::GetStackOutput`) to an output of
 * the stateful stack that carries exactly that value.
 */
export function crossStackRef(stateful: Template, statefulStackName: string, value: unknown): Record<string, unknown> {
  const names = Object.entries(stateful.findOutputs('*'))
    .filter(([, output]) => JSON.stringify(output.Value) === JSON.stringify(value))
    .map(([name]) => name);
  if (names.length === 0) throw new Error(`the stateful stack has no output with value ${JSON.stringify(value)}`);
  return { 'Fn::GetStackOutput': Match.objectLike({ StackName: statefulStackName, OutputName: new OneOf(names) }) };
}

class OneOf extends Matcher {
  readonly name = 'OneOf';
  constructor(private readonly allowed: readonly string[]) {
    super();
  }
  test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (typeof actual !== 'string' || !this.allowed.includes(actual)) {
      result.recordFailure({ matcher: this, path: [], message: `Expected one of ${this.allowed.join(', ')} but received ${JSON.stringify(actual)}` });
    }
    return result;
  }
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** Every statement of every identity policy in the template. */
export function policyStatements(template: Template): PolicyStatement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => {
    const statements: unknown = policy.Properties?.PolicyDocument?.Statement;
    return Array.isArray(statements) ? (statements as PolicyStatement[]) : [];
  });
}

/**
 * The dashboard's body as JSON. The body is a Fn::Join of text and
 * CloudFormation values (the region, say); each value becomes "<ref>".
 */
export function dashboardBody(template: Template): DashboardBody {
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  if (dashboards.length !== 1) throw new Error(`expected one dashboard, found ${dashboards.length}`);
  const body: unknown = dashboards[0]?.Properties?.DashboardBody;
  const parts: unknown = typeof body === 'object' && body !== null && 'Fn::Join' in body && Array.isArray(body['Fn::Join']) ? body['Fn::Join'][1] : [body];
  if (!Array.isArray(parts)) throw new Error('unexpected DashboardBody');
  return JSON.parse(parts.map((part: unknown) => (typeof part === 'string' ? part : '<ref>')).join('')) as DashboardBody;
}

export interface DashboardWidget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly metrics?: unknown[];
    readonly annotations?: { readonly horizontal?: Array<{ readonly value: number; readonly label?: string }> };
    readonly markdown?: string;
  };
}

export interface DashboardBody {
  readonly widgets: DashboardWidget[];
}

/** Every alarm (metric and composite) of the template, by logical ID. */
export function alarmsOf(template: Template): Record<string, { Type: string; Properties: Record<string, unknown> }> {
  return {
    ...template.findResources('AWS::CloudWatch::Alarm'),
    ...template.findResources('AWS::CloudWatch::CompositeAlarm'),
  } as Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** Asserts that `actual` matches `pattern` exactly, where `pattern` may hold `Match` matchers (as `crossStackRef` returns). */
export function expectToMatch(actual: unknown, pattern: unknown): void {
  const result = Match.exact(pattern).test(actual);
  if (result.hasFailed()) throw new Error(`mismatch:\n${result.renderMismatch()}`);
}

/**
 * Marks a `Template` assertion (`hasResourceProperties`, `resourceCountIs`, ...)
 * as the assertion it is, for readers and for the vitest/expect-expect rule.
 */
export function expectTemplate(template: Template): Template {
  return template;
}
