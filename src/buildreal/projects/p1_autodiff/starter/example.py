"""A tiny run of your engine: `python example.py`.

It traces L = (a*b + c)**2 by hand-checkable numbers, then trains a small MLP on two
moons for a few steps. Each part fails loudly with the TODO it is waiting for.
"""

import numpy as np
from autodiff import MLP, SGD, Tensor, cross_entropy, to_dot

a, b, c = Tensor(2.0), Tensor(-3.0), Tensor(10.0)
L = (a * b + c) ** 2
L.backward()
print(f"L = {L.data}, dL/da = {a.grad}, dL/db = {b.grad}, dL/dc = {c.grad}")
print(to_dot(L))

rng = np.random.default_rng(0)
t = rng.uniform(0, np.pi, 100)
x = np.concatenate([np.stack([np.cos(t[:50]), np.sin(t[:50])], 1),
                    np.stack([1 - np.cos(t[50:]), 0.5 - np.sin(t[50:])], 1)])
y = np.array([0] * 50 + [1] * 50)
model = MLP([2, 16, 16, 2], rng=rng)
opt = SGD(model.parameters(), lr=0.5)
for step in range(100):
    loss = cross_entropy(model(Tensor(x)), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 20 == 0:
        print(f"loss: {float(loss.data):.2f}")
