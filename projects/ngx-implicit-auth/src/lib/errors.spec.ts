import { ImplicitAuthError, isImplicitAuthError, isInteractionRequired } from './errors';

describe('isInteractionRequired', () => {
  const provider = (error: string) => new ImplicitAuthError('provider_error', 'x', { error });

  it.each(['login_required', 'interaction_required', 'consent_required', 'account_selection_required'])(
    "is true for the provider's %s (OIDC Core §3.1.2.6)",
    (error) => {
      expect(isInteractionRequired(provider(error))).toBe(true);
    },
  );

  it('is true for third_party_cookies_blocked: no silent request can work, a top-level sign-in can', () => {
    const blocked = new ImplicitAuthError('third_party_cookies_blocked', 'x', {
      error: 'login_required',
      cause: provider('login_required'),
    });
    expect(isInteractionRequired(blocked)).toBe(true);
    // Also without the provider's error it carries.
    expect(isInteractionRequired(new ImplicitAuthError('third_party_cookies_blocked', 'x'))).toBe(true);
  });

  it.each([
    ['access_denied', provider('access_denied')],
    ['a renewal timeout', new ImplicitAuthError('timeout', 'x')],
    ['a refused response', new ImplicitAuthError('nonce_mismatch', 'x')],
    [
      'a library error code that merely carries login_required',
      new ImplicitAuthError('renewal_disabled', 'x', { error: 'login_required' }),
    ],
    ['a plain Error', new Error('login_required')],
    ['a string', 'login_required'],
  ])('is false for %s', (_name, value) => {
    expect(isInteractionRequired(value)).toBe(false);
  });
});

describe('ImplicitAuthError', () => {
  it("carries its code, message, the provider's error and description, the clock offset and the cause", () => {
    const cause = new Error('jose');
    const error = new ImplicitAuthError('clock_skew', 'ID token: clocks differ', {
      error: 'invalid_request',
      errorDescription: 'why',
      clockOffsetSeconds: -720,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ImplicitAuthError');
    expect(error.code).toBe('clock_skew');
    expect(error.message).toBe('ID token: clocks differ');
    expect(error.error).toBe('invalid_request');
    expect(error.errorDescription).toBe('why');
    expect(error.clockOffsetSeconds).toBe(-720);
    expect(error.cause).toBe(cause);
  });

  it("without a message (production builds drop the texts) names the library, the code and the provider's error", () => {
    expect(new ImplicitAuthError('timeout', '').message).toBe('ngx-implicit-auth: timeout');
    const refused = new ImplicitAuthError('provider_error', '', { error: 'login_required', errorDescription: 'why' });
    expect(refused.message).toBe('ngx-implicit-auth: provider_error (login_required)');
    expect(refused.errorDescription).toBe('why');
  });

  it('has no cause property at all when given none', () => {
    expect('cause' in new ImplicitAuthError('timeout', 'x')).toBe(false);
  });
});

describe('isImplicitAuthError', () => {
  it('recognises the error type, and with a code only that code', () => {
    const error = new ImplicitAuthError('timeout', 'x');
    expect(isImplicitAuthError(error)).toBe(true);
    expect(isImplicitAuthError(error, 'timeout')).toBe(true);
    expect(isImplicitAuthError(error, 'network_timeout')).toBe(false);
    expect(isImplicitAuthError(new Error('timeout'))).toBe(false);
    expect(isImplicitAuthError({ code: 'timeout' }, 'timeout')).toBe(false);
  });
});
