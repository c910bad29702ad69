/**
 * The dev IdP's RS256 signing key: generated on first start into a git-ignored folder, reused afterwards so
 * tokens issued before a restart still verify. No private key is ever committed.
 */
import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';

const KEY_FILE = 'signing-key.json';

/**
 * Loads the private signing JWK from `keysDir`, creating it when missing.
 * @returns {Promise<{ privateJwk: import('jose').JWK, publicJwk: import('jose').JWK }>}
 */
export async function loadOrCreateSigningKey(keysDir) {
  const file = join(keysDir, KEY_FILE);
  const existing = await readKey(file);
  if (existing) return existing;

  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  const privateJwk = { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };

  // Several processes (parallel e2e files, a test next to `npm start`) may create the key at once. Write a
  // private temp file, then hard-link it into place: link() never overwrites, so exactly one key wins and
  // nobody reads a half-written file.
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const temp = join(keysDir, `.${KEY_FILE}.${randomUUID()}.tmp`);
  await writeFile(temp, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
  try {
    await link(temp, file);
  } catch (error) {
    // EEXIST: another process won the race; use its key so all of them sign with the same one.
    if (error.code !== 'EEXIST') throw error;
  } finally {
    await unlink(temp);
  }
  const stored = await readKey(file);
  if (!stored) throw new Error(`Could not create the signing key at ${file}`);
  return stored;
}

async function readKey(file) {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // A missing file just means "first start"; anything else (permissions) is a real problem.
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
  const privateJwk = JSON.parse(text);
  if (privateJwk.kty !== 'RSA' || !privateJwk.d || !privateJwk.kid) {
    throw new Error(`${file} is not an RSA private JWK with a kid; delete it to generate a new key.`);
  }
  return { privateJwk, publicJwk: toPublicJwk(privateJwk) };
}

/** The public half of an RSA JWK: only the members a JWKS may publish. */
export function toPublicJwk({ kty, n, e, kid, alg, use }) {
  return { kty, n, e, kid, alg, use };
}
