/*
 * Everything that runs only once a response is on its way or has arrived — the silent-renewal round trip,
 * response and ID token validation with jose's signature check, the JWKS cache, UserInfo — loaded on first use
 * (`ProviderClient.onDemand()`), so a visitor who never signs in never downloads it and the app's initial
 * bundle stays small. Once loaded it stays for the page's lifetime: later renewals pay nothing.
 */
export { createJwksKeyResolver } from './protocol/jwks';
export { validateAuthorizationResponse } from './protocol/response-validation';
export { fetchUserInfo } from './protocol/userinfo';
export { authorizeSilently } from './renewal/silent-authorize';
