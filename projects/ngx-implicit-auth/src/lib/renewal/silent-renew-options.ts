import { checkPositive, checkUrl, fail } from '../config/resolve-config';
import type { SilentRenewConfig } from '../config/implicit-auth-config';

/**
 * `withSilentRenew()`'s options with every default filled in and every field checked, against the app's `origin`
 * and folder `base` (see `resolveConfig`): the silent callback page must be the app's own, since its answer is
 * trusted only from the app's origin.
 * @throws {ImplicitAuthError} `invalid_config` naming the field (`silentRenew.…`).
 */
export function resolveSilentRenew(
  renew: SilentRenewConfig = {},
  origin: string,
  base: string,
): Required<SilentRenewConfig> {
  const redirectUri = renew.redirectUri ?? `${base}silent-callback.html`;
  if (checkUrl('silentRenew.redirectUri', redirectUri).origin !== origin) {
    fail(
      'silentRenew.redirectUri',
      typeof ngDevMode === 'undefined' || ngDevMode ? `must be on the app's origin (${origin})` : '',
    );
  }
  const idTokenHint = renew.idTokenHint ?? 'memory';
  if (idTokenHint !== 'memory' && idTokenHint !== 'session') {
    fail(
      'silentRenew.idTokenHint',
      typeof ngDevMode === 'undefined' || ngDevMode ? "must be 'memory' or 'session'" : '',
    );
  }
  return {
    redirectUri,
    timeoutMs: checkPositive('silentRenew.timeoutMs', renew.timeoutMs, 10_000, 600_000),
    marginSeconds: checkPositive('silentRenew.marginSeconds', renew.marginSeconds, 60),
    automatic: renew.automatic ?? true,
    restoreSession: renew.restoreSession ?? true,
    webMessage: renew.webMessage ?? false,
    onCookiesBlocked: renew.onCookiesBlocked === 'redirect' ? 'redirect' : 'sign-out',
    idTokenHint,
  };
}
