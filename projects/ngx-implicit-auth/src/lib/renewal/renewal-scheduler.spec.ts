import type { Clock } from '../clock';
import { createRenewalScheduler, MAX_TIMER_DELAY_MS, type RenewalScheduler } from './renewal-scheduler';

const T0 = Date.UTC(2030, 0, 1);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** jest's fake timers drive both the timers and `Date.now()`; `jest.setSystemTime` jumps the clock alone. */
const clock: Clock = { now: () => Date.now() };

let visibility: DocumentVisibilityState = 'visible';
let onDue: jest.Mock;
let scheduler: RenewalScheduler;

beforeAll(() => {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
});

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
  visibility = 'visible';
  onDue = jest.fn();
  scheduler = createRenewalScheduler(onDue, { clock, window, marginMs: MINUTE });
});

afterEach(() => {
  scheduler.dispose();
  jest.useRealTimers();
});

/** A laptop asleep for `ms`: the wall clock moves on, pending timers do not fire. */
function sleep(ms: number) {
  jest.setSystemTime(Date.now() + ms);
}

describe('createRenewalScheduler', () => {
  it('renews the margin before expiry, once', () => {
    scheduler.schedule(T0 + HOUR);
    jest.advanceTimersByTime(HOUR - MINUTE - 1);
    expect(onDue).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(onDue).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(DAY);
    window.dispatchEvent(new Event('focus'));
    expect(onDue).toHaveBeenCalledTimes(1);
  });

  it('renews a token shorter-lived than twice the margin at half its lifetime (no back-to-back renewals)', () => {
    scheduler.schedule(T0 + MINUTE);
    jest.advanceTimersByTime(30_000 - 1);
    expect(onDue).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(onDue).toHaveBeenCalledTimes(1);
  });

  it('renews an already expired token at once, but not synchronously inside schedule()', () => {
    scheduler.schedule(T0 - 1);
    expect(onDue).not.toHaveBeenCalled();
    jest.advanceTimersByTime(0);
    expect(onDue).toHaveBeenCalledTimes(1);
  });

  it('treats a NaN expiry as due now, never as "never"', () => {
    scheduler.schedule(Number.NaN);
    jest.advanceTimersByTime(0);
    expect(onDue).toHaveBeenCalledTimes(1);
  });

  it('replaces the previous schedule', () => {
    scheduler.schedule(T0 + HOUR);
    scheduler.schedule(T0 + 2 * HOUR);
    jest.advanceTimersByTime(HOUR);
    expect(onDue).not.toHaveBeenCalled();
    jest.advanceTimersByTime(HOUR - MINUTE);
    expect(onDue).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('renews at once when the page becomes visible after the laptop slept past the due time', () => {
    scheduler.schedule(T0 + HOUR);
    sleep(2 * HOUR);
    expect(onDue).not.toHaveBeenCalled();
    document.dispatchEvent(new Event('visibilitychange'));
    expect(onDue).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(DAY);
    expect(onDue).toHaveBeenCalledTimes(1);
  });

  it('also re-checks on focus and on online', () => {
    for (const type of ['focus', 'online']) {
      onDue.mockClear();
      scheduler.schedule(Date.now() + HOUR);
      sleep(HOUR);
      window.dispatchEvent(new Event(type));
      expect(onDue).toHaveBeenCalledTimes(1);
    }
  });

  it('ignores visibilitychange to hidden (the timer still runs)', () => {
    scheduler.schedule(T0 + HOUR);
    sleep(2 * HOUR);
    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    expect(onDue).not.toHaveBeenCalled();
  });

  it('re-arms from the clock after a wake-up that is not yet due (a throttled tab)', () => {
    scheduler.schedule(T0 + HOUR);
    sleep(30 * MINUTE);
    window.dispatchEvent(new Event('focus'));
    expect(onDue).not.toHaveBeenCalled();
    jest.advanceTimersByTime(29 * MINUTE - 1);
    expect(onDue).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(onDue).toHaveBeenCalledTimes(1);
  });

  it('chains timers for an expiry beyond the setTimeout limit, never passing a longer delay', () => {
    const delays: number[] = [];
    const far = createRenewalScheduler(onDue, {
      clock,
      window,
      marginMs: MINUTE,
      setTimeout: (callback, ms) => {
        // Browsers run a longer delay at once (it overflows), which here would loop: fail loudly instead.
        if (ms > MAX_TIMER_DELAY_MS) throw new Error(`setTimeout(${ms}) overflows`);
        delays.push(ms);
        return window.setTimeout(callback, ms);
      },
      clearTimeout: (id) => window.clearTimeout(id),
    });
    far.schedule(T0 + 60 * DAY);
    jest.advanceTimersByTime(60 * DAY - MINUTE - 1);
    expect(onDue).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(onDue).toHaveBeenCalledTimes(1);
    expect(delays.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...delays)).toBe(MAX_TIMER_DELAY_MS);
    far.dispose();
  });

  it('cancel() forgets the schedule', () => {
    scheduler.schedule(T0 + HOUR);
    expect(jest.getTimerCount()).toBe(1);
    scheduler.cancel();
    // The window's own timer is cleared at once, not left to fire and find nothing due.
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(DAY);
    sleep(DAY);
    window.dispatchEvent(new Event('focus'));
    expect(onDue).not.toHaveBeenCalled();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('dispose() stops listening to the window', () => {
    const remove = jest.spyOn(window, 'removeEventListener');
    const removeFromDocument = jest.spyOn(document, 'removeEventListener');
    scheduler.schedule(T0 + HOUR);
    scheduler.dispose();
    expect(remove.mock.calls.map(([type]) => type).sort()).toEqual(['focus', 'online']);
    expect(removeFromDocument.mock.calls.map(([type]) => type)).toEqual(['visibilitychange']);
    remove.mockRestore();
    removeFromDocument.mockRestore();
    sleep(DAY);
    window.dispatchEvent(new Event('online'));
    document.dispatchEvent(new Event('visibilitychange'));
    expect(onDue).not.toHaveBeenCalled();
  });

  it('runs on injected timers alone (no global timer needed)', () => {
    let now = T0;
    const pending = new Map<number, { at: number; callback: () => void }>();
    let nextId = 1;
    const own = createRenewalScheduler(onDue, {
      clock: { now: () => now },
      window,
      marginMs: MINUTE,
      setTimeout: (callback, ms) => {
        pending.set(nextId, { at: now + ms, callback });
        return nextId++;
      },
      clearTimeout: (id) => pending.delete(id),
    });
    own.schedule(T0 + HOUR);
    expect([...pending.values()].map((timer) => timer.at)).toEqual([T0 + HOUR - MINUTE]);
    now = T0 + HOUR - MINUTE;
    [...pending.values()][0].callback();
    expect(onDue).toHaveBeenCalledTimes(1);
    own.dispose();
  });
});
