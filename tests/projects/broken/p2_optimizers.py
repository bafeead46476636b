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

# Mistakes that used to pass every check, or fail without naming the mistake; judged
# in-process on the one check that names them, which keeps them fast.
INPROCESS_VARIANTS = (
    Variant("Adam's bias correction one step ahead (1 - beta^(t+1))",
            (("optimizers.py", "bias1 = 1.0 - self.beta1**self.t",
              "bias1 = 1.0 - self.beta1**(self.t + 1)"),
             ("optimizers.py", "bias2 = 1.0 - self.beta2**self.t",
              "bias2 = 1.0 - self.beta2**(self.t + 1)")),
            RULES, "bias correction one step ahead", DOD_COMPARISON),
    Variant("AdamW decays the updated parameters instead of the given ones",
            (("optimizers.py",
              "        decayed = params * (1.0 - self.lr * self.decoupled_decay)\n"
              "        return self._adam_step(decayed, grad)",
              "        stepped = self._adam_step(params, grad)\n"
              "        return stepped * (1.0 - self.lr * self.decoupled_decay)"),),
            "Weight decay matches torch.optim", "decay applied after the Adam step",
            DOD_COMPARISON),
    Variant("Adam updates the parameter array in place",
            (("optimizers.py", "        return params - (self.lr / bias1) * self.m / denom",
              "        params -= (self.lr / bias1) * self.m / denom\n        return params"),),
            RULES, "Adam.step changed the params array passed to it", DOD_COMPARISON),
    Variant("RMSprop divides by the running average without its square root",
            (("optimizers.py", "grad / (np.sqrt(self.square_avg) + self.eps)",
              "grad / (self.square_avg + self.eps)"),),
            RULES, "the square root is missing", DOD_COMPARISON),
    Variant("RMSprop's running average starts at the first g squared",
            (("optimizers.py", "            self.square_avg = np.zeros_like(params)",
              "            self.square_avg = grad * grad"),),
            RULES, "starts at the first g²", DOD_COMPARISON),
    Variant("the velocity is not kept between steps",
            (("optimizers.py", "        if self.velocity is None:\n"
              "            self.velocity = grad.copy()",
              "        if True:\n            self.velocity = grad.copy()"),),
            RULES, "a velocity that is not kept between steps", DOD_COMPARISON),
    Variant("step decay off by one step",
            (("schedules.py", "gamma ** (t // step_size)", "gamma ** ((t + 1) // step_size)"),),
            "Step, cosine and warmup schedules", "step_decay(t, 0.1, step_size=30", DOD_COMPARISON),
    Variant("compare() does not pass seed and noise on to run()",
            (("runs.py", "runs.append(run(surface, opt, steps, seed, noise, "
              "make_schedule(schedule, rate, steps),\n                        clip, tol))",
              "runs.append(run(surface, opt, steps, schedule=make_schedule(schedule, rate, "
              "steps),\n                        clip=clip, tol=tol))"),),
            "Runs are reproducible", "compare must pass seed and noise on", DOD_REPRO),
    Variant("steps to tolerance counted from 1",
            (("runs.py", "int(close[0]) if close.size else None, tol)",
              "int(close[0]) + 1 if close.size else None, tol)"),),
            "Final loss, steps to tolerance", "steps_to_tol is", DOD_COMPARISON),
    Variant("run() calls the schedule one step ahead",
            (("runs.py", "optimizer.lr = schedule(t)", "optimizer.lr = schedule(t + 1)"),),
            "Final loss, steps to tolerance", "calls schedule(t + 1)", DOD_COMPARISON),
    Variant("run() never clips the gradient",
            (("runs.py", "            g = clip_grad_norm(g, clip)\n", "            pass\n"),),
            "Final loss, steps to tolerance", "ignores clip", DOD_COMPARISON),
    Variant("comparison_table returns a fixed, hand-written table",
            (("runs.py", "    tol = runs[0].tol if runs else 1e-3\n",
              '    return "| optimizer | final loss |\\n|---|---|\\n| sgd | 0.001 |"\n'
              "    tol = runs[0].tol if runs else 1e-3\n"),),
            "Final loss, steps to tolerance", "build the table from the runs it is given",
            DOD_COMPARISON),
    Variant("comparison_table writes only the first run's row (off by one)",
            (("runs.py", "    for r in runs:\n        reached",
              "    for r in runs[:1]:\n        reached"),),
            "Final loss, steps to tolerance", "does not show momentum, adam", DOD_COMPARISON),
)
