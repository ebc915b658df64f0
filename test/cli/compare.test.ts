/**
 * `connect-metrics compare` as a user runs it: exit code 0 when the reports
 * agree, 1 when they differ (every differing cell printed), 2 on bad input
 * with a clear message; s3:// locations through a local S3 (s3rver); and
 * --explain naming the contacts behind our value after a replay.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/adapters/aws-clients.js';
import type { AwsClients } from '../../lambdas/adapters/aws-clients.js';
import { ensureBucket, startLocalServices } from '../../cli/local/services.js';
import type { LocalServices } from '../../cli/local/services.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const GOLDEN = join(ROOT, 'test/golden');
const CONNECT_QUEUES = join(ROOT, 'test/fixtures/compare/connect-queues-15min.csv');
const tmp = mkdtempSync(join(tmpdir(), 'cm-compare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI without blocking this process (the in-process S3 must keep answering). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/connect-metrics.js'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** A copy of a golden CSV with one cell changed (1-based data row, header name). */
function modifiedGolden(name: string, row: number, column: string, value: string): string {
  const lines = readFileSync(join(GOLDEN, name), 'utf8').split('\r\n');
  const at = (lines[0] ?? '').split(',').indexOf(column);
  const cells = (lines[row] ?? '').split(',');
  cells[at] = value;
  lines[row] = cells.join(',');
  const path = join(tmp, `modified-${name}`);
  writeFileSync(path, lines.join('\r\n'));
  return path;
}

describe('connect-metrics compare', () => {
  it('exits 0 for a golden report against itself, and for Connect-shaped CSV against our golden report', async () => {
    const self = await cli(['compare', '--connect', join(GOLDEN, 'queues-15min.csv'), '--ours', join(GOLDEN, 'queues-15min.csv')]);
    expect({ code: self.code, out: self.out }).toEqual({ code: 0, out: '8 rows compared, 0 cells differ, 0 rows only in Connect, 0 rows only in ours\n' });
    const connect = await cli(['compare', '--connect', CONNECT_QUEUES, '--ours', join(GOLDEN, 'queues-15min.csv')]);
    expect(connect.code).toBe(0);
    expect(connect.out.split('\n')).toEqual([
      'Columns only in Connect (not compared): Contacts consulted',
      'Columns only in ours (not compared): Avg ACW',
      '8 rows compared, 0 cells differ, 0 rows only in Connect, 0 rows only in ours',
      '',
    ]);
  });

  it('exits 1 and prints the differing cell with both values and the difference', async () => {
    const changed = modifiedGolden('queues-15min.csv', 5, 'Average queue answer time', '00:00:25'); // BasicQueue 10:30: 20 s → 25 s
    const r = await cli(['compare', '--connect', changed, '--ours', join(GOLDEN, 'queues-15min.csv')]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      'DIFF  Queue=BasicQueue, StartInterval=2026-03-10T10:30:00Z | Average queue answer time | Connect 00:00:25 | ours 00:00:20 | -5 s',
      '8 rows compared, 1 cells differ, 0 rows only in Connect, 0 rows only in ours',
      '',
    ]);
    const tolerant = await cli(['compare', '--connect', changed, '--ours', join(GOLDEN, 'queues-15min.csv'), '--tolerance-seconds', '5']);
    expect(tolerant.code).toBe(0);
  });

  it.each([
    ['a missing file', () => [join(tmp, 'nope.csv'), join(GOLDEN, 'queues-15min.csv')], `Cannot read ${join(tmp, 'nope.csv')}: no such file`],
    ['an empty file', () => [write('empty.csv', ''), join(GOLDEN, 'queues-15min.csv')], 'empty.csv is empty'],
    ['a CSV that is not a metrics report', () => [join(GOLDEN, 'activity-audit.csv'), join(GOLDEN, 'queues-15min.csv')], 'activity-audit.csv is not an Amazon Connect historical metrics report'],
    ['reports grouped differently', () => [join(GOLDEN, 'agents-daily.csv'), join(GOLDEN, 'queues-15min.csv')], 'grouped differently'],
  ])('exits 2 on %s, with a message', async (_what, files, message) => {
    const [connect, ours] = files();
    const r = await cli(['compare', '--connect', connect as string, '--ours', ours as string]);
    expect({ code: r.code, out: r.out }).toEqual({ code: 2, out: '' });
    expect(r.err).toContain(message);
  });

  it('exits 2 on a bad option value or a missing location', async () => {
    const bad = await cli(['compare', '--connect', CONNECT_QUEUES, '--ours', CONNECT_QUEUES, '--tolerance-percent', 'lots']);
    expect({ code: bad.code, err: bad.err.trim() }).toEqual({ code: 2, err: 'connect-metrics compare: --tolerance-percent must be a number ≥ 0, got "lots"' });
    const missing = await cli(['compare', '--ours', CONNECT_QUEUES]);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('give both --connect');
  });

  describe('with s3:// locations', () => {
    let services: LocalServices;
    let clients: AwsClients;

    beforeAll(async () => {
      services = await startLocalServices();
      clients = awsClients({ region: services.region, endpoints: services.endpoints });
      await ensureBucket(clients.s3, 'connect-reports');
      await clients.s3.send(new PutObjectCommand({ Bucket: 'connect-reports', Key: 'connect/demo/Reports/q/queues-2026-03-11T00:00:00Z.csv', Body: readFileSync(CONNECT_QUEUES) }));
      await clients.s3.send(new PutObjectCommand({ Bucket: 'connect-reports', Key: 'ours/queues.csv', Body: readFileSync(modifiedGolden('queues-15min.csv', 1, 'Contacts handled', '2')) }));
    });

    afterAll(async () => {
      clients.destroy();
      await services.stop();
    });

    it('reads both reports from S3 through the configured endpoint', async () => {
      const r = await cli(['compare', '--connect', 's3://connect-reports/connect/demo/Reports/q/queues-2026-03-11T00:00:00Z.csv', '--ours', 's3://connect-reports/ours/queues.csv'], {
        CM_S3_ENDPOINT: services.endpoints.s3,
        AWS_REGION: services.region,
      });
      expect({ code: r.code, err: r.err }).toEqual({ code: 1, err: '' });
      expect(r.out).toContain('DIFF  Queue=BasicQueue, StartInterval=2026-03-10T09:00:00Z | Contacts handled | Connect 1 | ours 2 | +1\n');
      expect(r.out).toContain('8 rows compared, 1 cells differ, 0 rows only in Connect, 0 rows only in ours\n');
    });

    it('exits 2 for an object that is not there', async () => {
      const r = await cli(['compare', '--connect', 's3://connect-reports/missing.csv', '--ours', CONNECT_QUEUES], { CM_S3_ENDPOINT: services.endpoints.s3, AWS_REGION: services.region });
      expect(r.code).toBe(2);
      expect(r.err).toContain('Cannot read s3://connect-reports/missing.csv: no such object');
    });
  });

  it('--explain lists the contacts that make up our value, from the store a replay left', async () => {
    const samples = join(ROOT, 'sample-events/ctr');
    const ctr = join(tmp, 'ctr.jsonl');
    writeFileSync(
      ctr,
      readdirSync(samples)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => `${JSON.stringify(JSON.parse(readFileSync(join(samples, f), 'utf8')))}\n`)
        .join(''),
    );
    const data = join(tmp, 'data');
    const replay = await cli(['replay', '--ctr', ctr, '--data-dir', data]);
    expect({ code: replay.code, err: replay.err.includes('Error') }).toEqual({ code: 0, err: false });

    // Connect says BasicQueue queued 3 contacts in 09:15-09:30; our golden report (from the same sample contacts) says 2.
    const connect = modifiedGolden('queues-15min.csv', 2, 'Contacts queued', '3');
    const r = await cli(['compare', '--connect', connect, '--ours', join(GOLDEN, 'queues-15min.csv'), '--explain', '--data-dir', data]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      'DIFF  Queue=BasicQueue, StartInterval=2026-03-10T09:15:00Z | Contacts queued | Connect 3 | ours 2 | -1',
      '    our value is made of 2 contact(s) disconnected 2026-03-10T09:15:00Z to 2026-03-10T09:30:00Z:',
      '      5d0c6a1e-2f3b-4c4d-9e5f-6a7b8c9d0003  disconnected 2026-03-10T09:21:15Z  contacts_queued=1',
      '      5d0c6a1e-2f3b-4c4d-9e5f-6a7b8c9d0004  disconnected 2026-03-10T09:29:50Z  contacts_queued=1',
      '8 rows compared, 1 cells differ, 0 rows only in Connect, 0 rows only in ours',
      '',
    ]);
  });
});

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}
