import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { registerSimulate } from '../../cli/commands/simulate.js';
import { SimulateOptionsError, resolveSimulateOptions } from '../../cli/simulator/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('simulate options', () => {
  it('defaults to seed 1, 20 agents, 24 hours from today 00:00 in the zone, UTC', () => {
    const o = resolveSimulateOptions({}, Date.parse('2026-03-10T15:30:00Z'));
    expect(o).toEqual({
      seed: 1,
      agents: 20,
      hours: 24,
      timeZone: 'UTC',
      startMs: Date.parse('2026-03-10T00:00:00Z'),
      endMs: Date.parse('2026-03-11T00:00:00Z'),
    });
    const paris = resolveSimulateOptions({ timeZone: 'Europe/Paris' }, Date.parse('2026-03-10T23:30:00Z'));
    expect(new Date(paris.startMs).toISOString()).toBe('2026-03-10T23:00:00.000Z');
  });

  it('reads a start without offset in the time zone, and one with an offset as given', () => {
    const local = resolveSimulateOptions({ start: '2026-07-01T08:00', timeZone: 'America/New_York' });
    expect(new Date(local.startMs).toISOString()).toBe('2026-07-01T12:00:00.000Z');
    const date = resolveSimulateOptions({ start: '2026-01-15', timeZone: 'Asia/Kolkata' });
    expect(new Date(date.startMs).toISOString()).toBe('2026-01-14T18:30:00.000Z');
    const offset = resolveSimulateOptions({ start: '2026-07-01T08:00:00+02:00', timeZone: 'America/New_York' });
    expect(new Date(offset.startMs).toISOString()).toBe('2026-07-01T06:00:00.000Z');
  });

  it.each([
    [{ agents: 0 }, /--agents/],
    [{ agents: -3 }, /--agents/],
    [{ agents: 2.5 }, /--agents/],
    [{ hours: 0 }, /--hours/],
    [{ hours: Number.NaN }, /--hours/],
    [{ seed: -1 }, /--seed/],
    [{ timeZone: 'Mars/Olympus_Mons' }, /unknown IANA time zone/],
    [{ start: 'yesterday' }, /--start/],
    [{ start: '2026-02-30' }, /--start/],
    [{ start: '2026-03-10T25:00' }, /--start/],
  ])('rejects %o with a clear error', (opts, message) => {
    expect(() => resolveSimulateOptions(opts)).toThrow(SimulateOptionsError);
    expect(() => resolveSimulateOptions(opts)).toThrow(message);
  });
});

describe('connect-metrics simulate', () => {
  function program(): Command {
    const p = new Command().name('connect-metrics').exitOverride();
    registerSimulate(p);
    return p;
  }

  it('describes every option in --help', () => {
    const cmd = program().commands.find((c) => c.name() === 'simulate');
    const help = cmd?.helpInformation() ?? '';
    for (const flag of ['--seed <n>', '--agents <n>', '--hours <n>', '--start <iso>', '--time-zone <iana>', '--out <dir>', '--no-truth']) {
      expect(help).toContain(flag);
    }
  });

  it('rejects a non-positive agent count before simulating', async () => {
    const p = program();
    p.commands.forEach((c) => c.exitOverride().configureOutput({ writeErr: () => undefined }));
    await expect(p.parseAsync(['node', 'cm', 'simulate', '--agents', '0'])).rejects.toThrow(/agents must be a whole number/);
  });

  it('writes the files and prints a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));
    dirs.push(dir);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await program().parseAsync(['node', 'cm', 'simulate', '--agents', '4', '--hours', '2', '--start', '2026-03-10T09:00:00Z', '--out', dir]);
      expect(readdirSync(dir).sort()).toEqual(['agent-events.jsonl', 'ctr.jsonl', 'truth.json']);
      const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
      expect(printed).toMatch(/Contacts: \d+ \(INBOUND \d+, OUTBOUND \d+, TRANSFER \d+, QUEUE_TRANSFER \d+, CALLBACK \d+, API \d+\)/);
      expect(printed).toMatch(/Agent events: \d+/);
      expect(printed).toContain(join(dir, 'truth.json'));
    } finally {
      log.mockRestore();
    }
  });
});
