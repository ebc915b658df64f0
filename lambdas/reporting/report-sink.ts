/** Where finished reports go: an S3 object per run (atomic: readers never see a partial file). */
import { Readable } from 'node:stream';
import { Upload } from '@aws-sdk/lib-storage';
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';

export interface ReportSink {
  /** Writes the object from a stream of text chunks; returns its size. Replaces an existing object with the same key. */
  put(key: string, chunks: Iterable<string>): Promise<{ bytes: number }>;
  /** The current object at `key` as text, or null when there is none (a correction compares with it). */
  get(key: string): Promise<string | null>;
}

export class S3ReportSink implements ReportSink {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, chunks: Iterable<string>): Promise<{ bytes: number }> {
    let bytes = 0;
    const counted = (function* () {
      for (const c of chunks) {
        const b = Buffer.from(c, 'utf8');
        bytes += b.length;
        yield b;
      }
    })();
    // Multipart upload for large reports: the object appears only when the upload completes.
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(counted), ContentType: 'text/csv; charset=utf-8' },
      queueSize: 2,
      partSize: 8 * 1024 * 1024,
    });
    await upload.done();
    return { bytes };
  }

  async get(key: string): Promise<string | null> {
    try {
      const obj = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return obj.Body ? await obj.Body.transformToString('utf8') : '';
    } catch (err) {
      if (err instanceof NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
  }
}
