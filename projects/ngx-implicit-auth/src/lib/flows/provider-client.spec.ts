import { parseAuthorizationResponse } from '../protocol/authorization-response';
import { DEVICE_CLOCK } from '../protocol/provider-clock';
import { authErrorOf, createTestIssuer, type TestIssuer, resolveSpecConfig, type SpecConfig } from '../testing';
import { ProviderClient } from './provider-client';
import type { Expectation } from './provider-port';

let idp: TestIssuer;
beforeEach(async () => {
  idp = await createTestIssuer();
});

function client(overrides: SpecConfig = {}): ProviderClient {
  const config = resolveSpecConfig({ issuer: idp.issuer, clientId: idp.clientId, ...overrides }, 'https://app.example');
  return new ProviderClient(config, idp.clock, idp.fetch, overrides.loadUserInfo);
}

const EXPECTED: Expectation = {
  state: 's1',
  nonce: 'n1',
  responseType: 'id_token token',
  scope: 'openid profile',
  audience: 'https://api.example',
  startedAt: 0,
  maxAgeSeconds: 300,
};

describe('ProviderClient', () => {
  describe('metadata (OpenID Discovery, once per page load)', () => {
    it('discovers once, however often it is asked', async () => {
      const provider = client();
      const [a, b] = await Promise.all([provider.metadata(), provider.metadata()]);
      await provider.metadata();
      expect(a).toBe(b);
      expect(a.authorization_endpoint).toBe(idp.authorizationEndpoint);
      expect(a.jwks_uri).toBe(idp.jwksUri);
      expect(idp.http.count(idp.discoveryUrl)).toBe(1);
    });

    it('asks again after a failure (the next sign-in retries)', async () => {
      const provider = client();
      idp.http.unreachable(idp.discoveryUrl);
      expect((await authErrorOf(provider.metadata())).code).toBe('network_error');
      idp.http.json(idp.discoveryUrl, () => idp.metadata);
      await expect(provider.metadata()).resolves.toMatchObject({ issuer: idp.issuer });
      await provider.metadata();
      expect(idp.http.count(idp.discoveryUrl)).toBe(2);
    });

    it('skips discovery when the endpoints it needs are configured: authorization and jwks', async () => {
      const endpoints = { authorization: 'https://login.example/authorize', jwks: 'https://login.example/keys' };
      const metadata = await client({ endpoints }).metadata();
      expect(metadata).toEqual({
        issuer: idp.issuer,
        authorization_endpoint: endpoints.authorization,
        jwks_uri: endpoints.jwks,
        end_session_endpoint: undefined,
        userinfo_endpoint: undefined,
      });
      expect(idp.http.count(idp.discoveryUrl)).toBe(0);
    });

    it("skips discovery with only the authorization endpoint for responseType 'token' (no ID token to verify)", async () => {
      const endpoints = { authorization: 'https://login.example/authorize' };
      await client({ endpoints, responseType: 'token' }).metadata();
      expect(idp.http.count(idp.discoveryUrl)).toBe(0);
      await client({ endpoints }).metadata();
      expect(idp.http.count(idp.discoveryUrl)).toBe(1);
    });

    it('configured endpoints win over discovered ones', async () => {
      const endpoints = {
        jwks: 'https://login.example/keys',
        endSession: 'https://login.example/logout',
        userinfo: 'https://login.example/me',
      };
      const metadata = await client({ endpoints }).metadata();
      expect(metadata).toMatchObject({
        authorization_endpoint: idp.authorizationEndpoint,
        jwks_uri: endpoints.jwks,
        end_session_endpoint: endpoints.endSession,
        userinfo_endpoint: endpoints.userinfo,
      });
      const authorization = 'https://login.example/authorize';
      const own = await client({ endpoints: { authorization } }).metadata();
      expect(own.authorization_endpoint).toBe(authorization);
      expect(own.end_session_endpoint).toBe(idp.endSessionEndpoint);
      expect(own.userinfo_endpoint).toBe(idp.userinfoEndpoint);
    });

    it('waits for discovery no longer than networkTimeoutMs', async () => {
      idp.http.hang(idp.discoveryUrl);
      expect((await authErrorOf(client({ networkTimeoutMs: 50 }).metadata())).code).toBe('network_timeout');
    });
  });

  describe('authorizeUrl (OIDC Core §3.2.2.1)', () => {
    it('asks the authorization endpoint for what the request expects, with the extras given', async () => {
      const url = new URL(
        await client().authorizeUrl(EXPECTED, {
          prompt: 'login',
          idTokenHint: 'id-0',
          extraParams: { ui_locales: 'de' },
        }),
      );
      expect(url.origin + url.pathname).toBe(idp.authorizationEndpoint);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        client_id: idp.clientId,
        redirect_uri: 'https://app.example/',
        response_type: 'id_token token',
        scope: 'openid profile',
        state: 's1',
        nonce: 'n1',
        audience: 'https://api.example',
        max_age: '300',
        prompt: 'login',
        id_token_hint: 'id-0',
        ui_locales: 'de',
      });
    });

    it('sends the configured redirect URI, or the one given (the silent callback)', async () => {
      const provider = client({ redirectUri: 'https://app.example/callback' });
      const configured = new URL(await provider.authorizeUrl(EXPECTED, {}));
      expect(configured.searchParams.get('redirect_uri')).toBe('https://app.example/callback');
      const silent = new URL(await provider.authorizeUrl(EXPECTED, {}, 'https://app.example/silent-callback.html'));
      expect(silent.searchParams.get('redirect_uri')).toBe('https://app.example/silent-callback.html');
    });
  });

  describe('logoutUrl (RP-Initiated Logout §2)', () => {
    it("'oidc': the end_session_endpoint with id_token_hint, client_id, post_logout_redirect_uri and state", async () => {
      const url = new URL((await client().logoutUrl('id-0', 'https://app.example/bye', 'ls1', { ui_locales: 'de' }))!);
      expect(url.origin + url.pathname).toBe(idp.endSessionEndpoint);
      expect(Object.fromEntries(url.searchParams)).toEqual({
        id_token_hint: 'id-0',
        client_id: idp.clientId,
        post_logout_redirect_uri: 'https://app.example/bye',
        state: 'ls1',
        ui_locales: 'de',
      });
    });

    it("'oidc' without an end_session_endpoint: nowhere to go", async () => {
      delete idp.metadata['end_session_endpoint'];
      expect(await client().logoutUrl('id-0', 'https://app.example/')).toBeNull();
    });

    it("'auth0': the issuer's /v2/logout, without asking discovery", async () => {
      const url = new URL((await client({ logout: { style: 'auth0' } }).logoutUrl('id-0', 'https://app.example/'))!);
      expect(url.href).toBe(
        `${idp.issuer}/v2/logout?client_id=${idp.clientId}&returnTo=${encodeURIComponent('https://app.example/')}`,
      );
      expect(idp.http.count(idp.discoveryUrl)).toBe(0);
    });

    it("'local': the provider session is left alone", async () => {
      expect(await client({ logout: { style: 'local' } }).logoutUrl('id-0', 'https://app.example/')).toBeNull();
      expect(idp.http.count(idp.discoveryUrl)).toBe(0);
    });
  });

  describe('validate', () => {
    // Without max_age: the test provider's tokens carry no auth_time.
    const ASKED: Expectation = { ...EXPECTED, maxAgeSeconds: undefined };
    const response = async () =>
      parseAuthorizationResponse(await idp.authorizationResponse({ state: 's1', nonce: 'n1', accessToken: 'at-1' }));

    it('validates against the provider, fetching its key set once for the page', async () => {
      const provider = client();
      const first = await provider.validate(await response(), ASKED, DEVICE_CLOCK);
      expect(first.tokens.accessToken).toBe('at-1');
      expect(first.claims?.sub).toBe('user-1');
      await provider.validate(await response(), ASKED, DEVICE_CLOCK);
      expect(idp.http.count(idp.jwksUri)).toBe(1);
    });

    it('judges with the provider clock it is given', async () => {
      const ahead = parseAuthorizationResponse(
        await idp.authorizationResponse({
          state: 's1',
          nonce: 'n1',
          claims: { iat: idp.clock.nowSeconds() + 600, exp: idp.clock.nowSeconds() + 4200 },
        }),
      );
      const provider = client();
      expect((await authErrorOf(provider.validate(ahead, ASKED, DEVICE_CLOCK))).code).toBe('clock_skew');
      const learned = await provider.validate(ahead, ASKED, { offsetMs: 0, basis: 'learn' });
      expect(learned.clockOffsetMs).toBe(-600_000);
    });

    it('with UserInfo on, fetches it with the access token', async () => {
      idp.userinfo = { sub: 'user-1', locale: 'de' };
      const result = await client({ loadUserInfo: true }).validate(await response(), ASKED, DEVICE_CLOCK);
      expect(result.claims?.['locale']).toBe('de');
      expect(idp.http.requests.find((r) => r.url === idp.userinfoEndpoint)?.headers.get('Authorization')).toBe(
        'Bearer at-1',
      );
    });

    it('refuses an ID token when the provider publishes no jwks_uri (discovery_failed)', async () => {
      delete idp.metadata['jwks_uri'];
      const error = await authErrorOf(client().validate(await response(), ASKED, DEVICE_CLOCK));
      expect(error.code).toBe('discovery_failed');
      expect(error.message).toBe('The provider publishes no jwks_uri');
    });

    it('waits for the key set no longer than networkTimeoutMs', async () => {
      idp.http.hang(idp.jwksUri);
      const error = await authErrorOf(client({ networkTimeoutMs: 50 }).validate(await response(), ASKED, DEVICE_CLOCK));
      expect(error.code).toBe('network_timeout');
    });
  });
});
