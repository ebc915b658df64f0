import { readFile } from 'node:fs/promises';

export class InputFileError extends Error {
  constructor(path: string, cause: unknown) {
    super(`Cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'InputFileError';
  }
}

/** Non-empty lines of a JSON-lines file. */
export async function readJsonLines(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new InputFileError(path, err);
  }
  return text.split('\n').filter((l) => l.trim().length > 0);
}
