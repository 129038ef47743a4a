"""Provenance: file hashes, the build date, the code version from git, the footer and the run-information page."""

import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from analysis.build import provenance
from analysis.config import load as load_params

GIT = shutil.which("git")
needs_git = pytest.mark.skipif(GIT is None, reason="git is not installed")
# The SHA-256 of the three bytes "abc" (FIPS 180-2, appendix B.1).
ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def git(repo: Path, *args: str) -> str:
    command = ["git", "-C", str(repo), "-c", "user.name=Test", "-c", "user.email=test@example.org", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    git(root, "init", "-q")
    (root / "analysis.py").write_text("x = 1\n")
    git(root, "add", "analysis.py")
    git(root, "commit", "-q", "-m", "first")
    return root


@pytest.fixture
def params():
    return load_params("params/default.yml")


def fake_stamp(**overrides) -> dict:
    base = {
        "edition": "default",
        "title": "Birmingham East and North and Solihull",
        "synthetic": True,
        "params_file": "params/default.yml",
        "params_sha256": "0123456789abcdef" * 4,
        "inputs": {"data/default/plan.yml": "f" * 64, "data/content/economy.yml": "e" * 64},
        "code_version": "abc1234",
        "version": "0.2.0",
        "build_date": "2008-04-01",
        "packages": {"python": "3.11.2", "pandas": "3.1.0"},
    }
    return {**base, **overrides}


@pytest.mark.unit
def test_file_hash_is_the_standard_sha256_and_stable(tmp_path):
    f = tmp_path / "input.csv"
    f.write_bytes(b"abc")
    assert provenance.file_sha256(f) == ABC_SHA256
    assert provenance.file_sha256(f) == provenance.file_sha256(f)
    f.write_bytes(b"abd")
    assert provenance.file_sha256(f) != ABC_SHA256


@pytest.mark.unit
def test_stamp_hashes_the_parameter_file_and_keeps_the_input_hashes(tmp_path, params):
    params_file = tmp_path / "edition.yml"
    params_file.write_bytes(b"abc")
    catalog = SimpleNamespace(params=params, inputs={"b.yml": "2" * 64, "a.yml": "1" * 64})
    first = provenance.stamp(catalog, params_file, root=tmp_path, environ={"SOURCE_DATE_EPOCH": "0"})
    second = provenance.stamp(catalog, params_file, root=tmp_path, environ={"SOURCE_DATE_EPOCH": "0"})
    assert first == second
    assert first["params_sha256"] == ABC_SHA256
    assert first["inputs"] == {"a.yml": "1" * 64, "b.yml": "2" * 64}
    assert list(first["inputs"]) == ["a.yml", "b.yml"]
    assert first["edition"] == "default" and first["synthetic"] is True
    assert first["build_date"] == "1970-01-01"
    assert first["code_version"] == "unknown"  # tmp_path is no git checkout


@pytest.mark.unit
@pytest.mark.parametrize(
    ("epoch", "date"),
    [
        ("0", "1970-01-01"),
        ("86399", "1970-01-01"),
        ("86400", "1970-01-02"),
        ("1700000000", "2023-11-14"),
        (" 1207008000 ", "2008-04-01"),
    ],
)
def test_build_date_comes_from_source_date_epoch_in_utc(epoch, date):
    assert provenance.build_date({"SOURCE_DATE_EPOCH": epoch}) == date


@pytest.mark.unit
def test_build_date_is_today_in_utc_without_source_date_epoch():
    before = datetime.now(timezone.utc).date().isoformat()
    got = provenance.build_date({})
    after = datetime.now(timezone.utc).date().isoformat()
    assert got in {before, after}
    assert provenance.build_date({"SOURCE_DATE_EPOCH": ""}) in {before, after}


@pytest.mark.unit
def test_a_malformed_source_date_epoch_is_named():
    with pytest.raises(ValueError, match=r"SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds"):
        provenance.build_date({"SOURCE_DATE_EPOCH": "yesterday"})


@pytest.mark.unit
@needs_git
def test_a_clean_checkout_gives_the_short_commit_hash(repo):
    full = git(repo, "rev-parse", "HEAD")
    version = provenance.code_version(repo)
    assert 7 <= len(version) < 40 and full.startswith(version)


@pytest.mark.unit
@needs_git
def test_a_changed_tracked_file_marks_the_version_modified(repo):
    full = git(repo, "rev-parse", "HEAD")
    (repo / "analysis.py").write_text("x = 2\n")
    version = provenance.code_version(repo)
    assert version.endswith("+modified") and full.startswith(version.removesuffix("+modified"))


@pytest.mark.unit
@needs_git
def test_a_new_untracked_file_marks_the_version_modified_but_an_ignored_one_does_not(repo):
    (repo / ".gitignore").write_text("_build/\n")
    git(repo, "add", ".gitignore")
    git(repo, "commit", "-q", "-m", "ignore builds")
    (repo / "_build").mkdir()
    (repo / "_build" / "book.pdf").write_bytes(b"%PDF")
    assert not provenance.code_version(repo).endswith("+modified")
    (repo / "new_module.py").write_text("y = 1\n")
    assert provenance.code_version(repo).endswith("+modified")


@pytest.mark.unit
@needs_git
def test_the_version_is_unknown_outside_a_checkout_or_inside_someone_elses(tmp_path, repo):
    plain = tmp_path / "unpacked"
    plain.mkdir()
    assert provenance.code_version(plain) == "unknown"
    nested = repo / "vendor" / "project"
    nested.mkdir(parents=True)
    assert provenance.code_version(nested) == "unknown"


@pytest.mark.unit
@needs_git
def test_a_repository_without_commits_is_unknown(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    assert provenance.code_version(empty) == "unknown"


@pytest.mark.unit
def test_the_version_is_unknown_without_git_at_all(repo, monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert provenance.code_version(repo) == "unknown"


@pytest.mark.unit
def test_footer_names_edition_parameters_code_and_date_and_escapes_html():
    footer = provenance.footer_html(fake_stamp(title="A & B <Trust>"))
    assert footer.startswith('<p class="sb-provenance">') and footer.endswith("</p>")
    assert "A &amp; B &lt;Trust&gt;" in footer and "<Trust>" not in footer
    assert "[default]" in footer and "(synthetic data)" in footer
    assert "<code>params/default.yml</code> sha256 <code>0123456789ab</code>" in footer
    assert "code <code>abc1234</code>" in footer
    assert "built 2008-04-01 (UTC)" in footer
    assert "synthetic" not in provenance.footer_html(fake_stamp(synthetic=False))


@pytest.mark.unit
def test_templates_folder_is_added_without_touching_the_input():
    config = {"html": {"extra_footer": ""}, "sphinx": {"config": {"html_theme_options": {"show_navbar_depth": 1}}}}
    out = provenance.with_templates(config)
    assert out["sphinx"]["config"]["templates_path"] == ["_templates"]
    assert out["sphinx"]["config"]["html_theme_options"] == {"show_navbar_depth": 1}
    assert "templates_path" not in config["sphinx"]["config"]
    assert provenance.with_templates({}) == {"sphinx": {"config": {"templates_path": ["_templates"]}}}


@pytest.mark.unit
def test_run_information_tables(params):
    build, inputs, packages = provenance.run_information(fake_stamp(), params)
    assert list(build.columns) == ["Item", "Value"]
    values = dict(zip(build["Item"], build["Value"], strict=True))
    assert values["Code version (git)"] == "abc1234"
    assert values["Book version"] == "0.2.0"
    assert values["Build date (UTC)"] == "2008-04-01"
    assert values["Parameter file SHA-256"] == "0123456789abcdef" * 4
    assert "seed 20080401" in values["Data"]
    assert inputs["File"].tolist() == ["params/default.yml", "data/content/economy.yml", "data/default/plan.yml"]
    assert inputs["SHA-256"].tolist() == ["0123456789abcdef" * 4, "e" * 64, "f" * 64]
    assert packages["Package"].tolist() == ["pandas", "python"]


@pytest.mark.unit
def test_markdown_cells_escape_pipes():
    import pandas as pd

    table = provenance.markdown_table(pd.DataFrame({"A": ["x|y"], "B": ["z`<b>"]}), code=("B",))
    assert table.splitlines() == ["| A | B |", "|---|---|", "| x&#124;y | <code>z&#96;&#60;b&#62;</code> |"]


@pytest.mark.unit
def test_the_run_information_page_is_written_into_the_staging_folder(tmp_path, params):
    page = provenance.write_run_information_page(tmp_path, fake_stamp(code_version="abc1234+modified"), params)
    assert page == "appendix/run-information"
    text = (tmp_path / "book" / "appendix" / "run-information.md").read_text(encoding="utf-8")
    assert text.startswith("# Run information\n")
    assert "| <code>data/default/plan.yml</code> | <code>" + "f" * 64 + "</code> |" in text
    assert "| Build date (UTC) | 2008-04-01 |" in text
    assert "`+modified`" in text
    block = text.split("````yaml\n", 1)[1].split("\n````", 1)[0]  # four backticks: a ``` in a value cannot end it
    assert yaml.safe_load(block) == params.model_dump(mode="json")


@pytest.mark.unit
def test_the_page_goes_last_in_the_appendices_once():
    toc = {"root": "book/chapters/introduction", "parts": [
        {"caption": "Overview", "chapters": [{"file": "book/chapters/economy"}]},
        {"caption": "Appendices", "chapters": [{"file": "book/appendix/methods"}]},
    ]}
    out = provenance.with_page(toc, "book/appendix/run-information")
    assert out["parts"][1]["chapters"] == [{"file": "book/appendix/methods"}, {"file": "book/appendix/run-information"}]
    assert toc["parts"][1]["chapters"] == [{"file": "book/appendix/methods"}]
    assert provenance.with_page(out, "book/appendix/run-information") == out
    bare = provenance.with_page({"root": "a", "parts": [toc["parts"][0]]}, "book/appendix/run-information")
    assert bare["parts"][-1] == {"caption": "Appendices", "chapters": [{"file": "book/appendix/run-information"}]}


@pytest.mark.unit
def test_stage_stamps_config_page_and_toc(tmp_path, params, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1207008000")
    (tmp_path / "_config.yml").write_text(yaml.safe_dump({"title": "t", "html": {"extra_footer": ""}}))
    (tmp_path / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "book/chapters/introduction"}))
    catalog = SimpleNamespace(params=params, inputs={"data/default/plan.yml": "f" * 64})
    page = provenance.stage(tmp_path, catalog, "params/default.yml")
    assert page == "appendix/run-information"
    config = yaml.safe_load((tmp_path / "_config.yml").read_text())
    assert config["sphinx"]["config"]["templates_path"] == ["_templates"]
    assert "2008" not in (tmp_path / "_config.yml").read_text()  # the config stays the same build to build
    assert "built 2008-04-01 (UTC)" in (tmp_path / provenance.FOOTER_TEMPLATE).read_text()
    toc = yaml.safe_load((tmp_path / "_toc.yml").read_text())
    assert toc["parts"] == [{"caption": "Appendices", "chapters": [{"file": "book/appendix/run-information"}]}]
    assert (tmp_path / "book" / "appendix" / "run-information.md").exists()


@pytest.mark.unit
def test_book_version_is_the_one_in_pyproject():
    import tomllib

    declared = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert declared["name"] == provenance.DISTRIBUTION
    # The editable install records pyproject's version; a stale install (version bumped, not reinstalled) fails here.
    assert provenance.book_version() == declared["version"]
    assert provenance.book_version("no-such-distribution-of-this-name") == "not installed"


@pytest.mark.unit
def test_run_information_page_shows_the_book_version(params):
    page = provenance.run_information_markdown(fake_stamp(version="9.8.7"), params)
    assert "| Book version | 9.8.7 |" in page
