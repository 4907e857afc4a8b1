// Views: the overview (entities; agreements and events folded into edges and counts, or
// shown as nodes on demand), a cluster's world and a node's neighbourhood (drill-downs,
// laid out by layout.js), with a trail of previous views, breadcrumbs and the state in
// the URL fragment; the filters (class, region, period); search.
var network = null;
var nodesDS = null;
var edgesDS = null;
var focusId = null;
var state = null;
var trail = [];
var view = { nodes: [], edges: [], pos: null, folded: false };
var hiddenNodes = {};
var hiddenEdges = {};
var period = null;  // [from, to] ISO days, or null
var COMMUNITY_PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
  "#17becf", "#bcbd22", "#393b79", "#ad494a", "#637939"];
var communitySize = {};
var regionColour = {};
NODES.forEach(function (n) {
  communitySize[n.community] = (communitySize[n.community] || 0) + 1;
});
(function () {
  var counts = {};
  NODES.forEach(function (n) { n.regions.forEach(function (r) { counts[r] = (counts[r] || 0) + 1; }); });
  Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || a.localeCompare(b); })
    .forEach(function (r, i) { regionColour[r] = COMMUNITY_PALETTE[i % COMMUNITY_PALETTE.length]; });
})();
function FACT_COUNT() { return META.nodeCount - META.entities; }
var ISOLATED = NODES.filter(function (n) { return n.isolated; }).length;

function initialState() {
  return {
    view: META.view === "full" ? "overview" : META.view, node: META.focus, depth: 1,
    facts: META.factsShown && FACT_COUNT() <= META.factNodesMax, isolated: META.view === "full",
    colour: "class",
  };
}

function sameState(a, b) {
  return a.view === b.view && a.node === b.node && a.depth === b.depth && a.facts === b.facts &&
    a.isolated === b.isolated;
}

// -- what a view holds ---------------------------------------------------------------------
function computeView(s) {
  if ((s.view === "world" || s.view === "focus") && s.node !== null && NODES[s.node]) {
    var tree = s.view === "world" && NODES[s.node].cls === "Cluster" ? worldTree(s.node) : bfsTree(s.node, s.depth || 1);
    var pos = radialLayout(tree);
    (s.expanded || []).forEach(function (id) { expandInto(tree, pos, id); });
    var inside = {};
    tree.nodes.forEach(function (id) { inside[id] = true; });
    return { nodes: tree.nodes, edges: edgesWithin(inside), pos: pos, folded: false };
  }
  var facts = s.facts && FACT_COUNT() <= META.factNodesMax;
  var keep = {};
  var ids = [];
  NODES.forEach(function (n) {
    if (isFact(n) ? facts : (s.isolated || !n.isolated)) { keep[n.id] = true; ids.push(n.id); }
  });
  var edges = edgesWithin(keep);
  if (!facts) {
    FOLDED.forEach(function (f) { if (keep[f.from] && keep[f.to]) { edges.push(f.id); } });
  }
  return { nodes: ids, edges: edges, pos: null, folded: !facts };
}

function edgesWithin(inside) {
  var out = [];
  EDGES.forEach(function (e) { if (inside[e.from] && inside[e.to]) { out.push(e.id); } });
  return out;
}

// Neighbours of `id` not yet in the view, on a ring around it, outward from the centre.
function expandInto(tree, pos, id) {
  if (!pos[id]) { return; }
  var have = {};
  tree.nodes.forEach(function (n) { have[n] = true; });
  var extra = neighbours(id).filter(function (m, i, all) { return !have[m] && all.indexOf(m) === i; });
  if (!extra.length) { return; }
  var p = pos[id];
  var base = Math.atan2(p.y, p.x);
  var spread = Math.min(Math.PI * 1.2, extra.length * 0.25 + 0.5);
  var slices = {};
  placeArcAround(extra, p, base - spread / 2, spread, 150, pos, slices);
  extra.forEach(function (m) { tree.nodes.push(m); });
}

function placeArcAround(ids, centre, start, share, radius, pos, slices) {
  var local = {};
  placeArc(ids, start, share, radius, local, slices);
  ids.forEach(function (m) { pos[m] = { x: centre.x + local[m].x, y: centre.y + local[m].y }; });
}

var arrowsShown = true;

// -- what vis-network gets -------------------------------------------------------------------
function nodeColour(n) {
  var c = styleOf(n.cls).color;
  if (state && state.colour === "community") {
    c = n.community >= 0 && communitySize[n.community] >= 3 ? COMMUNITY_PALETTE[n.community % COMMUNITY_PALETTE.length] : "#c4c4c4";
  } else if (state && state.colour === "region") {
    c = n.regions.length ? regionColour[n.regions[0]] : "#c4c4c4";
  }
  return c;
}

function visNode(id, pos) {
  var n = NODES[id];
  var c = nodeColour(n);
  var focus = id === focusId;
  var item = {
    id: id, x: pos ? pos.x : n.x, y: pos ? pos.y : n.y, shape: styleOf(n.cls).shape,
    size: (pos ? (n.cls === "Cluster" ? 22 : isFact(n) ? 9 : 11) : n.size) * (focus ? 1.3 : 1),
    color: { background: c, border: focus ? "#111111" : darker(c),
             highlight: { background: c, border: "#000000" }, hover: { background: c, border: "#000000" } },
    borderWidth: focus ? 5 : 1, borderWidthSelected: focus ? 6 : 3,
    title: nodeTooltip(n), hidden: !!hiddenNodes[id],
  };
  if (n.cls === "Cluster") { item.shapeProperties = { interpolation: false }; }
  return item;
}

function darker(hex) {
  var v = parseInt(hex.slice(1), 16);
  var r = Math.round(((v >> 16) & 255) * 0.7);
  var g = Math.round(((v >> 8) & 255) * 0.7);
  var b = Math.round((v & 255) * 0.7);
  return "#" + ((1 << 24) + (r << 16) + (g << 8) + b).toString(16).slice(1);
}

function visEdges(ids) {
  var seen = {};
  return ids.map(function (id) {
    var folded = FOLDED_BY_ID[id];
    var e = folded || EDGE_BY_ID[id];
    var pair = e.from < e.to ? e.from + ":" + e.to : e.to + ":" + e.from;
    var k = seen[pair] = (seen[pair] === undefined ? 0 : seen[pair] + 1);
    var item = { id: id, from: e.from, to: e.to, title: folded ? foldedTooltip(folded) : edgeTooltip(e),
                 hidden: !!hiddenEdges[id] };
    if (folded) {
      item.arrows = { to: { enabled: false } };
      item.dashes = [6, 4];
      item.width = Math.min(6, 1 + Math.log2(folded.facts.length));
      item.color = { color: folded.cls === "Agreement" ? "#e7a3cf" : "#8fd0dc", highlight: "#333333", hover: "#555555" };
    }
    if (k) { item.smooth = { enabled: true, type: "curvedCW", roundness: META.bend[0] + META.bend[1] * (k - 1) }; }
    return item;
  });
}

function edgeLabel(id) {
  var folded = FOLDED_BY_ID[id];
  if (folded) { return foldedText(folded, periodCount(folded)); }
  var e = EDGE_BY_ID[id];
  return e ? edgeText(e) : "";
}

function currentNodeIds() { return view.nodes; }

// Tooltips again, once the sources have come: nodes, then edges (two short tasks).
function refreshTitles(done) {
  nodesDS.update(view.nodes.map(function (id) { return { id: id, title: nodeTooltip(NODES[id]) }; }));
  setTimeout(function () {
    edgesDS.update(view.edges.map(function (id) {
      var f = FOLDED_BY_ID[id];
      return { id: id, title: f ? foldedTooltip(f) : edgeTooltip(EDGE_BY_ID[id]) };
    }));
    done();
  }, 0);
}
function currentEdgeIds() { return view.edges; }

// -- tooltips (strings: vis-network shows them as text) ------------------------------------------
function sourceLines(refs, limit) {
  var count = sourceCount(refs);
  var lines = count ? ["Источники:"] : [];
  for (var i = 0; i < Math.min(count, limit); i += 1) {
    var s = source(refs, i);
    lines.push("[" + [s.doc, formatDate(s.date)].filter(Boolean).join(", ") + "] " + s.sentence);
    if (s.url) { lines.push("    " + s.url); }
  }
  if (count > limit) { lines.push("… ещё " + (count - limit) + " (щёлкните по элементу)"); }
  return lines;
}

function rangesText(ranges) {
  var out = [];
  for (var i = 0; i < ranges.length && out.length < 6; i += 2) {
    out.push(formatDate(isoDay(ranges[i])) + (ranges[i + 1] !== ranges[i] ? "–" + formatDate(isoDay(ranges[i + 1])) : ""));
  }
  if (ranges.length > 12) { out.push("…"); }
  return out.join(", ");
}

function nodeTooltip(n) {
  var lines = [n.full, "Класс: " + className(n.cls)];
  if (n.name !== n.full) { lines.push("Название: " + n.name); }
  if (n.alt.length) { lines.push("Другие названия: " + n.alt.join("; ")); }
  if (n.regions.length) { lines.push("Регион: " + n.regions.join("; ")); }
  if (n.members !== undefined) { lines.push("Участников: " + n.members); }
  if (n.date) { lines.push("Дата: " + formatDate(n.date)); }
  if (n.counts) { lines.push("Факты: " + countsText(n)); }
  if (n.posts.length) { lines.push("Должности: " + n.posts.join("; ")); }
  return lines.concat(sourceLines(n.sources, 2)).join("\n");
}

function edgeTooltip(e) {
  var lines = [NODES[e.from].full + " — " + edgeText(e) + " → " + NODES[e.to].full, "Связь: " + relName(e.rel)];
  if (e.ranges.length) { lines.push("Даты: " + rangesText(e.ranges)); }
  return lines.concat(sourceLines(e.sources, 2)).join("\n");
}

function foldedTooltip(f) {
  var lines = [NODES[f.from].full + " — " + NODES[f.to].full + ": " + foldedText(f)];
  f.facts.slice(0, 4).forEach(function (id) { if (NODES[id]) { lines.push("• " + NODES[id].full); } });
  if (f.facts.length > 4) { lines.push("… ещё " + (f.facts.length - 4) + " (щёлкните по связи)"); }
  return lines.join("\n");
}

// -- rendering a state ------------------------------------------------------------------------------
var pending = null;  // a state waiting for the later islands

function render(s, options) {
  if (!LOADED && needsAll(s)) {
    pending = [s, options];
    document.getElementById("kg-count").textContent = "загрузка…";
    return;
  }
  state = s;
  focusId = (s.view === "world" || s.view === "focus") ? s.node : (s.marked === undefined ? META.focus : s.marked);
  view = computeView(s);
  orderCache = null;
  // Drill-downs are stars: arrows only while they can be told apart.
  var ego = view.pos !== null;
  var arrows = !ego || view.nodes.length <= 80;
  if (arrows !== arrowsShown) {
    arrowsShown = arrows;
    network.setOptions({ edges: { arrows: { to: { enabled: arrows, scaleFactor: 0.4 } } } });
  }
  nodesDS.clear();
  edgesDS.clear();
  nodesDS.add(view.nodes.map(function (id) { return visNode(id, view.pos ? view.pos[id] : null); }));
  if (options && options.edgesLater) {  // the first drawing: the edges in a task of their own (addEdges)
    edgesLater = visEdges(view.edges);
  } else {
    edgesDS.add(visEdges(view.edges));
    applyFilters({ fit: false });
  }
  var p = {};
  if (focusId !== null && focusId !== undefined) { p[focusId] = 0; }
  setPriority(p);
  updateTools();
  if (!options || options.fit !== false) { fit(); }
  if (!options || options.hash !== false) { writeHash(); }
  colourLegend();
}

// The edges render() left for later (options.edgesLater), added now, EDGES_PER_TASK a task,
// then the filters applied; ``done`` is called after.
var edgesLater = null;
var EDGES_PER_TASK = 250;
function addEdges(done) {
  var items = edgesLater || [];
  edgesLater = null;
  (function more(start) {
    edgesDS.add(items.slice(start, start + EDGES_PER_TASK));
    if (start + EDGES_PER_TASK < items.length) {
      setTimeout(function () { more(start + EDGES_PER_TASK); }, 0);
      return;
    }
    applyFilters({ fit: false });
    done();
  })(0);
}

function fit() {
  network.fit({ animation: false });
}

function go(s) {
  if (state && !sameState(state, s)) { trail.push(state); }
  render(s);
}

function back() {
  if (!trail.length) { return; }
  render(trail.pop());
}

function openWorld(id) {
  go(Object.assign({}, state, { view: NODES[id].cls === "Cluster" ? "world" : "focus", node: id, depth: 1, expanded: [] }));
}

function openFocus(id, depth) {
  go(Object.assign({}, state, { view: "focus", node: id, depth: depth || 1, expanded: [] }));
}

function openOverview() {
  go(Object.assign({}, state, { view: "overview", node: null, expanded: [] }));
}

function expandNode(id) {
  if (state.view === "overview") { openFocus(id, 1); return; }
  var s = Object.assign({}, state, { expanded: (state.expanded || []).concat([id]) });
  trail.push(state);
  render(s, { fit: false });
}

function viewTitle(s) {
  if (s.view === "world") { return "Окружение: " + shorten(NODES[s.node].full, 80); }
  if (s.view === "focus") { return "Соседи: " + shorten(NODES[s.node].full, 80) + (s.depth > 1 ? " (" + s.depth + " шага)" : ""); }
  return "Обзор";
}

function updateTools() {
  var crumbs = document.getElementById("kg-crumbs");
  crumbs.replaceChildren();
  var path = trail.slice(-4).concat([state]);
  if (trail.length > 4) { crumbs.appendChild(el("li", "…")); }
  path.forEach(function (s, i) {
    var li = el("li");
    if (i === path.length - 1) {
      li.appendChild(el("span", viewTitle(s), "kg-crumb-here"));
    } else {
      var b = el("button", viewTitle(s), "kg-crumb");
      b.type = "button";
      b.addEventListener("click", function () {
        var back = path.length - 1 - i;
        var target = null;
        for (var k = 0; k < back; k += 1) { target = trail.pop(); }
        render(target);
      });
      li.appendChild(b);
    }
    crumbs.appendChild(li);
  });
  if (state.view !== "overview" && !path.some(function (s) { return s.view === "overview"; })) {
    var home = el("button", "Обзор", "kg-crumb");
    home.type = "button";
    home.addEventListener("click", openOverview);
    var li = el("li");
    li.appendChild(home);
    crumbs.insertBefore(li, crumbs.firstChild);
  }
  document.getElementById("kg-back").disabled = !trail.length;
  var facts = document.getElementById("kg-facts");
  facts.checked = state.view !== "overview" || (state.facts && FACT_COUNT() <= META.factNodesMax);
  facts.disabled = state.view !== "overview" || FACT_COUNT() > META.factNodesMax || !FACT_COUNT();
  facts.parentNode.title = FACT_COUNT() > META.factNodesMax
    ? "Соглашений и событий слишком много (" + FACT_COUNT() + "), чтобы показать их все узлами: откройте окружение кластера (двойной щелчок)"
    : "Соглашения и события — отдельными узлами (иначе они свёрнуты в связи и счётчики)";
  var iso = document.getElementById("kg-isolated");
  iso.hidden = state.view !== "overview" || !ISOLATED;
  iso.textContent = state.isolated ? "Скрыть узлы без связей (" + ISOLATED + ")" : "Узлы без связей: " + ISOLATED;
}

// -- URL fragment ----------------------------------------------------------------------------------
function writeHash() {
  var p = new URLSearchParams();
  p.set("v", state.view);
  if (state.node !== null && state.node !== undefined && state.view !== "overview") { p.set("n", NODES[state.node].key); }
  if (state.view === "focus" && state.depth > 1) { p.set("d", String(state.depth)); }
  if ((state.expanded || []).length) { p.set("x", state.expanded.map(function (id) { return NODES[id].key; }).join(",")); }
  if (state.view === "overview") {
    p.set("facts", state.facts ? "1" : "0");
    if (state.isolated) { p.set("iso", "1"); }
  }
  if (state.colour !== "class") { p.set("colour", state.colour); }
  var region = document.getElementById("kg-region").value;
  if (region) { p.set("region", region); }
  var from = document.getElementById("kg-from").value.trim();
  var to = document.getElementById("kg-to").value.trim();
  if (from) { p.set("from", from); }
  if (to) { p.set("to", to); }
  var text = "#" + p.toString();
  if (location.hash !== text) {
    writingHash = text;
    history.replaceState(null, "", text);
  }
}
var writingHash = null;

function readHash() {
  var text = location.hash.replace(/^#/, "");
  if (!text) { return null; }
  var p = new URLSearchParams(text);
  var s = initialState();
  var v = p.get("v");
  if (v === "world" || v === "focus" || v === "overview") { s.view = v; }
  var key = p.get("n");
  if (key !== null && NODE_BY_KEY[key] !== undefined) { s.node = NODE_BY_KEY[key]; }
  if (s.view !== "overview" && (s.node === null || s.node === undefined)) { s.view = "overview"; }
  var d = parseInt(p.get("d") || "1", 10);
  s.depth = d > 0 && d < 6 ? d : 1;
  s.expanded = (p.get("x") || "").split(",").filter(function (k) { return NODE_BY_KEY[k] !== undefined; })
    .map(function (k) { return NODE_BY_KEY[k]; });
  if (p.get("facts") !== null) { s.facts = p.get("facts") === "1"; }
  s.isolated = p.get("iso") === "1" || (p.get("iso") === null && s.isolated);
  var colour = p.get("colour");
  if (colour === "community" || colour === "region") { s.colour = colour; }
  document.getElementById("kg-colour").value = s.colour;
  var region = p.get("region");
  var select = document.getElementById("kg-region");
  select.value = "";
  if (region && Array.prototype.some.call(select.options, function (o) { return o.value === region; })) {
    select.value = region;
  }
  document.getElementById("kg-from").value = p.get("from") || "";
  document.getElementById("kg-to").value = p.get("to") || "";
  return s;
}

window.addEventListener("hashchange", function () {
  if (location.hash === writingHash) { return; }
  var s = readHash();
  if (s) { go(s); }
});

// -- filters ------------------------------------------------------------------------------------
// The first (low) or last day of a typed date (ГГГГ, ГГГГ-ММ or ГГГГ-ММ-ДД), as a day number.
function bound(value, low) {
  var v = (value || "").trim();
  var y = +v.slice(0, 4);
  if (v.length === 4) { return dayNumber(low ? y + "-01-01" : y + "-12-31"); }
  if (v.length === 7) {
    var m = +v.slice(5, 7);
    return low ? dayNumber(v + "-01") : Math.round(Date.UTC(y, m, 0) / DAY);
  }
  return dayNumber(v);
}

function validDate(value) {
  var v = (value || "").trim();
  if (!v) { return true; }
  var m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(v);
  if (!m) { return false; }
  if (m[2] && (+m[2] < 1 || +m[2] > 12)) { return false; }
  if (m[3] && (+m[3] < 1 || +m[3] > 31)) { return false; }
  return true;
}

// ranges: a flat list of [first, last] day numbers
function inDates(ranges, from, to) {
  if (!ranges.length) { return true; }
  for (var i = 0; i < ranges.length; i += 2) {
    if (ranges[i] <= to && ranges[i + 1] >= from) { return true; }
  }
  return false;
}

function factInPeriod(id) {
  var n = NODES[id];
  if (!period || !n) { return true; }
  if (n.date && /^\d{4}/.test(n.date)) {
    var v = n.date.slice(0, 10);
    return bound(v, true) <= period[1] && bound(v, false) >= period[0];
  }
  return inDates(n.ranges, period[0], period[1]);
}

function periodCount(f) {
  if (!period) { return f.facts.length; }
  return f.facts.filter(factInPeriod).length;
}

// Returns the number of nodes shown.
function applyFilters(options) {
  var fromInput = document.getElementById("kg-from");
  var toInput = document.getElementById("kg-to");
  var error = document.getElementById("kg-date-error");
  var bad = [fromInput, toInput].filter(function (i) { return !validDate(i.value); });
  fromInput.classList.toggle("kg-invalid", bad.indexOf(fromInput) >= 0);
  toInput.classList.toggle("kg-invalid", bad.indexOf(toInput) >= 0);
  error.textContent = bad.length ? "неверная дата: " + bad.map(function (i) { return "«" + i.value.trim() + "»"; }).join(", ") +
    " (ГГГГ, ГГГГ-ММ или ГГГГ-ММ-ДД)" : "";
  var from = validDate(fromInput.value) && fromInput.value.trim() ? bound(fromInput.value, true) : -Infinity;
  var to = validDate(toInput.value) && toInput.value.trim() ? bound(toInput.value, false) : Infinity;
  period = (from === -Infinity && to === Infinity) ? null : [from, to];
  var classes = {};
  document.querySelectorAll(".kg-class").forEach(function (box) { classes[box.value] = box.checked; });
  var region = document.getElementById("kg-region").value;
  var inRegion = null;
  if (region) {
    inRegion = {};
    NODES.forEach(function (n) { if (n.regions.indexOf(region) >= 0) { inRegion[n.id] = true; } });
  }
  var nodeChanges = [];
  var shown = 0;
  view.nodes.forEach(function (id) {
    var n = NODES[id];
    var visible = classes[n.cls] !== false && inDates(n.ranges, from, to) &&
      (!inRegion || inRegion[id] || neighbours(id).some(function (m) { return inRegion[m]; }) ||
       FOLDED_AT[id].some(function (fid) { var f = FOLDED_BY_ID[fid]; return inRegion[f.from === id ? f.to : f.from]; }));
    if (visible) { shown += 1; }
    if (!visible !== !!hiddenNodes[id]) {
      hiddenNodes[id] = !visible;
      nodeChanges.push({ id: id, hidden: !visible });
    }
  });
  // vis-network does not draw an edge with a hidden end: only dates hide edges here.
  var edgeChanges = [];
  view.edges.forEach(function (id) {
    var f = FOLDED_BY_ID[id];
    var visible = f ? periodCount(f) > 0 : inDates(EDGE_BY_ID[id].ranges, from, to);
    if (!visible !== !!hiddenEdges[id]) {
      hiddenEdges[id] = !visible;
      edgeChanges.push({ id: id, hidden: !visible });
    }
  });
  if (nodeChanges.length) { nodesDS.update(nodeChanges); }
  if (edgeChanges.length) { edgesDS.update(edgeChanges); }
  document.getElementById("kg-count").textContent = "узлов: " + shown + " из " + view.nodes.length;
  if (typeof drawTimeline === "function") { drawTimeline(); }
  if (!options || options.fit !== false) {
    fit();
    writeHash();
  }
  return shown;
}

// -- search -------------------------------------------------------------------------------------
var hits = [];
var hitIndex = -1;

function search(query) {
  var wanted = normalize(query || "");
  var found = document.getElementById("kg-found");
  var results = document.getElementById("kg-results");
  hits = [];
  hitIndex = -1;
  if (!wanted) {
    found.textContent = "";
    results.hidden = true;
    network.unselectAll();
    setPriority(focusId !== null && focusId !== undefined ? (function () { var p = {}; p[focusId] = 0; return p; })() : {});
    updateHitButtons();
    network.redraw();
    return [];
  }
  var exact = [];
  var partial = [];
  var inView = {};
  view.nodes.forEach(function (id) { inView[id] = true; });
  NODES.forEach(function (n) {
    if (inView[n.id] && hiddenNodes[n.id]) { return; }
    if (n.names === undefined) { n.names = searchNames(n); }
    if (n.names.indexOf(wanted) >= 0) { exact.push(n.id); }
    else if (n.names.some(function (name) { return name.indexOf(wanted) >= 0; })) { partial.push(n.id); }
  });
  var byRank = function (a, b) { return (inView[b] ? 1 : 0) - (inView[a] ? 1 : 0) || NODES[a].rank - NODES[b].rank; };
  exact.sort(byRank);
  partial.sort(byRank);
  hits = exact.concat(partial);
  found.textContent = hits.length ? "найдено: " + hits.length : "не найдено";
  showResults(query);
  if (hits.length) {
    choose(0);
  } else {
    network.unselectAll();
    updateHitButtons();
  }
  return hits;
}

function showResults(query) {
  var results = document.getElementById("kg-results");
  var list = document.getElementById("kg-results-list");
  list.replaceChildren();
  results.hidden = !hits.length;
  document.getElementById("kg-results-title").textContent = "Найдено: " + hits.length;
  hits.slice(0, 200).forEach(function (id, i) {
    var n = NODES[id];
    var li = el("li");
    var b = el("button", "", "kg-link");
    b.type = "button";
    var glyph = el("span", styleOf(n.cls).glyph + " ", "kg-glyph");
    glyph.style.color = styleOf(n.cls).color;
    b.appendChild(glyph);
    b.appendChild(document.createTextNode(n.full));
    b.addEventListener("click", function () { choose(i); });
    li.appendChild(b);
    var extra = [className(n.cls)].concat(n.regions.slice(0, 1)).join(", ");
    li.appendChild(el("span", " " + extra, "kg-muted"));
    list.appendChild(li);
  });
  if (hits.length > 200) { list.appendChild(el("li", "… ещё " + (hits.length - 200), "kg-muted")); }
}

function searchNames(n) {
  var names = [];
  [n.full, n.name].concat(n.alt).forEach(function (x) { var k = normalize(x); if (names.indexOf(k) < 0) { names.push(k); } });
  return names;
}

// Go to the i-th search hit: select it where it is drawn, or open its neighbourhood.
function choose(i) {
  if (!hits.length) { return; }
  hitIndex = (i + hits.length) % hits.length;
  var id = hits[hitIndex];
  var items = document.querySelectorAll("#kg-results-list li");
  items.forEach(function (li, k) { li.classList.toggle("kg-current", k === hitIndex); });
  if (!nodesDS.get(id)) { openFocus(id, 1); }
  showNode(id);
  var p = {};
  hits.forEach(function (h) { p[h] = 2; });
  neighbours(id).forEach(function (m) { if (p[m] === undefined) { p[m] = 1; } });
  p[id] = 0;
  setPriority(p);
  // Every hit drawn in this view is selected (vis-network highlights their links); the view centres on this one.
  var selected = hits.filter(function (h) { return nodesDS.get(h) && !hiddenNodes[h]; });
  network.selectNodes(selected, true);
  network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
  updateHitButtons();
}

function updateHitButtons() {
  document.getElementById("kg-prev").disabled = hits.length < 2;
  document.getElementById("kg-next").disabled = hits.length < 2;
  document.getElementById("kg-found").textContent = hits.length
    ? (hits.length > 1 ? (hitIndex + 1) + " из " + hits.length : "найдено: 1")
    : document.getElementById("kg-found").textContent;
}

// -- colours -----------------------------------------------------------------------------------
function recolour() {
  nodesDS.update(view.nodes.map(function (id) {
    var c = nodeColour(NODES[id]);
    var focus = id === focusId;
    return { id: id, color: { background: c, border: focus ? "#111111" : darker(c),
      highlight: { background: c, border: "#000000" }, hover: { background: c, border: "#000000" } } };
  }));
  colourLegend();
  writeHash();
}

function colourLegend() {
  var list = document.getElementById("kg-colour-legend");
  list.replaceChildren();
  if (state.colour === "class") { return; }
  var entries = [];
  if (state.colour === "community") {
    var best = {};
    NODES.forEach(function (n) {
      if (isFact(n) || n.community < 0 || communitySize[n.community] < 3) { return; }
      var b = best[n.community];
      if (b === undefined || n.rank < NODES[b].rank) { best[n.community] = n.id; }
    });
    Object.keys(best).map(Number).sort(function (a, b) { return a - b; }).slice(0, 12).forEach(function (c) {
      entries.push([COMMUNITY_PALETTE[c % COMMUNITY_PALETTE.length], "сообщество " + (c + 1) + ": " + NODES[best[c]].label + " (" + communitySize[c] + ")"]);
    });
  } else {
    Object.keys(regionColour).slice(0, 24).forEach(function (r) { entries.push([regionColour[r], r]); });
  }
  entries.forEach(function (e) {
    var li = el("li");
    var g = el("span", "●", "kg-glyph");
    g.style.color = e[0];
    li.appendChild(g);
    li.appendChild(document.createTextNode(" " + e[1]));
    list.appendChild(li);
  });
}
