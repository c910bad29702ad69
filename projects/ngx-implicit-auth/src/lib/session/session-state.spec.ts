import type { IdTokenClaims } from '../claims';
import { userFingerprint } from '../claims';
import { ImplicitAuthError } from '../errors';
import type { ImplicitAuthEvent } from '../events';
import { createMemoryStorage } from '../testing';
import type { Session } from './session';
import { SessionState, toImplicitAuthError } from './session-state';
import { createSessionStore } from './session-store';
import { hintStorage } from './web-storage';

const ISSUER = 'https://idp.example';
const CLIENT = 'client-1';
const KEY = 'app.session';
const HINT = 'app.had-session';
const NOW = 1_900_000_000_000;
const CLAIMS: IdTokenClaims = { iss: ISSUER, sub: 'alice', aud: CLIENT, exp: NOW / 1000 + 3600, iat: NOW / 1000 };
const SESSION: Session = {
  issuer: ISSUER,
  clientId: CLIENT,
  startedAt: NOW,
  idToken: 'id',
  claims: CLAIMS,
  accessTokens: {},
};

function setUp() {
  const sessionStorage = createMemoryStorage();
  const localStorage = createMemoryStorage();
  const store = createSessionStore('session', sessionStorage, KEY, { issuer: ISSUER, clientId: CLIENT }, 0);
  const state = new SessionState(store, hintStorage(localStorage, 'localStorage'), HINT);
  const events: ImplicitAuthEvent[] = [];
  state.events.subscribe((event) => events.push(event));
  return { state, events, sessionStorage, localStorage };
}

describe('toImplicitAuthError', () => {
  it('keeps a typed error as it is', () => {
    const error = new ImplicitAuthError('nonce_mismatch', 'm');
    expect(toImplicitAuthError(error)).toBe(error);
  });

  it("wraps anything else as internal_error with the original as cause, never as the provider's fault", () => {
    const cause = new TypeError('boom');
    const error = toImplicitAuthError(cause);
    expect(error.code).toBe('internal_error');
    expect(error.message).toBe('Unexpected failure in ngx-implicit-auth');
    expect(error.cause).toBe(cause);
  });
});

describe('SessionState', () => {
  it("is 'loading' until start-up finishes, then signed-out or signed-in", () => {
    const { state } = setUp();
    expect(state.status()).toBe('loading');
    state.adopt(SESSION);
    expect(state.status()).toBe('loading');
    state.finishStart();
    expect(state.started()).toBe(true);
    expect(state.status()).toBe('signed-in');
    state.end('logout');
    expect(state.status()).toBe('signed-out');
  });

  it('adopt makes the session current, exposes its claims and keeps it in the store', () => {
    const { state } = setUp();
    expect(state.claims()).toBeNull();
    state.adopt(SESSION);
    expect(state.session()).toEqual(SESSION);
    expect(state.claims()).toEqual(CLAIMS);
    expect(state.load(NOW)).toEqual(SESSION);
  });

  it("a new session (began) is recorded browser-wide, with the user's fingerprint, not their identifier", () => {
    const { state, localStorage } = setUp();
    state.adopt(SESSION);
    expect(state.hadSession).toBe(false);
    state.adopt(SESSION, true);
    expect(JSON.parse(localStorage.getItem(HINT)!)).toEqual({ at: NOW, user: userFingerprint(CLAIMS) });
    expect(state.browserSession()).toEqual({ at: NOW, user: userFingerprint(CLAIMS) });
    expect(state.hadSession).toBe(true);
  });

  it('a corrupt or incomplete browser-wide hint is no hint', () => {
    const { state, localStorage } = setUp();
    for (const value of ['{', '"x"', '{"at":"1","user":"u"}', '{"at":1}', '{"at":1,"user":2}']) {
      localStorage.setItem(HINT, value);
      expect(state.browserSession()).toBeNull();
      expect(state.hadSession).toBe(false);
    }
    localStorage.setItem(HINT, '{"at":1,"user":"u","extra":true}');
    expect(state.browserSession()).toEqual({ at: 1, user: 'u' });
  });

  it('a refused write keeps the session in memory and reports storage_failed once per failing streak', () => {
    const { state, events, sessionStorage } = setUp();
    sessionStorage.refuse = { setItem: true };
    state.adopt(SESSION);
    state.adopt(SESSION);
    expect(state.session()).toEqual(SESSION);
    expect(events).toEqual([{ type: 'storage_failed', error: expect.any(ImplicitAuthError) }]);
    expect((events[0] as { error: ImplicitAuthError }).error.code).toBe('storage_failed');
    sessionStorage.refuse = {};
    state.adopt(SESSION);
    sessionStorage.refuse = { setItem: true };
    state.adopt(SESSION);
    expect(events).toHaveLength(2);
  });

  it('end without a time ends only this tab: the epoch moves, the store is cleared, the browser hint stays', () => {
    const { state, events, localStorage } = setUp();
    state.adopt(SESSION, true);
    const epoch = state.epoch;
    state.end('user_switched');
    expect(state.epoch).toBe(epoch + 1);
    expect(state.session()).toBeNull();
    expect(state.load(NOW)).toBeNull();
    expect(state.signedOutAt).toBe(Number.NEGATIVE_INFINITY);
    expect(localStorage.getItem(HINT)).not.toBeNull();
    expect(events).toEqual([{ type: 'signed_out', reason: 'user_switched' }]);
  });

  it('end with a time is a sign-out: it raises signedOutAt (never lowers it) and drops the browser hint', () => {
    const { state, localStorage } = setUp();
    state.adopt(SESSION, true);
    state.end('logout', 500);
    expect(state.signedOutAt).toBe(500);
    expect(localStorage.getItem(HINT)).toBeNull();
    state.end('other_tab', 300);
    expect(state.signedOutAt).toBe(500);
    state.end('other_tab', 700);
    expect(state.signedOutAt).toBe(700);
  });

  it('announces signed_out only when a session ended, but moves the epoch every time', () => {
    const { state, events } = setUp();
    state.end('other_tab', 1);
    expect(events).toEqual([]);
    expect(state.epoch).toBe(1);
  });

  it('forgetHint drops the browser-wide hint', () => {
    const { state, localStorage } = setUp();
    state.adopt(SESSION, true);
    state.forgetHint();
    expect(localStorage.getItem(HINT)).toBeNull();
  });

  it('setError records the last error; only a refused response is also an event', () => {
    const { state, events } = setUp();
    const error = new ImplicitAuthError('nonce_mismatch', 'm');
    state.setError(error);
    expect(state.lastError()).toBe(error);
    expect(events).toEqual([]);
    state.setError(error, true);
    expect(events).toEqual([{ type: 'validation_failed', error }]);
    state.setError(null, true);
    expect(state.lastError()).toBeNull();
    expect(events).toHaveLength(1);
  });

  it('observe replays the current value and emits each change once', () => {
    const { state } = setUp();
    const seen: string[] = [];
    state.observe(() => state.status()).subscribe((status) => seen.push(status));
    state.finishStart();
    state.setError(null);
    state.adopt(SESSION);
    state.adopt(SESSION);
    state.end('logout');
    expect(seen).toEqual(['loading', 'signed-out', 'signed-in', 'signed-out']);
  });

  it('complete ends the event stream and the observables', () => {
    const { state } = setUp();
    let eventsDone = false;
    let observedDone = false;
    state.events.subscribe({ complete: () => (eventsDone = true) });
    state.observe(() => state.status()).subscribe({ complete: () => (observedDone = true) });
    state.complete();
    expect(eventsDone).toBe(true);
    expect(observedDone).toBe(true);
  });
});
