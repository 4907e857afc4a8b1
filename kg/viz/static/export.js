// Export what you see: the canvas as PNG, the screen as SVG (nodes, edges and the labels
// drawn), the visible graph as GEXF (with colours, sizes and positions) and as CSV, and a
// printable list of the visible facts and relations with their sources. Files are built
// in the page (DOM + XMLSerializer for XML: text is escaped) and saved as downloads.
var PRINT_MAX = 2000;

function download(name, blob) {
  var a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

function visibleNodeIds() {
  return view.nodes.filter(function (id) { return !hiddenNodes[id]; });
}

function visibleEdgeIds() {
  return view.edges.filter(function (id) {
    var e = FOLDED_BY_ID[id] || EDGE_BY_ID[id];
    return !hiddenEdges[id] && !hiddenNodes[e.from] && !hiddenNodes[e.to];
  });
}

function fileStem() {
  var s = state.view === "overview" ? "obzor" : state.view + "-" + NODES[state.node].key;
  return "kg-" + s.replace(/[^\w.-]+/g, "_").slice(0, 60);
}

// -- PNG -----------------------------------------------------------------------------------------
function pngBlob(callback) {
  var source = network.canvas.frame.canvas;
  var canvas = document.createElement("canvas");
  canvas.width = source.width;
  canvas.height = source.height;
  var ctx = canvas.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(source, 0, 0);
  canvas.toBlob(callback, "image/png");
}

// -- SVG -----------------------------------------------------------------------------------------
var SVG_NS = "http://www.w3.org/2000/svg";

function svgText() {
  var canvas = network.canvas.frame.canvas;
  var ratio = network.canvas.pixelRatio || 1;
  var width = canvas.width / ratio;
  var height = canvas.height / ratio;
  var scale = network.getScale();
  var centre = network.getViewPosition();
  function dom(p) { return [(p.x - centre.x) * scale + width / 2, (p.y - centre.y) * scale + height / 2]; }
  var doc = document.implementation.createDocument(SVG_NS, "svg", null);
  var svg = doc.documentElement;
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("viewBox", "0 0 " + width + " " + height);
  function add(parent, tag, attrs, text) {
    var node = doc.createElementNS(SVG_NS, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { node.textContent = text; }
    parent.appendChild(node);
    return node;
  }
  add(svg, "rect", { x: 0, y: 0, width: width, height: height, fill: "#ffffff" });
  var edgesGroup = add(svg, "g", { fill: "none" });
  visibleEdgeIds().forEach(function (id) {
    var ve = network.body.edges[id];
    if (!ve || !ve.from || !ve.to) { return; }
    var a = dom(ve.from);
    var b = dom(ve.to);
    var m = dom(ve.edgeType.getPoint(0.5));
    var c = [2 * m[0] - (a[0] + b[0]) / 2, 2 * m[1] - (a[1] + b[1]) / 2];
    var folded = FOLDED_BY_ID[id];
    add(edgesGroup, "path", {
      d: "M" + a.join(" ") + " Q" + c.join(" ") + " " + b.join(" "),
      stroke: folded ? (folded.cls === "Agreement" ? "#e7a3cf" : "#8fd0dc") : "#b4bcc4",
      "stroke-width": folded ? Math.min(6, 1 + Math.log2(folded.facts.length)) : 1,
      "stroke-dasharray": folded ? "6 4" : "none",
    });
  });
  var nodesGroup = add(svg, "g", {});
  visibleNodeIds().forEach(function (id) {
    var vn = network.body.nodes[id];
    if (!vn) { return; }
    var p = dom(vn);
    if (p[0] < -50 || p[1] < -50 || p[0] > width + 50 || p[1] > height + 50) { return; }
    var n = NODES[id];
    var r = Math.max(1.5, vn.options.size * scale);
    var fill = vn.options.color.background;
    var stroke = vn.options.color.border;
    var shape = vn.options.shape;
    var attrs = { fill: fill, stroke: stroke, "stroke-width": id === focusId ? 3 : 1 };
    var element;
    if (shape === "dot") {
      element = add(nodesGroup, "circle", Object.assign({ cx: p[0], cy: p[1], r: r }, attrs));
    } else {
      element = add(nodesGroup, "polygon", Object.assign({ points: shapePoints(shape, p[0], p[1], r) }, attrs));
    }
    add(element, "title", {}, n.full);
  });
  var labels = add(svg, "g", { "font-family": "sans-serif", "paint-order": "stroke", stroke: "#ffffff",
                                "stroke-width": 3, "stroke-linejoin": "round" });
  lastDrawn.forEach(function (l) {
    var bold = l.font === BOLD;
    var size = l.edge !== undefined ? EDGE_FONT : l.font === SUB ? SUB_FONT : bold ? LABEL_FONT + 1 : LABEL_FONT;
    add(labels, "text", {
      x: l.x + 1, y: l.y + size * 0.9, "font-size": size,
      "font-weight": bold ? "bold" : "normal",
      fill: l.edge !== undefined ? "#59616b" : (l.node !== undefined && NODES[l.node].cls === "Cluster" ? "#7a0f10" : "#1f2328"),
    }, l.text);
  });
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc);
}

function shapePoints(shape, x, y, r) {
  var pts = [];
  var i;
  if (shape === "star") {
    for (i = 0; i < 10; i += 1) {
      var a = -Math.PI / 2 + i * Math.PI / 5;
      var rr = i % 2 ? r * 0.45 : r;
      pts.push([x + rr * Math.cos(a), y + rr * Math.sin(a)]);
    }
  } else if (shape === "diamond") {
    pts = [[x, y - r], [x + r, y], [x, y + r], [x - r, y]];
  } else if (shape === "square") {
    pts = [[x - r, y - r], [x + r, y - r], [x + r, y + r], [x - r, y + r]];
  } else if (shape === "triangle") {
    pts = [[x, y - r], [x + r, y + r * 0.8], [x - r, y + r * 0.8]];
  } else if (shape === "triangleDown") {
    pts = [[x, y + r], [x + r, y - r * 0.8], [x - r, y - r * 0.8]];
  } else {
    for (i = 0; i < 6; i += 1) {
      var b = Math.PI / 6 + i * Math.PI / 3;
      pts.push([x + r * Math.cos(b), y + r * Math.sin(b)]);
    }
  }
  return pts.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); }).join(" ");
}

// -- GEXF ----------------------------------------------------------------------------------------
var GEXF_NS = "http://gexf.net/1.3";
var VIZ_NS = "http://gexf.net/1.3/viz";

function gexfText() {
  var doc = document.implementation.createDocument(GEXF_NS, "gexf", null);
  var root = doc.documentElement;
  root.setAttribute("version", "1.3");
  root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:viz", VIZ_NS);
  function add(parent, tag, attrs, ns) {
    var node = doc.createElementNS(ns || GEXF_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    parent.appendChild(node);
    return node;
  }
  var meta = add(root, "meta", {});
  add(meta, "creator", {}).textContent = "kg";
  add(meta, "description", {}).textContent = viewTitle(state);
  var graph = add(root, "graph", { defaultedgetype: "directed", mode: "static" });
  var nattrs = add(graph, "attributes", { "class": "node" });
  [["cls", "класс"], ["regions", "регионы"], ["date", "дата"], ["iri", "IRI"]].forEach(function (a) {
    add(nattrs, "attribute", { id: a[0], title: a[1], type: "string" });
  });
  var eattrs = add(graph, "attributes", { "class": "edge" });
  [["rel", "связь"], ["facts", "факты"]].forEach(function (a) {
    add(eattrs, "attribute", { id: a[0], title: a[1], type: "string" });
  });
  var nodes = add(graph, "nodes", {});
  var positions = network.getPositions(visibleNodeIds());
  visibleNodeIds().forEach(function (id) {
    var n = NODES[id];
    var node = add(nodes, "node", { id: n.iri, label: n.full });
    var values = add(node, "attvalues", {});
    add(values, "attvalue", { "for": "cls", value: n.cls });
    add(values, "attvalue", { "for": "regions", value: n.regions.join("; ") });
    if (n.date) { add(values, "attvalue", { "for": "date", value: n.date }); }
    add(values, "attvalue", { "for": "iri", value: n.iri });
    var c = nodeColour(n);
    var v = parseInt(c.slice(1), 16);
    add(node, "color", { r: (v >> 16) & 255, g: (v >> 8) & 255, b: v & 255 }, VIZ_NS);
    add(node, "size", { value: n.size }, VIZ_NS);
    var p = positions[id];
    add(node, "position", { x: p.x.toFixed(1), y: (-p.y).toFixed(1), z: "0.0" }, VIZ_NS);
  });
  var edges = add(graph, "edges", {});
  visibleEdgeIds().forEach(function (id) {
    var f = FOLDED_BY_ID[id];
    var e = f || EDGE_BY_ID[id];
    var label = f ? foldedText(f, periodCount(f)) : edgeText(e);
    var edge = add(edges, "edge", { id: id, source: NODES[e.from].iri, target: NODES[e.to].iri, label: label });
    if (f) { edge.setAttribute("type", "undirected"); edge.setAttribute("weight", String(periodCount(f))); }
    var values = add(edge, "attvalues", {});
    add(values, "attvalue", { "for": "rel", value: f ? f.cls : e.rel });
    if (f) {
      add(values, "attvalue", { "for": "facts", value: f.facts.filter(factInPeriod).map(function (x) { return NODES[x].full; }).join("; ") });
    }
  });
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(doc);
}

// -- CSV -------------------------------------------------------------------------------------------
function csvCell(value) {
  var text = value === undefined || value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) { text = "'" + text; }  // a spreadsheet must not run it as a formula
  return '"' + text.replace(/"/g, '""') + '"';
}

function csvText(rows) {
  return "\ufeff" + rows.map(function (r) { return r.map(csvCell).join(","); }).join("\r\n") + "\r\n";
}

function nodesCsv() {
  var rows = [["iri", "название", "класс", "регионы", "дата", "соглашений", "событий", "участников", "источников"]];
  visibleNodeIds().forEach(function (id) {
    var n = NODES[id];
    var c = n.counts || {};
    rows.push([n.iri, n.full, className(n.cls), n.regions.join("; "), n.date || "", c.Agreement || 0, c.Event || 0,
               n.members === undefined ? "" : n.members, sourceCount(n.sources)]);
  });
  return csvText(rows);
}

function edgesCsv() {
  var rows = [["откуда", "связь", "куда", "откуда_iri", "куда_iri", "даты", "источников"]];
  visibleEdgeIds().forEach(function (id) {
    var f = FOLDED_BY_ID[id];
    var e = f || EDGE_BY_ID[id];
    var dates = f ? f.facts.filter(factInPeriod).map(function (x) { return NODES[x].date || ""; }).filter(Boolean)
                  : e.ranges.filter(function (_, i) { return i % 2 === 0; }).map(isoDay);
    rows.push([NODES[e.from].full, f ? foldedText(f, periodCount(f)) : edgeText(e), NODES[e.to].full,
               NODES[e.from].iri, NODES[e.to].iri, dates.join("; "), f ? "" : sourceCount(e.sources)]);
  });
  return csvText(rows);
}

// -- printable list of facts -------------------------------------------------------------------------
function visibleFacts() {
  var facts = {};
  var shown = {};
  visibleNodeIds().forEach(function (id) { shown[id] = true; if (isFact(NODES[id])) { facts[id] = true; } });
  visibleEdgeIds().forEach(function (id) {
    var f = FOLDED_BY_ID[id];
    if (f) { f.facts.filter(factInPeriod).forEach(function (x) { facts[x] = true; }); }
  });
  return Object.keys(facts).map(Number).sort(function (a, b) {
    var da = NODES[a].date || "";
    var db = NODES[b].date || "";
    return da < db ? -1 : da > db ? 1 : NODES[a].rank - NODES[b].rank;
  });
}

function printSources(item, refs, marks) {
  var list = el("ul", null, "kg-print-sources");
  for (var i = 0; i < sourceCount(refs); i += 1) { list.appendChild(sourceItem(source(refs, i), marks)); }
  item.appendChild(list);
}

function showFactsList() {
  var box = document.getElementById("kg-print");
  var list = document.getElementById("kg-print-list");
  list.replaceChildren();
  document.getElementById("kg-print-title").textContent = document.title + " — " + viewTitle(state);
  var filters = [];
  var region = document.getElementById("kg-region").value;
  if (region) { filters.push("регион: " + region); }
  if (period) { filters.push("период: " + periodText()); }
  var facts = visibleFacts();
  var relations = visibleEdgeIds().filter(function (id) {
    var e = EDGE_BY_ID[id];
    return e && !isFact(NODES[e.from]) && !isFact(NODES[e.to]);
  });
  var total = facts.length + relations.length;
  document.getElementById("kg-print-note").textContent = "Соглашений и событий: " + facts.length + "; связей: " +
    relations.length + (filters.length ? "; " + filters.join("; ") : "") +
    (total > PRINT_MAX ? "; показаны первые " + PRINT_MAX + " — сузьте период или регион" : "");
  var count = 0;
  facts.forEach(function (id) {
    if (count >= PRINT_MAX) { return; }
    count += 1;
    var n = NODES[id];
    var item = el("li", null, "kg-print-fact");
    item.appendChild(el("div", n.full + (n.date ? " (" + formatDate(n.date) + ")" : ""), "kg-print-head"));
    var parts = relationGroups(id).map(function (g) {
      return g.name + ": " + g.items.map(function (it) { return NODES[it[0]].full; }).join("; ");
    });
    if (parts.length) { item.appendChild(el("div", parts.join(". "), "kg-muted")); }
    printSources(item, n.sources, marksOf(n));
    list.appendChild(item);
  });
  relations.forEach(function (id) {
    if (count >= PRINT_MAX) { return; }
    count += 1;
    var e = EDGE_BY_ID[id];
    var item = el("li", null, "kg-print-relation");
    item.appendChild(el("div", NODES[e.from].full + " — " + edgeText(e) + " → " + NODES[e.to].full, "kg-print-head"));
    printSources(item, e.sources, marksOf(NODES[e.from]).concat(marksOf(NODES[e.to])));
    list.appendChild(item);
  });
  box.hidden = false;
  document.body.classList.add("kg-printing");
  return count;
}

document.getElementById("kg-print-close").addEventListener("click", function () {
  document.getElementById("kg-print").hidden = true;
  document.body.classList.remove("kg-printing");
});
document.getElementById("kg-print-go").addEventListener("click", function () { window.print(); });

function exportAs(kind) {
  var stem = fileStem();
  if (kind === "png") {
    pngBlob(function (blob) { download(stem + ".png", blob); });
  } else if (kind === "svg") {
    download(stem + ".svg", new Blob([svgText()], { type: "image/svg+xml" }));
  } else if (kind === "gexf") {
    download(stem + ".gexf", new Blob([gexfText()], { type: "application/xml" }));
  } else if (kind === "nodes-csv") {
    download(stem + "-nodes.csv", new Blob([nodesCsv()], { type: "text/csv" }));
  } else if (kind === "edges-csv") {
    download(stem + "-edges.csv", new Blob([edgesCsv()], { type: "text/csv" }));
  } else if (kind === "facts") {
    showFactsList();
  }
}

document.querySelectorAll("[data-export]").forEach(function (b) {
  b.addEventListener("click", function () {
    exportAs(b.getAttribute("data-export"));
    document.getElementById("kg-export").open = false;
  });
});
