import { ImplicitAuthError, isInteractionRequired } from '../errors';
import { hintStorage } from '../session/web-storage';
import { createMemoryStorage } from '../testing';
import {
  createCookieBlockDetector,
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

  it('is true right at the interactive sign-in (no time passed)', () => {
    expect(isThirdPartyCookieBlock(providerError('login_required'), { interactiveSignInAt: NOW, now: NOW })).toBe(true);
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

describe('createCookieBlockDetector', () => {
  const KEY = 'app.signed-in-at';
  function detector(issuer = 'https://login.idp.example', appHostname = 'app.example') {
    const storage = createMemoryStorage();
    let now = NOW;
    const detect = createCookieBlockDetector({
      storage: hintStorage(storage, 'sessionStorage'),
      key: KEY,
      issuer,
      appHostname,
      now: () => now,
    });
    return { detect, storage, advance: (ms: number) => (now += ms) };
  }

  it('turns login_required after an interactive sign-in into third_party_cookies_blocked', () => {
    const { detect, storage, advance } = detector();
    detect.signedInInteractively();
    expect(storage.getItem(KEY)).toBe(String(NOW));
    advance(MINUTE);
    const error = providerError('login_required');
    const classified = detect.classify(error);
    expect(classified.code).toBe('third_party_cookies_blocked');
    expect(classified.message).toBe('Silent renewal failed: the browser seems to block third-party cookies');
    expect(classified.cause).toBe(error);
  });

  it('leaves the error as it is without an interactive sign-in, or once a silent request worked', () => {
    const { detect } = detector();
    const error = providerError('login_required');
    expect(detect.classify(error)).toBe(error);
    detect.signedInInteractively();
    detect.silentRequestWorked();
    expect(detect.classify(error)).toBe(error);
  });

  it('never blames cookies when the provider is on the app’s own host name', () => {
    const { detect } = detector('https://app.example:8443/idp', 'app.example');
    detect.signedInInteractively();
    const error = providerError('login_required');
    expect(detect.classify(error)).toBe(error);
  });

  it('ignores a corrupt sign-in time', () => {
    const { detect, storage } = detector();
    storage.setItem(KEY, 'soon');
    const error = providerError('login_required');
    expect(detect.classify(error)).toBe(error);
  });
});
