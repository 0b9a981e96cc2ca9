import type { InvokeEvent, IpcMainLike } from '../../src/main/ipc.js';

/** Stands in for Electron's ipcMain: records handlers and lets a test invoke them like the renderer would. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>>();

  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** Calls a channel's handler as if from a frame at `url` (top-level unless `parent`). */
  invoke(channel: string, args: unknown[], options: { url?: string; parent?: unknown; sent?: unknown[][] } = {}): Promise<any> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    const sent = options.sent ?? [];
    const event: InvokeEvent = {
      senderFrame: { url: options.url ?? APP_PAGE, parent: options.parent ?? null },
      sender: { send: (...message: unknown[]) => sent.push(message), isDestroyed: () => false },
    };
    // Electron's IPC copies arguments (structured clone): the handler never shares the caller's objects.
    return handler(event, ...structuredClone(args));
  }
}

export const APP_PAGE = 'app://scratchnet/index.html';
