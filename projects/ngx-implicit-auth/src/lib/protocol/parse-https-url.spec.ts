import { authErrorOf } from '../testing';
import { parseHttpsUrl } from './parse-https-url';

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

describe('the https / loopback rule', () => {
  const codeOf = async (value: unknown) =>
    (await authErrorOf(() => parseHttpsUrl(value, 'invalid_config', 'url'))).code;

  it('treats only 127.0.0.0/8 addresses as loopback, not a host name that starts like one', async () => {
    expect(parseHttpsUrl('http://127.0.0.10:4200/a', 'invalid_config', 'url').hostname).toBe('127.0.0.10');
    expect(parseHttpsUrl('http://127.10.200.1/a', 'invalid_config', 'url').hostname).toBe('127.10.200.1');
    expect(await codeOf('http://127.0.0.1.evil.example/a')).toBe('invalid_config');
  });

  it('allows plain http only, on loopback: no other scheme', async () => {
    for (const value of ['ftp://localhost/a', 'ws://localhost/a', 'file://localhost/a']) {
      expect(await codeOf(value)).toBe('invalid_config');
    }
  });

  it('refuses a value that is not a string, even a URL object', async () => {
    expect(await codeOf(new URL('https://idp.example/a'))).toBe('invalid_config');
  });
});

describe('parseHttpsUrl on a value that is not a URL', () => {
  it('keeps the parse failure as the cause', async () => {
    const error = await authErrorOf(() => parseHttpsUrl('not a url', 'invalid_config', 'url'));
    // By name: jsdom's URL throws a TypeError of another realm.
    expect(error.cause).toMatchObject({ name: 'TypeError' });
  });
});
