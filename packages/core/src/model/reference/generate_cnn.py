"""Generates pytorch-cnn-reference.json: five small convolutional torch.nn.Sequential networks in
training mode (batch norm on batch statistics) with their outputs, losses and every gradient,
then the weights and running statistics after three Adam steps, for
pytorch-cnn-reference.test.ts to compare scratchnet against.

Run from this directory with Debian's python3-torch:  /usr/bin/python3 generate_cnn.py

As in generate.py, inputs and weights are float32 draws (exact in TypeScript) and PyTorch runs in
float64, so the tolerance of the test covers only scratchnet's float32 arithmetic.
"""
import json

import torch
from torch import nn

torch.manual_seed(4321)
ROWS = 4
ADAM_STEPS = 3
LR = 0.01
# Adam's eps: 1e-3 rather than 1e-8. A gradient at rounding-noise level (a ReLU channel that is dead
# for the whole batch gives 1e-14 in float64 and ~1e-9 in float32) makes a default-eps Adam step
# ±lr in one and 0 in the other; eps 1e-3 keeps such steps negligible while every real gradient
# still moves its weight by about lr.
EPS = 1e-3

# name, scratchnet architecture, input shape, torch layers, loss
CASES = [
    ("lenet-like-ce", "1x12x12-conv(4,5,pad=2)-relu-maxpool(2)-conv(6,3)-relu-maxpool(2)-flatten-10-relu-3", (1, 12, 12),
     lambda: [nn.Conv2d(1, 4, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 3), nn.ReLU(), nn.MaxPool2d(2),
              nn.Flatten(), nn.Linear(24, 10), nn.ReLU(), nn.Linear(10, 3)], "cross_entropy"),
    # Linear and Tanh stand between the two batch norms: a purely linear path from BatchNorm2d to
    # BatchNorm1d would make the first one's bias gradient exactly zero (BatchNorm1d's input
    # gradient sums to zero over the batch), a value float32 can only approximate.
    ("batchnorm-stride-avgpool-ce", "2x9x7-conv(5,3,stride=2,pad=1,bias=false)-bn-relu-avgpool(2,stride=1)-flatten-12-tanh-bn-4", (2, 9, 7),
     lambda: [nn.Conv2d(2, 5, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(5), nn.ReLU(), nn.AvgPool2d(2, stride=1),
              nn.Flatten(), nn.Linear(60, 12), nn.Tanh(), nn.BatchNorm1d(12), nn.Linear(12, 4)], "cross_entropy"),
    ("rectangular-maxpool-padding-bce", "3x8x8-conv(4,3x2,stride=1x2,pad=1x0)-leaky_relu(0.1)-maxpool(3,2,1)-flatten-5", (3, 8, 8),
     lambda: [nn.Conv2d(3, 4, (3, 2), stride=(1, 2), padding=(1, 0)), nn.LeakyReLU(0.1), nn.MaxPool2d(3, 2, 1),
              nn.Flatten(), nn.Linear(4 * 4 * 2, 5)], "bce"),
    ("same-sigmoid-softmax-mse", "1x6x6-conv(3,3,pad=same)-sigmoid-maxpool(2)-conv(2,1)-selu-flatten-4-softmax", (1, 6, 6),
     lambda: [nn.Conv2d(1, 3, 3, padding="same"), nn.Sigmoid(), nn.MaxPool2d(2), nn.Conv2d(3, 2, 1), nn.SELU(),
              nn.Flatten(), nn.Linear(18, 4), nn.Softmax(dim=1)], "mse"),
    # Eight channels in and out: scratchnet convolves these by Winograd F(2×2, 5×5) and F(2×2, 3×3).
    ("winograd-5x5-3x3-ce", "8x7x6-conv(8,5,pad=2)-relu-conv(9,3,pad=1)-relu-maxpool(2)-flatten-3", (8, 7, 6),
     lambda: [nn.Conv2d(8, 8, 5, padding=2), nn.ReLU(), nn.Conv2d(8, 9, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
              nn.Flatten(), nn.Linear(81, 3)], "cross_entropy"),
]


def as_list(t):
    return t.detach().to(torch.float64).reshape(-1).tolist()


def loss_of(loss_name, out, labels, classes):
    onehot = nn.functional.one_hot(labels, classes).double()
    if loss_name == "cross_entropy":
        return nn.functional.cross_entropy(out, labels)
    if loss_name == "mse":
        return nn.functional.mse_loss(out, onehot)
    return nn.functional.binary_cross_entropy_with_logits(out, onehot)


def state(model):
    return {k: {"shape": list(v.shape), "values": as_list(v)} for k, v in model.state_dict().items()}


def case(name, arch, shape, make_layers, loss_name):
    model = nn.Sequential(*make_layers())
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, dtype=torch.float32) * 0.5)
    model = model.double().train()
    initial = state(model)
    x = torch.randn(ROWS, *shape, dtype=torch.float32).double().requires_grad_(True)
    linear = [m for m in model if isinstance(m, nn.Linear)][-1]
    labels = torch.randint(0, linear.out_features, (ROWS,))
    out = model(x)
    loss = loss_of(loss_name, out, labels, linear.out_features)
    loss.backward()
    first = {
        "output": as_list(out),
        "lossValue": loss.item(),
        "inputGrad": as_list(x.grad),
        "grads": {k: as_list(p.grad) for k, p in model.named_parameters()},
    }
    # Three Adam steps on the same batch, from the initial weights and statistics again.
    model.load_state_dict({k: torch.tensor(v["values"], dtype=torch.float64).reshape(v["shape"]) for k, v in initial.items()})
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, eps=EPS)
    for _ in range(ADAM_STEPS):
        optimizer.zero_grad()
        loss_of(loss_name, model(x.detach()), labels, linear.out_features).backward()
        optimizer.step()
    after = state(model)
    for k, v in model.state_dict().items():
        if k.endswith("num_batches_tracked"):
            after[k]["values"] = [int(v.item())]
    return {
        "name": name,
        "architecture": arch,
        "loss": loss_name,
        "x": as_list(x),
        "labels": labels.tolist(),
        "stateDict": initial,
        **first,
        "adamSteps": ADAM_STEPS,
        "lr": LR,
        "eps": EPS,
        "afterAdam": after,
    }


reference = {"generator": "generate_cnn.py with torch " + torch.__version__, "rows": ROWS,
             "cases": [case(*c) for c in CASES]}
with open("pytorch-cnn-reference.json", "w") as f:
    json.dump(reference, f, indent=1)
    f.write("\n")
