import type { TokenStorageKind, TokenStore } from '../config/implicit-auth-config';
import { fail } from '../config/resolve-config';
import { type ImplicitAuthFeature, makeFeature } from '../features';
import { createSessionStore } from '../session/session-store';
import { IMPLICIT_AUTH_FEATURE_PARTS } from '../tokens';

/**
 * Where the session is kept between page loads: `'session'` (the tab's sessionStorage: a reload keeps the user
 * signed in without a round trip to the provider) or a `TokenStore` of the app's own (e.g. an encrypted store).
 * Without this feature tokens live in memory only (`'memory'`), out of reach of storage-reading scripts, and a
 * reload restores the session silently with `withSilentRenew()`. Every kept session is checked again on load: its
 * shape, that it is this app's (issuer, client id, the ID token's `iss`/`aud`), and that a token is still usable.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.15 (what a script in the page can reach)
 */
export function withStorage(kind: TokenStorageKind | TokenStore): ImplicitAuthFeature<'storage'> {
  if (
    kind !== 'memory' &&
    kind !== 'session' &&
    !(typeof kind === 'object' && kind !== null && typeof kind.get === 'function')
  ) {
    fail('storage', typeof ngDevMode === 'undefined' || ngDevMode ? "must be 'memory', 'session' or a TokenStore" : '');
  }
  return makeFeature('storage', [
    { provide: IMPLICIT_AUTH_FEATURE_PARTS, multi: true, useValue: { storage: { kind, create: createSessionStore } } },
  ]);
}
