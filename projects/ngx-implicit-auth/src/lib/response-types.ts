import type { AuthorizationRequest } from './protocol/authorization-request';
import type { AuthorizationResponse } from './protocol/authorization-response';
import type { ProviderMetadata } from './protocol/discovery';
import type { Expectation, ValidatedResponse } from './protocol/provider-response';

export type { Expectation, ValidatedResponse } from './protocol/provider-response';

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
