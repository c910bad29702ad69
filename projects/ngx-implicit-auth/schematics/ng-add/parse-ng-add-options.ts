import { SchematicsException } from '@angular-devkit/schematics';
import type { ImplicitAuthConfig } from '../../src/lib/config/implicit-auth-config';
import { resolveConfig } from '../../src/lib/config/resolve-config';
import { isImplicitAuthError } from '../../src/lib/errors';
import type { NgAddOptions } from './schema';

/** The part of the config `ng add` writes into the app: what it asked for, nothing else. */
export interface NgAddConfig {
  readonly issuer: string;
  readonly clientId: string;
  readonly audience?: string;
  readonly apis: readonly string[];
}

/**
 * Turns the answers into the config the app will start with, checked by the library's own `resolveConfig` (the one
 * home of the https/loopback rule and every other config rule), so `ng add` refuses exactly what start-up would.
 * @throws {SchematicsException} naming the field, e.g. an issuer on plain http that is not loopback.
 */
export function parseNgAddOptions(options: NgAddOptions): NgAddConfig {
  const issuer = options.issuer?.trim() ?? '';
  const clientId = options.clientId?.trim() ?? '';
  const audience = options.audience?.trim() || undefined;
  const apis = (options.apis ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  const config: ImplicitAuthConfig = { issuer, clientId, audience, apis: apis.map((url) => ({ url })) };
  try {
    // The origin only feeds defaults (redirect URIs) that ng add does not write.
    resolveConfig(config, 'http://localhost');
  } catch (error: unknown) {
    // A config error becomes a schematic error, which the CLI prints as one line instead of a stack trace.
    if (isImplicitAuthError(error, 'invalid_config')) throw new SchematicsException(error.message);
    throw error;
  }
  return { issuer, clientId, audience, apis };
}

/** The config as TypeScript source: an object literal on one line, fields in the order of the README. */
export function configToCode({ issuer, clientId, audience, apis }: NgAddConfig): string {
  const fields = [`issuer: ${quote(issuer)}`, `clientId: ${quote(clientId)}`];
  if (audience !== undefined) fields.push(`audience: ${quote(audience)}`);
  if (apis.length > 0) fields.push(`apis: [${apis.map((url) => `{ url: ${quote(url)} }`).join(', ')}]`);
  return `{ ${fields.join(', ')} }`;
}

/** A single-quoted string literal; JSON's escaping keeps quotes, backslashes and control characters harmless. */
function quote(value: string): string {
  return `'${JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}
