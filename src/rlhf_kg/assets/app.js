/* rlhf-kg web page: named questions as forms, a SPARQL editor, results as tables with
   links to things, graph answers and neighbourhoods as small graphs. No libraries, and
   every request goes to the server that served the page. */
(function () {
  "use strict";
  const NS = "http://www.w3.org/2000/svg";
  const THING = "https://w3id.org/rlhf-kg/id/";
  const PREFIXES = {
    "https://w3id.org/rlhf-kg/id/": "kg:", "https://w3id.org/rlhf-kg/ontology#": "rlhf:",
    "http://www.w3.org/2004/02/skos/core#": "skos:", "https://schema.org/": "schema:",
    "http://www.w3.org/ns/prov#": "prov:", "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:", "http://www.w3.org/2001/XMLSchema#": "xsd:",
  };

  function short(iri) {
    for (const [ns, p] of Object.entries(PREFIXES)) if (iri.startsWith(ns)) return p + iri.slice(ns.length);
    return iri;
  }
  function el(tag, attrs, parent, ns) {
    const e = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  // -- small graph drawing (answers to CONSTRUCT, neighbourhoods) --
  function drawGraph(svg, nodes, edges, centre) {
    svg.innerHTML = "";
    svg.style.display = "block";
    const width = svg.clientWidth || 900, height = svg.clientHeight || 420;
    const list = Array.from(nodes.values());
    list.forEach((n, i) => {
      const angle = (2 * Math.PI * i) / Math.max(list.length, 1);
      n.x = width / 2 + Math.cos(angle) * width * 0.35;
      n.y = height / 2 + Math.sin(angle) * height * 0.35;
      if (n.id === centre) { n.x = width / 2; n.y = height / 2; }
    });
    for (let step = 0; step < 200; step++) {  // a few hundred steps of a plain force layout
      for (const a of list) {
        a.dx = 0; a.dy = 0;
        for (const b of list) {
          if (a === b) continue;
          const dx = a.x - b.x, dy = a.y - b.y, d2 = Math.max(dx * dx + dy * dy, 25);
          a.dx += dx / d2 * 1800; a.dy += dy / d2 * 1800;
        }
        a.dx += (width / 2 - a.x) * 0.01;  // a little gravity keeps components on screen
        a.dy += (height / 2 - a.y) * 0.01;
      }
      for (const e of edges) {
        const a = nodes.get(e.from), b = nodes.get(e.to);
        const dx = b.x - a.x, dy = b.y - a.y, d = Math.hypot(dx, dy) || 1, f = (d - 110) * 0.02;
        a.dx += dx / d * f * 10; a.dy += dy / d * f * 10; b.dx -= dx / d * f * 10; b.dy -= dy / d * f * 10;
      }
      for (const n of list) {
        if (n.id === centre) continue;
        n.x = Math.min(Math.max(n.x + Math.max(Math.min(n.dx, 8), -8), 40), width - 40);
        n.y = Math.min(Math.max(n.y + Math.max(Math.min(n.dy, 8), -8), 20), height - 20);
      }
    }
    for (const e of edges) {
      const a = nodes.get(e.from), b = nodes.get(e.to);
      el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y }, svg, NS);
      const t = el("text", { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 3, class: "elabel", "text-anchor": "middle" }, svg, NS);
      t.textContent = e.label;
    }
    for (const n of list) {
      const link = n.id && n.iri && n.iri.startsWith(THING);
      const g = el(link ? "a" : "g", { class: "gnode" + (n.id === centre ? " centre" : "") + (n.literal ? " literal" : "") }, svg, NS);
      if (link) g.setAttribute("href", "/id/" + n.id);
      el("circle", { cx: n.x, cy: n.y, r: n.id === centre ? 9 : 6 }, g, NS);
      const left = n.x < width / 2 - 20;  // labels point away from the middle so they overlap less
      const t = el("text", { x: left ? n.x - 10 : n.x + 10, y: n.y + 4, "text-anchor": left ? "end" : "start" }, g, NS);
      t.textContent = n.label.length > 40 ? n.label.slice(0, 38) + "…" : n.label;
      const title = el("title", {}, g, NS);
      title.textContent = n.label;
    }
  }

  // -- neighbourhood on a thing's page --
  const hood = document.getElementById("neighbourhood");
  if (hood) {
    const data = JSON.parse(hood.textContent);
    const nodes = new Map([[data.centre.id, { id: data.centre.id, iri: THING + data.centre.id, label: data.centre.label }]]);
    const edges = [];
    for (const e of data.edges.slice(0, 60)) {
      nodes.set(e.other.id, { id: e.other.id, iri: THING + e.other.id, label: e.other.label });
      edges.push(e);
    }
    drawGraph(document.getElementById("graph"), nodes, edges, data.centre.id);
    return;
  }

  const settings = JSON.parse(document.getElementById("settings").textContent);
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const graph = document.getElementById("graph");
  document.getElementById("endpoint-url").textContent = location.origin + "/sparql";

  for (const tab of document.querySelectorAll(".tab")) {
    tab.addEventListener("click", () => {
      document.querySelectorAll(".tab").forEach(t => t.classList.toggle("active", t === tab));
      document.querySelectorAll(".panel").forEach(p => p.classList.toggle("active", p.id === tab.dataset.tab));
    });
  }

  function cell(binding) {
    const td = document.createElement("td");
    if (!binding) return td;
    if (binding.type === "uri") {
      if (binding.value.startsWith(THING)) {
        const a = el("a", { href: "/id/" + binding.value.slice(THING.length) }, td);
        a.textContent = labels.get(binding.value) || binding.value.slice(THING.length);
      } else {
        td.textContent = labels.get(binding.value) || short(binding.value);
      }
    } else {
      td.textContent = binding.value;
    }
    return td;
  }

  const labels = new Map();
  function showTable(json) {
    graph.style.display = "none";
    results.innerHTML = "";
    if (json.boolean !== undefined) {
      status.textContent = "Answer: " + (json.boolean ? "yes" : "no");
      return;
    }
    const vars = json.head.vars, rows = json.results.bindings;
    status.textContent = rows.length + " row" + (rows.length === 1 ? "" : "s");
    const table = el("table", { class: "results" }, results);
    const head = el("tr", {}, el("thead", {}, table));
    vars.forEach(v => { el("th", {}, head).textContent = v; });
    const body = el("tbody", {}, table);
    for (const row of rows) {
      const tr = el("tr", {}, body);
      vars.forEach(v => tr.appendChild(cell(row[v])));
    }
  }

  function parseNTriples(text) {
    const term = /^(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?)\s*/;
    const triples = [];
    for (let line of text.split("\n")) {
      line = line.trim();
      if (!line || line.startsWith("#")) continue;
      const parts = [];
      for (let i = 0; i < 3; i++) {
        const m = term.exec(line);
        if (!m) break;
        parts.push(m[1]);
        line = line.slice(m[0].length);
      }
      if (parts.length === 3) triples.push(parts);
    }
    return triples;
  }
  function termLabel(t) {
    if (t.startsWith("<")) {
      const iri = t.slice(1, -1);
      return { iri, id: iri.startsWith(THING) ? iri.slice(THING.length) : iri, label: labels.get(iri) || short(iri) };
    }
    const m = /^"((?:[^"\\]|\\.)*)"/.exec(t);
    const value = m ? JSON.parse('"' + m[1] + '"') : t;
    return { id: t, label: value, literal: true };
  }
  function showGraph(text) {
    const triples = parseNTriples(text);
    status.textContent = triples.length + " triple" + (triples.length === 1 ? "" : "s");
    const nodes = new Map(), edges = [];
    for (const [s, p, o] of triples.slice(0, 150)) {
      const a = termLabel(s), b = termLabel(o);
      if (b.literal && p.includes("Label")) { labels.set(a.iri, b.label); continue; }
      nodes.set(a.id, a); nodes.set(b.id, b);
      edges.push({ from: a.id, to: b.id, label: short(p.slice(1, -1)).split(":").pop() });
    }
    for (const n of nodes.values()) if (n.iri && labels.has(n.iri)) n.label = labels.get(n.iri);
    drawGraph(graph, nodes, edges, null);
    results.innerHTML = "";
    const table = el("table", { class: "results" }, results);
    const head = el("tr", {}, el("thead", {}, table));
    ["subject", "predicate", "object"].forEach(v => { el("th", {}, head).textContent = v; });
    const body = el("tbody", {}, table);
    for (const [s, p, o] of triples) {
      const tr = el("tr", {}, body);
      for (const t of [s, p, o]) {
        const info = termLabel(t);
        tr.appendChild(cell(info.literal ? { type: "literal", value: info.label } : { type: "uri", value: info.iri }));
      }
    }
  }

  async function show(response) {
    const type = (response.headers.get("content-type") || "").split(";")[0];
    const text = await response.text();
    if (!response.ok) {
      graph.style.display = "none";
      results.innerHTML = "";
      status.innerHTML = "";
      el("span", { class: "error" }, status).textContent = `Error ${response.status}: ${text}`;
      return;
    }
    lastWasGraph = type !== "application/sparql-results+json";
    if (lastWasGraph) showGraph(text);
    else showTable(JSON.parse(text));
  }

  let lastWasGraph = false;
  function downloads(span, make) {
    span.innerHTML = "Download: ";
    const formats = lastWasGraph ? ["ttl", "nt", "jsonld", "rdf"] : ["json", "csv", "tsv", "xml"];
    for (const fmt of formats) {
      const a = el("a", { href: make(fmt), download: "" }, span);
      a.textContent = fmt.toUpperCase();
    }
  }

  // -- named questions --
  const select = document.getElementById("question");
  const form = document.getElementById("question-form");
  let catalogue = [];

  function renderForm() {
    const q = catalogue.find(c => c.name === select.value);
    document.getElementById("question-description").textContent = q ? q.description : "";
    form.innerHTML = "";
    for (const p of (q ? q.parameters : [])) {
      const label = el("label", { for: "param-" + p.name }, form);
      label.textContent = p.name + (p.required ? " *" : "");
      const input = el(p.options ? "select" : "input", { id: "param-" + p.name, name: p.name }, form);
      if (p.options) {
        if (!p.required) el("option", { value: "" }, input).textContent = p.default ? `(default: ${p.default})` : "(any)";
        for (const o of p.options) el("option", { value: o.id }, input).textContent = `${o.label} (${o.id})`;
        if (p.default) input.value = p.default;
      }
      el("div", { class: "help" }, form).textContent = p.description + " · " + p.type;
    }
  }

  function questionUrl(fmt) {
    const params = new URLSearchParams(new FormData(form));
    for (const [k, v] of Array.from(params.entries())) if (!v) params.delete(k);
    return `/queries/${encodeURIComponent(select.value)}${fmt ? "." + fmt : ""}?${params}`;
  }

  async function ask() {
    status.textContent = "Asking…";
    const q = catalogue.find(c => c.name === select.value);
    const accept = q && q.construct ? "application/n-triples" : "application/sparql-results+json";
    const response = await fetch(questionUrl(""), { headers: { Accept: accept } });
    await show(response);
    if (response.ok) downloads(document.getElementById("question-downloads"), questionUrl);
  }

  async function loadLabels() {
    const body = new URLSearchParams({ query: "SELECT ?s ?l WHERE { ?s skos:prefLabel ?l }" });
    const response = await fetch("/sparql", { method: "POST", body, headers: { Accept: "application/sparql-results+json" } });
    if (!response.ok) return;
    const json = await response.json();
    for (const b of json.results.bindings) labels.set(b.s.value, b.l.value);
  }

  async function start() {
    await loadLabels();
    const response = await fetch("/queries?options=1", { headers: { Accept: "application/json" } });
    catalogue = await response.json();
    for (const q of catalogue) el("option", { value: q.name }, select).textContent = `${q.title} (${q.name})`;
    select.value = catalogue.some(q => q.name === "transferable-skills") ? "transferable-skills" : catalogue[0].name;
    renderForm();
  }
  select.addEventListener("change", renderForm);
  document.getElementById("run-question").addEventListener("click", ev => { ev.preventDefault(); ask(); });

  // -- SPARQL editor --
  const editor = document.getElementById("editor");
  editor.value = settings.prefixes + "\nSELECT ?method ?year ?paper\nWHERE {\n  ?method rlhf:yearIntroduced ?year .\n" +
    "  OPTIONAL { ?method rlhf:introducedIn ?paper }\n}\nORDER BY ?year\n";
  async function runSparql() {
    status.textContent = "Running…";
    const body = new URLSearchParams({ query: editor.value });
    const response = await fetch("/sparql", {
      method: "POST", body,
      headers: { Accept: "application/sparql-results+json, application/n-triples;q=0.9" },
    });
    await show(response);
    if (response.ok) {
      downloads(document.getElementById("sparql-downloads"),
        fmt => "/sparql?" + new URLSearchParams({ query: editor.value, format: fmt }));
    }
  }
  document.getElementById("run-sparql").addEventListener("click", ev => { ev.preventDefault(); runSparql(); });
  editor.addEventListener("keydown", ev => { if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) runSparql(); });

  window.rlhfKgPage = { ask, runSparql, ready: start() };
})();
