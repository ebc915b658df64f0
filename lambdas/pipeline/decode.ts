/**
 * Decoding a Kinesis record's data: base64, then UTF-8 (strict: invalid bytes
 * are an error, not replacement characters), then JSON.
 */
import { mayHoldControlCharacters } from '../domain/model/validation.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `controlCharacters`: whether the text may hold an escaped control character (the parsers then scan every string). */
export type Decoded = { ok: true; json: unknown; controlCharacters: boolean } | { ok: false; reason: string };

export function decodeRecordData(data: string): Decoded {
  if (data.length % 4 !== 0 || !BASE64.test(data)) return { ok: false, reason: 'Record data is not valid base64' };
  let text: string;
  try {
    text = utf8.decode(Buffer.from(data, 'base64'));
  } catch {
    return { ok: false, reason: 'Record data is not valid UTF-8' };
  }
  try {
    return { ok: true, json: JSON.parse(text), controlCharacters: mayHoldControlCharacters(text) };
  } catch (err) {
    return { ok: false, reason: `Record data is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}
