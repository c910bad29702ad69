import type { Clock } from '../clock';
import type { ResolvedImplicitAuthConfig } from '../config/implicit-auth-config';
import type { Session } from '../session/session';
import type { SessionKeeper } from '../session/session-keeper';
import type { TransactionStore } from '../session/transaction-store';
import type { ProviderPort, ValidatedResponse } from './provider-port';

/** The context of the service whose session `keeper` holds (the provider client comes with the flows). */
export function flowContext(
  keeper: SessionKeeper,
  redirect: (url: string) => void,
  userInfo?: boolean,
): BaseFlowContext {
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
  /** Whether UserInfo is loaded (`withUserInfo()`): its claims are merged under the ID token's. */
  readonly userInfo?: boolean;
  /** The pending sign-ins, kept for their callback and taken by it. */
  readonly transactions: TransactionStore;
  /** Stores a validated response as the session (see `acceptResponse`). */
  readonly accept: (
    validated: ValidatedResponse,
    audience: string | undefined,
    previous: Session | null,
    startedAt: number,
    began?: boolean,
  ) => void;
}

/**
 * What the service holds before the on-demand code is there: the rest (the provider client, the pending sign-ins,
 * storing a response) comes with that code (`on-demand.ts`).
 */
export type BaseFlowContext = Omit<FlowContext, 'provider' | 'transactions' | 'accept'>;
