import type { IdTokenSigningAlgorithm } from './algorithms';
import { authErrorOf, referenceAtHash } from '../testing';
import { computeAtHash } from './at-hash';

describe('computeAtHash', () => {
  it('matches a published RS256 example', async () => {
    // The worked example from Ping Identity's developer guide (SHA-256, left-most 128 bits).
    expect(await computeAtHash('dNZX1hEZ9wBCzNL40Upu646bdzQA', 'RS256')).toBe('wfgvmE9VxjAudsl9lc6TqA');
  });

  it.each([
    ['RS256', 22],
    ['PS256', 22],
    ['ES256', 22],
    ['RS384', 32],
    ['PS384', 32],
    ['ES384', 32],
    ['RS512', 43],
    ['PS512', 43],
    ['ES512', 43],
    ['EdDSA', 43],
  ] as const)('uses the hash of %s (half of it: %i characters)', async (alg, length) => {
    const hash = await computeAtHash('an-access-token', alg);
    expect(hash).toHaveLength(length);
    expect(hash).toBe(referenceAtHash('an-access-token', alg));
  });

  it.each(['none', 'HS256', 'RS1', 'Ed448'])('refuses %s', async (alg) => {
    const error = await authErrorOf(computeAtHash('token', alg as IdTokenSigningAlgorithm));
    expect(error.code).toBe('unsupported_algorithm');
  });
});
