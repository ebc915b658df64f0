import type { Dims } from '../dimensions.js';
import { dimsKey } from '../dimensions.js';
import type { Primitives } from '../metrics/primitives.js';

/** Primitive values contributed to one 15-minute UTC bucket and one dims tuple. */
export interface Cell {
  readonly bucket: number;
  readonly dims: Dims;
  readonly values: Primitives;
}

export function cellKey(bucket: number, dims: Dims): string {
  return `${bucket}|${dimsKey(dims)}`;
}
