/**
 * Runs `ng build <project>` (production configuration, as the projects default to) and fails with the end of
 * the CLI's output when the build fails. Output is kept quiet on success: the bench prints its own tables.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NG_BIN = createRequire(import.meta.url).resolve('@angular/cli/bin/ng.js');
/** A production build takes 3–12 s here; anything near this bound is hung, not slow. */
const BUILD_TIMEOUT_MS = 3 * 60_000;
const OUTPUT_TAIL_CHARS = 4000;

/** Child processes still running, so an aborted bench can stop them (see `stopBuilds`). */
const running = new Set();

/**
 * @param {string} project An angular.json project.
 * @param {string[]} [args] Extra CLI arguments, e.g. `['--stats-json']`.
 * @returns {Promise<number>} Seconds the build took.
 */
export function buildAngularProject(project, args = []) {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // Own process group: on timeout the CLI's esbuild workers are stopped with it.
    const child = spawn(process.execPath, [NG_BIN, 'build', project, ...args], {
      cwd: ROOT,
      env: { ...process.env, NG_CLI_ANALYTICS: 'false', NG_FORCE_TTY: 'false', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let output = '';
    const keep = (chunk) => {
      output = (output + chunk).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      keep(`\n(stopped after ${BUILD_TIMEOUT_MS / 1000} s)`);
      killGroup(child);
    }, BUILD_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      if (code === 0) resolve((Date.now() - started) / 1000);
      else reject(new Error(`ng build ${project} failed (${signal ?? `exit code ${code}`}):\n${output.trim()}`));
    });
  });
}

/** Stops every build still running (the bench is being aborted). */
export function stopBuilds() {
  for (const child of running) killGroup(child);
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone: nothing left to stop.
  }
}
