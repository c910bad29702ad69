import type { IdTokenClaims } from '../claims';
import type { TokenStore } from '../config/implicit-auth-config';
import { authErrorOf, createMemoryStorage } from '../testing';
import type { Session } from './session';
import { createSessionStore } from './session-store';

const ISSUER = 'https://idp.example';
const CLIENT = 'client-1';
const OWNER = { issuer: ISSUER, clientId: CLIENT };
const KEY = 'app.session';
const SKEW_MS = 60_000;
const NOW = 1_900_000_000_000;
const claims = (expSeconds: number): IdTokenClaims => ({
  iss: ISSUER,
  sub: 'alice',
  aud: CLIENT,
  exp: expSeconds,
  iat: expSeconds - 3600,
});
const token = (expiresAt: number) => ({ token: `at-${expiresAt}`, expiresAt, receivedAt: NOW - 3_600_000, scopes: [] });
const SESSION: Session = {
  issuer: ISSUER,
  clientId: CLIENT,
  startedAt: NOW - 1000,
  idToken: 'id',
  claims: claims(NOW / 1000 + 3600),
  accessTokens: { '': token(NOW + 3_600_000) },
};

function sessionStore(kept?: unknown) {
  const storage = createMemoryStorage(kept === undefined ? {} : { [KEY]: JSON.stringify(kept) });
  return { storage, store: createSessionStore('session', storage, KEY, OWNER, SKEW_MS) };
}

describe('createSessionStore', () => {
  it("'memory' keeps nothing between page loads", () => {
    const storage = createMemoryStorage();
    const store = createSessionStore('memory', storage, KEY, OWNER, SKEW_MS);
    store.save(SESSION);
    expect(storage.length).toBe(0);
    expect(store.load(NOW)).toBeNull();
  });

  it("'session' keeps the session in sessionStorage under the app's key, and reads it back", () => {
    const { storage, store } = sessionStore();
    store.save(SESSION);
    expect(JSON.parse(storage.getItem(KEY)!)).toEqual(SESSION);
    expect(store.load(NOW)).toEqual(SESSION);
  });

  it("'session' without sessionStorage keeps nothing and finds nothing", () => {
    const store = createSessionStore('session', undefined, KEY, OWNER, SKEW_MS);
    expect(() => store.save(SESSION)).not.toThrow();
    expect(store.load(NOW)).toBeNull();
    expect(() => store.clear()).not.toThrow();
  });

  it("an app's own TokenStore is used as given", () => {
    const entries = new Map<string, string>();
    const own: TokenStore = {
      get: (k) => entries.get(k) ?? null,
      set: (k, v) => void entries.set(k, v),
      remove: (k) => void entries.delete(k),
    };
    const store = createSessionStore(own, undefined, KEY, OWNER, SKEW_MS);
    store.save(SESSION);
    expect(JSON.parse(entries.get(KEY)!)).toEqual(SESSION);
    expect(store.load(NOW)).toEqual(SESSION);
    store.clear();
    expect(entries.has(KEY)).toBe(false);
  });

  it('finds nothing (and drops nothing) when nothing is kept', () => {
    const { storage, store } = sessionStore();
    storage.setItem('other', 'x');
    expect(store.load(NOW)).toBeNull();
    expect(storage.getItem('other')).toBe('x');
  });

  it('drops the access tokens no longer usable (expiry less the skew), keeping the live ones', () => {
    const live = token(NOW + SKEW_MS + 1);
    const { store } = sessionStore({ ...SESSION, accessTokens: { '': live, api: token(NOW + SKEW_MS) } });
    expect(store.load(NOW)?.accessTokens).toEqual({ '': live });
  });

  it('keeps a session whose ID token is alive although every access token expired', () => {
    const { store } = sessionStore({ ...SESSION, accessTokens: { '': token(NOW) } });
    expect(store.load(NOW)).toEqual({ ...SESSION, accessTokens: {} });
  });

  it('keeps a session without an ID token while an access token is usable', () => {
    const kept = { ...SESSION, idToken: undefined, claims: null };
    const { store } = sessionStore(kept);
    expect(store.load(NOW)).toEqual(JSON.parse(JSON.stringify(kept)));
  });

  it('drops the entry when neither a live ID token nor a usable access token is left', () => {
    const { storage, store } = sessionStore({ ...SESSION, claims: claims(NOW / 1000), accessTokens: {} });
    expect(store.load(NOW)).toBeNull();
    expect(storage.getItem(KEY)).toBeNull();
  });

  it("judges the ID token's exp on the device's clock: the provider's time plus the offset", () => {
    const kept = { ...SESSION, claims: claims(NOW / 1000), accessTokens: {} };
    expect(sessionStore(kept).store.load(NOW, 1)).not.toBeNull();
    expect(sessionStore(kept).store.load(NOW, 0)).toBeNull();
    expect(sessionStore(kept).store.load(NOW - 1, -1)).toBeNull();
  });

  it("drops a kept value that is not a session, or not this app's", () => {
    for (const kept of [{ issuer: ISSUER }, { ...SESSION, clientId: 'other' }, 42]) {
      const { storage, store } = sessionStore(kept);
      expect(store.load(NOW)).toBeNull();
      expect(storage.getItem(KEY)).toBeNull();
    }
  });

  it('drops a corrupt entry rather than trusting it', () => {
    const storage = createMemoryStorage({ [KEY]: '{not json' });
    const store = createSessionStore('session', storage, KEY, OWNER, SKEW_MS);
    expect(store.load(NOW)).toBeNull();
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('finds nothing when the storage refuses to be read, without throwing even if it refuses to delete', () => {
    const { storage, store } = sessionStore(SESSION);
    storage.refuse = { getItem: true, removeItem: true };
    expect(store.load(NOW)).toBeNull();
    expect(() => store.clear()).not.toThrow();
  });

  it('saves all or nothing: a refused write removes the older entry and throws storage_failed with the cause', async () => {
    const { storage, store } = sessionStore(SESSION);
    storage.refuse = { setItem: true };
    const error = await authErrorOf(() => store.save({ ...SESSION, idToken: 'newer' }));
    expect(error.code).toBe('storage_failed');
    expect(error.message).toBe('The session could not be kept in storage');
    expect(error.cause).toBeInstanceOf(DOMException);
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('clear() removes the entry', () => {
    const { storage, store } = sessionStore(SESSION);
    store.clear();
    expect(storage.getItem(KEY)).toBeNull();
  });
});
