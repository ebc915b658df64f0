/**
 * DynamoDB capacity accounting, by the service's documented rules: an item's
 * size is the UTF-8 length of its attribute names and values (numbers take
 * about one byte per two significant digits, plus one); a write costs one unit
 * per started KiB of the larger of the old and new item (a transaction item
 * counts twice); a read costs half a unit per started 4 KiB (eventually
 * consistent). Used by the benchmark and exposed as pipeline metrics.
 */
export function attributeValueSize(v: unknown): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (typeof v === 'number' && Number.isSafeInteger(v)) {
    // The common case (revisions, times, counts), without a string: the digits of |v|.
    const digits = v === 0 ? 1 : String(v < 0 ? -v : v).length;
    return Math.ceil(digits / 2) + 1;
  }
  if (typeof v === 'number' || typeof v === 'bigint') {
    const digits = String(v).replace(/[-.]/g, '').replace(/^0+/, '').replace(/e.*$/i, '').length;
    return Math.ceil(Math.max(digits, 1) / 2) + 1;
  }
  if (v instanceof Uint8Array) return v.byteLength;
  if (v instanceof Set) {
    let s = 0;
    for (const x of v) s += attributeValueSize(x);
    return s;
  }
  if (Array.isArray(v)) {
    let s = 3;
    for (const x of v) s += attributeValueSize(x) + 1;
    return s;
  }
  if (typeof v === 'object') {
    let s = 3;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) s += Buffer.byteLength(k, 'utf8') + attributeValueSize(x) + 1;
    return s;
  }
  return 0;
}

export function itemSize(item: Record<string, unknown> | undefined): number {
  if (!item) return 0;
  let s = 0;
  for (const [k, v] of Object.entries(item)) if (v !== undefined) s += Buffer.byteLength(k, 'utf8') + attributeValueSize(v);
  return s;
}

export function writeUnits(newSize: number, oldSize = 0, transactional = false): number {
  const units = Math.max(1, Math.ceil(Math.max(newSize, oldSize) / 1024));
  return transactional ? units * 2 : units;
}

export function readUnits(bytes: number): number {
  return Math.max(0.5, Math.ceil(bytes / 4096) * 0.5);
}

/** Running totals of what the store consumed. */
export class CapacityMeter {
  writeUnits = 0;
  readUnits = 0;
  writes = 0;
  calls = 0;
  readonly byKind = new Map<string, number>();
  /** Write units per `<window>|<partition key>`, when tracking is on (the scale benchmark sets the window). */
  byPartition: Map<string, number> | null = null;
  window = '';

  write(kind: string, newSize: number, oldSize = 0, pk?: string): void {
    const u = writeUnits(newSize, oldSize);
    this.writeUnits += u;
    this.writes++;
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + u);
    if (this.byPartition && pk !== undefined) {
      const k = `${this.window}|${pk}`;
      this.byPartition.set(k, (this.byPartition.get(k) ?? 0) + u);
    }
  }

  read(bytes: number): void {
    this.readUnits += readUnits(bytes);
  }

  reset(): void {
    this.writeUnits = 0;
    this.readUnits = 0;
    this.writes = 0;
    this.calls = 0;
    this.byKind.clear();
    this.byPartition?.clear();
  }
}
