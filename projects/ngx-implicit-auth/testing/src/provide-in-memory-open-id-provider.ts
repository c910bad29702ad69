import {
  DestroyRef,
  type EnvironmentProviders,
  inject,
  makeEnvironmentProviders,
  provideEnvironmentInitializer,
} from '@angular/core';
import {
  IMPLICIT_AUTH_CLOCK,
  IMPLICIT_AUTH_FETCH,
  ɵIMPLICIT_AUTH_REDIRECT as IMPLICIT_AUTH_REDIRECT,
} from 'ngx-implicit-auth';
import { DefaultInMemoryOpenIdProvider } from './default-in-memory-open-id-provider';
import { InMemoryOpenIdProvider, type InMemoryOpenIdProviderOptions } from './in-memory-open-id-provider';

/**
 * Puts an {@link InMemoryOpenIdProvider} where the app's OpenID provider would be, for tests that run the real
 * `ImplicitAuthService`, guard and interceptor: the app's own providers stay as they are (`provideImplicitAuth`
 * with the app's config, its routes, its `HttpClient` with the interceptor), and only the provider moves into
 * memory. It serves the configured issuer (a config loaded with `withConfigLoader()` too), signs real ID tokens
 * (WebCrypto, with a key pair of its own) and answers the silent-renewal iframe (`withSilentRenew()`); it also
 * supplies the app's clock. Each test bed gets a provider of its own, on a fresh browser (what the library kept in
 * storage in earlier tests is forgotten).
 *
 * ```ts
 * TestBed.configureTestingModule({
 *   providers: [
 *     provideRouter(routes),
 *     provideHttpClient(withInterceptors([implicitAuthInterceptor])),
 *     provideHttpClientTesting(),
 *     provideImplicitAuth(
 *       { issuer: 'https://idp.example', clientId: 'spa', apis: [{ url: 'https://api.example' }] },
 *       withSilentRenew(),
 *     ),
 *     provideInMemoryOpenIdProvider(),
 *   ],
 * });
 * const idp = TestBed.inject(InMemoryOpenIdProvider);
 * await idp.signInAs({ sub: 'ada', name: 'Ada Lovelace' });
 * ```
 *
 * Works in jsdom and in browsers (it needs WebCrypto, `MutationObserver` and `MessageEvent`), with jest and vitest.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ImplicitFlowAuth (§3.2)
 */
export function provideInMemoryOpenIdProvider(options: InMemoryOpenIdProviderOptions = {}): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: DefaultInMemoryOpenIdProvider, useFactory: () => new DefaultInMemoryOpenIdProvider(options) },
    { provide: InMemoryOpenIdProvider, useExisting: DefaultInMemoryOpenIdProvider },
    { provide: IMPLICIT_AUTH_FETCH, useFactory: () => inject(DefaultInMemoryOpenIdProvider).fetch },
    { provide: IMPLICIT_AUTH_CLOCK, useFactory: () => inject(DefaultInMemoryOpenIdProvider).clock },
    {
      provide: IMPLICIT_AUTH_REDIRECT,
      useFactory: () => {
        const provider = inject(DefaultInMemoryOpenIdProvider);
        return (url: string) => provider.leaveFor(url);
      },
    },
    // Before the app's initializers: start-up may already send a silent request (a session restore).
    provideEnvironmentInitializer(() => inject(DefaultInMemoryOpenIdProvider).attach(inject(DestroyRef))),
  ]);
}
