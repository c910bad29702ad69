import type { ImplicitAuthEvent } from '../events';
import { type ImplicitAuthFeature, makeFeature } from '../features';
import { IMPLICIT_AUTH_FEATURE_PARTS } from '../tokens';

/** How much `withLogging()` writes: each level includes the ones after it. */
export type ImplicitAuthLogLevel = 'debug' | 'info' | 'warn' | 'off';

/** Where `withLogging()` writes; `console` by default. */
export type ImplicitAuthLogger = Pick<Console, 'debug' | 'info' | 'warn'>;

export interface ImplicitAuthLoggingOptions {
  /** Default `'info'` in dev mode, `'warn'` in production: quiet unless something went wrong. */
  readonly level?: ImplicitAuthLogLevel;
  readonly logger?: ImplicitAuthLogger;
}

const RANK: Record<ImplicitAuthLogLevel, number> = { debug: 0, info: 1, warn: 2, off: 3 };

/**
 * Logs what the library does, one line per event (`ImplicitAuthService.events`): sign-in, renewal, sign-out at
 * `info`/`debug`, refusals and failures at `warn` with their code and the provider's `error`/`error_description`.
 * Never a token, claims or a URL's query or fragment: a line names the event, an audience, a time, a path. In dev
 * mode failures are already reported with what to check (one `console.warn` each), so they are not logged twice.
 */
export function withLogging(options: ImplicitAuthLoggingOptions = {}): ImplicitAuthFeature<'logging'> {
  const devMode = typeof ngDevMode === 'undefined' || !!ngDevMode;
  const threshold = RANK[options.level ?? (devMode ? 'info' : 'warn')];
  const log = (event: ImplicitAuthEvent) => {
    const [level, detail] = describe(event);
    if (RANK[level] < threshold || (devMode && 'error' in event)) return;
    (options.logger ?? console)[level](`ngx-implicit-auth: ${event.type}${detail ? ` ${detail}` : ''}`);
  };
  return makeFeature('logging', [{ provide: IMPLICIT_AUTH_FEATURE_PARTS, multi: true, useValue: { log } }]);
}

/** An event's level and what may be said of it (see `withLogging`: nothing secret, no query or fragment). */
function describe(event: ImplicitAuthEvent): ['debug' | 'info' | 'warn', string] {
  switch (event.type) {
    case 'login_started':
    case 'signed_in':
      return ['info', `(return to ${event.returnUrl.split(/[?#]/)[0]})`];
    case 'signed_out':
      return ['info', `(${event.reason})`];
    case 'token_received':
    case 'token_expiring':
      return ['debug', `(audience ${event.audience ?? 'default'}, expires ${new Date(event.expiresAt).toISOString()})`];
    case 'renewal_started':
      return ['debug', `(audience ${event.audience ?? 'default'})`];
    default: {
      const { code, error, errorDescription } = event.error;
      return [
        'warn',
        `${code}${error ? ` (provider: ${error}${errorDescription ? ` — ${errorDescription}` : ''})` : ''}`,
      ];
    }
  }
}
