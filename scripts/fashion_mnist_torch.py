# Issue 17's PyTorch recipe on Fashion-MNIST: 784-256-128-10, BatchNorm1d before each hidden ReLU, dropout 0.2,
# Adam 1e-3, batch 128, 20 epochs, one thread, x/255. Prints per-epoch time, the total and the test accuracy.
import gzip, struct, sys, time
import numpy as np
import torch
torch.set_num_threads(1)
torch.manual_seed(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
D = sys.argv[1]
def images(p):
    with gzip.open(p) as f:
        _, n, r, c = struct.unpack(">IIII", f.read(16))
        return np.frombuffer(f.read(), np.uint8).reshape(n, r * c).astype(np.float32) / 255
def labels(p):
    with gzip.open(p) as f:
        f.read(8)
        return np.frombuffer(f.read(), np.uint8).astype(np.int64)
xtr = torch.from_numpy(images(D + "/train-images-idx3-ubyte.gz")); ytr = torch.from_numpy(labels(D + "/train-labels-idx1-ubyte.gz"))
xte = torch.from_numpy(images(D + "/t10k-images-idx3-ubyte.gz")); yte = torch.from_numpy(labels(D + "/t10k-labels-idx1-ubyte.gz"))
m = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.BatchNorm1d(256), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                        torch.nn.Linear(256, 128), torch.nn.BatchNorm1d(128), torch.nn.ReLU(), torch.nn.Dropout(0.2),
                        torch.nn.Linear(128, 10))
opt = torch.optim.Adam(m.parameters(), 1e-3)
loss = torch.nn.CrossEntropyLoss()
t0 = time.time()
for epoch in range(20):
    m.train()
    perm = torch.randperm(60000)
    for i in range(0, 60000, 128):
        idx = perm[i:i + 128]
        opt.zero_grad()
        l = loss(m(xtr[idx]), ytr[idx])
        l.backward()
        opt.step()
train = time.time() - t0
m.eval()
with torch.no_grad():
    acc = (m(xte).argmax(1) == yte).float().mean().item()
print("torch %s: trained in %.1f s, test accuracy %.2f%%" % (torch.__version__, train, 100 * acc))
