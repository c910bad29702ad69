/**
 * The library as a user gets it: `npm pack` of dist/ngx-implicit-auth, built first with scripts/build-lib.mjs
 * (`npm run build:lib`) when there is no build, so the fresh-app checks work from a clean clone after `npm ci`.
 */
import { access } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runCommand } from './run-command.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PACKAGE_DIR = join(ROOT, 'dist', 'ngx-implicit-auth');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/**
 * @param {string} destination the folder that receives the tarball
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<string>} the tarball's path
 */
export async function packLibrary(destination, env) {
  // The schematic's collection is the build's last part: without it the build is missing or broken.
  const built = await access(join(PACKAGE_DIR, 'schematics', 'collection.json')).then(
    () => true,
    () => false,
  );
  if (!built) {
    console.log(`No package in ${PACKAGE_DIR}: building it.`);
    await runCommand(process.execPath, [join(ROOT, 'scripts', 'build-lib.mjs')], { cwd: ROOT, env });
  }
  const packed = JSON.parse(
    await runCommand(NPM, ['pack', PACKAGE_DIR, '--pack-destination', destination, '--json'], { cwd: ROOT, env }),
  );
  return join(destination, packed[0].filename);
}
