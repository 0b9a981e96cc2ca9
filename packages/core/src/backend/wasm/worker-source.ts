/**
 * The worker's program, as source text, because a worker is started from a script and core
 * ships as one bundle with no separate worker file to point at. It defines `startWorker(init)`:
 * instantiate the kernel module on the shared memory, announce readiness, then loop — wait on
 * the control block's sequence word (spin briefly, then futex), run the published kernel with the
 * published arguments, store the finished sequence number and wake the main thread.
 *
 * Control block (Int32 words): [0] sequence written by the main thread, [1] last finished
 * sequence written by the worker, [2] op (0 gemm, 1 adam, 2 im2col, 3 col2im, 4–6 the split kernels of thread-pool.ts, −1 exit), [3] 1 while the worker sleeps
 * on word 0, [4] 1 while the main thread sleeps on word 1 (a notify is sent only to a sleeper:
 * it costs a lock even when nobody waits); float64 arguments from byte 64.
 * The host wrapper (host-environment.ts) supplies `post` for the readiness message.
 */
export const WORKER_BODY = `
function startWorker(init, post) {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  const k = instance.exports;
  const control = new Int32Array(init.memory.buffer, init.control, 16);
  const a = new Float64Array(init.memory.buffer, init.control + 64, 24);
  const clock = typeof performance === 'object' ? performance : Date;
  post('ready');
  let generation = 0;
  for (;;) {
    // Spin for init.spinMs after the last job: a training step publishes its next kernel within
    // that time, and waking a sleeping thread costs tens of microseconds. Then sleep on the futex,
    // with word 3 set so the main thread knows to wake us.
    // A notify without a new job (the main thread expects work soon) starts a new spin period.
    let spinUntil = clock.now() + init.spinMs;
    let spins = 0;
    while (Atomics.load(control, 0) === generation) {
      if ((++spins & 1023) !== 0 || clock.now() < spinUntil) continue;
      Atomics.store(control, 3, 1);
      Atomics.wait(control, 0, generation);
      Atomics.store(control, 3, 0);
      spinUntil = clock.now() + init.spinMs;
    }
    generation = Atomics.load(control, 0);
    const op = control[2];
    if (op < 0) return;
    if (op === 0) k.gemm(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
    else if (op === 1) k.adamUpdate(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13]);
    else {
      // 2 im2col, 3 col2im, 4 a convolution's output with its activation, 5/6 activation
      // forward/backward: a share of the batch or of the elements (a WebAssembly export ignores
      // arguments past its own).
      const f = op === 2 ? k.im2colBatches : op === 3 ? k.col2imBatches : op === 4 ? k.channelMajorToBatchActivationBatches
        : op === 5 ? k.activationForward : k.activationBackward;
      f(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12], a[13], a[14], a[15]);
    }
    Atomics.store(control, 1, generation);
    if (Atomics.load(control, 4) === 1) Atomics.notify(control, 1);
  }
}
`;
