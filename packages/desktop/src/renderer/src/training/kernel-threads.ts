import { type Backend, createFastestBackend, setBackend } from '@scratchnet/core';

/**
 * The training worker's kernels, on as many threads as the Train form asks for. core's WebAssembly
 * backend starts its pool's Web Workers itself (from a Blob URL, sharing one WebAssembly.Memory),
 * which a browser allows only on a cross-origin-isolated page: elsewhere it runs on one thread and
 * says so in `backend.threads`. A change of count makes a new backend for the models built after
 * it; the old one only stops its workers (it stays usable on one thread, so a run or evaluation
 * still holding it finishes correctly).
 */
export class KernelThreads {
  private current: Promise<Backend> | null = null;
  private asked = 0;

  /** The default backend for new models, on `threads` threads (made at most once per count). */
  use(threads = 1): Promise<Backend> {
    const wanted = Math.max(1, Math.floor(threads));
    if (this.current && this.asked === wanted) return this.current;
    const previous = this.current;
    this.asked = wanted;
    this.current = (async () => {
      const old = await previous?.catch(() => null);
      const backend = await createFastestBackend({ threads: wanted });
      setBackend(backend);
      (old as { dispose?: () => void } | null)?.dispose?.();
      return backend;
    })();
    return this.current;
  }
}
