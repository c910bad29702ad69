import type { Clock } from '../clock';
import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import type { fetchUserInfo } from '../protocol/userinfo';
import type { SessionKeeper } from '../session/session-keeper';
import type { ProviderPort } from './provider-port';

/** The context of the service whose session `keeper` holds (the provider client comes with the flows). */
export function flowContext(
  keeper: SessionKeeper,
  redirect: (url: string) => void,
  userInfo?: typeof fetchUserInfo,
): Omit<FlowContext, 'provider'> {
  const { config, clock, window } = keeper;
  return { config, clock, window, keeper, redirect, userInfo };
}

/**
 * What a flow works with: the resolved settings, the session's one owner, the provider and the page. Built once
 * by the service; the flows hold no state of their own beyond what they are given here.
 */
export interface FlowContext {
  readonly config: ResolvedImplicitAuthConfig;
  readonly clock: Clock;
  readonly window: Window;
  /** The session's one owner (which also holds the three above). */
  readonly keeper: SessionKeeper;
  readonly provider: ProviderPort;
  /** How the app leaves for the provider (`location.assign` in a browser). */
  readonly redirect: (url: string) => void;
  /** The UserInfo request, with `withUserInfo()`: its claims are merged under the ID token's. */
  readonly userInfo?: typeof fetchUserInfo;
}
