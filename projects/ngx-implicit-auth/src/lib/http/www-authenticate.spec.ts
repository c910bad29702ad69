import { isInvalidTokenChallenge, MAX_WWW_AUTHENTICATE_LENGTH } from './www-authenticate';

/** The check the interceptor used before: kept here only to show the parser agrees with it on real headers. */
const previousCheck = (header: string) => /\bBearer\b.*\berror\s*=\s*"?invalid_token\b/is.test(header);

describe('isInvalidTokenChallenge', () => {
  const invalidToken: string[] = [
    'Bearer error="invalid_token"',
    'Bearer realm="example", error="invalid_token", error_description="The access token expired"',
    'Bearer error=invalid_token',
    'bearer ERROR="INVALID_TOKEN"',
    'Bearer error = "invalid_token"',
    'Bearer realm="a, b, c", error="invalid_token"',
    'Bearer realm="say \\"hi\\"", error="invalid_token"',
    'Bearer resource_metadata="https://api.example/.well-known/oauth-protected-resource", error="invalid_token"',
    // Azure AD / Microsoft Entra
    'Bearer authorization_uri="https://login.microsoftonline.com/tenant/oauth2/authorize", error="invalid_token", error_description="The access token is missing or invalid."',
    // Several challenges in one field, Bearer after another one, and a token68 before it.
    'Basic realm="api", Bearer error="invalid_token"',
    'Negotiate abc/def==, Bearer error="invalid_token"',
    'Bearer realm="api", error="invalid_token", Basic realm="api"',
    'Bearer,error="invalid_token"',
  ];
  const notInvalidToken: string[] = [
    '',
    'Bearer',
    'Bearer realm="example"',
    'Bearer error="insufficient_scope", scope="read:messages"',
    'Bearer error="invalid_request"',
    'Basic realm="api"',
    'DPoP algs="ES256", error="invalid_token"',
    'Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"',
    'Bearer error="invalid_token_format"',
  ];

  it.each(invalidToken)('is true for %s, as before', (header) => {
    expect(isInvalidTokenChallenge(header)).toBe(true);
    expect(previousCheck(header)).toBe(true);
  });

  it.each(notInvalidToken)('is false for %j, as before', (header) => {
    expect(isInvalidTokenChallenge(header)).toBe(false);
    expect(previousCheck(header)).toBe(false);
  });

  it.each([
    ['error inside a quoted value', 'Bearer error_description="not error=invalid_token"'],
    ['Bearer inside a quoted value', 'Basic realm="Bearer", error="invalid_token"'],
    ["another scheme's error after a Bearer challenge", 'Bearer realm="api", Basic error="invalid_token"'],
  ])('reads the structure, not the text: false for %s', (_case, header) => {
    expect(isInvalidTokenChallenge(header)).toBe(false);
  });

  it.each([
    ['a parameter before any scheme', 'error="invalid_token"', false],
    ['another parameter carrying the value', 'Bearer realm="invalid_token"', false],
    ['a tab between scheme and parameter', 'Bearer\terror="invalid_token"', true],
    ['tabs around the equals sign', 'Bearer error\t=\t"invalid_token"', true],
    ['a value cut after a backslash', 'Bearer error="invalid_token\\', true],
  ])('reads %s', (_case, header, expected) => {
    expect(isInvalidTokenChallenge(header)).toBe(expected);
  });

  it('refuses to read a value over the 8 KiB cap, even a valid challenge (a 1 MB header is not parsed)', () => {
    expect(MAX_WWW_AUTHENTICATE_LENGTH).toBe(8192);
    const challenge = 'Bearer error="invalid_token", realm="';
    const atCap = `${challenge}${'x'.repeat(MAX_WWW_AUTHENTICATE_LENGTH - challenge.length - 1)}"`;
    expect(atCap).toHaveLength(MAX_WWW_AUTHENTICATE_LENGTH);
    expect(isInvalidTokenChallenge(atCap)).toBe(true);
    expect(isInvalidTokenChallenge(`${atCap} `)).toBe(false);
    expect(isInvalidTokenChallenge(`${challenge}${'x'.repeat(1024 * 1024)}"`)).toBe(false);
  });

  it('answers the inputs that made the previous check backtrack, up to the cap', () => {
    // The previous pattern's `.*` and `\s*` retried every split of these; the parser reads each character once.
    const repeated = `Bearer${' error='.repeat(1000)}`;
    const unterminated = `Bearer realm="${'\\"'.repeat(4000)}`;
    for (const header of [repeated, unterminated, `${repeated}, error=invalid_token`]) {
      expect(header.length).toBeLessThanOrEqual(MAX_WWW_AUTHENTICATE_LENGTH);
    }
    expect(isInvalidTokenChallenge(repeated)).toBe(false);
    expect(isInvalidTokenChallenge(unterminated)).toBe(false);
    expect(isInvalidTokenChallenge(`${repeated}, error=invalid_token`)).toBe(true);
  });
});
