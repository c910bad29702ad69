/**
 * What is known of the provider's clock when an ID token's times are judged. Times inside tokens (`iat`, `exp`,
 * `nbf`, `auth_time`) are the provider's; `now` is the device's. The two differ when either clock is wrong.
 */
export interface ProviderClock {
  /**
   * How far the device's clock is ahead of the provider's, in ms (negative: behind). The provider's time is the
   * device's less this. 0 unless provider-clock mode learned an offset.
   */
  readonly offsetMs: number;
  /**
   * - `'assumed'`: the device's clock is taken as right and nothing says otherwise yet (a first token in
   *   device-clock mode): a sound token whose times only a clock difference explains is `clock_skew`.
   * - `'established'`: earlier tokens agreed with `offsetMs` (a renewal; an offset learned before): a token
   *   issued before its request is refused as such (`invalid_iat`), the lower bound of OIDC Core rule 10.
   * - `'learn'`: provider-clock mode's first token: its own `iat` is the provider's time, so `exp`, `nbf` and
   *   `auth_time` are judged against it and the caller learns the offset from it (see
   *   {@link measureClockOffsetMs}). Its freshness then rests on the single-use nonce alone.
   */
  readonly basis: 'assumed' | 'established' | 'learn';
}

/** The device's clock, taken as right: device-clock mode's first token. */
export const DEVICE_CLOCK: ProviderClock = { offsetMs: 0, basis: 'assumed' };

/**
 * How far the device's clock (`deviceNowMs`, when the token arrived) is ahead of the provider's, by an ID token
 * issued at `iat` (seconds): the token was minted moments before it arrived, its `nonce` proves not earlier
 * than the request. Accurate to the second `iat` is rounded to, plus the answer's trip.
 */
export function measureClockOffsetMs(iat: number, deviceNowMs: number): number {
  return deviceNowMs - iat * 1000;
}
