/**
 * Reading archived records: JSON-lines files, and the files Kinesis Data
 * Firehose writes to S3 (optionally gzip-compressed, records concatenated with
 * or without newlines between them), from a local file or directory or from
 * an S3 prefix. Everything is streamed: an archive of any size is read
 * document by document, never held whole.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_MAX_RECORD_CHARS, openFile, textChunks } from './files.js';
import type { ReadOptions } from './files.js';

export class ArchiveFormatError extends Error {
  constructor(source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = 'ArchiveFormatError';
  }
}

const OPEN = 123; // {
const CLOSE = 125; // }
const QUOTE = 34; // "
const BACKSLASH = 92; // \

/**
 * Splits text holding JSON documents one after another (newline-separated or
 * not, as Firehose concatenates them) into one string per document, by
 * tracking brace depth outside strings, chunk by chunk: a document may span
 * any number of chunks. Malformed documents stay whole so they can be
 * dead-lettered with their text; one longer than `maxChars` is reported
 * through `onOversized` and dropped as it streams by.
 */
export class JsonDocumentSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private parts: string[] = [];
  private length = 0;
  private oversized = false;
  private documents = 0;

  constructor(private readonly opts: Omit<ReadOptions, 'onBytes'> = {}) {}

  /** The documents that end in `chunk` (with the parts of them earlier chunks held). */
  push(chunk: string): string[] {
    const out: string[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === BACKSLASH) this.escaped = true;
        else if (ch === QUOTE) this.inString = false;
        continue;
      }
      if (ch === QUOTE) {
        // Only strings inside a document matter; a quote between documents is noise.
        if (this.depth > 0) this.inString = true;
      } else if (ch === OPEN) {
        if (this.depth === 0) start = i;
        this.depth++;
      } else if (ch === CLOSE && this.depth > 0) {
        this.depth--;
        if (this.depth === 0) {
          this.append(chunk.slice(start, i + 1));
          const doc = this.finish();
          if (doc !== undefined) out.push(doc);
          start = -1;
        }
      }
    }
    if (this.depth > 0 && start >= 0) this.append(chunk.slice(start));
    return out;
  }

  /** What is left at the end of the input: an unterminated document, kept whole (it is dead-lettered). */
  end(): string[] {
    if (this.depth === 0 || (this.length === 0 && !this.oversized)) return [];
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    const doc = this.finish();
    return doc === undefined ? [] : [doc];
  }

  private append(piece: string): void {
    this.length += piece.length;
    if (this.length > (this.opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS)) {
      this.oversized = true;
      this.parts = [];
    } else if (!this.oversized) {
      this.parts.push(piece);
    }
  }

  private finish(): string | undefined {
    this.documents++;
    const doc = this.oversized ? undefined : this.parts.join('');
    if (this.oversized) this.opts.onOversized?.(this.documents, this.length);
    this.parts = [];
    this.length = 0;
    this.oversized = false;
    return doc;
  }
}

/** Every document of `text` (see JsonDocumentSplitter). */
export function splitJsonDocuments(text: string): string[] {
  const splitter = new JsonDocumentSplitter({ maxRecordChars: Number.POSITIVE_INFINITY });
  return [...splitter.push(text), ...splitter.end()];
}

/** The JSON documents of a byte stream (plain or gzip), one at a time. */
export async function* streamDocuments(bytes: AsyncIterable<Uint8Array>, opts: ReadOptions = {}): AsyncGenerator<string> {
  const splitter = new JsonDocumentSplitter(opts);
  for await (const chunk of textChunks(bytes, opts.onBytes)) yield* splitter.push(chunk);
  yield* splitter.end();
}

/** One archive object: its name, and its documents, streamed (iterate them before asking for the next archive). */
export interface Archive {
  readonly name: string;
  readonly documents: AsyncIterable<string>;
}

/** Every archive object under a location, in key/path order: `s3://bucket/prefix`, a directory or a file. */
export async function* readArchives(location: string, s3?: S3Client, opts: Omit<ReadOptions, 'onBytes'> = {}): AsyncGenerator<Archive> {
  if (location.startsWith('s3://')) {
    if (!s3) throw new ArchiveFormatError(location, 'an S3 location needs AWS credentials (use --aws)');
    const [bucket, ...rest] = location.slice(5).split('/');
    if (!bucket) throw new ArchiveFormatError(location, 'expected s3://bucket/prefix');
    const prefix = rest.join('/');
    let token: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
      for (const o of (page.Contents ?? []).sort((a, b) => String(a.Key).localeCompare(String(b.Key)))) {
        if (!o.Key || o.Key.endsWith('/')) continue;
        const obj = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
        // In Node.js the body is an IncomingMessage: an async iterable of byte chunks.
        const body = obj.Body as AsyncIterable<Uint8Array> | undefined;
        if (body === undefined || !(Symbol.asyncIterator in body)) throw new ArchiveFormatError(`s3://${bucket}/${o.Key}`, 'GetObject returned no readable body');
        yield { name: `s3://${bucket}/${o.Key}`, documents: streamDocuments(body, opts) };
      }
      token = page.NextContinuationToken;
    } while (token);
    return;
  }
  const info = await stat(location).catch(() => null);
  if (!info) throw new ArchiveFormatError(location, 'no such file or directory');
  const paths = info.isFile()
    ? [location]
    : (await readdir(location, { recursive: true, withFileTypes: true }))
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
        .sort();
  for (const p of paths) {
    const { stream } = await openFile(p);
    yield { name: p, documents: streamDocuments(stream, opts) };
  }
}

/**
 * The records of a file for `replay` and `run`: one per line of a JSON-lines file, and one per document where a line
 * holds several documents one after another, as Kinesis Data Firehose writes them (an archive without newlines is one
 * such line, of any length). A line that does not start with `{` is a record as it is (it is dead-lettered
 * downstream), and so is what is left of a line that ends inside a document; text between documents is not a record.
 * Streamed: at most one chunk and one record (up to `maxRecordChars`; a longer one is reported through `onOversized`
 * with its record number) are held.
 */
export async function* splitRecords(chunks: AsyncIterable<string>, opts: Omit<ReadOptions, 'onBytes'> = {}): AsyncGenerator<string> {
  const max = opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  let record = 0;
  const oversized = (chars: number) => opts.onOversized?.(++record, chars);
  const splitter = new JsonDocumentSplitter({ maxRecordChars: max, onOversized: (_n, chars) => oversized(chars) });
  let mode: 'start' | 'documents' | 'line' = 'start';
  let parts: string[] = [];
  let length = 0;
  const feed = (piece: string): string[] => {
    if (mode === 'start') {
      const t = piece.trimStart();
      if (t === '') return [];
      mode = t.startsWith('{') ? 'documents' : 'line';
    }
    if (mode === 'documents') return splitter.push(piece);
    length += piece.length;
    if (length <= max) parts.push(piece);
    else parts = [];
    return [];
  };
  const endLine = (): string[] => {
    let out: string[] = [];
    if (mode === 'documents') out = splitter.end();
    else if (mode === 'line') {
      if (length > max) oversized(length);
      else out = [parts.join('')];
    }
    mode = 'start';
    parts = [];
    length = 0;
    return out.filter((r) => r.trim() !== '');
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', start);
      for (const r of feed(nl === -1 ? chunk.slice(start) : chunk.slice(start, nl))) {
        record++;
        yield r;
      }
      if (nl === -1) break;
      for (const r of endLine()) {
        record++;
        yield r;
      }
      start = nl + 1;
    }
  }
  for (const r of endLine()) {
    record++;
    yield r;
  }
}

/** The records of a local file (plain or gzip) for `replay` and `run` (see splitRecords); a missing file fails here. */
export async function readRecords(path: string, opts: ReadOptions = {}): Promise<AsyncGenerator<string>> {
  const { stream } = await openFile(path);
  return splitRecords(textChunks(stream, opts.onBytes), opts);
}
