/**
 * Unit tests: the library's specs sit next to their code, the demo's next to its components.
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'jest-preset-angular',
  testEnvironment: '<rootDir>/scripts/jest-environment.cjs',
  setupFilesAfterEnv: ['<rootDir>/scripts/jest-setup.ts'],
  roots: ['<rootDir>/projects', '<rootDir>/src'],
  testMatch: ['**/*.spec.ts'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  // Specs import the library as apps do, by its package names, mapped to the sources (never to dist/).
  moduleNameMapper: {
    '^ngx-implicit-auth$': '<rootDir>/projects/ngx-implicit-auth/src/public-api.ts',
    '^ngx-implicit-auth/testing$': '<rootDir>/projects/ngx-implicit-auth/testing/src/public-api.ts',
    // The server-rendering specs: platform-server's bundled domino, with its default export where it expects it.
    '^\\.\\./third_party/domino/bundled-domino\\.mjs$': '<rootDir>/scripts/jest-domino.cjs',
  },
  // jose ships ESM only: let ts-jest transform it along with Angular's .mjs bundles.
  transformIgnorePatterns: ['node_modules/(?!(.*\\.mjs$|jose/))'],
};
