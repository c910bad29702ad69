import { ImplicitAuthError } from '../errors';

/**
 * The {@link ImplicitAuthError} a promise rejects with or a function throws; fails the test when it succeeds or
 * throws anything else. Use as `expect((await authErrorOf(p)).code).toBe('nonce_mismatch')`.
 */
export async function authErrorOf(action: Promise<unknown> | (() => unknown)): Promise<ImplicitAuthError> {
  let outcome: unknown;
  try {
    outcome = await (typeof action === 'function' ? action() : action);
  } catch (error: unknown) {
    // The point of this helper: hand the error to the test, and let anything unexpected fail it loudly.
    if (error instanceof ImplicitAuthError) return error;
    throw new Error(`expected an ImplicitAuthError, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected an ImplicitAuthError, got a result: ${JSON.stringify(outcome)}`);
}
