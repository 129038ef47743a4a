"""Reading the analyst's files: repeated YAML keys, non-UTF-8 bytes, folders and non-finite numbers are named."""

import pytest

from analysis.inputs import InputError, key_path, non_finite, read_text, read_yaml

pytestmark = pytest.mark.unit


def test_a_key_given_twice_is_an_error_naming_both_lines(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("a: 1\nb:\n  c: 2\n  c: 3\n")
    with pytest.raises(InputError, match=r"p\.yml, line 4: not valid YAML: key 'c' is given twice \(first on line 3\)"):
        read_yaml(path, "a parameter file")


def test_the_same_key_in_two_mappings_is_fine(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("a: {x: 1}\nb: {x: 2}\nlist:\n  - {id: 1}\n  - {id: 2}\n")
    assert read_yaml(path, "a parameter file") == {"a": {"x": 1}, "b": {"x": 2}, "list": [{"id": 1}, {"id": 2}]}


def test_merge_keys_still_work(tmp_path):
    path = tmp_path / "p.yml"
    path.write_text("base: &b {x: 1, y: 2}\nmore:\n  <<: *b\n  y: 3\n")
    assert read_yaml(path, "a parameter file")["more"] == {"x": 1, "y": 3}


def test_non_utf8_names_the_line(tmp_path):
    path = tmp_path / "p.yml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(InputError, match=r"p\.yml, line 2: byte b'\\xe9' is not UTF-8"):
        read_text(path, "a parameter file")


def test_a_folder_or_a_missing_file_is_named(tmp_path):
    with pytest.raises(InputError, match="is a folder; expected a plan file, a file"):
        read_yaml(tmp_path, "a plan file")
    with pytest.raises(InputError, match=r"nothing\.yml: no such file \(expected a plan file\)"):
        read_yaml(tmp_path / "nothing.yml", "a plan file")


def test_non_finite_numbers_are_found_with_their_key_path():
    assert non_finite({"a": [1.0, {"b": float("inf")}]}) == (("a", 1, "b"), float("inf"))
    assert non_finite({"a": [1.0, 2], "b": "inf"}) is None
    assert key_path(("economy", "commissioners", 0, "code")) == "economy.commissioners[0].code"
