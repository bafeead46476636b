"""Project 9's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each.

The package must define ``ReplayBuffer(capacity, obs_dim, seed)`` (``add``, ``sample``,
``len``), ``QNetwork(obs_dim, n_actions, hidden)``, ``epsilon_at(step, start, end,
decay_steps)``, ``select_action(q_net, obs, epsilon, rng)``, ``td_target(rewards,
next_obs, terminated, target_net, gamma, online_net=None)``, ``dqn_loss(q_net,
target_net, batch, gamma, double)``, ``DQNConfig``, ``train_dqn(config, make_env=None)``
returning ``q_net``, ``target_net`` and ``history``, and ``plot_learning_curves``.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p9_dqn import judges

PACKAGE = "dqn"
DOD_IMPROVES = "Agent improves reward over time"
DOD_PLOTTED = "Learning curves are plotted"
DOD_BUFFER = "Replay buffer works as intended"
DOD_REPRO = "Results are reproducible"
DOD = (DOD_IMPROVES, DOD_PLOTTED, DOD_BUFFER, DOD_REPRO)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p9_dqn.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("exploration", 30), Probe("targets", 30), Probe("flags", 60),
            Probe("improve", 120), Probe("plot", 30), Probe("buffer", 30),
            Probe("reproducible", 90)),
    checks=(
        Check(DOD_IMPROVES, "Epsilon decays from start to end on a schedule", 2,
              "exploration", judges.schedule),
        Check(DOD_IMPROVES, "Epsilon-greedy takes the argmax action, or a uniform one with "
              "probability epsilon", 1, "exploration", judges.actions),
        Check(DOD_IMPROVES, "The TD target uses the terminal flag (and Double DQN's "
              "argmax) without gradient", 3, "targets", judges.td_target),
        Check(DOD_IMPROVES, "The loss is the Huber loss on Q of the actions taken", 3,
              "targets", judges.loss),
        Check(DOD_IMPROVES, "Termination stops bootstrapping, truncation does not", 3,
              "flags", judges.terminal_flag),
        Check(DOD_IMPROVES, "Each transition starts where the previous one ended", 3,
              "flags", judges.transitions_chain),
        Check(DOD_IMPROVES, "The loop explores with the scheduled epsilon at each step", 2,
              "flags", judges.epsilon_in_loop),
        Check(DOD_IMPROVES, "Gradients are cleared before each backward pass", 3, "flags",
              judges.gradients_cleared),
        Check(DOD_IMPROVES, "The target network is not updated by the optimizer", 2,
              "flags", judges.target_frozen),
        Check(DOD_IMPROVES, "The target network follows the online network", 2, "flags",
              judges.target_synced),
        Check(DOD_IMPROVES, "The greedy policy beats the first episodes after short "
              "training", 1, "improve", judges.improves),
        Check(DOD_PLOTTED, "plot_learning_curves writes a readable PNG", 4, "plot",
              judges.plotted),
        Check(DOD_BUFFER, "A full buffer evicts the oldest transition", 2, "buffer",
              judges.buffer_fifo),
        Check(DOD_BUFFER, "The buffer samples uniformly", 2, "buffer", judges.buffer_uniform),
        Check(DOD_BUFFER, "A partly filled buffer samples only what was added", 2, "buffer",
              judges.buffer_partial),
        Check(DOD_REPRO, "Results are reproducible with a seed", 1, "reproducible",
              judges.reproducible),
    ),
)
