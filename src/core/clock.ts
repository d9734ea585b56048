/**
 * Injected time. Balancer health logic reads `nowMs()` once per request and derives nginx's
 * whole-second `ngx_time()` from it; tests pass a FakeClock and advance it by hand.
 */
import { wallNow } from './wall-clock.js';

export interface Clock {
  /** Milliseconds since the epoch (or any fixed origin); monotonic enough for fail_timeout. */
  nowMs(): number;
}

/** Wall-clock time, read without a Date.now() per call (wall-clock.ts). */
export const systemClock: Clock = { nowMs: () => wallNow() };

export class FakeClock implements Clock {
  #ms: number;
  constructor(startMs = 1_700_000_000_000) { this.#ms = startMs; }
  nowMs(): number { return this.#ms; }
  advance(ms: number): void { this.#ms += ms; }
  set(ms: number): void { this.#ms = ms; }
}

/** A seedable source of 32-bit unsigned integers (nginx's `ngx_random()` stand-in). */
export interface RandomSource {
  next(): number;
}

/**
 * mulberry32: small, fast, and good enough to spread picks; deterministic for a seed. The state
 * lives in a Uint32Array so that advancing it allocates nothing (a closure number above the
 * small-integer range would be boxed on every call).
 */
export function seededRandom(seed: number): RandomSource {
  const state = new Uint32Array([seed >>> 0]);
  return {
    next(): number {
      state[0] = state[0]! + 0x6d2b79f5;
      let t = state[0]!;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return (t ^ (t >>> 14)) >>> 0;
    },
  };
}

export const systemRandom: RandomSource = { next: () => (Math.random() * 0x1_0000_0000) >>> 0 };
