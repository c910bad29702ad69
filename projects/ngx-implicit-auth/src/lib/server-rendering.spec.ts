/**
 * @jest-environment node
 */
// First, before anything loads the library: from here on every read of a browser global is recorded.
import { browserGlobalReads, browserGlobalReadsByLibrary, restoreBrowserGlobals } from './testing/browser-global-reads';
import '@angular/compiler';
import {
  HttpBackend,
  HttpClient,
  HttpErrorResponse,
  type HttpEvent,
  type HttpInterceptorFn,
  type HttpRequest,
  HttpResponse,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import {
  type ApplicationConfig,
  ChangeDetectionStrategy,
  Component,
  inject,
  provideZonelessChangeDetection,
  signal,
} from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { provideServerRendering, renderApplication, ɵDominoAdapter as DominoAdapter } from '@angular/platform-server';
import { provideRouter, RouterOutlet } from '@angular/router';
import { type Observable, of } from 'rxjs';
import type { ImplicitAuthConfig } from './config/implicit-auth-config';
import { isImplicitAuthError } from './errors';
import { implicitAuthInterceptor } from './http/auth-interceptor';
import { ImplicitAuthService } from './implicit-auth.service';
import { provideImplicitAuth } from './provide-implicit-auth';
import { authGuard, authMatchGuard } from './router/auth-guard';
import { ServerImplicitAuthService } from './server-implicit-auth.service';

/*
 * Server-side rendering with @angular/platform-server, in Node's environment (no `window`, `document` or storage):
 * a zoneless standalone app with a guarded and an unguarded route, rendered to HTML as a server would. The server
 * shows `loading`, never protected content, and the library reads no browser global and not the server DOM's window.
 */

const APP = 'https://app.example';
const CONFIG: ImplicitAuthConfig = {
  issuer: 'https://idp.example',
  clientId: 'spa',
  audience: 'https://api.example',
  apis: [
    { url: 'https://api.example/v1' },
    { url: `${APP}/api` },
    { url: 'https://public.example/news', allowAnonymous: true },
  ],
};

@Component({ selector: 'app-home', template: '<p>Welcome</p>' })
class Home {}

@Component({ selector: 'app-secret', template: '<p>Secret content</p>' })
class Secret {}

@Component({ selector: 'app-not-found', template: '<p>Not found</p>' })
class NotFound {}

/** Calls a configured API (absolute and relative URL), a public one and another origin while rendering. */
@Component({
  selector: 'app-data',
  template: `@for (line of outcomes(); track line) {
    <p>{{ line }}</p>
  }`,
})
class Data {
  protected readonly outcomes = signal<string[]>([]);

  constructor() {
    const http = inject(HttpClient);
    for (const url of [
      'https://api.example/v1/messages',
      '/api/profile',
      'https://public.example/news/1',
      '/assets/x',
    ]) {
      http.get(url).subscribe({
        next: () => this.outcomes.update((lines) => [...lines, `${url}: sent`]),
        error: (error: unknown) => {
          const cause = error instanceof HttpErrorResponse && isImplicitAuthError(error.error) ? error.error.code : '?';
          this.outcomes.update((lines) => [...lines, `${url}: ${(error as HttpErrorResponse).status} ${cause}`]);
        },
      });
    }
  }
}

@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  template: `<span id="status">{{ auth.status() }}</span>
    @if (auth.status() === 'signed-out') {
      <button id="sign-in">Sign in</button>
    }
    <router-outlet />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
class App {
  protected readonly auth = inject(ImplicitAuthService);
}

/** What reached the network: each request as sent, with its `Authorization` header (if any). */
const sent: { url: string; authorization: string | null }[] = [];
class RecordingBackend implements HttpBackend {
  /** Angular's mark for a test backend: its advice to use `fetch` on the server is not for this one. */
  readonly isTestingBackend = true;

  handle(req: HttpRequest<unknown>): Observable<HttpEvent<unknown>> {
    sent.push({ url: req.urlWithParams, authorization: req.headers.get('Authorization') });
    return of(new HttpResponse({ status: 200, body: {} }));
  }
}

function appConfig(config: ImplicitAuthConfig, interceptors = [implicitAuthInterceptor]): ApplicationConfig {
  return {
    providers: [
      provideServerRendering(),
      provideZonelessChangeDetection(),
      provideRouter([
        { path: '', component: Home },
        { path: 'secret', component: Secret, canActivate: [authGuard] },
        { path: 'matched', component: Secret, canMatch: [authMatchGuard] },
        { path: 'data', component: Data },
        { path: '**', component: NotFound },
      ]),
      provideHttpClient(withInterceptors(interceptors)),
      { provide: HttpBackend, useClass: RecordingBackend },
      provideImplicitAuth(config),
    ],
  };
}

/** Whose reads of the server DOM's `defaultView`, `location` and `baseURI` (each stack), for the last render. */
let documentReads: string[] = [];

/**
 * The server's DOM, as platform-server builds it, with its window-bound members recorded: on a server they are
 * domino's emulation, and the library has no business there either.
 */
function serverDocument(): Document {
  const document = new DominoAdapter().createHtmlDocument();
  document.body.innerHTML = '<app-root></app-root>';
  documentReads = [];
  for (const name of ['defaultView', 'location', 'baseURI'] as const) {
    let owner: object | null = document;
    while (owner && !Object.prototype.hasOwnProperty.call(owner, name)) owner = Object.getPrototypeOf(owner);
    const descriptor = (owner && Object.getOwnPropertyDescriptor(owner, name)) ?? {};
    Object.defineProperty(document, name, {
      configurable: true,
      get() {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 200;
        documentReads.push(`${name}\n${new Error().stack ?? ''}`);
        Error.stackTraceLimit = limit;
        return descriptor.get ? descriptor.get.call(this) : descriptor.value;
      },
    });
  }
  return document;
}

async function render(
  path: string,
  config = CONFIG,
  origin = APP,
  interceptors?: HttpInterceptorFn[],
): Promise<string> {
  sent.length = 0;
  const url = `${origin}${path}`;
  return renderApplication((context) => bootstrapApplication(App, appConfig(config, interceptors), context), {
    document: serverDocument(),
    url,
    allowedHosts: [new URL(url).hostname],
  });
}

const body = (html: string) => html.replace(/<!--[^>]*-->/g, '');

describe('server-side rendering', () => {
  // Angular's dev-mode note ("running in development mode") on every render is not this spec's subject.
  beforeAll(() => jest.spyOn(console, 'log').mockImplementation(() => undefined));

  afterAll(() => {
    jest.restoreAllMocks();
    restoreBrowserGlobals();
  });

  it('renders an unguarded route with the status loading: the browser decides after hydration', async () => {
    const html = body(await render('/'));
    expect(html).toContain('<span id="status">loading</span>');
    expect(html).toContain('<p>Welcome</p>');
    // Never signed-out on the server: a signed-in user must not see a sign-in button flash before hydration.
    expect(html).not.toContain('Sign in');
  });

  it('renders a guarded route without its content, and without redirecting anywhere', async () => {
    const html = body(await render('/secret?tab=1'));
    expect(html).toContain('<span id="status">loading</span>');
    // The navigation is refused: nothing in the outlet, neither the error route (`/`) nor a fallback.
    expect(html).not.toContain('Secret content');
    expect(html).not.toContain('Welcome');
    expect(html).not.toContain('Not found');
    expect(sent).toEqual([]);
  });

  it('refuses a canMatch-guarded route too: the router renders the next route that matches', async () => {
    const html = body(await render('/matched'));
    expect(html).not.toContain('Secret content');
    expect(html).toContain('<p>Not found</p>');
  });

  it('fails requests to configured APIs typed and unsent; public and other requests go out untouched', async () => {
    const html = body(await render('/data'));
    expect(html).toContain('https://api.example/v1/messages: 401 unavailable_on_server');
    // A relative URL resolves against the rendered request's address, as Angular's server resolves it.
    expect(html).toContain('/api/profile: 401 unavailable_on_server');
    expect(html).toContain('https://public.example/news/1: sent');
    expect(html).toContain('/assets/x: sent');
    expect([...sent].sort((a, b) => a.url.localeCompare(b.url))).toEqual([
      { url: `${APP}/assets/x`, authorization: null },
      { url: 'https://public.example/news/1', authorization: null },
    ]);
  });

  it('names a request to a configured API that bypassed the interceptor, in dev mode, as in the browser', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      expect(body(await render('/data', CONFIG, APP, []))).toContain('/api/profile: sent');
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /^ngx-implicit-auth: GET \S+ goes to a configured API but bypassed the token interceptor/,
        ),
      );
    } finally {
      warn.mockRestore();
    }
  });

  it('renders where Angular prerenders (a plain-http build-time host): the redirect URIs are the browser’s', async () => {
    const html = body(await render('/', CONFIG, 'http://local-angular-prerender'));
    expect(html).toContain('<span id="status">loading</span>');
    const named = { ...CONFIG, redirectUri: `${APP}/` };
    expect(body(await render('/secret', named, 'http://local-angular-prerender'))).not.toContain('Secret');
  });

  it('checks the rest of the config as the browser does: a mistake fails the server render with its field', async () => {
    const mistaken = { ...CONFIG, apis: [{ url: 'https://idp.example' }] };
    // Angular logs the bootstrap failure it rejects with.
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    await expect(render('/', mistaken)).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(/apis\[0\]\.url covers the issuer/),
    });
  });

  it('read no browser global, and not the server DOM’s window, location or base URL, from import to render', async () => {
    await render('/secret');
    const library = /projects\/ngx-implicit-auth\/src\/lib\/(?!testing\/)[^:]*(?<!\.spec)\.ts/;
    expect(documentReads.filter((stack) => library.test(stack)).map((stack) => stack.split('\n')[0])).toEqual([]);
    expect(browserGlobalReadsByLibrary().map((read) => read.name)).toEqual([]);
    // Nor by anyone, for the page's state: storage, history, the tab channel, the DOM, WebCrypto. Angular itself
    // reads only `window` (to publish its dev-mode debugging utilities) and `performance` (its own marks).
    const pageState = ['document', 'location', 'history', 'navigator', 'localStorage', 'sessionStorage'];
    const reads = browserGlobalReads();
    expect(reads.filter((read) => [...pageState, 'BroadcastChannel', 'crypto'].includes(read.name))).toEqual([]);
    const readers = reads.filter((read) => read.name === 'window').map((read) => read.stack.split('\n')[2]);
    expect(readers.filter((frame) => !frame?.includes('node_modules/@angular/core/'))).toEqual([]);
  });
});

describe('ServerImplicitAuthService', () => {
  const auth = new ServerImplicitAuthService();

  it('is loading, without a user, token or error, and ready at once', async () => {
    await expect(auth.whenReady()).resolves.toBeUndefined();
    expect([auth.status(), auth.isAuthenticated(), auth.claims(), auth.idToken(), auth.error()]).toEqual([
      'loading',
      false,
      null,
      null,
      null,
    ]);
    expect(auth.currentAccessToken()).toBeNull();
  });

  it('refuses every call that needs the browser with unavailable_on_server', async () => {
    for (const call of [
      () => auth.login(),
      () => auth.logout(),
      () => auth.getAccessToken(),
      () => auth.renew(),
      () => auth.handleCallback('#access_token=x&state=y'),
    ]) {
      await expect(call()).rejects.toMatchObject({ name: 'ImplicitAuthError', code: 'unavailable_on_server' });
    }
  });

  it('finds no callback on the server (a fragment never reaches it)', async () => {
    await expect(auth.handleCallback()).resolves.toBe(false);
  });
});
