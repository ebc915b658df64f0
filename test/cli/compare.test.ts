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
import { runCompare } from '../../cli/commands/compare.js';
import type { CompareOptions } from '../../cli/commands/compare.js';

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

let copies = 0;
/** A copy of a golden CSV with cells changed: [1-based data row, header name, new value]. */
function modifiedGolden(name: string, ...changes: Array<[row: number, column: string, value: string]>): string {
  const lines = readFileSync(join(GOLDEN, name), 'utf8').split('\r\n');
  const header = (lines[0] ?? '').split(',');
  for (const [row, column, value] of changes) {
    const cells = (lines[row] ?? '').split(',');
    cells[header.indexOf(column)] = value;
    lines[row] = cells.join(',');
  }
  const path = join(tmp, `modified-${++copies}-${name}`);
  writeFileSync(path, lines.join('\r\n'));
  return path;
}

describe('connect-metrics compare', () => {
  it('exits 0 for Connect-shaped CSV against our golden report of the same data', async () => {
    const r = await cli(['compare', '--connect', CONNECT_QUEUES, '--ours', join(GOLDEN, 'queues-15min.csv')]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual([
      'Columns only in Connect (not compared): Contacts consulted',
      'Columns only in ours (not compared): Avg ACW',
      '8 rows compared, 0 cells differ, 0 rows only in Connect, 0 rows only in ours',
      '',
    ]);
  });

  it('exits 1 and prints the differing cell with both values and the difference', async () => {
    const changed = modifiedGolden('queues-15min.csv', [5, 'Average queue answer time', '00:00:25']); // BasicQueue 10:30: 20 s → 25 s
    const r = await cli(['compare', '--connect', changed, '--ours', join(GOLDEN, 'queues-15min.csv')]);
    expect(r.code).toBe(1);
    expect(r.out.split('\n')).toEqual([
      'DIFF  Queue=BasicQueue, StartInterval=2026-03-10T10:30:00Z | Average queue answer time | Connect 00:00:25 | ours 00:00:20 | -5 s',
      '8 rows compared, 1 cells differ, 0 rows only in Connect, 0 rows only in ours',
      '',
    ]);
  });

  it('exits 2 on a missing file, with a message naming it', async () => {
    const r = await cli(['compare', '--connect', join(tmp, 'nope.csv'), '--ours', join(GOLDEN, 'queues-15min.csv')]);
    expect({ code: r.code, out: r.out, err: r.err }).toEqual({ code: 2, out: '', err: `connect-metrics compare: Cannot read ${join(tmp, 'nope.csv')}: no such file\n` });
  });

  // The same command in-process (runCompare is what the action calls): each spawn costs seconds.
  describe('runCompare', () => {
    const opts = (connect: string | undefined, ours: string | undefined, more: Partial<CompareOptions> = {}): CompareOptions => ({
      connect,
      ours,
      toleranceSeconds: '1',
      tolerancePercent: '0.01',
      timeZone: 'UTC',
      dataDir: join(tmp, 'no-data'),
      ...more,
    });
    async function run(o: CompareOptions) {
      const out: string[] = [];
      const err: string[] = [];
      const r = await runCompare(o, (l) => out.push(l), (l) => err.push(l));
      return { code: r.exitCode, out, err };
    }

    it('exits 0 for a golden report against itself', async () => {
      const q = join(GOLDEN, 'queues-15min.csv');
      expect(await run(opts(q, q))).toEqual({ code: 0, out: ['8 rows compared, 0 cells differ, 0 rows only in Connect, 0 rows only in ours'], err: [] });
    });

    it('takes the tolerances from the options', async () => {
      const changed = modifiedGolden('queues-15min.csv', [5, 'Average queue answer time', '00:00:25']);
      expect((await run(opts(changed, join(GOLDEN, 'queues-15min.csv'), { toleranceSeconds: '5' }))).code).toBe(0);
      expect((await run(opts(changed, join(GOLDEN, 'queues-15min.csv'), { toleranceSeconds: '4.9' }))).code).toBe(1);
    });

    it.each([
      ['an empty file', () => opts(write('empty.csv', ''), join(GOLDEN, 'queues-15min.csv')), 'empty.csv is empty'],
      ['a CSV that is not a metrics report', () => opts(join(GOLDEN, 'activity-audit.csv'), join(GOLDEN, 'queues-15min.csv')), 'activity-audit.csv is not an Amazon Connect historical metrics report'],
      ['a directory', () => opts(GOLDEN, join(GOLDEN, 'queues-15min.csv')), 'it is a directory'],
      ['reports grouped differently', () => opts(join(GOLDEN, 'agents-daily.csv'), join(GOLDEN, 'queues-15min.csv')), 'grouped differently'],
      ['a bad tolerance', () => opts(CONNECT_QUEUES, CONNECT_QUEUES, { tolerancePercent: 'lots' }), '--tolerance-percent must be a number ≥ 0, got "lots"'],
      ['a bad time zone', () => opts(CONNECT_QUEUES, CONNECT_QUEUES, { timeZone: 'Mars/Olympus' }), '--time-zone'],
      ['a missing --connect', () => opts(undefined, CONNECT_QUEUES), 'give both --connect'],
      ['a malformed s3 location', () => opts('s3://bucket-only', CONNECT_QUEUES), 'expected s3://bucket/key'],
      ['--explain without a replay', () => opts(modifiedGolden('queues-15min.csv', [1, 'Contacts handled', '5']), join(GOLDEN, 'queues-15min.csv'), { explain: true }), 'No local data in'],
    ])('exits 2 on %s, with a message', async (_what, o, message) => {
      const r = await run(o());
      expect({ code: r.code, out: r.out }).toEqual({ code: 2, out: [] });
      expect(r.err.join('\n')).toContain(message);
    });
  });

  describe('with s3:// locations', () => {
    let services: LocalServices;
    let clients: AwsClients;

    beforeAll(async () => {
      services = await startLocalServices();
      clients = awsClients({ region: services.region, endpoints: services.endpoints });
      await ensureBucket(clients.s3, 'connect-reports');
      await clients.s3.send(new PutObjectCommand({ Bucket: 'connect-reports', Key: 'connect/demo/Reports/q/queues-2026-03-11T00:00:00Z.csv', Body: readFileSync(CONNECT_QUEUES) }));
      await clients.s3.send(new PutObjectCommand({ Bucket: 'connect-reports', Key: 'ours/queues.csv', Body: readFileSync(modifiedGolden('queues-15min.csv', [1, 'Contacts handled', '2'])) }));
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
    const connect = modifiedGolden('queues-15min.csv', [2, 'Contacts queued', '3']);
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

    // A Total report has no interval columns: --range says what it covers. Avg ACW comes from agent events, not contacts.
    // BasicQueue: ours 1 (the contact that left for a callback at 09:21 is not a transfer) and -.
    const total = modifiedGolden('queues-total.csv', [1, 'Contacts transferred out', '3'], [1, 'Avg ACW', '00:00:05']);
    const out: string[] = [];
    const run = await runCompare(
      { connect: total, ours: join(GOLDEN, 'queues-total.csv'), toleranceSeconds: '1', tolerancePercent: '0.01', timeZone: 'UTC', explain: true, range: '2026-03-10T00:00:00Z/2026-03-11T00:00:00Z', dataDir: data },
      (l) => out.push(l),
    );
    expect(run.exitCode).toBe(1);
    expect(out).toEqual([
      'DIFF  Queue=BasicQueue | Contacts transferred out | Connect 3 | ours 1 | -2',
      '    our value is made of 1 contact(s) disconnected 2026-03-10T00:00:00Z to 2026-03-11T00:00:00Z:',
      '      5d0c6a1e-2f3b-4c4d-9e5f-6a7b8c9d0006  disconnected 2026-03-10T10:04:35Z  contacts_transferred_out=1',
      'DIFF  Queue=BasicQueue | Avg ACW | Connect 00:00:05 | ours - | ours has no data',
      '    (Avg ACW is agent-activity-driven: it comes from agent events, not from contacts)',
      '2 rows compared, 2 cells differ, 0 rows only in Connect, 0 rows only in ours',
    ]);
  });
});

function write(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}
