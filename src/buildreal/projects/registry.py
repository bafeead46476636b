"""Find the projects: every subpackage ``buildreal.projects.p<N>_<name>`` exposing ``PROJECT``.

Discovery is by package name, so a new project is added by creating its package; the
toolkit needs no list to edit. A package that fails to import is reported, not hidden,
because a silently missing project is worse than a loud one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from buildreal.projects.base import ProjectSpec

_PACKAGE_NAME = re.compile(r"^p\d+_[a-z0-9_]+$")


class UnknownProjectError(LookupError):
    """Raised for an id that names no project; the message lists the known ids."""


def _discover() -> tuple[list[ProjectSpec], list[str]]:
    import buildreal.projects as root

    specs: list[ProjectSpec] = []
    problems: list[str] = []
    for info in pkgutil.iter_modules(root.__path__):
        if not info.ispkg or not _PACKAGE_NAME.match(info.name):
            continue
        try:
            module = importlib.import_module(f"buildreal.projects.{info.name}")
        except Exception as exc:  # a broken project must not hide the others
            problems.append(f"{info.name}: {type(exc).__name__}: {exc}")
            continue
        spec = getattr(module, "PROJECT", None)
        if isinstance(spec, ProjectSpec):
            specs.append(spec)
        else:
            problems.append(f"{info.name}: no PROJECT = ProjectSpec(...) in its __init__")
    specs.sort(key=lambda s: s.number)
    return specs, problems


def all_projects() -> list[ProjectSpec]:
    """Every importable project, ordered by number."""
    return _discover()[0]


def discovery_problems() -> list[str]:
    """Project packages that could not be loaded, each with its reason."""
    return _discover()[1]


# Names a learner may type instead of an id (``buildreal project demo final``).
ALIASES = {"final": "p11-final"}


def get(project_id: str) -> ProjectSpec:
    """The project with this id (``p1-autodiff``); its number alone (``1``) also works."""
    project_id = ALIASES.get(project_id, project_id)
    direct = project_id.replace("-", "_")
    if _PACKAGE_NAME.match(direct):  # import just that package: a check process stays lean
        try:
            spec = getattr(importlib.import_module(f"buildreal.projects.{direct}"), "PROJECT",
                           None)
        except Exception:  # missing or broken: the full discovery below says which
            spec = None
        if isinstance(spec, ProjectSpec) and spec.id == project_id:
            return spec
    specs, problems = _discover()
    for spec in specs:
        if project_id in (spec.id, str(spec.number)):
            return spec
    known = ", ".join(s.id for s in specs) or "none installed"
    broken = [p for p in problems if p.startswith(direct + ":")]
    why = f" (its package failed to load: {broken[0]})" if broken else ""
    raise UnknownProjectError(
        f"no project {project_id!r}{why}; known projects: {known}. "
        "Run `buildreal project list` to see them."
    )
