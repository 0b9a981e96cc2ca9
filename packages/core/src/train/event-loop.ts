/**
 * Timing and yielding without DOM or Node types: core compiles against plain ES2022, so the
 * host's timer functions are looked up on globalThis.
 */
interface TimerHost {
  performance?: { now(): number };
  setTimeout?: (callback: () => void, ms: number) => unknown;
}

const host = globalThis as unknown as TimerHost;

/** Milliseconds from a monotonic clock where available. */
export function now(): number {
  return host.performance ? host.performance.now() : Date.now();
}

/** Resolves on a later macrotask, letting UI events, timers and abort signals run. */
export function yieldToEventLoop(): Promise<void> {
  const setTimer = host.setTimeout;
  return new Promise((resolve) => {
    if (setTimer) setTimer(resolve, 0);
    else resolve();
  });
}
