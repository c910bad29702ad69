import type { ClockMode } from '../config/implicit-auth-config';
import { type ProviderClock } from '../protocol/provider-clock';
import type { HintStorage } from './web-storage';

/** What a tab knows of the provider's clock, and what validation and the session are told of it. */
export interface ProviderTime {
  /**
   * How far the device's clock is ahead of the provider's, in ms, as learned (`clock: 'provider'`); 0 in
   * device-clock mode or before anything was learned.
   */
  readonly offsetMs: number;
  /** What a response's validation knows; `renewing`: it renews a session whose tokens already passed here. */
  clockFor(renewing: boolean): ProviderClock;
  /** Learns the offset measured on an accepted ID token, when provider-clock mode knows none yet. */
  learn(clockOffsetMs: number | undefined): void;
  /** Forgets the offset: a token contradicted it (the device's clock was set since), so the next one teaches it. */
  forget(): void;
}

/**
 * The provider's clock as this tab knows it. In `'provider'` mode the offset comes from the first ID token that
 * passed every check (signature and nonce included), and is kept in sessionStorage under `key`, best effort: a
 * reload then judges its restored token against it (the `iat` lower bound holds), and where storage is refused
 * the next token simply teaches it again. Nothing is written from a refused token.
 */
export function createProviderTime(mode: ClockMode, hints: HintStorage, key: string): ProviderTime {
  const kept = mode === 'provider' ? Number(hints.get(key) ?? NaN) : NaN;
  let learned: number | undefined = Number.isFinite(kept) ? kept : undefined;
  return {
    get offsetMs() {
      return learned ?? 0;
    },
    clockFor(renewing) {
      if (mode === 'device') return { offsetMs: 0, basis: renewing ? 'established' : 'assumed' };
      return learned === undefined ? { offsetMs: 0, basis: 'learn' } : { offsetMs: learned, basis: 'established' };
    },
    learn(clockOffsetMs) {
      if (mode !== 'provider' || learned !== undefined || clockOffsetMs === undefined) return;
      learned = Math.round(clockOffsetMs);
      hints.set(key, String(learned));
    },
    forget() {
      if (mode !== 'provider') return;
      learned = undefined;
      hints.remove(key);
    },
  };
}
