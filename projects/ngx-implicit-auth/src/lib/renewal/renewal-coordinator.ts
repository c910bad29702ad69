import { sameUser, userFingerprint } from '../claims';
import { ImplicitAuthError, isImplicitAuthError, isInteractionRequired } from '../errors';
import type { FlowContext } from '../flows/flow-context';
import type { ValidatedResponse } from '../flows/provider-port';
import { signInSilently, type SilentSignInRequest } from '../flows/silent-sign-in';
import type { Session } from '../session/session';
import { signedOutMeanwhile } from '../session/session-keeper';
import { toImplicitAuthError } from '../session/session-state';
import { createSingleFlight } from './single-flight';
import { createCookieBlockDetector } from './third-party-cookies';

/** What the service asks of renewal. */
export interface RenewalCoordinator {
  /**
   * The session restore on reload: a quiet silent sign-in (`login_required` there just means "signed out").
   * `epoch`: the session epoch when it was asked for; a sign-out since then drops its result.
   */
  restore(epoch: number): Promise<void>;
  /** One silent renewal for `audience`, shared by every caller asking at the same time (see `restore`). */
  renew(audience: string | undefined, scope: string | undefined, epoch: number): Promise<void>;
  /** Tells the blocked-cookie detector that an interactive sign-in just finished. */
  signedInInteractively(): void;
}

/**
 * Restore, renewal and their policies: one renewal at a time per audience (in this tab, and across tabs under the
 * tab lock), a user switch handled without mixing two users' tokens, blocked third-party cookies recognised, and a
 * sign-out that always wins over a renewal still under way. `signIn` starts the interactive fallback
 * (`silentRenew.onCookiesBlocked: 'redirect'`).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthError (§3.1.2.6)
 */
export function createRenewalCoordinator(ctx: FlowContext, signIn: () => Promise<void>): RenewalCoordinator {
  const { config, clock, keeper } = ctx;
  const { state } = keeper;
  const flight = createSingleFlight<string, void>();
  const cookies = createCookieBlockDetector({
    storage: keeper.hints,
    key: keeper.keys.signedInAt,
    issuer: config.issuer,
    appHostname: ctx.window.location.hostname,
    now: () => clock.now(),
  });

  /** A silent request's failure, typed (blocked cookies recognised, with their event). */
  const classify = (error: unknown): ImplicitAuthError => {
    const typed = cookies.classify(toImplicitAuthError(error));
    if (typed.code === 'third_party_cookies_blocked') state.emit({ type: 'third_party_cookies_blocked', error: typed });
    return typed;
  };

  /**
   * After blocked cookies ended the session: one interactive sign-in when configured (its failure lands in
   * `error`), never a silent retry. Started after the session ended, so a later `logout()` still stops it.
   */
  const fallbackSignIn = (error: ImplicitAuthError) => {
    const renew = config.silentRenew;
    if (error.code === 'third_party_cookies_blocked' && renew && renew.onCookiesBlocked === 'redirect') {
      signIn().catch(() => undefined);
    }
  };

  const silently = (request: SilentSignInRequest) => signInSilently(ctx, request);

  /**
   * A renewal came back for another user. When that user's session is the newest one begun in this browser,
   * this tab had missed its sign-in in another tab: it moves on to it and signs no one out. Otherwise someone
   * else signed in at the provider: this user's session ends in every tab, so two users' tokens never mix.
   */
  const switchUser = (validated: ValidatedResponse, audience: string | undefined, started: Session) => {
    const newest = state.browserSession();
    if (newest && newest.at > started.startedAt && newest.user === userFingerprint(validated.claims)) {
      state.end('user_switched');
      ctx.accept(validated, audience, null, newest.at, false);
    } else {
      keeper.signOut('user_switched');
    }
  };

  const renewNow = async (audience: string | undefined, scope: string | undefined, epoch: number) => {
    const started = keeper.session();
    const startedAt = clock.now();
    try {
      keeper.checkEpoch(epoch);
      if (!config.silentRenew)
        throw new ImplicitAuthError(
          'renewal_disabled',
          typeof ngDevMode === 'undefined' || ngDevMode ? 'Silent renewal is turned off' : '',
        );
      state.emit({ type: 'renewal_started', audience });
      await keeper.tabs.runExclusive(audience, async () => {
        // Another tab may have renewed while this one waited for the lock: its tokens are already here.
        if (keeper.session() !== started) return;
        const api = config.apis.find((entry) => entry.audience === audience);
        const validated = await silently({
          audience,
          scope: scope ?? api?.scope ?? config.scope,
          idTokenHint: started?.idToken ?? keeper.keptIdTokenHint(),
          renewing: started !== null,
        });
        // Signed out while the iframe was out: the answer must not sign the user back in (nor other tabs).
        keeper.checkEpoch(epoch);
        if (started?.claims && validated.claims && !sameUser(started.claims, validated.claims)) {
          switchUser(validated, audience, started);
          // The callers asked for this user's token: they never get the other user's.
          throw new ImplicitAuthError(
            'user_switched',
            typeof ngDevMode === 'undefined' || ngDevMode ? 'The provider session now belongs to another user' : '',
          );
        }
        ctx.accept(validated, audience, keeper.session(), startedAt);
        cookies.silentRequestWorked();
      });
    } catch (error: unknown) {
      // Signed out meanwhile (here, by another tab or by the provider): that outcome stands. Whatever the
      // provider said after it is not reported, and ends or starts nothing. (A user switch ends the session too,
      // on purpose, and is reported.)
      if (epoch !== keeper.epoch && !isImplicitAuthError(error, 'user_switched')) {
        throw isImplicitAuthError(error, 'signed_out') ? error : signedOutMeanwhile(error);
      }
      const typed = classify(error);
      keeper.fail(typed);
      state.emit({ type: 'renewal_failed', error: typed });
      // The provider needs the user: sign out cleanly; the next sign-in is interactive, never a retry loop.
      if (isInteractionRequired(typed)) {
        keeper.end('session_ended', clock.now());
        fallbackSignIn(typed);
      }
      throw typed;
    }
  };

  return {
    async restore(epoch) {
      const startedAt = clock.now();
      try {
        const validated = await silently({
          audience: config.audience,
          scope: config.scope,
          idTokenHint: keeper.keptIdTokenHint(),
        });
        if (epoch !== keeper.epoch || keeper.session()) return; // signed out meanwhile, or signed in another way
        ctx.accept(validated, config.audience, null, startedAt);
        cookies.silentRequestWorked();
        state.emit({ type: 'signed_in', claims: validated.claims, returnUrl: ctx.window.location.pathname });
      } catch (error: unknown) {
        const typed = classify(error);
        if (epoch !== keeper.epoch) return; // signed out meanwhile: nothing to report, nothing to start
        // An interaction error just means "signed out" (the user may sign in). Anything else (a provider that
        // refuses the request, an unreachable provider) is shown, and so are blocked cookies, which explain why
        // every reload signs the user out.
        const interaction = isInteractionRequired(typed);
        if (typed.code === 'third_party_cookies_blocked' || !interaction) keeper.fail(typed);
        // Only the provider's "no session here" ends the hint; after an outage the next reload tries again.
        if (interaction) state.forgetHint();
        state.emit({ type: 'renewal_failed', error: typed });
        fallbackSignIn(typed);
      }
    },
    renew: (audience, scope, epoch) => flight(audience ?? '', () => renewNow(audience, scope, epoch)),
    signedInInteractively: () => cookies.signedInInteractively(),
  };
}
