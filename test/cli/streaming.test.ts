/**
 * The CLI reads inputs of any size as streams: lines and Firehose documents
 * come out one at a time while the source is still being read, gzip is
 * decompressed on the fly, over-long records are skipped without being held,
 * and the producer pulls records no faster than Kinesis takes them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putRecordStream } from '../../cli/local/kinesis-producer.js';
import type { ProducerRecord } from '../../cli/local/kinesis-producer.js';
import { JsonDocumentSplitter, readArchives, readRecords, splitJsonDocuments, splitRecords } from '../../cli/support/archives.js';
import { textChunks } from '../../cli/support/files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cm-stream-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A byte source that makes `lines` lines lazily, `perChunk` lines per chunk, and says how many it has made. */
function lazySource(lines: number, perChunk: number) {
  const state = { produced: 0 };
  async function* bytes(): AsyncGenerator<Uint8Array> {
    while (state.produced < lines) {
      const n = Math.min(perChunk, lines - state.produced);
      let text = '';
      for (let i = 0; i < n; i++) text += `{"n":${state.produced + i}}\n`;
      state.produced += n;
      yield Buffer.from(text);
    }
  }
  return { state, bytes: bytes() };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('readRecords / splitRecords: JSON lines', () => {
  it('yields each line while the source is still being read, never more than one chunk ahead', async () => {
    const total = 300_000;
    const perChunk = 1_000;
    const source = lazySource(total, perChunk);
    let seen = 0;
    let wrong = 0;
    let maxAhead = 0;
    for await (const line of splitRecords(textChunks(source.bytes))) {
      if (line !== `{"n":${seen}}`) wrong++;
      seen++;
      maxAhead = Math.max(maxAhead, source.state.produced - seen);
    }
    expect({ seen, wrong }).toEqual({ seen: total, wrong: 0 });
    // What is made but not yet consumed is one chunk at most: the reader holds no more than that.
    expect(maxAhead).toBeLessThan(perChunk);
  });

  it('joins lines split across chunks, and splits no UTF-8 character at a chunk edge', async () => {
    const text = Buffer.from('{"name":"Zoë ☎"}\n\n{"b":2}\r\n{"c":3}');
    async function* bytewise(): AsyncGenerator<Uint8Array> {
      for (const b of text) yield Uint8Array.of(b);
    }
    expect(await collect(splitRecords(textChunks(bytewise())))).toEqual(['{"name":"Zoë ☎"}', '{"b":2}', '{"c":3}']);
  });

  it('reads a gzip file as its lines, and counts the compressed bytes read', async () => {
    const path = join(dir, 'lines.jsonl.gz');
    const lines = Array.from({ length: 5_000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(i % 50) }));
    const gz = gzipSync(`${lines.join('\n')}\n`);
    await writeFile(path, gz);
    let bytes = 0;
    expect(await collect(await readRecords(path, { onBytes: (n) => (bytes = n) }))).toEqual(lines);
    expect(bytes).toBe(gz.length);
  });

  it('skips and reports a line longer than the limit without holding it', async () => {
    const reported: Array<[number, number]> = [];
    const long = 'x'.repeat(10_000);
    const out = await collect(splitRecords(textChunks((async function* () {
      yield Buffer.from(`{"a":1}\n${long.slice(0, 3000)}`);
      yield Buffer.from(long.slice(3000));
      yield Buffer.from('\n{"b":2}\n');
    })()), { maxRecordChars: 1_000, onOversized: (n, chars) => reported.push([n, chars]) }));
    expect(out).toEqual(['{"a":1}', '{"b":2}']);
    expect(reported).toEqual([[2, 10_000]]);
  });

  it('fails on a truncated gzip file instead of yielding what it could read as if complete', async () => {
    const path = join(dir, 'truncated.jsonl.gz');
    const gz = gzipSync(Array.from({ length: 2_000 }, (_, i) => JSON.stringify({ i })).join('\n'));
    await writeFile(path, gz.subarray(0, gz.length - 100));
    await expect(collect(await readRecords(path))).rejects.toThrow(/unexpected end of file/i);
  });

  it('fails with the file name for a missing file', async () => {
    await expect(readRecords(join(dir, 'nope.jsonl'))).rejects.toThrow(/Cannot read .*nope\.jsonl/);
  });
});

describe('Firehose documents', () => {
  it('splits documents that span chunks, with braces and escaped quotes inside strings', () => {
    const text = '{"a":"}{\\"x"}{"b":{"c":[1,{"d":2}]}}\n{"e":"\\\\"}';
    const expected = ['{"a":"}{\\"x"}', '{"b":{"c":[1,{"d":2}]}}', '{"e":"\\\\"}'];
    expect(splitJsonDocuments(text)).toEqual(expected);
    // Every way of cutting the text in two gives the same documents.
    for (let cut = 0; cut <= text.length; cut++) {
      const splitter = new JsonDocumentSplitter();
      expect([...splitter.push(text.slice(0, cut)), ...splitter.push(text.slice(cut)), ...splitter.end()]).toEqual(expected);
    }
  });

  it('keeps an unterminated last document whole, to be dead-lettered', () => {
    expect(splitJsonDocuments('{"a":1}{"b":')).toEqual(['{"a":1}', '{"b":']);
  });

  it('streams a gzip archive of concatenated documents record by record', async () => {
    const path = join(dir, 'firehose.gz');
    const docs = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ ContactId: `c-${i}`, Note: '}{' }));
    await writeFile(path, gzipSync(docs.join('')));
    const archives = await collect(readArchives(path));
    expect(archives.map((a) => a.name)).toEqual([path]);
    expect(await collect((archives[0] as (typeof archives)[number]).documents)).toEqual(docs);
  });
});

describe('putRecordStream', () => {
  it('puts at most 500 records a call and reads the next records only once the previous call is written', async () => {
    const kinesis = mockClient(KinesisClient);
    let pulled = 0;
    const pulledAtCall: number[] = [];
    kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => {
      pulledAtCall.push(pulled);
      return { FailedRecordCount: 0, Records: input.Records.map((_, i) => ({ ShardId: 'shardId-0', SequenceNumber: String(i) })) };
    });
    async function* records(): AsyncGenerator<ProducerRecord> {
      for (let i = 0; i < 1_700; i++) {
        pulled++;
        yield { partitionKey: `k${i % 7}`, data: `{"i":${i}}` };
      }
    }
    const result = await putRecordStream(new KinesisClient({ region: 'us-east-1' }), 's', records());
    const sizes = kinesis.commandCalls(PutRecordsCommand).map((c) => c.args[0].input.Records?.length);
    expect(sizes).toEqual([500, 500, 500, 200]);
    // When call n is made, exactly the records of calls 1..n have been pulled: no read-ahead.
    expect(pulledAtCall).toEqual([500, 1000, 1500, 1700]);
    expect(result).toMatchObject({ written: 1_700, rejected: 0, calls: 4 });
    kinesis.restore();
  });

  it('skips a record over the 1 MiB Kinesis limit and reports it, instead of failing the whole replay', async () => {
    const kinesis = mockClient(KinesisClient);
    kinesis.on(PutRecordsCommand).callsFake((input: { Records: unknown[] }) => ({ FailedRecordCount: 0, Records: input.Records.map((_, i) => ({ ShardId: 'shardId-0', SequenceNumber: String(i) })) }));
    const rejected: number[] = [];
    const result = await putRecordStream(
      new KinesisClient({ region: 'us-east-1' }),
      's',
      [
        { partitionKey: 'a', data: '{}' },
        { partitionKey: 'b', data: 'x'.repeat(1024 * 1024) },
        { partitionKey: 'c', data: '{}' },
      ],
      { onRejected: (i) => rejected.push(i) },
    );
    expect(result).toMatchObject({ written: 2, rejected: 1 });
    expect(rejected).toEqual([1]);
    expect(kinesis.commandCalls(PutRecordsCommand).flatMap((c) => c.args[0].input.Records?.map((r) => r.PartitionKey))).toEqual(['a', 'c']);
    kinesis.restore();
  });
});

describe('readRecords / splitRecords (replay and run)', () => {
  /** Text cut into chunks of `size` characters, so records and documents span chunks. */
  async function* chunked(text: string, size: number): AsyncGenerator<string> {
    for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
  }

  it('gives one record per JSON line, and one per document of a line holding several (Firehose), in order', async () => {
    const docs = Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, s: `a}{b "q" \\ ${'x'.repeat(i)}` }));
    const text = `${docs.slice(0, 10).join('\n')}\n${docs.slice(10, 40).join('')}\n\n  ${docs.slice(40).join('')}`;
    for (const size of [1, 7, 64, 100_000]) expect(await collect(splitRecords(chunked(text, size)))).toEqual(docs);
  });

  it('keeps a line that is not JSON, and what is left of a line ending inside a document, as records (to be dead-lettered)', async () => {
    const text = 'not json\n{"a":1}{"b":\n{"c":3}\r\n   \n{"d":4}';
    expect(await collect(splitRecords(chunked(text, 3)))).toEqual(['not json', '{"a":1}', '{"b":', '{"c":3}', '{"d":4}']);
  });

  it('skips a record longer than the limit as it streams by, naming its record number', async () => {
    const over: Array<[number, number]> = [];
    const text = `{"a":1}${JSON.stringify({ big: 'x'.repeat(500) })}{"c":3}\n${'y'.repeat(600)}\n{"d":4}`;
    const out = await collect(splitRecords(chunked(text, 50), { maxRecordChars: 400, onOversized: (n, chars) => over.push([n, chars]) }));
    expect(out).toEqual(['{"a":1}', '{"c":3}', '{"d":4}']);
    expect(over).toEqual([
      [2, 510],
      [4, 600],
    ]);
  });

  it('reads a gzip Firehose archive (no newlines, far longer than one record) record by record', async () => {
    const docs = Array.from({ length: 3_000 }, (_, i) => JSON.stringify({ i, pad: 'z'.repeat(400) }));
    const path = join(dir, 'firehose-archive.gz');
    await writeFile(path, gzipSync(docs.join('')));
    expect(docs.join('').length).toBeGreaterThan(1024 * 1024);
    expect(await collect(await readRecords(path))).toEqual(docs);
  });
});
