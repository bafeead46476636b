"""Deliberately broken copies of the Project 1 reference engine, one realistic bug each."""

from support_p12 import Variant

VARIANTS = (
    Variant("wrong local derivative of tanh (1 - t instead of 1 - t²)",
            (("engine.py", "g * (1.0 - t * t)", "g * (1.0 - t)"),),
            "Backprop works for every supported operation", "tanh: dL/da differs"),
    Variant("wrong local derivative of division (sign of d/db flipped)",
            (("engine.py", "-g * self.data / (o.data * o.data)",
              "g * self.data / (o.data * o.data)"),),
            "Backprop works for every supported operation", "div: dL/db differs"),
    Variant("gradient overwritten instead of accumulated for a reused node",
            (("engine.py", "self.grad = g if self.grad is None else self.grad + g",
              "self.grad = g"),),
            "A node used twice gets the sum of both paths", "overwrote"),
    Variant("broadcast not summed back to the input's shape",
            (("engine.py", "    if grad.shape == shape:\n        return grad\n",
              "    return grad\n"),),
            "Broadcast inputs get gradients summed back", "sum the gradient over the axes"),
    Variant("backward in breadth-first order instead of reverse topological order",
            (("engine.py", "for node in reversed(self.topological_order()):",
              "for node in _breadth_first(self):"),
             ("engine.py", "def _lift(x: ArrayLike) -> Tensor:",
              "def _breadth_first(root):\n    seen, queue, order = {id(root)}, [root], []\n"
              "    while queue:\n        node = queue.pop(0)\n        order.append(node)\n"
              "        for p in node._parents:\n            if id(p) not in seen:\n"
              "                seen.add(id(p))\n                queue.append(p)\n"
              "    return order\n\n\ndef _lift(x: ArrayLike) -> Tensor:")),
            "A node used twice gets the sum of both paths", "reverse topological order"),
    Variant("softmax cross-entropy without the max shift (overflows)",
            (("engine.py", "shifted = x - x.max(axis=1, keepdims=True)", "shifted = x"),),
            "Softmax cross-entropy stays finite", "log-sum-exp"),
    Variant("one-sided finite differences divided by eps instead of 2·eps",
            (("gradcheck.py", "gflat[i] = (up - down) / (2.0 * eps)",
              "gflat[i] = (up - down) / eps"),),
            "Gradients match finite differences", "numerical_gradient"),
    Variant("SGD climbs the gradient",
            (("nn.py", "p.data -= self.lr * p.grad", "p.data += self.lr * p.grad"),),
            "A small MLP reduces the loss", "SGD.step"),
)
