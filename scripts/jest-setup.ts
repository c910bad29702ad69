import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();

// The library's dev-mode console lines (one per refused sign-in or renewal) are asserted where they are the
// subject (dev-hints.spec.ts, specs that spy on console.warn); elsewhere they would bury the test report.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('ngx-implicit-auth: ')) return;
  warn(...args);
};
