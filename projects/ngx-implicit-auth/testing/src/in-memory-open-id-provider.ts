import type { IdTokenSigningAlgorithm, ProviderErrorCode } from 'ngx-implicit-auth';

/** A user of the in-memory provider: the claims its ID tokens and UserInfo carry about them. */
export interface InMemoryUser {
  /** The subject identifier (OIDC Core §2). */
  readonly sub: string;
  /** Any other claim (`name`, `email`, `https://example.com/roles`, …). The provider sets `iss`, `aud`, times, `nonce`. */
  readonly [claim: string]: unknown;
}

/** What the user grants when signing in. */
export interface InMemorySignInOptions {
  /**
   * The scopes granted, sent back as the response's `scope` (e.g. to test a route that needs a scope). Default:
   * unsaid, which means what the app asked for (RFC 6749 §5.1). They hold for the renewals that follow too.
   */
  readonly scopes?: readonly string[];
}

/** One authorization request the app sent to the provider. */
export interface InMemoryAuthorizationRequest {
  /** Its parameters as sent: `client_id`, `redirect_uri`, `response_type`, `scope`, `state`, `nonce`, `prompt`, … */
  readonly params: URLSearchParams;
  /** Whether it was a silent request (`prompt=none`, in the hidden iframe) rather than a top-level redirect. */
  readonly silent: boolean;
}

/** The tokens of one successful answer, as the provider sent them. */
export interface InMemoryTokens {
  /** The signed ID token, when the request asked for one. */
  readonly idToken?: string;
  /** The (opaque) access token, when the request asked for one. */
  readonly accessToken?: string;
}

/** Options of {@link provideInMemoryOpenIdProvider}. */
export interface InMemoryOpenIdProviderOptions {
  /** How long issued tokens live (`expires_in`, the ID token's `exp`), in seconds. Default 3600. */
  readonly tokenLifetimeSeconds?: number;
  /** The algorithm ID tokens are signed with. Default: the first of the app's `algorithms` (`RS256` unless set). */
  readonly algorithm?: IdTokenSigningAlgorithm;
  /** Where the clock starts, in ms since the epoch. Default: `Date.now()` when the provider is created. */
  readonly startTime?: number;
}

/**
 * An OpenID provider in memory for tests of an app that runs the real `ImplicitAuthService`, guard and interceptor
 * (set up with {@link provideInMemoryOpenIdProvider}; `TestBed.inject(InMemoryOpenIdProvider)` is its controller).
 * Nothing about the library is faked: the provider sits behind the seams the library already has (its `fetch`, its
 * clock, its redirects and the silent-renewal iframe) and answers with ID tokens signed by a key pair made for it
 * alone, so every sign-in and renewal goes through the library's full validation (signature, `iss`, `aud`, `nonce`,
 * `state`, `at_hash`, times).
 *
 * The provider holds a session like a real one: {@link signInAs} signs a user in (at the provider and in the app),
 * silent renewals are answered for that user until {@link signOut} or a failure set with {@link failNextRenewal},
 * and the app's `logout()` ends it. Time moves only when the test moves it ({@link advanceClock},
 * {@link expireTokens}); the library's timers are not fired by it, so what happens next is what the test does
 * (an HTTP call, a navigation, `renew()`).
 */
export abstract class InMemoryOpenIdProvider {
  /** The user signed in at the provider, whom silent renewals are answered for; `null` when none is. */
  abstract readonly user: InMemoryUser | null;

  /** Every authorization request the app sent, in order: interactive sign-ins and silent renewals. */
  abstract readonly requests: readonly InMemoryAuthorizationRequest[];

  /**
   * The interactive sign-in waiting at the provider's login page (the app's `login()`, or the guard sending a
   * signed-out user to sign in), or `null`. {@link signInAs} answers it.
   */
  abstract readonly pendingSignIn: InMemoryAuthorizationRequest | null;

  /**
   * Signs `user` in as a person would at the provider's login page: answers the pending sign-in (or, with none,
   * starts one with the app's `login()`) with freshly signed tokens for the request's `state` and `nonce`, and hands
   * the callback to the app (`handleCallback`), which validates it and, when the sign-in came from the guard,
   * navigates to the page asked for. Resolves once the app has accepted it, with the tokens sent.
   *
   * @throws the app's `ImplicitAuthError` when it refuses the response (e.g. an `algorithms` list without the
   *   provider's algorithm), or an `Error` when the app sent no sign-in request.
   */
  abstract signInAs(user: InMemoryUser, options?: InMemorySignInOptions): Promise<InMemoryTokens>;

  /**
   * Ends the user's session at the provider (signed out elsewhere, or it expired there). The app does not hear of
   * it until its next silent renewal, which is answered `login_required`.
   */
  abstract signOut(): void;

  /**
   * Answers the next silent renewal with `error` (and `error_description`), once; the session at the provider stays.
   * `login_required` and the other interaction errors sign the app out (`session_ended`). A provider on another host
   * name than the app, refusing within 10 minutes of an interactive sign-in, is taken by the library for blocked
   * third-party cookies (`third_party_cookies_blocked`), as a browser's would be.
   * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError (§3.1.2.6)
   */
  abstract failNextRenewal(error: ProviderErrorCode, description?: string): void;

  /** Moves the clock to the expiry of every token issued so far: the app must renew before it can call an API. */
  abstract expireTokens(): void;

  /** Moves the clock (the app's `IMPLICIT_AUTH_CLOCK`, which is the provider's) forward by `seconds`. */
  abstract advanceClock(seconds: number): void;
}
