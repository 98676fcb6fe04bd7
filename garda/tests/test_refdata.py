"""Reference data as data (garda/refdata.py): the loader, and history kept apart from
the live data files (data migrations read their own frozen copies, never `seed`)."""

import ast
import hashlib
import json
import tomllib
from datetime import date
from pathlib import Path

import pytest

from garda import refdata

GARDA = Path(refdata.__file__).resolve().parent

# The data each data migration reads: a digest of the parsed file, so that comments may
# be corrected but no value can change. A new data migration adds its own files here.
FROZEN = {
    "destinations/migrations/data/0003_destinations.toml": (
        "cc15bb529e46b34b22b63fd0a0559bd63c5adbbd40b9d3cbac2f4efb20394fe8"
    ),
    "destinations/migrations/data/0003_schemes.toml": (
        "d843285898097d093b8997c2b502b9ef64ce6d44c6e4179a0f78211b6f5122d4"
    ),
    "destinations/migrations/data/0003_sector_rules.toml": (
        "ddc1f5fa8e003ffa997c099a8b09a03bd9dcaab5e15aeab1fb2fd84c60f4b885"
    ),
    "destinations/migrations/data/0003_requirement_sets.toml": (
        "e0131a6d05da4151514e56f8933118ab5d99f64db626ae20eb55ba7e8816cc9c"
    ),
    "documents/migrations/data/0002_document_types.toml": (
        "0fd59e3c377ebdbb3b4b755262d58bada5d2933b115cb0c8de78c8764a89adcb"
    ),
    "training/migrations/data/0002_units.toml": (
        "3a20557f9e3cbab0421b593333174458ab9ab919d85ab19bef1bcab311ddeae5"
    ),
    "training/migrations/data/0002_courses.toml": (
        "8f3e5731b4f20cb304e19f1d18d2ce4cfa3f2c63fd0c4f0faea28a2a73120a8a"
    ),
}


def test_load_fills_defaults_and_nullable_fields_at_any_depth(tmp_path):
    path = tmp_path / "data.toml"
    path.write_text(
        """
[defaults.sets]
sectors = []
[defaults.items]
note = ""
[nullable]
sets = ["max_age"]
items = ["group"]

[[sets]]
code = "a"
max_age = 39
effective_from = 2017-11-22
items = [{type = "ktp"}, {type = "jlpt", note = "N4", group = 1}]

[[sets]]
code = "b"
sectors = ["care"]
""",
        encoding="utf-8",
    )
    data = refdata.load(path)
    assert set(data) == {"sets"}  # the defaults and nullable tables are dropped
    a, b = data["sets"]
    assert a["max_age"] == 39 and b["max_age"] is None
    assert a["effective_from"] == date(2017, 11, 22)
    assert a["sectors"] == [] and b["sectors"] == ["care"]
    assert a["items"] == [
        {"type": "ktp", "note": "", "group": None},
        {"type": "jlpt", "note": "N4", "group": 1},
    ]
    assert "items" not in b
    a["sectors"].append("x")  # each row has its own copy of a default
    assert refdata.load(path)["sets"][0]["sectors"] == []


def test_registry_is_the_given_one_or_the_real_one():
    from django.apps import apps

    marker = object()
    assert refdata.registry(marker) is marker
    assert refdata.registry() is apps


def _migrations():
    return sorted(GARDA.glob("*/migrations/0*.py")) + sorted(GARDA.glob("migrations/0*.py"))


def test_no_migration_reads_the_live_data():
    """A migration that imported `seed` (or the live data files through
    garda.refdata) would change history whenever the live data changed."""
    offenders = []
    for path in _migrations():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            if any(n.endswith(".seed") or n == "garda.refdata" for n in names):
                offenders.append(str(path.relative_to(GARDA)))
    assert offenders == []


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_the_data_a_migration_reads_never_changes(name):
    with open(GARDA / name, "rb") as fh:
        data = tomllib.load(fh)
    digest = hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()
    assert digest == FROZEN[name], (
        f"{name} is history: restore it, and put the change in the live data file and a "
        "new data migration with its own copy"
    )


def test_every_frozen_file_is_pinned():
    found = {str(p.relative_to(GARDA)) for p in GARDA.glob("*/migrations/data/*.toml")}
    assert found == set(FROZEN)
