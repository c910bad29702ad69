/**
 * Runs `npm run dev-provider` (`node dev/provider.mjs`) as a user does, for the app URLs a test names, on
 * ephemeral ports and with a throwaway key folder, and reads what it prints: the pasteable config and the demo
 * API's access log.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROVIDER_SCRIPT = fileURLToPath(new URL('../../dev/provider.mjs', import.meta.url));
const START_TIMEOUT_MS = 15_000;

/**
 * @param {string[]} apps The `--app` arguments.
 * @returns {Promise<{ output: () => string, config: Record<string, string>, value: (name: string) => string,
 *   issuer: string, apiUrl: string,
 *   apiLog: () => string[], close(): Promise<void> }>} `config`: the printed config's single-line members
 *   (`issuer`, `clientId`, `audience`, `scope`, `apis`, …) as printed after the colon, without the comma.
 */
export async function startDevProvider(apps) {
  const keysDir = await mkdtemp(join(tmpdir(), 'ngx-implicit-auth-dev-provider-keys-'));
  const child = spawn(process.execPath, [PROVIDER_SCRIPT, ...apps.flatMap((app) => ['--app', app])], {
    env: { ...process.env, IDP_PORT: '0', API_PORT: '0', DEV_KEYS_DIR: keysDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(keysDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await close();
      throw new Error(`npm run dev-provider did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const config = Object.fromEntries(
    [...output.matchAll(/^ {2}(\w+): (.+),$/gm)].map(([, name, value]) => [name, value]),
  );
  const unquote = (value) => value?.replace(/^'(.*)'$/, '$1');
  return {
    output: () => output,
    config,
    /** A string member of the printed config, without its quotes. */
    value: (name) => unquote(config[name]),
    issuer: unquote(config.issuer),
    apiUrl: /url: '([^']+)'/.exec(config.apis ?? '')?.[1],
    apiLog: () => output.split('\n').filter((line) => line.startsWith('[api] ')),
    close,
  };
}
