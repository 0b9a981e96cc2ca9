import { type ChildProcess, fork } from 'node:child_process';
import { ScratchnetError } from '@scratchnet/core';
import type { TrialProcessMessage, TrialProcessRequest } from './trial-process.js';

type Done = Extract<TrialProcessMessage, { type: 'done' }>;
type Progress = Extract<TrialProcessMessage, { type: 'progress' }>;

/**
 * Child processes for trials, kept between trials (each loads its data once) and forked on
 * demand up to the worker's concurrency. A child that dies mid-trial rejects that trial (BullMQ
 * retries it with backoff) and is replaced by a fresh one next time.
 */
export class TrialChildPool {
  private readonly idle: ChildProcess[] = [];
  /** Every live child, idle, busy or still starting. */
  private readonly all = new Set<ChildProcess>();
  private closed = false;

  constructor(private readonly file: URL) {}

  /** Runs one trial in a child; `onProgress` sees every epoch. */
  async run(request: TrialProcessRequest, onProgress: (p: Progress) => void): Promise<Done> {
    if (this.closed) throw new Error('the worker is stopping');
    const child = this.idle.pop() ?? (await this.spawn());
    try {
      const done = await new Promise<Done>((resolve, reject) => {
        const onMessage = (message: TrialProcessMessage) => {
          if (message.type === 'progress') onProgress(message);
          else if (message.type === 'done') finish(() => resolve(message));
          else if (message.type === 'error') {
            const error = new ScratchnetError(message.code ?? 'TRIAL_FAILED', message.message);
            if (message.namespace) Object.defineProperty(error, 'namespace', { value: message.namespace });
            finish(() => reject(error));
          }
        };
        const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
          finish(() => reject(new Error(`the trial process ended (${signal ?? `exit code ${code}`}) in the middle of the trial`)));
        const finish = (settle: () => void) => {
          child.off('message', onMessage);
          child.off('exit', onExit);
          settle();
        };
        child.on('message', onMessage);
        child.on('exit', onExit);
        child.send(request);
      });
      if (this.closed) child.kill('SIGKILL');
      else this.idle.push(child);
      return done;
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  /** Ends every child at once (running trials are lost: the caller hands their jobs back). */
  killAll(): void {
    this.closed = true;
    for (const child of this.all) child.kill('SIGKILL');
    this.idle.length = 0;
  }

  private spawn(): Promise<ChildProcess> {
    // 'advanced' serialisation: typed arrays (the checkpoint bytes) cross as bytes, not JSON.
    const child = fork(this.file, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.all.add(child);
    child.once('exit', () => this.all.delete(child));
    return new Promise((resolve, reject) => {
      const onMessage = (message: { type: string; message?: string }) => {
        child.off('exit', onExit);
        if (message.type === 'ready') resolve(child);
        else reject(new Error(`the trial process failed to start: ${message.message}`));
      };
      const onExit = (code: number | null) => reject(new Error(`the trial process failed to start (exit code ${code})`));
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
  }
}
