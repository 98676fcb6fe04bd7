"""Reference data as data: every app's legal and catalogue data (destinations, schemes,
sector rules, requirement sets, document types, SKKNI units, courses) is kept in TOML
files under `garda/<app>/data/`, with its source beside each row, and read by `load`.
Each app's `seed.py` has the same `apply(apps=None)`, which writes its files' rows to
the database (`apps` is a migration's registry, or None for the real models).

A data file holds one array of tables per kind of row (`[[courses]]`), which may nest
(`[[destinations.schemes]]`, or an array of inline tables such as `requirements`).
Two optional top-level tables keep the rows short; `load` applies them and drops them:

- `[defaults.NAME]`: the value of each field that a table of an array called NAME (at
  any depth) leaves out;
- `[nullable]`, `NAME = ["field", ...]`: fields that are None when such a table leaves
  them out (TOML has no null).

History does not read these files. A data migration reads its own frozen copy, kept
beside it (`garda/<app>/migrations/data/`), with a loader of its own: editing a live
file changes what `seed.apply()` writes from now on, never what a migration wrote. To
bring existing databases along, write a new data migration with a copy of the change.
"""

import copy
import tomllib
from pathlib import Path


def load(path: str | Path) -> dict:
    """The data of one TOML file, with the file's defaults and nullable fields filled
    into its rows (dates are `datetime.date`)."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    defaults = data.pop("defaults", {})
    nullable = data.pop("nullable", {})
    _fill(data, defaults, nullable)
    return data


def _fill(table: dict, defaults: dict, nullable: dict) -> None:
    for name, value in table.items():
        if not (isinstance(value, list) and value and all(isinstance(r, dict) for r in value)):
            continue
        for row in value:
            for field, default in defaults.get(name, {}).items():
                if field not in row:
                    row[field] = copy.deepcopy(default)
            for field in nullable.get(name, ()):
                row.setdefault(field, None)
            _fill(row, defaults, nullable)


def registry(apps=None):
    """`apps` (a migration's registry of historical models), or the real one."""
    if apps is None:
        from django.apps import apps as real

        return real
    return apps
