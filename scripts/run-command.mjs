/**
 * How the fresh-app checks (scripts/ng-add-check.mjs, scripts/angular-22-check.mjs) run a command: printed first,
 * its output streamed as it comes, stdin closed so nothing can wait for an answer.
 */
import { spawn } from 'node:child_process';

/**
 * Runs `file args…` in `cwd` and resolves with its stdout; rejects on a non-zero exit.
 * @param {string} file
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
 * @returns {Promise<string>}
 */
export function runCommand(file, args, { cwd, env }) {
  console.log(`$ ${[file === process.execPath ? 'node' : file, ...args].join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${file} ${args[0]} ended with ${signal ?? `exit code ${code}`}`)),
    );
  });
}
