"""Generates pytorch-reference.json: small torch.nn.Sequential networks with their outputs, losses
and gradients (every state_dict entry and the input), for pytorch-reference.test.ts to compare
scratchnet's layers, losses and parameter names against.

Run from this directory with Debian's python3-torch:  /usr/bin/python3 generate.py

Inputs and weights are drawn in float32 so TypeScript can load them exactly; PyTorch then runs in
float64, so the expected values carry no rounding of their own and the test's tolerance only has
to cover scratchnet's float32 arithmetic.
"""
import json

import torch
from torch import nn

torch.manual_seed(1234)
ROWS = 5

# name, scratchnet architecture options, layers, loss, target kind
CASES = [
    ("relu-ce", "6-8-7-4", {"activations": "relu"},
     [nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 7), nn.ReLU(), nn.Linear(7, 4)], "cross_entropy"),
    ("selu-tanh-ce-dropout", "6-8-7-4", {"activations": "selu,tanh", "dropout": 0.3},
     [nn.Linear(6, 8), nn.SELU(), nn.Dropout(0.3), nn.Linear(8, 7), nn.Tanh(), nn.Dropout(0.3), nn.Linear(7, 4)], "cross_entropy"),
    ("leaky-sigmoid-mse", "6-8-4", {"activations": "leaky_relu", "output": "sigmoid"},
     [nn.Linear(6, 8), nn.LeakyReLU(0.01), nn.Linear(8, 4), nn.Sigmoid()], "mse"),
    ("tanh-softmax-mse", "6-5-4", {"activations": "tanh", "output": "softmax"},
     [nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 4), nn.Softmax(dim=1)], "mse"),
    ("sigmoid-bce", "6-8-4", {"activations": "sigmoid"},
     [nn.Linear(6, 8), nn.Sigmoid(), nn.Linear(8, 4)], "bce"),
]


def as_list(t):
    return t.detach().to(torch.float64).reshape(-1).tolist()


def case(name, arch, options, layers, loss_name):
    model = nn.Sequential(*layers)
    # float32 draws (exactly representable in TypeScript), then float64 arithmetic.
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, dtype=torch.float32) * 0.7)
    model = model.double().eval()  # eval: dropout is the identity, as in scratchnet's eval mode
    x = torch.randn(ROWS, layers[0].in_features, dtype=torch.float32).double().requires_grad_(True)
    classes = layers[-1].out_features if isinstance(layers[-1], nn.Linear) else layers[-2].out_features
    labels = torch.randint(0, classes, (ROWS,))
    onehot = nn.functional.one_hot(labels, classes).double()
    out = model(x)
    if loss_name == "cross_entropy":
        loss = nn.functional.cross_entropy(out, labels)
    elif loss_name == "mse":
        loss = nn.functional.mse_loss(out, onehot)
    else:
        loss = nn.functional.binary_cross_entropy_with_logits(out, onehot)
    loss.backward()
    return {
        "name": name,
        "architecture": arch,
        "options": options,
        "loss": loss_name,
        "x": as_list(x),
        "labels": labels.tolist(),
        "stateDict": {k: {"shape": list(v.shape), "values": as_list(v)} for k, v in model.state_dict().items()},
        "output": as_list(out),
        "lossValue": loss.item(),
        "inputGrad": as_list(x.grad),
        "grads": {k: as_list(p.grad) for k, p in model.named_parameters()},
    }


reference = {"generator": "generate.py with torch " + torch.__version__, "rows": ROWS,
             "cases": [case(*c) for c in CASES]}
with open("pytorch-reference.json", "w") as f:
    json.dump(reference, f, indent=1)
    f.write("\n")
