"""Deliberately broken copies of the Project 1 reference engine, one realistic bug each."""

from support_p12 import Variant

from buildreal.projects.p1_autodiff.checks import DOD_BACKPROP, DOD_DOCS, DOD_FINITE, DOD_MLP

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

MLP_CHECK = "SGD trains a 2-16-16-2 MLP"
LAYERS = ("        for layer in self.layers[:-1]:\n"
          "            x = getattr(layer(x), self.activation)()\n"
          "        return self.layers[-1](x)")

# Mistakes that used to pass every check (or fail without naming the mistake); judged
# in-process on the one check that names them, which keeps them fast.
INPROCESS_VARIANTS = (
    Variant("bias added as its NumPy array (.data), so it gets no gradient",
            (("nn.py", "return x @ self.weight + self.bias  #",
              "return x @ self.weight + self.bias.data  #"),),
            MLP_CHECK, "gets no gradient from loss.backward()", DOD_MLP),
    Variant("Linear.parameters() forgets the bias",
            (("nn.py", "return [self.weight, self.bias]", "return [self.weight]"),),
            MLP_CHECK, "Are the biases missing?", DOD_MLP),
    Variant("off-by-one in the layer loop: no tanh after the last hidden layer",
            (("nn.py", LAYERS,
              "        for layer in self.layers[:-2]:\n"
              "            x = getattr(layer(x), self.activation)()\n"
              "        return self.layers[-1](self.layers[-2](x))"),),
            MLP_CHECK, "no tanh after the second hidden layer", DOD_MLP),
    Variant("tanh applied to the logits too",
            (("nn.py", LAYERS,
              "        for layer in self.layers:\n"
              "            x = getattr(layer(x), self.activation)()\n        return x"),),
            MLP_CHECK, "applies tanh to the output layer", DOD_MLP),
    Variant("SGD.zero_grad leaves the gradients in place",
            (("nn.py", "        for p in self.params:\n            p.grad = None",
              "        pass"),),
            MLP_CHECK, "still has a non-zero .grad", DOD_MLP),
    Variant("gradients accumulated in place into an array another node shares",
            (("engine.py", "        self.grad = g if self.grad is None else self.grad + g",
              "        if self.grad is None:\n            self.grad = g\n        else:\n"
              "            self.grad += g"),),
            "A node used twice gets the sum of both paths", "adding in place with +=",
            DOD_BACKPROP),
    Variant("numerical_gradient does not put the perturbed entry back",
            (("gradcheck.py", "        flat[i] = keep\n        gflat[i]", "        gflat[i]"),),
            "numerical_gradient and the engine agree", "entries of x were moved at once",
            DOD_FINITE),
    Variant("numerical_gradient with eps = 1e-12 (rounding error dominates)",
            (("gradcheck.py", "eps: float = 1e-6", "eps: float = 1e-12"),),
            "numerical_gradient and the engine agree", "with eps near 1e-6", DOD_FINITE),
    Variant("to_dot returns a fixed, hand-written graph",
            (("graph.py", '    lines = ["digraph autodiff {"',
              '    return ("digraph g {\\n a -> m;\\n b -> m;\\n m -> s;\\n"\n'
              '            " c -> s;\\n s -> p;\\n}\\n")\n'
              '    lines = ["digraph autodiff {"'),),
            "The graph printer writes Graphviz dot", "gives the same text", DOD_DOCS),
)
