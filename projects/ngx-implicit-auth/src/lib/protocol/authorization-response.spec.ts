import { ImplicitAuthError } from '../errors';
import { authErrorOf } from '../testing';
import { isAuthorizationResponse, parseAuthorizationResponse, providerError } from './authorization-response';

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

describe('isAuthorizationResponse', () => {
  it.each(['#state=s', '#error=login_required&state=s', '#access_token=a', 'id_token=x'])('is true for %s', (f) => {
    expect(isAuthorizationResponse(f)).toBe(true);
  });

  it.each(['', '#', '#/profile', '#section-2', '#statement=1', '#%'])('is false for %j', (f) => {
    expect(isAuthorizationResponse(f)).toBe(false);
  });
});

describe('providerError', () => {
  it('carries the provider error and description', () => {
    const error = providerError({ state: 's', error: 'access_denied', errorDescription: 'User said no' });
    expect(error).toBeInstanceOf(ImplicitAuthError);
    expect(error).toMatchObject({ code: 'provider_error', error: 'access_denied', errorDescription: 'User said no' });
  });
});
