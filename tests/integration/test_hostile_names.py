"""An edition whose every displayed name, title and description is hostile.

Hostile: script tags, event handlers, MyST directives, roles, substitutions and targets. The build
must succeed and no page may hold a live injected element: the HTML is parsed (html.parser), not grepped.

The edition is params/default.yml with every name of the parameter file, every text of the content
folder and every scheme name and description of the plan file given a hostile tail that names its
field (so a failure says which text got through). The build takes a few minutes, so it runs only with
STRATEGY_BOOK_SLOW=1, like the other end-to-end builds.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from analysis.paths import ROOT

SLOW = os.environ.get("STRATEGY_BOOK_SLOW") == "1"
pytestmark = [pytest.mark.integration]

# The element a hostile text tries to create: a custom tag, so any such element in a page was injected.
EVIL_TAG = "sb-evil"


def hostile(tag: str) -> str:
    """A hostile tail for one field: HTML, event handlers, a javascript: link and MyST syntax, on several lines."""
    return (
        f' {tag} <script>alert("{tag}")</script><img src=x onerror="alert(1)"><{EVIL_TAG} '
        f"onmouseover=alert(2)>e</{EVIL_TAG}>"
        f" {{raw}}`<{EVIL_TAG}>r</{EVIL_TAG}>` {{{{ sub }}}} $x^2$ *em* _u_ | a | [link](javascript:alert(3)) &amp;\n"
        f"```{{raw}} html\n<{EVIL_TAG} id=\"{tag}-raw\">raw</{EVIL_TAG}><script>alert('{tag}-raw')</script>\n```\n\n"
        f":::{{note}}\nnote\n:::\n\n(target-{tag})=\n# heading\n- item\n"
    )


# Keys of the content and plan files whose text a page shows (ids, codes, statuses and the like are left alone).
SHOWN_KEYS = {
    "title", "summary", "key_messages", "aspiration", "plans", "governance", "text", "owner", "description",
    "explanation", "barriers", "enablers", "name", "short_name", "intention", "note", "role_note",
}


def spoil(node, key: str = "", path: str = ""):
    """A copy of a YAML tree with a hostile tail on every shown text (its path in the tail)."""
    if isinstance(node, dict):
        return {k: spoil(v, k, f"{path}.{k}" if path else str(k)) for k, v in node.items()}
    if isinstance(node, list):
        return [spoil(v, key, f"{path}[{i}]") for i, v in enumerate(node)]
    if isinstance(node, str) and key in SHOWN_KEYS:
        return node + hostile(path)
    return node


def write_hostile_edition(folder: Path) -> Path:
    """A parameter file (with its content folder and plan) whose every shown text is hostile."""
    params = yaml.safe_load((ROOT / "params" / "default.yml").read_text(encoding="utf-8"))
    content = folder / "content"
    content.mkdir(parents=True, exist_ok=True)
    for file in sorted((ROOT / params["content"]).glob("*.yml")):
        tree = yaml.safe_load(file.read_text(encoding="utf-8"))
        (content / file.name).write_text(
            yaml.safe_dump(spoil(tree, path=file.stem), sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
    plan = yaml.safe_load((ROOT / params["plan"]).read_text(encoding="utf-8"))
    (folder / "plan.yml").write_text(
        yaml.safe_dump(spoil(plan, path="plan"), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    edition = params["edition"]
    edition["id"] = "hostile-names-test"
    for key in ("title", "subtitle", "author", "description"):
        edition[key] = edition[key] + hostile(f"edition.{key}")
    economy = params["economy"]
    for group in ("commissioners", "providers", "local_authorities"):
        for i, org in enumerate(economy[group]):
            org["name"] = org["name"] + hostile(f"{group}[{i}]")
    for pid, pathway in params["pathways"].items():
        for i, kpi in enumerate(pathway["kpis"]):
            kpi["name"] = kpi["name"] + hostile(f"{pid}.kpi[{i}].name")
            kpi["unit"] = kpi["unit"] + hostile(f"{pid}.kpi[{i}].unit")
    params["content"] = str(content)
    params["plan"] = str(folder / "plan.yml")
    file = folder / "hostile.yml"
    file.write_text(yaml.safe_dump(params, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return file


# The script analysis.charts.render writes for each chart, around the chart's JSON spec.
CHART_SCRIPT = re.compile(
    re.escape("(function(){var el=document.currentScript.previousElementSibling;var spec=")
    + "(.*)"
    + re.escape(
        ";function draw(){window.vegaEmbed(el,spec,{actions:false,renderer:'svg'})"
        ".catch(function(e){el.textContent='This chart could not be drawn: '+e;});}"
        "if(window.vegaEmbed){draw();}else{window.addEventListener('load',draw);}})();"
    ),
    re.DOTALL,
)


def injected(page: str) -> list[str]:
    """What in one HTML page was made live by hostile text: scripts, event handlers, injected elements, links."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    found = []
    for script in soup.find_all("script"):
        src = script.get("src")
        if src and (":" in src or src.startswith("//")):  # the book's own scripts are local files
            found.append(f"script from {src}")
        code = script.string or ""
        chart = CHART_SCRIPT.fullmatch(code)
        if chart:  # the book's chart embed: inert unless its data is not plain JSON (a broken-out string)
            try:
                json.loads(chart.group(1))
            except ValueError:
                found.append("chart script whose data is not JSON")
        elif "alert(" in code:
            found.append(f"script running hostile code: {code[:120]!r}")
    for element in soup.find_all(True):
        handlers = [a for a in element.attrs if a.lower().startswith("on")]
        if handlers:
            found.append(f"<{element.name}> with {', '.join(handlers)}")
        if element.name == EVIL_TAG:
            found.append(f"injected <{EVIL_TAG}> element")
        if element.name == "img" and element.get("src") == "x":
            found.append("injected <img src=x>")
        if element.name == "a" and str(element.get("href", "")).strip().lower().startswith("javascript:"):
            found.append(f"javascript: link {element.get('href')!r}")
        if element.name in ("math", "mjx-container") or "math" in (element.get("class") or []):
            found.append("maths rendered from $...$ in hostile text")
    return found


def visible_text(page: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page, "html.parser")
    for script in soup.find_all(["script", "style"]):
        script.decompose()
    # Sphinx curls straight quotes in prose (smartquotes); the text is otherwise the hostile text itself.
    text = soup.get_text(" ").translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"}))
    return " ".join(text.split())


@pytest.mark.skipif(not SLOW, reason="builds a whole edition (a few minutes); set STRATEGY_BOOK_SLOW=1")
def test_a_hostile_edition_builds_with_nothing_injected(tmp_path):
    params = write_hostile_edition(tmp_path)
    out = ROOT / "_build" / "hostile-names-test"
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, "-m", "analysis", "build", "--params", str(params), "--workers", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, env={**os.environ, "STRATEGY_BOOK_PNG": "0"},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    pages = [p for p in sorted((out / "html").rglob("*.html")) if "_static" not in p.parts]  # the theme's own templates
    assert len(pages) >= 18
    problems = {str(p.relative_to(out)): injected(p.read_text(encoding="utf-8")) for p in pages}
    assert {p: found for p, found in problems.items() if found} == {}
    text = {str(p.relative_to(out)): visible_text(p.read_text(encoding="utf-8")) for p in pages}
    everything = " ".join(text.values())
    # The hostile text is shown as text: the script tag, the handler and the MyST directive, word for word.
    for field in ("edition.title", "edition.subtitle", "commissioners[0]", "providers[0]", "urgent_care.kpi[0].name"):
        assert f'{field} <script>alert("{field}")</script>' in everything, field
    assert "```{raw} html" in everything and f"<{EVIL_TAG} onmouseover=alert(2)>" in everything
    intro = next(t for p, t in text.items() if p.endswith("introduction.html"))
    assert 'edition.subtitle <script>alert("edition.subtitle")</script>' in intro
    # Every pathway's key messages and plans are there, as text.
    maternity = next(t for p, t in text.items() if p.endswith("pathways/maternity.html"))
    assert "pathways.pathways.maternity.key_messages[0] <script>" in maternity
    assert "pathways.pathways.maternity.title <script>" in maternity
