"""Read settings from the environment, failing loudly on a bad value.

An operator who types ``BUILDREAL_DEBUG=yes`` or a port of ``80OO`` should be told at
start, with the variable's name and what it accepts, rather than get a site that quietly
runs with a default. Every helper raises :class:`ImproperlyConfigured` with such a
message.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """A flag: 1/true/yes/on or 0/false/no/off (any case); anything else is an error."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a flag: use 1 (on) or 0 (off)."
    )


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated list, blanks dropped: ``a.example,b.example``."""
    raw = os.environ.get(name, default)
    items = [part.strip() for part in raw.split(",") if part.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is empty: give at least one value, e.g. localhost.")
    return items


def env_int(name: str, default: int, minimum: int = 1) -> int:
    """A whole number of at least ``minimum``."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number, e.g. 30.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses or networks (``10.0.0.1,192.168.0.0/24``); none if unset."""
    networks = []
    for part in os.environ.get(name, "").split(","):
        if not part.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(part.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {part.strip()!r} is not an IP address or network; give e.g. "
                "127.0.0.1 or 10.0.0.0/8, comma-separated."
            ) from None
    return tuple(networks)


def env_path(name: str, default: Path) -> Path:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if not raw.strip():
        raise ImproperlyConfigured(f"{name} is set but empty: give a folder path or unset it.")
    return Path(raw).expanduser().resolve()


def ensure_data_dir(path: Path) -> Path:
    """Create the data folder (and parents) or explain why it cannot be used.

    A folder that exists but cannot be written is refused here, at start, rather than
    when the first learner's answer fails to save."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(
            f"cannot create the data folder {path}: {exc.strerror}. "
            "Set BUILDREAL_DATA_DIR to a writable folder."
        ) from exc
    try:
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-check-"):
            pass
    except OSError as exc:
        raise ImproperlyConfigured(
            f"the data folder {path} is not writable by this user (uid {os.getuid()}): "
            f"{exc.strerror}. Give the server's user write access (chown or chmod), or set "
            "BUILDREAL_DATA_DIR to a writable folder."
        ) from exc
    return path


def secret_key(data_dir: Path) -> str:
    """``DJANGO_SECRET_KEY`` if given, else a key generated once into the data folder.

    The file is created with mode 0600 so that only the server's user can read it; a key
    kept across restarts keeps sessions and password-reset links valid.
    """
    given = os.environ.get("DJANGO_SECRET_KEY")
    if given is not None:
        if len(given) < 32:
            raise ImproperlyConfigured(
                "DJANGO_SECRET_KEY is shorter than 32 characters: use a long random value "
                "or unset it to have one generated in the data folder."
            )
        return given
    path = ensure_data_dir(data_dir) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise ImproperlyConfigured(
                f"{path} holds a key shorter than 32 characters: delete it to have a new one "
                "generated (existing sessions will end)."
            ) from None
        return key
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key + "\n")
    return key


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}


def env_email() -> dict[str, object]:
    """Django's EMAIL_* settings from ``BUILDREAL_EMAIL_*``.

    Mail (password reset, address verification) goes to the console, i.e. the server's
    log, unless ``BUILDREAL_EMAIL_HOST`` names an SMTP server; ``BUILDREAL_EMAIL_BACKEND``
    may say ``console`` or ``smtp`` explicitly. SMTP without a host, an unknown backend or
    a sender without an ``@`` stops the site at start rather than losing every mail.
    """
    host = os.environ.get("BUILDREAL_EMAIL_HOST", "").strip()
    raw_backend = os.environ.get("BUILDREAL_EMAIL_BACKEND", "").strip().lower()
    backend = raw_backend or ("smtp" if host else "console")
    if backend not in EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"BUILDREAL_EMAIL_BACKEND={raw_backend!r} is not a mail backend: use console "
            "(mail printed to the server's log) or smtp.")
    if backend == "smtp" and not host:
        raise ImproperlyConfigured(
            "BUILDREAL_EMAIL_BACKEND=smtp needs BUILDREAL_EMAIL_HOST, the SMTP server's name.")
    sender = os.environ.get("BUILDREAL_EMAIL_FROM", "buildreal <noreply@localhost>").strip()
    if "@" not in sender:
        raise ImproperlyConfigured(
            f"BUILDREAL_EMAIL_FROM={sender!r} is not an address: give e.g. "
            "'buildreal <noreply@example.org>'.")
    use_tls = env_bool("BUILDREAL_EMAIL_TLS", True)
    use_ssl = env_bool("BUILDREAL_EMAIL_SSL", False)
    if use_tls and use_ssl:
        raise ImproperlyConfigured(
            "BUILDREAL_EMAIL_TLS and BUILDREAL_EMAIL_SSL are both on: use STARTTLS (TLS=1, "
            "usually port 587) or implicit TLS (SSL=1 with TLS=0, usually port 465).")
    return {
        "EMAIL_BACKEND": EMAIL_BACKENDS[backend],
        "EMAIL_HOST": host or "localhost",
        "EMAIL_PORT": env_int("BUILDREAL_EMAIL_PORT", 587),
        "EMAIL_HOST_USER": os.environ.get("BUILDREAL_EMAIL_USER", ""),
        "EMAIL_HOST_PASSWORD": os.environ.get("BUILDREAL_EMAIL_PASSWORD", ""),
        "EMAIL_USE_TLS": use_tls and backend == "smtp",
        "EMAIL_USE_SSL": use_ssl and backend == "smtp",
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": sender,
    }
