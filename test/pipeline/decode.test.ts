import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeRecordData, strictBase64 } from '../../lambdas/pipeline/decode.js';

/** The definition: the standard alphabet, padded to a multiple of four, at most two `=` and only at the end. */
const STRICT = /^[A-Za-z0-9+/]*={0,2}$/;

describe('strict base64 of Kinesis record data', () => {
  it('accepts exactly what the standard padded alphabet allows, and decodes it as Node does', () => {
    const chars = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', '=', '-', '_', ' ', '\n', '.', 'é', '\u0000');
    const text = fc.oneof(
      fc.array(chars, { maxLength: 16 }).map((a) => a.join('')),
      fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64')),
      fc.tuple(fc.uint8Array({ maxLength: 12 }), fc.nat(20), chars).map(([b, at, c]) => {
        const s = Buffer.from(b).toString('base64');
        return s.slice(0, at) + c + s.slice(at + 1);
      }),
    );
    fc.assert(
      fc.property(text, (s) => {
        const got = strictBase64(s);
        expect(got !== null).toBe(s.length % 4 === 0 && STRICT.test(s));
        expect(got === null || got.equals(Buffer.from(s, 'base64'))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('names the reason a record cannot be read', () => {
    expect(decodeRecordData('eyJ9-A==')).toEqual({ ok: false, reason: 'Record data is not valid base64' });
    expect(decodeRecordData(Buffer.from([0xff, 0xfe]).toString('base64'))).toEqual({ ok: false, reason: 'Record data is not valid UTF-8' });
    expect(decodeRecordData(Buffer.from('{"a":1}').toString('base64'))).toEqual({ ok: true, json: { a: 1 }, controlCharacters: false });
  });
});
