/**
 * Seeded pseudo-random numbers for the simulator. Everything the simulator
 * produces (configuration, arrivals, behaviour, ids) comes from here so that
 * the same seed always gives byte-identical output; Math.random and the wall
 * clock are never used.
 *
 * xoshiro128** (Blackman & Vigna): 32-bit state words, fast with Math.imul,
 * good statistical quality for simulation. State is initialised with
 * splitmix32 from a hash of the seed and a stream number, so independent
 * streams (configuration, arrivals, behaviour, ids) do not perturb each other.
 */

function mix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hashes a list of integers into one 32-bit value (order matters). */
export function hashInts(...values: readonly number[]): number {
  let h = 0x243f6a88;
  for (const v of values) {
    // Fold values above 2^32 too, so seeds up to 2^53 stay distinct.
    const lo = v >>> 0;
    const hi = Math.floor(v / 4294967296) >>> 0;
    h = mix32(h ^ lo) + 0x9e3779b9;
    h = mix32(h ^ hi);
  }
  return h >>> 0;
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex32(v: number): string {
  return (HEX[(v >>> 24) & 255] ?? '') + (HEX[(v >>> 16) & 255] ?? '') + (HEX[(v >>> 8) & 255] ?? '') + (HEX[v & 255] ?? '');
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(...seedParts: readonly number[]) {
    let x = hashInts(...seedParts);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      return mix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next raw 32-bit unsigned integer. */
  u32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [lo, hi], both inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Exponential with the given mean. */
  exp(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Standard normal (Box–Muller; no cached second value, to keep the stream simple). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and shape, clamped to [min, max]. */
  logNormal(median: number, sigma: number, min: number, max: number): number {
    const v = median * Math.exp(sigma * this.normal());
    return Math.min(max, Math.max(min, v));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.float() * items.length)];
    if (item === undefined) throw new Error('Rng.pick from an empty list');
    return item;
  }

  /** Picks an index by weight. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i] ?? 0;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** A version-4-shaped UUID built from the stream (deterministic). */
  uuid(): string {
    const a = this.u32();
    const b = (this.u32() & 0xffff0fff) | 0x00004000;
    const c = (this.u32() & 0x3fffffff) | 0x80000000;
    const d = this.u32();
    const h = hex32(a) + hex32(b >>> 0) + hex32(c >>> 0) + hex32(d);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  /** A North American E.164 number in the fictional 555-01xx range. */
  phoneNumber(): string {
    const area = this.pick(['206', '212', '312', '415', '512', '617', '702', '808']);
    return `+1${area}555${String(this.int(100, 199)).padStart(4, '0')}`;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
