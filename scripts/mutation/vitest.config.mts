/**
 * Vitest as a mutation-testing harness only (jest stays the project's test runner): it runs the specs of the
 * framework-free code unchanged, in Node, about 50 times faster per mutant than ts-jest with type checking.
 * `MUTATION_SPECS` (comma-separated globs, set by scripts/mutation.mjs) chooses the specs of one run.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));
const library = `${root}projects/ngx-implicit-auth/src/public-api.ts`;
const testing = `${root}projects/ngx-implicit-auth/testing/src/public-api.ts`;

export default defineConfig({
  root,
  resolve: {
    alias: [
      { find: /^ngx-implicit-auth$/, replacement: library },
      { find: /^ngx-implicit-auth\/testing$/, replacement: testing },
    ],
  },
  test: {
    include: (process.env['MUTATION_SPECS'] ?? 'projects/ngx-implicit-auth/src/lib/protocol/**/*.spec.ts').split(','),
    // `MUTATION_EXCLUDE`: specs of the folder that need Angular's TestBed (jest only), e.g. the service-level fuzz.
    exclude: process.env['MUTATION_EXCLUDE'] ? process.env['MUTATION_EXCLUDE'].split(',') : [],
    environment: process.env['MUTATION_ENVIRONMENT'] ?? 'node',
    globals: true,
    setupFiles: [fileURLToPath(new URL('./vitest-setup.ts', import.meta.url))],
    // One worker per core at most: the machine is shared, and Stryker runs its own workers on top.
    pool: 'threads',
    maxWorkers: 1,
  },
});
