"""Pictures: the offline HTML in a real headless Chromium (renders, highlights the path,
makes no network request), SVG holding every label, PNG a real image, DOT."""

from __future__ import annotations

import os
import shutil
import struct
from xml.etree import ElementTree

import pytest

from conftest import ROOT, assert_clean_error, run_cli

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def career_files(tmp_path_factory):
    out = tmp_path_factory.mktemp("viz")
    for ext in ("html", "svg", "png", "dot"):
        run = run_cli("viz", "--view", "career", "--from", "generalist-ml-engineer", "--to",
                      "frontier-lab-rlhf-engineer", "--output", str(out / f"career.{ext}"))
        assert run.code == 0, run.err
    return out


def test_html_is_self_contained(career_files):
    page = (career_files / "career.html").read_text()
    assert "<script src" not in page and "<link" not in page
    for scheme in ("http://", "https://"):
        body = page.replace("http://www.w3.org/2000/svg", "")
        assert not any(f'"{scheme}' in line and "w3id.org" not in line for line in body.splitlines()
                       if "src=" in line or "href=" in line)
    assert "Content-Security-Policy" in page


def test_svg_holds_every_label(kg, career_files):
    from rlhf_kg.viz import picture

    pic = picture(kg, "career", "generalist-ml-engineer", "frontier-lab-rlhf-engineer")
    tree = ElementTree.parse(career_files / "career.svg")
    text = " ".join("".join(t.itertext()) for t in tree.iter("{http://www.w3.org/2000/svg}text"))
    for node in pic.nodes:
        for line in node["lines"]:
            assert line in text, line


def test_png_is_a_real_image(career_files):
    data = (career_files / "career.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width > 600 and height > 400 and len(data) > 20_000


def test_dot_highlights_the_path(career_files):
    dot = (career_files / "career.dot").read_text()
    assert dot.startswith("digraph career")
    assert dot.count('color="#d62728"') == 2


def test_methods_and_field_views(tmp_path, kg):
    from rlhf_kg.viz import picture

    methods = picture(kg, "methods")
    years = {n["id"]: n["x"] for n in methods.nodes}
    assert years["instructgpt"] < years["dpo"] < years["kto"]
    assert any(e["relation"] == "extends" for e in methods.edges)
    field = picture(kg, "field")
    assert len(field.nodes) == kg.to_networkx("field").number_of_nodes()
    for view in ("methods", "field"):
        for ext in ("svg", "html"):
            run = run_cli("viz", "--view", view, "--output", str(tmp_path / f"{view}.{ext}"))
            assert run.code == 0, run.err


def test_viz_bad_input(tmp_path):
    assert_clean_error(run_cli("viz", "--output", str(tmp_path / "x.gif")), "cannot draw to 'x.gif'")
    assert_clean_error(run_cli("viz", "--view", "methods", "--from", "rlhf-engineer", "--output",
                               str(tmp_path / "x.svg")), "belong to the career view")
    assert_clean_error(run_cli("viz", "--from", "nobody", "--to", "rlhf-engineer", "--output", str(tmp_path / "x.svg")),
                       "no Role matches 'nobody'")
    assert_clean_error(run_cli("viz", "--output", str(tmp_path / "missing" / "x.svg")), "does not exist")


@pytest.mark.browser
def test_html_in_headless_chromium(career_files):
    if not CHROMIUM and not os.environ.get("RLHF_KG_SKIP_BROWSER"):
        pytest.fail("Chromium is not installed (apt-get install chromium; .ci/run does this)")
    if not CHROMIUM:
        pytest.skip("RLHF_KG_SKIP_BROWSER set and no Chromium")
    from playwright.sync_api import sync_playwright

    page_file = career_files / "career.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(page_file.as_uri())
        page.wait_for_selector("g.node")
        assert page.locator("g.node").count() == 11
        assert page.locator("g.edge.on-path").count() == 2
        assert page.locator("g.node.on-path").count() == 3
        assert page.locator("#legend-items li").count() >= 3
        page.hover('g.node[data-id="frontier-lab-rlhf-engineer"]')
        tooltip = page.locator("#tooltip")
        assert tooltip.is_visible() and "$500,000 - $1,500,000+" in tooltip.inner_text()
        page.fill("#search", "unicorn")
        assert page.locator("g.node.match").count() == 1
        page.fill("#search", "")
        box_before = page.locator('g.node[data-id="llm-application-engineer"]').bounding_box()
        page.mouse.wheel(0, -400)
        box_after = page.locator('g.node[data-id="llm-application-engineer"]').bounding_box()
        assert box_after["width"] > box_before["width"]  # zoomed in
        build = ROOT / "build"
        build.mkdir(exist_ok=True)
        page.click("#fit")
        page.screenshot(path=str(build / "career-path-screenshot.png"))
        browser.close()
    assert errors == []
    assert requests == [page_file.as_uri()], requests
