import { ImplicitAuthError } from '../errors';
import { authErrorOf } from '../testing';
import { parseAuthorizationResponse, providerError } from './authorization-response';
import { isAuthorizationResponse, MAX_AUTHORIZATION_RESPONSE_LENGTH, stateOfResponse } from './callback-detection';

const MB = 1024 * 1024;
/** A response of exactly `length` characters: `prefix`, then an unknown parameter padding it out. */
const sized = (prefix: string, length: number) => `${prefix}&pad=${'x'.repeat(length - prefix.length - 5)}`;

describe('parseAuthorizationResponse', () => {
  it('parses a fragment as form-urlencoded, with or without the #', () => {
    const encoded = 'access_token=a%2Bb&token_type=Bearer&expires_in=3600&scope=openid+profile%20email&state=s1';
    const expected = {
      accessToken: 'a+b',
      tokenType: 'Bearer',
      expiresIn: '3600',
      scope: 'openid profile email',
      state: 's1',
    };
    expect(parseAuthorizationResponse(`#${encoded}`)).toEqual(expected);
    expect(parseAuthorizationResponse(encoded)).toEqual(expected);
  });

  it('decodes every + as a space, as application/x-www-form-urlencoded says', () => {
    expect(parseAuthorizationResponse('#scope=openid+profile+email&state=a+b+c')).toEqual({
      scope: 'openid profile email',
      state: 'a b c',
    });
  });

  it('strips only a leading #: one inside a value is kept', () => {
    expect(parseAuthorizationResponse('state=a#b')).toEqual({ state: 'a#b' });
  });

  it('keeps the decoding failure as the cause of a malformed response', async () => {
    expect((await authErrorOf(() => parseAuthorizationResponse('state=%'))).cause).toBeInstanceOf(URIError);
  });

  it('maps every response parameter', () => {
    const response = parseAuthorizationResponse(
      '#state=s&error=access_denied&error_description=User+said+no&iss=https%3A%2F%2Fidp.example&id_token=x.y.z',
    );
    expect(response).toEqual({
      state: 's',
      error: 'access_denied',
      errorDescription: 'User said no',
      iss: 'https://idp.example',
      idToken: 'x.y.z',
    });
  });

  it('ignores unknown parameters, empty pairs and names that are not own fields', () => {
    expect(parseAuthorizationResponse('#&session_state=x&&state=s&__proto__=p&constructor=c&toString=t&')).toEqual({
      state: 's',
    });
  });

  it.each(['state=a&state=b', 'access_token=a&access_token=a', 'id_token=x&state=s&id_token=y', 'foo=1&foo=2'])(
    'refuses a parameter present twice: %s',
    async (encoded) => {
      expect((await authErrorOf(() => parseAuthorizationResponse(encoded))).code).toBe('duplicate_parameter');
    },
  );

  it.each(['state=%', 'state=%zz', 'state=%C3%28', 'access_token=%E0%A4%A'])(
    'refuses malformed encoding: %s',
    async (encoded) => {
      expect((await authErrorOf(() => parseAuthorizationResponse(encoded))).code).toBe('invalid_response');
    },
  );
});

describe('the 64 KiB cap on a response', () => {
  it('is 64 KiB', () => {
    expect(MAX_AUTHORIZATION_RESPONSE_LENGTH).toBe(65_536);
  });

  it('parses a response of exactly the cap and refuses one character more with invalid_response', async () => {
    const atCap = sized('#access_token=at&state=s', MAX_AUTHORIZATION_RESPONSE_LENGTH);
    expect(atCap).toHaveLength(MAX_AUTHORIZATION_RESPONSE_LENGTH);
    expect(parseAuthorizationResponse(atCap)).toEqual({ accessToken: 'at', state: 's' });
    const error = await authErrorOf(() => parseAuthorizationResponse(`${atCap}x`));
    expect(error).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('too large') });
  });

  it('refuses an oversized response before reading any of it: not a duplicate, not bad encoding, no decoding', async () => {
    const decode = jest.spyOn(globalThis, 'decodeURIComponent');
    try {
      const hostile = sized('#state=a&state=b&access_token=%E0%A4%A', MB);
      expect((await authErrorOf(() => parseAuthorizationResponse(hostile))).code).toBe('invalid_response');
      expect(decode).not.toHaveBeenCalled();
    } finally {
      decode.mockRestore();
    }
  });

  it('isAuthorizationResponse reads no further than the cap of a 1 MB fragment', () => {
    // Named in the first 64 KiB: a response (which parseAuthorizationResponse then refuses).
    expect(isAuthorizationResponse(sized('#state=s&access_token=at', MB))).toBe(true);
    // Named only beyond the first 64 KiB: never seen, so not a response.
    const late = `#pad=${'x'.repeat(MAX_AUTHORIZATION_RESPONSE_LENGTH)}&state=s&access_token=at`;
    expect(isAuthorizationResponse(late)).toBe(false);
    expect(isAuthorizationResponse(late.slice(0, MAX_AUTHORIZATION_RESPONSE_LENGTH))).toBe(false);
  });

  it('stateOfResponse gives the one state, and nothing for none, several or an oversized response', () => {
    expect(stateOfResponse('#access_token=a&state=s1')).toBe('s1');
    expect(stateOfResponse('?error=login_required&state=s1')).toBe('s1');
    expect(stateOfResponse('#access_token=a')).toBeUndefined();
    expect(stateOfResponse('#state=s1&state=s2')).toBeUndefined();
    expect(stateOfResponse(sized('#state=s1', MAX_AUTHORIZATION_RESPONSE_LENGTH))).toBe('s1');
    expect(stateOfResponse(sized('#state=s1', MAX_AUTHORIZATION_RESPONSE_LENGTH + 1))).toBeUndefined();
  });
});

describe('isAuthorizationResponse', () => {
  it.each(['#state=s', '#error=login_required&state=s', '#access_token=a', 'id_token=x'])('is true for %s', (f) => {
    expect(isAuthorizationResponse(f)).toBe(true);
  });

  it.each(['', '#', '#/profile', '#section-2', '#statement=1', '#%'])('is false for %j', (f) => {
    expect(isAuthorizationResponse(f)).toBe(false);
  });
});

describe('callback detection strips only the leading # or ?', () => {
  it('keeps a ? or # inside the state', () => {
    expect(stateOfResponse('#state=a?b')).toBe('a?b');
    expect(stateOfResponse('?state=a#b')).toBe('a#b');
  });

  it('does not find state behind a # that is not the first character', () => {
    expect(isAuthorizationResponse('x=1#state=s')).toBe(false);
  });
});

describe('providerError', () => {
  it('carries the provider error and description', () => {
    const error = providerError({ state: 's', error: 'access_denied', errorDescription: 'User said no' });
    expect(error).toBeInstanceOf(ImplicitAuthError);
    expect(error).toMatchObject({ code: 'provider_error', error: 'access_denied', errorDescription: 'User said no' });
  });

  it("puts the provider's description in the message, where a developer reads it first", () => {
    expect(providerError({ state: 's', error: 'invalid_target', errorDescription: 'unknown API' }).message).toBe(
      'provider error: invalid_target: unknown API',
    );
    expect(providerError({ state: 's', error: 'access_denied' }).message).toBe('provider error: access_denied');
  });

  describe('RFC 9207 §2.4 on error responses: a mixed-up provider must not inject an error', () => {
    const issuer = 'https://idp.example';
    const denied = { state: 's', error: 'login_required' };

    it('refuses an error whose iss is not the issuer, exactly', () => {
      for (const iss of ['https://evil.example', `${issuer}/`, '']) {
        expect(providerError({ ...denied, iss }, issuer).code).toBe('response_issuer_mismatch');
        expect(providerError({ ...denied, iss }, issuer, true).code).toBe('response_issuer_mismatch');
      }
    });

    it('reports an error whose iss is the issuer, whether or not iss is required', () => {
      expect(providerError({ ...denied, iss: issuer }, issuer)).toMatchObject({
        code: 'provider_error',
        error: 'login_required',
      });
      expect(providerError({ ...denied, iss: issuer }, issuer, true)).toMatchObject({ code: 'provider_error' });
    });

    it('requires iss on an error only when the provider advertises it', () => {
      expect(providerError(denied, issuer, true).code).toBe('response_issuer_mismatch');
      expect(providerError(denied, issuer, false)).toMatchObject({ code: 'provider_error', error: 'login_required' });
      expect(providerError(denied, issuer)).toMatchObject({ code: 'provider_error', error: 'login_required' });
    });

    it('compares nothing when no issuer is given', () => {
      expect(providerError({ ...denied, iss: 'https://evil.example' }).code).toBe('provider_error');
    });
  });
});
