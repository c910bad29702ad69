/** A request the fake `fetch` received. */
export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  /** The request's `signal`, when it had one. */
  readonly signal?: AbortSignal;
}

/** Answers one URL. Return a `Response`, or throw to simulate a network failure. */
export type FakeHandler = (request: RecordedRequest) => Response | Promise<Response>;

/** A `fetch` that serves only what the test registered (everything else is a 404) and records every request. */
export interface FakeFetch {
  readonly fetch: typeof fetch;
  /** Every request, in order. */
  readonly requests: RecordedRequest[];
  /** Answers `url` (exact match, query included) with `handler`, replacing any earlier handler. */
  on(url: string, handler: FakeHandler): void;
  /** Answers `url` with `body` as JSON (a function is called per request, so the body can change). */
  json(url: string, body: unknown, status?: number): void;
  /** Makes `url` fail like an unreachable host (`TypeError: Failed to fetch`). */
  unreachable(url: string): void;
  /**
   * Makes `url` hang like a provider that accepts the connection and never answers: the request settles only when
   * its signal aborts, rejecting with the signal's reason, as the browser's `fetch` does.
   */
  hang(url: string): void;
  /** How many requests went to `url`. */
  count(url: string): number;
}

/** JSON `Response` with the given status. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

export function createFakeFetch(): FakeFetch {
  const handlers = new Map<string, FakeHandler>();
  const requests: RecordedRequest[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const request: RecordedRequest = {
      url,
      method: init?.method ?? 'GET',
      headers: new Headers(init?.headers),
      signal: init?.signal ?? undefined,
    };
    requests.push(request);
    const handler = handlers.get(url);
    return handler ? handler(request) : new Response('not found', { status: 404 });
  };
  return {
    fetch: fetchFn as typeof fetch,
    requests,
    on: (url, handler) => handlers.set(url, handler),
    json: (url, body, status = 200) =>
      handlers.set(url, () => jsonResponse(typeof body === 'function' ? (body as () => unknown)() : body, status)),
    unreachable: (url) =>
      handlers.set(url, () => {
        throw new TypeError('Failed to fetch');
      }),
    hang: (url) =>
      handlers.set(
        url,
        ({ signal }) =>
          new Promise<Response>((_, reject) => {
            signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
          }),
      ),
    count: (url) => requests.filter((r) => r.url === url).length,
  };
}
