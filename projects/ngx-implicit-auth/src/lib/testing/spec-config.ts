import type {
  ImplicitAuthConfig,
  ResolvedImplicitAuthConfig,
  SilentRenewConfig,
  TokenStorageKind,
  TokenStore,
} from '../config/implicit-auth-config';
import { resolveWithParts } from '../config/resolve-config';
import { createTabSync } from '../renewal/tab-sync';
import { resolveSilentRenew } from '../renewal/silent-renew-options';
import { isSession, type Session } from '../session/session';
import { createSessionStore } from '../session/session-store';
import type { ImplicitAuthParts } from '../tokens';

/**
 * A spec's settings: the config, plus the features' options under the names they have as features' arguments
 * (`silentRenew` for `withSilentRenew()`, `false` for none; `storage` for `withStorage()`; `loadUserInfo` for
 * `withUserInfo()`).
 */
export type SpecConfig = Partial<ImplicitAuthConfig> & {
  readonly silentRenew?: SilentRenewConfig | false;
  readonly storage?: TokenStorageKind | TokenStore;
  readonly loadUserInfo?: boolean;
};

/**
 * For framework-free specs: the config resolved as `provideImplicitAuth` resolves it with the features a spec's
 * settings select (silent renewal unless `silentRenew: false`), without Angular.
 */
export function resolveSpecConfig(
  {
    silentRenew,
    storage,
    loadUserInfo: _userInfo,
    ...config
  }: SpecConfig & Pick<ImplicitAuthConfig, 'issuer' | 'clientId'>,
  origin: string,
  base = `${origin}/`,
): ResolvedImplicitAuthConfig {
  return resolveWithParts(config, origin, base, {
    silentRenew: silentRenew === false ? undefined : (o, b) => resolveSilentRenew(silentRenew, o, b),
    storage: storage ? { kind: storage } : undefined,
  });
}

/** The parts `withStorage()` (for a `storage` other than memory) and `withTabSync()` give the session keeper. */
export function specParts(config: ResolvedImplicitAuthConfig): Pick<ImplicitAuthParts, 'storage' | 'tabSync'> {
  return {
    storage: config.storage === 'memory' ? undefined : { kind: config.storage, create: createSessionStore },
    tabSync: (name: string) => createTabSync<Session>({ name, isTokens: isSession }),
  };
}
