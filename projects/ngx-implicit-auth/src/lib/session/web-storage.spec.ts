import { createMemoryStorage } from '../testing';
import { hintStorage, storageOf } from './web-storage';

describe('storageOf', () => {
  it("returns the window's storage of that kind", () => {
    const session = createMemoryStorage();
    const local = createMemoryStorage();
    const win = { sessionStorage: session, localStorage: local } as unknown as Window;
    expect(storageOf(win, 'sessionStorage')).toBe(session);
    expect(storageOf(win, 'localStorage')).toBe(local);
  });

  it('is undefined without a window, or where the browser throws on access (storage blocked)', () => {
    expect(storageOf(null, 'sessionStorage')).toBeUndefined();
    const blocked = Object.defineProperty({}, 'localStorage', {
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    }) as Window;
    expect(storageOf(blocked, 'localStorage')).toBeUndefined();
  });
});

describe('hintStorage (optional hints: never throws)', () => {
  let warn: jest.SpyInstance;
  const global = globalThis as { ngDevMode?: unknown };
  const devMode = global.ngDevMode;
  beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
  afterEach(() => {
    warn.mockRestore();
    global.ngDevMode = devMode;
  });

  it('reads, writes (reporting true) and removes', () => {
    const storage = createMemoryStorage();
    const hints = hintStorage(storage, 'sessionStorage');
    expect(hints.get('k')).toBeNull();
    expect(hints.set('k', 'v')).toBe(true);
    expect(storage.getItem('k')).toBe('v');
    expect(hints.get('k')).toBe('v');
    hints.remove('k');
    expect(storage.getItem('k')).toBeNull();
  });

  it('without a storage, reads nothing and reports every write as not done', () => {
    const hints = hintStorage(undefined, 'sessionStorage');
    expect(hints.get('k')).toBeNull();
    expect(hints.set('k', 'v')).toBe(false);
    expect(() => hints.remove('k')).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });

  it('a refusing storage costs only the hint: null, false, nothing thrown', () => {
    const storage = createMemoryStorage({ k: 'v' });
    storage.refuse = { getItem: true, setItem: true, removeItem: true };
    const hints = hintStorage(storage, 'sessionStorage');
    expect(hints.get('k')).toBeNull();
    expect(hints.set('k', 'w')).toBe(false);
    expect(() => hints.remove('k')).not.toThrow();
  });

  it('in dev mode, reports a refusing storage once, naming it, with the error', () => {
    global.ngDevMode = undefined;
    const storage = createMemoryStorage();
    storage.refuse = { setItem: true };
    const hints = hintStorage(storage, 'localStorage');
    hints.set('a', '1');
    hints.set('b', '2');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(
      'ngx-implicit-auth: localStorage cannot be written; optional hints are skipped.',
      expect.any(DOMException),
    );
    // Each storage is reported once, on its own.
    hintStorage(storage, 'sessionStorage').set('c', '3');
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('in dev mode (ngDevMode set to an object, as Angular does) it reports too; in production it stays silent', () => {
    const storage = createMemoryStorage();
    storage.refuse = { setItem: true };
    global.ngDevMode = {};
    hintStorage(storage, 'sessionStorage').set('a', '1');
    expect(warn).toHaveBeenCalledTimes(1);
    global.ngDevMode = false;
    hintStorage(storage, 'sessionStorage').set('a', '1');
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
