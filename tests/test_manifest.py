"""The manifest is a typed model: a damaged one is refused with positioned errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefs.errors import BriefError
from briefs.pipeline import manifest
from briefs.pipeline.publish import merge

SHA = "0" * 64
OUTPUT = {
    "path": "b/government.ko.html", "brief": "b", "audience": "government", "lang": "ko",
    "format": "html", "sha256": SHA, "bytes": 10, "pages": None, "inputs": SHA,
}  # fmt: skip


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / manifest.NAME).write_text(text, "utf-8")
    return folder


def _errors(folder: Path) -> list[str]:
    with pytest.raises(BriefError) as info:
        manifest.load(folder)
    return [str(d) for d in info.value.diagnostics]


def test_a_written_manifest_reads_back_equal(tmp_path: Path) -> None:
    written = manifest.Manifest(generator="briefs x", outputs=[manifest.OutputEntry(**OUTPUT)])
    assert manifest.write(tmp_path, written) is True
    assert manifest.write(tmp_path, written) is False  # unchanged: not rewritten
    assert manifest.load(tmp_path) == written
    assert json.loads((tmp_path / manifest.NAME).read_text("utf-8"))["outputs"][0] == OUTPUT


def test_no_manifest_is_an_empty_one_unless_required(tmp_path: Path) -> None:
    assert manifest.load(tmp_path) == manifest.Manifest()
    with pytest.raises(BriefError, match=r"no manifest\.json"):
        manifest.load(tmp_path, required=True)


def test_broken_json_is_positioned(tmp_path: Path) -> None:
    folder = _write(tmp_path / "site", '{"outputs": [\n  {"path": "a"\n')
    (error,) = _errors(folder)
    assert error.startswith(f"{folder / manifest.NAME}:3:1: not JSON: ")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("path", "../../etc/passwd", "outputs[0].path: must be a relative path inside the site"),
        ("path", "/etc/passwd", "outputs[0].path: must be a relative path inside the site"),
        ("path", "b/.hidden", "outputs[0].path: must be a relative path inside the site"),
        ("sha256", "zz", "outputs[0].sha256: must be a sha256"),
        ("bytes", -1, "outputs[0].bytes:"),
        ("format", "exe", "outputs[0].format:"),
    ],
)
def test_bad_entries_are_positioned_at_their_value(
    tmp_path: Path, field: str, value: object, message: str
) -> None:
    entry = {**OUTPUT, field: value}
    text = json.dumps({"outputs": [entry]}, indent=2)
    folder = _write(tmp_path / "site", text)
    line = next(i + 1 for i, ln in enumerate(text.splitlines()) if f'"{field}":' in ln)
    (error,) = _errors(folder)
    assert error.startswith(f"{folder / manifest.NAME}:{line}:"), error
    assert message in error


def test_a_bad_shard_manifest_stops_the_merge_before_writing(tmp_path: Path) -> None:
    shard = _write(tmp_path / "shard-1", json.dumps({"outputs": [{**OUTPUT, "path": "../x"}]}))
    with pytest.raises(BriefError) as info:
        merge([shard], tmp_path / "public")
    assert "outputs[0].path" in str(info.value.diagnostics[0])
    assert not (tmp_path / "public" / manifest.NAME).exists()


def _brief(source: str) -> dict[str, object]:
    return {
        "id": "b", "date": "2025-01-27", "title": {"ko": "t"}, "summary": {"ko": "s"},
        "organisation": {"ko": "o"}, "languages": ["ko"], "audiences": ["public"],
        "editions": {"public": {"ko": "e"}}, "source": source, "inputs": "0" * 64,
    }  # fmt: skip


def test_a_brief_source_is_relative_to_the_inputs_folder() -> None:
    # An earlier manifest's absolute build path is read as the file's name …
    for old in ("/home/ci/build/inputs/b.yaml", "C:\\build\\inputs\\b.yaml"):
        entry = manifest.BriefEntry.model_validate(_brief(old))
        assert entry.source == "b.yaml"
    # … and a path leading out of the inputs folder is refused.
    with pytest.raises(ValueError, match="must be a relative path in the inputs folder"):
        manifest.BriefEntry.model_validate(_brief("../secret.yaml"))


@pytest.mark.parametrize("where", ["top", "entry"])
def test_a_key_given_twice_is_refused_at_its_second_place(tmp_path: Path, where: str) -> None:
    """JSON parsers keep a repeated key's last value without a word: a manifest with one
    (hand-edited, or two merged badly) is refused where the key repeats, as YAML is."""
    entry = json.dumps(OUTPUT, indent=2).splitlines()
    if where == "entry":  # the same output given two sha256 values
        entry.insert(-1, f'  , "sha256": "{"1" * 64}"')
        text = '{\n"outputs": [\n' + "\n".join(entry) + "\n]\n}\n"
    else:
        text = '{\n"generator": "a",\n"outputs": [],\n"generator": "b"\n}\n'
    folder = _write(tmp_path / "site", text)
    line = max(i + 1 for i, ln in enumerate(text.splitlines()) if '"generator"' in ln or '"1111' in ln)
    (error,) = _errors(folder)
    assert error.startswith(f"{folder / manifest.NAME}:{line}:"), error
    assert "duplicate key" in error
