import { type ChildProcess, spawn } from 'node:child_process';

/** A running child whose stdout is collected line by line. */
export interface WatchedChild {
  process: ChildProcess;
  lines: string[];
  stderr: () => string;
  /** Resolves with the first line matching `pattern` (rejects if the child exits first). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves when the child has exited, with its code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node <args>` with piped stdio and collects its output. */
export function startNode(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: boolean } = {}): WatchedChild {
  const child = spawn(process.execPath, args, { stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env }, cwd: options.cwd });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    partial += chunk;
    const parts = partial.split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      if (partial) lines.push(partial);
      partial = '';
      for (const wake of waiters) wake();
      resolve({ code, signal });
    });
  });
  let closed = false;
  void exited.then(() => {
    closed = true;
  });

  const waitForLine = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${lines.join(' | ')}; stderr: ${err}`)), timeoutMs);
      const check = () => {
        const line = lines.find((l) => pattern.test(l));
        if (line !== undefined) finish(undefined, line);
        else if (closed || child.exitCode !== null || child.signalCode !== null) {
          // 'close' may not have fired yet; give it a tick to flush the last lines.
          setImmediate(() => {
            const late = lines.find((l) => pattern.test(l));
            if (late !== undefined) finish(undefined, late);
            else if (closed) finish(new Error(`child exited without a line matching ${pattern}; stdout: ${lines.join(' | ')}; stderr: ${err}`));
          });
        }
      };
      const finish = (error?: Error, line?: string) => {
        clearTimeout(timer);
        waiters.delete(check);
        if (error) reject(error);
        else resolve(line!);
      };
      waiters.add(check);
      check();
    });

  return { process: child, lines, stderr: () => err, waitForLine, exited };
}

/** A small seeded generator (mulberry32) so a failing kill schedule can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
