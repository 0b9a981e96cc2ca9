import { POOL_OPS } from './pool-ops.js';

/**
 * The worker's program, as source text, because a worker is started from a script and core
 * ships as one bundle with no separate worker file to point at. It defines `startWorker(init)`:
 * instantiate the kernel module on the shared memory, announce readiness, then loop — wait for a
 * new job sequence in the job block (spin briefly, then futex), take chunks of the job until none
 * is left, each by a compare-and-swap on the claim word, and count each finished chunk.
 *
 * The job block's layout is thread-pool.ts's (JOB_BYTES and the WORD_ constants): Int32 words
 * [0] sequence, [1] claim (sequence mod 4096 << 20 | chunks << 10 | next chunk), [2] chunks
 * finished, [3] op (an index into pool-ops.ts's POOL_OPS, −1 exit), [4]–[7] the argument that gets a chunk's count, start, end and pack
 * scratch (−1: none), [8] units in all, [9] units per chunk (the last chunk takes the rest),
 * [10] 1 while the caller sleeps on word 2, [16 + w] 1 while worker w sleeps on word 0 (a notify
 * is sent only to a sleeper: it costs a lock even when nobody waits), [32 + w] worker w's pack
 * scratch; float64 from byte 256: the call's 16 arguments, then each one's advance per unit.
 * The host wrapper (host-environment.ts) supplies `post` for the readiness message.
 */
export const WORKER_BODY = `
const LATE_JOBS = 8;
function startWorker(init, post) {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const k = instance.exports;
  const words = new Int32Array(init.memory.buffer, init.job, 64);
  const floats = new Float64Array(init.memory.buffer, init.job + 256, 32);
  const a = new Float64Array(16);
  // By op (a WebAssembly export ignores arguments past its own): pool-ops.ts's list.
  const kernels = ${JSON.stringify(POOL_OPS)}.map((name) => k[name]);
  const sleeps = 16 + init.index;
  const packWord = 32 + init.index;
  const clock = typeof performance === 'object' ? performance : Date;
  post('ready');
  let seen = Atomics.load(words, 0);
  // Jobs in a row in which every chunk was gone before we looked. Then we are not getting a core
  // of our own (often we share the caller's), and spinning there only takes its time: we sleep at
  // once until a job wakes us, and the OS then puts us on an idle core if there is one. In the app
  // in Chromium (interleaved, load 5) this took 2 threads from 27-35k to 33-49k samples/s.
  let late = 0;
  for (;;) {
    // Spin for init.spinMs after the last job: a training step publishes its next kernel within
    // that time, and waking a sleeping thread costs tens of microseconds. Then sleep on the futex,
    // with our sleep word set so the caller knows to wake us.
    // A notify without a new job (the caller expects work soon) starts a new spin period and
    // ends a late streak.
    let spinUntil = late >= LATE_JOBS ? 0 : clock.now() + init.spinMs;
    let spins = 0;
    while (Atomics.load(words, 0) === seen) {
      if (spinUntil !== 0 && ((++spins & 1023) !== 0 || clock.now() < spinUntil)) continue;
      Atomics.store(words, sleeps, 1);
      Atomics.wait(words, 0, seen);
      Atomics.store(words, sleeps, 0);
      if (Atomics.load(words, 0) === seen) late = 0;
      spinUntil = late >= LATE_JOBS ? 0 : clock.now() + init.spinMs;
    }
    seen = Atomics.load(words, 0);
    late++;
    for (;;) {
      const claim = Atomics.load(words, 1);
      if ((claim >>> 20) !== (seen & 0xfff)) break; // a newer job: the loop above takes it
      const chunks = (claim >>> 10) & 0x3ff;
      const index = claim & 0x3ff;
      if (index >= chunks) break;
      if (Atomics.compareExchange(words, 1, claim, claim + 1) !== claim) continue;
      late = 0;
      // Until this chunk is counted the caller cannot publish another job: the block is this job's.
      const total = words[8];
      const start = index * words[9];
      const end = index === chunks - 1 ? total : start + words[9];
      for (let i = 0; i < 16; i++) a[i] = floats[i] + start * floats[16 + i];
      if (words[4] >= 0) a[words[4]] = end - start;
      if (words[5] >= 0) a[words[5]] = start;
      if (words[6] >= 0) a[words[6]] = end;
      if (words[7] >= 0) a[words[7]] = words[packWord];
      kernels[words[3]](a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
      if (Atomics.add(words, 2, 1) + 1 === chunks && Atomics.load(words, 10) === 1) Atomics.notify(words, 2);
    }
    if (words[3] < 0) return;
  }
}
`;
