import { type Injector, runInInjectionContext } from '@angular/core';
import { firstValueFrom, isObservable, type Observable } from 'rxjs';
import type { ImplicitAuthConfig } from '../config/implicit-auth-config';
import { ImplicitAuthError, isImplicitAuthError } from '../errors';
import type { ImplicitAuthConfigLoader } from '../features';
import { DEFAULT_NETWORK_TIMEOUT_MS, withDeadline } from '../protocol/deadline';

/**
 * Loads the settings at start-up, in the config's place, e.g. from a file deployed beside the app so one build
 * serves every environment:
 *
 * ```ts
 * provideImplicitAuth(withConfigLoader(() => inject(HttpClient).get<ImplicitAuthConfig>('auth.config.json')), withSilentRenew())
 * ```
 *
 * `load` runs in an injection context and may return the config, a Promise or an Observable (its first value).
 * Start-up waits for it (an app initializer), at most `timeoutMs` (default 10000): a loader that fails rejects the
 * bootstrap with `config_load_failed` (its failure as `cause`), one that hangs with `network_timeout`, and a loaded
 * config is checked like a given one (`invalid_config`). Until it has loaded, HttpClient requests pass the
 * interceptor untouched (no API is configured yet), so `load` may use HttpClient.
 */
export function withConfigLoader(
  load: () => ImplicitAuthConfig | Promise<ImplicitAuthConfig> | Observable<ImplicitAuthConfig>,
  { timeoutMs = DEFAULT_NETWORK_TIMEOUT_MS }: { readonly timeoutMs?: number } = {},
): ImplicitAuthConfigLoader {
  const timedOut = () =>
    new ImplicitAuthError(
      'network_timeout',
      typeof ngDevMode === 'undefined' || ngDevMode ? `withConfigLoader(): no config within ${timeoutMs} ms` : '',
    );
  return {
    ɵkind: 'config-loader',
    ɵproviders: [],
    ɵload: (injector: Injector) =>
      withDeadline(timeoutMs, timedOut, async () => {
        const result = runInInjectionContext(injector, load);
        const loaded: unknown = await (isObservable(result) ? firstValueFrom(result) : result);
        // Nothing, or not an object (an empty file, a JSON string): no config at all, said as such.
        if (loaded === null || typeof loaded !== 'object') {
          throw new ImplicitAuthError(
            'invalid_config',
            typeof ngDevMode === 'undefined' || ngDevMode
              ? 'ngx-implicit-auth: withConfigLoader() gave no config object'
              : '',
          );
        }
        return loaded as ImplicitAuthConfig;
      }).catch((error: unknown) => {
        if (isImplicitAuthError(error)) throw error;
        throw new ImplicitAuthError(
          'config_load_failed',
          typeof ngDevMode === 'undefined' || ngDevMode ? 'withConfigLoader(): the config could not be loaded' : '',
          {
            cause: error,
          },
        );
      }),
  };
}
