// The details panel: a node's name, class, region, its relations grouped (members,
// initiators, posts, agreements, events...) each a link to that node, and every source
// sentence, a page at a time, with the mention marked.
var SOURCES_PAGE = 5;
var GROUP_SHOWN = 30;
var details = document.getElementById("kg-details");

function field(list, name, value) {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
  list.appendChild(el("dt", name));
  list.appendChild(el("dd", Array.isArray(value) ? value.join("; ") : value));
}

// `text` as text nodes, with every occurrence of one of `marks` in a <mark>.
function marked(text, marks) {
  var box = el("span");
  var words = marks.filter(function (m) { return m && m.length > 1; })
    .map(function (m) { return m.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+"); })
    .sort(function (a, b) { return b.length - a.length; });
  if (!words.length) { box.textContent = text; return box; }
  var re = new RegExp(words.join("|"), "giu");
  var last = 0;
  var m;
  while ((m = re.exec(text)) !== null) {
    if (m[0].length === 0) { re.lastIndex += 1; continue; }
    if (m.index > last) { box.appendChild(document.createTextNode(text.slice(last, m.index))); }
    box.appendChild(el("mark", m[0]));
    last = m.index + m[0].length;
  }
  if (last < text.length) { box.appendChild(document.createTextNode(text.slice(last))); }
  return box;
}

function marksOf(n) {
  return (n.marks || []).map(function (i) { return MARKS[i]; }).concat([n.name, n.full]).concat(n.alt);
}

function sourceItem(s, marks) {
  var item = el("li");
  item.appendChild(el("div", s.doc + (s.date ? ", " + formatDate(s.date) : ""), "kg-doc"));
  var sentence = marked(s.sentence, marks);
  sentence.className = "kg-sentence";
  item.appendChild(sentence);
  if (safeUrl(s.url)) {
    var link = el("a", s.url);
    link.href = s.url;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    item.appendChild(link);
  } else if (s.url) {
    item.appendChild(el("div", s.url, "kg-doc"));
  }
  return item;
}

// Sources, SOURCES_PAGE at a time, with ‹ › to turn the pages.
function sourcePager(refs, marks) {
  var count = sourceCount(refs);
  var box = el("section", null, "kg-sources");
  var head = el("h2", "Источники (" + count + ")");
  box.appendChild(head);
  var list = el("ol");
  var nav = el("div", null, "kg-pager");
  var prev = el("button", "‹", "kg-page-prev");
  var next = el("button", "›", "kg-page-next");
  var where = el("span", "", "kg-page-where");
  prev.type = next.type = "button";
  nav.appendChild(prev);
  nav.appendChild(where);
  nav.appendChild(next);
  var page = 0;
  var pages = Math.max(1, Math.ceil(count / SOURCES_PAGE));
  function show() {
    list.replaceChildren();
    list.start = page * SOURCES_PAGE + 1;
    for (var i = page * SOURCES_PAGE; i < Math.min(count, (page + 1) * SOURCES_PAGE); i += 1) {
      list.appendChild(sourceItem(source(refs, i), marks));
    }
    where.textContent = " " + (page * SOURCES_PAGE + 1) + "–" + Math.min(count, (page + 1) * SOURCES_PAGE) +
      " из " + count + " ";
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  prev.addEventListener("click", function () { if (page > 0) { page -= 1; show(); } });
  next.addEventListener("click", function () { if (page < pages - 1) { page += 1; show(); } });
  show();
  if (pages > 1) { box.appendChild(nav); }
  box.appendChild(list);
  return box;
}

function nodeLink(id, extra) {
  var n = NODES[id];
  var b = el("button", "", "kg-link");
  b.type = "button";
  var glyph = el("span", styleOf(n.cls).glyph + " ", "kg-glyph");
  glyph.style.color = styleOf(n.cls).color;
  b.appendChild(glyph);
  b.appendChild(document.createTextNode(n.full));
  b.title = className(n.cls);
  b.addEventListener("click", function () { goToNode(id); });
  var li = el("li");
  li.appendChild(b);
  if (extra) { li.appendChild(el("span", " — " + extra, "kg-muted")); }
  return li;
}

// Select a node where it is drawn; else open its neighbourhood.
function goToNode(id) {
  if (!nodesDS.get(id) || hiddenNodes[id]) { openFocus(id, 1); }
  network.selectNodes([id], true);
  network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
  var p = {};
  p[id] = 0;
  neighbours(id).forEach(function (m) { p[m] = 1; });
  setPriority(p);
  showNode(id);
}

// The node's relations, grouped as GROUP_ORDER says.
function relationGroups(id) {
  var groups = {};
  function add(name, other, extra) {
    var g = groups[name] = groups[name] || { name: name, items: [], seen: {} };
    var key = other + "|" + (extra || "");
    if (g.seen[key]) { return; }
    g.seen[key] = true;
    g.items.push([other, extra]);
  }
  OUT[id].forEach(function (eid) {
    var e = EDGE_BY_ID[eid];
    add(groupOf(id, e, e.to), e.to, e.rel === "holds" ? e.label : (NODES[e.to].date ? formatDate(NODES[e.to].date) : ""));
  });
  IN[id].forEach(function (eid) {
    var e = EDGE_BY_ID[eid];
    var other = NODES[e.from];
    var extra = e.rel === "holds" ? e.label : (other.date ? formatDate(other.date) : "");
    if (isFact(other) && e.rel !== "about" && e.rel !== "party" && e.rel !== "participant") { extra = relName(e.rel) + (extra ? ", " + extra : ""); }
    add(groupOf(id, e, e.from), e.from, extra);
  });
  return Object.keys(groups).map(function (k) { return groups[k]; })
    .sort(function (a, b) { return groupRank(a.name) - groupRank(b.name) || a.name.localeCompare(b.name); });
}

function groupList(g) {
  var box = el("section", null, "kg-group");
  box.appendChild(el("h2", g.name + " (" + g.items.length + ")"));
  var list = el("ul", null, "kg-links");
  var items = g.items.slice().sort(function (a, b) {
    var da = NODES[a[0]].date || "";
    var db = NODES[b[0]].date || "";
    return (db < da ? -1 : db > da ? 1 : 0) || NODES[a[0]].rank - NODES[b[0]].rank;
  });
  function fill(limit) {
    list.replaceChildren();
    items.slice(0, limit).forEach(function (it) { list.appendChild(nodeLink(it[0], it[1])); });
    if (items.length > limit) {
      var more = el("button", "показать все " + items.length, "kg-more");
      more.type = "button";
      more.addEventListener("click", function () { fill(items.length); });
      var li = el("li");
      li.appendChild(more);
      list.appendChild(li);
    }
  }
  fill(GROUP_SHOWN);
  box.appendChild(list);
  return box;
}

function actions(id) {
  var n = NODES[id];
  var bar = el("div", null, "kg-actions");
  function button(text, fn, cls) {
    var b = el("button", text, cls);
    b.type = "button";
    b.addEventListener("click", fn);
    bar.appendChild(b);
  }
  if (n.cls === "Cluster") { button("Окружение кластера", function () { openWorld(id); }, "kg-open-world"); }
  button("Соседи", function () { openFocus(id, 1); }, "kg-open-focus");
  if (state.view !== "overview") { button("Раскрыть соседей здесь", function () { expandNode(id); }, "kg-expand"); }
  var region = n.cls === "Region" ? n.full : n.regions[0];
  if (region) {
    button("Только регион: " + region, function () {
      var select = document.getElementById("kg-region");
      select.value = region;
      applyFilters();
    }, "kg-only-region");
  }
  return bar;
}

function showNode(id) {
  var n = NODES[id];
  details.replaceChildren();
  if (!n) { return; }
  details.appendChild(el("h3", n.full));
  var list = el("dl");
  field(list, "Класс", className(n.cls) + (n.kind ? ": " + n.kind : ""));
  if (n.name !== n.full) { field(list, "Название", n.name); }
  field(list, "Другие названия", n.alt);
  field(list, "Регион", n.regions);
  if (n.members !== undefined) { field(list, "Участников", String(n.members)); }
  if (n.date) { field(list, "Дата", formatDate(n.date)); }
  field(list, "Факты", countsText(n));
  field(list, "Должности без организации", n.posts);
  field(list, "IRI", n.iri);
  details.appendChild(list);
  details.appendChild(actions(id));
  relationGroups(id).forEach(function (g) { details.appendChild(groupList(g)); });
  if (n.sources.length) { details.appendChild(sourcePager(n.sources, marksOf(n))); }
  else if (!LOADED) { details.appendChild(el("p", "Источники загружаются…", "kg-muted")); }
}

function showEdge(id) {
  var e = EDGE_BY_ID[id];
  details.replaceChildren();
  if (!e) { return; }
  details.appendChild(el("h3", NODES[e.from].full + " — " + edgeText(e) + " → " + NODES[e.to].full));
  var list = el("dl");
  field(list, "Связь", relName(e.rel) + (e.rel === "holds" ? ": " + e.label : ""));
  field(list, "Даты", rangesText(e.ranges));
  details.appendChild(list);
  var ends = el("ul", null, "kg-links");
  ends.appendChild(nodeLink(e.from));
  ends.appendChild(nodeLink(e.to));
  details.appendChild(ends);
  var marks = marksOf(NODES[e.from]).concat(marksOf(NODES[e.to])).concat(e.rel === "holds" ? [e.label] : []);
  if (e.sources.length) { details.appendChild(sourcePager(e.sources, marks)); }
}

function showFolded(id) {
  var f = FOLDED_BY_ID[id];
  details.replaceChildren();
  if (!f) { return; }
  var shown = f.facts.filter(factInPeriod);
  details.appendChild(el("h3", NODES[f.from].full + " — " + NODES[f.to].full + ": " + foldedText(f, shown.length)));
  var ends = el("ul", null, "kg-links");
  ends.appendChild(nodeLink(f.from));
  ends.appendChild(nodeLink(f.to));
  details.appendChild(ends);
  var group = { name: f.cls === "Agreement" ? "Соглашения" : "События", items: shown.map(function (x) {
    return [x, NODES[x].date ? formatDate(NODES[x].date) : ""];
  }) };
  details.appendChild(groupList(group));
  var refs = [];
  var seen = {};
  shown.forEach(function (x) {
    var own = NODES[x].sources;
    for (var i = 0; i < own.length; i += 2) {
      var k = own[i] + ":" + own[i + 1];
      if (!seen[k]) { seen[k] = true; refs.push(own[i], own[i + 1]); }
    }
  });
  var marks = marksOf(NODES[f.from]).concat(marksOf(NODES[f.to]));
  shown.forEach(function (x) { marks = marks.concat((NODES[x].marks || []).map(function (i) { return MARKS[i]; })); });
  if (refs.length) { details.appendChild(sourcePager(refs, marks)); }
}
