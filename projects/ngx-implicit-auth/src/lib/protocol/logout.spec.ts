import { authErrorOf } from '../testing';
import { buildLogoutUrl } from './logout';

describe('buildLogoutUrl', () => {
  const common = {
    issuer: 'https://tenant.auth0.example/',
    clientId: 'spa-client',
    postLogoutRedirectUri: 'https://app.example/signed-out?x=1',
  };

  it('builds an RP-Initiated Logout URL', () => {
    const url = buildLogoutUrl({
      ...common,
      style: 'oidc',
      endSessionEndpoint: 'https://idp.example/session/end',
      idTokenHint: 'h.p.s',
      state: 'st',
    });
    expect(url).toBe(
      'https://idp.example/session/end?id_token_hint=h.p.s&client_id=spa-client' +
        '&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fsigned-out%3Fx%3D1&state=st',
    );
  });

  it('leaves out id_token_hint and state when not given, and keeps the endpoint query', () => {
    const url = buildLogoutUrl({ ...common, style: 'oidc', endSessionEndpoint: 'https://idp.example/logout?p=1' });
    expect(url).toBe(
      'https://idp.example/logout?p=1&client_id=spa-client' +
        '&post_logout_redirect_uri=https%3A%2F%2Fapp.example%2Fsigned-out%3Fx%3D1',
    );
  });

  it("builds Auth0's /v2/logout URL from the issuer", () => {
    const url = buildLogoutUrl({ ...common, style: 'auth0', idTokenHint: 'h.p.s', state: 'ignored' });
    expect(url).toBe(
      'https://tenant.auth0.example/v2/logout?client_id=spa-client' +
        '&returnTo=https%3A%2F%2Fapp.example%2Fsigned-out%3Fx%3D1',
    );
    expect(buildLogoutUrl({ ...common, style: 'auth0', issuer: 'https://login.example' })).toMatch(
      /^https:\/\/login\.example\/v2\/logout\?/,
    );
  });

  it.each([undefined, '', 'javascript:alert(1)', 'http://idp.example/logout'])(
    'refuses the end_session_endpoint %j',
    async (endSessionEndpoint) => {
      const error = await authErrorOf(() => buildLogoutUrl({ ...common, style: 'oidc', endSessionEndpoint }));
      expect(error.code).toBe('invalid_config');
    },
  );
});
