"""The web page in headless Chromium: answer a named question without writing SPARQL, run
SPARQL, see a CONSTRUCT answer as a graph, open a thing's page; no request leaves the server."""

from __future__ import annotations

import os

import pytest

from server_fixture import running_server
from test_viz import BROWSER_FLAGS, CHROMIUM


@pytest.mark.browser
def test_page_in_headless_chromium():
    if not CHROMIUM:
        if os.environ.get("RLHF_KG_SKIP_BROWSER"):
            pytest.skip("RLHF_KG_SKIP_BROWSER set and no Chromium")
        pytest.fail("Chromium is not installed (apt-get install chromium; .ci/run does this)")
    from playwright.sync_api import sync_playwright

    with running_server("--workers", "2") as (base, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(base + "/")
        page.wait_for_function("document.querySelectorAll('#question option').length >= 20")
        # a named question, answered through its form
        page.select_option("#question", "labs-by-city")
        page.select_option("#param-city", "paris")
        page.click("#run-question")
        page.wait_for_selector("table.results tbody tr")
        cells = page.locator("table.results tbody").inner_text()
        assert "Mistral" in cells and "Hugging Face" in cells and "London" not in cells
        assert page.locator('table.results a[href="/id/mistral"]').count() == 1
        assert page.locator("#question-downloads a").count() == 4
        # SPARQL with the prefixes filled in
        page.click("button[data-tab=sparql]")
        assert "PREFIX rlhf:" in page.input_value("#editor")
        page.fill("#editor", "CONSTRUCT { ?m rlhf:variantOf ?x } WHERE { ?m rlhf:variantOf ?x }")
        page.click("#run-sparql")
        page.wait_for_selector("#graph .gnode")
        assert page.locator("#graph .gnode").count() == 3  # KTO, IPO, DPO
        links = page.locator("#sparql-downloads a")
        assert [links.nth(i).inner_text() for i in range(links.count())] == ["TTL", "NT", "JSONLD", "RDF"]
        download = page.request.get(base + links.nth(0).get_attribute("href"))
        assert download.ok and "variantOf" in download.text()
        # an error is shown, not thrown
        page.fill("#editor", "SELECT ?x WHERE { ?x ?y }")
        page.click("#run-sparql")
        page.wait_for_selector(".error")
        assert "Error 400" in page.locator(".error").inner_text()
        # a thing's page with its neighbourhood
        page.goto(base + "/id/dpo")
        page.wait_for_selector("#graph .gnode")
        assert page.locator("#graph .gnode").count() > 5
        browser.close()
    assert errors == []
    assert all(url.startswith(base) for url in requests), [u for u in requests if not u.startswith(base)]
