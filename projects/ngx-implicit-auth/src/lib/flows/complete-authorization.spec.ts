import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import { parseAuthorizationResponse } from '../protocol/authorization-response';
import type { ProviderMetadata } from '../protocol/discovery';
import { createJwksKeyResolver } from '../protocol/jwks';
import { authErrorOf, createTestIssuer, resolveSpecConfig, type SpecConfig, type TestIssuer } from '../testing';
import { completeAuthorization, type ProviderContext, validateAgainstProvider } from './complete-authorization';
import { ProviderClient } from './provider-client';
import type { Expectation } from './provider-port';

/*
 * The one completion path, against the in-memory provider: real ID tokens signed with jose keys, its JWKS and
 * UserInfo served by a fake fetch, its fake clock.
 */

let idp: TestIssuer;
beforeEach(async () => {
  idp = await createTestIssuer();
});

function config(overrides: SpecConfig = {}): ResolvedImplicitAuthConfig {
  return resolveSpecConfig({ issuer: idp.issuer, clientId: idp.clientId, ...overrides }, 'https://app.example');
}

function expectation(overrides: Partial<Expectation> = {}): Expectation {
  return {
    state: 's1',
    nonce: 'n1',
    responseType: 'id_token token',
    scope: 'openid profile',
    startedAt: idp.clock.now(),
    expiresAt: idp.clock.now() + 600_000,
    ...overrides,
  };
}

/** `loadUserInfo`: as with `withUserInfo()`. */
function context(overrides: SpecConfig = {}, metadata: Partial<ProviderMetadata> = {}) {
  return {
    config: config(overrides),
    userInfo: overrides.loadUserInfo,
    metadata: { ...(idp.metadata as unknown as ProviderMetadata), ...metadata },
    clock: idp.clock,
    fetch: idp.fetch,
    getKey: createJwksKeyResolver(idp.jwksUri, { fetch: idp.fetch, clock: idp.clock }),
  } satisfies ProviderContext;
}

async function response(options: Partial<Parameters<TestIssuer['authorizationResponse']>[0]> = {}) {
  return parseAuthorizationResponse(await idp.authorizationResponse({ state: 's1', nonce: 'n1', ...options }));
}

describe('validateAgainstProvider (OIDC Core §3.2.2.8–11)', () => {
  it('returns the validated tokens, the ID token claims, and how far the device clock is ahead of the provider', async () => {
    const result = await validateAgainstProvider(
      await response({ accessToken: 'at-1', claims: { iat: idp.clock.nowSeconds() - 5 } }),
      expectation(),
      context(),
    );
    expect(result.tokens.accessToken).toBe('at-1');
    expect(result.tokens.expiresAt).toBe(idp.clock.now() + 3_600_000);
    expect(result.tokens.scopes).toEqual(['openid', 'profile']);
    expect(result.claims).toEqual(result.tokens.claims);
    expect(result.claims?.sub).toBe('user-1');
    expect(result.clockOffsetMs).toBe(5000);
  });

  it('without an ID token there are no claims and no clock offset', async () => {
    const result = await validateAgainstProvider(
      await response({ responseType: 'token', accessToken: 'at-1' }),
      expectation({ responseType: 'token', nonce: undefined, scope: 'api' }),
      context({ responseType: 'token' }),
    );
    expect(result).toEqual({
      tokens: expect.objectContaining({ accessToken: 'at-1' }),
      claims: null,
      clockOffsetMs: undefined,
    });
  });

  it("checks the request's nonce and response type", async () => {
    expect(
      (await authErrorOf(validateAgainstProvider(await response(), expectation({ nonce: 'n2' }), context()))).code,
    ).toBe('nonce_mismatch');
    const idOnly = await response({ responseType: 'id_token' });
    expect((await authErrorOf(validateAgainstProvider(idOnly, expectation(), context()))).code).toBe(
      'invalid_response',
    );
  });

  it('refuses an ID token issued before the request when the clocks are established (rule 10)', async () => {
    const early = await response({ claims: { iat: idp.clock.nowSeconds() - 900 } });
    const later = expectation({ startedAt: idp.clock.now() });
    const ctx = { ...context(), providerClock: { offsetMs: 0, basis: 'established' as const } };
    expect((await authErrorOf(validateAgainstProvider(early, later, ctx))).code).toBe('invalid_iat');
  });

  it('judges the ID token with the provider clock it is given (default: the device clock, assumed right)', async () => {
    // Issued "in the future" by ten minutes: only a clock difference explains it.
    const ahead = await response({ claims: { iat: idp.clock.nowSeconds() + 600, exp: idp.clock.nowSeconds() + 4200 } });
    expect((await authErrorOf(validateAgainstProvider(ahead, expectation(), context()))).code).toBe('clock_skew');
    const learning = { ...context(), providerClock: { offsetMs: 0, basis: 'learn' as const } };
    const result = await validateAgainstProvider(ahead, expectation(), learning);
    expect(result.clockOffsetMs).toBe(-600_000);
  });

  it('requires auth_time when max_age was sent', async () => {
    const error = await authErrorOf(
      validateAgainstProvider(await response(), expectation({ maxAgeSeconds: 60 }), context()),
    );
    expect(error.code).toBe('missing_claim');
    const fresh = await response({ claims: { auth_time: idp.clock.nowSeconds() - 10 } });
    await expect(validateAgainstProvider(fresh, expectation({ maxAgeSeconds: 60 }), context())).resolves.toBeDefined();
  });

  it('checks the configured algorithms, trusted audiences and clock skew', async () => {
    expect(
      (await authErrorOf(validateAgainstProvider(await response(), expectation(), context({ algorithms: ['ES256'] }))))
        .code,
    ).toBe('unsupported_algorithm');
    const twoAudiences = await response({ claims: { aud: [idp.clientId, 'https://api.example'], azp: idp.clientId } });
    expect((await authErrorOf(validateAgainstProvider(twoAudiences, expectation(), context()))).code).toBe(
      'invalid_audience',
    );
    const trusted = context({ trustedAudiences: ['https://api.example'] });
    await expect(validateAgainstProvider(twoAudiences, expectation(), trusted)).resolves.toBeDefined();
    const justExpired = await response({
      claims: { iat: idp.clock.nowSeconds() - 3600, exp: idp.clock.nowSeconds() - 30 },
    });
    const anHourAgo = expectation({ startedAt: idp.clock.now() - 3_600_000 });
    await expect(
      validateAgainstProvider(justExpired, anHourAgo, context({ clockSkewSeconds: 60 })),
    ).resolves.toBeDefined();
    expect(
      (await authErrorOf(validateAgainstProvider(justExpired, anHourAgo, context({ clockSkewSeconds: 10 })))).code,
    ).toBe('token_expired');
  });

  it('requires the RFC 9207 iss parameter when the provider advertises it (responses without an ID token)', async () => {
    const tokenOnly = await response({ responseType: 'token' });
    const expected = expectation({ responseType: 'token', nonce: undefined });
    const advertised = context({ responseType: 'token' }, { authorization_response_iss_parameter_supported: true });
    expect((await authErrorOf(validateAgainstProvider(tokenOnly, expected, advertised))).code).toBe(
      'response_issuer_mismatch',
    );
    await expect(
      validateAgainstProvider(tokenOnly, expected, context({ responseType: 'token' })),
    ).resolves.toBeDefined();
  });

  describe('UserInfo (OIDC Core §5.3.2)', () => {
    it('merges UserInfo claims under the ID token claims when loadUserInfo is on', async () => {
      idp.userinfo = { sub: 'user-1', name: 'From UserInfo', locale: 'de' };
      const result = await validateAgainstProvider(await response(), expectation(), context({ loadUserInfo: true }));
      expect(result.claims?.['locale']).toBe('de');
      expect(result.claims?.name).toBe('Ada Lovelace');
      expect(idp.http.count(idp.userinfoEndpoint)).toBe(1);
    });

    it('asks nothing when loadUserInfo is off, the provider has no endpoint, or no access token came', async () => {
      await validateAgainstProvider(await response(), expectation(), context());
      await validateAgainstProvider(
        await response(),
        expectation(),
        context({ loadUserInfo: true }, { userinfo_endpoint: undefined }),
      );
      await validateAgainstProvider(
        await response({ responseType: 'id_token' }),
        expectation({ responseType: 'id_token' }),
        context({ loadUserInfo: true, responseType: 'id_token' }),
      );
      expect(idp.http.count(idp.userinfoEndpoint)).toBe(0);
    });

    it('refuses UserInfo about another user (token substitution)', async () => {
      idp.userinfo = { sub: 'someone-else' };
      const error = await authErrorOf(
        validateAgainstProvider(await response(), expectation(), context({ loadUserInfo: true })),
      );
      expect(error.code).toBe('userinfo_sub_mismatch');
    });

    it('waits for UserInfo no longer than networkTimeoutMs', async () => {
      idp.http.hang(idp.userinfoEndpoint);
      const started = Date.now();
      const error = await authErrorOf(
        validateAgainstProvider(
          await response(),
          expectation(),
          context({ loadUserInfo: true, networkTimeoutMs: 100 }),
        ),
      );
      expect(error.code).toBe('network_timeout');
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
});

describe('completeAuthorization (the one path, RFC 9700 §4.7, RFC 9207 §2.4)', () => {
  function port(overrides: SpecConfig = {}) {
    return new ProviderClient(config(overrides), idp.clock, idp.fetch);
  }
  const pending = () => {
    const requests = new Map([['s1', { ...expectation(), returnUrl: '/back' }]]);
    const take = jest.fn((state: string) => {
      const request = requests.get(state) ?? null;
      requests.delete(state);
      return request;
    });
    return take;
  };

  it('takes the pending request its state names, validates, and returns both', async () => {
    const take = pending();
    const encoded = await idp.authorizationResponse({ state: 's1', nonce: 'n1', accessToken: 'at-1' });
    const { request, validated } = await completeAuthorization(encoded, take, port(), idp.issuer, idp.clock);
    expect(take).toHaveBeenCalledWith('s1');
    expect(request.returnUrl).toBe('/back');
    expect(validated.tokens.accessToken).toBe('at-1');
  });

  it('refuses a replay: the state was used up by the first response', async () => {
    const take = pending();
    const encoded = await idp.authorizationResponse({ state: 's1', nonce: 'n1' });
    await completeAuthorization(encoded, take, port(), idp.issuer, idp.clock);
    expect((await authErrorOf(completeAuthorization(encoded, take, port(), idp.issuer, idp.clock))).code).toBe(
      'state_mismatch',
    );
  });

  it('refuses a response without a state, or whose state names no pending request (login CSRF)', async () => {
    const take = pending();
    const noState = (await idp.authorizationResponse({ state: 's1', nonce: 'n1' })).replace(/&state=s1$/, '');
    const noStateError = await authErrorOf(completeAuthorization(noState, take, port(), idp.issuer, idp.clock));
    expect(noStateError.code).toBe('state_mismatch');
    expect(take).not.toHaveBeenCalled();
    const other = await idp.authorizationResponse({ state: 's2', nonce: 'n1' });
    const error = await authErrorOf(completeAuthorization(other, take, port(), idp.issuer, idp.clock));
    expect(error.code).toBe('state_mismatch');
    expect(error.message).toBe('No pending request matches this response');
  });

  it('refuses the response once the pending request expired (at its expiry instant), before reading its error', async () => {
    const encoded = '#error=access_denied&state=s1';
    const at = (expiresAt: number | undefined) => () => ({ ...expectation({ expiresAt }) });
    const expired = await authErrorOf(
      completeAuthorization(encoded, at(idp.clock.now()), port(), idp.issuer, idp.clock),
    );
    expect(expired.code).toBe('transaction_expired');
    expect(expired.message).toBe('The sign-in took too long; start again');
    const live = await authErrorOf(
      completeAuthorization(encoded, at(idp.clock.now() + 1), port(), idp.issuer, idp.clock),
    );
    expect(live.code).toBe('provider_error');
    // A request with its own timeout (silent renewal) has no expiry.
    const silent = await authErrorOf(completeAuthorization(encoded, at(undefined), port(), idp.issuer, idp.clock));
    expect(silent.code).toBe('provider_error');
  });

  it("reports the provider's error with its description", async () => {
    const encoded = '#error=login_required&error_description=Sign+in&state=s1';
    const error = await authErrorOf(completeAuthorization(encoded, pending(), port(), idp.issuer, idp.clock));
    expect(error).toMatchObject({ code: 'provider_error', error: 'login_required', errorDescription: 'Sign in' });
  });

  it('refuses an error without iss when the provider advertises RFC 9207, and one from another issuer', async () => {
    idp.metadata['authorization_response_iss_parameter_supported'] = true;
    const missing = await authErrorOf(
      completeAuthorization('#error=login_required&state=s1', pending(), port(), idp.issuer, idp.clock),
    );
    expect(missing.code).toBe('response_issuer_mismatch');
    const right = `#error=login_required&iss=${encodeURIComponent(idp.issuer)}&state=s1`;
    expect((await authErrorOf(completeAuthorization(right, pending(), port(), idp.issuer, idp.clock))).code).toBe(
      'provider_error',
    );
    idp.metadata['authorization_response_iss_parameter_supported'] = false;
    const wrong = '#error=login_required&iss=https%3A%2F%2Fevil.example&state=s1';
    expect((await authErrorOf(completeAuthorization(wrong, pending(), port(), idp.issuer, idp.clock))).code).toBe(
      'response_issuer_mismatch',
    );
  });

  it('still reports the error when the provider metadata cannot be had (the error grants nothing)', async () => {
    idp.http.unreachable(idp.discoveryUrl);
    const error = await authErrorOf(
      completeAuthorization('#error=access_denied&state=s1', pending(), port(), idp.issuer, idp.clock),
    );
    expect(error.code).toBe('provider_error');
  });

  it('judges the tokens with the provider clock it is given (default: the device clock, assumed right)', async () => {
    const ahead = () =>
      idp.authorizationResponse({
        state: 's1',
        nonce: 'n1',
        claims: { iat: idp.clock.nowSeconds() + 600, exp: idp.clock.nowSeconds() + 4200 },
      });
    expect(
      (await authErrorOf(completeAuthorization(await ahead(), pending(), port(), idp.issuer, idp.clock))).code,
    ).toBe('clock_skew');
    const learning = { offsetMs: 0, basis: 'learn' as const };
    const { validated } = await completeAuthorization(
      await ahead(),
      pending(),
      port(),
      idp.issuer,
      idp.clock,
      learning,
    );
    expect(validated.clockOffsetMs).toBe(-600_000);
  });

  it('refuses a malformed response before looking for its state', async () => {
    const take = pending();
    const error = await authErrorOf(completeAuthorization('#state=s1&state=s1', take, port(), idp.issuer, idp.clock));
    expect(error.code).toBe('duplicate_parameter');
    expect(take).not.toHaveBeenCalled();
  });
});
