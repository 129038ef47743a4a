"""Chapter keys: a chapter runs again exactly when something it reads changed; the HTML source keeps unchanged files."""

import os

import pytest
import yaml

from analysis import catalog
from analysis.build import cache, runner
from analysis.build.chapters import chapters
from analysis.config import load
from analysis.paths import ROOT

DEFAULT = "params/default.yml"


@pytest.fixture(scope="module")
def base():
    params = load(DEFAULT)
    return params, chapters(params, DEFAULT, {}), params.model_dump(mode="json")


def keys(chapter_list, dump, inputs=None, code="code-1"):
    return {c.name: cache.chapter_key(c, dump, inputs or {"data/x.csv": "aaa"}, code) for c in chapter_list}


def edited(tmp_path, change) -> dict:
    """The validated parameters of a copy of the default file after `change(raw_yaml_dict)`."""
    raw = yaml.safe_load((ROOT / DEFAULT).read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / "edited.yml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return load(str(path)).model_dump(mode="json")


@pytest.mark.unit
def test_same_parameters_written_differently_keep_every_key(tmp_path, base):
    _, chapter_list, dump = base
    text = (ROOT / DEFAULT).read_text(encoding="utf-8")
    path = tmp_path / "reformatted.yml"
    path.write_text("# a comment that changes the file's bytes\n" + text + "\n\n", encoding="utf-8")
    assert keys(chapter_list, load(str(path)).model_dump(mode="json")) == keys(chapter_list, dump)


@pytest.mark.unit
def test_build_settings_change_no_key(tmp_path, base):
    _, chapter_list, dump = base
    assert keys(chapter_list, edited(tmp_path, lambda r: r["build"].update(workers=7))) == keys(chapter_list, dump)


@pytest.mark.unit
def test_one_pathway_target_reruns_that_pathway_and_the_chapters_reading_every_pathway(tmp_path, base):
    _, chapter_list, dump = base

    def change(raw):
        raw["pathways"]["planned_care"]["kpis"][-1]["target"] = 0.92

    before, after = keys(chapter_list, dump), keys(chapter_list, edited(tmp_path, change))
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"pathway-planned_care"} | cache.READS_EVERY_PATHWAY


@pytest.mark.unit
def test_edition_wide_parameters_code_and_data_change_every_key(tmp_path, base):
    _, chapter_list, dump = base
    before = keys(chapter_list, dump)
    period = keys(
        chapter_list, edited(tmp_path, lambda r: r["period"].update(horizon_year=r["period"]["horizon_year"] + 1))
    )
    assert all(before[n] != period[n] for n in before)
    assert all(before[n] != v for n, v in keys(chapter_list, dump, code="code-2").items())
    # Same path, new content: the input's fingerprint changed, so the key does.
    assert all(before[n] != v for n, v in keys(chapter_list, dump, inputs={"data/x.csv": "bbb"}).items())


@pytest.mark.unit
def test_a_data_file_rewritten_in_place_changes_the_catalog_fingerprint(tmp_path):
    plan = tmp_path / "plan.yml"
    plan.write_bytes((ROOT / "data/default/plan.yml").read_bytes())
    raw = yaml.safe_load((ROOT / DEFAULT).read_text(encoding="utf-8"))
    raw["plan"] = str(plan)
    params_file = tmp_path / "edition.yml"
    params_file.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    catalog.load.cache_clear()
    first = catalog.load(str(params_file)).inputs[str(plan)]
    plan.write_text(plan.read_text(encoding="utf-8") + "\n# edited in place\n", encoding="utf-8")
    catalog.load.cache_clear()  # the next build is a new process
    assert catalog.load(str(params_file)).inputs[str(plan)] != first


@pytest.mark.unit
def test_code_fingerprint_follows_file_content(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "ROOT", tmp_path)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("x = 1")
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.pyc").write_bytes(b"\0")
    first = cache.code_fingerprint((tmp_path / "pkg",), ())
    (tmp_path / "pkg" / "__pycache__" / "a.pyc").write_bytes(b"\1")
    assert cache.code_fingerprint((tmp_path / "pkg",), ()) == first
    (tmp_path / "pkg" / "a.py").write_text("x = 2")
    assert cache.code_fingerprint((tmp_path / "pkg",), ()) != first


@pytest.mark.unit
def test_a_recorded_chapter_is_reused_only_while_its_notebook_is_unchanged(tmp_path, base):
    _, chapter_list, _ = base
    chapter = chapter_list[0]
    published = tmp_path / "summary.ipynb"
    published.write_text("executed")
    store = cache.ChapterCache(tmp_path / ".cache", "default")
    store.save({chapter.name: {"key": "k1", "sha256": cache.file_sha256(published)}})
    again = cache.ChapterCache(tmp_path / ".cache", "default")
    assert again.reusable(chapter, "k1", published)
    assert not again.reusable(chapter, "k2", published)
    published.write_text("checked out from another branch")
    assert not again.reusable(chapter, "k1", published)
    assert not again.reusable(chapter, "k1", tmp_path / "missing.ipynb")


@pytest.mark.unit
def test_sync_copies_changed_files_only_and_removes_dropped_ones(tmp_path):
    staging, source = tmp_path / "staging", tmp_path / "source"
    for rel, text in {"book/a.ipynb": "a", "book/b.ipynb": "b", "_toc.yml": "toc"}.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(text)
    assert len(runner.sync_tree(staging, source)) == 3
    os.utime(source / "book/a.ipynb", (1_000_000, 1_000_000))
    (staging / "book/b.ipynb").write_text("b2")
    (staging / "_toc.yml").unlink()
    changed = runner.sync_tree(staging, source)
    assert sorted(p.relative_to(source).as_posix() for p in changed) == ["_toc.yml", "book/b.ipynb"]
    assert (source / "book/a.ipynb").stat().st_mtime == 1_000_000  # untouched, so Sphinx skips it
    assert (source / "book/b.ipynb").read_text() == "b2" and not (source / "_toc.yml").exists()
