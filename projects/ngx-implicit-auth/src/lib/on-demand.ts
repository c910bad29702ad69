/*
 * The protocol steps, loaded at the first exchange with the provider (`ProviderClient.onDemand()`): discovery,
 * the authorize and logout URLs, the return-URL check and random values (sign-in), the silent-renewal round
 * trip, response and ID token validation with jose's signature check, the JWKS cache and UserInfo. What every
 * page load needs (start-up, session state, the interceptor's fast path, the guard) stays in the initial
 * bundle; a visitor who never signs in never downloads this. Once loaded it stays for the page's lifetime:
 * later renewals pay nothing.
 */
export { createJwksKeyResolver } from './protocol/jwks';
export { validateProviderResponse } from './protocol/provider-response';
export { authorizeSilently } from './renewal/silent-authorize';
export { buildAuthorizationUrl } from './protocol/authorization-request';
export { needsNonce } from './protocol/response-type';
export { fetchProviderMetadata } from './protocol/discovery';
export { buildLogoutUrl } from './protocol/logout';
export { generateRandomToken } from './protocol/random';
export { toSafeReturnUrl } from './protocol/return-url';
export { createCookieBlockDetector } from './renewal/third-party-cookies';
