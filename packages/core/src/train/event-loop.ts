/**
 * Timing and yielding without DOM or Node types: core compiles against plain ES2022, so the
 * host's timer and messaging functions are looked up on globalThis.
 */
interface MessagePortLike {
  onmessage: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

interface TimerHost {
  performance?: { now(): number };
  setTimeout?: (callback: () => void, ms: number) => unknown;
  MessageChannel?: new () => { port1: MessagePortLike; port2: MessagePortLike };
}

const host = globalThis as unknown as TimerHost;

/** Milliseconds from a monotonic clock where available. */
export function now(): number {
  return host.performance ? host.performance.now() : Date.now();
}

/**
 * Resolves on a later macrotask, letting UI events, timers and abort signals run. A
 * MessageChannel message is used where available because browsers clamp nested setTimeout(0)
 * to ≥ 4 ms; the channel is closed afterwards so it never keeps a Node process alive.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    if (host.MessageChannel) {
      const channel = new host.MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    } else if (host.setTimeout) {
      host.setTimeout(resolve, 0);
    } else {
      resolve();
    }
  });
}
