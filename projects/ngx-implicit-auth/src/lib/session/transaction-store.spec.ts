import { authErrorOf, createMemoryStorage } from '../testing';
import { createTransactionStore, type PendingTransaction } from './transaction-store';

const PREFIX = 'app.tx.';
const pending = (state: string, expiresAt = 1000): PendingTransaction => ({
  state,
  nonce: `n-${state}`,
  responseType: 'id_token token',
  scope: 'openid',
  startedAt: 0,
  returnUrl: '/back',
  expiresAt,
});

describe('createTransactionStore (one-time state, RFC 9700 §4.7)', () => {
  it('keeps each pending sign-in under its own state, so two never overwrite each other', () => {
    const storage = createMemoryStorage();
    const store = createTransactionStore(storage, PREFIX);
    store.save(pending('s1'));
    store.save(pending('s2'));
    expect(JSON.parse(storage.getItem(`${PREFIX}s1`)!)).toEqual(pending('s1'));
    expect(store.peek('s1')).toEqual(pending('s1'));
    expect(store.peek('s2')).toEqual(pending('s2'));
  });

  it('peek reads without consuming; take reads and deletes, so a replayed callback finds nothing', () => {
    const store = createTransactionStore(createMemoryStorage(), PREFIX);
    store.save(pending('s1'));
    expect(store.peek('s1')).toEqual(pending('s1'));
    expect(store.take('s1')).toEqual(pending('s1'));
    expect(store.take('s1')).toBeNull();
    expect(store.peek('s1')).toBeNull();
  });

  it('a corrupt or unreadable entry counts as none (the callback is then refused), and take still deletes it', () => {
    const storage = createMemoryStorage({ [`${PREFIX}bad`]: '{' });
    const store = createTransactionStore(storage, PREFIX);
    expect(store.peek('bad')).toBeNull();
    expect(store.take('bad')).toBeNull();
    expect(storage.length).toBe(0);
    store.save(pending('s1'));
    storage.refuse = { getItem: true };
    expect(store.peek('s1')).toBeNull();
  });

  it('refuses to start a sign-in whose transaction cannot be kept: storage_failed with the cause', async () => {
    const full = createMemoryStorage();
    full.refuse = { setItem: true };
    const error = await authErrorOf(() => createTransactionStore(full, PREFIX).save(pending('s1')));
    expect(error.code).toBe('storage_failed');
    expect(error.message).toBe('The pending sign-in could not be kept in sessionStorage');
    expect(error.cause).toBeInstanceOf(DOMException);
  });

  it('without sessionStorage, saving fails (storage_failed) and nothing is found', async () => {
    const store = createTransactionStore(undefined, PREFIX);
    const error = await authErrorOf(() => store.save(pending('s1')));
    expect(error.code).toBe('storage_failed');
    expect((error.cause as Error).message).toBe('sessionStorage is not available');
    expect(store.take('s1')).toBeNull();
    expect(() => store.prune(0)).not.toThrow();
  });

  it('prune drops expired (at their expiry instant) and corrupt pending sign-ins, and nothing else', () => {
    const storage = createMemoryStorage({ other: 'kept', [`${PREFIX}corrupt`]: 'null' });
    const store = createTransactionStore(storage, PREFIX);
    store.save(pending('old', 999));
    store.save(pending('due', 1000));
    store.save(pending('live', 1001));
    store.save(pending('late', 5000));
    store.prune(1000);
    expect(store.peek('old')).toBeNull();
    expect(store.peek('due')).toBeNull();
    expect(storage.getItem(`${PREFIX}corrupt`)).toBeNull();
    expect(store.peek('live')).toEqual(pending('live', 1001));
    expect(store.peek('late')).toEqual(pending('late', 5000));
    expect(storage.getItem('other')).toBe('kept');
  });

  it('prune removes every expired entry, however many follow each other', () => {
    const storage = createMemoryStorage();
    const store = createTransactionStore(storage, PREFIX);
    for (let i = 0; i < 5; i++) store.save(pending(`s${i}`, 1));
    store.prune(1);
    expect(storage.length).toBe(0);
  });
});
