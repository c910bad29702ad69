import {
  type HttpContext,
  HttpContextToken,
  HttpErrorResponse,
  type HttpEvent,
  type HttpHandler,
  type HttpHandlerFn,
  type HttpInterceptor,
  type HttpInterceptorFn,
  type HttpRequest,
} from '@angular/common/http';
import { inject, Injectable, InjectionToken, Injector, runInInjectionContext } from '@angular/core';
import { catchError, from, type Observable, of, switchMap, throwError } from 'rxjs';
import { ImplicitAuthService } from '../implicit-auth.service';
import { loadOnDemand, type OnDemandModule } from '../on-demand-loader';
import { injectPageBaseUri } from '../page-address';
import { IMPLICIT_AUTH_CONFIG, IMPLICIT_AUTH_CONFIG_SOURCE, IMPLICIT_AUTH_ON_DEMAND_LOADER } from '../tokens';
import { type ApiMatcher, createApiMatcher } from './api-matcher';

/** Per-request settings, through `HttpContext` (see {@link IMPLICIT_AUTH_REQUEST}). */
export interface ImplicitAuthRequestOptions {
  /** Whether to send this request without a token (and without the 401 renewal), even to a configured API. */
  readonly skip?: boolean;
  /**
   * Send the token of this audience instead of the matched entry's. Only an entry configured for this audience
   * that matches the URL (origin, path, method) qualifies; otherwise the request goes without a token. This picks
   * among configured APIs; it never lets a token reach an origin that is not configured.
   */
  readonly audience?: string;
  /** Scopes this request needs: a kept token lacking any of them is not used; one is asked for with them. */
  readonly scope?: string;
}

const NO_OPTIONS: ImplicitAuthRequestOptions = {};

/**
 * Per-request opt-out or choice of audience:
 * `http.get(url, { context: new HttpContext().set(IMPLICIT_AUTH_REQUEST, { skip: true }) })`.
 */
export const IMPLICIT_AUTH_REQUEST = new HttpContextToken<ImplicitAuthRequestOptions>(() => NO_OPTIONS);

type Intercept = (req: HttpRequest<unknown>, next: HttpHandlerFn) => Observable<HttpEvent<unknown>>;

/** The matcher built once from the config (so its dev-mode warning shows once). */
export const API_MATCHER = new InjectionToken<ApiMatcher>('API_MATCHER', {
  providedIn: 'root',
  factory: () => createApiMatcher(inject(IMPLICIT_AUTH_CONFIG)),
});

/** Request contexts the interceptor has seen, for the dev-mode check that it is registered at all. */
export const INTERCEPTED = /* @__PURE__ */ new WeakSet<HttpContext>();

/**
 * Whether an API answered that the token it got is no good: `401` with a `Bearer` challenge carrying
 * `error="invalid_token"` (expired, revoked, …). Cross-origin, the API must list `WWW-Authenticate` in
 * `Access-Control-Expose-Headers` for the browser to show it.
 *
 * The challenge parser (`www-authenticate.ts`) comes with the on-demand chunk (`load`): only a `401` with the header
 * needs it, and the renewal such an answer calls for needs that chunk anyway. When the chunk cannot be loaded, the
 * answer counts as `invalid_token`: the renewal then fails as it would have, and says why.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
function isInvalidToken(error: unknown, load: () => Promise<OnDemandModule>): Observable<boolean> {
  const header = error instanceof HttpErrorResponse && error.status === 401 && error.headers.get('WWW-Authenticate');
  if (!header) return of(false);
  return from(
    load().then(
      ({ isInvalidTokenChallenge }) => isInvalidTokenChallenge(header),
      () => true,
    ),
  );
}

/**
 * The one implementation behind both interceptor forms; one per injector. Until the config is there
 * (`withConfigLoader()` still loading) no API is configured: requests pass untouched.
 */
const INTERCEPT = new InjectionToken<Intercept>('INTERCEPT', {
  providedIn: 'root',
  factory: (): Intercept => {
    // No source: the config comes straight from IMPLICIT_AUTH_CONFIG (`provideImplicitAuthTesting`).
    const source = inject(IMPLICIT_AUTH_CONFIG_SOURCE, { optional: true }) ?? { config: true };
    const injector = inject(Injector);
    let intercept: Intercept | undefined;
    return (req, next) =>
      source.config ? (intercept ??= runInInjectionContext(injector, createIntercept))(req, next) : next(req);
  },
});

/** The interceptor proper, once the config is there. */
function createIntercept(): Intercept {
  const auth = inject(ImplicitAuthService);
  const match = inject(API_MATCHER);
  const baseUri = injectPageBaseUri();
  const loader = inject(IMPLICIT_AUTH_ON_DEMAND_LOADER);
  const timeoutMs = inject(IMPLICIT_AUTH_CONFIG).networkTimeoutMs;
  const load = () => loadOnDemand(loader, timeoutMs);
  return (req, next) => {
    if (typeof ngDevMode === 'undefined' || ngDevMode) INTERCEPTED.add(req.context);
    const options = req.context.get(IMPLICIT_AUTH_REQUEST);
    // The caller's own Authorization wins: never overwritten, never a second one beside it (RFC 6750 §2).
    if (options.skip || req.method === 'JSONP' || req.headers.has('Authorization')) return next(req);
    const api = match(req.urlWithParams, req.method, baseUri(), options.audience);
    if (!api) {
      if ((typeof ngDevMode === 'undefined' || ngDevMode) && options.audience) {
        console.warn(`ngx-implicit-auth: no API for audience '${options.audience}' matches ${req.url}; no token sent.`);
      }
      return next(req);
    }
    const { audience } = api;
    const scope = options.scope ?? api.scope;
    // No token to be had (signed out, renewal refused): fail like the API would, without sending anything.
    const obtain = (replacing?: string) =>
      from(auth.getAccessToken({ audience, scope, replacing })).pipe(
        catchError((error: unknown) =>
          throwError(
            () => new HttpErrorResponse({ error, status: 401, statusText: 'Unauthorized', url: req.urlWithParams }),
          ),
        ),
      );
    const send = (token: string, replay: boolean): Observable<HttpEvent<unknown>> =>
      next(req.clone({ setHeaders: { Authorization: `Bearer ${token}` } })).pipe(
        catchError((error: unknown) =>
          // One renewal (shared by every request rejected at once) and one replay; a second 401 passes through.
          (replay ? of(false) : isInvalidToken(error, load)).pipe(
            switchMap((invalid) =>
              invalid
                ? obtain(token).pipe(
                    switchMap((renewed) => (renewed === token ? throwError(() => error) : send(renewed, true))),
                  )
                : throwError(() => error),
            ),
          ),
        ),
      );
    const kept = auth.currentAccessToken({ audience });
    // Fast path, synchronous: a valid token (the service never returns an expired one) goes out at once.
    if (kept && (!options.scope || options.scope.split(' ').every((s) => !s || kept.scopes.includes(s)))) {
      return send(kept.token, false);
    }
    // Missing, expired, or without the scope this request needs: wait for the service's renewal (shared with
    // any already under way, never raced), which never hands back the token passed as `replacing`.
    if (!api.allowAnonymous) return obtain(kept?.token).pipe(switchMap((token) => send(token, false)));
    // A public endpoint: without a token to be had, the request goes out as it is and the API decides.
    return from(auth.getAccessToken({ audience, scope, replacing: kept?.token })).pipe(
      catchError(() => [null]),
      switchMap((token) => (token ? send(token, false) : next(req))),
    );
  };
}

/**
 * Sends the access token, as `Authorization: Bearer`, to the configured APIs and nowhere else. For
 * `provideHttpClient(withInterceptors([implicitAuthInterceptor]))`.
 *
 * - Only a request matching an entry of `apis` (see `createApiMatcher`) gets a token, and only the token of
 *   that entry's audience; no `apis`, no token anywhere. A caller's own `Authorization` is left alone.
 * - A valid kept token is attached synchronously; otherwise the interceptor waits for
 *   `getAccessToken()`, which renews silently (shared with any renewal under way) or refuses.
 * - When no token can be had the request is not sent and fails with an `HttpErrorResponse` of status `401`
 *   whose `error` is the `ImplicitAuthError`, so one `catchError` handles both cases.
 * - A `401` with `error="invalid_token"` triggers one renewal (shared by all requests rejected at once) and
 *   one replay; `403 insufficient_scope` and every other error pass through untouched.
 * - It never starts an interactive sign-in: that is the guard's job, and doing it here causes redirect loops.
 * - During server-side rendering no token is to be had (the session is the browser's): requests to configured APIs
 *   fail as above, with `unavailable_on_server`, and are never sent; `allowAnonymous` APIs and every other URL get
 *   their request untouched.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1 (the Authorization request header field)
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3 (the WWW-Authenticate challenge)
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.9 (access token leakage at the resource server)
 */
export const implicitAuthInterceptor: HttpInterceptorFn = (req, next) => inject(INTERCEPT)(req, next);

/**
 * The class form of {@link implicitAuthInterceptor}, same behaviour, for NgModule apps:
 * `{ provide: HTTP_INTERCEPTORS, useClass: ImplicitAuthInterceptor, multi: true }` runs only when HttpClient
 * was set up with `provideHttpClient(withInterceptorsFromDi())` (or `HttpClientModule`). Prefer the
 * functional form with `withInterceptors` in standalone apps.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
@Injectable()
export class ImplicitAuthInterceptor implements HttpInterceptor {
  private readonly run = inject(INTERCEPT);

  intercept(req: HttpRequest<unknown>, handler: HttpHandler): Observable<HttpEvent<unknown>> {
    return this.run(req, (forwarded) => handler.handle(forwarded));
  }
}
