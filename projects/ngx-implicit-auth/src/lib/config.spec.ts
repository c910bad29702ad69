import { generateKeyPair, SignJWT } from 'jose';
import { resolveConfig } from './config';
import { ImplicitAuthError } from './errors';

describe('resolveConfig', () => {
  const origin = 'https://app.example';

  it('fills in documented defaults', () => {
    const config = resolveConfig({ issuer: 'https://idp.example/', clientId: 'spa' }, origin);
    expect(config.responseType).toBe('id_token token');
    expect(config.scope).toBe('openid profile email');
    expect(config.redirectUri).toBe('https://app.example/');
    expect(config.clockSkewSeconds).toBe(60);
    expect(config.algorithms).toEqual(['RS256']);
    expect(config.storage).toBe('memory');
  });

  it('signs with jose in this environment (smoke)', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    expect(jwt.split('.')).toHaveLength(3);
  });

  it('names the field of a broken config', () => {
    expect(() => resolveConfig({ issuer: 'not a url', clientId: 'spa' }, origin)).toThrow(/config\.issuer/);
    expect(() => resolveConfig({ issuer: 'https://idp.example/', clientId: '' }, origin)).toThrow(ImplicitAuthError);
  });
});
