/* rlhf-kg graph viewer: no libraries, no network. Reads the JSON embedded in the page and
   draws it as SVG with zoom, pan, node dragging, hover details, search and a legend. */
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("graph-data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("canvas");
  const viewport = document.getElementById("viewport");
  const tooltip = document.getElementById("tooltip");
  const colours = Object.fromEntries(DATA.kinds.map(k => [k.kind, k.colour]));
  const nodes = new Map();
  const edges = [];
  const pathSet = new Set(DATA.path);
  let scale = 1, tx = 0, ty = 0;

  document.getElementById("title").textContent = DATA.title;
  document.getElementById("subtitle").textContent = DATA.subtitle;

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function apply() { viewport.setAttribute("transform", `translate(${tx},${ty}) scale(${scale})`); }

  // -- axis (methods timeline) --
  const axis = document.getElementById("axis");
  const ys = DATA.nodes.map(n => n.y);
  const top = Math.min(...ys, 0) - 110, bottom = Math.max(...ys, 0) + 80;
  for (const tick of DATA.axis || []) {
    const g = el("g", { class: "axis" }, axis);
    el("line", { x1: tick.x, x2: tick.x, y1: top + 20, y2: bottom }, g);
    el("text", { x: tick.x, y: top }, g).textContent = tick.label;
  }

  // -- nodes --
  const nodeLayer = document.getElementById("nodes");
  for (const n of DATA.nodes) {
    const g = el("g", { class: "node", "data-id": n.id, "data-kind": n.kind, tabindex: "0" }, nodeLayer);
    const width = Math.max(...n.lines.map(l => l.length)) * 7 + 22;
    const height = n.lines.length * 15 + 14;
    const rect = el("rect", { x: -width / 2, y: -height / 2, width, height, fill: colours[n.kind] || "#ddd" }, g);
    const text = el("text", {}, g);
    n.lines.forEach((line, i) => {
      const t = el("tspan", { x: 0, y: (i - (n.lines.length - 1) / 2) * 15 }, text);
      t.textContent = line;
    });
    if (pathSet.has(n.id)) g.classList.add("on-path");
    if (n.role) g.classList.add("endpoint");
    if (/#(4e79a7|b07aa1|e15759|9d7660|59a14f)/.test(colours[n.kind] || "")) text.setAttribute("fill", "#fff");
    const title = el("title", {}, g);
    title.textContent = n.label;
    nodes.set(n.id, { data: n, g, rect, width, height, x: n.x, y: n.y });
    g.setAttribute("transform", `translate(${n.x},${n.y})`);
  }

  // -- edges --
  const edgeLayer = document.getElementById("edges");
  const pairCount = new Map();
  for (const e of DATA.edges) {
    const key = [e.source, e.target].sort().join("|");
    const index = pairCount.get(key) || 0;
    pairCount.set(key, index + 1);
    const g = el("g", { class: "edge" + (e.highlight && DATA.path.length ? " on-path" : ""), "data-id": e.id,
                        "data-source": e.source, "data-target": e.target }, edgeLayer);
    const hit = el("path", { class: "hit" }, g);
    const line = el("path", { class: "visible",
                              "marker-end": e.highlight && DATA.path.length ? "url(#arrow-hot)" : "url(#arrow)" }, g);
    const relationColour = (DATA.relations || []).find(r => r.relation === e.relation);
    if (relationColour) line.style.stroke = relationColour.colour;
    const label = el("text", { "text-anchor": "middle" }, g);
    label.textContent = DATA.view === "field" ? "" : e.label;
    edges.push({ data: e, g, hit, line, label, bend: index });
  }

  function boundary(n, dx, dy) {
    // where the line from the centre leaves the node's box
    const w = n.width / 2 + 4, h = n.height / 2 + 4;
    const t = Math.min(w / Math.abs(dx || 1e-9), h / Math.abs(dy || 1e-9));
    return [n.x + dx * Math.min(t, 1), n.y + dy * Math.min(t, 1)];
  }

  function drawEdge(e) {
    const a = nodes.get(e.data.source), b = nodes.get(e.data.target);
    if (!a || !b) return;
    const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    const skips = DATA.view === "career" && Math.abs(dx) > 400;  // bend around the column it skips
    const bend = e.bend * 28 + (skips ? 0.3 * len : 0);
    const mx = (a.x + b.x) / 2 - dy / len * bend, my = (a.y + b.y) / 2 + dx / len * bend;
    const [x1, y1] = boundary(a, mx - a.x, my - a.y);
    const [x2, y2] = boundary(b, mx - b.x, my - b.y);
    const d = `M${x1},${y1} Q${mx},${my} ${x2},${y2}`;
    e.line.setAttribute("d", d);
    e.hit.setAttribute("d", d);
    e.label.setAttribute("x", (x1 + 2 * mx + x2) / 4);  // the curve's own midpoint
    e.label.setAttribute("y", (y1 + 2 * my + y2) / 4 - 6);
  }
  edges.forEach(drawEdge);

  // -- fit, zoom, pan --
  function fit() {
    const box = viewport.getBBox();
    const w = svg.clientWidth || 1200, h = svg.clientHeight || 800;
    scale = Math.min(w / (box.width + 80), h / (box.height + 80), 2.5);
    tx = w / 2 - (box.x + box.width / 2) * scale;
    ty = h / 2 - (box.y + box.height / 2) * scale;
    apply();
  }
  function zoomAt(factor, cx, cy) {
    const next = Math.min(Math.max(scale * factor, 0.05), 8);
    tx = cx - (cx - tx) * (next / scale);
    ty = cy - (cy - ty) * (next / scale);
    scale = next;
    apply();
  }
  svg.addEventListener("wheel", ev => {
    ev.preventDefault();
    const r = svg.getBoundingClientRect();
    zoomAt(ev.deltaY < 0 ? 1.15 : 1 / 1.15, ev.clientX - r.left, ev.clientY - r.top);
  }, { passive: false });
  document.getElementById("zoom-in").onclick = () => zoomAt(1.25, svg.clientWidth / 2, svg.clientHeight / 2);
  document.getElementById("zoom-out").onclick = () => zoomAt(0.8, svg.clientWidth / 2, svg.clientHeight / 2);
  document.getElementById("fit").onclick = fit;

  let drag = null;
  svg.addEventListener("pointerdown", ev => {
    const g = ev.target.closest(".node");
    if (g) {
      const n = nodes.get(g.dataset.id);
      drag = { node: n, x: ev.clientX, y: ev.clientY, nx: n.x, ny: n.y };
    } else {
      drag = { pan: true, x: ev.clientX, y: ev.clientY, tx, ty };
      svg.classList.add("panning");
    }
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener("pointermove", ev => {
    if (!drag) return;
    if (drag.pan) {
      tx = drag.tx + ev.clientX - drag.x;
      ty = drag.ty + ev.clientY - drag.y;
      apply();
    } else {
      const n = drag.node;
      n.x = drag.nx + (ev.clientX - drag.x) / scale;
      n.y = drag.ny + (ev.clientY - drag.y) / scale;
      n.g.setAttribute("transform", `translate(${n.x},${n.y})`);
      edges.filter(e => e.data.source === n.data.id || e.data.target === n.data.id).forEach(drawEdge);
    }
  });
  svg.addEventListener("pointerup", () => { drag = null; svg.classList.remove("panning"); });

  // -- hover details --
  function show(ev, title, details) {
    tooltip.innerHTML = "";
    const b = document.createElement("b");
    b.textContent = title;
    tooltip.appendChild(b);
    const dl = document.createElement("dl");
    for (const [k, v] of Object.entries(details || {})) {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v;
      dl.append(dt, dd);
    }
    tooltip.appendChild(dl);
    tooltip.hidden = false;
    const r = svg.getBoundingClientRect();
    tooltip.style.left = Math.min(ev.clientX - r.left + 14, r.width - 370) + "px";
    tooltip.style.top = (ev.clientY - r.top + 14) + "px";
  }
  for (const n of nodes.values()) {
    n.g.addEventListener("mousemove", ev => show(ev, n.data.label, n.data.details));
    n.g.addEventListener("mouseleave", () => { tooltip.hidden = true; });
    n.g.addEventListener("focus", () => {
      const r = n.g.getBoundingClientRect();
      show({ clientX: r.right, clientY: r.top }, n.data.label, n.data.details);
    });
    n.g.addEventListener("blur", () => { tooltip.hidden = true; });
  }
  for (const e of edges) {
    e.g.addEventListener("mousemove", ev => show(ev, e.data.label || e.data.id, e.data.details));
    e.g.addEventListener("mouseleave", () => { tooltip.hidden = true; });
  }

  // -- search --
  const search = document.getElementById("search");
  function runSearch(centre) {
    const q = search.value.trim().toLowerCase();
    let first = null;
    for (const n of nodes.values()) {
      const hit = q && (n.data.label.toLowerCase().includes(q) || n.data.id.includes(q));
      n.g.classList.toggle("match", Boolean(hit));
      n.g.classList.toggle("dim", Boolean(q) && !hit);
      if (hit && !first) first = n;
    }
    for (const e of edges) e.g.classList.toggle("dim", Boolean(q));
    if (centre && first) {
      tx = svg.clientWidth / 2 - first.x * scale;
      ty = svg.clientHeight / 2 - first.y * scale;
      apply();
    }
    return first;
  }
  search.addEventListener("input", () => runSearch(false));
  search.addEventListener("keydown", ev => { if (ev.key === "Enter") runSearch(true); });

  // -- legend --
  const legend = document.getElementById("legend-items");
  for (const k of DATA.kinds) {
    const li = document.createElement("li");
    li.dataset.kind = k.kind;
    const sw = document.createElement("span");
    sw.className = "swatch";
    sw.style.background = k.colour;
    li.append(sw, document.createTextNode(k.name));
    li.addEventListener("click", () => {
      li.classList.toggle("off");
      for (const n of nodes.values()) if (n.data.kind === k.kind) n.g.classList.toggle("dim", li.classList.contains("off"));
    });
    legend.appendChild(li);
  }
  for (const r of DATA.relations || []) {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = "path-swatch";
    sw.style.borderTopColor = r.colour;
    sw.style.borderTopWidth = "2px";
    li.append(sw, document.createTextNode(r.relation));
    legend.appendChild(li);
  }
  if (DATA.path.length) {
    const li = document.createElement("li");
    const sw = document.createElement("span");
    sw.className = "path-swatch";
    li.append(sw, document.createTextNode("planned path"));
    legend.appendChild(li);
  }

  fit();
  window.rlhfKgViewer = { nodes: nodes.size, edges: edges.length, path: DATA.path, search: q => { search.value = q; return runSearch(true); } };
})();
