import { reportInDevMode } from './dev-hints';
import { ImplicitAuthError } from './errors';

describe('reportInDevMode', () => {
  afterEach(() => jest.restoreAllMocks());

  it("logs one line with the code, the provider's error and description, and what to check", () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const error = new ImplicitAuthError('provider_error', 'provider error: invalid_target: unknown audience', {
      error: 'invalid_target',
      errorDescription: 'unknown audience',
    });
    reportInDevMode(error);
    expect(warn).toHaveBeenCalledTimes(1);
    const line = String(warn.mock.calls[0][0]);
    expect(line).toContain('provider_error');
    expect(line).toContain('invalid_target — unknown audience');
    expect(line).toContain("Check the provider's error_description");
  });

  it("does not send a signed-out user's developer to the config: login_required & co. need the user", () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const code of ['login_required', 'interaction_required', 'consent_required', 'account_selection_required']) {
      reportInDevMode(new ImplicitAuthError('provider_error', `provider error: ${code}`, { error: code }));
    }
    for (const [line] of warn.mock.calls) {
      expect(String(line)).toContain('Nothing to fix in the config: the provider needs the user');
      expect(String(line)).not.toContain('redirect URI');
    }
    expect(warn).toHaveBeenCalledTimes(4);
  });

  it('says what to check for a library code too, without a provider part', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    reportInDevMode(new ImplicitAuthError('invalid_audience', 'ID token: wrong aud'));
    expect(String(warn.mock.calls[0][0])).toBe(
      'ngx-implicit-auth: invalid_audience: ID token: wrong aud. Check clientId (and trustedAudiences if the ID token names other audiences).',
    );
  });

  it('leaves out the parts it has nothing for: no description, no hint for the code', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    reportInDevMode(new ImplicitAuthError('renewal_disabled', 'Silent renewal is turned off', { error: 'x' }));
    expect(warn).toHaveBeenCalledWith(
      'ngx-implicit-auth: renewal_disabled (provider: x): Silent renewal is turned off.',
    );
  });

  it('is silent in production', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const global = globalThis as { ngDevMode?: unknown };
    const devMode = global.ngDevMode;
    global.ngDevMode = false;
    try {
      reportInDevMode(new ImplicitAuthError('invalid_audience', 'ID token: wrong aud'));
    } finally {
      global.ngDevMode = devMode;
    }
    expect(warn).not.toHaveBeenCalled();
  });
});
