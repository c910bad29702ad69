import { TestBed } from '@angular/core/testing';
import fc from 'fast-check';
import { ImplicitAuthError } from '../errors';
import { ImplicitAuthService } from '../implicit-auth.service';
import { storageKeys } from '../session/storage-keys';
import { createTestIssuer, loadPage, type TestIssuer } from '../testing';
import { fuzzAsync } from '../testing/fuzz';

/**
 * Fuzzing the one completion path through the real service (`npm run fuzz`: 5,000 callbacks, a twentieth of the
 * other targets' cases, as each one is a whole callback against the in-memory provider). A signed-in user with a
 * sign-in pending receives forged callbacks: each is refused with a typed code, and nothing stored changes — the
 * session, its tokens and every storage entry stay as they were, except the pending sign-in a response naming its
 * `state` uses up (a `state` is good once) — and nothing navigates away.
 */
describe('completeAuthorization through the service (fuzz)', () => {
  let idp: TestIssuer;
  let auth: ImplicitAuthService;
  const redirects: string[] = [];
  let pendingState: string;
  let pendingNonce: string;
  let valid = '';

  const config = {
    audience: 'https://api.example',
    apis: [{ url: 'https://api.example/v1' }],
    silentRenew: false as const,
  };
  const snapshot = (storage: Storage) =>
    Object.fromEntries(
      Array.from({ length: storage.length }, (_, i) => [storage.key(i)!, storage.getItem(storage.key(i)!)]),
    );

  beforeAll(async () => {
    idp = await createTestIssuer();
    sessionStorage.clear();
    localStorage.clear();
    history.replaceState(null, '', '/');
    // Signed in…
    await (await loadPage(ImplicitAuthService, idp, config, redirects)).login();
    const first = new URL(redirects.at(-1)!).searchParams;
    const signedIn = await idp.authorizationResponse({ state: first.get('state')!, nonce: first.get('nonce')! });
    history.replaceState(null, '', `/${signedIn}`);
    auth = await loadPage(ImplicitAuthService, idp, config, redirects);
    expect(auth.status()).toBe('signed-in');
    // …with another sign-in pending, whose valid answer the mutations start from.
    await auth.login();
    const second = new URL(redirects.at(-1)!).searchParams;
    pendingState = second.get('state')!;
    pendingNonce = second.get('nonce')!;
    valid = await idp.authorizationResponse({ state: pendingState, nonce: pendingNonce });
    redirects.length = 0;
  });

  afterAll(() => TestBed.resetTestingModule());

  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('', 'Bearer', '3600', '0', '-1', '99999999999', '%zz', 'eyJhbGciOiJub25lIn0.e30.', 'a.b.c'),
  );
  const name = fc.constantFrom(
    'state',
    'access_token',
    'id_token',
    'token_type',
    'expires_in',
    'scope',
    'iss',
    'error',
    'x',
  );
  const forged = fc.oneof(
    // Any parameters, with a state that names no pending sign-in or the pending one.
    fc
      .tuple(fc.array(fc.tuple(name, value), { maxLength: 6 }), fc.constantFrom('', 'other', '__proto__', 'pending'))
      .map(([pairs, state]) => {
        const params = new URLSearchParams(pairs);
        if (state) params.set('state', state === 'pending' ? pendingState : state);
        return `#${params}`;
      }),
    // The valid answer with one parameter changed, repeated, or dropped, or a character of it changed.
    fc.tuple(name, value, fc.constantFrom('set', 'append', 'delete')).map(([n, v, how]) => {
      const params = new URLSearchParams(valid.slice(1));
      if (how === 'delete') params.delete(n);
      else params[how](n, v);
      return `#${params}`;
    }),
    fc
      .tuple(fc.nat(), fc.constantFrom('%', '&', '=', 'A', '.', '+', '#'))
      .map(([at, c]) => valid.slice(0, 1 + (at % (valid.length - 1))) + c + valid.slice(2 + (at % (valid.length - 1)))),
    // Read when generated: `valid` is signed in `beforeAll`.
    fc.constant(70 * 1024).map((n) => `${valid}&pad=${'x'.repeat(n)}`),
  );

  it('refuses every forged callback with a typed code, changing nothing stored and navigating nowhere', async () => {
    const keys = storageKeys(idp.issuer, idp.clientId);
    await fuzzAsync(
      'callback through the service',
      fc.asyncProperty(forged, async (fragment) => {
        const session = snapshot(sessionStorage);
        const local = snapshot(localStorage);
        const before = { status: auth.status(), claims: auth.claims(), token: auth.currentAccessToken() };
        let outcome: unknown;
        try {
          outcome = await auth.handleCallback(fragment);
        } catch (error: unknown) {
          outcome = error;
        }
        const transactionKey = keys.transactionPrefix + pendingState;
        // Put the pending sign-in back for the next case, once this one is checked.
        const restore = () => sessionStorage.setItem(transactionKey, session[transactionKey]!);
        if (outcome === true) {
          // Still a valid answer (e.g. another `scope`, an unknown parameter added): a new session, as it should.
          restore();
          return;
        }
        // Not a response at all (no state, error or token): ignored. Otherwise refused, typed, with a code.
        if (outcome !== false) {
          expect(outcome).toBeInstanceOf(ImplicitAuthError);
          expect((outcome as ImplicitAuthError).code).toEqual(expect.any(String));
        }
        expect({ status: auth.status(), claims: auth.claims(), token: auth.currentAccessToken() }).toEqual(before);
        const after = snapshot(sessionStorage);
        const withoutPending = { ...session };
        delete withoutPending[transactionKey];
        // The one change allowed: the pending sign-in used up by a response that was read and named its `state`
        // (a `state` is good once, RFC 9700 §4.7). An oversized or malformed response is refused unread.
        const named =
          fragment.length <= 64 * 1024 && new URLSearchParams(fragment.slice(1)).getAll('state').includes(pendingState);
        expect(named ? [session, withoutPending] : [session]).toContainEqual(after);
        expect(snapshot(localStorage)).toEqual(local);
        expect(redirects).toEqual([]);
        restore();
      }),
      1 / 20,
    );
  });
});
