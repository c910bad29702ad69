/**
 * What tabs of one app tell each other. `T` is the service's token set (what it keeps per audience). A sign-out
 * carries its time (ms since the epoch), so every tab refuses sessions begun before it.
 */
export type TabSyncMessage<T> =
  | { readonly type: 'tokens_updated'; readonly audience: string | undefined; readonly tokens: T }
  | { readonly type: 'signed_out'; readonly at: number };

/** The subset of the Web Locks API used here (`navigator.locks` satisfies it). */
export interface TabLocks {
  request(
    name: string,
    options: { readonly ifAvailable?: boolean },
    callback: (lock: object | null) => Promise<boolean>,
  ): Promise<boolean>;
}

/** How long a tab that waited for another tab's renewal waits for its result before renewing itself. */
const RESULT_GRACE_MS = 1000;

/**
 * How long after it opened a tab that heard from no other tab counts itself alone. Every tab says `hello` as it
 * opens and the others answer `here` (a broadcast takes well under a millisecond; a busy tab may answer late).
 */
const ALONE_AFTER_MS = 1000;

export interface TabSyncOptions<T> {
  /**
   * Channel and lock name, unique per issuer and client (`storageKeys(…).namespace`), so two apps on one origin
   * never take each other's tokens.
   */
  readonly name: string;
  /** Default `navigator.locks`; `null` (or a browser without it) runs renewals without a cross-tab lock. */
  readonly locks?: TabLocks | null;
  /** Default the global `BroadcastChannel`; `null` (or a browser without it) keeps the tab on its own. */
  readonly BroadcastChannel?: (new (name: string) => BroadcastChannel) | null;
  /** Whether a received `tokens` value has the shape of `T`; a message failing it is dropped. */
  readonly isTokens: (value: unknown) => value is T;
}

export interface TabSync<T> {
  /**
   * Runs `renew` while holding this app's lock for `audience`, so one tab renews at a time. Resolves `false`
   * without running it when, while this tab waited, another tab delivered tokens for `audience` or signed out
   * (its result is already here through {@link onMessage}); resolves `true` once `renew` has run. Rejects
   * with `renew`'s error. Publish the outcome from inside `renew`, before the lock is released. Browsers do not
   * order a channel message against a lock grant, so a tab that had to wait gives the other tab's result up to
   * a second to arrive before renewing itself.
   *
   * A tab that knows it is alone (no other tab of the app said `hello` or `here` since it opened, a second ago or
   * more) runs `renew` at once, without asking for the lock: the lock manager answers in another process, and
   * that wait, with whatever the page queued meanwhile (the click's change detection), would delay the renewal's
   * iframe. Were another tab to open during such a renewal and renew at the same moment, both would renew once:
   * a duplicate request, never two users' tokens mixed (each result goes through the same checks).
   */
  runExclusive(audience: string | undefined, renew: () => Promise<void>): Promise<boolean>;
  /** Tells the other tabs (never this one). */
  publish(message: TabSyncMessage<T>): void;
  /** Hears the other tabs' valid messages; returns the unsubscribe function. */
  onMessage(handler: (message: TabSyncMessage<T>) => void): () => void;
  /** Stops sending and hearing. */
  close(): void;
}

const NS = 'ngx-implicit-auth';

/**
 * Cross-tab coordination for one app: one renewal at a time across tabs (Web Locks), the result shared with
 * the other tabs (BroadcastChannel), and sign-out propagated. With `storage: 'memory'` this is how a second tab
 * gets tokens without its own iframe round trip.
 *
 * Sharing tokens this way stays within the origin: BroadcastChannel only reaches same-origin documents of the
 * same browser profile (a script able to listen there could read the tokens from memory anyway). Received
 * messages are still checked for shape, and this instance's own messages are ignored.
 *
 * @see https://w3c.github.io/web-locks/#api-lock-manager-request
 * @see https://html.spec.whatwg.org/multipage/web-messaging.html#broadcasting-to-other-browsing-contexts
 */
export function createTabSync<T>(options: TabSyncOptions<T>): TabSync<T> {
  const { name, isTokens } = options;
  const locks: TabLocks | null | undefined = options.locks === undefined ? globalThis.navigator?.locks : options.locks;
  const Channel = options.BroadcastChannel === undefined ? globalThis.BroadcastChannel : options.BroadcastChannel;
  const channel = typeof Channel === 'function' ? new Channel(name) : undefined;
  // BroadcastChannel never echoes to the sender, but a second instance in this tab would: the id tells them apart.
  const id = Math.random().toString(36).slice(2);
  const handlers = new Set<(message: TabSyncMessage<T>) => void>();
  /** Tabs waiting for another tab's result: woken by any message. */
  const waiters = new Set<() => void>();
  // Bumped for each message heard, per audience: a tab that waited on the lock compares before and after.
  const heard = new Map<string | undefined, number>();
  let signOuts = 0;
  // The other tabs of this app that said they are open (and not yet `bye`): while there is one, renewals take
  // the lock. Without a channel, tabs cannot be heard, so the lock is always taken.
  const peers = new Set<unknown>();
  const openedAt = Date.now();
  let closed = false;
  const say = (type: 'hello' | 'here' | 'bye') => closed || channel?.postMessage({ ns: NS, from: id, type });

  const receive = ({ data }: MessageEvent) => {
    const fields = fromOtherTab(data, id);
    if (!fields) return;
    // Presence: `hello` (a tab opened, answered with `here`), `here`, `bye` (a tab left).
    const { type, from } = fields;
    if (type === 'hello' || type === 'here' || type === 'bye') {
      if (type === 'bye') peers.delete(from);
      else peers.add(from);
      if (type === 'hello') say('here');
      return;
    }
    const message = toMessage(fields, isTokens);
    if (!message) return;
    if (message.type === 'signed_out') signOuts++;
    else heard.set(message.audience, (heard.get(message.audience) ?? 0) + 1);
    handlers.forEach((handler) => handler(message));
    waiters.forEach((wake) => wake());
  };
  const nextMessage = (timeoutMs: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, timeoutMs);
      waiters.add(wake);
    });
  channel?.addEventListener('message', receive);
  say('hello');
  // A tab leaving (closed, reloaded, or put in the back/forward cache) says so; one coming back says hello again.
  const onPage = ({ type, persisted }: PageTransitionEvent) =>
    type === 'pagehide' ? say('bye') : persisted && say('hello');
  const PAGE_EVENTS = ['pagehide', 'pageshow'] as const;
  PAGE_EVENTS.forEach((type) => globalThis.addEventListener?.(type, onPage));

  return {
    runExclusive(audience, renew) {
      const before = `${heard.get(audience)}:${signOuts}`;
      const unchanged = () => `${heard.get(audience)}:${signOuts}` === before;
      const run = async () => {
        if (!unchanged()) return false;
        await renew();
        return true;
      };
      const alone = channel !== undefined && peers.size === 0 && Date.now() - openedAt >= ALONE_AFTER_MS;
      if (!locks || alone) return run();
      const lockName = `${name}:renew:${audience ?? ''}`;
      // Free: renew now. Held: another tab is renewing; wait for it, then for its result (the lock may come
      // first), and renew only if nothing came.
      return locks.request(lockName, { ifAvailable: true }, (lock) =>
        lock
          ? run()
          : locks.request(lockName, {}, async () => {
              if (unchanged()) await nextMessage(RESULT_GRACE_MS);
              return run();
            }),
      );
    },
    publish(message) {
      channel?.postMessage({ ...message, ns: NS, from: id });
    },
    onMessage(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    close() {
      say('bye');
      closed = true;
      PAGE_EVENTS.forEach((type) => globalThis.removeEventListener?.(type, onPage));
      handlers.clear();
      channel?.removeEventListener('message', receive);
      channel?.close();
    },
  };
}

/** The fields of a message posted by another instance of this app, or `undefined` (anything else is dropped). */
function fromOtherTab(data: unknown, ownId: string): Record<string, unknown> | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const fields = data as Record<string, unknown>;
  return fields['ns'] === NS && typeof fields['from'] === 'string' && fields['from'] !== ownId ? fields : undefined;
}

/** A valid message from another instance, or `undefined`: anything else on the channel is dropped unread. */
function toMessage<T>(
  { type, audience, tokens, at }: Record<string, unknown>,
  isTokens: (value: unknown) => value is T,
) {
  if (type === 'signed_out' && typeof at === 'number' && Number.isFinite(at)) return { type, at } as const;
  if (type === 'tokens_updated' && (audience === undefined || typeof audience === 'string') && isTokens(tokens)) {
    return { type, audience, tokens } as const;
  }
  return undefined;
}
