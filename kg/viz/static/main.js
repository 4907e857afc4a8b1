// Start: the network (physics off: positions come from Python or layout.js), the first
// view (from the URL fragment when it names one), the controls, and window.kgViz for tests
// and the console.
nodesDS = new vis.DataSet([]);
edgesDS = new vis.DataSet([]);
network = new vis.Network(document.getElementById("kg-network"), { nodes: nodesDS, edges: edgesDS }, data.options);
network.on("afterDrawing", drawLabels);
performance.mark("kg-network");

network.on("click", function (params) {
  if (params.nodes.length) {
    var id = params.nodes[0];
    showNode(id);
    var p = {};
    p[id] = 0;
    neighbours(id).forEach(function (m) { if (p[m] === undefined) { p[m] = 1; } });
    if (focusId !== null && focusId !== undefined && p[focusId] === undefined) { p[focusId] = 0; }
    setPriority(p);
    markFacts(id);
  } else if (params.edges.length) {
    var eid = params.edges[0];
    if (FOLDED_BY_ID[eid]) { showFolded(eid); } else { showEdge(eid); }
    markFacts(null);
  }
});
network.on("doubleClick", function (params) {
  if (params.nodes.length) { openWorld(params.nodes[0]); }
});

document.getElementById("kg-search-form").addEventListener("submit", function (event) {
  event.preventDefault();
  search(document.getElementById("kg-search").value);
});
document.getElementById("kg-prev").addEventListener("click", function () { choose(hitIndex - 1); });
document.getElementById("kg-next").addEventListener("click", function () { choose(hitIndex + 1); });
document.getElementById("kg-back").addEventListener("click", back);
document.getElementById("kg-fit").addEventListener("click", fit);
document.getElementById("kg-facts").addEventListener("change", function (event) {
  go(Object.assign({}, state, { facts: event.target.checked }));
});
document.getElementById("kg-isolated").addEventListener("click", function () {
  go(Object.assign({}, state, { isolated: !state.isolated }));
});
document.getElementById("kg-colour").addEventListener("change", function (event) {
  state = Object.assign({}, state, { colour: event.target.value });
  recolour();
});
var PHYSICS_MAX = 1500;
document.getElementById("kg-physics").addEventListener("click", function () {
  if (view.nodes.length > PHYSICS_MAX) {
    document.getElementById("kg-count").textContent = "раскладка силами — для видов до " + PHYSICS_MAX + " узлов";
    return;
  }
  network.setOptions({ physics: { enabled: true, solver: "forceAtlas2Based", stabilization: { iterations: 150 } } });
  network.once("stabilizationIterationsDone", function () { network.setOptions({ physics: { enabled: false } }); });
  network.stabilize(150);
});

document.querySelectorAll(".kg-class").forEach(function (box) { box.addEventListener("change", applyFilters); });
document.getElementById("kg-region").addEventListener("change", applyFilters);
document.getElementById("kg-from").addEventListener("change", function () { applyFilters(); showPeriod(); });
document.getElementById("kg-to").addEventListener("change", function () { applyFilters(); showPeriod(); });
document.getElementById("kg-reset").addEventListener("click", function () {
  document.querySelectorAll(".kg-class").forEach(function (box) { box.checked = true; });
  document.getElementById("kg-region").value = "";
  document.getElementById("kg-from").value = "";
  document.getElementById("kg-to").value = "";
  document.getElementById("kg-search").value = "";
  applyFilters();
  showPeriod();
  search("");
});

// What a state needs that only the later islands hold: agreements and events as nodes,
// drill-downs (their facts), a period (the facts' dates).
function needsAll(s) {
  return s.view !== "overview" || (s.facts && FACT_COUNT() > 0) || !!document.getElementById("kg-from").value ||
    !!document.getElementById("kg-to").value;
}

(function start() {
  var s = readHash() || initialState();
  var drawnFirst = !needsAll(s);
  // Each step its own task, so that none freezes the page for long: the first drawing
  // (the overview, from the first island alone), the later islands, then what they add.
  var steps = [];
  if (drawnFirst) {
    // Nodes, edges and the drawing each in a task of their own: together, the first time
    // vis-network runs them (its code not yet compiled), they took over 200 ms.
    // vis-network would draw after each (in an animation frame): it waits for the last
    // (its internal _blockRedraw/_allowRedraw events, vis-network 9.1.2).
    steps.push(function () {
      network.body.emitter.emit("_blockRedraw");
      render(s, { hash: false, edgesLater: true });
      performance.mark("kg-nodes");
    });
    steps.push(function (next) { addEdges(function () { performance.mark("kg-edges"); next(); }); });
    steps.push(function () {
      network.body.emitter.emit("_allowRedraw");
      network.once("afterDrawing", function () { performance.mark("kg-first-draw"); });
      network.redraw();
    });
  }
  steps.push(function (next) { loadLater(next); });
  steps.push(function () { performance.mark("kg-loaded"); buildTimeline(); });
  if (!drawnFirst) {
    steps.push(function () {
      var wanted = pending || [s, { hash: false }];
      pending = null;
      render(wanted[0], wanted[1]);
      network.once("afterDrawing", function () { performance.mark("kg-first-draw"); });
    });
  } else {
    steps.push(function (next) { refreshTitles(next); });
    steps.push(function () { applyFilters({ fit: false }); });
  }
  steps.push(function () {
    if (pending) { render(pending[0], pending[1]); pending = null; }
    showPeriod();
    if (location.hash) { writeHash(); }
    if (focusId !== null && focusId !== undefined) { showNode(focusId); markFacts(focusId); }
    network.once("afterDrawing", function () {
      performance.mark("kg-ready");
      document.body.setAttribute("data-kg-ready", "1");
    });
    network.redraw();
  });
  (function run(i) {
    if (i >= steps.length) { return; }
    setTimeout(function () {
      var step = steps[i];
      if (step.length) { step(function () { run(i + 1); }); } else { step(); run(i + 1); }
    }, 0);
  })(0);
})();

// For tests and the console.
window.kgViz = {
  network: network,
  nodes: nodesDS,
  edges: edgesDS,
  data: { meta: META, nodes: NODES, edges: EDGES, folded: FOLDED },
  loaded: function () { return LOADED; },
  search: search,
  choose: choose,
  applyFilters: applyFilters,
  openWorld: openWorld,
  openFocus: openFocus,
  openOverview: openOverview,
  expand: expandNode,
  back: back,
  state: function () { return state; },
  exportText: function (kind) {
    return { svg: svgText, gexf: gexfText, "nodes-csv": nodesCsv, "edges-csv": edgesCsv }[kind]();
  },
  showFactsList: showFactsList,
  drawnLabels: function () { return lastDrawn.slice(); },
  edgeLabel: edgeLabel,
  setLabels: function (on) { labelsOn = on; network.redraw(); },
  choosePeriod: choosePeriod,
  drawnNodeCount: function () { return network.body.nodeIndices.length; },
  drawnEdgeCount: function () { return network.body.edgeIndices.length; }
};
