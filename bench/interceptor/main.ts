/*
 * Interceptor bench page. Three Angular applications live side by side in this one page, each with its own root
 * injector (the interceptor's internals are `providedIn: 'root'`, so one injector per configuration is needed):
 *
 *   bare     provideHttpClient(), nothing else
 *   one      + implicitAuthInterceptor, provideImplicitAuth with the endpoint's API as the only entry of `apis`
 *   hundred  + the same with 100 `apis` entries (see `hundredApis`)
 * plus, for information, `bareWithToken`: the bare HttpClient sending the same `Authorization` header, set by
 * hand. It separates what carrying a token costs (header bytes, a non-simple CORS request) from what the
 * interceptor's own code costs.
 *
 * `one` and `hundred` use the real service with `storage: 'session'`: `one` signs in at the provider (driven by
 * measure-interceptor.mjs), `hundred` then picks the same session up from sessionStorage. Both hold a valid
 * access token, so the interceptor takes the path a signed-in app takes on every call. When the real sign-in does
 * not work, measure-interceptor.mjs reloads the page with `tokenSource: 'fake'`: the same interceptor over
 * `ngx-implicit-auth/testing`'s FakeImplicitAuthService holding a token, and the report says so.
 *
 * The page exposes `window.benchPage` for the Node side; all timing happens here, with `performance.now()`.
 */
import {
  HttpBackend,
  HttpClient,
  type HttpEvent,
  type HttpRequest,
  HttpResponse,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import {
  createEnvironmentInjector,
  type EnvironmentInjector,
  type EnvironmentProviders,
  type Provider,
  provideZonelessChangeDetection,
} from '@angular/core';
import { createApplication } from '@angular/platform-browser';
import {
  type ApiConfig,
  type ImplicitAuthConfig,
  ImplicitAuthService,
  implicitAuthInterceptor,
  provideImplicitAuth,
  withStorage,
} from 'ngx-implicit-auth';
import { FakeImplicitAuthService, provideImplicitAuthTesting } from 'ngx-implicit-auth/testing';
import { firstValueFrom, type Observable, of } from 'rxjs';

/** What the Node side serves as `auth.config.json` for this page. */
interface BenchSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  readonly audience: string;
  /** The base URL configured in `apis` (e.g. `http://localhost:1234/api`). */
  readonly apiBase: string;
  /** The JSON endpoint every timed call goes to, below `apiBase`. */
  readonly endpoint: string;
  /** Who holds the token: the real service after a real sign-in, or the testing fake. */
  readonly tokenSource: 'real' | 'fake';
}

type Variant = 'bare' | 'bareWithToken' | 'one' | 'hundred';

/** Per variant: the milliseconds spent in its calls, and how many of them carried `Authorization: Bearer`. */
interface Spent {
  readonly ms: Record<string, number>;
  readonly authorized: Record<string, number>;
}

interface BenchPage {
  state: 'loading' | 'signed-out' | 'ready' | 'error';
  error?: string;
  /** Starts the interactive sign-in of the `one` app (the Node side completes the provider's form). */
  signIn?: () => Promise<void>;
  /**
   * `calls` sequential `HttpClient.get` to the endpoint per variant, each awaited before the next, the variants
   * taking turns call by call in an order shuffled anew each turn (reproducible from `seed`). The server counts
   * the tokens of these (`authorized` is not filled in).
   */
  http?: (variants: readonly Variant[], calls: number, seed: number) => Promise<Spent>;
  /**
   * `calls` `HttpClient.get` per variant against a backend that answers synchronously (the client-side cost
   * alone), the variants taking turns in batches, shuffled like `http`'s.
   */
  micro?: (variants: readonly Variant[], calls: number, seed: number) => Spent;
}

declare global {
  interface Window {
    benchPage?: BenchPage;
  }
}

const page: BenchPage = (window.benchPage = { state: 'loading' });
const EXPECTED_BODY = '{"ok":true}';
/** The fake's token: as long as a real RS256 JWT access token, so the requests carry as many bytes. */
const FAKE_TOKEN = `bench.${'A'.repeat(820)}.sig`;

/**
 * 100 entries, the matching one last in config order. 50 share the endpoint's origin with longer path prefixes:
 * the matcher tries the longest prefix first, so the matching `/api` entry is reached only after all of them, its
 * worst case. The other 49 are other origins, which the matcher skips by its origin index.
 */
function hundredApis(apiBase: string): ApiConfig[] {
  const sameOrigin = Array.from({ length: 50 }, (_, i) => ({ url: `${apiBase}-v${i + 2}/service-${i}` }));
  const otherOrigins = Array.from({ length: 49 }, (_, i) => ({ url: `https://api-${i}.example.com/v1` }));
  return [...sameOrigin, ...otherOrigins, { url: apiBase }];
}

function authConfig(settings: BenchSettings, apis: ApiConfig[]): ImplicitAuthConfig {
  return {
    issuer: settings.issuer,
    clientId: settings.clientId,
    responseType: 'id_token token',
    scope: settings.scope,
    audience: settings.audience,
    apis,
  };
}

async function createInjector(providers: (Provider | EnvironmentProviders)[]): Promise<EnvironmentInjector> {
  const app = await createApplication({ providers: [provideZonelessChangeDetection(), ...providers] });
  return app.injector;
}

/** An app with the interceptor and `apis`, its token held by the real service or by the testing fake. */
async function createAuthInjector(settings: BenchSettings, apis: ApiConfig[]): Promise<EnvironmentInjector> {
  const config = authConfig(settings, apis);
  const http = provideHttpClient(withInterceptors([implicitAuthInterceptor]));
  // Shared by the `one` and `hundred` apps through sessionStorage (withStorage), so one interactive sign-in does.
  // Tokens live an hour, far longer than the bench: without withSilentRenew() and withTabSync() no renewal timer,
  // iframe or tab message runs during timing.
  if (settings.tokenSource === 'real') {
    return createInjector([http, provideImplicitAuth(config, withStorage('session'))]);
  }
  const injector = await createInjector([http, provideImplicitAuthTesting({ config, signedIn: true })]);
  injector.get(FakeImplicitAuthService).setAccessToken(FAKE_TOKEN, { scopes: settings.scope.split(' ') });
  return injector;
}

/** A backend answering every request at once, synchronously; it counts the requests that carry a token. */
class InstantBackend implements HttpBackend {
  authorized = 0;

  handle(req: HttpRequest<unknown>): Observable<HttpEvent<unknown>> {
    if (req.headers.get('Authorization')?.startsWith('Bearer ')) this.authorized++;
    return of(new HttpResponse({ status: 200, body: EXPECTED_BODY, url: req.urlWithParams }));
  }
}

/** HttpClient with the same interceptors as `parent`'s, in a child injector, over an {@link InstantBackend}. */
function instantClient(parent: EnvironmentInjector, withAuth: boolean): { http: HttpClient; backend: InstantBackend } {
  const backend = new InstantBackend();
  const http = withAuth ? provideHttpClient(withInterceptors([implicitAuthInterceptor])) : provideHttpClient();
  const child = createEnvironmentInjector([http, { provide: HttpBackend, useValue: backend }], parent);
  return { http: child.get(HttpClient), backend };
}

/**
 * The variants' indexes in a random order, for each turn: a fixed or merely rotated order would make each
 * variant always follow the same neighbour, and a call can be slower or faster for what ran just before it.
 * Seeded (mulberry32), so a run can be repeated exactly.
 */
function shuffledTurns(count: number, seed: number): () => number[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return () => {
    const order = Array.from({ length: count }, (_, i) => i);
    for (let i = count - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  };
}

/** One call of a variant: the GET every variant makes, with the header by hand for `bareWithToken`. */
type Call = (http: HttpClient) => Observable<string>;

async function main(): Promise<void> {
  const response = await fetch('auth.config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`auth.config.json: HTTP ${response.status}`);
  const settings = (await response.json()) as BenchSettings;

  const one = await createAuthInjector(settings, [{ url: settings.apiBase }]);
  const oneAuth = one.get(ImplicitAuthService);
  await oneAuth.whenReady();
  if (!oneAuth.isAuthenticated()) {
    page.error = oneAuth.error()?.message;
    page.signIn = () => oneAuth.login({ returnUrl: '/' });
    page.state = 'signed-out';
    return;
  }

  // Created only now, after `one` took the callback out of the URL and saved the session.
  const hundred = await createAuthInjector(settings, hundredApis(settings.apiBase));
  const bare = await createInjector([provideHttpClient()]);
  for (const injector of [one, hundred]) {
    const auth = injector.get(ImplicitAuthService);
    await auth.whenReady();
    // Without a kept token the interceptor would take its renewal path: a different measurement altogether.
    if (!auth.currentAccessToken()) throw new Error('an app of the bench holds no access token after sign-in');
  }

  // The very token the interceptor sends, for the variant that sends it by hand.
  const token = one.get(ImplicitAuthService).currentAccessToken()?.token ?? '';
  const plain: Call = (http) => http.get(settings.endpoint, { responseType: 'text' });
  const byHand: Call = (http) =>
    http.get(settings.endpoint, { responseType: 'text', headers: { Authorization: `Bearer ${token}` } });
  const variants: Record<Variant, { injector: EnvironmentInjector; withAuth: boolean; call: Call }> = {
    bare: { injector: bare, withAuth: false, call: plain },
    bareWithToken: { injector: bare, withAuth: false, call: byHand },
    one: { injector: one, withAuth: true, call: plain },
    hundred: { injector: hundred, withAuth: true, call: plain },
  };
  const instant = Object.fromEntries(
    Object.entries(variants).map(([name, { injector, withAuth }]) => [name, instantClient(injector, withAuth)]),
  );

  page.http = async (names, calls, seed) => {
    const chosen = names.map((name) => ({ http: variants[name].injector.get(HttpClient), call: variants[name].call }));
    const spentMs = names.map(() => 0);
    const nextTurn = shuffledTurns(names.length, seed);
    // Loopback calls on a busy 2-core machine vary by ±20% from one moment to the next. Alternating the variants
    // call by call exposes them all to the same moments, so the noise cancels in the comparison instead of
    // deciding it. performance.now() is coarse here (100 µs), but its rounding is jittered to be unbiased, so
    // sums over many calls are accurate.
    for (let i = 0; i < calls; i++) {
      for (const v of nextTurn()) {
        const start = performance.now();
        const body = await firstValueFrom(chosen[v].call(chosen[v].http));
        spentMs[v] += performance.now() - start;
        if (body !== EXPECTED_BODY) throw new Error(`unexpected answer from the endpoint: ${body.slice(0, 100)}`);
      }
    }
    return { ms: Object.fromEntries(names.map((name, v) => [name, spentMs[v]])), authorized: {} };
  };

  page.micro = (names, calls, seed) => {
    const ms: Record<string, number> = {};
    const authorized: Record<string, number> = {};
    const nextTurn = shuffledTurns(names.length, seed);
    // Batches: long enough to time with a 100 µs clock, short enough to take turns many times per run.
    const batch = 250;
    for (let done = 0; done < calls; done += batch) {
      for (const name of nextTurn().map((v) => names[v])) {
        const { http, backend } = instant[name];
        const before = backend.authorized;
        const size = Math.min(batch, calls - done);
        let answered = 0;
        const start = performance.now();
        for (let i = 0; i < size; i++) variants[name].call(http).subscribe(() => answered++);
        ms[name] = (ms[name] ?? 0) + performance.now() - start;
        // Every call must have completed inside the loop, or the time above would not cover the whole chain.
        if (answered !== size) throw new Error(`${size - answered} of ${size} calls did not complete synchronously`);
        authorized[name] = (authorized[name] ?? 0) + backend.authorized - before;
      }
    }
    return { ms, authorized };
  };
  page.state = 'ready';
}

main().catch((error: unknown) => {
  page.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  page.state = 'error';
});
