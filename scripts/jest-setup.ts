import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

// The browser's test environment where there is a browser DOM (jsdom). The server-rendering specs run in Node's
// environment (`@jest-environment node`), where @angular/platform-server brings its own DOM emulation: a browser
// DOM adapter set up first would take its place, for good.
if (typeof document !== 'undefined') setupZonelessTestEnv();

// The library's dev-mode console lines (one per refused sign-in or renewal) are asserted where they are the
// subject (dev-hints.spec.ts, specs that spy on console.warn); elsewhere they would bury the test report.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('ngx-implicit-auth: ')) return;
  warn(...args);
};
