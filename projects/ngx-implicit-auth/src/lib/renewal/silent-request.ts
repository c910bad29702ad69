import { ImplicitAuthError } from '../errors';
import { MAX_AUTHORIZATION_RESPONSE_LENGTH, stateOfResponse } from '../protocol/callback-detection';
import { SILENT_CALLBACK_MESSAGE_TYPE } from './silent-callback-message';

export interface SilentRequestOptions {
  /** The `state` sent in the request; a message carrying any other state is not this renewal's answer. */
  readonly expectedState: string;
  /** How long to wait for the answer before rejecting with `timeout`, in ms. */
  readonly timeoutMs: number;
  /** The app's window: the iframe goes into its document, the answer arrives on it. */
  readonly window: Window;
  /**
   * `'fragment'`: the provider redirects the iframe to `silent-callback.html`, which posts from the app's
   * origin. `'web_message'`: the provider's own page posts `{ type: 'authorization_response', response }`.
   */
  readonly mode: 'fragment' | 'web_message';
  /** The origin the provider posts from in `web_message` mode (the authorization endpoint's origin). */
  readonly providerOrigin?: string;
}

/**
 * Sandbox of the hidden iframe. `allow-same-origin` keeps the provider's cookies (without it the frame has an
 * opaque origin and no session) and lets `silent-callback.html` post with its real origin; `allow-scripts`
 * runs the page's script; `allow-forms` serves providers that answer with an auto-submitted form. Left out on
 * purpose: top navigation (a login page that frame-busts would otherwise navigate the app away), popups and
 * modals. Not a boundary for our own page (it is same-origin); it fences the provider's page.
 */
const SANDBOX = 'allow-scripts allow-same-origin allow-forms';

/** How long after a page of the app's origin loaded in the frame its answer may still arrive. */
const SILENT_CALLBACK_GRACE_MS = 300;

/**
 * Runs one `prompt=none` authorization request in a hidden iframe and resolves with the encoded response,
 * always as a fragment (`#access_token=…&state=…`, `#error=login_required&state=…`, also when the provider put
 * the error in the query or answered by web message). The caller parses and validates it like any callback
 * (`parseAuthorizationResponse`); this only finds the right message.
 *
 * A message is accepted only if it comes from the iframe's window, from the expected origin, has the
 * expected shape and carries exactly the expected `state`. Anything else is dropped without being parsed
 * further, and the wait goes on. The iframe and listener are removed however it ends.
 *
 * In fragment mode the provider sends the frame back to the app's origin, where `silent-callback.html` posts its
 * answer as it loads. A frame that finishes loading a page of the app's origin without having answered did not
 * load that page (a missing `silent-callback.html` served as the app itself, a wrong `redirectUri`): that is
 * reported at once as `silent_callback_missing`, not after the timeout.
 *
 * @throws {ImplicitAuthError} `timeout` when no answer came in time; `silent_callback_missing`; `invalid_response`
 *   when the iframe's answer is longer than `MAX_AUTHORIZATION_RESPONSE_LENGTH`;
 *   `invalid_config` when `web_message` mode lacks a usable `providerOrigin`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (prompt=none, §3.1.2.1)
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.17 (in-browser communication flows)
 * @see https://auth0.com/docs/authenticate/login/configure-silent-authentication (response_mode=web_message)
 */
export function requestInHiddenIframe(url: string, options: SilentRequestOptions): Promise<string> {
  const { window: win, expectedState, mode } = options;
  return new Promise<string>((resolve, reject) => {
    let origin: string;
    try {
      origin = mode === 'web_message' ? new URL(options.providerOrigin ?? '').origin : win.location.origin;
    } catch (cause: unknown) {
      // A missing or malformed provider origin is a wiring mistake; say so instead of leaking a TypeError.
      reject(
        new ImplicitAuthError(
          'invalid_config',
          typeof ngDevMode === 'undefined' || ngDevMode ? 'web_message needs the provider origin' : '',
          { cause },
        ),
      );
      return;
    }
    // An opaque origin ('null') is shared by every sandboxed or data: document: it proves nothing.
    if (origin === 'null') {
      reject(
        new ImplicitAuthError(
          'invalid_config',
          typeof ngDevMode === 'undefined' || ngDevMode ? `No usable origin for ${mode} responses` : '',
        ),
      );
      return;
    }
    const doc = win.document;
    const iframe = doc.createElement('iframe');
    iframe.title = 'Silent sign-in';
    iframe.tabIndex = -1;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.setAttribute('sandbox', SANDBOX);
    iframe.style.display = 'none';

    const finish = (removeLater = false) => {
      win.clearTimeout(timer);
      win.clearTimeout(grace);
      iframe.removeEventListener('load', onLoad);
      win.removeEventListener('message', onMessage);
      // Unloading the frame's document costs the main thread ~1–2 ms: after a success, do it once the browser is
      // idle (the renewal's validation and storage done; at the latest within a second), off the renewal's
      // critical path. Nothing listens to the frame any more meanwhile.
      if (removeLater) {
        const remove = () => iframe.remove();
        if (typeof win.requestIdleCallback === 'function') win.requestIdleCallback(remove, { timeout: 1000 });
        else win.setTimeout(remove);
      } else iframe.remove();
    };
    const onMessage = (event: MessageEvent) => {
      const frame = iframe.contentWindow;
      // Another frame, tab or popup (even one of our origin) is not this renewal; checking `frame` first keeps
      // a message with no source (`null`) from matching a detached iframe's `null` window.
      if (!frame || event.source !== frame) return;
      // Only the app's callback page (fragment) or the provider (web_message) may answer (RFC 9700 §4.17).
      if (event.origin !== origin) return;
      const response = mode === 'web_message' ? fromWebMessage(event.data) : fromSilentCallback(event.data);
      if (response === undefined) return;
      // Our own frame, from the expected origin, answered with more than any real response holds: refused at
      // once and unread (not even its state), instead of being decoded or left to run into the timeout.
      if (response.length > MAX_AUTHORIZATION_RESPONSE_LENGTH) {
        finish();
        reject(
          new ImplicitAuthError(
            'invalid_response',
            typeof ngDevMode === 'undefined' || ngDevMode ? 'Silent renewal response too large' : '',
          ),
        );
        return;
      }
      // A stale or replayed answer to an earlier request carries another state: ignore it, keep waiting.
      if (stateOfResponse(response) !== expectedState) return;
      finish(true);
      resolve(`#${response.slice(1)}`);
    };
    let grace: number | undefined;
    const onLoad = () => {
      let href: string | undefined;
      try {
        href = iframe.contentWindow?.location.href;
      } catch {
        // Cross-origin: the provider's own page (a login form, an error page); its answer comes by redirect.
        return;
      }
      if (mode !== 'fragment' || !href?.startsWith(`${origin}/`)) return;
      // The callback page's message is already queued when its load event fires; a short grace covers the order
      // in which a browser delivers the two.
      grace = win.setTimeout(() => {
        finish();
        reject(
          new ImplicitAuthError(
            'silent_callback_missing',
            typeof ngDevMode === 'undefined' || ngDevMode
              ? `The silent renewal page ${href?.split(/[?#]/)[0]} did not answer: it is not silent-callback.html`
              : '',
          ),
        );
      }, SILENT_CALLBACK_GRACE_MS);
    };
    const timer = win.setTimeout(() => {
      finish();
      reject(
        new ImplicitAuthError(
          'timeout',
          typeof ngDevMode === 'undefined' || ngDevMode
            ? `No answer to silent renewal within ${options.timeoutMs} ms`
            : '',
        ),
      );
    }, options.timeoutMs);

    win.addEventListener('message', onMessage);
    iframe.addEventListener('load', onLoad);
    iframe.src = url;
    (doc.body ?? doc.documentElement).appendChild(iframe);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The response string of a `silent-callback.html` message, or `undefined` for anything else. */
function fromSilentCallback(data: unknown): string | undefined {
  return isRecord(data) &&
    data['type'] === SILENT_CALLBACK_MESSAGE_TYPE &&
    typeof data['response'] === 'string' &&
    /^[#?]./.test(data['response'])
    ? data['response']
    : undefined;
}

/**
 * The `web_message` response object re-encoded as a fragment, so the caller parses one format. Only string and
 * number values are parameters (Auth0 sends `expires_in` as a number); anything else is not one and is left out.
 */
function fromWebMessage(data: unknown): string | undefined {
  if (!isRecord(data) || data['type'] !== 'authorization_response' || !isRecord(data['response'])) return undefined;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(data['response'])) {
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      params.append(name, String(value));
    }
  }
  return `#${params}`;
}
