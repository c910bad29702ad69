import fc from 'fast-check';
import { ImplicitAuthError } from '../errors';
import { fuzz } from '../testing/fuzz';
import { parseAuthorizationResponse } from './authorization-response';
import { isAuthorizationResponse, MAX_AUTHORIZATION_RESPONSE_LENGTH, stateOfResponse } from './callback-detection';

/**
 * Fuzzing the callback parser (`npm run fuzz` for 100,000 cases per property). The oracles are written from the
 * specs, not from the parser: RFC 6749 §4.2.2's parameter names, `application/x-www-form-urlencoded` decoded with
 * a byte-level UTF-8 decoder of our own, §3.1's "MUST NOT be included more than once", and the 64 KiB cap.
 */

/** RFC 6749 §4.2.2 / OIDC Core §3.2.2.5 parameter names → the fields the parser reports them as. */
const RESPONSE_PARAMETERS: Readonly<Record<string, string>> = {
  state: 'state',
  error: 'error',
  error_description: 'errorDescription',
  iss: 'iss',
  access_token: 'accessToken',
  token_type: 'tokenType',
  expires_in: 'expiresIn',
  id_token: 'idToken',
  scope: 'scope',
};
const NAMES = Object.keys(RESPONSE_PARAMETERS);

/**
 * A form-urlencoded component decoded byte by byte: `+` is a space, `%XX` a byte, runs of bytes strict UTF-8
 * (WHATWG's "UTF-8 decode without BOM or fail"); `null` when an escape or its bytes are malformed.
 */
function referenceDecode(component: string): string | null {
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let out = '';
  let bytes: number[] = [];
  const flush = () => {
    if (bytes.length === 0) return true;
    try {
      out += fatal.decode(new Uint8Array(bytes));
    } catch {
      // Not UTF-8: the oracle's way of saying "malformed".
      return false;
    }
    bytes = [];
    return true;
  };
  for (let i = 0; i < component.length; i++) {
    const c = component[i];
    if (c === '%') {
      const hex = component.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/i.test(hex)) return null;
      bytes.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if (!flush()) return null;
    out += c === '+' ? ' ' : c;
  }
  return flush() ? out : null;
}

type Outcome = { fields: Record<string, string> } | { code: string };

/** What the parser must do with `encoded`, from the rules above. */
function expectedOutcome(encoded: string): Outcome {
  if (encoded.length > MAX_AUTHORIZATION_RESPONSE_LENGTH) return { code: 'invalid_response' };
  const seen = new Set<string>();
  const fields: Record<string, string> = {};
  for (const pair of encoded.replace(/^#/, '').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = referenceDecode(at < 0 ? pair : pair.slice(0, at));
    const value = referenceDecode(at < 0 ? '' : pair.slice(at + 1));
    if (name === null || value === null) return { code: 'invalid_response' };
    if (seen.has(name)) return { code: 'duplicate_parameter' };
    seen.add(name);
    if (Object.hasOwn(RESPONSE_PARAMETERS, name)) fields[RESPONSE_PARAMETERS[name]] = value;
  }
  return { fields };
}

/** What the parser did: its fields, or the code of the {@link ImplicitAuthError} it threw (anything else fails). */
function actualOutcome(encoded: string): Outcome {
  try {
    return { fields: { ...parseAuthorizationResponse(encoded) } };
  } catch (error: unknown) {
    if (!(error instanceof ImplicitAuthError)) throw new Error('not an ImplicitAuthError', { cause: error });
    return { code: error.code };
  }
}

/** Strings that are well-formed UTF-16 (every surrogate paired), so any encoder can encode them. */
const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc
    .string({ unit: 'binary', maxLength: 12 })
    .filter((s) => !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))),
  fc.constantFrom('', ' ', '+', '%', '&', '=', '#', '%41', 'a=b', 'Bearer', '3600', 'eyJ.eyJ.sig'),
);

/** A parameter name: one of the response's, or any other (ignored by the parser, still subject to §3.1). */
const parameterName = fc.oneof(fc.constantFrom(...NAMES), text);

/** The encodings a provider or an attacker may use for one component; all decode to the same text. */
const encoder = fc.constantFrom<(s: string) => string>(
  (s) => encodeURIComponent(s),
  (s) => new URLSearchParams([['', s]]).toString().slice(1),
  (s) =>
    [...s]
      .map((c) => `%${[...new TextEncoder().encode(c)].map((b) => b.toString(16).padStart(2, '0')).join('%')}`)
      .join(''),
  // Unencoded where that is unambiguous (RFC 3986 leaves `=` and most punctuation alone in a value).
  (s) => s.replace(/[%&+#?]/g, (c) => encodeURIComponent(c)).replace(/ /g, '+'),
);

/** A response as a provider would encode it: distinct names (by their decoded value), each with any encoding. */
const parameterSet = fc
  .tuple(
    fc.uniqueArray(fc.tuple(parameterName, text, encoder, encoder), { selector: ([name]) => name, maxLength: 8 }),
    fc.constantFrom('', '#'),
    fc.array(fc.nat(8), { maxLength: 3 }),
  )
  .map(([pairs, hash, empties]) => {
    const encoded = pairs.map(
      ([name, value, encodeName, encodeValue]) =>
        // An encoded name must never contain `=` (it would move the split); every encoder above escapes it.
        `${encodeName(name).replace(/=/g, '%3D')}=${encodeValue(value)}`,
    );
    // Empty pairs (`&&`) anywhere are skipped.
    for (const at of empties) encoded.splice(Math.min(at, encoded.length), 0, '');
    return { pairs: pairs.map(([name, value]) => [name, value] as const), encoded: hash + encoded.join('&') };
  });

/** Pieces an attacker would splice into a fragment: malformed escapes, bad UTF-8, separators, long runs. */
const hostilePiece = fc.oneof(
  fc.constantFrom(
    '%',
    '%%',
    '%2',
    '%zz',
    '%C3',
    '%C3%28',
    '%ED%A0%80',
    '%F4%90%80%80',
    '%C0%AF',
    '%FF',
    '%EF%BB%BF',
    '&',
    '=',
    '==',
    '#',
    '+',
    '\u0000',
    '\ud800',
    '\udfff',
    'state',
    'state=',
    'id_token=',
    'access_token=a',
    '__proto__',
    'constructor',
    'hasOwnProperty',
  ),
  fc.string({ unit: 'binary', maxLength: 6 }),
);
const hostileInput = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(hostilePiece, { maxLength: 24 }).map((pieces) => pieces.join('')),
  fc
    .tuple(parameterSet, fc.array(fc.tuple(fc.nat(), hostilePiece), { maxLength: 4 }))
    .map(([{ encoded }, insertions]) =>
      insertions.reduce(
        (s, [at, piece]) => s.slice(0, at % (s.length + 1)) + piece + s.slice(at % (s.length + 1)),
        encoded,
      ),
    ),
);

describe('parseAuthorizationResponse (fuzz)', () => {
  it('round-trips any set of distinct parameters, however encoded; unknown ones are ignored', () => {
    fuzz(
      'parser round trip',
      fc.property(parameterSet, ({ pairs, encoded }) => {
        const expected: Record<string, string> = {};
        for (const [name, value] of pairs) {
          if (Object.hasOwn(RESPONSE_PARAMETERS, name)) expected[RESPONSE_PARAMETERS[name]] = value;
        }
        expect({ ...parseAuthorizationResponse(encoded) }).toEqual(expected);
        // Whether it looks like a response at all: one of the four parameters that make one (RFC 6749 §4.2.2).
        const names = pairs.map(([name]) => name);
        expect(isAuthorizationResponse(encoded)).toBe(
          ['state', 'error', 'access_token', 'id_token'].some((n) => names.includes(n)),
        );
        // The state used to find the transaction is the one the parser reports, from `#…` and `?…` alike.
        expect(stateOfResponse(encoded)).toBe(expected['state']);
        expect(stateOfResponse(`?${encoded.replace(/^#/, '')}`)).toBe(expected['state']);
      }),
    );
  });

  it('refuses any parameter sent twice (RFC 6749 §3.1), however each copy is encoded', () => {
    fuzz(
      'parser duplicates',
      fc.property(
        parameterSet,
        parameterName,
        text,
        text,
        encoder,
        encoder,
        fc.nat(),
        fc.nat(),
        (set, name, a, b, e1, e2, i, j) => {
          const pieces = set.encoded.replace(/^#/, '').split('&');
          pieces.splice(i % (pieces.length + 1), 0, `${e1(name).replace(/=/g, '%3D')}=${e1(a)}`);
          pieces.splice(j % (pieces.length + 1), 0, `${e2(name).replace(/=/g, '%3D')}=${e2(b)}`);
          const encoded = `#${pieces.join('&')}`;
          expect(actualOutcome(encoded)).toEqual({ code: 'duplicate_parameter' });
          // Never a single state to look a transaction up by, when `state` came twice.
          if (name === 'state') expect(stateOfResponse(encoded)).toBeUndefined();
        },
      ),
    );
  });

  it('on hostile input, returns exactly what the reference decoder reads or throws its typed error; never anything else', () => {
    fuzz(
      'parser hostile input',
      fc.property(hostileInput, (encoded) => {
        expect(actualOutcome(encoded)).toEqual(expectedOutcome(encoded));
        // The two never-throwing helpers never throw.
        expect(typeof isAuthorizationResponse(encoded)).toBe('boolean');
        const state = stateOfResponse(encoded);
        expect(state === undefined || typeof state === 'string').toBe(true);
      }),
    );
  });

  describe('over the 64 KiB cap', () => {
    let decode: jest.SpyInstance;
    let params: jest.SpyInstance;
    const RealSearchParams = URLSearchParams;
    let searched: number[];

    beforeEach(() => {
      decode = jest.spyOn(globalThis, 'decodeURIComponent');
      searched = [];
      // Counts the characters handed to URLSearchParams: the helpers must never read past the cap.
      params = jest.spyOn(globalThis, 'URLSearchParams').mockImplementation((init?: unknown) => {
        searched.push(typeof init === 'string' ? init.length : 0);
        return new RealSearchParams(init as string);
      });
    });
    afterEach(() => {
      decode.mockRestore();
      params.mockRestore();
    });

    /** A response that would be valid, padded past the cap by `extra` characters of `padding`. */
    const oversized = fc
      .tuple(
        parameterSet,
        fc.constantFrom('x', '%41', '&', '=', '%zz', '&state=x', '\ud800'),
        fc.integer({ min: 1, max: 4096 }),
      )
      .map(([{ encoded }, padding, extra]) => {
        const needed = MAX_AUTHORIZATION_RESPONSE_LENGTH + extra - encoded.length;
        return encoded + padding.repeat(Math.ceil(needed / padding.length));
      });

    it('refuses any longer response with invalid_response before decoding a single character', () => {
      fuzz(
        'parser over the cap',
        fc.property(oversized, (encoded) => {
          searched = [];
          decode.mockClear();
          expect(encoded.length).toBeGreaterThan(MAX_AUTHORIZATION_RESPONSE_LENGTH);
          expect(actualOutcome(encoded)).toEqual({ code: 'invalid_response' });
          expect(stateOfResponse(encoded)).toBeUndefined();
          // Neither reads a character of it (isAuthorizationResponse, which peeks at the first 64 KiB, is below).
          expect(decode).not.toHaveBeenCalled();
          expect(searched).toEqual([]);
        }),
      );
    });

    it('refuses a 1 MB response the same way: one length check, nothing decoded, at most 64 KiB peeked at', () => {
      const megabyte = `#state=s&id_token=${'a'.repeat(1024 * 1024)}`;
      expect(actualOutcome(megabyte)).toEqual({ code: 'invalid_response' });
      expect(stateOfResponse(megabyte)).toBeUndefined();
      expect(isAuthorizationResponse(megabyte)).toBe(true);
      expect(decode).not.toHaveBeenCalled();
      expect(searched).toEqual([MAX_AUTHORIZATION_RESPONSE_LENGTH - 1]);
    });
  });
});
