"""Benchmark peer: the same MLP trained with PyTorch or a hand-written numpy MLP (like the seeds'),
or, for the CNN rows, the same CNN with PyTorch: a config with 'spec' (the ModelSpec core's
parseArchitecture made) is built module for module as nn.Sequential, as scratchnet builds it.

Speaks the bench line protocol: JSON commands on stdin, replies on stdout as lines starting with
'@@BENCH ' (anything else a library prints is ignored). Commands: epoch, evaluate, infer, gemm,
exit. Adam (lr 1e-3, betas 0.9/0.999, eps 1e-8), softmax cross-entropy, float32 throughout.

    python3 mlp_peer.py <torch|numpy> '<json config>'
"""
import json
import math
import os
import resource
import sys
import time


def reply(obj):
    sys.stdout.write('@@BENCH ' + json.dumps(obj) + '\n')
    sys.stdout.flush()


def loaded_blas():
    """Shared libraries with 'blas' in their name mapped into this process (what actually runs)."""
    libs = set()
    try:
        with open('/proc/self/maps') as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ''
                if 'blas' in path.lower() or 'lapack' in path.lower() or 'mkl' in path.lower():
                    libs.add(path)
    except OSError:
        pass
    return sorted(libs)


impl = sys.argv[1]
config = json.loads(sys.argv[2])
sizes = config.get('layers')
acts = config.get('activations')
spec = config.get('spec')
batch = config['batch']
files = config['files']
seed = config.get('seed', 0)

import numpy as np  # noqa: E402

Xtr = np.fromfile(files['trainImages'], dtype=np.uint8).reshape(-1, 784).astype(np.float32) / 255.0
ytr = np.fromfile(files['trainLabels'], dtype=np.uint8).astype(np.int64)
Xte = np.fromfile(files['testImages'], dtype=np.uint8).reshape(-1, 784).astype(np.float32) / 255.0
yte = np.fromfile(files['testLabels'], dtype=np.uint8).astype(np.int64)
N = len(ytr)

SELU_ALPHA = 1.6732632423543772
SELU_SCALE = 1.0507009873554805

if impl == 'torch':
    import torch

    def torch_module(layer):
        """One ModelSpec layer as the torch module scratchnet's registry describes it."""
        t = layer['type']
        size = lambda name, default=None: tuple(layer[name]) if isinstance(layer.get(name), list) else layer.get(name, default)  # noqa: E731
        if t == 'conv2d':
            return torch.nn.Conv2d(layer['inChannels'], layer['outChannels'], size('kernelSize'), stride=size('stride', 1),
                                   padding=size('padding', 0), bias=layer.get('bias', True))
        if t in ('max_pool2d', 'avg_pool2d'):
            pool = torch.nn.MaxPool2d if t == 'max_pool2d' else torch.nn.AvgPool2d
            return pool(size('kernelSize'), stride=size('stride'), padding=size('padding', 0))
        if t in ('batch_norm1d', 'batch_norm2d'):
            bn = torch.nn.BatchNorm2d if t == 'batch_norm2d' else torch.nn.BatchNorm1d
            return bn(layer['numFeatures'], eps=layer.get('eps', 1e-5), momentum=layer.get('momentum', 0.1))
        if t == 'flatten':
            return torch.nn.Flatten()
        if t == 'dense':
            return torch.nn.Linear(layer['inputSize'], layer['outputSize'])
        if t == 'dropout':
            return torch.nn.Dropout(layer['rate'])
        if t in ACT:
            return ACT[t]()
        raise ValueError('layer type %r is not mapped to torch' % t)
    threads = int(config.get('threads', 1))
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    ACT = {'relu': torch.nn.ReLU, 'selu': torch.nn.SELU, 'tanh': torch.nn.Tanh, 'sigmoid': torch.nn.Sigmoid}
    layers = []
    if spec is not None:
        layers = [torch_module(layer) for layer in spec['layers']]
        Xtr = Xtr.reshape(-1, *spec['inputShape'])
        Xte = Xte.reshape(-1, *spec['inputShape'])
    else:
        for i in range(len(sizes) - 1):
            layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]))
            if i < len(sizes) - 2:
                layers.append(ACT[acts[i]]())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    lossf = torch.nn.CrossEntropyLoss()
    X = torch.from_numpy(Xtr)
    Y = torch.from_numpy(ytr)
    XT = torch.from_numpy(Xte)
    YT = torch.from_numpy(yte)
    gen = torch.Generator().manual_seed(seed)

    def train_epoch(max_seconds):
        model.train()
        perm = torch.randperm(N, generator=gen)
        start = time.perf_counter()
        seen = 0
        total = 0.0
        for i in range(0, N, batch):
            idx = perm[i:i + batch]
            xb = X[idx]
            yb = Y[idx]
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(xb), yb)
            loss.backward()
            opt.step()
            seen += len(idx)
            total += float(loss) * len(idx)
            if time.perf_counter() - start > max_seconds:
                break
        return seen, time.perf_counter() - start, total / max(seen, 1)

    def evaluate():
        model.eval()
        with torch.no_grad():
            if spec is None:
                return float((model(XT).argmax(1) == YT).float().mean())
            # A CNN's activations for 10,000 images at once would take gigabytes: batches of 256,
            # as scratchnet evaluates CNNs (core's default).
            return sum(int((model(XT[i:i + 256]).argmax(1) == YT[i:i + 256]).sum()) for i in range(0, len(YT), 256)) / len(YT)

    def infer(iterations):
        model.eval()
        x = XT[0:1]
        times = []
        with torch.no_grad():
            for _ in range(50):
                model(x)
            for _ in range(iterations):
                t = time.perf_counter()
                model(x)
                times.append(time.perf_counter() - t)
        return times

    def matmul(a, b):
        ta, tb = torch.from_numpy(a), torch.from_numpy(b)
        return lambda: torch.mm(ta, tb)

    def layer_profile(seconds):
        """Each Conv2d timed alone at the row's batch, as the bench times scratchnet's (forward and
        backward in pairs, input gradient unless module 0; medians in µs)."""
        model.train()
        out = []
        x = X[:batch]
        for index, module in enumerate(model):
            if isinstance(module, torch.nn.Conv2d):
                inp = x.detach().requires_grad_(index > 0)
                dy = torch.randn(module(inp).shape, generator=torch.Generator().manual_seed(1)) * 1e-2
                fwd, bwd = [], []
                until = time.perf_counter() + seconds
                i = 0
                while i < 8 or len(fwd) < 5 or time.perf_counter() < until:
                    t0 = time.perf_counter()
                    y = module(inp)
                    t1 = time.perf_counter()
                    y.backward(dy)
                    t2 = time.perf_counter()
                    if i >= 3:
                        fwd.append((t1 - t0) * 1e6)
                        bwd.append((t2 - t1) * 1e6)
                    i += 1
                module.zero_grad(set_to_none=True)
                f, b = sorted(fwd)[len(fwd) // 2], sorted(bwd)[len(bwd) // 2]
                out.append({'index': index, 'rows': batch, 'needInputGradient': index > 0, 'forwardMicros': f, 'backwardMicros': b, 'stepMicros': f + b})
            with torch.no_grad():
                x = module(x)
        return out

    def peer_info():
        return {'library': 'PyTorch ' + torch.__version__, 'threads': threads, 'python': sys.executable}
else:
    rng = np.random.default_rng(seed)
    W = []
    B = []
    for i in range(len(sizes) - 1):
        bound = 1.0 / math.sqrt(sizes[i])
        W.append(rng.uniform(-bound, bound, (sizes[i + 1], sizes[i])).astype(np.float32))
        B.append(rng.uniform(-bound, bound, sizes[i + 1]).astype(np.float32))
    params = W + B
    m_state = [np.zeros_like(p) for p in params]
    v_state = [np.zeros_like(p) for p in params]
    step = [0]

    def act_f(name, z):
        if name == 'relu':
            return np.maximum(z, 0)
        if name == 'tanh':
            return np.tanh(z)
        if name == 'selu':
            return np.where(z > 0, SELU_SCALE * z, SELU_SCALE * SELU_ALPHA * np.expm1(np.minimum(z, 0))).astype(np.float32)
        raise ValueError(name)

    def act_d(name, z, a):
        if name == 'relu':
            return (z > 0).astype(np.float32)
        if name == 'tanh':
            return 1 - a * a
        if name == 'selu':
            return np.where(z > 0, np.float32(SELU_SCALE), a + np.float32(SELU_SCALE * SELU_ALPHA))
        raise ValueError(name)

    def forward(x):
        zs, as_ = [], [x]
        a = x
        L = len(W)
        for i in range(L):
            z = a @ W[i].T + B[i]
            zs.append(z)
            a = act_f(acts[i], z) if i < L - 1 else z
            as_.append(a)
        return zs, as_

    def train_step(xb, yb):
        zs, as_ = forward(xb)
        logits = as_[-1]
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        p = e / e.sum(axis=1, keepdims=True)
        n = len(yb)
        loss = float(-np.log(p[np.arange(n), yb] + 1e-12).mean())
        d = p
        d[np.arange(n), yb] -= 1
        d /= n
        grads_w = [None] * len(W)
        grads_b = [None] * len(W)
        for i in reversed(range(len(W))):
            grads_w[i] = d.T @ as_[i]
            grads_b[i] = d.sum(axis=0)
            if i > 0:
                d = (d @ W[i]) * act_d(acts[i - 1], zs[i - 1], as_[i])
        grads = grads_w + grads_b
        step[0] += 1
        t = step[0]
        lr, b1, b2, eps = 1e-3, 0.9, 0.999, 1e-8
        c1 = 1 - b1 ** t
        c2 = 1 - b2 ** t
        for p_, g, m, v in zip(params, grads, m_state, v_state):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * (g * g)
            p_ -= (lr / c1) * m / (np.sqrt(v / c2) + eps)
        return loss

    def train_epoch(max_seconds):
        perm = rng.permutation(N)
        start = time.perf_counter()
        seen = 0
        total = 0.0
        for i in range(0, N, batch):
            idx = perm[i:i + batch]
            total += train_step(Xtr[idx], ytr[idx]) * len(idx)
            seen += len(idx)
            if time.perf_counter() - start > max_seconds:
                break
        return seen, time.perf_counter() - start, total / max(seen, 1)

    def evaluate():
        _, as_ = forward(Xte)
        return float((as_[-1].argmax(1) == yte).mean())

    def infer(iterations):
        x = Xte[0:1]
        times = []
        for _ in range(50):
            forward(x)
        for _ in range(iterations):
            t = time.perf_counter()
            forward(x)
            times.append(time.perf_counter() - t)
        return times

    def matmul(a, b):
        return lambda: a @ b

    def peer_info():
        return {'library': 'numpy ' + np.__version__, 'threads': os.environ.get('OPENBLAS_NUM_THREADS', 'default'), 'python': sys.executable}

# A first matmul loads the BLAS so /proc/self/maps shows it.
matmul(np.ones((8, 8), np.float32), np.ones((8, 8), np.float32))()
reply({'ready': True, 'info': dict(peer_info(), blas=loaded_blas())})

for line in sys.stdin:
    cmd = json.loads(line)
    c = cmd['cmd']
    if c == 'epoch':
        cpu = time.process_time()
        seen, seconds, loss = train_epoch(cmd.get('maxSeconds', 1e9))
        reply({'samples': seen, 'seconds': seconds, 'cpuSeconds': time.process_time() - cpu, 'loss': loss})
    elif c == 'evaluate':
        reply({'accuracy': evaluate()})
    elif c == 'infer':
        times = sorted(infer(cmd.get('iterations', 2000)))
        reply({'medianMicros': times[len(times) // 2] * 1e6})
    elif c == 'gemm':
        out = []
        for m, k, n in cmd['shapes']:
            a = np.random.default_rng(1).random((m, k), dtype=np.float32)
            b = np.random.default_rng(2).random((k, n), dtype=np.float32)
            f = matmul(a, b)
            for _ in range(5):
                f()
            reps = max(10, int(2e9 / (2 * m * n * k)))
            t = time.perf_counter()
            for _ in range(reps):
                f()
            dt = (time.perf_counter() - t) / reps
            out.append(2 * m * n * k / dt / 1e9)
        reply({'gflops': out})
    elif c == 'layerProfile':
        reply({'layers': layer_profile(cmd.get('seconds', 0.3))})
    elif c == 'exit':
        reply({'peakRssMB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})
        break
