"""Docs stand alone (docs/style.md, rule 13): no file in the repository points at notes
kept outside it, and every `docs/` page, section, security test and style rule that a
file cites exists.

Pure file reading, no database. The files are the repository's own (`git ls-files`,
tracked and new but not ignored); without git (an unpacked source tree) the tree is
walked, skipping hidden directories, virtual environments and build output.
"""

import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

pytestmark = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").is_file() or not DOCS.is_dir(),
    reason="not running from a source checkout",
)

# The founders' notes live outside the repository; their upper-case names (and the
# paths to them) must not appear in it. The names are assembled here so that this
# file does not match itself.
_NOTE_NAMES = ("SECURITY", "DESIGN", "DOMAIN", "STYLE", "DESIGN" + "-UI")
_OUTSIDE_PARTS = [
    r"\b(?:" + "|".join(re.escape(name) for name in _NOTE_NAMES) + r")\.md\b",
    re.escape("DOMAIN" + "-placement"),
    re.escape(".." + "/shared"),
    re.escape("/work" + "/"),
    r"/tmp/[\w.-]+\.md\b",  # noqa: S108 - a note left in a temporary directory
]
OUTSIDE = re.compile("|".join(_OUTSIDE_PARTS))
DOC_PAGE = re.compile(r"(?<![\w/.-])docs/([\w.-]+?)\.md\b")
SECURITY_TESTS = re.compile(r"docs/security\.md,? tests? (\d+(?:(?:, | and )\d+)*)")
STYLE_RULES = re.compile(r"docs/style\.md,? rules? (\d+(?:(?:, | and )\d+)*)")
QUOTED_SECTION = re.compile(r"docs/([\w.-]+?)\.md[,:]? \"([^\"\n]+)\"")
MD_LINK = re.compile(r"\]\(([^)\s]+)\)")

_SKIP_DIRS = {"venv", ".venv", "env", "var", "build", "dist", "node_modules", "staticfiles"}
_MAX_BYTES = 5_000_000


def _walk() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        parts = path.relative_to(ROOT).parts
        if parts[0] == ".git":  # a directory, or a file in a git worktree
            continue
        if any(p.startswith(".") and p != ".ci" or p in _SKIP_DIRS for p in parts[:-1]):
            continue
        if any(p == "__pycache__" or p.endswith(".egg-info") for p in parts):
            continue
        if path.is_file():
            found.append(path)
    return found


@cache
def repository_files() -> tuple[Path, ...]:
    git = shutil.which("git")
    if git and (ROOT / ".git").exists():
        listed = subprocess.run(  # noqa: S603
            [git, "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True,
            check=True,
        ).stdout.decode()
        paths = [ROOT / name for name in listed.split("\0") if name]
    else:
        paths = _walk()
    return tuple(sorted(p for p in paths if p.is_file()))


@cache
def text_of(path: Path) -> str | None:
    if path.stat().st_size > _MAX_BYTES:
        return None
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def texts() -> list[tuple[str, str]]:
    out = []
    for path in repository_files():
        text = text_of(path)
        if text is not None:
            out.append((str(path.relative_to(ROOT)), text))
    return out


def hits(pattern: re.Pattern) -> list[tuple[str, int, re.Match]]:
    found = []
    for name, text in texts():
        for number, line in enumerate(text.splitlines(), start=1):
            for match in pattern.finditer(line):
                found.append((name, number, match))
    return found


def numbers(listed: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", listed)]


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(m.group(1)) for m in re.finditer(r"^#+ +(.+?) *$", text_of(page), re.M)}


def test_the_repository_is_listed():
    names = {str(p.relative_to(ROOT)) for p in repository_files()}
    assert "README.md" in names
    assert "docs/security.md" in names
    assert str(Path(__file__).relative_to(ROOT)) in names


def test_nothing_points_outside_the_repository():
    found = [f"{name}:{line}: {m.group(0)}" for name, line, m in hits(OUTSIDE)]
    assert not found, "references to notes outside the repository:\n" + "\n".join(found)


def test_every_cited_docs_page_exists():
    missing = [
        f"{name}:{line}: {m.group(0)}"
        for name, line, m in hits(DOC_PAGE)
        if not (DOCS / f"{m.group(1)}.md").is_file()
    ]
    assert not missing, "citations of docs/ pages that do not exist:\n" + "\n".join(missing)


def test_every_cited_security_test_exists():
    page = text_of(DOCS / "security.md")
    listed = {int(n) for n in re.findall(r"^\| (\d+) \|", page, re.M)}
    assert listed == set(range(1, max(listed) + 1)), "the test battery is numbered 1..N"
    missing = [
        f"{name}:{line}: test {n}"
        for name, line, m in hits(SECURITY_TESTS)
        for n in numbers(m.group(1))
        if n not in listed
    ]
    assert not missing, "security tests cited but not in docs/security.md:\n" + "\n".join(missing)


def test_every_cited_style_rule_exists():
    page = text_of(DOCS / "style.md")
    rules = {int(n) for n in re.findall(r"^(\d+)\. \*\*", page, re.M)}
    assert rules == set(range(1, max(rules) + 1)), "the rules are numbered 1..N"
    missing = [
        f"{name}:{line}: rule {n}"
        for name, line, m in hits(STYLE_RULES)
        for n in numbers(m.group(1))
        if n not in rules
    ]
    assert not missing, "style rules cited but not in docs/style.md:\n" + "\n".join(missing)


def test_every_quoted_section_is_in_the_cited_page():
    missing = []
    for name, line, m in hits(QUOTED_SECTION):
        page = DOCS / f"{m.group(1)}.md"
        if page.is_file() and m.group(2).lower() not in text_of(page).lower():
            missing.append(f"{name}:{line}: {m.group(0)}")
    assert not missing, "quoted sections not found in the cited page:\n" + "\n".join(missing)


def test_markdown_links_inside_the_repository_resolve():
    broken = []
    for path in repository_files():
        if path.suffix != ".md" or text_of(path) is None:
            continue
        for number, line in enumerate(text_of(path).splitlines(), start=1):
            for m in MD_LINK.finditer(line):
                target = m.group(1)
                if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
                    continue
                file_part, _, anchor = target.partition("#")
                page = (path.parent / file_part).resolve() if file_part else path
                where = f"{path.relative_to(ROOT)}:{number}: {target}"
                if not page.is_file():
                    broken.append(where)
                elif anchor and page.suffix == ".md" and anchor not in anchors(page):
                    broken.append(where + " (no such heading)")
    assert not broken, "broken links:\n" + "\n".join(broken)


@pytest.mark.parametrize(
    "text",
    [
        "see " + "SECURITY" + ".md test 3",
        "(" + "STYLE" + ".md rule 9)",
        "Sources (see also " + ".." + "/shared/" + "DOMAIN" + ".md)",
        "readiness rules refer to them by code, see /tmp/" + "contract.md",
        "DESIGN" + "-UI" + ".md §3",
    ],
)
def test_the_outside_pattern_catches_each_kind(text):
    assert OUTSIDE.search(text)


def test_lower_case_docs_paths_are_not_outside_references():
    assert not OUTSIDE.search("docs/security.md, test 3; docs/design-ui.md; docs/domain.md")
