// Who runs, and how each is started. Python peers get their best configuration as their users
// would have it (see BENCHMARKS.md): Debian's python3-torch on /usr/bin/python3 with the pthread
// OpenBLAS, OPENBLAS_NUM_THREADS=1, 1 and 2 torch threads (best reported); numpy 2 from the
// machine's own python3 with its bundled OpenBLAS and default threads. `networks` says which rows a
// contender runs: 'mlp', 'cnn', or 'convnetjs-net' (ConvNetJS trains only its own demo net).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { benchRoot } from './data.mjs';

const NODE_CONTENDERS = [
  { id: 'scratchnet-wasm', label: 'scratchnet wasm (1 thread)', group: 'scratchnet', networks: ['mlp', 'cnn'] },
  { id: 'scratchnet-wasm-threads', label: 'scratchnet wasm + threads (2)', group: 'scratchnet', networks: ['mlp', 'cnn'] },
  { id: 'scratchnet-js', label: 'scratchnet js (reference)', group: 'scratchnet-js', networks: ['mlp'] },
  { id: 'tfjs-wasm', label: 'TF.js wasm', group: 'tfjs-wasm', networks: ['mlp', 'cnn'] },
  // TF.js cpu trains convolutions at 2–22 samples/s here (one batch of cnn-32-64: 25–30 s), too
  // slow for the CNN protocol; tfjs-wasm runs on the CNN rows to record that it cannot train them.
  { id: 'tfjs-cpu', label: 'TF.js cpu', group: 'tfjs-cpu', networks: ['mlp'] },
  { id: 'convnetjs', label: 'ConvNetJS', group: 'convnetjs', networks: ['convnetjs-net'] },
];

/** Whether contender `c` runs on network `config` (an MLP config, or a CNN config with an `arch`). */
export function runsOn(c, config) {
  if (!config.arch) return c.networks.includes('mlp');
  return c.networks.includes('cnn') || (c.networks.includes('convnetjs-net') && config.convnetjs === true);
}

function peerEnv(extra) {
  const env = { ...process.env, ...extra };
  // The peers' own command only: OPENBLAS_CORETYPE would force AVX2 kernels on an AVX-512 machine.
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

function works(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore', env: peerEnv({}) });
    return true;
  } catch {
    return false;
  }
}

/** Every contender available on this machine: { id, label, group, command, args(config), env }. */
export function availableContenders({ only } = {}) {
  const list = NODE_CONTENDERS.map((c) => ({
    ...c,
    command: process.execPath,
    args: (config) => [join(benchRoot, 'src', 'contender.mjs'), c.id, JSON.stringify(config)],
    env: process.env,
  }));
  const peer = join(benchRoot, 'peers', 'mlp_peer.py');
  if (works('/usr/bin/python3', ['-c', 'import torch'])) {
    for (const threads of [1, 2]) {
      list.push({
        id: `torch-${threads}t`,
        label: `PyTorch (${threads} thread${threads > 1 ? 's' : ''})`,
        group: 'torch',
        networks: ['mlp', 'cnn'],
        command: '/usr/bin/python3',
        args: (config) => [peer, 'torch', JSON.stringify({ ...config, threads })],
        env: peerEnv({ OPENBLAS_NUM_THREADS: '1' }),
      });
    }
  }
  if (works('python3', ['-c', 'import numpy'])) {
    // numpy as installed (OpenBLAS's own threads), and pinned to one thread: on a machine shared
    // with other work a threaded BLAS can collapse, and the better of the two is reported.
    list.push({
      id: 'numpy',
      label: 'numpy MLP (OpenBLAS default threads)',
      group: 'numpy',
      networks: ['mlp'],
      command: 'python3',
      args: (config) => [peer, 'numpy', JSON.stringify(config)],
      env: peerEnv({}),
    });
    list.push({
      id: 'numpy-1t',
      label: 'numpy MLP (1 thread)',
      group: 'numpy',
      networks: ['mlp'],
      command: 'python3',
      args: (config) => [peer, 'numpy', JSON.stringify(config)],
      env: peerEnv({ OPENBLAS_NUM_THREADS: '1' }),
    });
  }
  return only ? list.filter((c) => only.includes(c.id)) : list;
}
