import type { IdTokenClaims } from './claims';
import type { AuthorizationRequest } from './protocol/authorization-request';
import type { AuthorizationResponse, TokenSet } from './protocol/authorization-response';
import type { ProviderMetadata } from './protocol/discovery';
import type { PendingTransaction } from './storage/transaction-store';

/** What a response must be checked against: what the request that asked for it asked for. */
export type Expectation = Pick<PendingTransaction, 'state' | 'nonce' | 'responseType' | 'scope' | 'audience'>;

/** Validated tokens and the claims to show (ID token claims, with UserInfo merged under them when enabled). */
export interface ValidatedResponse {
  readonly tokens: TokenSet;
  readonly claims: IdTokenClaims | null;
}

/** What the sign-in and renewal steps need of the provider (implemented by `ProviderClient`). */
export interface ProviderPort {
  metadata(): Promise<ProviderMetadata>;
  authorizeUrl(
    expected: Expectation,
    extra: Pick<AuthorizationRequest, 'prompt' | 'idTokenHint' | 'responseMode' | 'extraParams'>,
    redirectUri?: string,
  ): Promise<string>;
  validate(response: AuthorizationResponse, expected: Expectation): Promise<ValidatedResponse>;
}
