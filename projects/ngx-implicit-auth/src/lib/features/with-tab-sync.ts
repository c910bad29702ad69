import { type ImplicitAuthFeature, makeFeature } from '../features';
import { createTabSync } from '../renewal/tab-sync';
import { isSession, type Session } from '../session/session';
import { IMPLICIT_AUTH_FEATURE_PARTS } from '../tokens';

/**
 * The app's tabs act as one: a sign-out in one signs out every tab, tokens one tab gets are shared with the others
 * (a second tab needs no round trip of its own), and one tab at a time renews (Web Locks). Only same-origin tabs of
 * the same app (issuer + client id) hear each other (BroadcastChannel). Without this feature each tab keeps its own
 * session: signing out in one leaves the others signed in until their tokens expire or a renewal is refused.
 */
export function withTabSync(): ImplicitAuthFeature<'tab-sync'> {
  return makeFeature('tab-sync', [
    {
      provide: IMPLICIT_AUTH_FEATURE_PARTS,
      multi: true,
      useValue: { tabSync: (name: string) => createTabSync<Session>({ name, isTokens: isSession }) },
    },
  ]);
}
