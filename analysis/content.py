"""The content folder's schema: the edition's own words (`content:` in the parameter file).

The folder holds some of these YAML files (data/content is the worked example); a file with another
name would be ignored by every chapter, so it is an error:

- pathways.yml: `pathways`, a mapping of pathway id (analysis.contract.PATHWAYS) -> {title, summary,
  key_messages (a list of text), aspiration, plans (a list of text), governance, plan_section,
  plan_figures, deliverables (a list of {id, text, owner, due, status, source})};
- indicators.yml: `indicators`, a mapping of indicator id -> {name, percent (true/false), short};
- economy.yml: `organisations`, a list of {code, name, role, ...}, and other sections of text;
- strategy.yml: `strands` (strand id -> {pages, measures}) and the challenged services, for the strategy chapter;
- value.yml: the value chapter's text.

An error names the file, the key path (pathways.maternity.key_messages[2]) and what was expected.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from analysis.contract import PATHWAYS
from analysis.inputs import InputError, key_path, non_finite, read_yaml

FILES = ("economy", "indicators", "pathways", "strategy", "value")
PATHWAY_KEYS = {
    "title": "text", "plan_section": "text", "summary": "text", "key_messages": "texts", "aspiration": "text",
    "plans": "texts", "governance": "text", "deliverables": "list", "plan_figures": "list", "dementia": "any",
}  # fmt: skip
DELIVERABLE_KEYS = ("id", "text", "owner", "due", "status", "source")
STATUSES = ("planned", "on_track", "at_risk", "off_track", "complete")
INDICATOR_KEYS = {"name": "text", "short": "text", "percent": "flag"}
ROLES = ("commissioner", "provider", "both")


class ContentError(InputError):
    """A content file is wrong; the message names the file, the key path and the rule."""


def load_content(folder: str | Path, shown: str) -> tuple[dict, dict[str, str]]:
    """Every content file of the folder, checked, keyed by name; and each file's SHA-256 for provenance."""
    path = Path(folder)
    if not path.exists():
        raise ContentError(
            f"{shown}: no such content folder (expected a folder of {', '.join(f + '.yml' for f in FILES)})"
        )
    if not path.is_dir():
        raise ContentError(f"{shown}: is a file; `content:` names a folder of {', '.join(f + '.yml' for f in FILES)}")
    out, hashes = {}, {}
    for file in sorted(path.iterdir()):
        if file.name.startswith(".") or file.suffix not in (".yml", ".yaml"):
            continue
        name = f"{shown}/{file.name}"
        if file.stem not in FILES:
            raise ContentError(f"{name}: unknown content file; expected some of {', '.join(f + '.yml' for f in FILES)}")
        raw = read_yaml(file, "a content file (YAML)", shown=name)
        raw = {} if raw is None else raw
        check_content(file.stem, raw, name)
        out[file.stem] = raw
        hashes[name] = hashlib.sha256(file.read_bytes()).hexdigest()
    return out, hashes


def check_content(kind: str, raw: Any, name: str) -> None:
    """The rules of the module docstring for one file; the first broken one raises ContentError."""

    def fail(path: tuple, rule: str) -> ContentError:
        return ContentError(f"{name}, key '{key_path(path)}': {rule}")

    if not isinstance(raw, Mapping):
        raise ContentError(f"{name}: expected a mapping at the top level, found {type(raw).__name__}")
    bad = non_finite(dict(raw))
    if bad:
        raise fail(bad[0], f"expected a finite number, found {bad[1]}")

    def typed(value: Any, kind_: str, path: tuple) -> None:
        if kind_ == "text" and not isinstance(value, (str, int, float)) and value is not None:
            raise fail(path, f"expected text, found {type(value).__name__}")
        if kind_ == "flag" and not isinstance(value, bool):
            raise fail(path, f"expected true or false, found {value!r}")
        if kind_ in ("texts", "list") and not isinstance(value, list):
            raise fail(path, f"expected a list, found {type(value).__name__}")
        if kind_ == "texts":
            for i, item in enumerate(value):
                if not isinstance(item, str):
                    raise fail((*path, i), f"expected text, found {type(item).__name__}")

    def mapping(value: Any, path: tuple) -> Mapping:
        if not isinstance(value, Mapping):
            raise fail(path, f"expected a mapping, found {type(value).__name__}")
        return value

    if kind == "pathways":
        for pid, spec in mapping(raw.get("pathways", {}), ("pathways",)).items():
            if pid not in PATHWAYS:
                raise fail(("pathways", pid), f"unknown pathway; expected some of {', '.join(PATHWAYS)}")
            for key, value in mapping(spec, ("pathways", pid)).items():
                if key not in PATHWAY_KEYS:
                    raise fail(("pathways", pid, key), f"unknown key; expected some of {', '.join(PATHWAY_KEYS)}")
                typed(value, PATHWAY_KEYS[key], ("pathways", pid, key))
            for i, item in enumerate(spec.get("deliverables") or []):
                where = ("pathways", pid, "deliverables", i)
                item = mapping(item, where)
                extra = [k for k in item if k not in DELIVERABLE_KEYS]
                if extra:
                    raise fail((*where, extra[0]), f"unknown key; expected some of {', '.join(DELIVERABLE_KEYS)}")
                if not isinstance(item.get("text"), str) or not item["text"].strip():
                    raise fail((*where, "text"), "every deliverable needs its text")
                if "status" in item and item["status"] not in STATUSES:
                    raise fail((*where, "status"), f"expected one of {', '.join(STATUSES)}, found {item['status']!r}")
    elif kind == "indicators":
        for iid, info in mapping(raw.get("indicators", {}), ("indicators",)).items():
            for key, value in mapping(info, ("indicators", iid)).items():
                if key not in INDICATOR_KEYS:
                    raise fail(("indicators", iid, key), f"unknown key; expected some of {', '.join(INDICATOR_KEYS)}")
                typed(value, INDICATOR_KEYS[key], ("indicators", iid, key))
    elif kind == "strategy":
        for sid, strand in mapping(raw.get("strands", {}), ("strands",)).items():
            strand = mapping(strand, ("strands", sid))
            typed(strand.get("pages", []), "list", ("strands", sid, "pages"))
            typed(strand.get("measures", []), "texts", ("strands", sid, "measures"))
    elif kind == "economy":
        organisations = raw.get("organisations", []) or []
        typed(organisations, "list", ("organisations",))
        for i, org in enumerate(organisations):
            org = mapping(org, ("organisations", i))
            if not isinstance(org.get("name"), str) or not org["name"].strip():
                raise fail(("organisations", i, "name"), "every organisation needs its name")
            if org.get("code") is not None and not isinstance(org["code"], str):
                raise fail(
                    ("organisations", i, "code"), f"expected a code as text (quoted), or null, found {org['code']!r}"
                )
            if "role" in org and org["role"] not in ROLES:
                raise fail(("organisations", i, "role"), f"expected one of {', '.join(ROLES)}, found {org['role']!r}")


def known_indicators(content: Mapping) -> set[str]:
    """The indicator ids the content names (indicators.yml), for checking the parameter file's references."""
    return set((content.get("indicators") or {}).get("indicators") or {})
