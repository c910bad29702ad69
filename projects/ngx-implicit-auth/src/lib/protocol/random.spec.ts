import { authErrorOf } from '../testing';
import { generateRandomToken } from './random';

describe('generateRandomToken', () => {
  it('returns 256 bits as unpadded base64url by default', () => {
    expect(generateRandomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('accepts 1024 bytes, the upper bound', () => {
    expect(generateRandomToken(1024)).toHaveLength(1366);
  });

  it('returns the requested number of bytes', () => {
    expect(generateRandomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(generateRandomToken(64)).toHaveLength(86);
  });

  it('is fresh every time', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateRandomToken(16)));
    expect(tokens.size).toBe(1000);
  });

  it('uses crypto.getRandomValues', () => {
    const spy = jest.spyOn(crypto, 'getRandomValues');
    generateRandomToken();
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it.each([0, 15, 1025, Number.NaN])('refuses %s bytes (fewer than 128 bits would be guessable)', async (bytes) => {
    expect((await authErrorOf(() => generateRandomToken(bytes))).code).toBe('invalid_config');
  });
});
