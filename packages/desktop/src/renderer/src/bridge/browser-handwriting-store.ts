import { createStore, get, set } from 'idb-keyval';
import { decodeHandwritingFiles, encodeHandwritingFiles, type HandwritingSplits, type StoredHandwriting } from '../../../shared/handwriting-files.js';
import type { NamedBytes } from '../../../shared/idx-pair.js';

/** Where the web build keeps the drawings, as the same four IDX files the desktop writes to disk. */
const LOCATION = 'this browser (IndexedDB)';
const KEY = 'handwriting-idx-files';

/**
 * The user's drawings in the web build: IndexedDB (through idb-keyval) holding the encoded IDX
 * files under one key, so one `put` replaces the whole set at once (IndexedDB transactions are
 * atomic) and the Teach view's download offers exactly these bytes.
 */
export function createBrowserHandwritingStore(): { load(): Promise<StoredHandwriting>; save(splits: HandwritingSplits): Promise<{ location: string }> } {
  let store: ReturnType<typeof createStore> | null = null;
  // Opened on first use: a page that never opens the Teach view never creates the database.
  const open = () => (store ??= createStore('scratchnet', 'handwriting'));
  return {
    async load() {
      const files = (await get<NamedBytes[]>(KEY, open())) ?? [];
      return { ...(await decodeHandwritingFiles(files)), location: LOCATION };
    },
    async save(splits) {
      await set(KEY, encodeHandwritingFiles(splits), open());
      return { location: LOCATION };
    },
  };
}
