import { ImplicitAuthError, isInteractionRequired } from '../errors';
import {
  isThirdPartyCookieBlock,
  THIRD_PARTY_COOKIE_WINDOW_MS,
  thirdPartyCookiesBlockedError,
} from './third-party-cookies';

const NOW = Date.UTC(2030, 0, 1, 12);
const MINUTE = 60_000;

const providerError = (error: string) =>
  new ImplicitAuthError('provider_error', `The provider answered ${error}`, {
    error,
    errorDescription: 'End-User authentication is required',
  });

describe('isThirdPartyCookieBlock', () => {
  it('is true for login_required or interaction_required shortly after an interactive sign-in', () => {
    const evidence = { interactiveSignInAt: NOW - 2 * MINUTE, now: NOW };
    expect(isThirdPartyCookieBlock(providerError('login_required'), evidence)).toBe(true);
    expect(isThirdPartyCookieBlock(providerError('interaction_required'), evidence)).toBe(true);
  });

  it('is false once the window has passed: the session may simply have ended', () => {
    const error = providerError('login_required');
    expect(isThirdPartyCookieBlock(error, { interactiveSignInAt: NOW - THIRD_PARTY_COOKIE_WINDOW_MS, now: NOW })).toBe(
      true,
    );
    expect(
      isThirdPartyCookieBlock(error, { interactiveSignInAt: NOW - THIRD_PARTY_COOKIE_WINDOW_MS - 1, now: NOW }),
    ).toBe(false);
    expect(isThirdPartyCookieBlock(error, { interactiveSignInAt: NOW - 2 * MINUTE, now: NOW, windowMs: MINUTE })).toBe(
      false,
    );
  });

  it('is false without an interactive sign-in in this tab (a plain session restore)', () => {
    expect(isThirdPartyCookieBlock(providerError('login_required'), { now: NOW })).toBe(false);
  });

  it('is false for a sign-in time in the future (a clock that jumped back)', () => {
    expect(
      isThirdPartyCookieBlock(providerError('login_required'), { interactiveSignInAt: NOW + MINUTE, now: NOW }),
    ).toBe(false);
  });

  it('never reclassifies other failures', () => {
    const evidence = { interactiveSignInAt: NOW - MINUTE, now: NOW };
    expect(isThirdPartyCookieBlock(providerError('consent_required'), evidence)).toBe(false);
    expect(isThirdPartyCookieBlock(providerError('account_selection_required'), evidence)).toBe(false);
    expect(isThirdPartyCookieBlock(new ImplicitAuthError('timeout', 'No answer'), evidence)).toBe(false);
    expect(isThirdPartyCookieBlock(new Error('login_required'), evidence)).toBe(false);
    expect(isThirdPartyCookieBlock(undefined, evidence)).toBe(false);
  });
});

describe('thirdPartyCookiesBlockedError', () => {
  it('is a distinct error code that keeps the provider error and its cause', () => {
    const cause = providerError('login_required');
    const error = thirdPartyCookiesBlockedError(cause);
    expect(error).toBeInstanceOf(ImplicitAuthError);
    expect(error.code).toBe('third_party_cookies_blocked');
    expect(error.error).toBe('login_required');
    expect(error.errorDescription).toBe('End-User authentication is required');
    expect(error.cause).toBe(cause);
    // A code of its own (shown as itself, not as the provider's login_required), and still an interaction error:
    // silent requests cannot work, only a top-level sign-in can.
    expect(isInteractionRequired(error)).toBe(true);
  });
});
