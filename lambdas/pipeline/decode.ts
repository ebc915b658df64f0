/**
 * Decoding a Kinesis record's data: base64, then UTF-8 (strict: invalid bytes
 * are an error, not replacement characters), then JSON.
 */
import { mayHoldControlCharacters } from '../domain/model/validation.js';

/**
 * Strict base64 (the standard alphabet, padded), checked on the decoded bytes rather than by a regular expression over
 * the text: Node's decoder skips characters outside the alphabet and stops at padding, so the text is valid exactly
 * when it decodes to as many bytes as its length promises and holds none of the URL-safe alphabet's two extra letters.
 */
export function strictBase64(data: string): Buffer | null {
  if (data.length % 4 !== 0) return null;
  let pad = 0;
  while (pad < data.length && data.charCodeAt(data.length - 1 - pad) === 61 /* = */) pad++;
  if (pad > 2) return null;
  const bytes = Buffer.from(data, 'base64');
  if (bytes.length !== (data.length / 4) * 3 - pad || data.includes('-') || data.includes('_')) return null;
  return bytes;
}
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `controlCharacters`: whether the text may hold an escaped control character (the parsers then scan every string). */
export type Decoded = { ok: true; json: unknown; controlCharacters: boolean } | { ok: false; reason: string };

export function decodeRecordData(data: string): Decoded {
  const bytes = strictBase64(data);
  if (bytes === null) return { ok: false, reason: 'Record data is not valid base64' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, reason: 'Record data is not valid UTF-8' };
  }
  try {
    return { ok: true, json: JSON.parse(text), controlCharacters: mayHoldControlCharacters(text) };
  } catch (err) {
    return { ok: false, reason: `Record data is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}
