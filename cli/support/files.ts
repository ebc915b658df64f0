/**
 * Streaming readers for input files of any size: JSON lines (optionally
 * gzip-compressed), read chunk by chunk so memory stays bounded by one chunk
 * plus one line, never by the file (a whole file in one string fails past
 * V8's ~512 MB string limit).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

export class InputFileError extends Error {
  constructor(path: string, cause: unknown) {
    super(`Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'InputFileError';
  }
}

/**
 * Longest line or document kept (in UTF-16 code units). Kinesis takes at most
 * 1 MiB per record, so anything longer can only be reported, and is skipped
 * without being held.
 */
export const DEFAULT_MAX_RECORD_CHARS = 4 * 1024 * 1024;

export interface ReadOptions {
  /** Called with the raw (compressed, for gzip) bytes read so far, after each chunk. */
  readonly onBytes?: (bytesRead: number) => void;
  /** Lines longer than this are skipped and reported through `onOversized`. Default DEFAULT_MAX_RECORD_CHARS. */
  readonly maxRecordChars?: number;
  /** A skipped over-long record: its 1-based line (or document) number and length in characters. */
  readonly onOversized?: (recordNumber: number, chars: number) => void;
}

/** A gzip stream starts with the magic bytes 1f 8b. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Text chunks of a byte stream, gunzipped when it starts with the gzip magic
 * (concatenated gzip members included), decoded as UTF-8 without splitting a
 * character across chunks. `onBytes` counts the bytes taken from `source`.
 */
export async function* textChunks(source: AsyncIterable<Uint8Array>, onBytes?: (bytesRead: number) => void): AsyncGenerator<string> {
  const it = source[Symbol.asyncIterator]();
  let bytesRead = 0;
  // Enough of the head to see the magic bytes (a stream may hand out 1-byte chunks).
  const head: Buffer[] = [];
  let headLength = 0;
  let done = false;
  while (headLength < 2) {
    const next = await it.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value);
    head.push(chunk);
    headLength += chunk.length;
    bytesRead += chunk.length;
  }
  onBytes?.(bytesRead);
  const first = Buffer.concat(head);
  async function* raw(): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (done) return;
    for (let next = await it.next(); next.done !== true; next = await it.next()) {
      const chunk = Buffer.from(next.value);
      bytesRead += chunk.length;
      onBytes?.(bytesRead);
      yield chunk;
    }
  }
  const bytes: AsyncIterable<Buffer> = isGzip(first)
    ? // pipeline() propagates a read or decompression error to the iterator below.
      pipeline(Readable.from(raw()), createGunzip(), () => undefined)
    : raw();
  const decoder = new StringDecoder('utf8');
  for await (const chunk of bytes) {
    const text = decoder.write(chunk as Buffer);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
}

/** Size of an input file; a missing or unreadable one is an InputFileError. */
export async function inputFileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    return info.size;
  } catch (err) {
    throw new InputFileError(path, err);
  }
}

/** Opens a local file as a byte stream; a missing or unreadable file is an InputFileError. */
export async function openFile(path: string): Promise<{ stream: AsyncIterable<Uint8Array>; size: number }> {
  const size = await inputFileSize(path);
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 });
  return { stream: wrapErrors(stream, path), size };
}

async function* wrapErrors(stream: AsyncIterable<Uint8Array>, path: string): AsyncGenerator<Uint8Array> {
  try {
    yield* stream;
  } catch (err) {
    throw new InputFileError(path, err);
  }
}

/** Total size in bytes of the files (for progress by bytes read). */
export async function totalSize(paths: readonly string[]): Promise<number> {
  let total = 0;
  for (const p of paths) total += await inputFileSize(p);
  return total;
}
