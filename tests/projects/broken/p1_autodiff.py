"""Deliberately broken copies of the Project 1 reference engine, one realistic bug each."""

from support_p12 import Variant

from buildreal.projects.p1_autodiff.checks import DOD_BACKPROP, DOD_FINITE, DOD_MLP

VARIANTS = (
    Variant("wrong local derivative of tanh (1 - t instead of 1 - t²)",
            (("engine.py", "g * (1.0 - t * t)", "g * (1.0 - t)"),),
            "Every operation's value and gradient", "tanh: dL/da differs", DOD_BACKPROP),
    Variant("wrong local derivative of division (sign of d/db flipped)",
            (("engine.py", "-g * self.data / (o.data * o.data)",
              "g * self.data / (o.data * o.data)"),),
            "Every operation's value and gradient", "div: dL/db differs", DOD_BACKPROP),
    Variant("gradient overwritten instead of accumulated for a reused node",
            (("engine.py", "self.grad = g if self.grad is None else self.grad + g",
              "self.grad = g"),),
            "A node used twice gets the sum of both paths", "overwrote", DOD_BACKPROP),
    Variant("broadcast not summed back to the input's shape",
            (("engine.py", "    if grad.shape == shape:\n        return grad\n",
              "    return grad\n"),),
            "Broadcast inputs get gradients summed back", "sum the gradient over the axes",
            DOD_BACKPROP),
    Variant("backward in breadth-first order instead of reverse topological order",
            (("engine.py", "for node in reversed(self.topological_order()):",
              "for node in _breadth_first(self):"),
             ("engine.py", "def _lift(x: ArrayLike) -> Tensor:",
              "def _breadth_first(root):\n    seen, queue, order = {id(root)}, [root], []\n"
              "    while queue:\n        node = queue.pop(0)\n        order.append(node)\n"
              "        for p in node._parents:\n            if id(p) not in seen:\n"
              "                seen.add(id(p))\n                queue.append(p)\n"
              "    return order\n\n\ndef _lift(x: ArrayLike) -> Tensor:")),
            "A node used twice gets the sum of both paths", "reverse topological order",
            DOD_BACKPROP),
    Variant("softmax cross-entropy without the max shift (overflows)",
            (("engine.py", "shifted = x - x.max(axis=1, keepdims=True)", "shifted = x"),),
            "Softmax cross-entropy stays finite", "log-sum-exp", DOD_BACKPROP),
    Variant("one-sided finite differences divided by eps instead of 2·eps",
            (("gradcheck.py", "gflat[i] = (up - down) / (2.0 * eps)",
              "gflat[i] = (up - down) / eps"),),
            "numerical_gradient and the engine agree", "numerical_gradient", DOD_FINITE),
    Variant("SGD climbs the gradient",
            (("nn.py", "p.data -= self.lr * p.grad", "p.data += self.lr * p.grad"),),
            "SGD trains a 2-16-16-2 MLP", "SGD.step", DOD_MLP),
)
