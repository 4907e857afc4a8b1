// Labels drawn by us on vis-network's canvas, after it draws the nodes and edges, at a
// fixed size on screen whatever the zoom (level of detail): the most important nodes are
// labelled first (the focus, the selection and search hits, then clusters by size,
// regions, organisations, people...), each label goes below its node, else above,
// right or left (a cluster's or the focus's also slid aside from those places, then further
// out with a leader line: labelSpots), and a label that would overlap one already drawn is left out — zoom
// in and there is room for more. No label but a cluster's or the focus's covers another
// node's mark. Edge labels come last, only where the edge is long
// enough on screen to hold one. Full names are in the tooltip and the panel.
var LABEL_FONT = META.labelFont || 12;
var EDGE_FONT = 10;
var FONT = LABEL_FONT + "px sans-serif";
var BOLD = "bold " + (LABEL_FONT + 1) + "px sans-serif";
var EDGE_LABEL_FONT = EDGE_FONT + "px sans-serif";
var SUB_FONT = 11;
var SUB = SUB_FONT + "px sans-serif";
var widths = {};
var labelsOn = true;
var priority = {};  // node id -> 0 (first) .. while the focus, selection or search want them first
var lastDrawn = [];  // [{text, x, y, w, h, node|edge}] of the last frame, in CSS px of the canvas

function textWidth(ctx, font, text) {
  var key = font + "\u0000" + text;
  var w = widths[key];
  if (w === undefined) {
    ctx.font = font;
    w = widths[key] = ctx.measureText(text).width;
  }
  return w;
}

function Grid(cell) {
  this.cell = cell;
  this.cells = {};
}
Grid.prototype.keys = function (r) {
  var out = [];
  var c = this.cell;
  for (var i = Math.floor(r[0] / c); i <= Math.floor(r[2] / c); i += 1) {
    for (var j = Math.floor(r[1] / c); j <= Math.floor(r[3] / c); j += 1) { out.push(i + ":" + j); }
  }
  return out;
};
// Whether rectangle r meets one added (other than one whose fifth item is ``except``).
Grid.prototype.hits = function (r, except) {
  var keys = this.keys(r);
  for (var k = 0; k < keys.length; k += 1) {
    var list = this.cells[keys[k]];
    if (!list) { continue; }
    for (var m = 0; m < list.length; m += 1) {
      var o = list[m];
      if ((except === undefined || o[4] !== except) && r[0] < o[2] && o[0] < r[2] && r[1] < o[3] && o[1] < r[3]) { return true; }
    }
  }
  return false;
};
Grid.prototype.add = function (r) {
  var self = this;
  this.keys(r).forEach(function (k) { (self.cells[k] = self.cells[k] || []).push(r); });
};

function drawLabels(ctx) {
  lastDrawn = [];
  if (!labelsOn || !network) { return; }
  var canvas = network.canvas.frame.canvas;
  var ratio = network.canvas.pixelRatio || 1;
  var width = canvas.width / ratio;
  var height = canvas.height / ratio;
  var scale = network.getScale();
  var view = network.getViewPosition();
  var body = network.body;
  var grid = new Grid(48);
  var order = drawnOrder();
  ctx.save();
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.textBaseline = "top";
  ctx.textAlign = "left";
  ctx.lineJoin = "round";
  // Clusters' stars are obstacles: no label is written over one. The other nodes' marks
  // are obstacles for the labels of all but the clusters and the focus (and for edge labels).
  var marks = new Grid(48);
  order.forEach(function (id) {
    var n = NODES[id];
    var vn = body.nodes[id];
    if (!vn || vn.options.hidden) { return; }
    var x = (vn.x - view.x) * scale + width / 2;
    var y = (vn.y - view.y) * scale + height / 2;
    if (x < -50 || y < -50 || x > width + 50 || y > height + 50) { return; }
    if (n.cls === "Cluster") {
      var rc = Math.max(2, (vn.options.size + (vn.options.borderWidth || 1)) * scale * 0.9);
      grid.add([x - rc, y - rc, x + rc, y + rc, -1]);
    } else {
      var rm = Math.max(1.5, (vn.options.size + (vn.options.borderWidth || 1)) * scale * 0.9);
      marks.add([x - rm, y - rm, x + rm, y + rm, id]);
    }
  });
  for (var k = 0; k < order.length; k += 1) {
    var id = order[k];
    var n = NODES[id];
    var vn = body.nodes[id];
    if (!vn || vn.options.hidden) { continue; }
    var x = (vn.x - view.x) * scale + width / 2;
    var y = (vn.y - view.y) * scale + height / 2;
    if (x < -200 || y < -40 || x > width + 200 || y > height + 40) { continue; }
    var first = n.cls === "Cluster" || id === focusId;
    var font = first ? BOLD : FONT;
    var text = labelText(n);
    var w = textWidth(ctx, font, text);
    var h = LABEL_FONT + 3;
    var sub = n.sub || "";  // a second, smaller line (a cluster's regions)
    var subW = sub ? textWidth(ctx, SUB, sub) : 0;
    var boxW = Math.max(w, subW);
    var boxH = sub ? h + SUB_FONT + 2 : h;
    var r = Math.max(1, (vn.options.size + (vn.options.borderWidth || 1)) * scale);
    var spots = labelSpots(x, y, r, boxW, boxH, first, width);
    for (var s = 0; s < spots.length; s += 1) {
      var spot = spots[s];
      var rect = [spot.x - 1, spot.y, spot.x + boxW + 1, spot.y + boxH];
      if (rect[0] < 0 || rect[1] < 0 || rect[2] > width || rect[3] > height || grid.hits(rect)) { continue; }
      if (!first && marks.hits(rect, id)) { continue; }
      grid.add(rect);
      var colour = n.cls === "Cluster" ? "#7a0f10" : "#1f2328";
      if (spot.leader) { leader(ctx, x, y, r, rect); }
      var left = spot.align === "c" ? spot.x + (boxW - w) / 2 : spot.align === "r" ? spot.x + boxW - w : spot.x;
      paint(ctx, font, text, left, spot.y, colour);
      lastDrawn.push({ text: text, x: left - 1, y: rect[1], w: w + 2, h: h, node: id, font: font });
      if (sub) {
        var subLeft = spot.align === "c" ? spot.x + (boxW - subW) / 2 : spot.align === "r" ? spot.x + boxW - subW : spot.x;
        paint(ctx, SUB, sub, subLeft, spot.y + h, "#8a3b3c");
        lastDrawn.push({ text: sub, x: subLeft - 1, y: rect[1] + h, w: subW + 2, h: SUB_FONT + 2, node: id, font: SUB });
      }
      break;
    }
  }
  drawEdgeLabels(ctx, grid, marks, width, height, scale, view);
  ctx.restore();
}

// Where a label of boxW x boxH may go around a node at (x, y) of radius r, in the order
// tried: under, over, right, left of it. A cluster's or the focus's label (``first``) also
// slides half its width under or over, sits beside the node lower or higher, and then moves
// out in rings, further each time, joined to its node by a leader line: a cluster is
// labelled wherever there is room near it. Labels under or over slide to stay on the canvas.
var RINGS = [14, 28, 44, 62, 84, 110, 140];
var DIRECTIONS = [[0, 1], [0, -1], [1, 0], [-1, 0], [1, 1], [-1, 1], [1, -1], [-1, -1]];
function labelSpots(x, y, r, boxW, boxH, first, width) {
  function slide(left) { return Math.max(2, Math.min(width - boxW - 3, left)); }
  var spots = [
    { x: slide(x - boxW / 2), y: y + r + 2, align: "c" }, { x: slide(x - boxW / 2), y: y - r - 2 - boxH, align: "c" },
    { x: x + r + 4, y: y - boxH / 2, align: "l" }, { x: x - r - 4 - boxW, y: y - boxH / 2, align: "r" },
  ];
  if (!first) { return spots; }
  spots.push({ x: slide(x - boxW), y: y + r + 2, align: "c" }, { x: slide(x), y: y + r + 2, align: "c" },
             { x: slide(x - boxW), y: y - r - 2 - boxH, align: "c" }, { x: slide(x), y: y - r - 2 - boxH, align: "c" },
             { x: x + r + 4, y: y + r / 2, align: "l" }, { x: x - r - 4 - boxW, y: y + r / 2, align: "r" },
             { x: x + r + 4, y: y - r / 2 - boxH, align: "l" }, { x: x - r - 4 - boxW, y: y - r / 2 - boxH, align: "r" });
  RINGS.forEach(function (ring) {
    DIRECTIONS.forEach(function (d) {
      var reach = r + ring;
      var ax = x + d[0] * reach * (d[1] ? 0.75 : 1);
      var ay = y + d[1] * reach * (d[0] ? 0.75 : 1);
      var left = d[0] > 0 ? ax : d[0] < 0 ? ax - boxW : ax - boxW / 2;
      var top = d[1] > 0 ? ay : d[1] < 0 ? ay - boxH : ay - boxH / 2;
      spots.push({ x: d[0] ? left : slide(left), y: top, align: d[0] > 0 ? "l" : d[0] < 0 ? "r" : "c", leader: true });
    });
  });
  return spots;
}

// A thin line from a node's rim to the nearest point of its label's box.
function leader(ctx, x, y, r, rect) {
  var px = Math.max(rect[0], Math.min(rect[2], x));
  var py = Math.max(rect[1], Math.min(rect[3], y));
  var d = Math.hypot(px - x, py - y);
  if (d <= r + 2) { return; }
  ctx.beginPath();
  ctx.moveTo(x + (px - x) / d * r, y + (py - y) / d * r);
  ctx.lineTo(px, py);
  ctx.lineWidth = 1.25;
  ctx.strokeStyle = "rgba(122,15,16,0.8)";
  ctx.stroke();
}

// A fact drawn around the node it names is labelled without that node's name: in the
// world of a cluster its agreements read "Соглашение: ХимЛаб, 12.07.2025".
var contextLabels = {};
function labelText(n) {
  var ctx = state && state.view !== "overview" ? state.node : null;
  if (!n.parts || ctx === null || ctx === undefined || n.parts[1].indexOf(ctx) < 0) { return n.label; }
  var key = ctx + ":" + n.id;
  if (contextLabels[key] === undefined) { contextLabels[key] = factLabels(n, ctx)[1]; }
  return contextLabels[key];
}

function paint(ctx, font, text, x, y, color) {
  ctx.font = font;
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(255,255,255,0.92)";
  ctx.strokeText(text, x, y);
  ctx.fillStyle = color;
  ctx.fillText(text, x, y);
}

// Edge labels only where they can be read: on edges long enough on screen, and when few
// edges are on screen (else only on the edges of the selected or focus node).
var EDGE_LABELS_MAX = 150;
function drawEdgeLabels(ctx, grid, marks, width, height, scale, view) {
  var body = network.body;
  var ids = currentEdgeIds();
  var onScreen = [];
  for (var k = 0; k < ids.length; k += 1) {
    var ve = body.edges[ids[k]];
    if (!ve || ve.options.hidden || !ve.from || !ve.to || ve.from.options.hidden || ve.to.options.hidden) { continue; }
    var fx = (ve.from.x - view.x) * scale + width / 2;
    var fy = (ve.from.y - view.y) * scale + height / 2;
    var tx = (ve.to.x - view.x) * scale + width / 2;
    var ty = (ve.to.y - view.y) * scale + height / 2;
    if (Math.max(fx, tx) < 0 || Math.min(fx, tx) > width || Math.max(fy, ty) < 0 || Math.min(fy, ty) > height) { continue; }
    onScreen.push([ids[k], ve, Math.hypot(tx - fx, ty - fy)]);
  }
  var crowded = onScreen.length > EDGE_LABELS_MAX;
  for (var j = 0; j < onScreen.length; j += 1) {
    var id = onScreen[j][0];
    ve = onScreen[j][1];
    if (crowded && priority[ve.fromId] !== 0 && priority[ve.toId] !== 0) { continue; }
    var text = edgeLabel(id);
    if (!text) { continue; }
    var p = ve.edgeType.getPoint(0.5);
    var x = (p.x - view.x) * scale + width / 2;
    var y = (p.y - view.y) * scale + height / 2;
    if (x < 0 || y < 0 || x > width || y > height) { continue; }
    var length = onScreen[j][2] - (ve.from.options.size + ve.to.options.size) * scale;
    var w = textWidth(ctx, EDGE_LABEL_FONT, text);
    if (length < w + 16) { continue; }
    var h = EDGE_FONT + 3;
    var rect = [x - w / 2 - 1, y - h / 2, x + w / 2 + 1, y + h / 2];
    if (rect[0] < 0 || rect[1] < 0 || rect[2] > width || rect[3] > height || grid.hits(rect) || marks.hits(rect)) { continue; }
    grid.add(rect);
    paint(ctx, EDGE_LABEL_FONT, text, x - w / 2, y - h / 2, "#59616b");
    lastDrawn.push({ text: text, x: rect[0], y: rect[1], w: rect[2] - rect[0], h: h, edge: id });
  }
}

// Nodes of the view in the order they get labels.
var orderCache = null;
function drawnOrder() {
  if (orderCache) { return orderCache; }
  var ids = currentNodeIds().slice();
  ids.sort(function (a, b) {
    var pa = priority[a] === undefined ? 9 : priority[a];
    var pb = priority[b] === undefined ? 9 : priority[b];
    return pa - pb || NODES[a].rank - NODES[b].rank;
  });
  orderCache = ids;
  return ids;
}

function setPriority(map) {
  priority = map || {};
  orderCache = null;
}
