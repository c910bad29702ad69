import { createMemoryStorage } from '../testing';
import { finishLogoutReturn, replaceUrl, takeCallback } from './address-bar';
import type { SessionKeeper } from './session-keeper';
import { storageKeys } from './storage-keys';
import { createTransactionStore } from './transaction-store';
import { hintStorage } from './web-storage';

const keys = storageKeys('https://idp.example', 'spa');

/** A page at `url` (its address bar and history), with the keeper's stores over memory storage. */
function page(url: string) {
  const location = new URL(url);
  const history = {
    state: { navigationId: 3 },
    replaceState: jest.fn((_state: unknown, _unused: string, next: string) => {
      const moved = new URL(next, location);
      Object.assign(location, { href: moved.href });
    }),
  };
  const storage = createMemoryStorage();
  const transactions = createTransactionStore(storage, keys.transactionPrefix);
  const keeper = {
    window: { location, history } as unknown as Window,
    keys,
    hints: hintStorage(storage, 'sessionStorage'),
    transactions,
  } as unknown as SessionKeeper;
  return { keeper, location, history, transactions };
}

describe('takeCallback (tokens out of the URL, RFC 9700 §4.3)', () => {
  it('takes the response out of the address bar, landing on the return URL of the sign-in it answers', () => {
    const { keeper, history, location, transactions } = page('https://app.example/callback#access_token=at&state=s1');
    transactions.save({
      state: 's1',
      responseType: 'token',
      scope: 'api',
      startedAt: 0,
      expiresAt: 1,
      returnUrl: '/orders?page=2#top',
    });
    expect(takeCallback(keeper)).toBe('#access_token=at&state=s1');
    expect(history.replaceState).toHaveBeenCalledTimes(1);
    expect(history.replaceState).toHaveBeenCalledWith({ navigationId: 3 }, '', '/orders?page=2#top');
    expect(location.href).toBe('https://app.example/orders?page=2#top');
    // Only peeked: the completion path takes (and so uses up) the pending sign-in.
    expect(keeper.transactions.peek('s1')).not.toBeNull();
  });

  it('without a pending sign-in for its state (or without a state), lands on the same page without the fragment', () => {
    for (const hash of ['#access_token=at&state=unknown', '#error=access_denied']) {
      const { keeper, history } = page(`https://app.example/cb?x=1${hash}`);
      expect(takeCallback(keeper)).toBe(hash);
      expect(history.replaceState).toHaveBeenCalledWith({ navigationId: 3 }, '', '/cb?x=1');
    }
  });

  it('leaves an address bar without a response alone', () => {
    for (const url of [
      'https://app.example/page',
      'https://app.example/page#section',
      'https://app.example/?state=s',
    ]) {
      const { keeper, history } = page(url);
      expect(takeCallback(keeper)).toBeNull();
      expect(history.replaceState).not.toHaveBeenCalled();
    }
  });
});

describe('finishLogoutReturn (RP-initiated logout §3: the state sent comes back)', () => {
  it('takes out exactly the expected state, keeping the rest of the URL, and forgets it', () => {
    const { keeper, history } = page('https://app.example/bye?a=1&state=ls1&b=2#frag');
    keeper.hints.set(keys.logoutState, 'ls1');
    finishLogoutReturn(keeper);
    expect(history.replaceState).toHaveBeenCalledWith({ navigationId: 3 }, '', '/bye?a=1&b=2#frag');
    expect(keeper.hints.get(keys.logoutState)).toBeNull();
  });

  it('leaves the URL alone when no logout is under way', () => {
    const { keeper, history } = page('https://app.example/bye?state=ls1');
    finishLogoutReturn(keeper);
    expect(history.replaceState).not.toHaveBeenCalled();
  });

  it("leaves an app's own state parameter alone: another value, none, or more than one", () => {
    for (const query of ['?state=other', '?x=1', '?state=ls1&state=ls1', '?state=ls1&state=other']) {
      const { keeper, history } = page(`https://app.example/bye${query}`);
      keeper.hints.set(keys.logoutState, 'ls1');
      finishLogoutReturn(keeper);
      expect(history.replaceState).not.toHaveBeenCalled();
      expect(keeper.hints.get(keys.logoutState)).toBe('ls1');
    }
  });
});

describe('replaceUrl', () => {
  it('replaces the URL, keeping the history entry’s state (the router’s)', () => {
    const { keeper, history } = page('https://app.example/a');
    replaceUrl(keeper.window, '/b');
    expect(history.replaceState).toHaveBeenCalledWith({ navigationId: 3 }, '', '/b');
  });
});
