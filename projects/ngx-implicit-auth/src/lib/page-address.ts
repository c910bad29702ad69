import { isPlatformBrowser, PlatformLocation } from '@angular/common';
import { DOCUMENT, inject, PLATFORM_ID } from '@angular/core';
import type { ImplicitAuthConfig } from './config/implicit-auth-config';

/*
 * The page's address, in the browser and during server-side rendering (`@angular/platform-server`), where the DOM
 * is an emulation: its `baseURI` is not implemented (reading it throws) and its `location` is the rendered request's,
 * which need not be an address the browser ever sees.
 */

/**
 * Returns a function reading the page's base URL, against which relative request URLs resolve. In the browser,
 * `document.baseURI` (from `<base href>`, else the current page). On the server, the rendered request's URL and
 * `<base href>`, resolved the way Angular's server resolves a relative `HttpClient` URL before sending it.
 * Call it in an injection context.
 */
export function injectPageBaseUri(): () => string {
  // `ngServerMode` is false in the CLI's browser builds: they drop the server's branch below.
  if (!(typeof ngServerMode === 'undefined' || ngServerMode) || isPlatformBrowser(inject(PLATFORM_ID))) {
    const document = inject(DOCUMENT);
    return () => document.baseURI;
  } else {
    const location = inject(PlatformLocation);
    return () => {
      const { protocol, hostname, port, href } = location;
      try {
        return new URL(location.getBaseHrefFromDOM() || href, `${protocol}//${hostname}${port ? `:${port}` : ''}`).href;
      } catch {
        // A render without a request URL: relative URLs then resolve nowhere, and match no configured API.
        return '';
      }
    };
  }
}

/**
 * The origin to resolve the config against during server-side rendering: the app's origin as the config names it
 * (that of `redirectUri`), else the loopback `http://localhost`.
 *
 * Why not the request's: a server renders at addresses the browser never sees (`http://local-angular-prerender/`
 * when Angular prerenders or extracts routes at build time, an internal host behind a proxy that ends TLS). The
 * redirect URIs derived from such an address would fail the https rule and stop every server render, although
 * the server never uses them: they are the browser's, derived from its own address there. Every field that does
 * not depend on the page is checked on the server exactly as in the browser.
 */
export function serverConfigOrigin(config: ImplicitAuthConfig): string {
  // Read defensively: the config is checked afterwards, by `resolveConfig`, which names whatever is wrong in it.
  const given = config as Partial<ImplicitAuthConfig> | null;
  const uri = given?.redirectUri;
  try {
    const origin = typeof uri === 'string' ? new URL(uri).origin : 'null';
    if (origin !== 'null') return origin;
  } catch {
    // Not an absolute URL: the config check names that field.
  }
  return 'http://localhost';
}
