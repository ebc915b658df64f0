/**
 * CSV as a stream of text chunks (papaparse for quoting, RFC 4180, CRLF), so
 * a large report is uploaded as it is produced, never held whole in memory.
 */
import Papa from 'papaparse';

export function* csvChunks(header: readonly string[], rows: Iterable<readonly string[]>, rowsPerChunk = 2000): Generator<string> {
  yield `${Papa.unparse([[...header]], { newline: '\r\n' })}\r\n`;
  let chunk: string[][] = [];
  for (const row of rows) {
    chunk.push([...row]);
    if (chunk.length >= rowsPerChunk) {
      yield `${Papa.unparse(chunk, { newline: '\r\n' })}\r\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${Papa.unparse(chunk, { newline: '\r\n' })}\r\n`;
}
