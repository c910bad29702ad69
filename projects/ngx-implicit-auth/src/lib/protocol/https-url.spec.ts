import { authErrorOf } from '../testing';
import { parseHttpsUrl } from './https-url';

describe('parseHttpsUrl', () => {
  it.each(['https://idp.example/authorize?x=1', 'http://localhost:8080/a', 'http://127.0.0.1/a', 'http://[::1]/a'])(
    'accepts %s',
    (value) => {
      expect(parseHttpsUrl(value, 'discovery_failed', 'endpoint').href).toBe(new URL(value).href);
    },
  );

  it.each([
    'http://idp.example/',
    'javascript:alert(1)',
    'data:text/html,x',
    'ftp://idp.example/',
    '/relative',
    'https://user:pass@idp.example/',
    'https://idp.example/#frag',
    undefined,
    42,
  ])('refuses %j, with the given code and name', async (value) => {
    const error = await authErrorOf(() => parseHttpsUrl(value, 'discovery_failed', 'jwks_uri'));
    expect(error.code).toBe('discovery_failed');
    expect(error.message).toContain('jwks_uri');
  });
});
