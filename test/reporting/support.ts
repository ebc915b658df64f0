/**
 * Helpers shared by the reporting integration tests: reading the local S3,
 * parsing CSV with two independent readers, and a sink that counts writes.
 */
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { parse as csvParse } from 'csv-parse/sync';
import Papa from 'papaparse';
import type { ReportSink } from '../../lambdas/reporting/report-sink.js';

export async function listKeys(s3: S3Client, bucket: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

export async function readObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!obj.Body) throw new Error(`s3://${bucket}/${key} has no body`);
  return obj.Body.transformToString('utf8');
}

export interface ParsedTwice {
  readonly papa: string[][];
  readonly csvParse: string[][];
  readonly papaErrors: readonly string[];
}

/**
 * Parses CSV text with papaparse and with csv-parse (a separate
 * implementation); tests assert that both agree. Neither is told to be
 * lenient: csv-parse throws on a ragged row or a stray quote.
 */
export function parseTwice(text: string): ParsedTwice {
  const p = Papa.parse<string[]>(text, { newline: '\r\n', skipEmptyLines: false });
  const papa = p.data;
  // RFC 4180: the last record may end with a line break, which papaparse reports as one empty row.
  const last = papa[papa.length - 1];
  if (last && last.length === 1 && last[0] === '') papa.pop();
  const other = csvParse(text, { record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false, skip_empty_lines: false }) as string[][];
  return { papa, csvParse: other, papaErrors: p.errors.map((e) => `${e.code}: ${e.message} (row ${String(e.row)})`) };
}

/**
 * Wraps a sink: counts put calls per key, and can fail or hold a put under
 * test control. `sibling` wraps another sink (another instance's S3 client)
 * with the same counters and hooks.
 */
export class InstrumentedSink implements ReportSink {
  /** Called before each put; may wait (a slow upload) or throw (one that fails before sending anything). */
  before: ((key: string, attempt: number) => Promise<void> | void) | null = null;
  /** When it returns true, the CSV stream breaks after its first chunk: an upload that fails halfway. */
  breakStream: ((key: string, attempt: number) => boolean) | null = null;

  constructor(
    private readonly inner: ReportSink,
    readonly puts = new Map<string, number>(),
    private readonly hooks: InstrumentedSink | null = null,
  ) {}

  sibling(inner: ReportSink): InstrumentedSink {
    return new InstrumentedSink(inner, this.puts, this.hooks ?? this);
  }

  get totalPuts(): number {
    let n = 0;
    for (const v of this.puts.values()) n += v;
    return n;
  }

  get(key: string): Promise<string | null> {
    return this.inner.get(key);
  }

  async put(key: string, chunks: Iterable<string>): Promise<{ bytes: number }> {
    const hooks = this.hooks ?? this;
    const attempt = (this.puts.get(key) ?? 0) + 1;
    this.puts.set(key, attempt);
    await hooks.before?.(key, attempt);
    if (!hooks.breakStream?.(key, attempt)) return this.inner.put(key, chunks);
    const broken = (function* () {
      for (const c of chunks) {
        yield c;
        throw new Error(`injected failure halfway through ${key} (attempt ${attempt})`);
      }
    })();
    return this.inner.put(key, broken);
  }
}

/** A promise with its resolve function, for holding an operation until the test lets it go. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
