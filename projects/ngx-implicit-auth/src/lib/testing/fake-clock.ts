import type { Clock } from '../clock';

/** A {@link Clock} that only moves when a test moves it. */
export interface FakeClock extends Clock {
  /** The current time in whole seconds since the epoch, as JWT claims use it. */
  nowSeconds(): number;
  /** Sets the current time, in milliseconds since the epoch. */
  set(ms: number): void;
  /** Moves the clock forward (or back, with a negative value) by `seconds`. */
  advance(seconds: number): void;
}

/** 2030-01-01T00:00:00Z: far from the real clock, so nothing passes by accident of the machine's time. */
export const FAKE_CLOCK_START = Date.UTC(2030, 0, 1);

/** A clock frozen at `startMs` (default {@link FAKE_CLOCK_START}). */
export function createFakeClock(startMs = FAKE_CLOCK_START): FakeClock {
  let now = startMs;
  return {
    now: () => now,
    nowSeconds: () => Math.floor(now / 1000),
    set: (ms) => (now = ms),
    advance: (seconds) => (now += seconds * 1000),
  };
}
