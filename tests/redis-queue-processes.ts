/**
 * Long-running CLI processes for the queue tests (coordinators and workers): started with
 * --json, their stdout parsed into events as they arrive, so a test can wait for "a worker took
 * a trial" and then SIGKILL it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { CLI, type Harness } from './cli-harness.js';

export interface CliProcess {
  child: ChildProcess;
  events: Array<Record<string, any>>;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first event (already seen or yet to come) that `match` accepts. */
  waitFor(match: (event: Record<string, any>) => boolean, timeoutMs?: number): Promise<Record<string, any>>;
}

export function startCli(h: Harness, args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: h.root, env: { ...h.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Array<Record<string, any>> = [];
  const waiters: Array<() => void> = [];
  let out = '';
  let err = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line));
    for (const w of [...waiters]) w();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const waitFor = (match: (event: Record<string, any>) => boolean, timeoutMs = 120_000) =>
    new Promise<Record<string, any>>((resolve, reject) => {
      const check = () => {
        const found = events.find(match);
        if (found) {
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(timer);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(check), 1);
        reject(new Error(`no matching event from \`${args.slice(0, 2).join(' ')}\` in ${timeoutMs} ms; stderr: ${err.slice(-2000)}`));
      }, timeoutMs);
      waiters.push(check);
      check();
      exited.then(() => {
        if (waiters.includes(check)) {
          check();
          if (waiters.includes(check)) {
            waiters.splice(waiters.indexOf(check), 1);
            clearTimeout(timer);
            reject(new Error(`\`${args.slice(0, 2).join(' ')}\` exited before the event; stderr: ${err.slice(-2000)}`));
          }
        }
      });
    });
  return { child, events, stdout: () => out, stderr: () => err, exited, waitFor };
}

/** Ends a process if it is still running and waits for it. */
export async function stopCli(p: CliProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}
