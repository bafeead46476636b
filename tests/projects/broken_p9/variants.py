"""Deliberately broken copies of the Project 9 reference, one realistic bug each.

Each variant is a small edit of a file of the reference ``dqn/`` package; the test
applies it to a copy (failing loudly if the text is gone) and runs the checks: the named
check must fail, under the named Definition-of-Done item, with a reason containing
``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p9_dqn.checks import DOD_BUFFER, DOD_IMPROVES, DOD_PLOTTED, DOD_REPRO


@dataclass(frozen=True)
class Variant:
    name: str
    file: str
    old: str
    new: str
    fails: str  # the check that must fail (a prefix of its label)
    says: str  # a fragment the failure reason must contain
    item: str  # the DoD item it is reported under


VARIANTS = (
    Variant(
        "TD target bootstraps past termination",
        "agent.py",
        "return rewards + gamma * (1.0 - terminated) * best",
        "return rewards + gamma * best",
        "The TD target uses the terminal flag",
        "bootstraps past termination",
        DOD_IMPROVES,
    ),
    Variant(
        "time-limit truncation stored as termination",
        "train.py",
        "buffer.add(obs, action, float(reward), next_obs, terminated)",
        "buffer.add(obs, action, float(reward), next_obs, terminated or truncated)",
        "Termination stops bootstrapping",
        "you treat truncation as termination",
        DOD_IMPROVES,
    ),
    Variant(
        "terminated flag never stored",
        "train.py",
        "buffer.add(obs, action, float(reward), next_obs, terminated)",
        "buffer.add(obs, action, float(reward), next_obs, False)",
        "Termination stops bootstrapping",
        "bootstraps past termination",
        DOD_IMPROVES,
    ),
    Variant(
        "target network's parameters given to the optimizer",
        "train.py",
        "optimizer = torch.optim.Adam(q_net.parameters(), lr=config.lr)",
        "optimizer = torch.optim.Adam([*q_net.parameters(), *target_net.parameters()],"
        " lr=config.lr)",
        "The target network is not updated by the optimizer",
        "the optimizer holds",
        DOD_IMPROVES,
    ),
    Variant(
        "target network never synced",
        "train.py",
        "            sync_target(target_net, q_net, config.tau)",
        "            pass  # sync_target(target_net, q_net, config.tau)",
        "The target network follows",
        "never changes",
        DOD_IMPROVES,
    ),
    Variant(
        "deep-copied target network given to the optimizer",
        "train.py",
        "    target_net = QNetwork(obs_dim, n_actions, config.hidden)\n"
        "    target_net.load_state_dict(q_net.state_dict())\n"
        "    optimizer = torch.optim.Adam(q_net.parameters(), lr=config.lr)",
        "    import copy\n"
        "    target_net = copy.deepcopy(q_net)\n"
        "    optimizer = torch.optim.Adam([*q_net.parameters(), *target_net.parameters()],"
        " lr=config.lr)",
        "The target network is not updated by the optimizer",
        "the optimizer holds",
        DOD_IMPROVES,
    ),
    Variant(
        "target computed with gradient (no torch.no_grad)",
        "agent.py",
        "    with torch.no_grad():\n        next_q = target_net(next_obs)",
        "    if True:\n        next_q = target_net(next_obs)",
        "The TD target uses the terminal flag",
        "carries a gradient",
        DOD_IMPROVES,
    ),
    Variant(
        "Double DQN evaluates the online network's own argmax",
        "agent.py",
        "best = next_q.gather(1, choice).squeeze(1)  # (B,)",
        "best = online_net(next_obs).gather(1, choice).squeeze(1)  # (B,)",
        "The TD target uses the terminal flag",
        "Double DQN",
        DOD_IMPROVES,
    ),
    Variant(
        "Q(s, a) read at the greedy action instead of the action taken",
        "agent.py",
        'q_taken = q.gather(1, batch["actions"].long()[:, None]).squeeze(1)  # (B,)',
        "q_taken = q.max(dim=1).values  # (B,)",
        "The loss is the Huber loss",
        "not at the action taken",
        DOD_IMPROVES,
    ),
    Variant(
        "squared error instead of the Huber loss",
        "agent.py",
        "return F.smooth_l1_loss(q_taken, target)",
        "return F.mse_loss(q_taken, target)",
        "The loss is the Huber loss",
        "squared error",
        DOD_IMPROVES,
    ),
    Variant(
        "argmax over the batch dimension",
        "agent.py",
        "return int(q.argmax(dim=1).item())",
        "return int(q.argmax(dim=0)[0].item())",
        "Epsilon-greedy takes the argmax",
        "non-greedy action",
        DOD_IMPROVES,
    ),
    Variant(
        "epsilon schedule runs the wrong way",
        "agent.py",
        "return start + fraction * (end - start)",
        "return end + fraction * (start - end)",
        "Epsilon decays",
        "grows over training",
        DOD_IMPROVES,
    ),
    Variant(
        "epsilon never decays",
        "agent.py",
        "fraction = min(step / max(decay_steps, 1), 1.0)",
        "fraction = min(step // max(decay_steps, 1), 0.0)",
        "Epsilon decays",
        "never reaches end",
        DOD_IMPROVES,
    ),
    Variant(
        "gradient ascent on the loss",
        "train.py",
        "loss = dqn_loss(q_net, target_net, batch, config.gamma, config.double)",
        "loss = -dqn_loss(q_net, target_net, batch, config.gamma, config.double)",
        "The greedy policy beats",
        "greedy policy averages",
        DOD_IMPROVES,
    ),
    Variant(
        "figure saved from a fresh, empty figure",
        "plots.py",
        "    fig.savefig(path, dpi=80)",
        "    plt.figure()\n    plt.savefig(path, dpi=80)",
        "plot_learning_curves writes",
        "blank",
        DOD_PLOTTED,
    ),
    Variant(
        "full buffer overwrites its newest slot",
        "buffer.py",
        "self.pos = (self.pos + 1) % self.capacity",
        "self.pos = min(self.pos + 1, self.capacity - 1)",
        "A full buffer evicts the oldest",
        "still returns transition",
        DOD_BUFFER,
    ),
    Variant(
        "buffer samples only recent transitions",
        "buffer.py",
        "idx = self.rng.integers(0, self.size, size=batch_size)",
        "idx = (self.pos - 1 - self.rng.integers(0, 10, size=batch_size)) % self.size",
        "The buffer samples uniformly",
        "does not sample uniformly",
        DOD_BUFFER,
    ),
    Variant(
        "fields sampled with different indices",
        "buffer.py",
        '"rewards": torch.from_numpy(self.rewards[idx]),  # (B,)',
        '"rewards": torch.from_numpy(self.rewards[self.rng.permutation(idx)]),  # (B,)',
        "A full buffer evicts the oldest",
        "belongs to another transition",
        DOD_BUFFER,
    ),
    Variant(
        "seed not passed to env.reset",
        "train.py",
        "obs, _ = env.reset(seed=config.seed)",
        "obs, _ = env.reset()",
        "Results are reproducible",
        "different episode returns",
        DOD_REPRO,
    ),
    Variant(
        "network initialisation not seeded",
        "train.py",
        "    torch.manual_seed(config.seed)\n",
        "",
        "Results are reproducible",
        "two runs with seed 3",
        DOD_REPRO,
    ),
    Variant(
        "target network copied at every step (target_every ignored)",
        "train.py",
        "if step >= config.learning_starts and step % config.target_every == 0:",
        "if step >= config.learning_starts:",
        "The target network follows",
        "copied every step",
        DOD_IMPROVES,
    ),
    Variant(
        "buffer samples a contiguous window of transitions",
        "buffer.py",
        "idx = self.rng.integers(0, self.size, size=batch_size)",
        "start = int(self.rng.integers(0, self.size))\n"
        "        idx = np.arange(start, start + batch_size) % self.size",
        "The buffer samples uniformly",
        "consecutive transitions",
        DOD_BUFFER,
    ),
    Variant(
        "buffer samples below the capacity, empty slots included",
        "buffer.py",
        "idx = self.rng.integers(0, self.size, size=batch_size)",
        "idx = self.rng.integers(0, self.capacity, size=batch_size)",
        "A partly filled buffer",
        "never added",
        DOD_BUFFER,
    ),
    Variant(
        "Q(s, a) gathered along the batch axis",
        "agent.py",
        'q_taken = q.gather(1, batch["actions"].long()[:, None]).squeeze(1)',
        'q_taken = q.gather(0, batch["actions"].long()[:, None]).squeeze(1)',
        "The loss is the Huber loss",
        "batch axis",
        DOD_IMPROVES,
    ),
    Variant(
        "TD target computed with the online network",
        "agent.py",
        'batch["terminated"], target_net,',
        'batch["terminated"], q_net,',
        "The loss is the Huber loss",
        "online network instead of the target",
        DOD_IMPROVES,
    ),
    Variant(
        "Double DQN flag ignored by the loss",
        "agent.py",
        "gamma, online_net=q_net if double else None)",
        "gamma, online_net=None)",
        "The loss is the Huber loss",
        "double is ignored",
        DOD_IMPROVES,
    ),
    Variant(
        "epsilon scheduled on the episode count instead of the step",
        "train.py",
        "eps = epsilon_at(step, config.eps_start",
        'eps = epsilon_at(len(history["episode_return"]), config.eps_start',
        "The loop explores with the scheduled epsilon",
        "not the episode count",
        DOD_IMPROVES,
    ),
    Variant(
        "observation never advanced to the next state",
        "train.py",
        "        obs = next_obs\n",
        "",
        "Each transition starts where the previous one ended",
        "obs = next_obs",
        DOD_IMPROVES,
    ),
    Variant(
        "optimizer.zero_grad() forgotten, so gradients pile up",
        "train.py",
        "            optimizer.zero_grad()\n",
        "",
        "Gradients are cleared",
        "pile up",
        DOD_IMPROVES,
    ),
)
