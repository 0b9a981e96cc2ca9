// A contender running in its own child process, driven over the '@@BENCH ' line protocol.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const running = new Set();
// A stopped benchmark must not leave contenders training in the background.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export class ContenderProcess {
  /**
   * @param {string} id
   * @param {string} command
   * @param {string[]} args
   * @param {NodeJS.ProcessEnv} env
   */
  constructor(id, command, args, env) {
    this.id = id;
    this.stderr = '';
    this.child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    running.add(this.child);
    this.child.once('exit', () => running.delete(this.child));
    this.waiting = [];
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.child.stderr.on('data', (chunk) => {
      this.stderr = (this.stderr + chunk).slice(-4000);
    });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (!line.startsWith('@@BENCH ')) return;
      this.waiting.shift()?.resolve(JSON.parse(line.slice(8)));
    });
    this.exited.then(({ code, signal }) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`${id} exited (${code ?? signal}): ${this.stderr.trim().split('\n').slice(-5).join(' | ')}`));
    });
  }

  /** The next reply (the first one is the 'ready' message). */
  next() {
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  send(command) {
    const reply = this.next();
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    return reply;
  }

  kill() {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
