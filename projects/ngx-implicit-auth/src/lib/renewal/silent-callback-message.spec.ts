import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SILENT_CALLBACK_MESSAGE_TYPE, SILENT_CALLBACK_SCRIPT_HASH } from './silent-callback-message';
import { requestInHiddenIframe } from './silent-request';

const PAGE = readFileSync(join(__dirname, '../../silent-callback/silent-callback.html'), 'utf8');
const SCRIPTS = [...PAGE.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
const SCRIPT = SCRIPTS[0][2];

interface PageWindow {
  location: Pick<Location, 'hash' | 'search' | 'origin' | 'pathname'>;
  history: Pick<History, 'replaceState'>;
  parent: unknown;
}

/** Runs the page's inline script with `window` bound to `w`, as the browser would inside the iframe. */
function runPage(w: PageWindow): void {
  new Function('window', SCRIPT)(w);
}

function framedPage(url: string) {
  const { hash, search, origin, pathname } = new URL(url);
  const parent = { postMessage: jest.fn() };
  const w: PageWindow = { location: { hash, search, origin, pathname }, history: { replaceState: jest.fn() }, parent };
  return { w, parent };
}

describe('silent-callback.html', () => {
  it('is static: one inline script, nothing loaded from anywhere', () => {
    expect(SCRIPTS).toHaveLength(1);
    expect(SCRIPTS[0][1]).toBe('');
    expect(PAGE).not.toMatch(/\s(src|href)=/);
    expect(PAGE).not.toContain('<base');
  });

  it('allows only its own script by hash, and that hash is the one documented and exported', () => {
    const hash = `'sha256-${createHash('sha256').update(SCRIPT, 'utf8').digest('base64')}'`;
    expect(SILENT_CALLBACK_SCRIPT_HASH).toBe(hash);
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(PAGE)?.[1];
    expect(csp).toBe(`default-src 'none'; script-src ${hash}; base-uri 'none'; form-action 'none'`);
    // Once in the <meta>, once in the comment that tells apps what to add to their own CSP header.
    expect(PAGE.split(`script-src ${hash}`)).toHaveLength(3);
  });

  it("posts the fragment to its parent, to the app's exact origin (never '*')", () => {
    const { w, parent } = framedPage('https://app.example/silent-callback.html#access_token=at&state=s1');
    runPage(w);
    expect(parent.postMessage).toHaveBeenCalledTimes(1);
    expect(parent.postMessage).toHaveBeenCalledWith(
      { type: SILENT_CALLBACK_MESSAGE_TYPE, response: '#access_token=at&state=s1' },
      'https://app.example',
    );
  });

  it('posts the query when the provider put a prompt=none error there', () => {
    const { w, parent } = framedPage('https://app.example/silent-callback.html?error=login_required&state=s1');
    runPage(w);
    expect(parent.postMessage).toHaveBeenCalledWith(
      { type: SILENT_CALLBACK_MESSAGE_TYPE, response: '?error=login_required&state=s1' },
      'https://app.example',
    );
  });

  it('forwards only the error parameters of a query, never tokens, and nothing for an empty error', () => {
    let { w, parent } = framedPage(
      'https://app.example/silent-callback.html?error=login_required&access_token=leaked&state=s1&iss=https%3A%2F%2Fidp',
    );
    runPage(w);
    expect(parent.postMessage).toHaveBeenCalledWith(
      { type: SILENT_CALLBACK_MESSAGE_TYPE, response: '?error=login_required&state=s1&iss=https%3A%2F%2Fidp' },
      'https://app.example',
    );
    ({ w, parent } = framedPage('https://app.example/silent-callback.html?error=&access_token=leaked&state=s1'));
    runPage(w);
    expect(parent.postMessage).not.toHaveBeenCalled();
  });

  it('posts nothing without a response (empty fragment, a query without error)', () => {
    for (const url of ['https://app.example/silent-callback.html#', 'https://app.example/silent-callback.html?x=1']) {
      const { w, parent } = framedPage(url);
      runPage(w);
      expect(parent.postMessage).not.toHaveBeenCalled();
    }
  });

  it('posts nothing when it is not framed (opened as a top-level page)', () => {
    const { w } = framedPage('https://app.example/silent-callback.html#access_token=at&state=s1');
    const postMessage = jest.fn();
    w.parent = Object.assign(w, { postMessage });
    runPage(w);
    expect(postMessage).not.toHaveBeenCalled();
    expect(w.history.replaceState).toHaveBeenCalledWith(null, '', '/silent-callback.html');
  });

  it('removes the response from its own URL, so tokens do not linger in history', () => {
    const before = window.location.href;
    window.history.replaceState(null, '', '/silent-callback.html?error=login_required&state=s1');
    const parent = { postMessage: jest.fn() };
    runPage({ location: window.location, history: window.history, parent });
    expect(window.location.href).toBe(`${window.location.origin}/silent-callback.html`);
    expect(parent.postMessage).toHaveBeenCalledTimes(1);
    window.history.replaceState(null, '', before);
  });

  it('answers requestInHiddenIframe end to end', async () => {
    const outcome = requestInHiddenIframe('https://idp.example/authorize?prompt=none', {
      expectedState: 's1',
      timeoutMs: 1_000,
      window,
      mode: 'fragment',
    });
    const iframe = document.querySelector('iframe')!;
    const { w } = framedPage(`${window.location.origin}/silent-callback.html#id_token=it&state=s1`);
    // The browser: deliver to the parent only if the target origin matches, from the iframe's window.
    w.parent = {
      postMessage: (data: unknown, targetOrigin: string) => {
        if (targetOrigin !== window.location.origin) return;
        window.dispatchEvent(
          new MessageEvent('message', { data, origin: w.location.origin, source: iframe.contentWindow }),
        );
      },
    };
    runPage(w);
    await expect(outcome).resolves.toBe('#id_token=it&state=s1');
    await new Promise((resolve) => setTimeout(resolve));
    expect(document.querySelector('iframe')).toBeNull();
  });
});
