/** How many threads training can use on this page, and why not more. */
export interface ThreadSupport {
  /** The page is cross-origin isolated (COOP/COEP headers), so SharedArrayBuffer and the thread pool work. */
  isolated: boolean;
  /** Logical cores the browser reports (navigator.hardwareConcurrency). */
  cores: number;
  /** The Threads field's starting value: two where there are two cores (the CLI's default too), else 1. */
  defaultThreads: number;
  /** Shown under the field when threads are not available. */
  note: string;
}

export function threadSupport(scope: { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } } = globalThis): ThreadSupport {
  const isolated = scope.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  const cores = Math.max(1, Math.floor(scope.navigator?.hardwareConcurrency ?? 1));
  return {
    isolated,
    cores,
    defaultThreads: isolated ? Math.min(2, cores) : 1,
    note: isolated
      ? ''
      : 'Training runs on 1 thread here: this page is not cross-origin isolated (it was served without the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers), so the threads cannot share memory.',
  };
}
