"""Project 8's Definition of Done as probes (``probes``, run in the sandbox) and judges
(``judges``, run here): items in the course notes' words, checks under each.

The learner's package must define ``build_model(latent_dim, *, seed, width)`` (a model
with ``encode``, ``decode``, ``latent_dim``), ``reparameterize``, ``kl_divergence``,
``reconstruction_nll``, ``elbo_loss``, ``beta_at``, ``TrainConfig``, ``train_vae``,
``sample`` and ``interpolate`` (the starter lists their signatures); the last item reads
``report.md`` from the project folder.
"""

from __future__ import annotations

from buildreal.projects.checking import Check, Probe, ProjectChecks
from buildreal.projects.p8_vae import judges

PACKAGE = "vae"
DOD_PLAUSIBLE = "Model generates plausible samples"
DOD_SMOOTH = "Latent space interpolation is smooth"
DOD_ELBO = "ELBO improves during training"
DOD_DOCUMENTED = "Results are documented with samples"
DOD = (DOD_PLAUSIBLE, DOD_SMOOTH, DOD_ELBO, DOD_DOCUMENTED)

CHECKS = ProjectChecks(
    package=PACKAGE,
    probes_module="buildreal.projects.p8_vae.probes",
    inputs=judges.make_inputs,
    definition_of_done=DOD,
    probes=(Probe("terms", 30), Probe("reparam", 30), Probe("train", 90),
            Probe("reproducible", 60)),
    checks=(
        Check(DOD_PLAUSIBLE, "The decoder outputs pixel probabilities in [0, 1]", 4, "train",
              judges.decoder_range),
        Check(DOD_PLAUSIBLE, "Samples are decoded from the prior N(0, I)", 1, "train",
              judges.prior),
        Check(DOD_PLAUSIBLE, "A classifier recognises the samples, across several classes",
              4, "train", judges.plausible),
        Check(DOD_SMOOTH, "Interpolation decodes a straight line between latent codes", 4,
              "train", judges.interpolation),
        Check(DOD_ELBO, "The KL term matches the closed form on fixed inputs", 2, "terms",
              judges.kl_term),
        Check(DOD_ELBO, "The reconstruction term is the Bernoulli likelihood per image", 2,
              "terms", judges.recon_term),
        Check(DOD_ELBO, "Both terms are on one scale, beta weighs the KL", 3, "terms",
              judges.loss_scale),
        Check(DOD_ELBO, "KL warm-up rises to the full beta", 3, "terms", judges.warmup),
        Check(DOD_ELBO, "Reparameterised samples carry gradients", 2, "reparam",
              judges.reparam_grad),
        Check(DOD_ELBO, "Training decodes a sample of q(z|x), not its mean", 2, "reparam",
              judges.forward_samples),
        Check(DOD_ELBO, "The held-out ELBO improves with training", 1, "train",
              judges.elbo_improves),
        Check(DOD_ELBO, "Training keeps the KL term in the loss", 3, "train",
              judges.kl_trained),
        Check(DOD_DOCUMENTED, "A fixed seed reproduces training and samples", 3,
              "reproducible", judges.reproducible),
        Check(DOD_DOCUMENTED, "report.md states the test ELBO and shows samples", 4, None,
              judges.report),
    ),
)
