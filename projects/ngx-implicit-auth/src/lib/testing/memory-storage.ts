/** A Web Storage held in memory, for specs that run without a browser; `refuse` makes the chosen calls throw. */
export interface MemoryStorage extends Storage {
  /** Which calls throw (a full or disabled storage), as browsers do: a `DOMException` named `QuotaExceededError`. */
  refuse: { getItem?: boolean; setItem?: boolean; removeItem?: boolean };
}

export function createMemoryStorage(entries: Readonly<Record<string, string>> = {}): MemoryStorage {
  const items = new Map<string, string>(Object.entries(entries));
  const refused = (call: string) => new DOMException(`${call} refused`, 'QuotaExceededError');
  const storage: MemoryStorage = {
    refuse: {},
    get length() {
      return items.size;
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem(key) {
      if (storage.refuse.getItem) throw refused('getItem');
      return items.get(key) ?? null;
    },
    setItem(key, value) {
      if (storage.refuse.setItem) throw refused('setItem');
      items.set(key, String(value));
    },
    removeItem(key) {
      if (storage.refuse.removeItem) throw refused('removeItem');
      items.delete(key);
    },
    clear: () => items.clear(),
  };
  return storage;
}
