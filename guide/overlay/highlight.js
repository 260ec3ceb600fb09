/*
 * highlight.js — the dimmed backdrop with a cutout around the target: one SVG, one even-odd
 * path (viewport minus a rounded rectangle) and a ring. Measures the target every frame
 * (reads only), clipped by its scrolling ancestors; brings it into view and clear of sticky
 * headers and fixed footers when a card first points at it.
 *
 * makeHighlight(N, W, D, E, dom) -> {padding, track(target), refreshClips(), measure() -> g,
 *   draw(g), cutout(), lines(), reveal(), settle(g), reset()}
 *   g: {vp: {w, h}, rect, vis, cut}: viewport px; rect the target's box, vis its visible part,
 *   cut the cutout (vis + padding, clipped); each {l, t, r, b} or null.
 */
function makeHighlight(N, W, D, E, dom) {
  var PAD = 6;          // px between the target and the cutout's edge
  var RADIUS = 8;       // cutout corner radius
  var BAR_MARGIN = 16;  // clearance kept under a sticky/fixed header

  var back = E.svg('svg', 'g-backdrop', dom.root());
  E.attr(back, 'aria-hidden', 'true');
  E.attr(back, 'focusable', 'false');
  var dim = E.svg('path', 'g-dim', back);
  E.attr(dim, 'fill-rule', 'evenodd');
  var halo = E.svg('path', 'g-halo', back);
  var ring = E.svg('path', 'g-ring', back);

  var target = null;
  var clips = [];       // ancestors that clip the target: [{el, x, y}]
  var pending = null;   // smooth scroll under way: clear sticky bars once it settles
  var cut = null;       // {x, y, width, height} drawn, for state()
  var lines = null;     // a link wrapped over lines: one cutout per line, for state()

  function r2(n) { return N.round(n * 100) / 100; }
  function computed(el) { return N.getComputedStyle(W, el); }
  function prop(st, name) { return N.getPropertyValue(st, name); }

  function reducedMotion() {
    try { return N.mediaMatches(N.matchMedia(W, '(prefers-reduced-motion: reduce)')); } catch (e) { return false; }
  }

  // The flat tree's parent: slot, parent element, or the shadow host.
  function parentOf(n) {
    var p = N.assignedSlot(n) || N.parentElement(n);
    if (p) return p;
    var r = N.getRootNode(n);
    if (r === D) return null;
    try { return N.shadowHost(r); } catch (e) { return null; }  // detached: no parent
  }

  // Ancestors that clip the target (overflow other than visible).
  function clipAncestors(t) {
    var out = [];
    var de = N.documentElement(D), body = N.body(D);
    try {
      if (prop(computed(t), 'position') === 'fixed') return out;
      for (var n = parentOf(t); n && n !== de && n !== body; n = parentOf(n)) {
        var st = computed(n), display = prop(st, 'display');
        if (display !== 'inline' && display !== 'contents') {
          var ox = prop(st, 'overflow-x') !== 'visible', oy = prop(st, 'overflow-y') !== 'visible';
          if (ox || oy) N.push(out, { el: n, x: ox, y: oy });
        }
        if (prop(st, 'position') === 'fixed') break;
      }
    } catch (e) { /* detached */ }
    return out;
  }

  function track(t) {
    target = t;
    clips = t ? clipAncestors(t) : [];
    pending = null;
  }

  function refreshClips() { if (target) clips = clipAncestors(target); }

  /* Reads only (no writes): target rect, clipping boxes, viewport. */
  function measure() {
    var g = { vp: dom.viewport(), rect: null, vis: null, cut: null };
    var t = target;
    if (!t || !N.isConnected(t)) return g;
    var r = N.rect(t);
    if (!r.width && !r.height && !N.rectCount(N.getClientRects(t))) return g;
    g.rect = { l: r.left, t: r.top, r: r.right, b: r.bottom };
    var cl = -Infinity, ct = -Infinity, cr = Infinity, cb = Infinity;
    for (var i = 0; i < clips.length; i++) {
      var el = clips[i].el;
      if (!N.isConnected(el)) continue;
      var b = N.rect(el);
      if (clips[i].x) {
        var x0 = b.left + N.clientLeft(el), w = N.clientWidth(el);
        if (x0 > cl) cl = x0;
        if (x0 + w < cr) cr = x0 + w;
      }
      if (clips[i].y) {
        var y0 = b.top + N.clientTop(el), h = N.clientHeight(el);
        if (y0 > ct) ct = y0;
        if (y0 + h < cb) cb = y0 + h;
      }
    }
    var vl = N.max(r.left, cl), vt = N.max(r.top, ct), vr = N.min(r.right, cr), vb = N.min(r.bottom, cb);
    var emptyX = r.width > 0 ? vr <= vl : vr < vl;
    var emptyY = r.height > 0 ? vb <= vt : vb < vt;
    if (emptyX || emptyY) return g;                 // clipped out entirely
    g.vis = { l: vl, t: vt, r: vr, b: vb };
    g.cut = {
      l: N.max(r.left - PAD, cl), t: N.max(r.top - PAD, ct),
      r: N.min(r.right + PAD, cr), b: N.min(r.bottom + PAD, cb)
    };
    g.lines = wrapped(t, cl, ct, cr, cb);
    return g;
  }

  /* An inline target wrapped over several lines (a link in a footer): its boxes, one per line,
     so the cutout shows the words and not the neighbours the bounding box would take in. */
  function wrapped(t, cl, ct, cr, cb) {
    var list = N.getClientRects(t), count = N.rectCount(list);
    if (count < 2 || count > 12) return null;
    var out = [], lastTop = null, multiline = false;
    for (var i = 0; i < count; i++) {
      var b = list[i];
      if (!b.width || !b.height) continue;
      if (lastTop !== null && N.abs(b.top - lastTop) > 2) multiline = true;
      lastTop = b.top;
      var pad = PAD / 2;
      var l = N.max(b.left - pad, cl), tt = N.max(b.top - pad, ct);
      var r = N.min(b.right + pad, cr), bb = N.min(b.bottom + pad, cb);
      if (r > l && bb > tt) N.push(out, { l: l, t: tt, r: r, b: bb });
    }
    return multiline && out.length > 1 ? out : null;
  }

  function roundRectPath(l, t, w, h, rad) {
    var rr = N.max(0, N.min(rad, w / 2, h / 2));
    var L = r2(l), T = r2(t), R = r2(l + w), B = r2(t + h), q = r2(rr);
    var arc = 'A' + q + ' ' + q + ' 0 0 1 ';
    return 'M' + r2(l + rr) + ' ' + T + 'H' + r2(l + w - rr) +
      arc + R + ' ' + r2(t + rr) + 'V' + r2(t + h - rr) +
      arc + r2(l + w - rr) + ' ' + B + 'H' + r2(l + rr) +
      arc + L + ' ' + r2(t + h - rr) + 'V' + r2(t + rr) +
      arc + r2(l + rr) + ' ' + T + 'Z';
  }

  /* Writes only. */
  function draw(g) {
    var d = 'M-2 -2H' + (g.vp.w + 2) + 'V' + (g.vp.h + 2) + 'H-2Z';
    var c = g.cut;
    var holes = c ? (g.lines || [c]) : [];
    var rings = '', halos = '';
    for (var i = 0; i < holes.length; i++) {
      var o = holes[i], w = o.r - o.l, h = o.b - o.t;
      d += roundRectPath(o.l, o.t, w, h, RADIUS);
      rings += roundRectPath(o.l, o.t, w, h, RADIUS);
      halos += roundRectPath(o.l - 3, o.t - 3, w + 6, h + 6, RADIUS + 3);
    }
    E.attr(ring, 'd', rings || 'M0 0');
    E.attr(halo, 'd', halos || 'M0 0');
    cut = c ? { x: r2(c.l), y: r2(c.t), width: r2(c.r - c.l), height: r2(c.b - c.t) } : null;
    lines = null;
    for (var k = 0; g.lines && k < g.lines.length; k++) {
      var line = g.lines[k];
      N.push(lines || (lines = []), { x: r2(line.l), y: r2(line.t), width: r2(line.r - line.l), height: r2(line.b - line.t) });
    }
    E.attr(back, 'class', c ? 'g-backdrop' : 'g-backdrop g-no-cut');
    E.attr(dim, 'd', d);
  }

  /* Sticky / fixed bars covering the target's top (or bottom) edge. */
  function barAt(t, r, edge, vp) {
    var y = edge === 'top' ? r.top + 2 : r.bottom - 2;
    if (y < 0 || y >= vp.h) return null;
    var l = N.max(r.left, 0), rr = N.min(r.right, vp.w);
    if (rr <= l) return null;
    var xs = [(l + rr) / 2, l + N.min(4, (rr - l) / 2), rr - N.min(4, (rr - l) / 2)];
    var de = N.documentElement(D), body = N.body(D);
    for (var i = 0; i < xs.length; i++) {
      var list;
      try { list = N.elementsFromPoint(D, xs[i], y); } catch (e) { return null; }
      for (var j = 0; j < list.length; j++) {
        var el = list[j];
        if (dom.isHost(el)) continue;
        if (el === t || N.contains(t, el) || N.contains(el, t)) break;
        for (var n = el; n && n !== de && n !== body; n = parentOf(n)) {
          var pos = prop(computed(n), 'position');
          if (pos === 'fixed' || pos === 'sticky') {
            if (!N.contains(n, t)) return n;
            break;
          }
        }
      }
    }
    return null;
  }

  function clearBars() {
    var t = target;
    if (!t || !N.isConnected(t)) return;
    var r = N.rect(t);
    var vp = dom.viewport();
    var bar = barAt(t, r, 'top', vp) || barAt(t, r, 'bottom', vp);
    if (!bar) return;
    var br = N.rect(bar);
    var dy = (br.top + br.bottom) / 2 < vp.h / 2
      ? -(br.bottom - r.top + BAR_MARGIN)   // header: scroll up
      : r.bottom - br.top + BAR_MARGIN;      // footer: scroll down
    if (dy) N.scrollBy(W, { __proto__: null, top: dy, left: 0, behavior: reducedMotion() ? 'instant' : 'smooth' });
  }

  /* A card points at a new target: bring it into view, then clear sticky headers once. */
  /* `room`: the height the card needs beside the target (its own, the gap and the margin).
     On a small screen, centring the target may leave the card no side: then the target goes
     near the top, and the card below it, rather than over it. */
  function reveal(room) {
    var g = measure();
    var r = g.rect, v = g.vis, vp = g.vp;
    if (!r) return;
    var h = (r.b - r.t) + 2 * PAD;
    var fits = function (top) { return top - PAD - room >= 0 || top + h - PAD + room <= vp.h; };
    var fully = v && r.l >= 0 && r.t >= 0 && r.r <= vp.w && r.b <= vp.h &&
      v.l <= r.l + 1 && v.t <= r.t + 1 && v.r >= r.r - 1 && v.b >= r.b - 1;
    if (fully && (!room || fits(r.t))) { clearBars(); return; }
    var instant = reducedMotion();
    var centred = (vp.h - h) / 2 + PAD;
    try {
      if (room && h + room <= vp.h && !fits(centred)) {
        // the card fits below the target if the target sits at the top
        N.scrollBy(W, { __proto__: null, top: r.t - (PAD + 8), left: 0, behavior: instant ? 'instant' : 'smooth' });
      } else {
        N.scrollIntoView(target, {
          __proto__: null,
          block: h <= vp.h ? 'center' : 'start',
          inline: 'nearest',
          behavior: instant ? 'instant' : 'smooth'
        });
      }
    } catch (e) {
      try { N.scrollIntoView(target); } catch (e2) { /* ignore */ }
    }
    if (instant) clearBars();
    else pending = { since: N.now(), stable: 0, last: '' };
  }

  // Each frame while a smooth scroll runs: once the target stops moving, clear the bars.
  function settle(g) {
    if (!pending) return;
    var k = g.rect ? r2(g.rect.t) + ',' + r2(g.rect.l) : '-';
    if (k === pending.last) pending.stable++; else { pending.stable = 0; pending.last = k; }
    if (pending.stable >= 3 || N.now() - pending.since > 2000) {
      pending = null;
      clearBars();
    }
  }

  function reset() {
    target = null;
    clips = [];
    pending = null;
    cut = null;
  }

  return N.freeze({
    padding: PAD,
    track: track,
    refreshClips: refreshClips,
    measure: measure,
    draw: draw,
    cutout: function () { return cut; },
    lines: function () { return lines; },
    reveal: reveal,
    settle: settle,
    reset: reset
  });
}
