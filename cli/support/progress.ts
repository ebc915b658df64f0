/** A progress bar on an interactive terminal; plain phase lines otherwise (CI logs stay readable). */
import cliProgress from 'cli-progress';

export interface Progress {
  update(value: number): void;
  stop(): void;
}

/**
 * What the bar counts: records, or bytes read (for input whose record count
 * is only known once it has been read through).
 */
export type ProgressUnit = 'records' | 'bytes';

const MB = 1024 * 1024;

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr, unit: ProgressUnit = 'records'): Progress {
  const show = (v: number) => (unit === 'bytes' ? `${(v / MB).toFixed(1)} MB` : `${v.toLocaleString('en-US')} records`);
  if (!stream.isTTY || total === 0) {
    stream.write(`${label}: ${show(total)}\n`);
    return { update: () => undefined, stop: () => undefined };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {shown} | {duration_formatted}`,
      stream,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (v: number) => ({ shown: unit === 'bytes' ? `${show(v)} of ${show(total)}` : `${v.toLocaleString('en-US')}/${total.toLocaleString('en-US')} records` });
  bar.start(total, 0, payload(0));
  return {
    update: (v) => bar.update(Math.min(v, total), payload(Math.min(v, total))),
    stop: () => bar.stop(),
  };
}
