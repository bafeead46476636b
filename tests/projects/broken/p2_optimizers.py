"""Deliberately broken copies of the Project 2 reference, one realistic bug each."""

from support_p12 import Variant

from buildreal.projects.p2_optimizers.checks import DOD_COMPARISON, DOD_REPRO

RULES = "Each update rule matches torch.optim"

VARIANTS = (
    Variant("Adam without bias correction",
            (("optimizers.py", "bias1 = 1.0 - self.beta1**self.t", "bias1 = 1.0"),
             ("optimizers.py", "bias2 = 1.0 - self.beta2**self.t", "bias2 = 1.0")),
            RULES, "Adam without bias correction", DOD_COMPARISON),
    Variant("momentum applied to the wrong term",
            (("optimizers.py", "self.velocity = self.momentum * self.velocity + grad",
              "self.velocity = self.velocity + self.momentum * grad"),),
            RULES, "momentum applied to the wrong term"),
    Variant("Nesterov without its look-ahead",
            (("optimizers.py",
              "direction = grad + self.momentum * self.velocity if self.nesterov else "
              "self.velocity", "direction = self.velocity"),),
            RULES, "look-ahead"),
    Variant("AdamW decay coupled into the gradient (Adam with L2)",
            (("optimizers.py",
              "decayed = params * (1.0 - self.lr * self.decoupled_decay)\n"
              "        return self._adam_step(decayed, grad)",
              "return self._adam_step(params, grad + self.decoupled_decay * params)"),),
            RULES, "not decoupled"),
    Variant("RMSprop with eps inside the square root",
            (("optimizers.py", "grad / (np.sqrt(self.square_avg) + self.eps)",
              "grad / np.sqrt(self.square_avg + self.eps)"),),
            RULES, "eps inside the square root"),
    Variant("cosine schedule without π",
            (("schedules.py", "math.cos(math.pi * t / total_steps)",
              "math.cos(t / total_steps)"),),
            "Step, cosine and warmup schedules", "cosine("),
    Variant("gradient clipped per component instead of by norm",
            (("schedules.py", "return grad * coef if coef < 1.0 else grad",
              "return np.clip(grad, -max_norm, max_norm)"),),
            "Step, cosine and warmup schedules", "clip_grad_norm"),
    Variant("Beale's ∂f/∂y misses a factor 2",
            (("surfaces.py", "dy = 2 * a * x + 2 * b * 2 * x * y",
              "dy = 2 * a * x + 2 * b * x * y"),),
            "The five surfaces and their gradients", "beale: gradient"),
    Variant("the seed is ignored",
            (("runs.py", "rng = np.random.default_rng(seed)", "rng = np.random.default_rng()"),),
            "Runs are reproducible", "different paths", DOD_REPRO),
    Variant("SGD weight decay with its sign flipped",
            (("optimizers.py", "g = grad + self.weight_decay * params if self.weight_decay "
              "else grad\n        return params - self.lr * g",
              "g = grad - self.weight_decay * params if self.weight_decay "
              "else grad\n        return params - self.lr * g"),),
            "Weight decay matches torch.optim", "SGD(weight_decay=0.3) leaves torch.optim",
            DOD_COMPARISON),
    Variant("Adam ignores weight_decay",
            (("optimizers.py", "g = grad + self.weight_decay * params if self.weight_decay "
              "else grad\n        return self._adam_step",
              "g = grad\n        return self._adam_step"),),
            "Weight decay matches torch.optim", "weight_decay ignored", DOD_COMPARISON),
)
