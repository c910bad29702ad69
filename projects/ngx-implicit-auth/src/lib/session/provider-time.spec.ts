import { createMemoryStorage } from '../testing';
import { createProviderTime } from './provider-time';
import { hintStorage } from './web-storage';

const KEY = 'app.clock-offset';

function setUp(mode: 'device' | 'provider', kept?: string) {
  const storage = createMemoryStorage(kept === undefined ? {} : { [KEY]: kept });
  return { storage, time: createProviderTime(mode, hintStorage(storage, 'sessionStorage'), KEY) };
}

describe('createProviderTime', () => {
  describe("'device' mode", () => {
    it("trusts the device's clock: offset 0, assumed for a first sign-in, established for a renewal", () => {
      const { time, storage } = setUp('device', '5000');
      expect(time.offsetMs).toBe(0);
      expect(time.clockFor(false)).toEqual({ offsetMs: 0, basis: 'assumed' });
      expect(time.clockFor(true)).toEqual({ offsetMs: 0, basis: 'established' });
      time.learn(7000);
      expect(time.offsetMs).toBe(0);
      expect(storage.getItem(KEY)).toBe('5000');
      time.forget();
      expect(storage.getItem(KEY)).toBe('5000');
    });
  });

  describe("'provider' mode", () => {
    it('learns the offset from the first accepted ID token, rounded, and keeps it in sessionStorage', () => {
      const { time, storage } = setUp('provider');
      expect(time.offsetMs).toBe(0);
      expect(time.clockFor(false)).toEqual({ offsetMs: 0, basis: 'learn' });
      expect(time.clockFor(true)).toEqual({ offsetMs: 0, basis: 'learn' });
      time.learn(1234.6);
      expect(time.offsetMs).toBe(1235);
      expect(time.clockFor(false)).toEqual({ offsetMs: 1235, basis: 'established' });
      expect(storage.getItem(KEY)).toBe('1235');
    });

    it('keeps what it learned first: later tokens do not move it', () => {
      const { time, storage } = setUp('provider');
      time.learn(-2000);
      time.learn(9000);
      expect(time.offsetMs).toBe(-2000);
      expect(storage.getItem(KEY)).toBe('-2000');
    });

    it('a token without a measured offset teaches nothing', () => {
      const { time, storage } = setUp('provider');
      time.learn(undefined);
      expect(time.clockFor(false).basis).toBe('learn');
      expect(storage.length).toBe(0);
    });

    it('a reload starts from the kept offset (0 included); a corrupt kept value is ignored', () => {
      expect(setUp('provider', '-750').time.clockFor(false)).toEqual({ offsetMs: -750, basis: 'established' });
      expect(setUp('provider', '0').time.clockFor(false)).toEqual({ offsetMs: 0, basis: 'established' });
      expect(setUp('provider', 'soon').time.clockFor(false)).toEqual({ offsetMs: 0, basis: 'learn' });
      expect(setUp('provider', 'Infinity').time.clockFor(false)).toEqual({ offsetMs: 0, basis: 'learn' });
    });

    it('forget drops the offset (memory and storage), so the next token teaches it again', () => {
      const { time, storage } = setUp('provider', '3000');
      time.forget();
      expect(time.offsetMs).toBe(0);
      expect(time.clockFor(true)).toEqual({ offsetMs: 0, basis: 'learn' });
      expect(storage.getItem(KEY)).toBeNull();
      time.learn(10);
      expect(time.offsetMs).toBe(10);
    });
  });
});
