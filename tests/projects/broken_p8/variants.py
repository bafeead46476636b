"""Deliberately broken copies of the Project 8 reference, one realistic bug each.

Each variant is a small edit of a file of the reference ``vae/`` package; the test
applies it to a copy (failing loudly if the text is gone) and runs the checks: the named
check must fail, under the named Definition-of-Done item, with a reason containing
``says``.
"""

from __future__ import annotations

from dataclasses import dataclass

from buildreal.projects.p8_vae.checks import DOD_DOCUMENTED, DOD_ELBO, DOD_PLAUSIBLE, DOD_SMOOTH


@dataclass(frozen=True)
class Variant:
    name: str
    file: str
    old: str
    new: str
    fails: str  # the check that must fail (a prefix of its label)
    says: str  # a fragment the failure reason must contain
    item: str  # the DoD item it is reported under


KL_LINE = "return -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)"
SAMPLE_LINE = "return mu + std * eps"
DECODE_TO_FORWARD = """return torch.sigmoid(self.decoder(h))

    def forward(self, x: torch.Tensor, generator: torch.Generator | None = None
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        \"\"\"x -> (x_hat, mu, logvar): one reparameterised sample per image.\"\"\"
        mu, logvar = self.encode(x)
        z = reparameterize(mu, logvar, generator)
        return self.decode(z), mu, logvar"""
RECON_LINE = 'bce = F.binary_cross_entropy(x_hat, x, reduction="none")'

VARIANTS = (
    Variant("KL sign flipped", "loss.py", KL_LINE,
            "return 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)",
            "The KL term matches", "sign flipped", DOD_ELBO),
    Variant("log-variance treated as a standard deviation in the KL", "loss.py", KL_LINE,
            "return -0.5 * torch.sum(1 + torch.log(logvar.pow(2)) - mu.pow(2) - logvar.pow(2),"
            " dim=1)",
            "The KL term matches", "log-variance", DOD_ELBO),
    Variant("KL summed over the batch, reconstruction averaged", "loss.py",
            "loss = (recon + beta * kl).mean()", "loss = recon.mean() + beta * kl.sum()",
            "Both terms are on one scale", "sums the KL over the batch", DOD_ELBO),
    Variant("reconstruction averaged over pixels", "loss.py",
            "return bce.flatten(1).sum(dim=1)", "return bce.flatten(1).mean(dim=1)",
            "The reconstruction term", "averages over pixels", DOD_ELBO),
    Variant("sigmoid applied twice (probabilities fed to BCEWithLogits)", "loss.py",
            RECON_LINE,
            'bce = F.binary_cross_entropy_with_logits(x_hat, x, reduction="none")',
            "The reconstruction term", "sigmoid twice", DOD_ELBO),
    Variant("beta warm-up that never reaches 1", "loss.py",
            "return beta_max * min(1.0, step / warmup_steps)",
            "return beta_max * (step % warmup_steps) / warmup_steps",
            "KL warm-up rises", "goes down again", DOD_ELBO),
    Variant("beta warm-up capped below beta_max", "loss.py",
            "return beta_max * min(1.0, step / warmup_steps)",
            "return beta_max * min(1.0, step / warmup_steps) * 0.9",
            "KL warm-up rises", "never reaches the full beta", DOD_ELBO),
    Variant("z = mu: no noise in the sample", "model.py", SAMPLE_LINE, "return mu + 0 * std",
            "Reparameterised samples", "no noise", DOD_ELBO),
    Variant("noise drawn without reparameterisation (torch.normal)", "model.py", SAMPLE_LINE,
            "return torch.normal(mu.detach(), std.detach(), generator=generator)",
            "Reparameterised samples", "carries no gradient", DOD_ELBO),
    Variant("sample computed under torch.no_grad", "model.py", SAMPLE_LINE,
            "with torch.no_grad():\n        return mu + std * eps",
            "Reparameterised samples", "carries no gradient", DOD_ELBO),
    Variant("sigma taken as exp(logvar)", "model.py",
            "std = torch.exp(0.5 * logvar)", "std = torch.exp(logvar)",
            "Reparameterised samples", "not exp(logvar)", DOD_ELBO),
    Variant("sigmoid in forward only, so decode (and sampling) returns logits", "model.py",
            DECODE_TO_FORWARD,
            DECODE_TO_FORWARD.replace("return torch.sigmoid(self.decoder(h))",
                                      "return self.decoder(h)")
            .replace("return self.decode(z), mu, logvar",
                     "return torch.sigmoid(self.decode(z)), mu, logvar"),
            "The decoder outputs", "[0, 1]", DOD_PLAUSIBLE),
    Variant("KL without the factor 0.5", "loss.py", KL_LINE,
            "return -torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)",
            "The KL term matches", "2.00 times the closed form", DOD_ELBO),
    Variant("KL averaged over the latent dimensions", "loss.py", KL_LINE,
            "return -0.5 * torch.mean(1 + logvar - mu.pow(2) - logvar.exp(), dim=1)",
            "The KL term matches", "averages over the 4 latent dimensions", DOD_ELBO),
    Variant("squared error as the reconstruction term", "loss.py", RECON_LINE,
            "bce = (x_hat - x) ** 2", "The reconstruction term", "squared error", DOD_ELBO),
    Variant("one noise vector shared by the whole batch", "model.py",
            "eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype)",
            "eps = torch.randn(mu.shape[-1], generator=generator, dtype=mu.dtype)",
            "Reparameterised samples", "same noise", DOD_ELBO),
    Variant("forward decodes the mean, so training sees no noise", "model.py",
            "z = reparameterize(mu, logvar, generator)\n        return self.decode(z), mu, logvar",
            "return self.decode(mu), mu, logvar",
            "Training decodes a sample", "decodes mu itself", DOD_ELBO),
    Variant("KL left out of the training loss (beta 0 in train_vae)", "train.py",
            "loss, parts = elbo_loss(xb, x_hat, mu, logvar, beta, config.likelihood)",
            "loss, parts = elbo_loss(xb, x_hat, mu, logvar, 0.0, config.likelihood)",
            "Training keeps the KL term", "not in the loss", DOD_ELBO),
    Variant("warm-up without the cap at beta_max", "loss.py",
            "return beta_max * min(1.0, step / warmup_steps)",
            "return beta_max * step / warmup_steps",
            "KL warm-up rises", "past beta_max", DOD_ELBO),
    Variant("samples decoded from the encoder's posterior of noise images", "sample.py",
            "z = torch.randn(n, model.latent_dim, generator=generator)  # the prior, not q(z|x)",
            "noise = torch.rand(n, 1, 28, 28, generator=generator)\n"
            "    mu, logvar = model.encode(noise)\n"
            "    z = mu + torch.exp(0.5 * logvar) * torch.randn(mu.shape, generator=generator)",
            "Samples are decoded from the prior", "N(0, I)", DOD_PLAUSIBLE),
    Variant("interpolation stops one step short of the second image", "sample.py",
            "t = torch.linspace(0.0, 1.0, steps).unsqueeze(1)",
            "t = (torch.arange(steps) / steps).float().unsqueeze(1)",
            "Interpolation decodes", "never reaches mu(b)", DOD_SMOOTH),
    Variant("samples drawn from a uniform distribution", "sample.py",
            "z = torch.randn(n, model.latent_dim, generator=generator)",
            "z = torch.rand(n, model.latent_dim, generator=generator)",
            "Samples are decoded from the prior", "N(0, I)", DOD_PLAUSIBLE),
    Variant("interpolation in pixel space", "sample.py",
            "interpolate codes, not pixels\n    return model.decode(z)",
            "interpolate codes, not pixels\n"
            "    ends = model.decode(torch.cat([mu_a, mu_b]))  # (2, 1, 28, 28)\n"
            "    w = t.view(-1, 1, 1, 1)\n"
            "    return (1 - w) * ends[0:1] + w * ends[1:2]",
            "Interpolation decodes", "blends pixels", DOD_SMOOTH),
    Variant("interpolation between sampled codes, not the means", "sample.py",
            "mu_a, _ = model.encode(x_a)",
            "mu_a = model.encode(x_a)[0] + torch.randn(1, model.latent_dim)",
            "Interpolation decodes", "encoder means", DOD_SMOOTH),
    Variant("seed ignored by training", "train.py",
            "gen = torch.Generator().manual_seed(config.seed)",
            "gen = torch.Generator()\n    gen.seed()  # fresh randomness for every run",
            "A fixed seed reproduces", "seed 3 give different", DOD_DOCUMENTED),
    Variant("sampler ignores its generator", "sample.py",
            "z = torch.randn(n, model.latent_dim, generator=generator)",
            "z = torch.randn(n, model.latent_dim)",
            "A fixed seed reproduces", "seed 3 give different", DOD_DOCUMENTED),
)
