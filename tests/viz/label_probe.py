"""What text a page draws on the relationship canvas, measured in the browser.

:data:`HOOK` runs before the page's scripts (``Chromium.on_new_document``) and wraps
``CanvasRenderingContext2D.fillText``: every text drawn on a canvas inside
``#kg-network`` is recorded with the box its glyphs cover on the page (the text's own
ink box from ``measureText``, through the context's current transform), whoever draws
it (our labels or vis-network's). ``clearRect`` of the whole canvas starts a new frame,
so :func:`drawn_texts` gives what the last drawing left on screen.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from chromium_cdp import Chromium

HOOK = r"""
(() => {
  const frame = [];
  window.__kgTexts = frame;
  const proto = CanvasRenderingContext2D.prototype;
  const fill = proto.fillText;
  const clear = proto.clearRect;
  const ours = (ctx) => ctx.canvas && ctx.canvas.closest && ctx.canvas.closest('#kg-network');
  proto.clearRect = function (x, y, w, h) {
    if (ours(this) && w >= this.canvas.width / 2) { frame.length = 0; }
    return clear.apply(this, arguments);
  };
  proto.fillText = function (text, x, y) {
    if (ours(this)) {
      const m = this.measureText(text);
      const t = this.getTransform();
      const r = this.canvas.getBoundingClientRect();
      const ratio = this.canvas.width / r.width;
      const corners = [[x - m.actualBoundingBoxLeft, y - m.actualBoundingBoxAscent],
                       [x + m.actualBoundingBoxRight, y + m.actualBoundingBoxDescent]]
        .map(([a, b]) => [(t.a * a + t.c * b + t.e) / ratio + r.left, (t.b * a + t.d * b + t.f) / ratio + r.top]);
      frame.push({text: String(text), left: Math.min(corners[0][0], corners[1][0]),
                  top: Math.min(corners[0][1], corners[1][1]), right: Math.max(corners[0][0], corners[1][0]),
                  bottom: Math.max(corners[0][1], corners[1][1]), font: this.font});
    }
    return fill.apply(this, arguments);
  };
})();
"""


@dataclass(frozen=True)
class Box:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    def overlap(self, other: Box) -> float:
        """Area (px²) the two boxes share."""
        w = min(self.right, other.right) - max(self.left, other.left)
        h = min(self.bottom, other.bottom) - max(self.top, other.top)
        return w * h if w > 0 and h > 0 else 0.0


def drawn_texts(page: Chromium) -> list[Box]:
    """The texts of the last frame drawn on the relationship canvas, with their ink boxes."""
    page.evaluate("kgViz.network.redraw(); 0")
    page.pump(0.2)
    rows = page.evaluate("window.__kgTexts.map(t => [t.text, t.left, t.top, t.right, t.bottom])")
    return [Box(str(t), float(a), float(b), float(c), float(d)) for t, a, b, c, d in rows]


def overlapping(boxes: list[Box], tolerance: float = 0.5) -> list[tuple[Box, Box]]:
    """Pairs of boxes that share more than ``tolerance`` px²."""
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlap(b) > tolerance]
