import {
  HTTP_INTERCEPTORS,
  HttpClient,
  HttpContext,
  HttpErrorResponse,
  HttpHeaders,
  provideHttpClient,
  withInterceptors,
  withInterceptorsFromDi,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import type { EnvironmentProviders, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { FakeImplicitAuthService, provideImplicitAuthTesting } from '../../../testing/src/public-api';
import type { ApiConfig } from '../config/implicit-auth-config';
import { ImplicitAuthError, isImplicitAuthError } from '../errors';
import { IMPLICIT_AUTH_CLOCK, IMPLICIT_AUTH_ON_DEMAND_LOADER } from '../tokens';
import { IMPLICIT_AUTH_REQUEST, ImplicitAuthInterceptor, implicitAuthInterceptor } from './auth-interceptor';
import { provideInterceptorCheck } from './interceptor-check';

const API = 'https://api.example.com/v1/messages';
const OTHER = 'https://other.example.com/items';
const APIS: readonly ApiConfig[] = [
  { url: 'https://api.example.com/v1', audience: 'api' },
  { url: 'https://other.example.com', audience: 'other' },
];
const INVALID_TOKEN = { 'WWW-Authenticate': 'Bearer realm="api", error="invalid_token", error_description="expired"' };

/** Lets promise chains (renewals) run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('implicitAuthInterceptor', () => {
  let http: HttpClient;
  let backend: HttpTestingController;
  let auth: FakeImplicitAuthService;
  let now: number;
  let warn: jest.SpyInstance;

  function setup(
    apis: readonly ApiConfig[] = APIS,
    httpProviders: (Provider | EnvironmentProviders)[] = [
      provideHttpClient(withInterceptors([implicitAuthInterceptor])),
    ],
  ): void {
    now = Date.UTC(2030, 0, 1);
    TestBed.configureTestingModule({
      providers: [
        ...httpProviders,
        provideHttpClientTesting(),
        provideImplicitAuthTesting({ config: { apis, audience: 'api' }, signedIn: true }),
        { provide: IMPLICIT_AUTH_CLOCK, useValue: { now: () => now } },
      ],
    });
    http = TestBed.inject(HttpClient);
    backend = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(FakeImplicitAuthService);
  }

  /** Subscribes and records what comes back. */
  function call(url: string, options: { headers?: HttpHeaders; context?: HttpContext } = {}) {
    const outcome: { body?: unknown; error?: unknown } = {};
    http.get(url, options).subscribe({ next: (body) => (outcome.body = body), error: (e) => (outcome.error = e) });
    return outcome;
  }

  const bearer = (req: TestRequest) => req.request.headers.getAll('Authorization');

  beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
  afterEach(() => {
    backend.verify();
    // The interceptor never starts an interactive sign-in, whatever happened.
    expect(auth.loginCalls).toEqual([]);
    warn.mockRestore();
  });

  it('attaches the kept token to a configured API synchronously (no promise on the hot path)', () => {
    setup();
    auth.setAccessToken('token-1');
    const outcome = call(API);
    const req = backend.expectOne(API);
    expect(bearer(req)).toEqual(['Bearer token-1']);
    req.flush({ ok: true });
    expect(outcome.body).toEqual({ ok: true });
  });

  it.each([
    ['a lookalike origin', 'https://api.example.com.evil.example/v1/messages'],
    ['userinfo before another host', 'https://api.example.com@evil.example/v1/messages'],
    ['a sibling path', 'https://api.example.com/v1evil'],
    ['a traversal out of the prefix', 'https://api.example.com/v1/%2e%2e/admin'],
    ['plain http', 'http://api.example.com/v1/messages'],
    ['the app itself (relative URL)', '/v1/messages'],
  ])('sends no token to %s', (_why, url) => {
    setup();
    auth.setAccessToken('token-1');
    call(url);
    const req = backend.expectOne(() => true);
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush(null);
  });

  it('sends no token anywhere when no APIs are configured, and warns once in dev mode', () => {
    setup([]);
    auth.setAccessToken('token-1');
    call(API);
    call(API);
    for (const req of backend.match(API)) {
      expect(req.request.headers.has('Authorization')).toBe(false);
      req.flush(null);
    }
    expect(warn.mock.calls.filter(([message]) => /no `apis` configured/.test(message))).toHaveLength(1);
  });

  it('decides every request to a URL it has seen before anew by method', () => {
    setup([{ url: 'https://api.example.com/v1', audience: 'api', methods: ['POST'] }]);
    auth.setAccessToken('token-1');
    for (const method of ['GET', 'POST', 'GET', 'POST']) {
      http.request(method, API).subscribe();
      const req = backend.expectOne(API);
      expect(bearer(req)).toEqual(method === 'POST' ? ['Bearer token-1'] : null);
      req.flush(null);
    }
  });

  it('resolves a relative URL against the base URI of the moment, not the one it was first seen with', () => {
    const start = location.href;
    history.pushState(null, '', '/shop/');
    try {
      setup([{ url: `${location.origin}/shop/api`, audience: 'api' }]);
      auth.setAccessToken('token-1');
      call('api/cart');
      const first = backend.expectOne(() => true);
      expect(bearer(first)).toEqual(['Bearer token-1']);
      first.flush(null);
      history.pushState(null, '', '/elsewhere/');
      call('api/cart');
      const second = backend.expectOne(() => true);
      expect(second.request.headers.has('Authorization')).toBe(false);
      second.flush(null);
    } finally {
      history.replaceState(null, '', start);
    }
  });

  it("keeps the caller's own Authorization header: no overwrite, no second one", () => {
    setup();
    auth.setAccessToken('token-1');
    call(API, { headers: new HttpHeaders({ authorization: 'Basic dTpw' }) });
    const req = backend.expectOne(API);
    expect(bearer(req)).toEqual(['Basic dTpw']);
    req.flush(null);
  });

  it('honours the per-request opt-out, and skips JSONP', () => {
    setup();
    auth.setAccessToken('token-1');
    call(API, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { skip: true }) });
    http.jsonp(API, 'callback').subscribe();
    for (const req of backend.match((r) => r.url === API)) {
      expect(req.request.headers.has('Authorization')).toBe(false);
      req.flush(null);
    }
  });

  it("sends each API its own audience's token, renewing for an audience without one", async () => {
    setup();
    auth.setAccessToken('api-token');
    auth.renewWith(({ audience }) => `${audience}-token`);
    call(OTHER);
    backend.expectNone(OTHER);
    await settle();
    const req = backend.expectOne(OTHER);
    expect(bearer(req)).toEqual(['Bearer other-token']);
    req.flush(null);
    expect(auth.renewCount).toBe(1);
  });

  it('never attaches an expired token: it waits for the renewal instead of racing it', async () => {
    setup();
    auth.setAccessToken('old', { expiresInSeconds: 60 });
    now += 61_000;
    let finish!: (token: string) => void;
    auth.renewWith(() => new Promise<string>((resolve) => (finish = resolve)));
    call(API);
    call(API);
    await settle();
    backend.expectNone(API);
    finish('new');
    await settle();
    const requests = backend.match(API);
    expect(requests.map(bearer)).toEqual([['Bearer new'], ['Bearer new']]);
    requests.forEach((req) => req.flush(null));
    expect(auth.renewCount).toBe(1);
  });

  it('fails without sending when no token can be had: a 401 HttpErrorResponse carrying the ImplicitAuthError', async () => {
    setup();
    auth.renewWith(() => {
      throw new ImplicitAuthError('provider_error', 'Login required', { error: 'login_required' });
    });
    const outcome = call(API);
    await settle();
    backend.expectNone(API);
    expect(outcome.error).toBeInstanceOf(HttpErrorResponse);
    const error = outcome.error as HttpErrorResponse;
    expect(error.status).toBe(401);
    expect(isImplicitAuthError(error.error, 'provider_error')).toBe(true);
  });

  it('sends a request to an allowAnonymous API without a token when none can be had', async () => {
    setup([{ url: 'https://api.example.com/v1', audience: 'api', allowAnonymous: true }]);
    auth.renewWith(() => {
      throw new ImplicitAuthError('not_authenticated', 'Not signed in');
    });
    const outcome = call(API);
    await settle();
    const req = backend.expectOne(API);
    expect(bearer(req)).toBeNull();
    req.flush({ ok: true });
    expect(outcome.body).toEqual({ ok: true });
  });

  it('still attaches the token to an allowAnonymous API when one is kept', () => {
    setup([{ url: 'https://api.example.com/v1', audience: 'api', allowAnonymous: true }]);
    auth.setAccessToken('token-1');
    call(API);
    const req = backend.expectOne(API);
    expect(bearer(req)).toEqual(['Bearer token-1']);
    req.flush(null);
  });

  it('on 401 invalid_token renews once and replays once with the new token', async () => {
    setup();
    auth.setAccessToken('old');
    auth.renewWith(() => 'new');
    const outcome = call(API);
    const first = backend.expectOne(API);
    expect(bearer(first)).toEqual(['Bearer old']);
    first.flush('expired', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    await settle();
    const replay = backend.expectOne(API);
    expect(bearer(replay)).toEqual(['Bearer new']);
    replay.flush({ ok: true });
    expect(outcome.body).toEqual({ ok: true });
    expect(auth.renewCount).toBe(1);
  });

  it('counts a 401 challenge as invalid_token when its parser cannot be downloaded: one renewal, one replay', async () => {
    // The challenge parser comes with the on-demand chunk; a renewal needs that chunk too, so a failed download
    // is treated as "this token is no good" and left to the renewal to report, never as a crash.
    const unreachable = jest.fn(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    setup(APIS, [
      provideHttpClient(withInterceptors([implicitAuthInterceptor])),
      { provide: IMPLICIT_AUTH_ON_DEMAND_LOADER, useValue: unreachable },
    ]);
    auth.setAccessToken('old');
    auth.renewWith(() => 'new');
    const outcome = call(API);
    backend
      .expectOne(API)
      .flush('', { status: 401, statusText: 'Unauthorized', headers: { 'WWW-Authenticate': 'Bearer' } });
    await settle();
    expect(unreachable).toHaveBeenCalled();
    const replay = backend.expectOne(API);
    expect(bearer(replay)).toEqual(['Bearer new']);
    replay.flush({ ok: true });
    expect(outcome.body).toEqual({ ok: true });
    expect(auth.renewCount).toBe(1);
  });

  it('passes a 401 through without renewing when its WWW-Authenticate is over the 8 KiB cap (1 MB, unread)', async () => {
    setup();
    auth.setAccessToken('old');
    auth.renewWith(() => 'new');
    const outcome = call(API);
    const huge = { 'WWW-Authenticate': `Bearer error="invalid_token", realm="${'x'.repeat(1024 * 1024)}"` };
    backend.expectOne(API).flush('', { status: 401, statusText: 'Unauthorized', headers: huge });
    await settle();
    backend.expectNone(API);
    expect((outcome.error as HttpErrorResponse).status).toBe(401);
    expect(auth.renewCount).toBe(0);
  });

  it('lets a second 401 pass through without another renewal', async () => {
    setup();
    auth.setAccessToken('old');
    auth.renewWith(() => 'new');
    const outcome = call(API);
    backend.expectOne(API).flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    await settle();
    backend.expectOne(API).flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    await settle();
    backend.expectNone(API);
    expect((outcome.error as HttpErrorResponse).status).toBe(401);
    expect(auth.renewCount).toBe(1);
  });

  it('shares one renewal among 10 requests rejected at once and replays each once', async () => {
    setup();
    auth.setAccessToken('old');
    let finish!: (token: string) => void;
    auth.renewWith(() => new Promise<string>((resolve) => (finish = resolve)));
    const outcomes = Array.from({ length: 10 }, () => call(API));
    for (const req of backend.match(API)) {
      req.flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    }
    await settle();
    expect(auth.renewCount).toBe(1);
    backend.expectNone(API);
    finish('new');
    await settle();
    const replays = backend.match(API);
    expect(replays).toHaveLength(10);
    replays.forEach((req, i) => {
      expect(bearer(req)).toEqual(['Bearer new']);
      req.flush(i);
    });
    expect(outcomes.map((o) => o.body)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(auth.renewCount).toBe(1);
  });

  it('fails the request with the ImplicitAuthError when the renewal after a 401 is refused', async () => {
    setup();
    auth.setAccessToken('old');
    const outcome = call(API);
    backend.expectOne(API).flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    await settle();
    backend.expectNone(API);
    expect(isImplicitAuthError((outcome.error as HttpErrorResponse).error, 'not_authenticated')).toBe(true);
  });

  it.each([
    ['403 insufficient_scope', 403, { 'WWW-Authenticate': 'Bearer error="insufficient_scope", scope="write"' }],
    ['401 without an error code', 401, { 'WWW-Authenticate': 'Bearer realm="api"' }],
    ['401 with another scheme', 401, { 'WWW-Authenticate': 'Basic realm="invalid_token"' }],
    ['500', 500, {}],
  ])('passes %s through untouched, without renewal', async (_why, status, headers) => {
    setup();
    auth.setAccessToken('old');
    auth.renewWith(() => 'new');
    const outcome = call(API);
    backend.expectOne(API).flush('nope', { status, statusText: 'Error', headers });
    await settle();
    backend.expectNone(API);
    expect((outcome.error as HttpErrorResponse).status).toBe(status);
    expect(auth.renewCount).toBe(0);
  });

  it('does not replay with the token the API refused: when the renewal hands it back, the 401 passes through', async () => {
    setup();
    auth.setAccessToken('old');
    auth.renewWith(() => 'old');
    const outcome = call(API);
    backend.expectOne(API).flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    await settle();
    backend.expectNone(API);
    expect((outcome.error as HttpErrorResponse).status).toBe(401);
  });

  it.each([
    ['a 401 without invalid_token', 401, { 'WWW-Authenticate': 'Bearer realm="api"' }],
    ['a 403 with invalid_token', 403, INVALID_TOKEN],
  ])('passes %s through without renewing', async (_why, status, headers) => {
    setup();
    auth.setAccessToken('old');
    auth.renewWith(() => 'new');
    const outcome = call(API);
    backend.expectOne(API).flush('', { status, statusText: 'No', headers });
    await settle();
    backend.expectNone(API);
    expect((outcome.error as HttpErrorResponse).status).toBe(status);
    expect(auth.renewCount).toBe(0);
  });

  it('fails a request without a token to be had as 401 Unauthorized for its URL', async () => {
    setup();
    auth.renewWith(() => {
      throw new ImplicitAuthError('not_authenticated', 'Not signed in');
    });
    const outcome = call(`${API}?page=2`);
    await settle();
    backend.expectNone(() => true);
    const error = outcome.error as HttpErrorResponse;
    expect([error.status, error.statusText, error.url]).toEqual([401, 'Unauthorized', `${API}?page=2`]);
  });

  it('renews and replays once after a 401 for a token it had to wait for', async () => {
    setup();
    const tokens = ['first', 'second'];
    auth.renewWith(() => tokens.shift()!);
    const outcome = call(API);
    await settle();
    const first = backend.expectOne(API);
    expect(bearer(first)).toEqual(['Bearer first']);
    first.flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    await settle();
    const replay = backend.expectOne(API);
    expect(bearer(replay)).toEqual(['Bearer second']);
    replay.flush({ ok: true });
    expect(outcome.body).toEqual({ ok: true });
  });

  it('asks an allowAnonymous API’s audience and scope for its token, and replays once after a 401', async () => {
    setup([{ url: 'https://api.example.com/v1', audience: 'public-api', scope: 'read', allowAnonymous: true }]);
    const asked: unknown[] = [];
    const tokens = ['first', 'second'];
    auth.renewWith(({ audience, scope }) => {
      asked.push({ audience, scope });
      return { token: tokens.shift()!, scopes: ['read'] };
    });
    const outcome = call(API);
    await settle();
    expect(asked).toEqual([{ audience: 'public-api', scope: 'read' }]);
    backend.expectOne(API).flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    await settle();
    const replay = backend.expectOne(API);
    expect(bearer(replay)).toEqual(['Bearer second']);
    replay.flush({ ok: true });
    expect(outcome.body).toEqual({ ok: true });
  });

  describe('per-request choice of audience and scope', () => {
    const SHARED: readonly ApiConfig[] = [
      { url: 'https://api.example.com/v1', audience: 'api' },
      { url: 'https://api.example.com/v1', audience: 'api-admin' },
    ];

    it("picks another configured audience's token for a URL it matches", () => {
      setup(SHARED);
      auth.setAccessToken('user-token');
      auth.setAccessToken('admin-token', { audience: 'api-admin' });
      call(API, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { audience: 'api-admin' }) });
      const req = backend.expectOne(API);
      expect(bearer(req)).toEqual(['Bearer admin-token']);
      req.flush(null);
    });

    it('never sends a token to a URL the chosen audience is not configured for', () => {
      setup(SHARED);
      auth.setAccessToken('admin-token', { audience: 'api-admin' });
      for (const url of [OTHER, 'https://evil.example/v1']) {
        call(url, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { audience: 'api-admin' }) });
        const req = backend.expectOne(url);
        expect(req.request.headers.has('Authorization')).toBe(false);
        req.flush(null);
      }
    });

    it('asks for a token with the scope a request needs when the kept one lacks it', async () => {
      setup();
      auth.setAccessToken('read-token', { scopes: ['read:messages'] });
      const scopes: (string | undefined)[] = [];
      auth.renewWith(({ scope }) => {
        scopes.push(scope);
        return { token: 'write-token', scopes: ['read:messages', 'write:messages'] };
      });
      call(API, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { scope: 'read:messages' }) });
      expect(bearer(backend.expectOne(API))).toEqual(['Bearer read-token']);
      backend.match(API).forEach((req) => req.flush(null));
      call(API, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { scope: 'write:messages' }) });
      await settle();
      const req = backend.expectOne(API);
      expect(bearer(req)).toEqual(['Bearer write-token']);
      req.flush(null);
      expect(scopes).toEqual(['write:messages']);
    });

    it('uses the kept token only when it has every scope the request needs', async () => {
      setup();
      auth.setAccessToken('read-token', { scopes: ['read:messages'] });
      auth.renewWith(() => ({ token: 'both-token', scopes: ['read:messages', 'write:messages'] }));
      call(API, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { scope: 'read:messages write:messages' }) });
      await settle();
      const req = backend.expectOne(API);
      expect(bearer(req)).toEqual(['Bearer both-token']);
      req.flush(null);
    });

    it('warns in dev mode, naming the audience and URL, when no API of the chosen audience matches', () => {
      setup(SHARED);
      call(OTHER, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { audience: 'api-admin' }) });
      backend.expectOne(OTHER).flush(null);
      expect(warn).toHaveBeenCalledWith(
        `ngx-implicit-auth: no API for audience 'api-admin' matches ${OTHER}; no token sent.`,
      );
      warn.mockClear();
      call(OTHER);
      backend.expectOne(OTHER).flush(null);
      expect(warn).not.toHaveBeenCalled();
    });

    it('stays silent about it in production', () => {
      const global = globalThis as { ngDevMode?: unknown };
      const devMode = global.ngDevMode;
      setup(SHARED);
      global.ngDevMode = false;
      try {
        call(OTHER, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { audience: 'api-admin' }) });
        backend.expectOne(OTHER).flush(null);
        expect(warn).not.toHaveBeenCalled();
      } finally {
        global.ngDevMode = devMode;
      }
    });
  });

  describe('class form', () => {
    it('behaves the same through withInterceptorsFromDi() and HTTP_INTERCEPTORS', async () => {
      setup(APIS, [
        provideHttpClient(withInterceptorsFromDi()),
        { provide: HTTP_INTERCEPTORS, useClass: ImplicitAuthInterceptor, multi: true },
      ]);
      auth.setAccessToken('old');
      auth.renewWith(() => 'new');
      call(API);
      const first = backend.expectOne(API);
      expect(bearer(first)).toEqual(['Bearer old']);
      first.flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
      await settle();
      const replay = backend.expectOne(API);
      expect(bearer(replay)).toEqual(['Bearer new']);
      replay.flush(null);
      call('https://api.example.com.evil.example/v1');
      const lookalike = backend.expectOne(() => true);
      expect(lookalike.request.headers.has('Authorization')).toBe(false);
      lookalike.flush(null);
    });
  });

  it('is harmless when registered twice (functional and class): one header, one renewal, one replay', async () => {
    setup(APIS, [
      provideHttpClient(withInterceptors([implicitAuthInterceptor]), withInterceptorsFromDi()),
      { provide: HTTP_INTERCEPTORS, useClass: ImplicitAuthInterceptor, multi: true },
    ]);
    auth.setAccessToken('old');
    auth.renewWith(() => 'new');
    call(API);
    const first = backend.expectOne(API);
    expect(bearer(first)).toEqual(['Bearer old']);
    first.flush('', { status: 401, statusText: 'Unauthorized', headers: INVALID_TOKEN });
    await settle();
    const replay = backend.expectOne(API);
    expect(bearer(replay)).toEqual(['Bearer new']);
    replay.flush(null);
    expect(auth.renewCount).toBe(1);
  });

  describe('dev-mode check that the interceptor runs (provideInterceptorCheck)', () => {
    const bypassWarnings = () => warn.mock.calls.filter(([message]) => /bypassed the token interceptor/.test(message));

    it('warns once when the class is in HTTP_INTERCEPTORS but HttpClient lacks withInterceptorsFromDi()', () => {
      setup(APIS, [
        provideHttpClient(),
        { provide: HTTP_INTERCEPTORS, useClass: ImplicitAuthInterceptor, multi: true },
        provideInterceptorCheck(),
      ]);
      auth.setAccessToken('token-1');
      call(API);
      call(OTHER);
      backend
        .match(() => true)
        .forEach((req) => {
          expect(req.request.headers.has('Authorization')).toBe(false);
          req.flush(null);
        });
      expect(bypassWarnings()).toHaveLength(1);
      expect(bypassWarnings()[0][0]).toMatch(/withInterceptorsFromDi/);
      // Both kinds of app are told what to do: an NgModule app with ImplicitAuthModule.forRoot too.
      expect(bypassWarnings()[0][0]).toMatch(/Standalone app: .*withInterceptors\(\[implicitAuthInterceptor\]\)/);
      expect(bypassWarnings()[0][0]).toMatch(/NgModule app \(ImplicitAuthModule\.forRoot/);
    });

    it.each([
      ['the functional form', [provideHttpClient(withInterceptors([implicitAuthInterceptor]))]],
      [
        'the class form with withInterceptorsFromDi()',
        [
          provideHttpClient(withInterceptorsFromDi()),
          { provide: HTTP_INTERCEPTORS, useClass: ImplicitAuthInterceptor, multi: true },
        ],
      ],
    ])('stays silent with %s', (_why, providers: (Provider | EnvironmentProviders)[]) => {
      setup(APIS, [...providers, provideInterceptorCheck()]);
      auth.setAccessToken('token-1');
      call(API);
      call(API, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { skip: true }) });
      // Seen by the interceptor but sent without a token (no entry for that audience): not a bypass.
      call(API, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { audience: 'unknown' }) });
      backend.match(API).forEach((req) => req.flush(null));
      expect(bypassWarnings()).toHaveLength(0);
    });

    it("stays silent for a request that carries the caller's own Authorization", () => {
      setup(APIS, [provideHttpClient(), provideInterceptorCheck()]);
      call(API, { headers: new HttpHeaders({ Authorization: 'Basic abc' }) });
      backend.expectOne(API).flush(null);
      expect(bypassWarnings()).toHaveLength(0);
    });

    it('provides nothing in production', () => {
      const global = globalThis as { ngDevMode?: unknown };
      const devMode = global.ngDevMode;
      global.ngDevMode = false;
      try {
        setup(APIS, [provideHttpClient(), provideInterceptorCheck()]);
        call(API);
        backend.expectOne(API).flush(null);
        expect(bypassWarnings()).toHaveLength(0);
      } finally {
        global.ngDevMode = devMode;
      }
    });

    it('stays silent for requests that are not for a configured API', () => {
      setup(APIS, [provideHttpClient(), provideInterceptorCheck()]);
      call('https://elsewhere.example/x');
      backend.expectOne(() => true).flush(null);
      expect(bypassWarnings()).toHaveLength(0);
    });
  });
});
