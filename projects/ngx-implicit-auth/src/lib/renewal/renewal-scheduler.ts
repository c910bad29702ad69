import type { Clock } from '../clock';

/** Browsers run a `setTimeout` longer than 2^31-1 ms (~24.8 days) at once; longer waits are chained. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface RenewalSchedulerOptions {
  readonly clock: Clock;
  /** Where `focus`, `online` and (on its document) `visibilitychange` are heard; default timers come from it. */
  readonly window: Window;
  /** How long before the token stops being handed out to renew, in ms (`silentRenew.marginSeconds * 1000`). */
  readonly marginMs: number;
  readonly setTimeout?: (callback: () => void, ms: number) => number;
  readonly clearTimeout?: (id: number) => void;
}

export interface RenewalScheduler {
  /**
   * Calls `onDue` once, `marginMs` before `usableUntil` (ms since the epoch: when the token stops being of use,
   * for an access token its `usableUntil` in `session.ts`), replacing any earlier schedule. When less than twice
   * the margin is left until then, it is due at half the time left instead, so a short-lived token never makes
   * renewals run back to back. A moment already past is due at once.
   */
  schedule(usableUntil: number): void;
  /** Forgets the schedule (sign-out, or a renewal failed and no retry is wanted). */
  cancel(): void;
  /** Cancels and stops listening to the window. */
  dispose(): void;
}

/**
 * Proactive renewal from the absolute moment the token stops being usable. Timers alone are not trusted: a
 * sleeping laptop or a throttled background tab fires them late, so the due time is re-checked against the clock
 * whenever the page becomes visible, gains focus or goes back online, and renewal starts at once if it is due.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (renewal uses prompt=none, §3.1.2.1)
 * @see https://html.spec.whatwg.org/multipage/timers-and-user-prompts.html#timers (timeouts clamp, throttle)
 */
export function createRenewalScheduler(onDue: () => void, options: RenewalSchedulerOptions): RenewalScheduler {
  const { clock, window: win, marginMs } = options;
  const setTimer = options.setTimeout ?? ((callback, ms) => win.setTimeout(callback, ms));
  const clearTimer = options.clearTimeout ?? ((id) => win.clearTimeout(id));
  let dueAt: number | undefined;
  let timer: number | undefined;

  const stop = () => {
    if (timer !== undefined) clearTimer(timer);
    timer = undefined;
  };
  const arm = () => {
    stop();
    if (dueAt !== undefined) timer = setTimer(check, Math.max(0, Math.min(dueAt - clock.now(), MAX_TIMER_DELAY_MS)));
  };
  function check() {
    // `!(wait > 0)` rather than `wait <= 0`: a NaN expiry (a caller bug) renews now instead of never.
    if (dueAt !== undefined && !(dueAt - clock.now() > 0)) {
      stop();
      dueAt = undefined;
      onDue();
    } else {
      arm();
    }
  }
  const wake = () => {
    if (win.document.visibilityState !== 'hidden') check();
  };

  win.addEventListener('focus', wake);
  win.addEventListener('online', wake);
  win.document.addEventListener('visibilitychange', wake);

  const cancel = () => {
    dueAt = undefined;
    stop();
  };
  return {
    schedule(usableUntil) {
      const margin = Math.min(marginMs, Math.max(0, (usableUntil - clock.now()) / 2));
      dueAt = usableUntil - margin;
      arm();
    },
    cancel,
    dispose() {
      cancel();
      win.removeEventListener('focus', wake);
      win.removeEventListener('online', wake);
      win.document.removeEventListener('visibilitychange', wake);
    },
  };
}
