/*
 * Records every read of the browser globals a server render must leave alone, with the stack that read it, from
 * the moment this module is imported. Import it first in a `@jest-environment node` spec, before anything imports
 * the library, so that reads while the library's modules load are recorded too. The globals Node has itself
 * (`crypto`, `BroadcastChannel`, `performance`) keep working; the others stay undefined, as on a server.
 */

/** The globals only a browser has (or that hold a browser's state), and those Node shares with it. */
export const BROWSER_GLOBALS = [
  'window',
  'self',
  'document',
  'location',
  'history',
  'navigator',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'BroadcastChannel',
  'crypto',
  'performance',
  'addEventListener',
  'requestIdleCallback',
] as const;

export interface BrowserGlobalRead {
  readonly name: (typeof BROWSER_GLOBALS)[number];
  readonly stack: string;
}

const reads: BrowserGlobalRead[] = [];
const originals = new Map<string, PropertyDescriptor | undefined>();

for (const name of BROWSER_GLOBALS) {
  const original = Object.getOwnPropertyDescriptor(globalThis, name);
  originals.set(name, original);
  let value: unknown = original?.get ? original.get.call(globalThis) : original?.value;
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      const limit = Error.stackTraceLimit;
      // Deep enough to reach the library's frame under Angular's injector and router frames.
      Error.stackTraceLimit = 200;
      reads.push({ name, stack: new Error(`read of ${name}`).stack ?? '' });
      Error.stackTraceLimit = limit;
      return value;
    },
    set(replacement: unknown) {
      value = replacement;
    },
  });
}

/** A stack frame in the library's own source (not its spec helpers, not a spec). */
const LIBRARY_FRAME = /projects\/ngx-implicit-auth\/(?:src\/lib\/(?!testing\/)[^:]*(?<!\.spec)\.ts|testing\/src\/)/;

/** Every read recorded so far. */
export function browserGlobalReads(): readonly BrowserGlobalRead[] {
  return reads;
}

/** The reads with a frame of the library's own code on their stack: the library read it, directly or through a call. */
export function browserGlobalReadsByLibrary(): readonly BrowserGlobalRead[] {
  return reads.filter((read) => read.stack.split('\n').some((frame) => LIBRARY_FRAME.test(frame)));
}

/** Puts the globals back as they were before this module was imported. */
export function restoreBrowserGlobals(): void {
  for (const [name, original] of originals) {
    if (original) Object.defineProperty(globalThis, name, original);
    else delete (globalThis as Record<string, unknown>)[name];
  }
}
