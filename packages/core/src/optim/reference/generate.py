"""Generates optimizer-reference.json: PyTorch's own optimizers run on small tensors, for
optimizers.reference.test.ts to compare scratchnet's optimizers against.

Run from this directory with Debian's python3-torch:  /usr/bin/python3 generate.py

Inputs (initial parameters, per-step gradients) are drawn in float32 so TypeScript can load them
exactly; PyTorch then runs in float64, so the expected values carry no float32 rounding of their
own and the test's tolerance only has to cover scratchnet's float32 storage.
"""
import json
import math

import torch

STEPS = 6
SHAPES = {"0.weight": (2, 3), "0.bias": (2,)}
# scratchnet's slot names for PyTorch's optimizer state entries.
SLOT_NAMES = {"momentum_buffer": "velocity", "square_avg": "square", "exp_avg": "m", "exp_avg_sq": "v"}

# Each case: scratchnet config, the PyTorch optimizer and its arguments, and optionally a
# gradient scale (to make clipping bite) and per-step learning rates (as a schedule would set).
CASES = [
    ("sgd", {"type": "sgd", "lr": 0.1}, torch.optim.SGD, {"lr": 0.1}),
    ("sgd-weight-decay", {"type": "sgd", "lr": 0.1, "weightDecay": 0.05}, torch.optim.SGD, {"lr": 0.1, "weight_decay": 0.05}),
    ("momentum", {"type": "momentum", "lr": 0.05}, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9}),
    ("nesterov-weight-decay", {"type": "sgd", "lr": 0.05, "momentum": 0.8, "nesterov": True, "weightDecay": 0.01},
     torch.optim.SGD, {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.01}),
    ("rmsprop", {"type": "rmsprop", "lr": 0.01}, torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}),
    ("rmsprop-weight-decay", {"type": "rmsprop", "lr": 0.003, "rho": 0.9, "eps": 1e-6, "weightDecay": 0.1},
     torch.optim.RMSprop, {"lr": 0.003, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.1}),
    ("adam", {"type": "adam", "lr": 0.01}, torch.optim.Adam, {"lr": 0.01}),
    ("adam-l2", {"type": "adam", "lr": 0.02, "beta1": 0.8, "beta2": 0.99, "eps": 1e-7, "weightDecay": 0.1},
     torch.optim.Adam, {"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-7, "weight_decay": 0.1}),
    ("adamw", {"type": "adamw", "lr": 0.01, "weightDecay": 0.1}, torch.optim.AdamW, {"lr": 0.01, "weight_decay": 0.1}),
    ("adamw-default-decay", {"type": "adamw", "lr": 0.05}, torch.optim.AdamW, {"lr": 0.05}),
    ("adam-clip", {"type": "adam", "lr": 0.01, "clipNorm": 1.0}, torch.optim.Adam, {"lr": 0.01}, {"grad_scale": 4.0}),
    ("momentum-clip", {"type": "momentum", "lr": 0.05, "clipNorm": 0.5}, torch.optim.SGD, {"lr": 0.05, "momentum": 0.9},
     {"grad_scale": 3.0}),
    ("adamw-scheduled-lr", {"type": "adamw", "lr": 0.01, "weightDecay": 0.2}, torch.optim.AdamW, {"lr": 0.01, "weight_decay": 0.2},
     {"lrs": [0.0025, 0.005, 0.0075, 0.01, 0.008, 0.004]}),
]


def floats(t):
    return [float(x) for x in t.reshape(-1).tolist()]


def run_case(name, config, optimizer_class, kwargs, extra=None):
    extra = extra or {}
    generator = torch.Generator().manual_seed(sum(map(ord, name)))
    initial = {k: torch.randn(s, generator=generator, dtype=torch.float32) for k, s in SHAPES.items()}
    grads = [
        {k: (torch.randn(s, generator=generator, dtype=torch.float32) * extra.get("grad_scale", 1.0)).float() for k, s in SHAPES.items()}
        for _ in range(STEPS)
    ]
    params = {k: v.double().clone().requires_grad_(True) for k, v in initial.items()}
    optimizer = optimizer_class(list(params.values()), **kwargs)
    steps = []
    for i in range(STEPS):
        for k, p in params.items():
            p.grad = grads[i][k].double().clone()
        if "lrs" in extra:
            optimizer.param_groups[0]["lr"] = extra["lrs"][i]
        record = {"grads": {k: floats(g) for k, g in grads[i].items()}}
        if "clipNorm" in config:
            record["norm"] = float(torch.nn.utils.clip_grad_norm_(list(params.values()), config["clipNorm"]))
        optimizer.step()
        record["params"] = {k: floats(p.detach()) for k, p in params.items()}
        if "lrs" in extra:
            record["lr"] = extra["lrs"][i]
        steps.append(record)
    slots = {}
    for k, p in params.items():
        for torch_name, value in optimizer.state[p].items():
            if torch_name in SLOT_NAMES and value is not None:
                slots[f"{SLOT_NAMES[torch_name]}/{k}"] = floats(value)
    return {
        "name": name,
        "config": config,
        "shapes": {k: list(s) for k, s in SHAPES.items()},
        "initial": {k: floats(v) for k, v in initial.items()},
        "steps": steps,
        "finalSlots": slots,
    }


def schedule_reference():
    """Learning rate per epoch from PyTorch's own schedulers, stepped once per epoch."""
    def lrs(make, epochs=12, base=0.1):
        p = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([p], lr=base)
        sched = make(opt)
        out = []
        for _ in range(epochs):
            out.append(opt.param_groups[0]["lr"])
            opt.step()
            sched.step()
        return out

    return [
        {"schedule": {"type": "step", "stepSize": 3, "gamma": 0.5}, "baseLr": 0.1, "totalEpochs": 12,
         "lrs": lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=3, gamma=0.5))},
        {"schedule": {"type": "exponential", "gamma": 0.9}, "baseLr": 0.1, "totalEpochs": 12,
         "lrs": lrs(lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=0.9))},
        {"schedule": {"type": "cosine", "minLr": 0.001}, "baseLr": 0.1, "totalEpochs": 12,
         "lrs": lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=12, eta_min=0.001))},
        {"schedule": {"type": "cosine"}, "baseLr": 0.1, "totalEpochs": 7,
         "lrs": lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7), epochs=7)},
    ]


def main():
    torch.set_default_dtype(torch.float64)
    reference = {
        "generator": f"generate.py with torch {torch.__version__} (float64)",
        "optimizers": [run_case(*case) for case in CASES],
        "schedules": schedule_reference(),
    }
    with open("optimizer-reference.json", "w") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
