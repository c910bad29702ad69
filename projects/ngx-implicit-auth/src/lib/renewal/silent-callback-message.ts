/**
 * The `type` of the message `silent-callback.html` posts to its parent. The page is static (no imports), so
 * it spells the same string; `silent-callback.spec.ts` keeps the two equal.
 */
export const SILENT_CALLBACK_MESSAGE_TYPE = 'ngx-implicit-auth:silent-callback';

/**
 * What `silent-callback.html` posts to `window.parent`, with the app's own origin as target origin.
 *
 * `response` is the raw authorization response: `location.hash` (`#access_token=…&state=…`), or
 * `location.search` (`?error=login_required&state=…`) when the fragment is empty and the provider put a
 * `prompt=none` error in the query instead.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.17
 */
export interface SilentCallbackMessage {
  readonly type: typeof SILENT_CALLBACK_MESSAGE_TYPE;
  readonly response: string;
}

/**
 * The message a provider posts with `response_mode=web_message` (Auth0): the response parameters as an
 * object, from the provider's origin, to the origin of the `redirect_uri`.
 *
 * @see https://www.ietf.org/archive/id/draft-meyerzuselha-oauth-web-message-response-mode-01.html
 */
export interface WebMessageAuthorizationResponse {
  readonly type: 'authorization_response';
  readonly response: Readonly<Record<string, unknown>>;
}

/**
 * The CSP source of the silent callback page's one inline script. Apps that send a CSP header for
 * `/silent-callback.html` add it to `script-src`; the page's own `<meta>` CSP allows nothing else.
 */
export const SILENT_CALLBACK_SCRIPT_HASH = "'sha256-YqqQCcP2KdhWQxpbSGIT16NZORBiPt+v37pGw/u+r5c='";
