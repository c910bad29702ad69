import type { IdTokenClaims } from '../claims';
import type { AuthorizationRequest } from '../protocol/authorization-request';
import type { AuthorizationResponse, TokenSet } from '../protocol/authorization-response';
import type { ProviderMetadata } from '../protocol/discovery';
import type { ProviderClock } from '../protocol/provider-clock';
import type { ImplicitResponseType } from '../protocol/response-type';

/** What a response must be checked against: what the request that asked for it asked for. */
export interface Expectation {
  readonly state: string;
  readonly nonce?: string;
  readonly responseType: ImplicitResponseType;
  readonly scope: string;
  readonly audience?: string;
  /** When the request was made (ms since the epoch): an ID token issued before it answers another request. */
  readonly startedAt: number;
  /** The `max_age` sent, in seconds, if any: the ID token's `auth_time` must then be that recent. */
  readonly maxAgeSeconds?: number;
  /** When the answer stops being accepted (ms since the epoch); none for a request with its own timeout. */
  readonly expiresAt?: number;
}

/** Validated tokens and the claims to show (ID token claims, with UserInfo merged under them when enabled). */
export interface ValidatedResponse {
  readonly tokens: TokenSet;
  readonly claims: IdTokenClaims | null;
  /**
   * With an ID token: how far the device's clock was ahead of the provider's when it arrived, in ms (see
   * `measureClockOffsetMs`); what provider-clock mode learns from.
   */
  readonly clockOffsetMs?: number;
}

/** What the sign-in and renewal flows need of the provider (implemented by `ProviderClient`, in the chunk). */
export interface ProviderPort {
  /** The provider's metadata, discovered once per page load (and again only after a failure). */
  metadata(): Promise<ProviderMetadata>;
  authorizeUrl(
    expected: Expectation,
    extra: Pick<AuthorizationRequest, 'prompt' | 'idTokenHint' | 'responseMode' | 'extraParams'>,
    redirectUri?: string,
  ): Promise<string>;
  /** Where to end the provider session (`null`: nowhere, or `logout.style: 'local'`). */
  logoutUrl(
    idTokenHint: string | undefined,
    postLogoutRedirectUri: string,
    state?: string,
    params?: Readonly<Record<string, string>>,
  ): Promise<string | null>;
  /**
   * A head start for validating the answer to a silent request: the key set fetched if none is kept or the kept
   * one is too old, and the key that signed `previousIdToken` (the one a renewed ID token is most likely signed
   * with) imported. Started while the request is out; never rejects (validation resolves the key itself and
   * reports any failure).
   */
  prefetchSigningKey(previousIdToken: string | undefined): Promise<void>;
  /**
   * Full validation of a response whose `state` matched `expected`, its ID token's times judged with what
   * `providerClock` knows, then UserInfo when enabled. Stores nothing.
   */
  validate(
    response: AuthorizationResponse,
    expected: Expectation,
    providerClock: ProviderClock,
  ): Promise<ValidatedResponse>;
}
