import { createSingleFlight } from './single-flight';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createSingleFlight', () => {
  it('shares one run between concurrent callers for the same key', async () => {
    const flight = createSingleFlight<string | undefined, string>();
    const run = deferred<string>();
    const task = jest.fn(() => run.promise);
    const callers = Array.from({ length: 5 }, () => flight('https://api.example', task));
    expect(task).toHaveBeenCalledTimes(1);
    run.resolve('token');
    await expect(Promise.all(callers)).resolves.toEqual(Array(5).fill('token'));
  });

  it('runs separately per key (audiences renew independently)', () => {
    const flight = createSingleFlight<string | undefined, string>();
    const task = jest.fn(() => new Promise<string>(() => undefined));
    void flight('https://api.example', task);
    void flight('https://other.example', task);
    void flight(undefined, task);
    void flight(undefined, task);
    expect(task).toHaveBeenCalledTimes(3);
  });

  it('starts a new run once the previous one has settled', async () => {
    const flight = createSingleFlight<string, number>();
    let runs = 0;
    const task = () => Promise.resolve(++runs);
    await expect(flight('a', task)).resolves.toBe(1);
    await expect(flight('a', task)).resolves.toBe(2);
  });

  it('shares a failure with every caller, then lets the next call try again', async () => {
    const flight = createSingleFlight<string, string>();
    const run = deferred<string>();
    const first = flight('a', () => run.promise);
    const second = flight('a', () => Promise.resolve('unused'));
    run.reject(new Error('login_required'));
    await expect(first).rejects.toThrow('login_required');
    await expect(second).rejects.toThrow('login_required');
    await expect(flight('a', () => Promise.resolve('again'))).resolves.toBe('again');
  });

  it('turns a synchronous throw into a rejection', async () => {
    const flight = createSingleFlight<string, string>();
    const boom = () => {
      throw new Error('boom');
    };
    await expect(flight('a', boom)).rejects.toThrow('boom');
    await expect(flight('a', () => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
