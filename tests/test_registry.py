"""The registry: names, metadata and the `parameters` cell; parameter checks name what is allowed."""

from pathlib import Path

import pytest
from runservice_fixtures import NOTEBOOKS

from holocron_lib.book.catalog import render_runbook_catalog
from holocron_lib.errors import NotebookNotFoundError, ParameterError
from holocron_lib.service.params import parse_parameters_cell
from holocron_lib.service.registry import (
    discover_notebooks,
    get_notebook,
    is_valid_name,
    validate_parameters,
)

ROOT = Path(__file__).resolve().parent.parent
BOOK_NOTEBOOKS = sorted(p for p in (ROOT / "notebooks_py").rglob("*.py")
                        if "_templates" not in p.parts)


def test_discovery_names_skip_templates_and_sort():
    names = [i.name for i in discover_notebooks(NOTEBOOKS)]
    assert names == sorted(names)
    assert "runbooks/echo" in names and "simple_params" in names
    assert not any(n.startswith("_") or "/_" in n for n in names)


def test_metadata_from_the_first_cell():
    info = get_notebook(NOTEBOOKS, "simple_params")
    assert info.title == "Simple parameters"
    assert info.category == "runbooks"  # "Runbook" in the table maps to the folder vocabulary
    assert info.tags == ("fixture", "greeting")
    assert info.owner == "test-team"
    assert info.last_verified == "2026-01-01"
    assert info.description.startswith("Greets someone")
    assert get_notebook(NOTEBOOKS, "runbooks/echo").category == "runbooks"  # from the folder


def test_complex_parameters_cell():
    params = {p.name: p for p in get_notebook(NOTEBOOKS, "complex_parameters").parameters}
    assert list(params)[:3] == ["RATIO", "ENABLED", "TAGS"]  # declaration order
    assert (params["RATIO"].type, params["RATIO"].minimum, params["RATIO"].maximum) == (
        "float", 0, 1)
    assert params["ENABLED"].type == "bool" and params["ENABLED"].default is False
    assert params["OPTIONS"].default == {"depth": 2}
    assert params["OPTIONS"].description.startswith("a dict spread over lines")
    assert params["LABEL"].default == "x # not a comment"
    assert params["LABEL"].pattern == "^[a-z #]+$"
    assert params["CODE"].pattern == "^[A-Z]{2}[0-9]{2}$"
    assert (params["LEVEL"].minimum, params["LEVEL"].maximum) == (1, 5)
    assert params["JOB_ID"].required and not params["JOB_ID"].has_default
    assert params["BATCH"].required and params["BATCH"].default == 10
    assert params["MAYBE"].nullable and params["MAYBE"].type == "str"
    assert params["untyped"].type == "int" and params["untyped"].description == ""
    assert params["NOTE"].description == "brackets that are not rules [stay] in the text"


def test_allowed_values_are_typed():
    (p,) = parse_parameters_cell("N: int = 2  # n [allowed: 1|2|3]")
    assert p.choices == (1, 2, 3)


@pytest.mark.parametrize("source, reason", [
    ("X: int = 1  # x [mni: 1]", "unknown rule 'mni'"),
    ("X: int = 1  # x [min: one]", "needs a number"),
    ("X: int = 10  # x [max: 5]", "breaks its own rule"),
    ("X: str = 'a'  # x [pattern: (]", "not a valid regular expression"),
    ("X: Path = 'a'", "unsupported type 'Path'"),
    ("X: int = 1 + 1", "must be a literal"),
    ("import os", "may only hold"),
], ids=["unknown-rule", "bad-number", "default-breaks-rule", "bad-regex", "bad-type",
        "not-literal", "statement"])
def test_cell_mistakes_name_notebook_and_parameter(source, reason):
    with pytest.raises(ParameterError, match=reason) as info:
        parse_parameters_cell(source, notebook="demo/nb")
    assert "demo/nb" in str(info.value)


@pytest.mark.parametrize("path", BOOK_NOTEBOOKS,
                         ids=[str(p.relative_to(ROOT / "notebooks_py")) for p in BOOK_NOTEBOOKS])
def test_every_book_notebook_registers(path):
    name = path.relative_to(ROOT / "notebooks_py").with_suffix("").as_posix()
    info = get_notebook(ROOT / "notebooks_py", name)
    assert info.title and info.category == name.split("/")[0]
    validate_parameters(info, {})  # the defaults pass their own rules


def test_strings_from_the_command_line_become_typed_values():
    info = get_notebook(NOTEBOOKS, "complex_parameters")
    got = validate_parameters(info, {
        "RATIO": "0.25", "ENABLED": "yes", "TAGS": '["x"]', "OPTIONS": '{"depth": 3}',
        "JOB_ID": "j-1", "BATCH": "4", "MAYBE": "null", "LEVEL": "5"}, from_strings=True)
    assert got["RATIO"] == 0.25 and got["ENABLED"] is True and got["TAGS"] == ["x"]
    assert got["OPTIONS"] == {"depth": 3} and got["BATCH"] == 4
    assert got["MAYBE"] == "null"  # a str parameter takes the text as it is, even "null"
    assert got["CODE"] == "AB12"  # defaults filled in


@pytest.mark.parametrize("values, parameter, fragment, allowed", [
    ({"MODE": "destroy"}, "MODE", "not an allowed value", ("dry_run", "apply")),
    ({"COUNT": 0}, "COUNT", "below the minimum 1", ("a whole number from 1 to 5",)),
    ({"COUNT": 6}, "COUNT", "above the maximum 5", ("a whole number from 1 to 5",)),
    ({"COUNT": "3"}, "COUNT", "expected int", ("a whole number from 1 to 5",)),
    ({"COUNT": True}, "COUNT", "expected int", ("a whole number from 1 to 5",)),
    ({"NAME": None}, "NAME", "must not be null", ("a string",)),
    ({"COLOR": "red"}, "COLOR", "not a parameter",
     ("NAME", "COUNT", "MODE", "OUT_FILE")),
], ids=["choices", "min", "max", "json-string-for-int", "bool-for-int", "null", "unknown"])
def test_bad_values_name_the_parameter_and_what_is_allowed(values, parameter, fragment, allowed):
    info = get_notebook(NOTEBOOKS, "simple_params")
    with pytest.raises(ParameterError) as exc:
        validate_parameters(info, values)
    assert exc.value.parameter == parameter and fragment in exc.value.reason
    assert exc.value.allowed == allowed
    assert "allowed:" in str(exc.value)


def test_required_and_pattern():
    info = get_notebook(NOTEBOOKS, "runbooks/echo")
    with pytest.raises(ParameterError, match="'TARGET': is required"):
        validate_parameters(info, {})
    with pytest.raises(ParameterError, match="does not match"):
        validate_parameters(info, {"TARGET": "Bad Name"})
    assert validate_parameters(info, {"TARGET": "db_1"}) == {"MODE": "dry_run", "TARGET": "db_1"}


def test_float_rules_and_non_finite_values():
    info = get_notebook(NOTEBOOKS, "complex_parameters")
    base = {"JOB_ID": "j", "BATCH": 1}
    with pytest.raises(ParameterError, match="finite"):
        validate_parameters(info, {**base, "RATIO": float("nan")})
    with pytest.raises(ParameterError, match="above the maximum 1"):
        validate_parameters(info, {**base, "RATIO": 1.5})


@pytest.mark.parametrize("name", [
    "../simple_params", "/etc/passwd", "runbooks/../simple_params", "simple_params.py",
    "runbooks\\echo", "%2e%2e%2fsimple_params", "_draft", "runbooks//echo", "", " simple_params",
])
def test_names_that_are_not_names_are_not_found(name):
    with pytest.raises(NotebookNotFoundError):
        get_notebook(NOTEBOOKS, name)


def test_unknown_name_suggests_close_matches():
    assert is_valid_name("simple_param")
    with pytest.raises(NotebookNotFoundError) as exc:
        get_notebook(NOTEBOOKS, "simple_param")
    assert "simple_params" in exc.value.suggestions


def test_run_command_shows_required_parameters():
    assert get_notebook(NOTEBOOKS, "runbooks/echo").run_command() == (
        "holocron run runbooks/echo -p TARGET=<str>")
    assert get_notebook(NOTEBOOKS, "simple_params").run_command({"NAME": "a b"}) == (
        "holocron run simple_params -p 'NAME=a b'")


def test_runbook_catalog_lists_runbooks_then_other_parameterised_notebooks():
    page = render_runbook_catalog(NOTEBOOKS)
    assert page.startswith("# Runbook catalog\n")
    runbooks, others = page.split("## Other notebooks with parameters")
    assert "### Echo runbook" in runbooks and "### Simple parameters" in runbooks
    assert "### Slow" in others and "No parameters" not in page  # no parameters: not listed
    assert "holocron run runbooks/echo -p TARGET=<str>" in runbooks
    assert "| `MODE` | str | `\"dry_run\"` | dry_run; apply | what to do |" in runbooks
    assert "| `TARGET` | str | *required* | a string matching ^[a-z0-9_]+$ |" in runbooks
    assert "{doc}" not in page  # fixture notebooks are not pages of the book


def test_catalog_links_book_pages():
    page = render_runbook_catalog(ROOT / "notebooks_py")
    assert "{doc}`read it in the book </notebooks_py/learning/01_hello_pipeline>`" in page


def test_an_unchanged_notebook_is_read_but_not_parsed_again(tmp_path, monkeypatch):
    import jupytext

    parsed = []
    reads = jupytext.reads
    monkeypatch.setattr(jupytext, "reads", lambda *a, **k: parsed.append(1) or reads(*a, **k))
    source = (NOTEBOOKS / "simple_params.py").read_text(encoding="utf-8")
    (tmp_path / "simple_params.py").write_text(source, encoding="utf-8")
    first = get_notebook(tmp_path, "simple_params")
    assert get_notebook(tmp_path, "simple_params") is first and len(parsed) == 1
    # an edit of the same size in the same instant is still seen: the key is the content
    (tmp_path / "simple_params.py").write_text(source.replace("[max: 5]", "[max: 4]"),
                                               encoding="utf-8")
    changed = get_notebook(tmp_path, "simple_params")
    assert len(parsed) == 2 and changed.parameter("COUNT").maximum == 4
    assert [i.name for i in discover_notebooks(tmp_path)] == ["simple_params"]
    assert len(parsed) == 2
