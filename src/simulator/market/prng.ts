/**
 * A tiny seeded pseudo-random generator, so a simulator run is reproducible for a given seed.
 * mulberry32: 32-bit state, fast, good enough for a market walk (not for anything secret).
 */

/** A deterministic generator of floats in [0, 1). */
export interface Prng {
  /** The next float in [0, 1). */
  next(): number;
  /** The next integer in [min, max] (both inclusive). */
  int(min: number, max: number): number;
}

/** Creates a mulberry32 generator from a 32-bit seed. */
export function mulberry32(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}

/** FNV-1a hash of a string to 32 bits: derives per-symbol seeds and plausible prices from codes. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
