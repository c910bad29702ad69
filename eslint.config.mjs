// @ts-check
import tseslint from 'typescript-eslint';
import angular from 'angular-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      '.angular/',
      'coverage/',
      'out-tsc/',
      'e2e/.artifacts/',
      'bench/.results/',
      'dev/.keys/',
      // Mutation testing's sandboxes and reports (npm run mutation).
      '.stryker-tmp/',
      'reports/',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommended, ...tseslint.configs.stylistic, ...angular.configs.tsRecommended],
    processor: angular.processInlineTemplates,
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Tokens must never reach logs: the library and demo log nothing but through console.warn/error.
      'no-console': ['error', { allow: ['warn', 'error'] }],
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: ['app', 'lib'], style: 'camelCase' },
      ],
      '@angular-eslint/component-selector': ['error', { type: 'element', prefix: ['app', 'lib'], style: 'kebab-case' }],
    },
  },
  // Layering, enforced: the protocol core is framework-free and knows nothing of the user-facing config or of the
  // layers above it; the flows (the lazy chunk) are framework-free too and read config, session and ports as types
  // only. See projects/ngx-implicit-auth/src/lib/README.md.
  {
    files: ['projects/ngx-implicit-auth/src/lib/protocol/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@angular/*', 'rxjs', 'rxjs/*'], message: 'protocol/ is framework-free.' },
            {
              group: [
                '../config/*',
                '../session/*',
                '../flows/*',
                '../renewal/*',
                '../http/*',
                '../router/*',
                '../*.service',
              ],
              message: 'protocol/ depends on nothing above it: config and the Angular layers depend on protocol.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['projects/ngx-implicit-auth/src/lib/flows/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@angular/*', 'rxjs', 'rxjs/*'], message: 'flows/ is framework-free (it is the lazy chunk).' },
            {
              group: ['../config/*', '../session/*', '../*.service'],
              allowTypeImports: true,
              message: 'flows/ reads config, the session keeper and the service API as types only.',
            },
          ],
        },
      ],
    },
  },
  // The public testing kit runs in a user's tests, in a browser or in Node, under jest or vitest: no Node modules,
  // no test runner's API.
  {
    files: ['projects/ngx-implicit-auth/testing/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'ngx-implicit-auth/testing runs in browsers too: WebCrypto, not node:.' },
            {
              group: ['vitest', 'vitest/*', '@jest/*', 'jest', 'jasmine'],
              message: 'ngx-implicit-auth/testing works with any test runner: import none.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...['jest', 'vi', 'jasmine', 'describe', 'it', 'test', 'expect', 'beforeEach', 'afterEach'].map((name) => ({
          name,
          message: 'ngx-implicit-auth/testing works with any test runner: use none of their globals.',
        })),
      ],
    },
  },
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.html'],
    extends: [...angular.configs.templateRecommended, ...angular.configs.templateAccessibility],
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    extends: [...tseslint.configs.recommended],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        Buffer: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
