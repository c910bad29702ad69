import type { ImplicitAuthEvent } from '../events';
import { createAuthFlows } from '../on-demand';
import { SessionKeeper } from '../session/session-keeper';
import { storageKeys } from '../session/storage-keys';
import type { PendingTransaction } from '../session/transaction-store';
import {
  authErrorOf,
  createTestIssuer,
  type TestIssuer,
  resolveSpecConfig,
  specParts,
  type SpecConfig,
} from '../testing';
import { flowContext, type FlowContext } from './flow-context';
import { beginSignIn, finishSignIn, providerLogoutUrl } from './interactive-sign-in';

/*
 * The interactive flow on jsdom's page (address bar, sessionStorage), with the session's real keeper and the
 * provider client over the in-memory provider: real signed tokens, a fake clock, redirects recorded.
 */

let idp: TestIssuer;
let ctx: FlowContext;
let redirects: string[];
let events: ImplicitAuthEvent[];
let warn: jest.SpyInstance;

function start(overrides: SpecConfig = {}): FlowContext {
  ctx?.keeper.dispose();
  const config = resolveSpecConfig(
    { issuer: idp.issuer, clientId: idp.clientId, silentRenew: false, ...overrides },
    location.origin,
  );
  const keeper = new SessionKeeper(config, idp.clock, window, () => undefined, specParts(config));
  keeper.state.events.subscribe((event) => events.push(event));
  // Assembled as the service's on-demand code assembles it: the pending sign-ins, `accept`, one provider client.
  ctx = createAuthFlows(
    flowContext(keeper, (url) => redirects.push(url)),
    idp.fetch,
  ).context;
  return ctx;
}

const keys = () => storageKeys(idp.issuer, idp.clientId);
const lastRequest = () => new URL(redirects.at(-1)!).searchParams;
const pendingOf = (state: string) =>
  JSON.parse(sessionStorage.getItem(keys().transactionPrefix + state)!) as PendingTransaction;

beforeEach(async () => {
  sessionStorage.clear();
  localStorage.clear();
  history.replaceState(null, '', '/orders?page=2#top');
  idp = await createTestIssuer();
  redirects = [];
  events = [];
  warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  ctx?.keeper.dispose();
  warn.mockRestore();
});

describe('beginSignIn (OIDC Core §3.2.2.1; one-time state and nonce, RFC 9700 §4.7)', () => {
  it('keeps a fresh transaction for the callback, then leaves for the provider', async () => {
    const c = start({ audience: 'https://api.example', maxAgeSeconds: 600 });
    await beginSignIn(c, { appState: { tab: 2 } }, c.keeper.epoch);
    const request = lastRequest();
    const state = request.get('state')!;
    expect(state).toMatch(/^[\w-]{20,}$/);
    expect(request.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(request.get('nonce')).not.toBe(state);
    expect(pendingOf(state)).toEqual({
      state,
      nonce: request.get('nonce'),
      returnUrl: '/orders?page=2#top',
      responseType: 'id_token token',
      scope: 'openid profile email',
      audience: 'https://api.example',
      startedAt: idp.clock.now(),
      maxAgeSeconds: 600,
      expiresAt: idp.clock.now() + 600_000,
      appState: { tab: 2 },
    });
    expect(request.get('scope')).toBe('openid profile email');
    expect(request.get('audience')).toBe('https://api.example');
    expect(request.get('max_age')).toBe('600');
    expect(events).toEqual([{ type: 'login_started', returnUrl: '/orders?page=2#top' }]);
    expect(redirects).toHaveLength(1);
  });

  it('the login options win over the config: return URL, scope (openid added), audience, max_age, prompt, params', async () => {
    const c = start({ transactionTtlSeconds: 120, authorizeParams: { ui_locales: 'fr', display: 'page' } });
    await beginSignIn(
      c,
      {
        returnUrl: '/after',
        scope: 'email',
        audience: 'https://other.example',
        maxAge: 0,
        prompt: 'login',
        authorizeParams: { ui_locales: 'de' },
      },
      c.keeper.epoch,
    );
    const request = lastRequest();
    expect(Object.fromEntries(request)).toMatchObject({
      scope: 'openid email',
      audience: 'https://other.example',
      max_age: '0',
      prompt: 'login',
      ui_locales: 'de',
      display: 'page',
    });
    const pending = pendingOf(request.get('state')!);
    expect(pending).toMatchObject({ returnUrl: '/after', scope: 'openid email', maxAgeSeconds: 0 });
    expect(pending.expiresAt).toBe(idp.clock.now() + 120_000);
  });

  it("sends no nonce when no ID token is asked for (responseType 'token')", async () => {
    const c = start({ responseType: 'token', scope: 'api' });
    await beginSignIn(c, {}, c.keeper.epoch);
    expect(lastRequest().has('nonce')).toBe(false);
    expect(pendingOf(lastRequest().get('state')!).nonce).toBeUndefined();
  });

  it('refuses a return URL on another origin (open redirect, RFC 9700 §4.11), leaving nothing behind', async () => {
    const c = start();
    const error = await authErrorOf(beginSignIn(c, { returnUrl: 'https://evil.example/' }, c.keeper.epoch));
    expect(error.code).toBe('invalid_return_url');
    expect(redirects).toEqual([]);
    expect(sessionStorage.length).toBe(0);
  });

  it('leaves for nowhere when the user signed out while the provider was asked', async () => {
    const c = start();
    const epoch = c.keeper.epoch;
    c.keeper.signOut('logout');
    expect((await authErrorOf(beginSignIn(c, {}, epoch))).code).toBe('signed_out');
    expect(redirects).toEqual([]);
    expect(Object.keys({ ...sessionStorage }).filter((k) => k.startsWith(keys().transactionPrefix))).toEqual([]);
  });

  it('drops abandoned sign-ins past their expiry, and the logout state of a logout that never came back', async () => {
    const c = start();
    await beginSignIn(c, {}, c.keeper.epoch);
    const abandoned = lastRequest().get('state')!;
    sessionStorage.setItem(keys().logoutState, 'ls1');
    idp.clock.advance(600);
    await beginSignIn(c, {}, c.keeper.epoch);
    expect(sessionStorage.getItem(keys().transactionPrefix + abandoned)).toBeNull();
    expect(pendingOf(lastRequest().get('state')!)).toBeTruthy();
    expect(sessionStorage.getItem(keys().logoutState)).toBeNull();
  });

  it('keeps a sign-in pending until its expiry', async () => {
    const c = start();
    await beginSignIn(c, {}, c.keeper.epoch);
    const first = lastRequest().get('state')!;
    idp.clock.advance(599);
    await beginSignIn(c, {}, c.keeper.epoch);
    expect(pendingOf(first)).toBeTruthy();
  });
});

describe('finishSignIn (the one completion path, then a new session)', () => {
  async function signInStarted(options = {}) {
    const c = start({ audience: 'https://api.example', ...options });
    await beginSignIn(c, { returnUrl: '/after', appState: 'kept' }, c.keeper.epoch);
    const request = lastRequest();
    const encoded = await idp.authorizationResponse({
      state: request.get('state')!,
      nonce: request.get('nonce')!,
      accessToken: 'at-1',
    });
    return { c, encoded, state: request.get('state')! };
  }

  it('adopts the validated tokens as a new session for the audience asked, and says where to land', async () => {
    const { c, encoded, state } = await signInStarted();
    events.length = 0;
    idp.clock.advance(5);
    expect(await finishSignIn(c, encoded, c.keeper.epoch)).toBe('/after');
    const session = c.keeper.session()!;
    expect(session.startedAt).toBe(idp.clock.now());
    expect(session.accessTokens['https://api.example']?.token).toBe('at-1');
    expect(session.claims?.sub).toBe('user-1');
    expect(events).toEqual([
      { type: 'token_received', audience: 'https://api.example', expiresAt: idp.clock.now() + 3_600_000 },
      { type: 'signed_in', claims: session.claims, returnUrl: '/after', appState: 'kept' },
    ]);
    // The state is used up.
    expect(sessionStorage.getItem(keys().transactionPrefix + state)).toBeNull();
    expect(c.keeper.state.browserSession()?.at).toBe(idp.clock.now());
  });

  it("learns the provider's clock from the first token (clock: 'provider'), judging it on the token's own iat", async () => {
    const c = start({ clock: 'provider' });
    await beginSignIn(c, {}, c.keeper.epoch);
    const request = lastRequest();
    const now = idp.clock.nowSeconds();
    const encoded = await idp.authorizationResponse({
      state: request.get('state')!,
      nonce: request.get('nonce')!,
      claims: { iat: now + 900, exp: now + 4500 },
    });
    await finishSignIn(c, encoded, c.keeper.epoch);
    expect(c.keeper.providerTime.offsetMs).toBe(-900_000);
  });

  it("judges a first sign-in's ID token on the device clock as assumed: one issued before the request is clock_skew", async () => {
    const c = start();
    await beginSignIn(c, {}, c.keeper.epoch);
    const request = lastRequest();
    const encoded = await idp.authorizationResponse({
      state: request.get('state')!,
      nonce: request.get('nonce')!,
      claims: { iat: idp.clock.nowSeconds() - 900 },
    });
    expect((await authErrorOf(finishSignIn(c, encoded, c.keeper.epoch))).code).toBe('clock_skew');
  });

  it('drops the result when the user signed out meanwhile: no session, no error shown', async () => {
    const { c, encoded } = await signInStarted();
    const epoch = c.keeper.epoch;
    c.keeper.signOut('logout');
    events.length = 0;
    expect((await authErrorOf(finishSignIn(c, encoded, epoch))).code).toBe('signed_out');
    expect(c.keeper.session()).toBeNull();
    expect(c.keeper.state.lastError()).toBeNull();
    expect(events).toEqual([]);
  });

  it('a refused response is the last error and a validation_failed event; the session is untouched', async () => {
    const { c } = await signInStarted();
    events.length = 0;
    const error = await authErrorOf(finishSignIn(c, '#access_token=x&state=forged', c.keeper.epoch));
    expect(error.code).toBe('state_mismatch');
    expect(c.keeper.state.lastError()).toBe(error);
    expect(events).toEqual([{ type: 'validation_failed', error }]);
    expect(c.keeper.session()).toBeNull();
  });
});

describe('providerLogoutUrl (RP-Initiated Logout §2, state)', () => {
  it("'oidc': sends a fresh state and remembers it for the return", async () => {
    const c = start();
    const url = new URL((await providerLogoutUrl(c, 'id-0', 'https://app.example/bye', { ui_locales: 'de' }))!);
    const state = url.searchParams.get('state')!;
    expect(state).toMatch(/^[\w-]{20,}$/);
    expect(url.searchParams.get('id_token_hint')).toBe('id-0');
    expect(url.searchParams.get('post_logout_redirect_uri')).toBe('https://app.example/bye');
    expect(url.searchParams.get('ui_locales')).toBe('de');
    expect(sessionStorage.getItem(keys().logoutState)).toBe(state);
  });

  it("remembers no state when there is nowhere to go, or for 'auth0' (it sends none back)", async () => {
    delete idp.metadata['end_session_endpoint'];
    expect(await providerLogoutUrl(start(), 'id-0', 'https://app.example/')).toBeNull();
    expect(sessionStorage.getItem(keys().logoutState)).toBeNull();
    expect(await providerLogoutUrl(start({ logout: { style: 'auth0' } }), 'id-0', 'https://app.example/')).toContain(
      '/v2/logout',
    );
    expect(sessionStorage.getItem(keys().logoutState)).toBeNull();
  });
});
