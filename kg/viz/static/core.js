// kg relationship view: the data and helpers every other part uses.
// The scripts are concatenated into one function scope (kg/viz/html.py: SCRIPTS).
// Data from the news reaches the page only as text: textContent, canvas text,
// vis-network string titles (set with innerText); links only of http(s) URLs.
// Never innerHTML with data.
//
// The data comes in JSON islands: #kg-data holds what the first drawing needs (the
// entities, their relations, the folded facts); the .kg-more islands (agreements and
// events, the other relations, dates, sources) are read after it, one per task, so the
// page neither waits for them nor freezes while reading them (loadLater).
performance.mark("kg-start");
var data = JSON.parse(document.getElementById("kg-data").textContent);
var META = data.meta;
var NODES = [];  // node id == its index; entities first, then agreements and events
var EDGES = [];
var FOLDED = [];
var MARKS = [];
var DOCS = [];
var SENTENCES = [];
var LOADED = false;
var STYLE = {};
data.legend.forEach(function (c) { STYLE[c.cls] = c; });
var FACT = { Agreement: true, Event: true };
var OUT = [];  // node id -> ids of the relation edges leaving it
var IN = [];
var FOLDED_AT = [];  // node id -> folded edges at it
var EDGE_BY_ID = {};
var FOLDED_BY_ID = {};
var NODE_BY_KEY = {};
var tails = {};
var FACT_LABEL_MAX = 60;
var DAY = 86400000;

function styleOf(cls) { return STYLE[cls] || data.other; }

function normalize(text) {
  return String(text).normalize("NFC").toLowerCase().replace(/ё/g, "е").split(/\s+/).filter(Boolean).join(" ");
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

function formatDate(value) {
  if (!value) { return ""; }
  var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(value);
  if (!m) { return value; }
  return [m[3], m[2], m[1]].filter(Boolean).join(".");
}

// Days since 1970-01-01 <-> ISO dates (the data's date ranges are day numbers).
function dayNumber(iso) {
  return Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / DAY);
}

function isoDay(number) {
  return new Date(number * DAY).toISOString().slice(0, 10);
}

// Russian plural: plural(5, ["событие", "события", "событий"]) -> "событий"
function plural(n, forms) {
  var a = Math.abs(n) % 100;
  var b = a % 10;
  if (a > 10 && a < 20) { return forms[2]; }
  if (b > 1 && b < 5) { return forms[1]; }
  if (b === 1) { return forms[0]; }
  return forms[2];
}

function relName(rel) { return (data.rels[rel] || [rel])[0]; }

function edgeText(e) {
  return e.rel === "holds" ? e.label : relName(e.rel);
}

function foldedText(f, count) {
  var names = data.foldedNames[f.cls] || [f.cls, f.cls, f.cls];
  var n = count === undefined ? f.facts.length : count;
  return n + " " + plural(n, names);
}

// A node's or edge's sources are a flat list of [document, sentence] indexes; source(list, i)
// is the i-th: {doc, date, url, sentence}.
function sourceCount(refs) { return refs.length / 2; }

function source(refs, i) {
  var doc = DOCS[refs[2 * i]] || ["", null, null];
  return { doc: doc[0], date: doc[1], url: doc[2], sentence: SENTENCES[refs[2 * i + 1]] || "" };
}

function shorten(text, limit) {
  return text.length <= limit ? text : text.slice(0, limit - 1).replace(/\s+$/, "") + "…";
}

// An agreement's or event's label from its parts (head, named nodes, tail), as
// kg.viz.labels.fact_label writes it: [full, short]. `skip`: a node not to name.
function factLabels(n, skip) {
  var head = n.parts[0];
  var tail = n.parts[2];
  var names = n.parts[1].filter(function (m) { return m !== skip; }).map(function (m) { return NODES[m].name; });
  if (!names.length) {
    var bare = head.replace(/[:\s]+$/, "") + tail;
    var full0 = bare || n.name || "";
    return [full0, shorten(full0, FACT_LABEL_MAX)];
  }
  var full = head + names.join(" — ") + tail;
  if (full.length <= FACT_LABEL_MAX) { return [full, full]; }
  if (head.length > Math.floor(FACT_LABEL_MAX / 2)) {
    head = shorten(head.replace(/[:\s]+$/, ""), Math.floor(FACT_LABEL_MAX / 2)) + ": ";
  }
  var budget = Math.max(FACT_LABEL_MAX - head.length - tail.length, 12) - 3 * (names.length - 1);
  var limits = names.map(function (x) { return x.length; });
  var total = limits.reduce(function (a, b) { return a + b; }, 0);
  while (total > budget && Math.max.apply(null, limits) > 4) {
    limits[limits.indexOf(Math.max.apply(null, limits))] -= 1;
    total -= 1;
  }
  return [full, head + names.map(function (x, i) { return shorten(x, limits[i]); }).join(" — ") + tail];
}

function tailOf(iri) { return iri.replace(/[#\/]+$/, "").split(/[#\/]/).pop(); }

function addNode(n) {
  if (n.iri.indexOf(":") < 0) { n.iri = META.base + n.iri; }
  n.alt = n.alt || [];
  n.regions = n.regions || [];
  n.posts = n.posts || [];
  n.sources = [];
  n.ranges = [];
  if (n.parts) {  // an agreement or an event: its label is made of its parts
    var names = factLabels(n);
    n.full = names[0];
    n.label = names[1];
    if (n.name === undefined) { n.name = n.full; }
    n.size = META.factSize;
    n.rank = n.id;
    n.community = -1;
  }
  if (n.full === undefined) { n.full = n.label; }
  if (n.name === undefined) { n.name = n.full; }
  n.names = undefined;  // search's normalized names, made when first searched (views.js: searchNames)
  NODES[n.id] = n;
  OUT[n.id] = [];
  IN[n.id] = [];
  FOLDED_AT[n.id] = [];
  // The key in the URL fragment: the IRI's last segment when no other node shares it.
  var tail = tailOf(n.iri);
  if (tails[tail] === undefined) {
    tails[tail] = n.id;
    n.key = tail;
  } else {
    if (tails[tail] !== null) {  // the first one with this tail goes by its IRI too
      var other = NODES[tails[tail]];
      delete NODE_BY_KEY[other.key];
      other.key = other.iri;
      NODE_BY_KEY[other.key] = other.id;
      tails[tail] = null;
    }
    n.key = n.iri;
  }
  NODE_BY_KEY[n.key] = n.id;
}

function addEdge(row) {
  var e = { id: "e" + EDGES.length, from: row[0], to: row[1], rel: row[2], label: row.length > 3 ? row[3] : relName(row[2]),
            ranges: [], sources: [] };
  EDGES.push(e);
  EDGE_BY_ID[e.id] = e;
  OUT[e.from].push(e.id);
  IN[e.to].push(e.id);
}

function addFolded(row) {
  var f = { id: "f" + FOLDED.length, from: row[0], to: row[1], cls: row[2], facts: row[3] };
  FOLDED.push(f);
  FOLDED_BY_ID[f.id] = f;
  FOLDED_AT[f.from].push(f.id);
  FOLDED_AT[f.to].push(f.id);
}

data.nodes.forEach(addNode);
data.edges.forEach(addEdge);
data.folded.forEach(addFolded);
performance.mark("kg-first-island");

// One later island into the data.
function merge(chunk) {
  (chunk.nodes || []).forEach(addNode);
  (chunk.edges || []).forEach(addEdge);
  if (chunk.docs) { DOCS = DOCS.concat(chunk.docs); }
  if (chunk.sentences) { SENTENCES = SENTENCES.concat(chunk.sentences); }
  if (chunk.marks) { MARKS = MARKS.concat(chunk.marks); }
  [["nodeRanges", NODES, "ranges"], ["nodeSources", NODES, "sources"], ["edgeRanges", EDGES, "ranges"],
   ["edgeSources", EDGES, "sources"]].forEach(function (spec) {
    var block = chunk[spec[0]];
    if (!block) { return; }
    block[1].forEach(function (value, i) { spec[1][block[0] + i][spec[2]] = value; });
  });
}

// Read the later islands one per task, then call done().
function loadLater(done) {
  var islands = Array.prototype.slice.call(document.querySelectorAll("script.kg-more"));
  var i = 0;
  function next() {
    if (i >= islands.length) {
      LOADED = true;
      done();
      return;
    }
    merge(JSON.parse(islands[i].textContent));
    islands[i].textContent = "";  // the text is no longer needed
    performance.mark("kg-island-" + i);
    i += 1;
    setTimeout(next, 0);
  }
  setTimeout(next, 0);
}

function isFact(n) { return FACT[n.cls] === true; }

// Neighbours of a node over the relation edges, either way.
function neighbours(id) {
  var out = [];
  OUT[id].forEach(function (eid) { out.push(EDGE_BY_ID[eid].to); });
  IN[id].forEach(function (eid) { out.push(EDGE_BY_ID[eid].from); });
  return out;
}

function countsText(n) {
  var parts = [];
  var c = n.counts || {};
  if (c.Agreement) { parts.push(c.Agreement + " " + plural(c.Agreement, data.foldedNames.Agreement)); }
  if (c.Event) { parts.push(c.Event + " " + plural(c.Event, data.foldedNames.Event)); }
  return parts.join(", ");
}

function className(cls) { return styleOf(cls).name; }
