import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS, MAX_AGENTS, MAX_HOURS, simulateToDir } from '../simulator/index.js';
import type { SimulateSummary } from '../simulator/index.js';
import { isValidTimeZone } from '../simulator/zone-clock.js';

function integer(name: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

function positiveHours(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > MAX_HOURS) throw new InvalidArgumentError(`hours must be a positive number up to ${MAX_HOURS}.`);
  return n;
}

function timeZone(v: string): string {
  if (!isValidTimeZone(v)) throw new InvalidArgumentError('unknown IANA time zone (e.g. UTC, Europe/Paris, America/New_York).');
  return v;
}

interface SimulateFlags {
  readonly seed: number;
  readonly agents: number;
  readonly hours: number;
  readonly start?: string;
  readonly timeZone: string;
  readonly out: string;
  readonly truth: boolean;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .summary('simulate a contact center: contact records, agent events and ground-truth metrics')
    .description(
      [
        'Simulate an Amazon Connect contact center deterministically.',
        'Writes to --out:',
        '  ctr.jsonl           contact trace records, one JSON document per line',
        '  agent-events.jsonl  agent events (version 2017-10-01), one per line',
        '  truth.json          metrics per 15-minute UTC interval by queue, agent',
        '                      and routing profile, from the simulated timeline',
        'The same seed and options always give byte-identical files.',
      ].join('\n'),
    )
    .addOption(new Option('--seed <n>', 'seed of the pseudo-random generator (non-negative integer)').default(DEFAULTS.seed).argParser(integer('seed', 0, Number.MAX_SAFE_INTEGER)))
    .addOption(new Option('--agents <n>', 'number of agents in the center').default(DEFAULTS.agents).argParser(integer('agents', 1, MAX_AGENTS)))
    .addOption(new Option('--hours <n>', 'length of the simulated window in hours (fractions allowed)').default(DEFAULTS.hours).argParser(positiveHours))
    .addOption(
      new Option(
        '--start <iso>',
        'start of the window: ISO 8601 with Z or an offset (2026-03-10T08:00:00Z), or a date or local date-time read in --time-zone (default: today 00:00 in --time-zone)',
      ),
    )
    .addOption(new Option('--time-zone <iana>', 'IANA time zone of the center: shifts and hourly arrival rates follow its local clock').default(DEFAULTS.timeZone).argParser(timeZone))
    .addOption(new Option('--out <dir>', 'output directory (created if missing; files in it are overwritten)').default(DEFAULTS.outDir))
    .option('--no-truth', 'do not compute or write truth.json (for long runs such as --agents 500 --hours 720)')
    .action((flags: SimulateFlags) => {
      const progress = process.stderr.isTTY
        ? (f: number): void => {
            process.stderr.write(`\rsimulating… ${Math.round(f * 100)}%`);
          }
        : undefined;
      const summary = simulateToDir({
        seed: flags.seed,
        agents: flags.agents,
        hours: flags.hours,
        start: flags.start,
        timeZone: flags.timeZone,
        outDir: flags.out,
        truth: flags.truth,
        onProgress: progress,
      });
      if (progress) process.stderr.write('\r\x1b[K');
      console.log(formatSummary(summary));
    });
}

function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u] ?? 'B'}`;
}

export function formatSummary(s: SimulateSummary): string {
  const o = s.options;
  const byMethod = Object.entries(s.contactsByMethod)
    .map(([m, n]) => `${m} ${n}`)
    .join(', ');
  return [
    `Simulated ${new Date(o.startMs).toISOString()} → ${new Date(o.endMs).toISOString()} (${o.timeZone}), ${o.agents} agent${o.agents === 1 ? '' : 's'}, seed ${o.seed}`,
    `Contacts: ${s.contacts} (${byMethod})`,
    `Contact record lines: ${s.ctrLines} (${s.ctrLines - s.contacts} earlier versions of twice-published records)`,
    `Agent events: ${s.agentEvents} in ${s.sessions} login sessions`,
    'Files:',
    ...s.files.map((f) => `  ${f.path} (${formatBytes(f.bytes)})`),
  ].join('\n');
}
