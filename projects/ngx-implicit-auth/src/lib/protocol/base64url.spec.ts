import { authErrorOf } from '../testing';
import { decodeBase64urlJson, encodeBase64url } from './base64url';

describe('encodeBase64url', () => {
  it('encodes without padding, with - and _', () => {
    expect(encodeBase64url(new Uint8Array([251, 255, 191]))).toBe('-_-_');
    expect(encodeBase64url(new Uint8Array([1]))).toBe('AQ');
    expect(encodeBase64url(new Uint8Array())).toBe('');
  });
});

describe('decodeBase64urlJson', () => {
  it('decodes a JSON object, including UTF-8', () => {
    const encoded = Buffer.from(JSON.stringify({ name: 'Zoë', n: 1 })).toString('base64url');
    expect(decodeBase64urlJson(encoded, 'invalid_id_token')).toEqual({ name: 'Zoë', n: 1 });
  });

  it.each([
    ['padding', `${Buffer.from('{}').toString('base64')}=`],
    ['standard base64 characters', Buffer.from('{"a":">>>?"}').toString('base64')],
    ['an impossible length', 'eyJ9e'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]).toString('base64url')],
    ['a JSON array', Buffer.from('[]').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    ['an empty string', ''],
  ])('refuses %s', async (_name, value) => {
    expect((await authErrorOf(() => decodeBase64urlJson(value, 'invalid_id_token'))).code).toBe('invalid_id_token');
  });
});

describe('decodeBase64urlJson, the base64url alphabet (RFC 4648 §5)', () => {
  it('decodes - and _ as the 62nd and 63rd characters', () => {
    expect(decodeBase64urlJson('eyJhIjoiPz8-In0', 'invalid_id_token')).toEqual({ a: '??>' });
    expect(decodeBase64urlJson('eyJhIjoiPz8_In0', 'invalid_id_token')).toEqual({ a: '???' });
  });

  it('keeps the decoding failure as the cause', async () => {
    const error = await authErrorOf(() => decodeBase64urlJson('bm90IGpzb24', 'invalid_id_token'));
    expect(error.code).toBe('invalid_id_token');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });
});
