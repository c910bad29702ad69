import { createAuthFlows } from '../on-demand';
import { SessionKeeper } from '../session/session-keeper';
import { storageKeys } from '../session/storage-keys';
import {
  answerSilentRequests,
  authErrorOf,
  createTestIssuer,
  type SilentAnswers,
  type TestIssuer,
  resolveSpecConfig,
  specParts,
  type SpecConfig,
} from '../testing';
import { flowContext, type FlowContext } from './flow-context';
import { signInSilently } from './silent-sign-in';

/*
 * One silent authorization on jsdom's page: the library's hidden iframe is answered the way silent-callback.html
 * (or, in web_message mode, the provider's page) answers, with real tokens from the in-memory provider.
 */

let idp: TestIssuer;
let ctx: FlowContext | undefined;
let answers: SilentAnswers;

function start(overrides: SpecConfig = {}): FlowContext {
  const config = resolveSpecConfig({ issuer: idp.issuer, clientId: idp.clientId, ...overrides }, location.origin);
  const keeper = new SessionKeeper(config, idp.clock, window, () => undefined, specParts(config));
  // Assembled as the service's on-demand code assembles it: the pending sign-ins, `accept`, one provider client.
  ctx = createAuthFlows(
    flowContext(keeper, () => undefined),
    idp.fetch,
  ).context;
  return ctx;
}

beforeEach(async () => {
  sessionStorage.clear();
  localStorage.clear();
  idp = await createTestIssuer();
  answers = answerSilentRequests(idp);
});

afterEach(() => {
  answers.dispose();
  ctx?.keeper.dispose();
  ctx = undefined;
  document.body.replaceChildren();
});

describe('signInSilently (prompt=none, OIDC Core §3.1.2.1)', () => {
  it('asks with prompt=none, a fresh state and nonce, the scope asked (openid added), and validates the answer', async () => {
    const c = start({ audience: 'https://api.example', maxAgeSeconds: 3600 });
    answers.answer = (request) =>
      idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        accessToken: 'at-silent',
        claims: { auth_time: idp.clock.nowSeconds() },
      });
    const result = await signInSilently(c, { audience: 'https://api.example', scope: 'api', idTokenHint: 'id-0' });
    expect(result.tokens.accessToken).toBe('at-silent');
    expect(result.claims?.sub).toBe('user-1');
    const [request] = answers.requests;
    expect(Object.fromEntries(request!)).toMatchObject({
      prompt: 'none',
      id_token_hint: 'id-0',
      scope: 'openid api',
      audience: 'https://api.example',
      max_age: '3600',
      redirect_uri: `${location.origin}/silent-callback.html`,
    });
    expect(request!.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(request!.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(request!.has('response_mode')).toBe(false);
  });

  it('sends the configured authorize params and silent redirect URI', async () => {
    const c = start({
      authorizeParams: { ui_locales: 'de' },
      silentRenew: { redirectUri: `${location.origin}/renew.html` },
    });
    await signInSilently(c, { audience: undefined, scope: 'openid' });
    const [request] = answers.requests;
    expect(request!.get('ui_locales')).toBe('de');
    expect(request!.get('redirect_uri')).toBe(`${location.origin}/renew.html`);
    expect(request!.has('id_token_hint')).toBe(false);
  });

  it('refuses an answer to another request (nonce), even with the right state', async () => {
    const c = start();
    answers.answer = (request) => idp.authorizationResponse({ state: request.get('state')!, nonce: 'other' });
    expect((await authErrorOf(signInSilently(c, { audience: undefined, scope: 'openid' }))).code).toBe(
      'nonce_mismatch',
    );
  });

  it("reports the provider's interaction error (login_required)", async () => {
    const c = start();
    answers.answer = async (request) => `#error=login_required&state=${request.get('state')}`;
    const error = await authErrorOf(signInSilently(c, { audience: undefined, scope: 'openid' }));
    expect(error).toMatchObject({ code: 'provider_error', error: 'login_required' });
  });

  it('is refused at once when silent renewal is off, asking nothing', async () => {
    const c = start({ silentRenew: false });
    const error = await authErrorOf(signInSilently(c, { audience: undefined, scope: 'openid' }));
    expect(error.code).toBe('renewal_disabled');
    expect(error.message).toBe('Silent renewal is turned off');
    expect(idp.http.requests).toEqual([]);
  });

  it('gives up after silentRenew.timeoutMs when the provider never answers', async () => {
    const c = start({ silentRenew: { timeoutMs: 50 } });
    answers.answer = async () => null;
    expect((await authErrorOf(signInSilently(c, { audience: undefined, scope: 'openid' }))).code).toBe('timeout');
  });

  it('reports at once a silent redirect that lands on a page of the app other than silent-callback.html', async () => {
    answers.dispose();
    const c = start({ silentRenew: { timeoutMs: 60_000 } });
    const observer = new MutationObserver((mutations) => {
      for (const iframe of mutations.flatMap((m) => [...m.addedNodes])) {
        if (!(iframe instanceof HTMLIFrameElement)) continue;
        // The app's index page answered for the missing silent-callback.html (same origin: readable).
        const href = `${location.origin}/silent-callback.html#state=x`;
        Object.defineProperty(iframe, 'contentWindow', { configurable: true, value: { location: { href } } });
        iframe.dispatchEvent(new Event('load'));
      }
    });
    observer.observe(document.body, { childList: true });
    try {
      const started = Date.now();
      const error = await authErrorOf(signInSilently(c, { audience: undefined, scope: 'openid' }));
      expect(error.code).toBe('silent_callback_missing');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      observer.disconnect();
    }
  });

  it("sends no nonce when no ID token is asked for (responseType 'token')", async () => {
    const c = start({ responseType: 'token', scope: 'api' });
    answers.answer = (request) => idp.authorizationResponse({ state: request.get('state')!, responseType: 'token' });
    await signInSilently(c, { audience: undefined, scope: 'api' });
    expect(answers.requests[0]!.has('nonce')).toBe(false);
  });

  it('a renewal judges an ID token issued before its request as such (invalid_iat); a first sign-in as clock_skew', async () => {
    const early = (request: URLSearchParams) =>
      idp.authorizationResponse({
        state: request.get('state')!,
        nonce: request.get('nonce')!,
        claims: { iat: idp.clock.nowSeconds() - 900 },
      });
    answers.answer = early;
    const c = start();
    expect((await authErrorOf(signInSilently(c, { audience: undefined, scope: 'openid', renewing: true }))).code).toBe(
      'invalid_iat',
    );
    expect((await authErrorOf(signInSilently(c, { audience: undefined, scope: 'openid' }))).code).toBe('clock_skew');
  });

  it("with silentRenew.webMessage, asks for response_mode=web_message and takes the provider's own message", async () => {
    answers.dispose();
    const c = start({ silentRenew: { webMessage: true } });
    const observer = new MutationObserver(async (mutations) => {
      for (const iframe of mutations.flatMap((m) => [...m.addedNodes])) {
        if (!(iframe instanceof HTMLIFrameElement)) continue;
        const request = new URL(iframe.src).searchParams;
        expect(request.get('response_mode')).toBe('web_message');
        const fragment = await idp.authorizationResponse({
          state: request.get('state')!,
          nonce: request.get('nonce')!,
        });
        window.dispatchEvent(
          new MessageEvent('message', {
            data: {
              type: 'authorization_response',
              response: Object.fromEntries(new URLSearchParams(fragment.slice(1))),
            },
            origin: new URL(idp.authorizationEndpoint).origin,
            source: iframe.contentWindow,
          }),
        );
      }
    });
    observer.observe(document.body, { childList: true });
    try {
      const result = await signInSilently(c, { audience: undefined, scope: 'openid' });
      expect(result.claims?.sub).toBe('user-1');
    } finally {
      observer.disconnect();
    }
  });

  it('stores nothing: the caller hands the result to the session', async () => {
    const c = start({ storage: 'session' });
    await signInSilently(c, { audience: undefined, scope: 'openid' });
    expect(c.keeper.session()).toBeNull();
    expect(sessionStorage.getItem(storageKeys(idp.issuer, idp.clientId).session)).toBeNull();
  });
});
