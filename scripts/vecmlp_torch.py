#!/usr/bin/env python3
"""A vecmlp model file as a PyTorch nn.Sequential, and back.

    from vecmlp_torch import load, save
    model = load("out/model.safetensors")       # nn.Sequential, in eval mode
    save(model, "from-torch.safetensors")       # a file vecmlp.io.ModelFile.load reads

The Sequential has, per dense layer l, the modules Linear, then BatchNorm1d or LayerNorm if the layer is
normalized, then its activation (none for identity; Softmax(dim=-1) for a softmax output, so that the
Sequential's outputs are vecmlp's predict outputs: drop it and train with CrossEntropyLoss on the logits), then
Dropout if the layer has one. Its state_dict names are the usual "<index>.weight" and so on:

    vecmlp tensor                      PyTorch module and state_dict entry
    layers.l.weight  [in, out]         Linear        <i>.weight [out, in] (the transpose)
    layers.l.bias    [out]             Linear        <i>.bias
    layers.l.norm.weight / .bias       BatchNorm1d or LayerNorm  <i+1>.weight / .bias
    layers.l.norm.running_mean / _var  BatchNorm1d   <i+1>.running_mean / .running_var

Activations: relu ReLU, leaky_relu(s) LeakyReLU(s), sigmoid Sigmoid, tanh Tanh, elu(a) ELU(a), silu SiLU,
gelu GELU(), gelu_tanh GELU(approximate="tanh"), softplus Softplus, softmax Softmax(dim=-1). Residual blocks have no
nn.Sequential form and are refused. Run as a script, it loads a file, prints the Sequential and, with
--check, writes it back and verifies that the round trip keeps every tensor bit for bit.

Needs torch (Debian: python3-torch) and numpy; the safetensors format is read and written here directly.
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn

_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16}


def read_safetensors(path):
    """(tensors as float32 torch tensors by name, metadata dict) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    meta = header.pop("__metadata__", {})
    body = data[8 + n:]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] not in _DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}; this script reads F32, F64, F16")
        lo, hi = info["data_offsets"]
        a = np.frombuffer(body[lo:hi], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
        tensors[name] = torch.from_numpy(a.astype(np.float32))
    return tensors, meta


def write_safetensors(path, tensors, meta):
    """Writes float32 tensors (sorted by name) and string metadata as a safetensors file."""
    header = {"__metadata__": meta}
    chunks = []
    offset = 0
    for name in sorted(tensors):
        b = tensors[name].detach().cpu().contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(b)]}
        chunks.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def _activation(name):
    if name == "identity":
        return None
    if name == "relu":
        return nn.ReLU()
    if name.startswith("leaky_relu"):
        return nn.LeakyReLU(float(name[len("leaky_relu("):-1]) if "(" in name else 0.01)
    if name.startswith("elu"):
        return nn.ELU(float(name[len("elu("):-1]) if "(" in name else 1.0)
    simple = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "silu": nn.SiLU, "softplus": nn.Softplus}
    if name in simple:
        return simple[name]()
    if name == "gelu_tanh":
        return nn.GELU(approximate="tanh")
    if name == "gelu":
        return nn.GELU()
    if name == "softmax":
        return nn.Softmax(dim=-1)
    raise ValueError(f"unknown activation {name!r}")


def _name(module):
    if isinstance(module, nn.ReLU):
        return "relu"
    if isinstance(module, nn.LeakyReLU):
        return f"leaky_relu({float(np.float32(module.negative_slope))})"
    if isinstance(module, nn.ELU):
        return f"elu({float(np.float32(module.alpha))})"
    if isinstance(module, nn.GELU):
        return "gelu_tanh" if module.approximate == "tanh" else "gelu"
    for cls, n in ((nn.Sigmoid, "sigmoid"), (nn.Tanh, "tanh"), (nn.SiLU, "silu"), (nn.Softplus, "softplus"),
                   (nn.Softmax, "softmax")):
        if isinstance(module, cls):
            if cls is nn.Softplus and (module.beta != 1 or module.threshold != 20):
                raise ValueError("vecmlp's softplus is Softplus(beta=1, threshold=20)")
            return n
    raise ValueError(f"no vecmlp activation for {module}")


def load(path):
    """The vecmlp model file at path as an nn.Sequential in eval mode."""
    t, meta = read_safetensors(path)
    if meta.get("vecmlp.format") not in ("mlp", "mlp-checkpoint"):
        raise ValueError(f"{path}: not a vecmlp model file (vecmlp.format {meta.get('vecmlp.format')!r})")
    sizes = [int(s) for s in meta["vecmlp.layer_sizes"].split(",")]
    acts = meta["vecmlp.activations"].split(",")
    layers = len(sizes) - 1
    norms = meta.get("vecmlp.normalization", ",".join(["none"] * layers)).split(",")
    drops = [float(p) for p in meta.get("vecmlp.dropout", ",".join(["0"] * layers)).split(",")]
    if any(r != "none" for r in meta.get("vecmlp.residual", "none").split(",")):
        raise ValueError(f"{path}: residual blocks have no nn.Sequential form")
    modules = []
    for l in range(layers):
        linear = nn.Linear(sizes[l], sizes[l + 1])
        with torch.no_grad():
            linear.weight.copy_(t[f"layers.{l}.weight"].T)
            linear.bias.copy_(t[f"layers.{l}.bias"])
        modules.append(linear)
        if norms[l] != "none":
            norm = nn.BatchNorm1d(sizes[l + 1]) if norms[l] == "batch" else nn.LayerNorm(sizes[l + 1])
            with torch.no_grad():
                norm.weight.copy_(t[f"layers.{l}.norm.weight"])
                norm.bias.copy_(t[f"layers.{l}.norm.bias"])
                if norms[l] == "batch":
                    norm.running_mean.copy_(t[f"layers.{l}.norm.running_mean"])
                    norm.running_var.copy_(t[f"layers.{l}.norm.running_var"])
            modules.append(norm)
        act = _activation(acts[l])
        if act is not None:
            modules.append(act)
        if drops[l] > 0:
            modules.append(nn.Dropout(drops[l]))
    return nn.Sequential(*modules).eval()


def save(model, path, loss=None):
    """Writes an nn.Sequential of the form load() gives as a vecmlp model file (loss: vecmlp's name, or
    cross_entropy for a softmax output and mse otherwise)."""
    sizes, acts, norms, drops, tensors = [], [], [], [], {}
    for m in model:
        if isinstance(m, nn.Linear):
            l = len(acts)
            if not sizes:
                sizes.append(m.in_features)
            sizes.append(m.out_features)
            acts.append("identity")
            norms.append("none")
            drops.append(0.0)
            tensors[f"layers.{l}.weight"] = m.weight.detach().T
            tensors[f"layers.{l}.bias"] = m.bias.detach()
        elif not acts:
            raise ValueError(f"{m} before the first Linear")
        elif isinstance(m, (nn.BatchNorm1d, nn.LayerNorm)):
            l = len(acts) - 1
            norms[l] = "batch" if isinstance(m, nn.BatchNorm1d) else "layer"
            tensors[f"layers.{l}.norm.weight"] = m.weight.detach()
            tensors[f"layers.{l}.norm.bias"] = m.bias.detach()
            if isinstance(m, nn.BatchNorm1d):
                tensors[f"layers.{l}.norm.running_mean"] = m.running_mean.detach()
                tensors[f"layers.{l}.norm.running_var"] = m.running_var.detach()
        elif isinstance(m, nn.Dropout):
            drops[-1] = float(np.float32(m.p))
        else:
            acts[-1] = _name(m)
    if loss is None:
        loss = "cross_entropy" if acts[-1] == "softmax" else "mse"
    meta = {
        "vecmlp.format": "mlp",
        "vecmlp.format_version": "2" if any(n != "none" for n in norms) else "1",
        "vecmlp.layer_sizes": ",".join(str(s) for s in sizes),
        "vecmlp.activations": ",".join(acts),
        "vecmlp.loss": loss,
        "vecmlp.checksum": "none",
    }
    if any(p > 0 for p in drops):
        meta["vecmlp.dropout"] = ",".join(repr(p) if p > 0 else "0" for p in drops)
    if any(n != "none" for n in norms):
        meta["vecmlp.normalization"] = ",".join(norms)
    write_safetensors(path, tensors, meta)


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print("usage: vecmlp_torch.py MODEL.safetensors [--check OUT.safetensors]", file=sys.stderr)
        return 2
    model = load(argv[1])
    print(model)
    if len(argv) == 4 and argv[2] == "--check":
        save(model, argv[3])
        a, _ = read_safetensors(argv[1])
        b, _ = read_safetensors(argv[3])
        same = a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
        print("round trip:", "every tensor bit for bit" if same else "DIFFERS")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
