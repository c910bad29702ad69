import { authErrorOf } from '../testing';
import { buildAuthorizationUrl, type AuthorizationRequest } from './authorization-request';
import { needsNonce } from './response-type';
import { RESERVED_AUTHORIZE_PARAMETERS } from './reserved-parameters';

describe('buildAuthorizationUrl', () => {
  const request: AuthorizationRequest = {
    authorizationEndpoint: 'https://idp.example/authorize',
    clientId: 'spa client',
    redirectUri: 'https://app.example/callback?from=login&x=a b',
    responseType: 'id_token token',
    scope: 'openid profile email',
    state: 'state-1',
    nonce: 'nonce-1',
  };
  const paramsOf = (url: string) => Object.fromEntries(new URL(url).searchParams);

  it('sends every parameter, form-urlencoded', () => {
    const url = buildAuthorizationUrl({ ...request, audience: 'https://api.example/', prompt: 'login' });
    expect(url).toBe(
      'https://idp.example/authorize?response_type=id_token+token&client_id=spa+client' +
        '&redirect_uri=https%3A%2F%2Fapp.example%2Fcallback%3Ffrom%3Dlogin%26x%3Da+b&scope=openid+profile+email' +
        '&state=state-1&nonce=nonce-1&audience=https%3A%2F%2Fapi.example%2F&prompt=login',
    );
    expect(paramsOf(url)).toEqual({
      response_type: 'id_token token',
      client_id: 'spa client',
      redirect_uri: request.redirectUri,
      scope: 'openid profile email',
      state: 'state-1',
      nonce: 'nonce-1',
      audience: 'https://api.example/',
      prompt: 'login',
    });
  });

  it('leaves out optional parameters that are not set, and adds response_mode and id_token_hint when set', () => {
    expect(Object.keys(paramsOf(buildAuthorizationUrl(request)))).toEqual([
      'response_type',
      'client_id',
      'redirect_uri',
      'scope',
      'state',
      'nonce',
    ]);
    const url = buildAuthorizationUrl({
      ...request,
      responseMode: 'web_message',
      idTokenHint: 'a.b.c',
      prompt: 'none',
    });
    expect(paramsOf(url)).toMatchObject({ response_mode: 'web_message', id_token_hint: 'a.b.c', prompt: 'none' });
  });

  it('keeps a query already on the endpoint', () => {
    const url = buildAuthorizationUrl({
      ...request,
      authorizationEndpoint: 'https://idp.example/authorize?tenant=acme',
    });
    expect(url.startsWith('https://idp.example/authorize?tenant=acme&response_type=')).toBe(true);
  });

  it('does not let the endpoint query pre-set a reserved parameter', () => {
    const url = buildAuthorizationUrl({
      ...request,
      responseType: 'token',
      scope: 'read:messages',
      nonce: undefined,
      authorizationEndpoint: 'https://idp.example/authorize?response_mode=form_post&nonce=fixed&state=fixed',
    });
    expect(paramsOf(url)).not.toHaveProperty('response_mode');
    expect(paramsOf(url)).not.toHaveProperty('nonce');
    expect(paramsOf(url)['state']).toBe('state-1');
  });

  it('adds extra parameters, encoded', () => {
    const url = buildAuthorizationUrl({
      ...request,
      extraParams: { login_hint: 'ada+test@example.com', ui_locales: 'fr en' },
    });
    expect(paramsOf(url)).toMatchObject({ login_hint: 'ada+test@example.com', ui_locales: 'fr en' });
  });

  it('reserves every parameter the library sets or checks, request objects and max_age included', () => {
    expect([...RESERVED_AUTHORIZE_PARAMETERS].sort()).toEqual(
      [
        'response_type',
        'client_id',
        'redirect_uri',
        'response_mode',
        'scope',
        'state',
        'nonce',
        'audience',
        'request',
        'request_uri',
        'prompt',
        'id_token_hint',
        'max_age',
      ].sort(),
    );
  });

  it.each(RESERVED_AUTHORIZE_PARAMETERS)('refuses an extra parameter naming %s', async (name) => {
    const error = await authErrorOf(() => buildAuthorizationUrl({ ...request, extraParams: { [name]: 'evil' } }));
    expect(error.code).toBe('invalid_config');
  });

  it('refuses a reserved extra even when the request leaves that parameter unset (silent restore: no hint)', async () => {
    const extras: Record<string, string>[] = [
      { id_token_hint: 'someone.else.token' },
      { audience: 'https://x.example/' },
    ];
    for (const extraParams of extras) {
      const error = await authErrorOf(() => buildAuthorizationUrl({ ...request, extraParams }));
      expect(error.code).toBe('invalid_config');
    }
  });

  it('drops every reserved parameter from the endpoint query, keeping the rest', () => {
    const query = RESERVED_AUTHORIZE_PARAMETERS.map((name) => `${name}=evil`).join('&');
    const url = buildAuthorizationUrl({
      ...request,
      authorizationEndpoint: `https://idp.example/authorize?tenant=acme&${query}`,
    });
    const params = new URL(url).searchParams;
    expect(params.get('tenant')).toBe('acme');
    for (const name of RESERVED_AUTHORIZE_PARAMETERS) expect(params.getAll(name)).not.toContain('evil');
    expect(params.has('request_uri')).toBe(false);
    expect(params.has('prompt')).toBe(false);
  });

  it('sends max_age in whole seconds, 0 included', () => {
    expect(paramsOf(buildAuthorizationUrl({ ...request, maxAge: 300 }))['max_age']).toBe('300');
    expect(paramsOf(buildAuthorizationUrl({ ...request, maxAge: 0 }))['max_age']).toBe('0');
  });

  it.each([-1, 1.5, Number.NaN, Infinity])('refuses max_age %s', async (maxAge) => {
    expect((await authErrorOf(() => buildAuthorizationUrl({ ...request, maxAge }))).code).toBe('invalid_config');
  });

  it('refuses max_age without an ID token: nothing could check auth_time', async () => {
    const tokenOnly = { ...request, responseType: 'token' as const, nonce: undefined, maxAge: 300 };
    expect((await authErrorOf(() => buildAuthorizationUrl(tokenOnly))).code).toBe('invalid_config');
  });

  it('refuses max_age with response type token even when a nonce is sent (OIDC Core §3.1.2.1)', async () => {
    const tokenOnly = { ...request, responseType: 'token' as const, maxAge: 300 };
    expect((await authErrorOf(() => buildAuthorizationUrl(tokenOnly))).code).toBe('invalid_config');
  });

  it('requires a nonce with an ID token, and a state always', async () => {
    expect((await authErrorOf(() => buildAuthorizationUrl({ ...request, nonce: undefined }))).code).toBe(
      'invalid_config',
    );
    const idTokenOnly = { ...request, responseType: 'id_token' as const, nonce: '' };
    expect((await authErrorOf(() => buildAuthorizationUrl(idTokenOnly))).code).toBe('invalid_config');
    expect((await authErrorOf(() => buildAuthorizationUrl({ ...request, state: '' }))).code).toBe('invalid_config');
    const tokenOnly = buildAuthorizationUrl({ ...request, responseType: 'token', scope: 'read', nonce: undefined });
    expect(paramsOf(tokenOnly)).not.toHaveProperty('nonce');
  });

  describe("response type 'token'", () => {
    const token = { ...request, responseType: 'token' as const, nonce: undefined };

    it('needs a nonce only when the scope makes it an OpenID request', () => {
      expect(needsNonce('token', 'read:messages')).toBe(false);
      expect(needsNonce('token', '')).toBe(false);
      expect(needsNonce('token', 'openid read:messages')).toBe(true);
      expect(needsNonce('id_token', 'openid')).toBe(true);
      expect(needsNonce('id_token token', 'openid profile')).toBe(true);
    });

    it('requires and sends a nonce with openid in the scope', async () => {
      expect((await authErrorOf(() => buildAuthorizationUrl({ ...token, scope: 'openid' }))).code).toBe(
        'invalid_config',
      );
      const url = buildAuthorizationUrl({ ...token, scope: 'openid read', nonce: 'nonce-1' });
      expect(paramsOf(url)).toMatchObject({ scope: 'openid read', nonce: 'nonce-1' });
    });

    it('leaves scope out when there is none, for the provider default', () => {
      expect(Object.keys(paramsOf(buildAuthorizationUrl({ ...token, scope: '' })))).toEqual([
        'response_type',
        'client_id',
        'redirect_uri',
        'state',
      ]);
    });
  });

  it.each([
    'http://idp.example/authorize',
    'javascript:alert(1)//',
    'data:text/html,hi',
    '/authorize',
    'https://idp.example/authorize#frag',
  ])('refuses the endpoint %s', async (authorizationEndpoint) => {
    const error = await authErrorOf(() => buildAuthorizationUrl({ ...request, authorizationEndpoint }));
    expect(error.code).toBe('invalid_config');
  });

  it('accepts plain http on loopback for development', () => {
    const url = buildAuthorizationUrl({ ...request, authorizationEndpoint: 'http://localhost:3000/auth' });
    expect(url.startsWith('http://localhost:3000/auth?')).toBe(true);
  });
});
