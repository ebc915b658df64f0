/**
 * Reading archived records: JSON-lines files, and the files Kinesis Data
 * Firehose writes to S3 (optionally gzip-compressed, records concatenated with
 * or without newlines between them), from a local file or directory or from
 * an S3 prefix.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

export class ArchiveFormatError extends Error {
  constructor(source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = 'ArchiveFormatError';
  }
}

/**
 * Splits text holding JSON documents one after another (newline-separated or
 * not, as Firehose concatenates them) into one string per document, by
 * tracking brace depth outside strings. Malformed documents stay whole so they
 * can be dead-lettered with their text.
 */
export function splitJsonDocuments(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0 && start >= 0) {
        out.push(text.slice(start, i + 1));
        start = -1;
      }
      if (depth < 0) depth = 0;
    }
  }
  if (depth > 0 && start >= 0) out.push(text.slice(start));
  return out;
}

export function decodeArchive(bytes: Uint8Array): string {
  const gz = bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return Buffer.from(gz ? gunzipSync(bytes) : bytes).toString('utf8');
}

/** Every archive object under a location, in key/path order: `s3://bucket/prefix`, a directory or a file. */
export async function* readArchives(location: string, s3?: S3Client): AsyncGenerator<{ name: string; documents: string[] }> {
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
        const bytes = await (obj.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
        yield { name: `s3://${bucket}/${o.Key}`, documents: splitJsonDocuments(decodeArchive(bytes)) };
      }
      token = page.NextContinuationToken;
    } while (token);
    return;
  }
  const info = await stat(location).catch(() => null);
  if (!info) throw new ArchiveFormatError(location, 'no such file or directory');
  if (info.isFile()) {
    yield { name: location, documents: splitJsonDocuments(decodeArchive(await readFile(location))) };
    return;
  }
  const entries = (await readdir(location, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const paths = entries.map((e) => join(e.parentPath, e.name)).sort();
  for (const p of paths) yield { name: p, documents: splitJsonDocuments(decodeArchive(await readFile(p))) };
}
