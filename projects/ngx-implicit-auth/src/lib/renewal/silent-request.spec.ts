import { ImplicitAuthError } from '../errors';
import { parseAuthorizationResponse } from '../protocol/authorization-response';
import { SILENT_CALLBACK_MESSAGE_TYPE } from './silent-callback-message';
import { requestInHiddenIframe, type SilentRequestOptions } from './silent-request';

const APP_ORIGIN = window.location.origin;
const IDP_ORIGIN = 'https://idp.example';
const AUTHORIZE_URL = `${IDP_ORIGIN}/authorize?prompt=none&state=s1`;
const OK_RESPONSE = '#access_token=at&token_type=Bearer&expires_in=3600&state=s1';

/** The iframe of the request started last: what the callback page would post from. */
let current: HTMLIFrameElement | undefined;

function start(overrides: Partial<SilentRequestOptions> = {}) {
  const outcome = requestInHiddenIframe(AUTHORIZE_URL, {
    expectedState: 's1',
    timeoutMs: 10_000,
    window,
    mode: 'fragment',
    ...overrides,
  });
  // Observe the outcome without leaving an unhandled rejection behind while a spec is still posting.
  const settled = outcome.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  current = frames().at(-1);
  return { outcome, settled, frame: current?.contentWindow ?? null };
}

function frames(): HTMLIFrameElement[] {
  return Array.from(document.querySelectorAll('iframe'));
}

function post(data: unknown, init: { origin?: string; source?: Window | null } = {}) {
  const source = init.source === undefined ? (current?.contentWindow ?? null) : init.source;
  window.dispatchEvent(new MessageEvent('message', { data, origin: init.origin ?? APP_ORIGIN, source }));
}

const fromCallback = (response: string) => ({ type: SILENT_CALLBACK_MESSAGE_TYPE, response });

/**
 * Whether the request is still waiting (its promise has not settled). Messages are handled synchronously, so a
 * settled request has settled before the few microtasks this waits.
 */
async function isPending(outcome: Promise<unknown>): Promise<boolean> {
  let settled = false;
  outcome.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return !settled;
}

afterEach(() => {
  jest.useRealTimers();
  frames().forEach((frame) => frame.remove());
});

describe('requestInHiddenIframe', () => {
  it('loads the authorize URL in a hidden, sandboxed iframe', () => {
    start();
    const [iframe] = frames();
    expect(frames()).toHaveLength(1);
    expect(iframe.src).toBe(AUTHORIZE_URL);
    expect(iframe.style.display).toBe('none');
    expect(iframe.getAttribute('aria-hidden')).toBe('true');
    expect(iframe.title).not.toBe('');
    expect(iframe.getAttribute('sandbox')).toBe('allow-scripts allow-same-origin allow-forms');
  });

  it('resolves with the response posted by the callback page, and removes the iframe', async () => {
    const { outcome } = start();
    post(fromCallback(OK_RESPONSE));
    await expect(outcome).resolves.toBe(OK_RESPONSE);
    // Removed in the next task, off the critical path of the renewal.
    await new Promise((resolve) => setTimeout(resolve));
    expect(frames()).toHaveLength(0);
  });

  it('accepts a prompt=none error the provider put in the query, returned as a fragment like any other', async () => {
    const { outcome } = start();
    post(fromCallback('?error=login_required&state=s1'));
    await expect(outcome).resolves.toBe('#error=login_required&state=s1');
  });

  it('drops a message from another origin and keeps waiting for the real one', async () => {
    const { outcome } = start();
    post(fromCallback('#access_token=forged&state=s1'), { origin: 'https://evil.example' });
    post(fromCallback('#access_token=forged&state=s1'), { origin: IDP_ORIGIN });
    expect(await isPending(outcome)).toBe(true);
    post(fromCallback(OK_RESPONSE));
    await expect(outcome).resolves.toBe(OK_RESPONSE);
  });

  it('drops a message from another window of the same origin (this page, another frame)', async () => {
    const { outcome } = start();
    const other = document.createElement('iframe');
    document.body.appendChild(other);
    post(fromCallback('#access_token=forged&state=s1'), { source: window });
    post(fromCallback('#access_token=forged&state=s1'), { source: other.contentWindow });
    post(fromCallback('#access_token=forged&state=s1'), { source: null });
    expect(await isPending(outcome)).toBe(true);
    post(fromCallback(OK_RESPONSE));
    await expect(outcome).resolves.toBe(OK_RESPONSE);
    other.remove();
  });

  it('drops a message without source even after someone else removed the iframe', async () => {
    const { settled } = start({ timeoutMs: 50 });
    const [iframe] = frames();
    iframe.remove();
    // Browsers null a removed iframe's window (jsdom keeps it): a source-less message must not match that null.
    Object.defineProperty(iframe, 'contentWindow', { get: () => null });
    post(fromCallback(OK_RESPONSE), { source: null });
    expect(((await settled) as { error: ImplicitAuthError }).error.code).toBe('timeout');
  });

  it('drops a real window.postMessage, which carries no source', async () => {
    const { outcome } = start();
    window.postMessage(fromCallback('#access_token=forged&state=s1'), '*');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await isPending(outcome)).toBe(true);
    post(fromCallback(OK_RESPONSE));
    await expect(outcome).resolves.toBe(OK_RESPONSE);
  });

  it('drops a response whose state is wrong, missing or repeated', async () => {
    const { outcome } = start();
    post(fromCallback('#access_token=stale&state=s0'));
    post(fromCallback('#access_token=stale'));
    post(fromCallback('#access_token=smuggled&state=s1&state=s0'));
    post(fromCallback('#access_token=smuggled&state=s0&state=s1'));
    expect(await isPending(outcome)).toBe(true);
    post(fromCallback(OK_RESPONSE));
    await expect(outcome).resolves.toBe(OK_RESPONSE);
  });

  it('drops messages of any other shape without throwing', async () => {
    const { outcome } = start();
    post(OK_RESPONSE);
    post(null);
    post({ type: 'something-else', response: OK_RESPONSE });
    post({ type: SILENT_CALLBACK_MESSAGE_TYPE, response: { state: 's1' } });
    post({ type: SILENT_CALLBACK_MESSAGE_TYPE, response: 'access_token=at&state=s1' });
    post({ type: 'authorization_response', response: { access_token: 'at', state: 's1' } });
    expect(await isPending(outcome)).toBe(true);
    post(fromCallback(OK_RESPONSE));
    await expect(outcome).resolves.toBe(OK_RESPONSE);
  });

  it('is a pending check that can fail: an answered request is not pending', async () => {
    const { outcome } = start();
    post(fromCallback(OK_RESPONSE));
    expect(await isPending(outcome)).toBe(false);
  });

  it('drops a callback message whose response is not a string, or does not start with # or ?', async () => {
    const { outcome } = start();
    post({ type: SILENT_CALLBACK_MESSAGE_TYPE, response: [OK_RESPONSE] });
    post({ type: SILENT_CALLBACK_MESSAGE_TYPE, response: 'state=s1&x=#a' });
    post({ type: SILENT_CALLBACK_MESSAGE_TYPE, response: '#' });
    expect(await isPending(outcome)).toBe(true);
    post(fromCallback(OK_RESPONSE));
    await expect(outcome).resolves.toBe(OK_RESPONSE);
  });

  it('is kept out of the tab order and sits in the document body', () => {
    start();
    const [iframe] = frames();
    expect(iframe.tabIndex).toBe(-1);
    expect(iframe.parentElement).toBe(document.body);
    expect(iframe.title).toBe('Silent sign-in');
  });

  it('removes the answered iframe when the browser is idle, within a second, where it can tell', async () => {
    const idle = jest.fn();
    Object.defineProperty(window, 'requestIdleCallback', { configurable: true, value: idle });
    try {
      const { outcome } = start();
      post(fromCallback(OK_RESPONSE));
      await outcome;
      expect(idle).toHaveBeenCalledWith(expect.any(Function), { timeout: 1000 });
      expect(frames()).toHaveLength(1);
      (idle.mock.calls[0][0] as () => void)();
      expect(frames()).toHaveLength(0);
    } finally {
      delete (window as { requestIdleCallback?: unknown }).requestIdleCallback;
    }
  });

  it('keeps the first answer and ignores a duplicate', async () => {
    const { outcome, frame } = start();
    post(fromCallback(OK_RESPONSE));
    post(fromCallback('#access_token=second&state=s1'), { source: frame });
    await expect(outcome).resolves.toBe(OK_RESPONSE);
  });

  it('rejects with timeout when nobody answers, and then hears nothing more', async () => {
    jest.useFakeTimers();
    const removed = jest.spyOn(window, 'removeEventListener');
    const { settled, frame } = start({ timeoutMs: 5_000 });
    jest.advanceTimersByTime(4_999);
    expect(frames()).toHaveLength(1);
    jest.advanceTimersByTime(1);
    const { error } = (await settled) as { error: ImplicitAuthError };
    expect(error).toBeInstanceOf(ImplicitAuthError);
    expect(error.code).toBe('timeout');
    expect(error.message).toBe('No answer to silent renewal within 5000 ms');
    expect(frames()).toHaveLength(0);
    expect(removed).toHaveBeenCalledWith('message', expect.any(Function));
    expect(() => post(fromCallback(OK_RESPONSE), { source: frame })).not.toThrow();
    removed.mockRestore();
  });

  describe('a page of the app that is not silent-callback.html', () => {
    /** The frame finishes loading `href`, as a browser reports it to the app (same origin: readable). */
    function frameLoads(href: string) {
      const frame = current!;
      Object.defineProperty(frame, 'contentWindow', { configurable: true, value: { location: { href } } });
      frame.dispatchEvent(new Event('load'));
    }

    it('is reported at once as silent_callback_missing, not after the timeout, and the iframe is removed', async () => {
      jest.useFakeTimers();
      const { settled } = start({ timeoutMs: 10_000 });
      frameLoads(`${APP_ORIGIN}/silent-callback.html#access_token=at&state=s1`);
      jest.advanceTimersByTime(1_000);
      const { error } = (await settled) as { error: ImplicitAuthError };
      expect(error.code).toBe('silent_callback_missing');
      expect(error.message).toContain(`${APP_ORIGIN}/silent-callback.html`);
      expect(error.message).not.toContain('access_token');
      expect(frames()).toHaveLength(0);
    });

    it("ignores the provider's own pages and a page answered in time", async () => {
      jest.useFakeTimers();
      const { outcome } = start({ timeoutMs: 10_000 });
      const frame = current!;
      // Cross-origin: reading the frame's location throws, as a browser does for the provider's login page.
      Object.defineProperty(frame, 'contentWindow', {
        configurable: true,
        get: () => ({
          get location(): never {
            throw new DOMException('Blocked a frame', 'SecurityError');
          },
        }),
      });
      frame.dispatchEvent(new Event('load'));
      jest.advanceTimersByTime(1_000);
      Object.defineProperty(frame, 'contentWindow', { configurable: true, value: window });
      post(fromCallback(OK_RESPONSE), { source: window });
      await expect(outcome).resolves.toBe(OK_RESPONSE);
    });

    it("is not looked for in a frame's first, empty document (about:blank)", async () => {
      jest.useFakeTimers();
      const { settled } = start({ timeoutMs: 2_000 });
      frameLoads('about:blank');
      jest.advanceTimersByTime(2_000);
      expect(((await settled) as { error: ImplicitAuthError }).error.code).toBe('timeout');
    });

    it("is not looked for in web_message mode, even on the provider's own pages", async () => {
      jest.useFakeTimers();
      const { settled } = start({ mode: 'web_message', providerOrigin: IDP_ORIGIN, timeoutMs: 2_000 });
      frameLoads(`${IDP_ORIGIN}/authorize/resume`);
      jest.advanceTimersByTime(2_000);
      expect(((await settled) as { error: ImplicitAuthError }).error.code).toBe('timeout');
    });

    it('is not looked for in web_message mode (the provider answers from its own origin)', async () => {
      jest.useFakeTimers();
      const { settled } = start({ mode: 'web_message', providerOrigin: IDP_ORIGIN, timeoutMs: 2_000 });
      frameLoads(`${APP_ORIGIN}/anything.html`);
      jest.advanceTimersByTime(2_000);
      expect(((await settled) as { error: ImplicitAuthError }).error.code).toBe('timeout');
    });
  });

  it('removes the timer once answered (no late timeout)', async () => {
    jest.useFakeTimers();
    const { outcome } = start({ timeoutMs: 5_000 });
    post(fromCallback(OK_RESPONSE));
    await expect(outcome).resolves.toBe(OK_RESPONSE);
    // Only the deferred iframe removal is left; the timeout timer is gone.
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(0);
    expect(jest.getTimerCount()).toBe(0);
    expect(frames()).toHaveLength(0);
  });

  describe('an answer over the 64 KiB cap', () => {
    const huge = (prefix: string) => `${prefix}&pad=${'x'.repeat(1024 * 1024)}`;

    it('from the callback page is refused at once with invalid_response, its iframe removed', async () => {
      const { outcome } = start();
      post(fromCallback(huge('#access_token=at&token_type=Bearer&state=s1')));
      await expect(outcome).rejects.toMatchObject({
        code: 'invalid_response',
        message: 'Silent renewal response too large',
      });
      expect(frames()).toHaveLength(0);
    });

    it('accepts an answer of exactly 64 KiB', async () => {
      const { outcome } = start();
      const prefix = '#state=s1&pad=';
      const exact = prefix + 'x'.repeat(64 * 1024 - prefix.length);
      post(fromCallback(exact));
      await expect(outcome).resolves.toBe(exact);
    });

    it('from the provider (web_message) is refused the same way', async () => {
      const { outcome } = start({ mode: 'web_message', providerOrigin: IDP_ORIGIN });
      post(
        { type: 'authorization_response', response: { state: 's1', pad: 'x'.repeat(1024 * 1024) } },
        {
          origin: IDP_ORIGIN,
        },
      );
      await expect(outcome).rejects.toMatchObject({ code: 'invalid_response' });
    });

    it('from anywhere else is dropped like any stranger, and the wait goes on', async () => {
      const { outcome } = start();
      post(fromCallback(huge('#state=s1')), { origin: IDP_ORIGIN });
      post(fromCallback(huge('#state=s1')), { source: window });
      expect(await isPending(outcome)).toBe(true);
      post(fromCallback(OK_RESPONSE));
      await expect(outcome).resolves.toBe(OK_RESPONSE);
    });
  });

  describe("response_mode=web_message (Auth0's shape)", () => {
    const webMessage = (response: Record<string, unknown>) => ({ type: 'authorization_response', response });

    it("accepts the provider's message from the provider's origin, re-encoded as a fragment", async () => {
      const { outcome } = start({ mode: 'web_message', providerOrigin: `${IDP_ORIGIN}/` });
      post(webMessage({ access_token: 'at', expires_in: 7200, scope: 'openid profile', state: 's1', x: {} }), {
        origin: IDP_ORIGIN,
      });
      const response = await outcome;
      expect(response).toBe('#access_token=at&expires_in=7200&scope=openid+profile&state=s1');
      expect(new URLSearchParams(response.slice(1)).get('scope')).toBe('openid profile');
      await new Promise((resolve) => setTimeout(resolve));
      expect(frames()).toHaveLength(0);
    });

    it('passes a provider error with the right state through for the caller to map', async () => {
      const { outcome } = start({ mode: 'web_message', providerOrigin: IDP_ORIGIN });
      post(webMessage({ error: 'login_required', error_description: 'Login required', state: 's1' }), {
        origin: IDP_ORIGIN,
      });
      await expect(outcome).resolves.toBe('#error=login_required&error_description=Login+required&state=s1');
    });

    it("drops the app's origin, a wrong state and the callback page's shape", async () => {
      const { outcome } = start({ mode: 'web_message', providerOrigin: IDP_ORIGIN });
      post(webMessage({ access_token: 'forged', state: 's1' }), { origin: APP_ORIGIN });
      post(webMessage({ access_token: 'stale', state: 's0' }), { origin: IDP_ORIGIN });
      post(fromCallback(OK_RESPONSE), { origin: IDP_ORIGIN });
      expect(await isPending(outcome)).toBe(true);
      post(webMessage({ access_token: 'at', state: 's1' }), { origin: IDP_ORIGIN });
      await expect(outcome).resolves.toBe('#access_token=at&state=s1');
    });

    it('resolves with what parseAuthorizationResponse reads, for every answer form', async () => {
      const web = start({ mode: 'web_message', providerOrigin: IDP_ORIGIN });
      post(webMessage({ access_token: 'a+b/c=', expires_in: 60, scope: 'openid email', state: 's1' }), {
        origin: IDP_ORIGIN,
      });
      expect(parseAuthorizationResponse(await web.outcome)).toEqual({
        accessToken: 'a+b/c=',
        expiresIn: '60',
        scope: 'openid email',
        state: 's1',
      });
      const query = start();
      post(fromCallback('?error=login_required&error_description=Login%20required&state=s1'));
      expect(parseAuthorizationResponse(await query.outcome)).toEqual({
        error: 'login_required',
        errorDescription: 'Login required',
        state: 's1',
      });
    });

    it('drops messages of another shape: not an object, another type, a response that is not an object', async () => {
      const { outcome } = start({ mode: 'web_message', providerOrigin: IDP_ORIGIN });
      post('#access_token=forged&state=s1', { origin: IDP_ORIGIN });
      post({ type: 'other', response: { access_token: 'forged', state: 's1' } }, { origin: IDP_ORIGIN });
      post({ type: 'authorization_response', response: '#access_token=forged&state=s1' }, { origin: IDP_ORIGIN });
      expect(await isPending(outcome)).toBe(true);
      post(webMessage({ access_token: 'at', state: 's1' }), { origin: IDP_ORIGIN });
      await expect(outcome).resolves.toBe('#access_token=at&state=s1');
    });

    it('leaves out values that are not parameters: non-finite numbers, booleans, objects', async () => {
      const { outcome } = start({ mode: 'web_message', providerOrigin: IDP_ORIGIN });
      post(
        webMessage({ access_token: 'at', expires_in: Number.POSITIVE_INFINITY, n: Number.NaN, b: true, state: 's1' }),
        { origin: IDP_ORIGIN },
      );
      await expect(outcome).resolves.toBe('#access_token=at&state=s1');
    });

    it('says why it cannot start, with the cause', async () => {
      const missing = (await start({ mode: 'web_message' }).settled) as { error: ImplicitAuthError };
      expect(missing.error.message).toBe('web_message needs the provider origin');
      expect((missing.error.cause as Error).name).toBe('TypeError');
      const opaque = (await start({ mode: 'web_message', providerOrigin: 'data:text/html,hi' }).settled) as {
        error: ImplicitAuthError;
      };
      expect(opaque.error.message).toBe('No usable origin for web_message responses');
    });

    it('refuses to start without a usable provider origin', async () => {
      for (const providerOrigin of [undefined, 'not a url', 'data:text/html,hi']) {
        const { settled } = start({ mode: 'web_message', providerOrigin });
        expect(((await settled) as { error: ImplicitAuthError }).error.code).toBe('invalid_config');
      }
      expect(frames()).toHaveLength(0);
    });
  });
});
