/**
 * The `connect-metrics` command as a user runs it: every command has --help,
 * the main job writes reports, and mistakes end with a clear message and a
 * non-zero exit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'cm-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/connect-metrics.js'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('connect-metrics', () => {
  it('lists its commands, and every command has --help', () => {
    const top = cli('--help');
    expect(top.code).toBe(0);
    const commands = [...top.out.matchAll(/^ {2}([a-z-]+) /gm)].map((m) => m[1] as string).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['simulate', 'replay', 'run', 'realtime', 'dashboard', 'demo', 'redrive', 'backfill']));
    for (const c of commands) {
      const h = cli(c, '--help');
      expect({ command: c, code: h.code, usage: h.out.includes(`Usage: connect-metrics ${c}`) }).toEqual({ command: c, code: 0, usage: true });
    }
  });

  it('simulate writes the three files, and run writes the scheduled reports', () => {
    const sim = join(tmp, 'sim');
    expect(cli('simulate', '--seed', '4', '--agents', '4', '--hours', '26', '--start', '2026-03-10T00:00:00', '--time-zone', 'America/New_York', '--out', sim).code).toBe(0);
    expect(['ctr.jsonl', 'agent-events.jsonl', 'truth.json'].every((f) => existsSync(join(sim, f)))).toBe(true);

    const out = join(tmp, 'reports');
    const r = cli('run', '--ctr', join(sim, 'ctr.jsonl'), '--agent-events', join(sim, 'agent-events.jsonl'), '--reports', 'config/reports.json', '--until', '2026-03-11T05:00:00Z', '--out', out);
    expect({ code: r.code, stderr: r.err }).toMatchObject({ code: 0 });
    const csvs = files(out).filter((f) => f.endsWith('.csv'));
    // Five reports at local midnight of 2026-03-11 (generated 00:15 EDT = 04:15Z), plus those of the day before.
    expect(csvs.filter((f) => f.includes('2026-03-11T04:15:00Z')).map((f) => f.split('/').pop())).toEqual([
      'agent-activity-audit-2026-03-11T04:15:00Z.csv',
      'agents-daily-2026-03-11T04:15:00Z.csv',
      'login-logout-2026-03-11T04:15:00Z.csv',
      'queues-30min-2026-03-11T04:15:00Z.csv',
      'routing-profiles-daily-2026-03-11T04:15:00Z.csv',
    ]);
    expect(csvs.every((f) => f.startsWith(join(out, 'connect-metrics', 'Reports', 'daily')))).toBe(true);
  });

  it('fails with a message naming the report and field for a bad report definitions file', () => {
    const bad = join(tmp, 'bad-reports.json');
    writeFileSync(bad, JSON.stringify({ reports: [{ name: 'q', type: 'HISTORICAL', groupings: ['QUEUE'], metrics: ['Occupancy'], timeRange: 'YESTERDAY', schedule: { frequency: 'DAILY', at: '00:00' } }] }));
    const r = cli('run', '--ctr', 'x', '--agent-events', 'y', '--reports', bad, '--until', '2026-03-11T05:00:00Z', '--out', join(tmp, 'never'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('reports[0] "q".metrics[0]');
    expect(r.err).toContain('Occupancy');
  });

  it('fails clearly on a missing input file', () => {
    const r = cli('replay', '--ctr', join(tmp, 'does-not-exist.jsonl'), '--data-dir', join(tmp, 'data'));
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('Cannot read');
  });
});
