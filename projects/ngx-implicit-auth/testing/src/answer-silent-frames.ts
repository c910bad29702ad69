import { ɵSILENT_CALLBACK_MESSAGE_TYPE as SILENT_CALLBACK_MESSAGE_TYPE } from 'ngx-implicit-auth';

/** How a silent request is answered: the response's parameters, or `null` for none. */
export type SilentAnswer = (request: URLSearchParams) => Promise<URLSearchParams | null>;

/**
 * Answers the library's silent-renewal iframes in `document`: each iframe added with a URL for which `isRequest`
 * holds gets `answer`'s response, delivered the way a browser would deliver it, so the library's own checks of the
 * message apply (it must come from that iframe's window, from the expected origin, with the pending `state`):
 *
 * - by default as `silent-callback.html` does once the provider has redirected the frame back: a message from the
 *   frame's window, from the `redirect_uri`'s origin, carrying the response as a fragment;
 * - with `response_mode=web_message`, as the provider's own page does: a message from the provider's origin
 *   carrying the parameters as an object.
 *
 * Nothing loads in the frame: jsdom does not load frames, and a browser's attempt to reach a provider that exists
 * only in memory fails on its own, unseen. Returns the function that stops watching.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.17 (in-browser communication flows)
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest (`prompt=none`, §3.1.2.1)
 */
export function answerSilentFrames(
  document: Document,
  isRequest: (url: string) => boolean,
  answer: SilentAnswer,
): () => void {
  const window = document.defaultView;
  const respond = async (frame: HTMLIFrameElement) => {
    const url = new URL(frame.src);
    const request = url.searchParams;
    const response = await answer(request);
    if (!response || !window) return;
    const webMessage = request.get('response_mode') === 'web_message';
    const data = webMessage
      ? { type: 'authorization_response', response: Object.fromEntries(response) }
      : { type: SILENT_CALLBACK_MESSAGE_TYPE, response: `#${response}` };
    const origin = webMessage ? url.origin : new URL(request.get('redirect_uri') ?? '', document.baseURI).origin;
    window.dispatchEvent(new window.MessageEvent('message', { data, origin, source: frame.contentWindow }));
  };
  const observer = new (window?.MutationObserver ?? MutationObserver)((mutations) => {
    for (const node of mutations.flatMap((mutation) => [...mutation.addedNodes])) {
      // By name, not `instanceof`: the frame may come from another realm's constructor (jsdom, test runners).
      if (node.nodeName === 'IFRAME') {
        const frame = node as HTMLIFrameElement;
        if (isRequest(frame.src)) void respond(frame);
      }
    }
  });
  observer.observe(document.body ?? document.documentElement, { childList: true });
  return () => observer.disconnect();
}
