import { ApplicationInitStatus, type DestroyRef, DOCUMENT, inject, Injector } from '@angular/core';
import {
  type Clock,
  IMPLICIT_AUTH_CONFIG,
  ImplicitAuthService,
  type ProviderErrorCode,
  ɵSTORAGE_PREFIX as STORAGE_PREFIX,
} from 'ngx-implicit-auth';
import { answerSilentFrames } from './answer-silent-frames';
import { createInMemoryIssuer, type Grant, type InMemoryIssuer } from './in-memory-issuer';
import {
  type InMemoryAuthorizationRequest,
  InMemoryOpenIdProvider,
  type InMemoryOpenIdProviderOptions,
  type InMemorySignInOptions,
  type InMemoryTokens,
  type InMemoryUser,
} from './in-memory-open-id-provider';

/**
 * The {@link InMemoryOpenIdProvider} behind `provideInMemoryOpenIdProvider`: the provider's session and clock, and
 * the ends of the library's seams (`fetch`, clock, redirect, silent iframe). Created in an injection context.
 */
export class DefaultInMemoryOpenIdProvider extends InMemoryOpenIdProvider {
  readonly #injector = inject(Injector);
  readonly #document = inject(DOCUMENT);
  readonly #options: InMemoryOpenIdProviderOptions;
  #now: number;
  #issuer?: InMemoryIssuer;
  /** The provider's session: who signed in there, when, and what they granted. */
  #session: Grant | null = null;
  #pending: InMemoryAuthorizationRequest | null = null;
  #nextFailure: { readonly error: ProviderErrorCode; readonly description?: string } | null = null;
  readonly #requests: InMemoryAuthorizationRequest[] = [];

  /** The app's clock (`IMPLICIT_AUTH_CLOCK`): the provider's own, so tokens are issued and checked on one time. */
  readonly clock: Clock = { now: () => this.#now };

  /** The app's `IMPLICIT_AUTH_FETCH`: discovery, the JWK Set and UserInfo, all served from memory. */
  readonly fetch = ((input, init) => this.#issuerOf().fetch(input, init)) as typeof fetch;

  constructor(options: InMemoryOpenIdProviderOptions) {
    super();
    this.#options = options;
    this.#now = options.startTime ?? Date.now();
  }

  override get user(): InMemoryUser | null {
    return this.#session?.user ?? null;
  }

  override get requests(): readonly InMemoryAuthorizationRequest[] {
    return this.#requests;
  }

  override get pendingSignIn(): InMemoryAuthorizationRequest | null {
    return this.#pending;
  }

  /**
   * Opens the provider on a fresh browser: whatever an earlier test left in storage under the library's names (a
   * session, the hint that makes a reload restore one, pending sign-ins) is forgotten, then the silent iframes are
   * answered until the app's injector is destroyed. Needs no config yet: `withConfigLoader()` loads it later.
   */
  attach(destroyRef: DestroyRef): void {
    const window = this.#document.defaultView;
    for (const storage of [window?.sessionStorage, window?.localStorage]) {
      const keys = Array.from({ length: storage?.length ?? 0 }, (_, i) => storage?.key(i));
      for (const key of keys) if (key?.startsWith(STORAGE_PREFIX)) storage?.removeItem(key);
    }
    const stop = answerSilentFrames(
      this.#document,
      (url) => this.#issuerOf().isAuthorizationRequest(url),
      (params) => this.#answerSilently(params),
    );
    destroyRef.onDestroy(stop);
  }

  /**
   * The app's `IMPLICIT_AUTH_REDIRECT`: where the browser would go. A sign-in request waits at the provider's login
   * page for {@link signInAs}; any other page of the provider is its logout (RP-initiated, or Auth0's), which ends the
   * provider's session. The way back to the app after a logout is not followed: the app has signed out already.
   */
  leaveFor(url: string): void {
    const issuer = this.#issuerOf();
    if (issuer.isAuthorizationRequest(url)) {
      this.#pending = { params: new URL(url).searchParams, silent: false };
      this.#requests.push(this.#pending);
    } else if (issuer.isOwnUrl(url)) {
      this.#session = null;
    }
  }

  override async signInAs(user: InMemoryUser, options: InMemorySignInOptions = {}): Promise<InMemoryTokens> {
    // Start-up (a config to load, a callback, a session restore) finishes first, as it would before the user could
    // click anything; with `withConfigLoader()` the service cannot even be made before.
    await this.#injector.get(ApplicationInitStatus).donePromise;
    const auth = this.#injector.get(ImplicitAuthService);
    await auth.whenReady();
    if (!this.#pending) await auth.login();
    const request = this.#pending;
    if (!request) {
      throw new Error('InMemoryOpenIdProvider.signInAs: the app sent no sign-in request (login() started none)');
    }
    this.#pending = null;
    this.#session = { user, authTime: this.#now, scopes: options.scopes };
    const { response, tokens } = await this.#issuerOf().respond(request.params, this.#session);
    // The test keeps the app's page instead of loading it anew with the callback: it comes back as from the
    // back/forward cache, which is how the library learns that it is no longer leaving for the provider.
    const window = this.#document.defaultView;
    if (window) {
      const { PageTransitionEvent, Event } = window;
      window.dispatchEvent(
        typeof PageTransitionEvent === 'function'
          ? new PageTransitionEvent('pageshow', { persisted: true })
          : Object.assign(new Event('pageshow'), { persisted: true }),
      );
    }
    await auth.handleCallback(`#${response}`);
    return tokens;
  }

  override signOut(): void {
    this.#session = null;
  }

  override failNextRenewal(error: ProviderErrorCode, description?: string): void {
    this.#nextFailure = { error, description };
  }

  override expireTokens(): void {
    this.#now = Math.max(this.#now, this.#issuerOf().latestExpiry);
  }

  override advanceClock(seconds: number): void {
    this.#now += seconds * 1000;
  }

  /** A `prompt=none` request: the set failure once, else tokens for the provider's user, else `login_required`. */
  async #answerSilently(request: URLSearchParams): Promise<URLSearchParams> {
    this.#requests.push({ params: request, silent: true });
    const issuer = this.#issuerOf();
    const failure = this.#nextFailure;
    this.#nextFailure = null;
    if (failure) return issuer.refuse(request, failure.error, failure.description);
    // OIDC Core §3.1.2.6: with no session to use and no way to ask the user, the answer is login_required.
    if (!this.#session) return issuer.refuse(request, 'login_required');
    return (await issuer.respond(request, this.#session)).response;
  }

  /**
   * The issuer the app is configured for, at the endpoints it is configured with, made on first use (the config may
   * be loaded at start-up).
   */
  #issuerOf(): InMemoryIssuer {
    if (!this.#issuer) {
      const config = this.#injector.get(IMPLICIT_AUTH_CONFIG);
      this.#issuer = createInMemoryIssuer({
        issuer: config.issuer,
        endpoints: config.endpoints,
        algorithm: this.#options.algorithm ?? config.algorithms[0] ?? 'RS256',
        lifetimeSeconds: this.#options.tokenLifetimeSeconds ?? 3600,
        clock: this.clock,
      });
    }
    return this.#issuer;
  }
}
