import { SILENT_CALLBACK_MESSAGE_TYPE } from '../renewal/silent-callback-message';
import type { TestIssuer } from './test-issuer';

/** How the fake provider answers one silent request: an encoded response, or `null` to never answer. */
export type SilentAnswer = (request: URLSearchParams) => Promise<string | null>;

export interface SilentAnswers {
  /** The authorize parameters of every silent request, in order. */
  readonly requests: URLSearchParams[];
  /** How the next requests are answered; default: a valid response for the request's state and nonce. */
  answer: SilentAnswer;
  /** Stops watching the document. */
  dispose(): void;
}

/**
 * Answers the library's hidden-iframe requests the way `silent-callback.html` does: it watches the document for
 * the library's iframe, reads its authorize URL and posts the answer from the iframe's window on the app's
 * origin. Every response then gets the library's full validation.
 */
export function answerSilentRequests(idp: TestIssuer): SilentAnswers {
  const answers: SilentAnswers = {
    requests: [],
    answer: (request) => idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! }),
    dispose: () => observer.disconnect(),
  };
  const respond = async (iframe: HTMLIFrameElement) => {
    const request = new URL(iframe.src).searchParams;
    answers.requests.push(request);
    const response = await answers.answer(request);
    if (response === null) return; // a provider that never answers
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { type: SILENT_CALLBACK_MESSAGE_TYPE, response },
        origin: location.origin,
        source: iframe.contentWindow,
      }),
    );
  };
  const observer = new MutationObserver((mutations) => {
    for (const node of mutations.flatMap((m) => [...m.addedNodes])) {
      if (node instanceof HTMLIFrameElement) void respond(node);
    }
  });
  observer.observe(document.body, { childList: true });
  return answers;
}
