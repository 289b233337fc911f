"""Presets: named, checked parameter sets of one notebook, owned by the user who saved them.

A preset keeps the values given (typed; defaults stay out, so a later default applies) and
the fingerprint of the parameters cell it was checked against. When that cell changes the
preset is checked again (`revalidate`): one that no longer fits is marked invalid with the
reason, shown so, and refused by runs and schedules (`preset_values`), naming the preset.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from holocron_lib.errors import (
    ParameterError,
    PresetError,
    PresetExistsError,
    UnknownObjectError,
    close_matches,
)
from holocron_lib.service.registry import NotebookInfo, get_notebook, validate_parameters
from holocron_lib.service.store import Store, presets, utcnow

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


@dataclass(frozen=True)
class Preset:
    notebook: str
    name: str
    owner: str
    description: str | None
    parameters: dict[str, Any]
    valid: bool
    problem: str | None
    updated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"notebook": self.notebook, "name": self.name, "owner": self.owner,
                "description": self.description, "parameters": self.parameters,
                "valid": self.valid, "problem": self.problem}


def _preset(row) -> Preset:
    return Preset(notebook=row.notebook_name, name=row.name, owner=row.owner,
                  description=row.description, parameters=row.parameters or {},
                  valid=row.valid, problem=row.problem, updated_at=row.updated_at)


def parameters_fingerprint(info: NotebookInfo) -> str:
    """Changes exactly when the notebook's parameters cell declares something else."""
    spec = [p.to_dict() for p in info.parameters]
    return hashlib.sha256(json.dumps(spec, sort_keys=True, default=str).encode()).hexdigest()


def _check(info: NotebookInfo, values: dict[str, Any]) -> str | None:
    try:
        validate_parameters(info, values)
    except ParameterError as exc:
        return str(exc)
    return None


def create_preset(store: Store, root: Path, *, notebook: str, name: str, owner: str,
                  parameters: dict[str, Any], description: str | None = None,
                  from_strings: bool = False) -> Preset:
    """Check and save a preset; bad values raise the `ParameterError` a run would get."""
    info = get_notebook(root, notebook)
    if not _NAME.fullmatch(name or ""):
        raise PresetError(info.name, str(name)[:100], "is not a valid name: letters, digits, "
                                                      "'_', '-' and '.', starting with a "
                                                      "letter or digit")
    checked = validate_parameters(info, parameters, from_strings=from_strings)
    given = {k: checked[k] for k in parameters}
    now = utcnow()
    try:
        with store.writing() as conn:
            conn.execute(presets.insert().values(
                notebook_name=info.name, name=name, owner=owner, description=description,
                parameters=given, valid=True, problem=None,
                checked_against=parameters_fingerprint(info), created_at=now, updated_at=now))
    except sa.exc.IntegrityError:
        raise PresetExistsError(info.name, name) from None
    return get_preset(store, info.name, name)


def get_preset(store: Store, notebook: str, name: str) -> Preset:
    with store.engine.connect() as conn:
        row = conn.execute(sa.select(presets).where(presets.c.notebook_name == notebook,
                                                    presets.c.name == name)).first()
        if row is None:
            names = conn.execute(sa.select(presets.c.name).where(
                presets.c.notebook_name == notebook)).scalars().all()
    if row is None:
        raise UnknownObjectError(f"preset of {notebook}", name, close_matches(name, names))
    return _preset(row)


def list_presets(store: Store, notebook: str | None = None) -> list[Preset]:
    query = sa.select(presets).order_by(presets.c.notebook_name, presets.c.name)
    if notebook:
        query = query.where(presets.c.notebook_name == notebook)
    with store.engine.connect() as conn:
        return [_preset(r) for r in conn.execute(query).all()]


def delete_preset(store: Store, notebook: str, name: str, user: str) -> Preset:
    """Remove a preset; only its owner may."""
    found = get_preset(store, notebook, name)
    if found.owner != user:
        raise PresetError(notebook, name, f"belongs to {found.owner}; only its owner may "
                                          "delete it")
    with store.writing() as conn:
        conn.execute(presets.delete().where(presets.c.notebook_name == notebook,
                                            presets.c.name == name))
    return found


def revalidate(store: Store, infos: Iterable[NotebookInfo]) -> list[Preset]:
    """Check again the presets of notebooks whose parameters cell changed; returns those."""
    by_name = {i.name: i for i in infos}
    if not by_name:
        return []
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(presets).where(
            presets.c.notebook_name.in_(list(by_name)))).all()
    changed = []
    for row in rows:
        info = by_name[row.notebook_name]
        fingerprint = parameters_fingerprint(info)
        if row.checked_against == fingerprint:
            continue
        problem = _check(info, row.parameters or {})
        with store.writing() as conn:
            conn.execute(presets.update().where(
                presets.c.id == row.id, presets.c.checked_against == row.checked_against
            ).values(valid=problem is None, problem=problem, checked_against=fingerprint,
                     updated_at=utcnow()))
        changed.append(get_preset(store, row.notebook_name, row.name))
    return changed


def preset_values(store: Store, info: NotebookInfo, name: str) -> dict[str, Any]:
    """The values of preset ``name`` of ``info``, checked against the notebook as it is now.

    Raises `UnknownObjectError` for a preset that does not exist and `PresetError` for one
    that no longer fits (which is then marked invalid).
    """
    revalidate(store, [info])
    found = get_preset(store, info.name, name)
    if not found.valid:
        raise PresetError(info.name, name, f"no longer fits the notebook's parameters: "
                                           f"{found.problem}")
    return dict(found.parameters)
