"""The generator: committed output matches the specs, drift is detected, output is clean."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from revclient import _codegen, _spec
from revclient._codegen import render
from revclient._spec import SpecError, parse_spec

PACKAGE = Path(_codegen.__file__).resolve().parent
GENERATED = [
    f"{api}/{name}.py"
    for api in _spec.APIS
    for name in ("_models", "_resources", "_sync_resources")
]


def test_committed_output_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    assert _codegen.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


@pytest.mark.parametrize("rel", GENERATED)
def test_header(rel: str) -> None:
    first = (PACKAGE / rel).read_text(encoding="utf-8").splitlines()[0]
    api = rel.split("/")[0]
    assert first == f"# generated from specs/{api}.toml by revclient._codegen; do not edit"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    pkg = tmp_path / "revclient"
    shutil.copytree(PACKAGE / "specs", pkg / "specs")
    for rel in GENERATED:
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PACKAGE / rel, pkg / rel)
    return pkg


def test_drift_is_detected_and_fixed(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = copy / "specs" / "revio.toml"
    spec.write_text(
        spec.read_text().replace('summary = "List contacts."', 'summary = "List all contacts."')
    )
    assert _codegen.main(["--check", "--package", str(copy)]) == 1
    out = capsys.readouterr()
    assert "revclient/revio/_resources.py: 2 line(s) differ" in out.out
    assert "out of date" in out.err
    assert (copy / "revio/_resources.py").read_text() == (
        PACKAGE / "revio/_resources.py"
    ).read_text()
    assert _codegen.main(["--package", str(copy)]) == 0
    assert "List all contacts." in (copy / "revio/_resources.py").read_text()
    assert _codegen.main(["--check", "--package", str(copy)]) == 0


def test_hand_edits_are_detected(copy: Path) -> None:
    target = copy / "rev23/_models.py"
    target.write_text(target.read_text() + "\n# edited\n")
    assert _codegen.main(["--check", "--package", str(copy)]) == 1
    (copy / "rev23/_sync_resources.py").unlink()
    assert _codegen.main(["--check", "--package", str(copy)]) == 1


def test_cli_entry_point_check() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "revclient._codegen", "--check"], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


SYNTHETIC = {
    "api": {"name": "demo", "title": "Demo API", "class_name": "DemoResources"},
    "sources": {"app": {"repo": "someone/app", "file": "src/client.py"}},
    "resources": {"widgets": {"body_casing": "pascal", "note": "callers send PascalCase."}},
    "models": {
        "Widget": {
            "doc": "A widget.",
            "fields": [
                {"wire": "widgetId", "type": "id", "seen": ["app"]},
                {"wire": "weight", "type": "float"},
                {"wire": "tags", "type": "array"},
                {"wire": "meta", "type": "object"},
                {"wire": "when", "type": "datetime"},
            ],
        }
    },
    "endpoints": [
        {
            "resource": "widgets",
            "name": "list",
            "summary": "List widgets.",
            "method": "GET",
            "path": "/v1/widgets",
            "response": "Widget",
            "pagination": "page",
            "status": "inferred",
            "source": "a test",
            "max_page_size": 250,
            "query": [
                {"wire": "colorName", "type": "str"},
                {"wire": "from", "arg": "since", "type": "datetime"},
            ],
        },
        {
            "resource": "widgets",
            "name": "patch",
            "summary": "Patch a widget.",
            "method": "PATCH",
            "path": "/v1/widgets/{widgetId}",
            "response": "Widget",
            "status": "observed",
            "seen": ["app"],
            "note": "Some servers answer 405.",
            "body": [
                {"wire": "tags", "type": "array", "seen": ["app"]},
                {"wire": "meta", "type": "object"},
            ],
        },
    ],
}


def test_synthetic_spec_renders_clean_code(tmp_path: Path) -> None:
    spec = parse_spec(SYNTHETIC)
    spec.source_name = "specs/demo.toml"
    files = render(spec)
    for rel, text in files.items():
        path = tmp_path / "revclient" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        compile(text, rel, "exec")
    resources = files["demo/_resources.py"]
    assert 'params={"colorName": color_name, "from": since, **(params or {})}' in resources
    assert "color_name: str | None = None" in resources
    assert "Inferred, neither documented nor observed" in resources
    # Evidence: where the endpoint and each field were seen, in the (wrapped) docstrings.
    flat = " ".join(resources.split())
    assert "seen in [1] someone/app ``src/client.py``." in flat
    assert "``tags`` [1], ``meta`` (not observed)" in flat
    assert "Some servers answer 405." in flat
    assert "in pascal case by default, because callers send PascalCase." in flat
    models = files["demo/_models.py"]
    seen = '    widget_id: Id | None = None\n    """Seen in someone/app ``src/client.py``."""'
    assert seen in models
    assert '    weight: float | None = None\n    """Not observed in public code."""' in models
    # A wire name that is no Python name, a page-size cap, a configurable casing.
    assert '"from": since' in resources and "since: datetime | str | None = None" in resources
    assert "page_size=page_size if page_size is None else min(page_size, 250)" in resources
    assert 'BODY_CASINGS: dict[str, str] = {"widgets": "pascal"}' in resources
    assert 'extra, casing=self._transport._casing("widgets") )' in flat
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--isolated", "--line-length=100",
         "--select=E,F,W,I,B,UP,RUF", "--ignore=RUF012", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout


def test_a_resource_of_lists_only_renders_an_empty_raw_twin(tmp_path: Path) -> None:
    import copy as copy_module

    data = copy_module.deepcopy(SYNTHETIC)
    del data["endpoints"][1]
    spec = parse_spec(data)
    spec.source_name = "specs/demo.toml"
    for rel, text in render(spec).items():
        compile(text, rel, "exec")
    raw = render(spec)["demo/_resources.py"].split("class WidgetsResourceWithRawResponse")[1]
    assert "def __init__(self, resource: WidgetsResource) -> None:\n        pass\n" in raw


def test_an_endpoint_cites_its_sources_with_their_notes() -> None:
    import copy as copy_module

    data = copy_module.deepcopy(SYNTHETIC)
    data["sources"]["app"]["note"] = "deleted in a later version"
    spec = parse_spec(data)
    spec.source_name = "specs/demo.toml"
    files = render(spec)
    flat = " ".join(files["demo/_resources.py"].split())
    assert "seen in [1] someone/app ``src/client.py`` (deleted in a later version)." in flat
    # A field's short list stays short: the note belongs to the endpoint's numbered list.
    assert "Seen in someone/app ``src/client.py``." in " ".join(files["demo/_models.py"].split())


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s["endpoints"][0].update(status="rumoured"), "status"),
        (lambda s: s["endpoints"][0].update(response="Gadget"), "unknown response model"),
        (
            lambda s: s["models"]["Widget"]["fields"].append({"wire": "raw", "type": "str"}),
            "reserved",
        ),
        (
            lambda s: s["models"]["Widget"]["fields"].append({"wire": "x", "type": "blob"}),
            "unknown type",
        ),
        (lambda s: s["endpoints"][0].update(pagination="offset"), "pagination"),
        (
            lambda s: s["endpoints"][1]["body"].append({"wire": "page_size", "type": "int"}),
            "camelCase",
        ),
        (lambda s: s["endpoints"][1].update(seen=[]), "names where it was seen"),
        (lambda s: s["endpoints"][1].update(seen=["nowhere"]), "unknown sources"),
        (
            lambda s: s["endpoints"][0]["query"].append({"wire": "class", "type": "str"}),
            "give it an arg",
        ),
        (lambda s: s["endpoints"][1].update(max_page_size=10), "max_page_size"),
        (lambda s: s["resources"]["widgets"].update(body_casing="kebab"), "body_casing"),
        (lambda s: s["resources"].update(gadgets={"body_casing": "snake"}), "known resource"),
        (lambda s: s["sources"]["app"].pop("file"), "repo and file"),
        (
            lambda s: s["endpoints"][0]["query"][0].update(colour=1),
            r"extra fields found \(colour\) @ endpoints\[0\] \(widgets.list\).query\[0\]",
        ),
        (lambda s: s["endpoints"][1].update(required=True), r"\(required\) @ endpoints\[1\]"),
        (
            lambda s: s["endpoints"][1]["body"].append({"wire": "ids", "type": "list[int]"}),
            "scalar types",
        ),
        (
            lambda s: s["endpoints"][1].update(path_params={"widgetId": "class"}),
            "argument name 'class' is invalid",
        ),
        (
            lambda s: s["endpoints"][0]["query"].append({"wire": "timeout", "type": "int"}),
            "argument name 'timeout' is invalid or reserved",
        ),
        (lambda s: s["endpoints"][0].update(name="class"), "must be Python names"),
        (lambda s: s["endpoints"][1].update(resource="wid-gets"), "must be Python names"),
        (lambda s: s["endpoints"][0].update(name="_transport"), "without a leading _"),
        (lambda s: s["endpoints"][1].update(resource="_widgets"), "without a leading _"),
        # A string or a number where an array or a table belongs is not read as one.
        (
            lambda s: s["endpoints"][1].update(seen="app"),
            r"expected list @ endpoints\[1\] \(widgets.patch\).seen",
        ),
        (
            lambda s: s["models"]["Widget"]["fields"].append("wire"),
            r"expected a table @ spec.models\['Widget'\].fields\[5\]",
        ),
        (
            lambda s: s["endpoints"][1].update(path_params="widgetId"),
            r"expected a table @ endpoints\[1\] \(widgets.patch\).path_params",
        ),
        (lambda s: s.update(endpoints=[1]), r"expected Endpoint @ spec.endpoints\[0\]"),
        (lambda s: s.update(endpoints="x"), r"expected list @ spec.endpoints"),
    ],
)
def test_spec_validation(mutate: object, message: str) -> None:
    import copy as copy_module

    spec = copy_module.deepcopy(SYNTHETIC)
    mutate(spec)  # type: ignore[operator]
    with pytest.raises(SpecError, match=message):
        parse_spec(spec)


def test_spec_errors_name_the_file(tmp_path: Path) -> None:
    spec = tmp_path / "demo.toml"
    spec.write_text('[api]\nname = "demo"\ntitle = "Demo"\nclass_name = "D"\nhost = "x"\n')
    with pytest.raises(SpecError, match=r"demo.toml: .*extra fields found \(host\) @ spec.api"):
        _spec.load_spec(spec)


def test_a_spec_that_is_no_table_is_a_spec_error() -> None:
    with pytest.raises(SpecError, match="expected a table @ spec"):
        parse_spec([])  # type: ignore[arg-type]
