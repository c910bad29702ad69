import type { IdTokenClaims } from '../claims';
import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import { ImplicitAuthError } from '../errors';
import type { ImplicitAuthEvent } from '../events';
import type { ValidatedResponse } from '../flows/provider-port';
import { createTabSync, type TabSync, type TabSyncMessage } from '../renewal/tab-sync';
import {
  authErrorOf,
  createFakeClock,
  type FakeClock,
  resolveSpecConfig,
  type SpecConfig,
  specParts,
} from '../testing';
import { isSession, type Session } from './session';
import { acceptResponse } from './accept-response';
import { SessionKeeper, signedOutMeanwhile } from './session-keeper';
import { storageKeys } from './storage-keys';

/*
 * The session's one owner, on jsdom's window (its storage, history and BroadcastChannel), with a fake clock. The
 * renewal schedule is driven by the clock and a `focus` event (the scheduler re-checks on focus), never by waiting.
 */

const ISSUER = 'https://idp.example';
const CLIENT = 'spa';
const keys = storageKeys(ISSUER, CLIENT);

let clock: FakeClock;
let keeper: SessionKeeper | undefined;
let other: TabSync<Session> | undefined;
let due: jest.Mock;
let events: ImplicitAuthEvent[];
/** Dev-mode reports of refused operations (`reportInDevMode`). */
let warn: jest.SpyInstance;

function config(overrides: SpecConfig = {}): ResolvedImplicitAuthConfig {
  return resolveSpecConfig(
    { issuer: ISSUER, clientId: CLIENT, storage: 'session', clockSkewSeconds: 60, ...overrides },
    location.origin,
  );
}

function keep(resolved = config()): SessionKeeper {
  keeper = new SessionKeeper(resolved, clock, window, due, specParts(resolved));
  keeper.state.events.subscribe((event) => events.push(event));
  return keeper;
}

/** Another tab of the same app, on the same channel. */
function otherTab(): TabSync<Session> {
  other = createTabSync<Session>({ name: keys.namespace, isTokens: isSession, locks: null });
  return other;
}

function heardBy(tab: TabSync<Session>): Promise<TabSyncMessage<Session>> {
  return new Promise((resolve) => {
    const stop = tab.onMessage((message) => {
      stop();
      resolve(message);
    });
  });
}

function claims(overrides: Partial<IdTokenClaims> = {}): IdTokenClaims {
  const now = clock.nowSeconds();
  return { iss: ISSUER, sub: 'alice', aud: CLIENT, exp: now + 3600, iat: now, ...overrides };
}

function validated(overrides: Partial<ValidatedResponse['tokens']> = {}, c = claims()): ValidatedResponse {
  return {
    tokens: {
      accessToken: 'at-1',
      expiresAt: clock.now() + 3_600_000,
      tokenType: 'Bearer',
      scopes: ['openid', 'api'],
      idToken: 'id-1',
      claims: c,
      ...overrides,
    } as ValidatedResponse['tokens'],
    claims: c,
  };
}

function session(overrides: Partial<Session> = {}): Session {
  return {
    issuer: ISSUER,
    clientId: CLIENT,
    startedAt: clock.now(),
    idToken: 'id-0',
    claims: claims(),
    accessTokens: { '': { token: 'at-0', expiresAt: clock.now() + 3_600_000, receivedAt: clock.now(), scopes: [] } },
    ...overrides,
  };
}

/** The scheduler checks its due time again when the window gains focus. */
function focus(): void {
  window.dispatchEvent(new Event('focus'));
}

beforeEach(() => {
  sessionStorage.clear();
  localStorage.clear();
  history.replaceState(null, '', '/');
  clock = createFakeClock();
  due = jest.fn();
  events = [];
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  warn.mockRestore();
  keeper?.dispose();
  keeper = undefined;
  other?.close();
  other = undefined;
});

describe('SessionKeeper', () => {
  describe('accept (only validated tokens become the session)', () => {
    it('begins a new session: the access token for the default audience, the ID token and claims', () => {
      const k = keep();
      const response = validated();
      acceptResponse(k, response, undefined, null, 111);
      expect(k.session()).toEqual({
        issuer: ISSUER,
        clientId: CLIENT,
        startedAt: 111,
        idToken: 'id-1',
        claims: response.claims,
        accessTokens: {
          '': { token: 'at-1', expiresAt: clock.now() + 3_600_000, receivedAt: clock.now(), scopes: ['openid', 'api'] },
        },
      });
      expect(events).toEqual([{ type: 'token_received', audience: undefined, expiresAt: clock.now() + 3_600_000 }]);
      expect(k.state.browserSession()?.at).toBe(111);
    });

    it('a renewal keeps the session it renews: its start, its other audiences, its ID token and claims', () => {
      const k = keep();
      const previous = session({ startedAt: 5 });
      acceptResponse(
        k,
        validated({ idToken: undefined, claims: undefined }, null as unknown as IdTokenClaims),
        'https://api',
        previous,
        999,
      );
      const renewed = k.session()!;
      expect(renewed.startedAt).toBe(5);
      expect(renewed.idToken).toBe('id-0');
      expect(renewed.claims).toEqual(previous.claims);
      expect(Object.keys(renewed.accessTokens).sort()).toEqual(['', 'https://api']);
      expect(renewed.accessTokens['https://api']?.token).toBe('at-1');
      // A renewal is not a new session: the browser-wide hint is not rewritten.
      expect(k.state.browserSession()).toBeNull();
    });

    it('a response without an access token (or without its expiry) adds none and announces none', () => {
      const k = keep();
      acceptResponse(k, validated({ accessToken: undefined, expiresAt: undefined }), undefined, null, 1);
      expect(k.session()?.accessTokens).toEqual({});
      acceptResponse(k, validated({ expiresAt: undefined }), undefined, null, 1);
      expect(k.session()?.accessTokens).toEqual({});
      expect(events).toEqual([]);
    });

    it('clears the last error and tells the other tabs', async () => {
      const k = keep();
      k.state.setError(new ImplicitAuthError('nonce_mismatch', 'm'));
      const heard = heardBy(otherTab());
      acceptResponse(k, validated(), 'https://api', null, 1);
      expect(k.state.lastError()).toBeNull();
      expect(await heard).toEqual({ type: 'tokens_updated', audience: 'https://api', tokens: k.session() });
    });

    it("keeps the ID token as id_token_hint across reloads only with silentRenew.idTokenHint 'session'", () => {
      acceptResponse(keep(config({ silentRenew: { idTokenHint: 'session' } })), validated(), undefined, null, 1);
      expect(sessionStorage.getItem(keys.idTokenHint)).toBe('id-1');
      expect(keeper!.keptIdTokenHint()).toBe('id-1');
      keeper!.dispose();
      sessionStorage.clear();
      acceptResponse(keep(config({ silentRenew: { idTokenHint: 'memory' } })), validated(), undefined, null, 1);
      expect(sessionStorage.getItem(keys.idTokenHint)).toBeNull();
      keeper!.dispose();
      acceptResponse(keep(config({ silentRenew: false })), validated(), undefined, null, 1);
      expect(sessionStorage.getItem(keys.idTokenHint)).toBeNull();
    });

    it("with silentRenew.idTokenHint 'session' but no ID token, keeps no hint", () => {
      acceptResponse(
        keep(config({ silentRenew: { idTokenHint: 'session' }, responseType: 'token' })),
        validated({ idToken: undefined }, null as unknown as IdTokenClaims),
        undefined,
        null,
        1,
      );
      expect(sessionStorage.getItem(keys.idTokenHint)).toBeNull();
    });

    it("learns the provider's clock from the response before planning its renewal (clock: 'provider')", () => {
      const k = keep(config({ clock: 'provider' }));
      acceptResponse(k, { ...validated({ accessToken: undefined }), clockOffsetMs: 30_000 }, undefined, null, 1);
      expect(k.providerTime.offsetMs).toBe(30_000);
      // The ID token's exp is the provider's time: the renewal is due 60 s before exp + 30 s on this device.
      clock.set(k.session()!.claims!.exp * 1000 + 30_000 - 60_000 - 1);
      focus();
      expect(events.filter((e) => e.type === 'token_expiring')).toEqual([]);
      clock.advance(0.001);
      focus();
      expect(events.filter((e) => e.type === 'token_expiring')).toEqual([
        { type: 'token_expiring', audience: undefined, expiresAt: k.session()!.claims!.exp * 1000 + 30_000 },
      ]);
    });
  });

  describe('accessToken (the one lifetime rule)', () => {
    it('hands out the token for the audience asked (the default one for none) until expiry less the skew', () => {
      const k = keep();
      acceptResponse(k, validated(), undefined, null, 1);
      acceptResponse(k, validated({ accessToken: 'at-api' }), 'https://api', k.session(), 1);
      expect(k.accessToken(undefined)?.token).toBe('at-1');
      expect(k.accessToken('https://api')?.token).toBe('at-api');
      expect(k.accessToken('https://other')).toBeNull();
      clock.advance(3600 - 60 - 0.001);
      expect(k.accessToken(undefined)?.token).toBe('at-1');
      clock.advance(0.001);
      expect(k.accessToken(undefined)).toBeNull();
    });

    it('hands out nothing without a session', () => {
      expect(keep().accessToken(undefined)).toBeNull();
    });
  });

  describe('restoreKept', () => {
    it('adopts the session kept by an earlier page load, if alive and this app’s', () => {
      acceptResponse(keep(), validated(), undefined, null, 1);
      const kept = keeper!.session();
      keeper!.dispose();
      localStorage.clear();
      const k = keep();
      k.restoreKept();
      expect(k.session()).toEqual(kept);
      // Restored, not begun: the browser-wide hint of the newest session is not rewritten.
      expect(k.state.browserSession()).toBeNull();
    });

    it("judges a kept ID token's exp with the learned clock offset", () => {
      sessionStorage.setItem(keys.clockOffset, '120000');
      const kept = session({ accessTokens: {}, claims: claims({ exp: clock.nowSeconds() - 60 }) });
      sessionStorage.setItem(keys.session, JSON.stringify(kept));
      const k = keep(config({ clock: 'provider' }));
      k.restoreKept();
      expect(k.session()).toEqual(kept);
    });

    it('adopts nothing when nothing is kept', () => {
      const k = keep();
      k.restoreKept();
      expect(k.session()).toBeNull();
    });
  });

  describe('the renewal schedule and token_expiring', () => {
    it("is planned from the configured audience's access token: silentRenew.marginSeconds before it stops being handed out", () => {
      const k = keep(config({ audience: 'https://api', silentRenew: { marginSeconds: 120 } }));
      acceptResponse(k, validated({ expiresAt: clock.now() + 600_000 }), 'https://api', null, 1);
      // Handed out until expiry less the skew (60 s): due 120 s before that.
      clock.advance(600 - 60 - 120 - 1);
      focus();
      expect(due).not.toHaveBeenCalled();
      clock.advance(1);
      focus();
      expect(events.at(-1)).toEqual({
        type: 'token_expiring',
        audience: 'https://api',
        expiresAt: clock.now() + 180_000,
      });
      expect(due).toHaveBeenCalledTimes(1);
    });

    it('without silent renewal, announces token_expiring 60 s before the token stops being handed out and renews nothing', () => {
      const k = keep(config({ silentRenew: false }));
      acceptResponse(k, validated({ expiresAt: clock.now() + 600_000 }), undefined, null, 1);
      clock.advance(600 - 60 - 60 - 1);
      focus();
      expect(events.map((e) => e.type)).toEqual(['token_received']);
      clock.advance(1);
      focus();
      expect(events.at(-1)).toEqual({ type: 'token_expiring', audience: undefined, expiresAt: clock.now() + 120_000 });
      expect(due).not.toHaveBeenCalled();
    });

    it('with the defaults (skew 300 s, margin 60 s), renews a 1-hour token 360 s before expiry, while it is still handed out', () => {
      const k = keep(config({ clockSkewSeconds: 300, silentRenew: { marginSeconds: 60 } }));
      acceptResponse(k, validated({ expiresAt: clock.now() + 3_600_000 }), undefined, null, 1);
      const expiresAt = clock.now() + 3_600_000;
      clock.set(expiresAt - 360_000 - 1);
      focus();
      expect(due).not.toHaveBeenCalled();
      clock.set(expiresAt - 360_000);
      focus();
      expect(due).toHaveBeenCalledTimes(1);
      // The notice reports the real expiry; the token is still handed out while its renewal runs.
      expect(events.at(-1)).toEqual({ type: 'token_expiring', audience: undefined, expiresAt });
      expect(k.accessToken(undefined)?.token).toBe('at-1');
    });

    it('renews a token shorter-lived than twice the skew at half the time left until it stops being handed out', () => {
      const k = keep(config({ clockSkewSeconds: 300, silentRenew: { marginSeconds: 60 } }));
      acceptResponse(k, validated({ expiresAt: clock.now() + 100_000 }), undefined, null, 1);
      // Handed out for half its 100 s lifetime (the skew is capped): the 60 s margin is capped at half of those 50 s.
      clock.advance(25 - 0.001);
      focus();
      expect(due).not.toHaveBeenCalled();
      clock.advance(0.001);
      focus();
      expect(due).toHaveBeenCalledTimes(1);
      expect(k.accessToken(undefined)?.token).toBe('at-1');
    });

    it.each([
      [
        "an ID-token-only session (responseType 'id_token'), whatever the skew",
        { responseType: 'id_token', clockSkewSeconds: 300, silentRenew: { marginSeconds: 60 } } as const,
        { accessToken: undefined, expiresAt: undefined },
      ],
      [
        'a session without an access token for the configured audience',
        { audience: 'https://api' },
        { expiresAt: 600_000 },
      ],
    ])("for %s, is planned marginSeconds before the ID token's exp", (_name, settings, response) => {
      const k = keep(config(settings));
      const expiresAt = response.expiresAt === undefined ? undefined : clock.now() + response.expiresAt;
      acceptResponse(k, validated({ ...response, expiresAt }), undefined, null, 1);
      const exp = k.session()!.claims!.exp * 1000;
      clock.set(exp - 60_001);
      focus();
      expect(due).not.toHaveBeenCalled();
      clock.set(exp - 60_000);
      focus();
      expect(events.at(-1)).toEqual({ type: 'token_expiring', audience: k.config.audience, expiresAt: exp });
      expect(due).toHaveBeenCalledTimes(1);
    });

    it('with silentRenew.automatic false, announces but does not renew', () => {
      const k = keep(config({ silentRenew: { automatic: false } }));
      acceptResponse(k, validated({ expiresAt: clock.now() + 600_000 }), undefined, null, 1);
      clock.advance(600);
      focus();
      expect(events.at(-1)?.type).toBe('token_expiring');
      expect(due).not.toHaveBeenCalled();
    });

    it('is not planned for a session with neither an access token nor claims', () => {
      const k = keep();
      k.adopt(session({ accessTokens: {}, claims: null }));
      clock.advance(10 * 365 * 24 * 3600);
      focus();
      expect(due).not.toHaveBeenCalled();
    });

    it('is cancelled by the end of the session', () => {
      const k = keep();
      acceptResponse(k, validated({ expiresAt: clock.now() + 600_000 }), undefined, null, 1);
      k.end('user_switched');
      clock.advance(600);
      focus();
      expect(due).not.toHaveBeenCalled();
      expect(events.map((e) => e.type)).toEqual(['token_received', 'signed_out']);
    });
  });

  describe('logOut', () => {
    it('signs out everywhere and returns the ID token and the configured post-logout URI by default', async () => {
      const k = keep();
      acceptResponse(k, validated(), undefined, null, 1);
      const heard = heardBy(otherTab());
      expect(k.logOut(undefined)).toEqual({ idToken: 'id-1', returnTo: k.config.logout.postLogoutRedirectUri });
      expect(k.session()).toBeNull();
      expect(events.at(-1)).toEqual({ type: 'signed_out', reason: 'logout' });
      expect(await heard).toEqual({ type: 'signed_out', at: clock.now() });
      expect(k.state.signedOutAt).toBe(clock.now());
    });

    it('accepts a returnTo on the app’s origin, made absolute', () => {
      expect(keep().logOut('/bye?x=1').returnTo).toBe(`${location.origin}/bye?x=1`);
    });

    it('refuses a returnTo on another origin (open redirect, RFC 9700 §4.11), signing nothing out', async () => {
      const k = keep();
      acceptResponse(k, validated(), undefined, null, 1);
      const error = await authErrorOf(() => k.logOut('https://evil.example/'));
      expect(error.code).toBe('invalid_return_url');
      expect(error.message).toBe("logout returnTo must be on the app's origin");
      expect(k.state.lastError()).toBe(error);
      expect(k.session()).not.toBeNull();
    });

    it('refuses a reserved logout parameter, naming it, signing nothing out', async () => {
      const k = keep();
      acceptResponse(k, validated(), undefined, null, 1);
      for (const name of ['state', 'id_token_hint', 'client_id']) {
        const error = await authErrorOf(() => k.logOut(undefined, { ui_locales: 'de', [name]: 'x' }));
        expect(error.code).toBe('invalid_config');
        expect(error.message).toBe(`logout params: ${name} is reserved`);
      }
      expect(k.logOut(undefined, { ui_locales: 'de' }).idToken).toBe('id-1');
    });

    it("without a session, sends the ID token kept as hint (silentRenew.idTokenHint 'session'), then forgets it", () => {
      sessionStorage.setItem(keys.idTokenHint, 'kept-id');
      const k = keep(config({ silentRenew: { idTokenHint: 'session' } }));
      expect(k.logOut(undefined).idToken).toBe('kept-id');
      expect(sessionStorage.getItem(keys.idTokenHint)).toBeNull();
      expect(k.keptIdTokenHint()).toBeUndefined();
    });

    it("keptIdTokenHint is nothing unless silentRenew.idTokenHint is 'session'", () => {
      sessionStorage.setItem(keys.idTokenHint, 'kept-id');
      expect(keep(config({ silentRenew: { idTokenHint: 'memory' } })).keptIdTokenHint()).toBeUndefined();
      keeper!.dispose();
      expect(keep(config({ silentRenew: false })).keptIdTokenHint()).toBeUndefined();
      keeper!.dispose();
      sessionStorage.setItem(keys.idTokenHint, '');
      expect(keep(config({ silentRenew: { idTokenHint: 'session' } })).keptIdTokenHint()).toBeUndefined();
    });
  });

  describe('end and the epoch', () => {
    it('a sign-out (with a time) forgets the kept ID token hint; ending this tab’s copy does not', () => {
      sessionStorage.setItem(keys.idTokenHint, 'kept-id');
      const k = keep(config({ silentRenew: { idTokenHint: 'session' } }));
      k.end('user_switched');
      expect(sessionStorage.getItem(keys.idTokenHint)).toBe('kept-id');
      k.end('logout', 1);
      expect(sessionStorage.getItem(keys.idTokenHint)).toBeNull();
    });

    it('checkEpoch throws signed_out once the session ended since the epoch was read', async () => {
      const k = keep();
      const epoch = k.epoch;
      expect(() => k.checkEpoch(epoch)).not.toThrow();
      k.end('logout', 1);
      expect((await authErrorOf(() => k.checkEpoch(epoch))).code).toBe('signed_out');
    });

    it('signedOutMeanwhile is signed_out, with its cause', () => {
      const cause = new Error('late');
      const error = signedOutMeanwhile(cause);
      expect(error.code).toBe('signed_out');
      expect(error.message).toBe('Signed out while this was under way; its result was discarded');
      expect(error.cause).toBe(cause);
    });
  });

  describe('fail', () => {
    it('records a typed error as the last error (reported in dev mode), and a refused response as an event', () => {
      const k = keep();
      const error = new ImplicitAuthError('nonce_mismatch', 'm');
      expect(k.fail(error)).toBe(error);
      expect(k.state.lastError()).toBe(error);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('ngx-implicit-auth: nonce_mismatch'));
      expect(events).toEqual([]);
      k.fail(error, true);
      expect(events).toEqual([{ type: 'validation_failed', error }]);
    });

    it('types anything else as internal_error', () => {
      const typed = keep().fail(new TypeError('x'));
      expect(typed.code).toBe('internal_error');
      expect(keeper!.state.lastError()).toBe(typed);
    });

    it("a result dropped by the user's sign-out is not an error to show", () => {
      const k = keep();
      const typed = k.fail(signedOutMeanwhile(), true);
      expect(typed.code).toBe('signed_out');
      expect(k.state.lastError()).toBeNull();
      expect(warn).not.toHaveBeenCalled();
      expect(events).toEqual([]);
    });

    it('a token contradicting the learned clock (clock_skew, invalid_iat) makes the next one teach it again', () => {
      for (const code of ['clock_skew', 'invalid_iat'] as const) {
        sessionStorage.setItem(keys.clockOffset, '5000');
        const k = keep(config({ clock: 'provider' }));
        expect(k.providerTime.offsetMs).toBe(5000);
        k.fail(new ImplicitAuthError('nonce_mismatch', 'm'));
        expect(k.providerTime.offsetMs).toBe(5000);
        k.fail(new ImplicitAuthError(code, 'm'));
        expect(k.providerTime.offsetMs).toBe(0);
        expect(sessionStorage.getItem(keys.clockOffset)).toBeNull();
        k.dispose();
      }
      keeper = undefined;
    });
  });

  describe('other tabs', () => {
    it('a sign-out in another tab signs this tab out, as other_tab, from that time on', async () => {
      const k = keep();
      acceptResponse(k, validated(), undefined, null, clock.now());
      const tab = otherTab();
      const heard = heardBy(k.tabs);
      tab.publish({ type: 'signed_out', at: clock.now() + 5 });
      await heard;
      expect(k.session()).toBeNull();
      expect(k.state.signedOutAt).toBe(clock.now() + 5);
      expect(events.at(-1)).toEqual({ type: 'signed_out', reason: 'other_tab' });
    });

    it("adopts another tab's session for the same user, or when this tab has none", async () => {
      const k = keep();
      const tab = otherTab();
      const first = session({ idToken: 'from-other-tab' });
      let heard = heardBy(k.tabs);
      tab.publish({ type: 'tokens_updated', audience: undefined, tokens: first });
      await heard;
      expect(k.session()).toEqual(first);
      const renewed = session({ idToken: 'renewed' });
      heard = heardBy(k.tabs);
      tab.publish({ type: 'tokens_updated', audience: undefined, tokens: renewed });
      await heard;
      expect(k.session()).toEqual(renewed);
    });

    it("refuses another user's session, another app's, and one begun before the last sign-out", async () => {
      const k = keep();
      acceptResponse(k, validated(), undefined, null, clock.now());
      k.end('other_tab', clock.now() + 10);
      const tab = otherTab();
      const refused = [session({ startedAt: clock.now() + 10 }), session({ startedAt: clock.now() + 9 })];
      for (const tokens of refused) {
        const heard = heardBy(k.tabs);
        tab.publish({ type: 'tokens_updated', audience: undefined, tokens });
        await heard;
        expect(k.session()).toBeNull();
      }
      const alice = session({ startedAt: clock.now() + 11 });
      let heard = heardBy(k.tabs);
      tab.publish({ type: 'tokens_updated', audience: undefined, tokens: alice });
      await heard;
      expect(k.session()).toEqual(alice);
      for (const tokens of [
        session({ startedAt: clock.now() + 12, claims: claims({ sub: 'bob' }) }),
        session({ startedAt: clock.now() + 12, clientId: 'other-app' }),
        session({ startedAt: clock.now() + 12, claims: claims({ aud: 'other-app' }) }),
      ]) {
        heard = heardBy(k.tabs);
        tab.publish({ type: 'tokens_updated', audience: undefined, tokens });
        await heard;
        expect(k.session()).toEqual(alice);
      }
    });
  });

  describe('redirecting', () => {
    it('is set once a redirect started, and reset only by a page restored from the back/forward cache', () => {
      const k = keep();
      expect(k.redirecting).toBe(false);
      k.redirecting = true;
      window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: false }));
      expect(k.redirecting).toBe(true);
      window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
      expect(k.redirecting).toBe(false);
    });

    it('after dispose, hears neither the page nor the other tabs', async () => {
      const k = keep();
      acceptResponse(k, validated(), undefined, null, clock.now());
      k.redirecting = true;
      k.dispose();
      window.dispatchEvent(Object.assign(new Event('pageshow'), { persisted: true }));
      expect(k.redirecting).toBe(true);
      let completed = false;
      k.state.events.subscribe({ complete: () => (completed = true) });
      expect(completed).toBe(true);
      keeper = undefined;
    });
  });

  it('names the storage that refuses optional hints in its dev-mode report', () => {
    const setItem = jest.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    try {
      const k = keep(config({ storage: 'memory', silentRenew: { idTokenHint: 'session' } }));
      acceptResponse(k, validated(), undefined, null, 1);
      const reports = warn.mock.calls.map(([line]) => line as string);
      expect(reports).toContain('ngx-implicit-auth: localStorage cannot be written; optional hints are skipped.');
      expect(reports).toContain('ngx-implicit-auth: sessionStorage cannot be written; optional hints are skipped.');
    } finally {
      setItem.mockRestore();
    }
  });

  it('keeps the session under the app’s own key, in the configured storage', () => {
    acceptResponse(keep(), validated(), undefined, null, 1);
    expect(JSON.parse(sessionStorage.getItem(keys.session)!)).toEqual(keeper!.session());
    expect(keeper!.keys).toEqual(keys);
    keeper!.dispose();
    sessionStorage.clear();
    acceptResponse(keep(config({ storage: 'memory' })), validated(), undefined, null, 1);
    expect(sessionStorage.getItem(keys.session)).toBeNull();
  });
});
