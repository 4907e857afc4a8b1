// kg relationship view. Data from the news reaches the page only as text:
// textContent, option.text, vis-network string titles (set with innerText);
// links are made only of http(s) URLs. Never innerHTML with data.
(function () {
  "use strict";
  var TOOLTIP_SOURCES = 3;
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var classNames = {};
  document.querySelectorAll(".kg-class").forEach(function (box) {
    classNames[box.value] = box.parentNode.querySelector(".kg-class-name").textContent;
  });
  var byId = {};
  var adjacent = {};
  // A source is [document id, date, URL, sentence]; the page carries each
  // document and each sentence once, and sources as [document, sentence] indexes.
  function expand(ref) {
    var doc = data.docs[ref[0]];
    return [doc[0], doc[1], doc[2], data.sentences[ref[1]]];
  }
  data.nodes.forEach(function (n) {
    if (n.full === undefined) { n.full = n.label; }
    n.sources = n.sources.map(expand);
    byId[n.id] = n;
    adjacent[n.id] = [];
    n.names = [n.full].concat(n.alt).map(normalize);
    n.title = nodeTooltip(n);  // a string: vis-network shows it with innerText
  });
  var edgeById = {};
  data.edges.forEach(function (e) {
    if (e.full === undefined) { e.full = e.label; }
    e.sources = e.sources.map(expand);
    edgeById[e.id] = e;
    adjacent[e.from].push(e.to);
    adjacent[e.to].push(e.from);
    e.title = edgeTooltip(e);
  });

  function sourceLines(sources) {
    var lines = sources.length ? ["Источники:"] : [];
    sources.slice(0, TOOLTIP_SOURCES).forEach(function (s) {
      lines.push("[" + [s[0], s[1]].filter(Boolean).join(", ") + "] " + s[3]);
      if (s[2]) { lines.push("    " + s[2]); }
    });
    if (sources.length > TOOLTIP_SOURCES) {
      lines.push("… ещё " + (sources.length - TOOLTIP_SOURCES) + " (щёлкните по элементу)");
    }
    return lines;
  }

  function nodeTooltip(n) {
    var lines = [n.full, "Класс: " + (classNames[n.cls] || n.cls) + " (" + n.cls + ")"];
    if (n.alt.length) { lines.push("Другие названия: " + n.alt.join("; ")); }
    if (n.regions.length) { lines.push("Регион: " + n.regions.join("; ")); }
    if (n.posts.length) { lines.push("Должности: " + n.posts.join("; ")); }
    return lines.concat(sourceLines(n.sources)).join("\n");
  }

  function edgeTooltip(e) {
    var lines = [byId[e.from].full + " — " + e.full + " → " + byId[e.to].full, "Связь: " + e.rel];
    return lines.concat(sourceLines(e.sources)).join("\n");
  }
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  var hiddenNodes = {};
  var hiddenEdges = {};

  function normalize(text) {
    return text.normalize("NFC").toLowerCase().replace(/ё/g, "е").split(/\s+/).filter(Boolean).join(" ");
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url);
  }

  // -- details panel -------------------------------------------------------------
  var details = document.getElementById("kg-details");

  function field(list, name, value) {
    if (!value || (Array.isArray(value) && !value.length)) { return; }
    list.appendChild(el("dt", name));
    list.appendChild(el("dd", Array.isArray(value) ? value.join("; ") : value));
  }

  function sourceList(sources) {
    var list = el("ol");
    sources.forEach(function (s) {
      var item = el("li");
      item.appendChild(el("div", s[0] + (s[1] ? ", " + s[1] : ""), "kg-doc"));
      item.appendChild(el("div", s[3]));
      if (safeUrl(s[2])) {
        var link = el("a", s[2]);
        link.href = s[2];
        link.target = "_blank";
        link.rel = "noopener noreferrer";
        item.appendChild(link);
      } else if (s[2]) {
        item.appendChild(el("div", s[2], "kg-doc"));
      }
      list.appendChild(item);
    });
    return list;
  }

  function showNode(id) {
    var n = byId[id];
    details.replaceChildren();
    if (!n) { return; }
    details.appendChild(el("h3", n.full));
    var list = el("dl");
    field(list, "Класс", (classNames[n.cls] || "") + " (" + n.cls + ")");
    field(list, "Другие названия", n.alt);
    field(list, "Регион", n.regions);
    field(list, "Должности", n.posts);
    field(list, "Связей", String(adjacent[id].length));
    field(list, "IRI", n.iri);
    details.appendChild(list);
    if (n.sources.length) {
      details.appendChild(el("h2", "Источники"));
      details.appendChild(sourceList(n.sources));
    }
  }

  function showEdge(id) {
    var e = edgeById[id];
    details.replaceChildren();
    if (!e) { return; }
    details.appendChild(el("h3", byId[e.from].full + " — " + e.full + " → " + byId[e.to].full));
    var list = el("dl");
    field(list, "Связь", e.rel);
    details.appendChild(list);
    if (e.sources.length) {
      details.appendChild(el("h2", "Источники"));
      details.appendChild(sourceList(e.sources));
    }
  }

  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
  });

  // -- search ----------------------------------------------------------------------
  var names = document.getElementById("kg-names");
  var seen = {};
  data.nodes.forEach(function (n) {
    if (!seen[n.full]) {
      seen[n.full] = true;
      var option = document.createElement("option");
      option.value = n.full;
      names.appendChild(option);
    }
  });
  var found = document.getElementById("kg-found");

  function search(query) {
    var wanted = normalize(query || "");
    if (!wanted) { found.textContent = ""; network.unselectAll(); return []; }
    var exact = [];
    var partial = [];
    data.nodes.forEach(function (n) {
      if (hiddenNodes[n.id]) { return; }
      if (n.names.indexOf(wanted) >= 0) { exact.push(n.id); }
      else if (n.names.some(function (name) { return name.indexOf(wanted) >= 0; })) { partial.push(n.id); }
    });
    var ids = exact.concat(partial);
    found.textContent = ids.length ? "найдено: " + ids.length : "не найдено";
    if (ids.length) {
      network.selectNodes(ids, true);
      network.focus(ids[0], { scale: 1.2, animation: false });
      showNode(ids[0]);
    } else {
      network.unselectAll();
    }
    return ids;
  }

  document.getElementById("kg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(document.getElementById("kg-search").value);
  });

  // -- filters -----------------------------------------------------------------------
  var regionSelect = document.getElementById("kg-region");
  var fromInput = document.getElementById("kg-from");
  var toInput = document.getElementById("kg-to");
  var count = document.getElementById("kg-count");

  function bound(value, low) {
    var v = (value || "").trim();
    if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) { return low ? "0000-00-00" : "9999-99-99"; }
    if (v.length === 4) { return v + (low ? "-01-01" : "-12-31"); }
    if (v.length === 7) { return v + (low ? "-01" : "-31"); }
    return v;
  }

  function inDates(ranges, from, to) {
    if (!ranges.length) { return true; }
    return ranges.some(function (r) { return r[0] <= to && r[1] >= from; });
  }

  function applyFilters() {
    var classes = {};
    document.querySelectorAll(".kg-class").forEach(function (box) { classes[box.value] = box.checked; });
    var region = regionSelect.value;
    var from = bound(fromInput.value, true);
    var to = bound(toInput.value, false);
    var inRegion = null;
    if (region) {
      inRegion = {};
      data.nodes.forEach(function (n) { if (n.regions.indexOf(region) >= 0) { inRegion[n.id] = true; } });
    }
    var nodeChanges = [];
    var shown = 0;
    data.nodes.forEach(function (n) {
      var visible = classes[n.cls] !== false && inDates(n.ranges, from, to) &&
        (!inRegion || inRegion[n.id] || adjacent[n.id].some(function (m) { return inRegion[m]; }));
      if (visible) { shown += 1; }
      if (!visible !== !!hiddenNodes[n.id]) {
        hiddenNodes[n.id] = !visible;
        nodeChanges.push({ id: n.id, hidden: !visible });
      }
    });
    // vis-network does not draw an edge with a hidden end: only dates hide edges here.
    var edgeChanges = [];
    data.edges.forEach(function (e) {
      var visible = inDates(e.ranges, from, to);
      if (!visible !== !!hiddenEdges[e.id]) {
        hiddenEdges[e.id] = !visible;
        edgeChanges.push({ id: e.id, hidden: !visible });
      }
    });
    if (nodeChanges.length) { nodes.update(nodeChanges); }
    if (edgeChanges.length) { edges.update(edgeChanges); }
    count.textContent = "узлов: " + shown + " из " + data.nodes.length;
    return shown;
  }

  document.querySelectorAll(".kg-class").forEach(function (box) { box.addEventListener("change", applyFilters); });
  regionSelect.addEventListener("change", applyFilters);
  fromInput.addEventListener("change", applyFilters);
  toInput.addEventListener("change", applyFilters);
  document.getElementById("kg-reset").addEventListener("click", function () {
    document.querySelectorAll(".kg-class").forEach(function (box) { box.checked = true; });
    regionSelect.value = "";
    fromInput.value = "";
    toInput.value = "";
    applyFilters();
    search("");
  });

  count.textContent = "узлов: " + data.nodes.length + " из " + data.nodes.length;

  // Zoomed out to fit, 14-unit labels fall under vis-network's draw threshold and
  // vanish. On graphs small enough to read whole, grow the label font so that labels
  // stay about 11 px on screen at the fitted zoom (edge labels appear as one zooms in).
  if (data.nodes.length <= 400) {
    network.once("afterDrawing", function () {
      var scale = network.getScale();
      if (scale > 0 && scale < 0.8) {
        network.setOptions({ nodes: { font: { size: Math.round(11 / scale) } } });
      }
    });
  }
  network.once("afterDrawing", function () { document.body.setAttribute("data-kg-ready", "1"); });

  // For tests and the console.
  window.kgViz = {
    network: network,
    nodes: nodes,
    edges: edges,
    search: search,
    applyFilters: applyFilters,
    drawnNodeCount: function () { return network.body.nodeIndices.length; },
    drawnEdgeCount: function () { return network.body.edgeIndices.length; }
  };
})();
