// The timeline: agreements and events per month, stacked bars under the graph. Drag
// across it (or click a month) to choose a period: the date filter takes it and the graph
// shows what happened in it (folded edges count only the facts of the period). The facts
// of the selected node are marked above their months.
var timelineBox = document.getElementById("kg-timeline");
var timelineCanvas = document.getElementById("kg-timeline-canvas");
var MONTHS = [];  // ["2023-01", ...] from the first month with a fact to the last
var BINS = {};    // month -> {Agreement: n, Event: n}
var marked_months = {};
var dragFrom = null;
var dragTo = null;
timelineBox.hidden = META.nodeCount === META.entities;  // no agreement, no event: no timeline

function buildTimeline() {
  MONTHS = [];
  BINS = {};
  var first = null;
  var last = null;
  NODES.forEach(function (n) {
    if (!isFact(n) || !n.date || !/^\d{4}-\d{2}/.test(n.date)) { return; }
    var m = n.date.slice(0, 7);
    var bin = BINS[m] = BINS[m] || { Agreement: 0, Event: 0 };
    bin[n.cls] += 1;
    if (first === null || m < first) { first = m; }
    if (last === null || m > last) { last = m; }
  });
  timelineBox.hidden = first === null;
  if (first === null) { return; }
  var y = +first.slice(0, 4);
  var mo = +first.slice(5, 7);
  while (true) {
    var key = y + "-" + (mo < 10 ? "0" : "") + mo;
    MONTHS.push(key);
    if (key >= last) { break; }
    mo += 1;
    if (mo > 12) { mo = 1; y += 1; }
  }
  drawTimeline();
}

function timelineGeometry() {
  var width = timelineCanvas.clientWidth || 600;
  var left = 34;
  var right = 8;
  var step = (width - left - right) / Math.max(1, MONTHS.length);
  return { width: width, height: 64, left: left, step: step, base: 50 };
}

function drawTimeline() {
  if (timelineBox.hidden) { return; }
  var g = timelineGeometry();
  var ratio = window.devicePixelRatio || 1;
  timelineCanvas.width = Math.round(g.width * ratio);
  timelineCanvas.height = Math.round(g.height * ratio);
  var ctx = timelineCanvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, g.width, g.height);
  var max = 1;
  MONTHS.forEach(function (m) { var b = BINS[m]; if (b) { max = Math.max(max, b.Agreement + b.Event); } });
  var low = period && period[0] !== -Infinity ? isoDay(period[0]).slice(0, 7) : null;
  var high = period && period[1] !== Infinity ? isoDay(period[1]).slice(0, 7) : null;
  if (period) {
    ctx.fillStyle = "rgba(255, 210, 80, 0.35)";
    var i0 = Math.max(0, indexOfMonth(low, true));
    var i1 = Math.min(MONTHS.length - 1, indexOfMonth(high, false));
    if (i1 >= i0) { ctx.fillRect(g.left + i0 * g.step, 0, (i1 - i0 + 1) * g.step, g.base); }
  }
  MONTHS.forEach(function (m, i) {
    var b = BINS[m];
    if (!b) { return; }
    var x = g.left + i * g.step + 0.5;
    var w = Math.max(1, g.step - 1);
    var ha = (b.Agreement / max) * (g.base - 8);
    var he = (b.Event / max) * (g.base - 8);
    var inside = !period || ((low === null || m >= low) && (high === null || m <= high));
    ctx.fillStyle = inside ? styleOf("Event").color : "#c9d6d9";
    ctx.fillRect(x, g.base - he, w, he);
    ctx.fillStyle = inside ? styleOf("Agreement").color : "#e2cdda";
    ctx.fillRect(x, g.base - he - ha, w, ha);
    if (marked_months[m]) {
      ctx.fillStyle = "#111";
      ctx.beginPath();
      ctx.arc(x + w / 2, 4, 3, 0, 2 * Math.PI);
      ctx.fill();
    }
  });
  ctx.fillStyle = "#555";
  ctx.font = "10px sans-serif";
  ctx.textBaseline = "top";
  ctx.fillText(String(max), 2, 4);
  var lastYear = null;
  MONTHS.forEach(function (m, i) {
    var year = m.slice(0, 4);
    if (year !== lastYear) {
      ctx.fillRect(g.left + i * g.step, g.base, 1, 4);
      ctx.fillText(year, g.left + i * g.step + 2, g.base + 3);
      lastYear = year;
    }
  });
  if (dragFrom !== null && dragTo !== null) {
    ctx.strokeStyle = "#333";
    var a = Math.min(dragFrom, dragTo);
    var z = Math.max(dragFrom, dragTo);
    ctx.strokeRect(g.left + a * g.step, 0.5, (z - a + 1) * g.step, g.base - 1);
  }
}

function indexOfMonth(m, low) {
  if (!m) { return low ? 0 : MONTHS.length - 1; }
  for (var i = 0; i < MONTHS.length; i += 1) {
    if (MONTHS[i] >= m) { return low ? i : (MONTHS[i] === m ? i : i - 1); }
  }
  return low ? MONTHS.length : MONTHS.length - 1;
}

function monthAt(clientX) {
  var g = timelineGeometry();
  var r = timelineCanvas.getBoundingClientRect();
  var i = Math.floor((clientX - r.left - g.left) / g.step);
  return Math.max(0, Math.min(MONTHS.length - 1, i));
}

// Choose the period [MONTHS[a], MONTHS[z]] (indexes), or clear it with (null).
function choosePeriod(a, z) {
  var from = document.getElementById("kg-from");
  var to = document.getElementById("kg-to");
  if (a === null) {
    from.value = "";
    to.value = "";
  } else {
    from.value = MONTHS[Math.min(a, z)];
    to.value = MONTHS[Math.max(a, z)];
  }
  applyFilters();
  showPeriod();
}

function periodText() {
  if (!period) { return ""; }
  var from = period[0] === -Infinity ? "…" : formatDate(isoDay(period[0]));
  var to = period[1] === Infinity ? "…" : formatDate(isoDay(period[1]));
  return from + " — " + to;
}

function showPeriod() {
  document.getElementById("kg-period").textContent = period ? "период: " + periodText() : "";
  document.getElementById("kg-period-clear").hidden = !period;
}

function markFacts(id) {
  marked_months = {};
  if (id !== null && id !== undefined && NODES[id]) {
    var facts = isFact(NODES[id]) ? [id] : neighbours(id).filter(function (m) { return isFact(NODES[m]); });
    facts.forEach(function (f) { if (NODES[f].date) { marked_months[NODES[f].date.slice(0, 7)] = true; } });
  }
  drawTimeline();
}

timelineCanvas.addEventListener("mousedown", function (event) {
  dragFrom = dragTo = monthAt(event.clientX);
  drawTimeline();
});
timelineCanvas.addEventListener("mousemove", function (event) {
  if (dragFrom === null) {
    var m = MONTHS[monthAt(event.clientX)];
    var b = BINS[m] || { Agreement: 0, Event: 0 };
    timelineCanvas.title = formatDate(m) + ": " + b.Agreement + " " + plural(b.Agreement, data.foldedNames.Agreement) +
      ", " + b.Event + " " + plural(b.Event, data.foldedNames.Event);
    return;
  }
  dragTo = monthAt(event.clientX);
  drawTimeline();
});
window.addEventListener("mouseup", function () {
  if (dragFrom === null) { return; }
  var a = dragFrom;
  var z = dragTo;
  dragFrom = dragTo = null;
  choosePeriod(a, z);
});
document.getElementById("kg-period-clear").addEventListener("click", function () { choosePeriod(null); });
window.addEventListener("resize", drawTimeline);
