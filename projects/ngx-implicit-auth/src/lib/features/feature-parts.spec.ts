import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import { resolveConfig } from '../config/resolve-config';
import { ImplicitAuthError } from '../errors';
import type { ImplicitAuthEvent } from '../events';
import type { ImplicitAuthFeature } from '../features';
import { resolveSilentRenew } from '../renewal/silent-renew-options';
import { createSessionStore } from '../session/session-store';
import type { ImplicitAuthParts } from '../tokens';
import { checkFeatures } from './check-features';
import { withLogging, type ImplicitAuthLogger } from './with-logging';
import { withStorage } from './with-storage';

/** What a feature hands the core (its one `IMPLICIT_AUTH_FEATURE_PARTS` provider). */
function partsOf(feature: ImplicitAuthFeature): ImplicitAuthParts {
  return (feature.ɵproviders[0] as { useValue: ImplicitAuthParts }).useValue;
}

describe('withLogging(): one line per event, at its level, saying nothing secret', () => {
  const error = new ImplicitAuthError('provider_error', 'refused', {
    error: 'login_required',
    errorDescription: 'no session',
  });
  const at = Date.UTC(2026, 11, 1, 12, 0, 0);

  function logged(events: readonly ImplicitAuthEvent[], options: Parameters<typeof withLogging>[0] = {}) {
    const lines: string[] = [];
    const logger: ImplicitAuthLogger = {
      debug: (line: string) => lines.push(`debug ${line}`),
      info: (line: string) => lines.push(`info ${line}`),
      warn: (line: string) => lines.push(`warn ${line}`),
    };
    const { log } = partsOf(withLogging({ logger, ...options }));
    events.forEach((event) => log!(event));
    return lines;
  }

  it('writes each event type as specified, the return URL without its query or fragment', () => {
    const lines = logged(
      [
        { type: 'login_started', returnUrl: '/profile?tab=x#y' },
        { type: 'signed_in', claims: { iss: 'i', sub: 'ada', aud: 'c', exp: 1, iat: 1 }, returnUrl: '/p#frag' },
        { type: 'signed_out', reason: 'other_tab' },
        { type: 'token_received', audience: 'https://api.example', expiresAt: at },
        { type: 'token_expiring', audience: undefined, expiresAt: at },
        { type: 'renewal_started', audience: undefined },
      ],
      { level: 'debug' },
    );
    expect(lines).toEqual([
      'info ngx-implicit-auth: login_started (return to /profile)',
      'info ngx-implicit-auth: signed_in (return to /p)',
      'info ngx-implicit-auth: signed_out (other_tab)',
      'debug ngx-implicit-auth: token_received (audience https://api.example, expires 2026-12-01T12:00:00.000Z)',
      'debug ngx-implicit-auth: token_expiring (audience default, expires 2026-12-01T12:00:00.000Z)',
      'debug ngx-implicit-auth: renewal_started (audience default)',
    ]);
  });

  it("keeps to its level: 'info' drops debug lines, 'off' drops everything", () => {
    const events: ImplicitAuthEvent[] = [
      { type: 'renewal_started', audience: undefined },
      { type: 'signed_out', reason: 'logout' },
    ];
    expect(logged(events, { level: 'info' })).toEqual(['info ngx-implicit-auth: signed_out (logout)']);
    expect(logged(events, { level: 'off' })).toEqual([]);
    // Dev mode's default (the specs run in dev mode): info.
    expect(logged(events)).toEqual(['info ngx-implicit-auth: signed_out (logout)']);
  });

  describe('in production (ngDevMode false)', () => {
    const global = globalThis as { ngDevMode?: unknown };
    // Angular keeps its own dev-mode object there: put it back afterwards.
    const original = global.ngDevMode;
    beforeEach(() => (global.ngDevMode = false));
    afterEach(() => (global.ngDevMode = original));

    it('is quiet by default (warn) and logs failures with their code and the provider’s words', () => {
      const lines = logged([
        { type: 'signed_out', reason: 'logout' },
        { type: 'renewal_failed', error },
        { type: 'storage_failed', error: new ImplicitAuthError('storage_failed', 'full') },
        { type: 'validation_failed', error: new ImplicitAuthError('nonce_mismatch', 'x', { error: 'e' }) },
      ]);
      expect(lines).toEqual([
        'warn ngx-implicit-auth: renewal_failed provider_error (provider: login_required — no session)',
        'warn ngx-implicit-auth: storage_failed storage_failed',
        'warn ngx-implicit-auth: validation_failed nonce_mismatch (provider: e)',
      ]);
    });
  });

  it('in dev mode leaves failures to the dev-mode hint', () => {
    expect(logged([{ type: 'renewal_failed', error }], { level: 'debug' })).toEqual([]);
  });
});

describe('withStorage(): the kinds it takes', () => {
  const store = { get: () => null, set: () => undefined, remove: () => undefined };

  it.each([['memory'], ['session'], [store]] as const)('takes %p, handing the core the store that keeps it', (kind) => {
    expect(partsOf(withStorage(kind)).storage).toEqual({ kind, create: createSessionStore });
  });

  it.each([['local'], [null], [{}], [{ get: 'x' }], [42]])('refuses %p, naming the option', (kind) => {
    expect(() => withStorage(kind as never)).toThrow(
      "ngx-implicit-auth: config.storage must be 'memory', 'session' or a TokenStore",
    );
  });
});

describe('checkFeatures (dev mode): features that contradict the config', () => {
  const origin = 'https://app.example';
  const config = (responseType: ResolvedImplicitAuthConfig['responseType'], idTokenHint?: 'memory' | 'session') => ({
    ...resolveConfig({ issuer: 'https://idp.example/', clientId: 'spa', responseType }, origin),
    silentRenew: idTokenHint ? resolveSilentRenew({ idTokenHint }, origin, `${origin}/`) : (false as const),
  });

  it.each(['id_token', 'token'] as const)('withUserInfo() with %s: refused, naming both', (responseType) => {
    expect(() => checkFeatures(config(responseType), ['user-info'])).toThrow(
      `ngx-implicit-auth: withUserInfo() needs an ID token and an access token: not with responseType '${responseType}'`,
    );
  });

  it("withSilentRenew({ idTokenHint: 'session' }) with 'token': refused", () => {
    expect(() => checkFeatures(config('token', 'session'), ['silent-renew'])).toThrow(
      "ngx-implicit-auth: withSilentRenew({ idTokenHint: 'session' }) keeps an ID token: not with responseType 'token'",
    );
  });

  it('lets every consistent set through', () => {
    expect(() => checkFeatures(config('id_token token', 'session'), ['user-info', 'silent-renew'])).not.toThrow();
    expect(() => checkFeatures(config('token', 'memory'), ['silent-renew', 'tab-sync'])).not.toThrow();
    expect(() => checkFeatures(config('id_token', 'session'), ['silent-renew'])).not.toThrow();
    expect(() => checkFeatures(config('id_token'), ['storage', 'logging'])).not.toThrow();
  });
});
