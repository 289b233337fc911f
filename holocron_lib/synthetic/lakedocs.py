"""The text of each run's lake files: request, response, prompt, parsed output, evidence bundle."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime
from json.encoder import encode_basestring as _string

import orjson

from holocron_lib.synthetic.base import Rand, iso

POLICY = {"max_items": 50, "max_total_bytes": 100000, "max_item_bytes": 10000,
          "max_sql_rows": 100, "max_sql_cols": 20, "chunk_size": 5000, "chunk_overlap": 200,
          "sampling_strategy": "first_last", "enable_redaction": False, "version": "1.0"}
SYSTEM_PROMPTS = {
    "page_classification_v1": "Classify the wiki page into one primary type. Answer in JSON.",
    "sw_entity_facts_v1": "List short factual attributes of the entity. Answer in JSON.",
    "entity_extraction_droid_v1": "List the droids named in the evidence. Answer in JSON.",
    "entity_extraction_generic_v1": "List the named entities in the evidence. Answer in JSON.",
    "relationship_extraction_v1": "List relationships between named entities. Answer in JSON.",
}


def dumps(value) -> str:
    """The lake's JSON form: the text of ``json.dumps(value, indent=2, ensure_ascii=False)``.

    orjson writes the same text for what the lake holds, many times faster; where it would
    differ (a float in exponent form, an integer beyond 64 bits) or refuses (a lone
    surrogate), the standard library's form is written instead. NaN and infinities, which
    the generator never makes, are not supported.
    """
    try:
        text = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return _dumps(value)
    if type(value) is float or _AFTER_KEY.search(text) or _LIST_ITEM.search(text):
        return _dumps(value)
    return text


# A number token in exponent form. Indented output puts every nested value after ": " or at
# the start of a line (newlines inside strings are escaped), so text in strings rarely
# matches; two patterns that open with a literal scan much faster than one alternation.
_AFTER_KEY = re.compile(r": -?[0-9][0-9.]*[eE]")
_LIST_ITEM = re.compile(r"\n *-?[0-9][0-9.]*[eE]")


def _dumps(value, indent: str = "") -> str:
    """The reference writer, for what orjson would spell differently."""
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        inner = indent + "  "
        body = ",\n".join(f"{inner}{_string(k)}: {_dumps(v, inner)}" for k, v in value.items())
        return f"{{\n{body}\n{indent}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        inner = indent + "  "
        body = ",\n".join(inner + _dumps(v, inner) for v in value)
        return f"[\n{body}\n{indent}]"
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    return json.dumps(value)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evidence_items(rng: Rand, subject: str, lead: str, page_title: str | None,
                   created: datetime) -> list[dict]:
    """One to four bounded evidence items about the subject, in the evidence.json item shape."""
    items = []
    kinds = ["inline_text", "lake_http", "sql_result", "doc_chunk", "sql_query_def"]
    # at most one item of each kind, so evidence ids stay unique within the bundle
    chosen = [kinds[0]] + rng.sample(kinds[1:], rng.randint(0, 3))
    for ordinal, kind in enumerate(chosen, start=1):
        if kind == "sql_result":
            content = dumps([{"DisplayName": subject, "EntityType": "see page"}])
        elif kind == "sql_query_def":
            content = ("SELECT TOP (20) DisplayName, EntityType FROM dbo.DimEntity "
                       f"WHERE DisplayName = N'{subject}'")
        else:
            content = f"{subject}: {lead}"
        digest = sha(content)
        evidence_id = {"inline_text": f"inline:{ordinal - 1}", "lake_http": f"lake:{digest[:12]}:0",
                       "sql_result": f"sql:{digest[:12]}:0", "doc_chunk": f"doc:{digest[:12]}:0",
                       "sql_query_def": f"sqldef:{digest[:16]}"}[kind]
        size = len(content.encode("utf-8"))
        item = {
            "evidence_id": evidence_id, "evidence_type": kind,
            "source_ref": {"page_title": page_title} if page_title else {"entity": subject},
            "content": content, "content_sha256": digest, "byte_count": size,
            "metadata": {"bounding": {"applied": False, "original_size": size,
                                      "bounded_size": size, "truncation_point": None,
                                      "note": None}},
            "source_system": "mediawiki" if kind == "lake_http" else "holocron",
            "source_uri": f"https://starwars.fandom.com/wiki/{(page_title or subject)}".replace(
                " ", "_") if kind == "lake_http" else None,
            "selector_json": None, "ordinal": ordinal,
            "role": "primary" if ordinal == 1 else rng.choice(("supporting", "context")),
        }
        if kind == "sql_result":
            item["full_ref"] = {"lake_uri": None, "row_count": 1, "col_count": 2}
        items.append(item)
    return items


def bundle_document(bundle_id: str, created: datetime, items: list[dict]) -> dict:
    type_counts: dict[str, int] = {}
    for item in items:
        type_counts[item["evidence_type"]] = type_counts.get(item["evidence_type"], 0) + 1
    total = sum(item["byte_count"] for item in items)
    return {"bundle_id": bundle_id, "created_utc": iso(created) + "Z", "build_version": "2.0",
            "policy": POLICY, "items": items,
            "summary": {"item_count": len(items), "type_counts": type_counts,
                        "total_bytes": total, "approx_tokens": total // 4},
            "bundle_kind": "llm_input", "created_by": "dispatcher", "notes": None}


def prompt_text(interrogation_key: str, subject: str, items: list[dict]) -> str:
    evidence = "\n".join(f"[{item['evidence_id']}] {item['content']}" for item in items)
    return (f"{SYSTEM_PROMPTS[interrogation_key]}\n\nSubject: {subject}\n\nEvidence:\n{evidence}\n"
            "\nRespond with a single JSON object.")


def request_document(model: str, interrogation_key: str, prompt: str) -> dict:
    return {"model": model, "messages": [
        {"role": "system", "content": SYSTEM_PROMPTS[interrogation_key]},
        {"role": "user", "content": prompt}],
        "stream": False, "format": "json", "options": {"temperature": 0.0, "num_ctx": 8192}}


def response_document(model: str, finished: datetime, content: str, metrics: dict) -> dict:
    return {"model": model, "created_at": iso(finished) + "Z",
            "message": {"role": "assistant", "content": content}, "done": True,
            "done_reason": "stop", "total_duration": metrics["duration_ms"] * 1_000_000,
            "load_duration": 40_000_000, "prompt_eval_count": metrics["prompt_tokens"],
            "eval_count": metrics["completion_tokens"],
            "eval_duration": metrics["duration_ms"] * 800_000}
