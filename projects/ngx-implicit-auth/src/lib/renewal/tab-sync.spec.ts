import { createFakeLocks } from '../testing';
import { createTabSync, type TabLocks, type TabSync, type TabSyncMessage } from './tab-sync';

interface Tokens {
  readonly accessToken: string;
  readonly expiresAt: number;
}

const isTokens = (value: unknown): value is Tokens =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Tokens).accessToken === 'string' &&
  typeof (value as Tokens).expiresAt === 'number';

let channelName: string;
let open: { close(): void }[];

beforeEach(() => {
  channelName = `ngx-implicit-auth:test:${Math.random()}`;
  open = [];
});

afterEach(() => open.forEach((item) => item.close()));

function tab(locks: TabLocks | null = null): TabSync<Tokens> {
  const sync = createTabSync<Tokens>({ name: channelName, locks, isTokens });
  open.push(sync);
  return sync;
}

/** The next `count` messages a tab hears. */
function heard(sync: TabSync<Tokens>, count = 1): Promise<TabSyncMessage<Tokens>[]> {
  const messages: TabSyncMessage<Tokens>[] = [];
  return new Promise((resolve) => {
    const stop = sync.onMessage((message) => {
      messages.push(message);
      if (messages.length === count) {
        stop();
        resolve(messages);
      }
    });
  });
}

const TOKENS: Tokens = { accessToken: 'at-2', expiresAt: Date.UTC(2030, 0, 1) };

describe('createTabSync', () => {
  it('delivers tokens_updated to the other tabs, not to the sender', async () => {
    const a = tab();
    const b = tab();
    const c = tab();
    const toSelf = jest.fn();
    a.onMessage(toSelf);
    const atB = heard(b);
    const atC = heard(c);
    a.publish({ type: 'tokens_updated', audience: 'https://api.example', tokens: TOKENS });
    const expected = { type: 'tokens_updated', audience: 'https://api.example', tokens: TOKENS };
    expect(await atB).toEqual([expected]);
    expect(await atC).toEqual([expected]);
    expect(toSelf).not.toHaveBeenCalled();
  });

  it('propagates signed_out', async () => {
    const a = tab();
    const b = tab();
    const atB = heard(b);
    a.publish({ type: 'signed_out', at: 1 });
    expect(await atB).toEqual([{ type: 'signed_out', at: 1 }]);
  });

  it('drops anything on the channel that is not a valid message from another instance', async () => {
    const b = tab();
    const raw = new BroadcastChannel(channelName);
    open.push(raw);
    const atB = heard(b, 2);
    const valid = { ns: 'ngx-implicit-auth', from: 'other-tab' };
    // Each one is wrong in one way only, so each check is shown to hold on its own.
    raw.postMessage('signed_out');
    raw.postMessage(null);
    raw.postMessage({ type: 'signed_out', at: 1 });
    raw.postMessage({ ...valid, ns: 'another-lib', type: 'signed_out', at: 1 });
    raw.postMessage({ ...valid, from: 42, type: 'signed_out', at: 1 });
    raw.postMessage({ ...valid, type: 'delete_everything', at: 1 });
    raw.postMessage({ ...valid, type: 'delete_everything', audience: 'x', tokens: TOKENS });
    raw.postMessage({ ...valid, type: 'tokens_updated', audience: 'x', at: 1 });
    raw.postMessage({ ...valid, type: 'signed_out', at: Number.POSITIVE_INFINITY });
    raw.postMessage({ ...valid, type: 'tokens_updated', audience: 7, tokens: TOKENS });
    raw.postMessage({ ...valid, type: 'tokens_updated', tokens: { accessToken: 1 } });
    raw.postMessage({ ...valid, type: 'tokens_updated', audience: 'x' });
    raw.postMessage({ ...valid, type: 'tokens_updated', audience: undefined, tokens: TOKENS, extra: 'dropped' });
    raw.postMessage({ ...valid, type: 'signed_out', at: 'yesterday' });
    raw.postMessage({ ...valid, type: 'signed_out', at: 5 });
    expect(await atB).toEqual([
      { type: 'tokens_updated', audience: undefined, tokens: TOKENS },
      { type: 'signed_out', at: 5 },
    ]);
  });

  it('ignores its own messages echoed back on the channel', async () => {
    const a = tab();
    const b = tab();
    const raw = new BroadcastChannel(channelName);
    open.push(raw);
    const sent = new Promise<unknown>((resolve) => raw.addEventListener('message', (event) => resolve(event.data)));
    const toA = jest.fn();
    a.onMessage(toA);
    a.publish({ type: 'signed_out', at: 1 });
    const echo = await sent;
    const atB = heard(b, 2);
    raw.postMessage(echo);
    raw.postMessage({ ns: 'ngx-implicit-auth', from: 'other-tab', type: 'signed_out', at: 1 });
    await atB;
    expect(toA).toHaveBeenCalledTimes(1);
  });

  it('runs one renewal at a time across tabs, under a lock per audience', async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    let running = 0;
    let maxRunning = 0;
    const renew = async () => {
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
    };
    await Promise.all([a.runExclusive('https://api.example', renew), b.runExclusive('https://other.example', renew)]);
    expect(locks.names).toEqual([
      `${channelName}:renew:https://api.example`,
      `${channelName}:renew:https://other.example`,
    ]);
    maxRunning = 0;
    await expect(
      Promise.all([a.runExclusive('https://api.example', renew), b.runExclusive('https://api.example', renew)]),
    ).resolves.toEqual([true, true]);
    expect(maxRunning).toBe(1);
  });

  it('does not renew again in a tab that waited while another tab delivered fresh tokens', async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    const bHeard = heard(b);
    const renewInA = jest.fn(async () => {
      a.publish({ type: 'tokens_updated', audience: 'https://api.example', tokens: TOKENS });
      await bHeard;
    });
    const renewInB = jest.fn(() => Promise.resolve());
    const [ranInA, ranInB] = await Promise.all([
      a.runExclusive('https://api.example', renewInA),
      b.runExclusive('https://api.example', renewInB),
    ]);
    expect([ranInA, ranInB]).toEqual([true, false]);
    expect(renewInA).toHaveBeenCalledTimes(1);
    expect(renewInB).not.toHaveBeenCalled();
    // Later renewals in b run again: only what arrived while it waited counts.
    await expect(b.runExclusive('https://api.example', renewInB)).resolves.toBe(true);
  });

  it("does not renew when the lock reaches the waiting tab before the other tab's result does", async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    // a publishes and releases at once: b gets the lock (a microtask) before the message (a later task).
    const renewInA = jest.fn(async () => a.publish({ type: 'tokens_updated', audience: 'api', tokens: TOKENS }));
    const renewInB = jest.fn(() => Promise.resolve());
    const [ranInA, ranInB] = await Promise.all([a.runExclusive('api', renewInA), b.runExclusive('api', renewInB)]);
    expect([ranInA, ranInB]).toEqual([true, false]);
    expect(renewInB).not.toHaveBeenCalled();
  });

  it("renews in the waiting tab when the other tab's renewal brought nothing within the grace period", async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    const renewInB = jest.fn(() => Promise.resolve());
    const started = Date.now();
    const [, ranInB] = await Promise.all([
      a.runExclusive('api', () => Promise.reject(new Error('login_required'))).catch(() => false),
      b.runExclusive('api', renewInB),
    ]);
    expect(ranInB).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('does not renew in a tab that waited while another tab signed out', async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    const bHeard = heard(b);
    const renewInB = jest.fn(() => Promise.resolve());
    const [, ranInB] = await Promise.all([
      a.runExclusive(undefined, async () => {
        a.publish({ type: 'signed_out', at: 1 });
        await bHeard;
      }),
      b.runExclusive(undefined, renewInB),
    ]);
    expect(ranInB).toBe(false);
    expect(renewInB).not.toHaveBeenCalled();
  });

  it('renews when tokens for another audience arrived meanwhile', async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    const bHeard = heard(b);
    const renewInB = jest.fn(() => Promise.resolve());
    const first = b.runExclusive('https://api.example', async () => {
      a.publish({ type: 'tokens_updated', audience: 'https://other.example', tokens: TOKENS });
      await bHeard;
    });
    await expect(Promise.all([first, b.runExclusive('https://api.example', renewInB)])).resolves.toEqual([true, true]);
  });

  it('releases the lock when a renewal fails and passes the failure on', async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    await expect(a.runExclusive('x', () => Promise.reject(new Error('timeout')))).rejects.toThrow('timeout');
    await expect(a.runExclusive('x', () => Promise.resolve())).resolves.toBe(true);
  });

  it('releases the lock when the renewal of a tab that had to wait fails too', async () => {
    jest.useFakeTimers();
    try {
      const locks = createFakeLocks();
      const [a, b] = [tab(locks), tab(locks)];
      let failA!: (error: Error) => void;
      const first = a.runExclusive('x', () => new Promise<void>((_, reject) => (failA = reject)));
      const second = b.runExclusive('x', () => Promise.reject(new Error('network_timeout')));
      await jest.advanceTimersByTimeAsync(0); // A is granted the lock and starts renewing
      failA(new Error('network_timeout'));
      await expect(first).rejects.toThrow('network_timeout');
      // B waits up to the grace period for A's result, then renews itself, fails, and lets go.
      await jest.advanceTimersByTimeAsync(1_000);
      await expect(second).rejects.toThrow('network_timeout');
      expect(locks.holders(`${channelName}:renew:x`)).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  describe('a tab that knows it is alone renews without the lock', () => {
    /** Lets every message posted so far be delivered (a broadcast is a later task). */
    const delivered = () => new Promise((resolve) => setTimeout(resolve, 20));
    // Only `Date` is faked: the channel's messages and the timers above stay real.
    beforeEach(() =>
      jest.useFakeTimers({
        doNotFake: [
          'hrtime',
          'nextTick',
          'performance',
          'queueMicrotask',
          'requestAnimationFrame',
          'cancelAnimationFrame',
          'requestIdleCallback',
          'cancelIdleCallback',
          'setImmediate',
          'clearImmediate',
          'setInterval',
          'clearInterval',
          'setTimeout',
          'clearTimeout',
        ],
      }),
    );
    afterEach(() => jest.useRealTimers());
    const aSecondLater = () => jest.setSystemTime(Date.now() + 1000);

    it('once no other tab answered its hello for a second, it renews at once, asking for no lock', async () => {
      const locks = createFakeLocks();
      const a = tab(locks);
      await delivered();
      const renew = jest.fn(() => Promise.resolve());
      // Opened less than a second ago: another tab may not have answered yet, so the lock is taken.
      await expect(a.runExclusive('api', renew)).resolves.toBe(true);
      expect(locks.names).toHaveLength(1);
      aSecondLater();
      await expect(a.runExclusive('api', renew)).resolves.toBe(true);
      expect(renew).toHaveBeenCalledTimes(2);
      expect(locks.names).toHaveLength(1);
    });

    it('takes the lock again as soon as another tab opens, and both tabs know of each other', async () => {
      const locks = createFakeLocks();
      const a = tab(locks);
      await delivered();
      aSecondLater();
      const b = tab(locks); // says hello; a answers here
      await delivered();
      aSecondLater();
      await a.runExclusive('api', () => Promise.resolve());
      await b.runExclusive('api', () => Promise.resolve());
      expect(locks.names).toEqual([`${channelName}:renew:api`, `${channelName}:renew:api`]);
    });

    it('is alone again once the other tab closed (bye), and a page shown again from the cache says hello', async () => {
      const locks = createFakeLocks();
      const a = tab(locks);
      const b = tab(locks);
      await delivered();
      aSecondLater();
      b.close();
      await delivered();
      await a.runExclusive('api', () => Promise.resolve());
      expect(locks.names).toEqual([]);
      // Another tab's page leaving (pagehide) says bye, and coming back from the back/forward cache, hello.
      const c = createTabSync<Tokens>({ name: channelName, locks, isTokens });
      open.push(c);
      await delivered();
      await a.runExclusive('api', () => Promise.resolve());
      expect(locks.names).toHaveLength(1);
    });

    it('never without a channel: a tab that cannot hear the others always takes the lock', async () => {
      const locks = createFakeLocks();
      const deaf = createTabSync<Tokens>({ name: channelName, locks, BroadcastChannel: null, isTokens });
      open.push(deaf);
      aSecondLater();
      await deaf.runExclusive('api', () => Promise.resolve());
      expect(locks.names).toHaveLength(1);
    });

    it('does not hand presence messages (hello, here, bye) to the handlers', async () => {
      const a = tab();
      const toA = jest.fn();
      a.onMessage(toA);
      tab().close();
      await delivered();
      expect(toA).not.toHaveBeenCalled();
    });
  });

  it('works without Web Locks (runs at once) and without BroadcastChannel (stays on its own)', async () => {
    const alone = createTabSync<Tokens>({ name: channelName, locks: null, BroadcastChannel: null, isTokens });
    const renew = jest.fn(() => Promise.resolve());
    await expect(alone.runExclusive(undefined, renew)).resolves.toBe(true);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(() => alone.publish({ type: 'signed_out', at: 1 })).not.toThrow();
    alone.close();
  });

  it('uses navigator.locks and the global BroadcastChannel by default', async () => {
    const locks = createFakeLocks();
    Object.defineProperty(navigator, 'locks', { configurable: true, value: locks });
    try {
      const a = createTabSync<Tokens>({ name: channelName, isTokens });
      open.push(a);
      const b = tab();
      const atB = heard(b);
      await a.runExclusive('aud', () => Promise.resolve(a.publish({ type: 'signed_out', at: 1 })));
      expect(locks.names).toEqual([`${channelName}:renew:aud`]);
      expect(await atB).toEqual([{ type: 'signed_out', at: 1 }]);
    } finally {
      delete (navigator as { locks?: unknown }).locks;
    }
  });

  it('stops handing messages to a handler once it unsubscribed', async () => {
    const a = tab();
    const b = tab();
    const stopped = jest.fn();
    const stop = b.onMessage(stopped);
    stop();
    const atB = heard(b);
    a.publish({ type: 'signed_out', at: 1 });
    await atB;
    expect(stopped).not.toHaveBeenCalled();
  });

  it('without BroadcastChannel (null), tells no other tab even where the browser has one', async () => {
    const alone = createTabSync<Tokens>({ name: channelName, locks: null, BroadcastChannel: null, isTokens });
    open.push(alone);
    const b = tab();
    const atB = jest.fn();
    b.onMessage(atB);
    const witness = tab();
    const atWitness = heard(witness);
    alone.publish({ type: 'signed_out', at: 1 });
    tab().publish({ type: 'signed_out', at: 2 });
    await atWitness;
    expect(atB).toHaveBeenCalledTimes(1);
    expect(atB).toHaveBeenCalledWith({ type: 'signed_out', at: 2 });
  });

  it("takes the lock for the provider's default audience under its own name", async () => {
    const locks = createFakeLocks();
    await tab(locks).runExclusive(undefined, () => Promise.resolve());
    expect(locks.names).toEqual([`${channelName}:renew:`]);
  });

  it('does not renew an audience in a tab that waited while another tab signed out', async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    const bHeard = heard(b);
    const renewInB = jest.fn(() => Promise.resolve());
    const [, ranInB] = await Promise.all([
      a.runExclusive('https://api.example', async () => {
        a.publish({ type: 'signed_out', at: 1 });
        await bHeard;
      }),
      b.runExclusive('https://api.example', renewInB),
    ]);
    expect(ranInB).toBe(false);
    expect(renewInB).not.toHaveBeenCalled();
  });

  it("a waiting tab takes the other tab's result as soon as it arrives, not after the grace period", async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    const renewInB = jest.fn(() => Promise.resolve());
    const started = Date.now();
    // a publishes and releases at once: b gets the lock first and waits for the message, which wakes it.
    const [, ranInB] = await Promise.all([
      a.runExclusive('api', async () => a.publish({ type: 'tokens_updated', audience: 'api', tokens: TOKENS })),
      b.runExclusive('api', renewInB),
    ]);
    expect(ranInB).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it("a waiting tab that already heard the other tab's result does not wait at all", async () => {
    const locks = createFakeLocks();
    const a = tab(locks);
    const b = tab(locks);
    const bHeard = heard(b);
    const renewInB = jest.fn(() => Promise.resolve());
    const started = Date.now();
    const [, ranInB] = await Promise.all([
      a.runExclusive('api', async () => {
        a.publish({ type: 'tokens_updated', audience: 'api', tokens: TOKENS });
        await bHeard;
      }),
      b.runExclusive('api', renewInB),
    ]);
    expect(ranInB).toBe(false);
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('hears nothing after close()', async () => {
    const a = tab();
    const b = tab();
    const c = tab();
    const atB = jest.fn();
    b.onMessage(atB);
    b.close();
    const atC = heard(c);
    a.publish({ type: 'signed_out', at: 1 });
    await atC;
    expect(atB).not.toHaveBeenCalled();
  });
});
