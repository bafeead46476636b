"""Load and validate course packs from files.

``load_course(path)`` reads one course folder, ``load_catalog(root)`` every course folder
under a root. Both read the whole pack before deciding: every problem found (bad YAML,
unknown keys, missing files, broken links, ...) is collected with its ``file:line``, and
if there is any, a single :class:`PackError` carries them all. An author fixes a pack in
one pass, and the site refuses to start on a bad pack with the same messages that
``buildreal check-pack`` prints.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from buildreal.packs.fields import Fields
from buildreal.packs.items import KINDS, ItemContext, build_item
from buildreal.packs.mdcheck import MarkdownContext, Ref, check_markdown
from buildreal.packs.model import Catalog, Course, Item, Module, Problem, Source
from buildreal.packs.modulecheck import PartRef, check_parts
from buildreal.packs.requires import RequireRef, check_requires
from buildreal.packs.schema import PackUpgradeWarning, schema_problem, upgrade
from buildreal.packs.yamlsrc import LDict, LList, parse_yaml, split_front_matter

__all__ = ["PackError", "load_course", "load_catalog", "validate_course", "validate_courses",
           "find_courses"]

COURSE_FILE = "course.yaml"
MODULE_FILE = "module.yaml"
MARKDOWN_SUFFIXES = (".md",)
YAML_SUFFIXES = (".yaml", ".yml")


class PackError(Exception):
    """A pack (or several) could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in course pack"
        super().__init__(head + ":\n" + "\n".join(str(p) for p in self.problems))


def content_hash(data: bytes) -> str:
    """What learner records keep to know which version of an item they answered."""
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass
class _CourseState:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    refs: list[Ref] = field(default_factory=list)
    headings: dict[str, set[str]] = field(default_factory=dict)  # item id -> slugs
    default_pass_mark: float = 0.8
    default_xp: dict[str, int] = field(default_factory=dict)  # kind -> xp when omitted
    unloaded_items: int = 0  # item files too broken to read (their ids are unknown)
    schema: int = 1  # the pack's schema version, from course.yaml
    parts: list[PartRef] = field(default_factory=list)  # module checks' part entries
    requires: list[RequireRef] = field(default_factory=list)  # tests'/exams' requires
    incomplete: set[str] = field(default_factory=set)  # modules with an item not loaded

    def upgrade(self, kind: str, data: LDict, path: Path) -> None:
        """Bring one parsed file up to the current schema, warning about each change."""
        for note in upgrade(kind, data, self.schema):
            warnings.warn(f"{path}: {note}", PackUpgradeWarning, stacklevel=2)

    def markdown_context(self) -> MarkdownContext:
        return MarkdownContext(self.root, self.problems, self.refs)


def _read_text(path: Path, problems: list[Problem]) -> tuple[bytes, str] | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(path, 1, f"cannot read file: {exc.strerror or exc}"))
        return None
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        problems.append(Problem(path, line, "file is not UTF-8 text"))
        return None


def _read_mapping(path: Path, problems: list[Problem]) -> tuple[bytes, LDict] | None:
    """Parse a YAML file that must hold one mapping."""
    read = _read_text(path, problems)
    if read is None:
        return None
    raw, text = read
    data, yaml_problems = parse_yaml(text, path)
    problems.extend(yaml_problems)
    if data is None and not yaml_problems:
        problems.append(Problem(path, 1, "file is empty: it needs YAML 'key: value' lines"))
        return None
    if data is not None and not isinstance(data, LDict):
        problems.append(Problem(path, 1, "the file must be a YAML mapping ('key: value' "
                                         "lines), not a list or a single value"))
        return None
    if data is None:
        return None
    return raw, data


def _load_item(path: Path, module_id: str, state: _CourseState) -> Item | None:
    markdown = path.suffix in MARKDOWN_SUFFIXES
    ctx = ItemContext(path, state.markdown_context(), state.default_pass_mark,
                      state.default_xp)
    if markdown:
        read = _read_text(path, state.problems)
        if read is None:
            return None
        raw, text = read
        split, problems = split_front_matter(text, path)
        state.problems.extend(problems)
        if split is None or not isinstance(split.meta, LDict):
            return None  # nothing to build from (duplicate keys alone still load)
        state.upgrade("item", split.meta, path)
        item = build_item(split.meta, ctx, markdown=True, content_hash=content_hash(raw),
                          module_id=module_id, body=split.body)
        slugs = check_markdown(split.body, path, split.body_line, ctx.md, own_page=True)
        if item is not None and not split.body.strip():
            state.problems.append(Problem(path, split.body_line - 1,
                                          f"{item.kind} '{item.id}' has no text after its "
                                          f"front matter"))
    else:
        read_map = _read_mapping(path, state.problems)
        if read_map is None:
            return None
        raw, data = read_map
        state.upgrade("item", data, path)
        item = build_item(data, ctx, markdown=False, content_hash=content_hash(raw),
                          module_id=module_id)
        slugs = []
        entries = data.get("items")
        if item is not None and item.kind == "path" and isinstance(entries, LList):
            for index, ident in enumerate(entries):
                if isinstance(ident, str) and ident:
                    state.refs.append(Ref("item", ident, "", path, entries.line_of(index)))
        parts = data.get("parts")
        if item is not None and item.kind == "module-check" and isinstance(parts, LList):
            state.parts.extend(PartRef(item.id, str(ident), path, parts.line_of(index))
                               for index, ident in enumerate(parts)
                               if isinstance(ident, str | int) and str(ident).strip())
        needs = data.get("requires")
        if item is not None and item.kind in ("test", "exam") and isinstance(needs, LList):
            state.requires.extend(RequireRef(item.id, str(ident), path, needs.line_of(index))
                                  for index, ident in enumerate(needs)
                                  if isinstance(ident, str | int) and str(ident).strip())
    if item is not None and item.id:
        state.headings.setdefault(item.id, set()).update(slugs)
    return item


def _load_module(folder: Path, state: _CourseState,
                 item_seen: dict[str, tuple[Path, int]]) -> Module | None:
    module_path = folder / MODULE_FILE
    if not module_path.is_file():
        state.problems.append(Problem(module_path, 1, f"module folder '{folder.name}' has no "
                                                      f"{MODULE_FILE}"))
        return None
    read = _read_mapping(module_path, state.problems)
    if read is None:
        return None
    _raw, data = read
    state.upgrade("module", data, module_path)
    f = Fields(data, module_path, state.problems, MODULE_FILE, ("id", "title", "summary",
                                                                "items"))
    module_id = f.ident()
    names = f.text_list("items", required=True, min_len=1)
    items: list[Item] = []
    seen_files: set[str] = set()
    for index, name in enumerate(names):
        line = data["items"].line_of(index)
        if name in seen_files:
            f.problem(line, f"item file '{name}' is listed twice")
            continue
        seen_files.add(name)
        item_path = folder / name
        if not name or "/" in name or "\\" in name or name.startswith("."):
            f.problem(line, f"item entry '{name}' must be a file name in this folder")
            continue
        if item_path.suffix not in MARKDOWN_SUFFIXES + YAML_SUFFIXES:
            f.problem(line, f"item file '{name}' must end in .md (lesson, page, synthesis) "
                            f"or .yaml (every other kind)")
            continue
        if not item_path.is_file():
            f.problem(line, f"item file '{name}' is listed but {item_path} does not exist")
            continue
        item = _load_item(item_path, module_id, state)
        if item is None:
            state.unloaded_items += 1
            continue
        if item.id in item_seen:
            first_path, first_line = item_seen[item.id]
            state.problems.append(Problem(item_path, item.source.line,
                                          f"duplicate item id '{item.id}' (first in "
                                          f"{first_path}:{first_line})"))
        elif item.id:
            item_seen[item.id] = (item_path, item.source.line)
        items.append(item)
    if len(items) < len(names):
        state.incomplete.add(module_id)  # a missing part is reported as its file's problem
    return Module(id=module_id, title=f.text("title"), summary=f.text("summary",
                                                                       required=False),
                  items=tuple(items), source=Source(module_path, data.line))


def _resolve_refs(course: Course, state: _CourseState) -> None:
    """Check item, anchor and glossary links once every item is known."""
    items = {item.id: item for item in course.items()}
    terms = {term.id for item in items.values() if item.kind == "glossary"
             for term in item.terms}
    has_glossary = any(item.kind == "glossary" for item in items.values())
    # An item whose file could not be read may be the one a link names: say so.
    maybe = " (or it is in a file that could not be loaded)" if state.unloaded_items else ""
    for ref in state.refs:
        if ref.scheme == "item":
            if ref.target not in items:
                state.problems.append(Problem(ref.path, ref.line,
                                              f"broken link: no item '{ref.target}' in "
                                              f"course '{course.id}'{maybe}"))
            elif ref.anchor and ref.anchor not in state.headings.get(ref.target, set()):
                known = ", ".join(sorted(state.headings.get(ref.target, set()))) or "none"
                state.problems.append(Problem(ref.path, ref.line,
                                              f"broken link: item '{ref.target}' has no "
                                              f"heading '#{ref.anchor}' (its headings: "
                                              f"{known})"))
        elif not has_glossary:
            state.problems.append(Problem(ref.path, ref.line,
                                          f"broken link: glossary:{ref.target} but course "
                                          f"'{course.id}' has no glossary item{maybe}"))
        elif ref.target not in terms:
            state.problems.append(Problem(ref.path, ref.line,
                                          f"broken link: no glossary term '{ref.target}'"
                                          f"{maybe}"))


def _sorted(problems: list[Problem]) -> list[Problem]:
    """File by file, top to bottom: the order an author fixes them in."""
    return sorted(problems, key=lambda p: (str(p.path), p.line))


def validate_course(root: Path) -> tuple[Course | None, list[Problem]]:
    """Read a course folder; return the course (None if unreadable) and every problem."""
    root = Path(root)
    state = _CourseState(root)
    course_path = root / COURSE_FILE
    if not course_path.is_file():
        return None, [Problem(course_path, 1, f"no {COURSE_FILE}: {root} is not a course "
                                              f"folder")]
    read = _read_mapping(course_path, state.problems)
    if read is None:
        return None, state.problems
    _raw, data = read
    if "schema" not in data:
        state.problems.append(Problem(course_path, data.line, "missing required field "
                                                              "'schema' (write 'schema: 1')"))
        return None, state.problems
    schema_message = schema_problem(data["schema"])
    if schema_message:
        # A pack for another schema would be misread: stop before checking anything else.
        state.problems.append(Problem(course_path, data.line_of("schema"), schema_message))
        return None, state.problems
    state.schema = data["schema"]
    state.upgrade("course", data, course_path)
    f = Fields(data, course_path, state.problems, COURSE_FILE,
               ("schema", "id", "title", "summary", "defaults", "modules"))
    course_id = f.ident()
    defaults = f.mapping("defaults", required=False)
    if defaults is not None:
        d = Fields(defaults, course_path, state.problems, "defaults",
                   ("pass_mark",) + tuple(f"{kind}_xp" for kind in KINDS))
        state.default_pass_mark = d.fraction("pass_mark", state.default_pass_mark)
        for kind in KINDS:
            xp = d.integer(f"{kind}_xp", required=False, default=None, minimum=0)
            if xp is not None:
                state.default_xp[kind] = xp
    folders = f.text_list("modules", required=True, min_len=1)
    modules: list[Module] = []
    item_seen: dict[str, tuple[Path, int]] = {}
    module_seen: dict[str, int] = {}
    for index, name in enumerate(folders):
        line = data["modules"].line_of(index)
        folder = root / name
        if not name or name.startswith(".") or "/" in name or "\\" in name:
            f.problem(line, f"module entry '{name}' must be a folder name in {root}")
            continue
        if not folder.is_dir():
            f.problem(line, f"module folder '{name}' is listed but {folder} does not exist")
            continue
        if name in module_seen:
            f.problem(line, f"module folder '{name}' is listed twice (first at line "
                            f"{module_seen[name]})")
            continue
        module_seen[name] = line
        module = _load_module(folder, state, item_seen)
        if module is not None:
            modules.append(module)
    ids: dict[str, Path] = {}
    for module in modules:
        if module.id and module.id in ids:
            state.problems.append(Problem(module.source.path, module.source.line,
                                          f"duplicate module id '{module.id}' (also in "
                                          f"{ids[module.id]})"))
        ids.setdefault(module.id, module.source.path)
    course = Course(id=course_id, title=f.text("title"),
                    summary=f.text("summary", required=False), modules=tuple(modules),
                    root=root, schema=data["schema"],
                    default_pass_mark=state.default_pass_mark)
    _resolve_refs(course, state)
    check_parts(course, state.parts, state.problems, state.incomplete)
    check_requires(course, state.requires, state.problems, state.incomplete)
    return course, _sorted(state.problems)


def load_course(path: Path) -> Course:
    """Load one course folder, or raise :class:`PackError` with every problem found."""
    course, problems = validate_course(Path(path))
    if problems or course is None:
        raise PackError(problems)
    return course


def find_courses(root: Path) -> list[Path]:
    """Course folders directly under ``root`` (or ``root`` itself if it is one)."""
    root = Path(root)
    if (root / COURSE_FILE).is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(child for child in root.iterdir()
                  if child.is_dir() and (child / COURSE_FILE).is_file())


def validate_courses(folders: list[Path]) -> tuple[list[Course], list[Problem]]:
    """Validate several course folders together: their problems, and ids clashing."""
    problems: list[Problem] = []
    courses: list[Course] = []
    first_seen: dict[str, Path] = {}
    for folder in folders:
        course, course_problems = validate_course(folder)
        problems.extend(course_problems)
        if course is None:
            continue
        if course.id in first_seen:
            problems.append(Problem(folder / COURSE_FILE, 1,
                                    f"duplicate course id '{course.id}' (also "
                                    f"{first_seen[course.id]})"))
            continue
        first_seen[course.id] = folder
        courses.append(course)
    return courses, problems


def load_catalog(root: Path) -> Catalog:
    """Load every course folder under ``root``; all problems of all courses at once.

    An empty or missing root gives an empty catalog (a fresh site with no courses yet).
    """
    courses, problems = validate_courses(find_courses(Path(root)))
    if problems:
        raise PackError(problems)
    return Catalog(courses={course.id: course for course in courses})
