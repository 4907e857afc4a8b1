// Positions of the drill-down views (a cluster's world, a node's neighbourhood), computed
// here at once, deterministically: the centre in the middle, its neighbours on a ring
// grouped by relation (members together, agreements together...), each group in its own
// sector; what lies further out sits beyond the node that leads to it, within that
// node's slice of the circle. Crowded sectors take several rings, so nodes keep apart.
var RING = 240;       // px from the centre to the first ring
var STEP = 190;       // px between the rings of one depth and the next
var SPACING = 36;     // px between neighbouring nodes on a ring
var SUBRING = 44;     // px between the rings of one crowded sector

// What group a neighbour falls in, seen from `from` (for the sectors and the panel).
function groupOf(fromId, edge, otherId) {
  var other = NODES[otherId];
  if (other.cls === "Agreement") { return "Соглашения"; }
  if (other.cls === "Event") { return "События"; }
  var names = data.rels[edge.rel] || [edge.rel, edge.rel, edge.rel];
  if (edge.from === fromId) { return names[1]; }
  if (edge.rel === "locatedIn") { return className(other.cls); }
  return names[2];
}

var GROUP_ORDER = ["Члены", "Инициаторы", "Опорная организация", "Должностные лица", "Должность",
  "Стороны", "Подписали", "Присутствовали", "Участники", "О чём", "Соглашения", "События",
  "Член кластеров", "Инициатор кластеров", "Опора кластеров", "Кластеры отрасли", "Отрасль", "Место"];

function groupRank(name) {
  var i = GROUP_ORDER.indexOf(name);
  return i < 0 ? GROUP_ORDER.length : i;
}

// tree: {root, children: id -> [child ids] (in order), group: id -> group name (depth 1)}
// Returns id -> {x, y}.
function radialLayout(tree) {
  var pos = {};
  pos[tree.root] = { x: 0, y: 0 };
  var first = tree.children[tree.root] || [];
  if (!first.length) { return pos; }
  var groups = [];
  var byName = {};
  first.forEach(function (id) {
    var name = tree.group[id] || "";
    if (!byName[name]) { byName[name] = { name: name, ids: [] }; groups.push(byName[name]); }
    byName[name].ids.push(id);
  });
  groups.sort(function (a, b) { return groupRank(a.name) - groupRank(b.name) || (a.name < b.name ? -1 : 1); });
  var weights = groups.map(function (g) { return Math.max(g.ids.length, 3); });
  var total = weights.reduce(function (a, b) { return a + b; }, 0);
  var radius = Math.max(RING, first.length * SPACING / (2 * Math.PI) / 2);
  var angle = -Math.PI / 2;
  var slices = {};
  groups.forEach(function (g, gi) {
    var share = 2 * Math.PI * weights[gi] / total;
    placeArc(g.ids, angle, share, radius, pos, slices);
    angle += share;
  });
  // deeper levels, breadth first
  var level = first;
  var depth = 1;
  while (level.length) {
    var next = [];
    var outer = 0;
    level.forEach(function (id) {
      var p = pos[id];
      outer = Math.max(outer, Math.hypot(p.x, p.y));
    });
    level.forEach(function (id) {
      var kids = tree.children[id] || [];
      if (!kids.length) { return; }
      var slice = slices[id];
      placeArc(kids, slice[0], slice[1], outer + STEP, pos, slices);
      next = next.concat(kids);
    });
    level = next;
    depth += 1;
  }
  return pos;
}

// Put `ids` on an arc from `start` spanning `share` radians at `radius`, in as many
// rings as they need to stay SPACING apart; each gets its slice of the arc.
function placeArc(ids, start, share, radius, pos, slices) {
  var k = ids.length;
  var arc = Math.max(share * radius, SPACING);
  var perRing = Math.max(1, Math.floor(arc / SPACING));
  var rings = Math.ceil(k / perRing);
  var columns = Math.ceil(k / rings);
  var slot = share / columns;
  ids.forEach(function (id, j) {
    var column = Math.floor(j / rings);
    var ring = j % rings;
    var a = start + (column + 0.5) * slot;
    var r = radius + ring * SUBRING;
    pos[id] = { x: Math.round(r * Math.cos(a) * 10) / 10, y: Math.round(r * Math.sin(a) * 10) / 10 + 0.3 * (j % 3) };
    slices[id] = [start + column * slot, slot];
  });
}

// A breadth-first tree over the relation edges from `root`, `depth` steps, within
// `allowed` (id -> true) when given. Children are ordered by group, then by label.
function bfsTree(root, depth, allowed) {
  var children = {};
  var group = {};
  var seen = {};
  seen[root] = true;
  var level = [root];
  for (var d = 0; d < depth && level.length; d += 1) {
    var next = [];
    level.forEach(function (id) {
      var found = [];
      OUT[id].concat(IN[id]).forEach(function (eid) {
        var e = EDGE_BY_ID[eid];
        var other = e.from === id ? e.to : e.from;
        if (seen[other] || (allowed && !allowed[other])) { return; }
        seen[other] = true;
        if (d === 0) { group[other] = groupOf(id, e, other); }
        found.push(other);
      });
      found.sort(function (a, b) {
        return groupRank(group[a] || "") - groupRank(group[b] || "") ||
          (group[a] || "").localeCompare(group[b] || "") || NODES[a].rank - NODES[b].rank;
      });
      children[id] = found;
      next = next.concat(found);
    });
    level = next;
  }
  return { root: root, children: children, group: group, nodes: Object.keys(seen).map(Number) };
}

// A cluster's world: the cluster, what it links to, the parties and participants of its
// agreements and events, the people holding posts in its organisations (as `kg viz --cluster`).
function worldTree(root) {
  var allowed = {};
  allowed[root] = true;
  var first = neighbours(root);
  first.forEach(function (id) { allowed[id] = true; });
  first.forEach(function (id) {
    var n = NODES[id];
    if (isFact(n)) {
      neighbours(id).forEach(function (m) { allowed[m] = true; });
    } else if (n.cls === "Company" || n.cls === "Organization" || n.cls === "Authority") {
      IN[id].forEach(function (eid) {
        var e = EDGE_BY_ID[eid];
        if (e.rel === "holds") { allowed[e.from] = true; }
      });
    }
  });
  return bfsTree(root, 2, allowed);
}
