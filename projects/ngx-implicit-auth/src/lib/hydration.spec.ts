import { type ApplicationRef, mergeApplicationConfig } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { bootstrapApplication } from '@angular/platform-browser';
import type { ImplicitAuthConfig } from './config/implicit-auth-config';
import { DefaultImplicitAuthService } from './default-implicit-auth.service';
import { createTestIssuer, freshPage, loadPage, type TestIssuer } from './testing';
import { HydratedApp, hydratedAppConfig } from './testing/hydrated-app';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_FETCH } from './tokens';

/*
 * The browser taking over after hydration: the page the server rendered (status `loading`, no protected content)
 * is hydrated by the same app in the browser, which keeps the server's DOM, finds the session and shows the truth,
 * without showing a wrong state on the way (no "signed-out" for a signed-in user, no protected content for others).
 */

const APP = 'http://localhost';

/**
 * The HTML a server sends for `path`: the app rendered by @angular/platform-server in a module registry of its own
 * (its own Angular, its DOM emulation), as a server process would. The globals the emulation sets are put back.
 */
async function serverRender(config: ImplicitAuthConfig, path: string): Promise<string> {
  const before = Object.getOwnPropertyDescriptors(globalThis);
  // Angular's dev-mode notes on the server ("running in development mode") are not this spec's subject.
  const said = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  let html = '';
  try {
    await jest.isolateModulesAsync(async () => {
      await import('@angular/compiler');
      const { mergeApplicationConfig: merge } = await import('@angular/core');
      const { bootstrapApplication: bootstrap } = await import('@angular/platform-browser');
      const { provideServerRendering, renderApplication } = await import('@angular/platform-server');
      const app = await import('./testing/hydrated-app');
      const serverConfig = merge(app.hydratedAppConfig(config), { providers: [provideServerRendering()] });
      html = await renderApplication((context) => bootstrap(app.HydratedApp, serverConfig, context), {
        document: '<html><head></head><body><app-root></app-root></body></html>',
        url: `${APP}${path}`,
        allowedHosts: ['localhost'],
      });
    });
  } finally {
    said.mockRestore();
    for (const key of Reflect.ownKeys(globalThis)) {
      if (!(key in before)) delete (globalThis as Record<PropertyKey, unknown>)[key];
    }
    for (const [key, descriptor] of Object.entries(before)) {
      if (Object.getOwnPropertyDescriptor(globalThis, key)?.value !== descriptor.value) {
        Object.defineProperty(globalThis, key, descriptor);
      }
    }
  }
  return html;
}

describe('hydration: the browser takes over the server-rendered page', () => {
  let idp: TestIssuer;
  let app: ApplicationRef | undefined;
  const redirects: string[] = [];

  beforeAll(async () => {
    idp = await createTestIssuer({ issuer: 'https://idp.example' });
  });

  beforeEach(() => freshPage());

  afterEach(() => {
    app?.destroy();
    app = undefined;
    TestBed.resetTestingModule();
  });

  const config = () => ({
    issuer: idp.issuer,
    clientId: idp.clientId,
    storage: 'session' as const,
    silentRenew: false as const,
  });

  /** Signs in on an earlier page load of the app, through a real callback: the session is kept in sessionStorage. */
  async function signInEarlier(): Promise<void> {
    await (await loadPage(DefaultImplicitAuthService, idp, config(), redirects)).login();
    const request = new URL(redirects.at(-1)!).searchParams;
    const fragment = await idp.authorizationResponse({ state: request.get('state')!, nonce: request.get('nonce')! });
    history.replaceState(null, '', '/' + fragment);
    const auth = await loadPage(DefaultImplicitAuthService, idp, config(), redirects);
    expect(auth.status()).toBe('signed-in');
    TestBed.resetTestingModule();
  }

  /**
   * Puts the server's HTML in the page at `path` and boots the browser's app over it with hydration. Returns the
   * statuses the page showed from then on (each change once), whether the server's elements `ids` are still the
   * page's (kept, not rendered anew), and what Angular said about the hydration.
   */
  async function hydrate(html: string, path: string, ids: readonly string[]) {
    history.replaceState(null, '', path);
    document.documentElement.innerHTML = /<html[^>]*>([\s\S]*)<\/html>/.exec(html)![1]!;
    const serverElements = ids.map((id) => document.getElementById(id));
    const status = document.getElementById('status')!;
    const shown = [status.textContent!];
    new MutationObserver(() => {
      if (shown.at(-1) !== status.textContent) shown.push(status.textContent!);
    }).observe(status, { characterData: true, childList: true, subtree: true });
    const said = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const warned = jest.spyOn(console, 'warn');
    const failed = jest.spyOn(console, 'error');
    app = await bootstrapApplication(
      HydratedApp,
      mergeApplicationConfig(hydratedAppConfig(config()), {
        providers: [
          { provide: IMPLICIT_AUTH_FETCH, useValue: idp.fetch },
          { provide: IMPLICIT_AUTH_CLOCK, useValue: idp.clock },
        ],
      }),
    );
    await app.whenStable();
    const kept = serverElements.every((element, i) => element !== null && element === document.getElementById(ids[i]!));
    const messages = [...said.mock.calls, ...warned.mock.calls, ...failed.mock.calls].map((call) => String(call[0]));
    return { shown, kept, messages };
  }

  it('a signed-in user: loading on the server, then the protected page, never signed-out', async () => {
    await signInEarlier();
    const html = await serverRender(config(), '/secret');
    expect(html).toContain('<span id="status">loading</span>');
    expect(html).not.toContain('Secret content');

    const { shown, kept, messages } = await hydrate(html, '/secret', ['status']);
    expect(shown).toEqual(['loading', 'signed-in']);
    expect(kept).toBe(true);
    expect(messages).toContainEqual(
      expect.stringMatching(/^Angular hydrated 1 component\(s\).*0 component\(s\) were skipped/),
    );
    expect(messages.filter((message) => /NG0\d{3}/.test(message))).toEqual([]);
    // The guard, in the browser now, finds the session and lets the user in.
    expect(document.getElementById('secret')?.textContent).toBe('Secret content');
    expect(document.getElementById('sign-in')).toBeNull();
  });

  it('a signed-out user: loading on the server, then signed-out, on the very DOM the server sent', async () => {
    const html = await serverRender(config(), '/');
    expect(html).toContain('<span id="status">loading</span>');
    expect(html).toContain('Welcome');

    const { shown, kept, messages } = await hydrate(html, '/', ['status', 'home']);
    expect(shown).toEqual(['loading', 'signed-out']);
    expect(kept).toBe(true);
    expect(messages.filter((message) => /NG0\d{3}/.test(message))).toEqual([]);
    expect(document.getElementById('sign-in')).not.toBeNull();
  });
});
