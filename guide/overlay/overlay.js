/*
 * guide — in-page guidance overlay.
 *
 * Injected by Python into every page and frame, before page scripts:
 *   context.add_init_script(script="window.__GUIDE_OVERLAY_CSS__ = " + json.dumps(css) + ";\n" + js)
 *
 * API (window.__guide, non-enumerable, non-configurable, frozen):
 *   show(target, card)  target: Element | null; card: see normCard() below.
 *   hide()
 *   state()             test hook: the overlay's own model (the shadow root is closed).
 * Events to Python: window.__guideEvent(obj) when it exists (Playwright expose_binding).
 *
 * Organised like Driver.js: OVERLAY (dimmed SVG backdrop with a cutout), HIGHLIGHT
 * (target tracking: rAF loop, clipping, sticky headers), POPOVER (the card), EVENTS.
 *
 * Constraints honoured: works under `default-src 'none'` CSP (no inline <style>, no style
 * attributes from markup, no innerHTML, no data: URLs: DOM built with createElement,
 * CSS through an adopted constructed stylesheet, geometry through the CSSOM / SVG
 * attributes); no network request; the host page's styles are untouched and cannot reach
 * inside (closed shadow root, host shown in the top layer with inline !important styles).
 *
 * Privacy: the target's value is read only to evaluate card.rules, in the page, on each
 * 'input' event. It is never stored, never returned by state(), never sent to Python.
 */
(function () {
  'use strict';

  var W = window;
  if (W.top !== W) return;

  var CSS_TEXT = '';
  try {
    if (typeof W.__GUIDE_OVERLAY_CSS__ === 'string') CSS_TEXT = W.__GUIDE_OVERLAY_CSS__;
    delete W.__GUIDE_OVERLAY_CSS__;
  } catch (e) { /* ignore */ }

  if (Object.prototype.hasOwnProperty.call(W, '__guide')) return;

  var D = document;

  /* Native references, captured before any page script can patch them (zone.js & co.):
     our per-frame loop must not trigger a framework's change detection. */
  var nativeRaf = W.requestAnimationFrame;
  var nativeCaf = W.cancelAnimationFrame;
  var nativeSetTimeout = W.setTimeout;
  var nativeClearTimeout = W.clearTimeout;
  var addListener = EventTarget.prototype.addEventListener;
  var getRect = Element.prototype.getBoundingClientRect;
  var nodeContains = Node.prototype.contains;
  var nativeGetComputedStyle = W.getComputedStyle;
  var nativeElementsFromPoint = Document.prototype.elementsFromPoint;
  var nativeScrollBy = W.scrollBy;
  var nativeAttachShadow = Element.prototype.attachShadow;
  var nativeMatchMedia = W.matchMedia;
  var NativeSheet = W.CSSStyleSheet;
  var NativeRegExp = RegExp;
  var perf = W.performance;
  var perfNow = perf && perf.now;

  function now() { return perfNow ? perfNow.call(perf) : Date.now(); }
  function raf(fn) { return nativeRaf.call(W, fn); }
  function caf(id) { nativeCaf.call(W, id); }
  function later(fn, ms) { return nativeSetTimeout.call(W, fn, ms); }
  function cancelLater(id) { nativeClearTimeout.call(W, id); }
  function cs(el) { return nativeGetComputedStyle.call(W, el); }
  function on(target, type, fn, capture) { addListener.call(target, type, fn, capture); }
  function noop() {}

  /* ------------------------------------------------------------------ constants */
  var PAD = 6;          // px between the target and the cutout's edge
  var RADIUS = 8;       // cutout corner radius
  var GAP = 16;         // cutout edge -> popover edge (the arrow lives here)
  var EDGE = 8;         // minimum distance between the popover and the viewport's edges
  var BAR_MARGIN = 16;  // clearance kept under a sticky/fixed header
  var ARROW = 7;        // half the arrow's side
  var SVGNS = 'http://www.w3.org/2000/svg';
  var HOST_TAG = 'guide-overlay-root';

  var TEXT = {
    waiting: 'En attente de la page\u2026',
    drift: 'La page affich\u00e9e ne correspond pas \u00e0 l\u2019\u00e9tape attendue.',
    done: 'Termin\u00e9.',
    ok: ' \u2014 respect\u00e9',
    ko: ' \u2014 non respect\u00e9',
    rules: 'R\u00e8gles \u00e0 respecter',
    pick: 'Choisir un d\u00e9partement',
    choose: '\u2014 S\u00e9lectionner \u2014',
    paste: 'Collez le lien ici',
    pasteSubmit: 'Valider',
    mailto: '\u00c9crire \u00e0 ',
    dialog: 'Guide'
  };

  /* ------------------------------------------------------------------ model */
  var M = {
    visible: false,
    target: null,
    card: null,
    cutout: null,       // {x, y, width, height}: visible part of the target + PAD, viewport px
    popover: null,      // {x, y, width, height}
    placement: null,    // 'bottom' | 'top' | 'right' | 'left' | 'over' | 'center'
    rulesState: [],
    regs: [],
    clips: [],
    frames: 0,
    lastKey: '',
    pendingBars: null,
    mailto: null,
    picked: null,
    savedFocus: null,
    stats: { last: 0, max: 0, sum: 0, n: 0 }
  };
  var dom = null;
  var rafId = 0;

  /* ------------------------------------------------------------------ helpers */
  function str(v) { return v == null ? '' : String(v); }

  function h(tag, cls, parent) {
    var e = D.createElement(tag);
    if (cls) e.setAttribute('class', cls);
    if (parent) parent.appendChild(e);
    return e;
  }

  function svg(tag, cls, parent) {
    var e = D.createElementNS(SVGNS, tag);
    if (cls) e.setAttribute('class', cls);
    if (parent) parent.appendChild(e);
    return e;
  }

  function setText(el, text) { if (el.textContent !== text) el.textContent = text; }
  function setAttr(el, name, value) { if (el.getAttribute(name) !== value) el.setAttribute(name, value); }
  function show_(el, visible) { if (el.hidden === visible) el.hidden = !visible; }
  function clear(el) { while (el.firstChild) el.removeChild(el.firstChild); }
  function r2(n) { return Math.round(n * 100) / 100; }
  function clamp(v, lo, hi) { return hi < lo ? lo : v < lo ? lo : v > hi ? hi : v; }
  function rectObj(x, y, w, hgt) { return { x: r2(x), y: r2(y), width: r2(w), height: r2(hgt) }; }
  function copyRect(r) { return r ? { x: r.x, y: r.y, width: r.width, height: r.height } : null; }

  function reducedMotion() {
    try { return nativeMatchMedia.call(W, '(prefers-reduced-motion: reduce)').matches; } catch (e) { return false; }
  }

  function isElement(t) { return !!t && typeof t === 'object' && t.nodeType === 1 && typeof t.getBoundingClientRect === 'function'; }

  /* ------------------------------------------------------------------ card */
  function normCard(c) {
    c = c && typeof c === 'object' ? c : {};
    var status = (c.status === 'waiting' || c.status === 'drift' || c.status === 'done') ? c.status : null;
    var buttons = [];
    if (Array.isArray(c.buttons)) {
      for (var i = 0; i < c.buttons.length; i++) {
        var b = c.buttons[i];
        if (!b || typeof b !== 'object') continue;
        buttons.push({ id: str(b.id), label: str(b.label), primary: !!b.primary });
      }
    }
    var rules = [];
    if (Array.isArray(c.rules)) {
      for (var j = 0; j < c.rules.length; j++) {
        var r = c.rules[j];
        if (r && typeof r === 'object') rules.push({ text: str(r.text), pattern: str(r.pattern) });
      }
    }
    var table = null;
    var t = c.table;
    if (t && typeof t === 'object' && Array.isArray(t.columns) && Array.isArray(t.rows)) {
      table = {
        title: str(t.title),
        columns: t.columns.map(str),
        rows: t.rows.filter(Array.isArray).map(function (row) { return row.map(str); }),
        pick: null
      };
      if (t.pick && typeof t.pick === 'object') {
        var mc = parseInt(t.pick.mailto_column, 10);
        table.pick = {
          label: str(t.pick.label) || TEXT.pick,
          mailto_column: isNaN(mc) ? -1 : mc,
          subject: str(t.pick.subject)
        };
      }
    }
    var paste = null;
    if (c.paste) paste = { label: (typeof c.paste === 'object' && str(c.paste.label)) || TEXT.paste };
    return {
      title: str(c.title),
      instruction: str(c.instruction),
      note: str(c.note),
      progress: str(c.progress),
      status: status,
      message: str(c.message),
      buttons: buttons,
      rules: rules,
      table: table,
      paste: paste,
      secret: !!c.secret
    };
  }

  /* ================================================================== OVERLAY (DOM) */
  var HOST_STYLE = [
    ['all', 'initial'], ['display', 'block'], ['position', 'fixed'],
    ['top', '0'], ['right', '0'], ['bottom', '0'], ['left', '0'],
    ['width', 'auto'], ['height', 'auto'], ['min-width', '0'], ['min-height', '0'],
    ['max-width', 'none'], ['max-height', 'none'], ['margin', '0'], ['padding', '0'],
    ['border', '0 none transparent'], ['outline', '0 none transparent'],
    ['background', 'transparent'], ['box-shadow', 'none'], ['overflow', 'visible'],
    ['z-index', '2147483647'], ['pointer-events', 'none'], ['opacity', '1'],
    ['visibility', 'visible'], ['transform', 'none'], ['translate', 'none'], ['scale', 'none'],
    ['rotate', 'none'], ['filter', 'none'], ['backdrop-filter', 'none'], ['clip-path', 'none'],
    ['mask', 'none'], ['mix-blend-mode', 'normal'], ['isolation', 'isolate'],
    ['contain', 'layout style paint'], ['transition', 'none'], ['animation', 'none'],
    ['color-scheme', 'light'], ['direction', 'ltr'], ['zoom', '1'], ['content-visibility', 'visible']
  ];

  function applyHostStyle(host) {
    var st = host.style;
    for (var i = 0; i < HOST_STYLE.length; i++) {
      try { st.setProperty(HOST_STYLE[i][0], HOST_STYLE[i][1], 'important'); } catch (e) { /* unknown property */ }
    }
  }

  function ensureDom() {
    if (dom) return dom;
    var host = D.createElement(HOST_TAG);
    host.setAttribute('data-guide-overlay', '');
    host.setAttribute('popover', 'manual');
    applyHostStyle(host);
    var shadow = nativeAttachShadow.call(host, { mode: 'closed' });
    try {
      var sheet = new NativeSheet();
      sheet.replaceSync(CSS_TEXT);
      shadow.adoptedStyleSheets = [sheet];
    } catch (e) { /* unstyled but functional */ }

    var root = h('div', 'g-root', shadow);

    // Backdrop: one SVG, one even-odd path (viewport minus the rounded cutout), plus the ring.
    var back = svg('svg', 'g-backdrop', root);
    back.setAttribute('aria-hidden', 'true');
    back.setAttribute('focusable', 'false');
    var dim = svg('path', 'g-dim', back);
    dim.setAttribute('fill-rule', 'evenodd');
    var halo = svg('rect', 'g-halo', back);
    var ring = svg('rect', 'g-ring', back);

    // Popover.
    var pop = h('div', 'g-pop', root);
    pop.setAttribute('role', 'dialog');
    pop.setAttribute('aria-modal', 'false');
    pop.setAttribute('aria-labelledby', 'g-title');
    pop.setAttribute('aria-describedby', 'g-instr');
    pop.setAttribute('tabindex', '-1');
    pop.setAttribute('lang', 'fr');
    var arrow = h('div', 'g-arrow', pop);
    arrow.setAttribute('aria-hidden', 'true');
    var card = h('div', 'g-card', pop);

    var head = h('div', 'g-head', card);
    var title = h('h2', 'g-title', head);
    title.id = 'g-title';
    var quitSlot = h('div', 'g-quit', head);

    var prog = h('div', 'g-progress', card);
    var progText = h('p', 'g-progress-text', prog);
    var bar = h('div', 'g-bar', prog);
    bar.setAttribute('aria-hidden', 'true');

    var instr = h('p', 'g-instr', card);
    instr.id = 'g-instr';
    instr.setAttribute('aria-live', 'polite');

    var note = h('p', 'g-note', card);
    var status = h('div', 'g-status', card);
    status.setAttribute('role', 'status');
    var spinner = h('span', 'g-spinner', status);
    spinner.setAttribute('aria-hidden', 'true');
    var statusText = h('span', 'g-status-text', status);

    var rules = h('ul', 'g-rules', card);
    rules.setAttribute('aria-label', TEXT.rules);
    var table = h('div', 'g-table', card);
    var paste = h('form', 'g-paste', card);
    paste.setAttribute('novalidate', '');
    var actions = h('div', 'g-actions', card);

    dom = {
      host: host, shadow: shadow, root: root, back: back, dim: dim, halo: halo, ring: ring,
      pop: pop, arrow: arrow, card: card, title: title, quitSlot: quitSlot, prog: prog,
      progText: progText, bar: bar, instr: instr, note: note, status: status, statusText: statusText,
      rules: rules, table: table, paste: paste, actions: actions,
      sig: {}, pasteInput: null, pasteSubmit: null, select: null
    };

    // Buttons (delegated).
    on(pop, 'click', function (e) {
      var b = e.target && e.target.closest ? e.target.closest('button[data-id]') : null;
      if (b && M.visible) emit({ type: 'button', id: b.getAttribute('data-id') });
    }, false);
    // Keep the page's own (bubble-phase) handlers out of our UI: keyboard shortcuts,
    // "click outside" closers, focus traps… Capture-phase page listeners still see them.
    ['click', 'dblclick', 'auxclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup',
      'touchstart', 'touchend', 'keydown', 'keyup', 'keypress', 'beforeinput', 'input',
      'change', 'paste', 'copy', 'cut', 'focusin', 'focusout', 'contextmenu'
    ].forEach(function (type) {
      on(pop, type, function (e) { e.stopPropagation(); }, false);
    });
    return dom;
  }

  /* Where the host lives: <html>, or the topmost modal element (a <dialog> opened with
     showModal() makes everything else inert; being inside it keeps our buttons usable). */
  function chooseParent(t) {
    var de = D.documentElement;
    var modals = null;
    try { modals = D.querySelectorAll(':modal'); } catch (e) { modals = null; }
    if (!modals || !modals.length) return de;
    var pick = null;
    for (var i = 0; i < modals.length; i++) {
      if (t && nodeContains.call(modals[i], t)) pick = modals[i];
    }
    return pick || modals[modals.length - 1];
  }

  function otherTopLayer() {
    try {
      var l = D.querySelectorAll(':modal, :popover-open');
      for (var i = 0; i < l.length; i++) if (l[i] !== dom.host) return true;
    } catch (e) { /* ignore */ }
    return false;
  }

  function attachHost(raise) {
    var host = dom.host;
    var parent = chooseParent(M.target);
    if (!parent) return;
    var moved = false;
    if (host.parentNode !== parent) { parent.appendChild(host); moved = true; }
    fixZoom(host, parent);
    if (typeof host.showPopover !== 'function') return;
    var open = false;
    try { open = host.matches(':popover-open'); } catch (e) { open = false; }
    try {
      // Re-raise above top-layer elements the page opened after us.
      if (open && raise && !moved && otherTopLayer()) { host.hidePopover(); open = false; }
      if (!open) host.showPopover();
    } catch (e) { /* not in the top layer: still fixed + max z-index */ }
  }

  /* CSS `zoom` on an ancestor (html { zoom: 1.5 }, "bigger text" widgets) would scale the
     overlay while getBoundingClientRect() reports visual px: cancel it so 1 unit = 1 px. */
  function fixZoom(host, parent) {
    var z = parent && typeof parent.currentCSSZoom === 'number' ? parent.currentCSSZoom : 1;
    var want = z > 0 && Math.abs(z - 1) > 1e-3 ? String(1 / z) : '1';
    // Through a custom property: the :host rule's `all: initial !important` (inner context)
    // outranks inline declarations, so the :host rule reads zoom from --g-zoom.
    if (host.style.getPropertyValue('--g-zoom') !== want) host.style.setProperty('--g-zoom', want, 'important');
    if (host.style.getPropertyValue('zoom') !== want) host.style.setProperty('zoom', want, 'important');
  }

  function detachHost() {
    var host = dom && dom.host;
    if (!host) return;
    try { if (host.matches(':popover-open')) host.hidePopover(); } catch (e) { /* ignore */ }
    if (host.parentNode) host.parentNode.removeChild(host);
  }

  /* ================================================================== HIGHLIGHT */
  function parentOf(n) {
    if (n.assignedSlot) return n.assignedSlot;
    if (n.parentElement) return n.parentElement;
    var r = n.getRootNode ? n.getRootNode() : null;
    return r && r.host ? r.host : null;
  }

  // Ancestors that clip the target (overflow other than visible), cached per target.
  function clipAncestors(t) {
    var out = [];
    var de = D.documentElement, body = D.body;
    try {
      if (cs(t).position === 'fixed') return out;
      var n = parentOf(t);
      while (n && n !== de && n !== body) {
        var s = cs(n);
        if (s.display !== 'inline' && s.display !== 'contents') {
          var ox = s.overflowX !== 'visible', oy = s.overflowY !== 'visible';
          if (ox || oy) out.push({ el: n, x: ox, y: oy });
        }
        if (s.position === 'fixed') break;
        n = parentOf(n);
      }
    } catch (e) { /* detached */ }
    return out;
  }

  function viewport() {
    var host = dom.host;
    var w = host.clientWidth, hh = host.clientHeight;
    if (!w || !hh) { w = W.innerWidth; hh = W.innerHeight; }
    return { w: w, h: hh };
  }

  /* Reads only (no writes): target rect, clipping boxes, viewport, popover size. */
  function measure() {
    var g = { vp: viewport(), rect: null, cut: null, vis: null, popW: dom.pop.offsetWidth, popH: dom.pop.offsetHeight };
    var t = M.target;
    if (!t) return g;
    if (!t.isConnected) return g;
    var r = getRect.call(t);
    if (!r.width && !r.height && !t.getClientRects().length) return g;
    g.rect = { l: r.left, t: r.top, r: r.right, b: r.bottom };
    var cl = -Infinity, ct = -Infinity, cr = Infinity, cb = Infinity;
    var clips = M.clips;
    for (var i = 0; i < clips.length; i++) {
      var el = clips[i].el;
      if (!el.isConnected) continue;
      var b = getRect.call(el);
      if (clips[i].x) {
        var x0 = b.left + el.clientLeft;
        if (x0 > cl) cl = x0;
        if (x0 + el.clientWidth < cr) cr = x0 + el.clientWidth;
      }
      if (clips[i].y) {
        var y0 = b.top + el.clientTop;
        if (y0 > ct) ct = y0;
        if (y0 + el.clientHeight < cb) cb = y0 + el.clientHeight;
      }
    }
    var vl = Math.max(r.left, cl), vt = Math.max(r.top, ct), vr = Math.min(r.right, cr), vb = Math.min(r.bottom, cb);
    var emptyX = r.width > 0 ? vr <= vl : vr < vl;
    var emptyY = r.height > 0 ? vb <= vt : vb < vt;
    if (emptyX || emptyY) return g;                 // clipped out entirely
    g.vis = { l: vl, t: vt, r: vr, b: vb };
    var ol = Math.max(r.left - PAD, cl), ot = Math.max(r.top - PAD, ct);
    var or_ = Math.min(r.right + PAD, cr), ob = Math.min(r.bottom + PAD, cb);
    g.cut = { l: ol, t: ot, r: or_, b: ob };
    return g;
  }

  function roundRectPath(l, t, w, hh, rad) {
    var rr = Math.max(0, Math.min(rad, w / 2, hh / 2));
    var r = r2(l), tt = r2(t), R = r2(l + w), B = r2(t + hh), q = r2(rr);
    return 'M' + r2(l + rr) + ' ' + tt + 'H' + r2(l + w - rr) +
      'A' + q + ' ' + q + ' 0 0 1 ' + R + ' ' + r2(t + rr) + 'V' + r2(t + hh - rr) +
      'A' + q + ' ' + q + ' 0 0 1 ' + r2(l + w - rr) + ' ' + B + 'H' + r2(l + rr) +
      'A' + q + ' ' + q + ' 0 0 1 ' + r + ' ' + r2(t + hh - rr) + 'V' + r2(t + rr) +
      'A' + q + ' ' + q + ' 0 0 1 ' + r2(l + rr) + ' ' + tt + 'Z';
  }

  /* Popover placement: prefers below, then above, right, left; shifts to stay inside. */
  function place(g) {
    var vw = g.vp.w, vh = g.vp.h, w = g.popW, hh = g.popH;
    if (!g.cut) {
      return { side: 'center', x: Math.max(EDGE, (vw - w) / 2), y: Math.max(EDGE, (vh - hh) / 2), arrow: null };
    }
    var c = g.cut;
    // Anchor: the cutout, limited to what is inside the viewport when it is partly visible.
    var a = { l: Math.max(c.l, 0), t: Math.max(c.t, 0), r: Math.min(c.r, vw), b: Math.min(c.b, vh) };
    if (a.r <= a.l || a.b <= a.t) a = { l: c.l, t: c.t, r: c.r, b: c.b };
    var cx = (a.l + a.r) / 2, cy = (a.t + a.b) / 2;
    var room = {
      bottom: vh - EDGE - (a.b + GAP) - hh,
      top: (a.t - GAP) - EDGE - hh,
      right: vw - EDGE - (a.r + GAP) - w,
      left: (a.l - GAP) - EDGE - w
    };
    var order = ['bottom', 'top', 'right', 'left'];
    var side = null, best = null;
    for (var i = 0; i < order.length; i++) {
      var sd = order[i];
      if (room[sd] >= 0) { side = sd; break; }
      // Relative shortfall: how much of the card would overlap the anchor.
      var short = -room[sd] / (sd === 'bottom' || sd === 'top' ? hh : w);
      if (!best || short < best.short) best = { side: sd, short: short };
    }
    var x, y;
    if (!side && best && best.short <= 0.25) side = best.side;  // small overlap: keep the arrow
    if (!side) {
      // Nothing fits (huge target or tiny viewport): sit in the bottom-right corner, over it.
      return { side: 'over', x: Math.max(EDGE, vw - EDGE - w), y: Math.max(EDGE, vh - EDGE - hh), arrow: null };
    }
    if (side === 'bottom' || side === 'top') {
      y = side === 'bottom' ? a.b + GAP : a.t - GAP - hh;
      x = clamp(cx - w / 2, EDGE, vw - EDGE - w);
    } else {
      x = side === 'right' ? a.r + GAP : a.l - GAP - w;
      y = clamp(cy - hh / 2, EDGE, vh - EDGE - hh);
    }
    y = clamp(y, EDGE, vh - EDGE - hh);
    x = clamp(x, EDGE, vw - EDGE - w);
    var arrowPos = null;
    var min = 4 + ARROW * 2;
    if (side === 'bottom' || side === 'top') {
      var ax = cx - x;
      if (a.r > x + min && a.l < x + w - min) arrowPos = clamp(ax, min, w - min);
    } else {
      var ay = cy - y;
      if (a.b > y + min && a.t < y + hh - min) arrowPos = clamp(ay, min, hh - min);
    }
    return { side: side, x: x, y: y, arrow: arrowPos };
  }

  /* Writes only. */
  function draw(g, p) {
    var vw = g.vp.w, vh = g.vp.h;
    var d = 'M-2 -2H' + (vw + 2) + 'V' + (vh + 2) + 'H-2Z';
    var c = g.cut;
    if (c) {
      var w = c.r - c.l, hh = c.b - c.t;
      d += roundRectPath(c.l, c.t, w, hh, RADIUS);
      setAttr(dom.ring, 'x', String(r2(c.l)));
      setAttr(dom.ring, 'y', String(r2(c.t)));
      setAttr(dom.ring, 'width', String(r2(w)));
      setAttr(dom.ring, 'height', String(r2(hh)));
      setAttr(dom.ring, 'rx', String(Math.min(RADIUS, w / 2, hh / 2)));
      setAttr(dom.halo, 'x', String(r2(c.l - 3)));
      setAttr(dom.halo, 'y', String(r2(c.t - 3)));
      setAttr(dom.halo, 'width', String(r2(w + 6)));
      setAttr(dom.halo, 'height', String(r2(hh + 6)));
      setAttr(dom.halo, 'rx', String(Math.min(RADIUS, w / 2, hh / 2) + 3));
      M.cutout = rectObj(c.l, c.t, w, hh);
    } else {
      M.cutout = null;
    }
    setAttr(dom.back, 'class', c ? 'g-backdrop' : 'g-backdrop g-no-cut');
    setAttr(dom.dim, 'd', d);

    var x = Math.round(p.x), y = Math.round(p.y);
    dom.pop.style.setProperty('transform', 'translate(' + x + 'px, ' + y + 'px)');
    setAttr(dom.pop, 'data-side', p.side);
    if (p.arrow == null) {
      setAttr(dom.pop, 'data-arrow', 'none');
    } else {
      setAttr(dom.pop, 'data-arrow', 'on');
      dom.pop.style.setProperty('--g-arrow', Math.round(p.arrow - ARROW) + 'px');
    }
    M.popover = rectObj(x, y, g.popW, g.popH);
    M.placement = p.side;
  }

  function update(force) {
    var g = measure();
    var c = g.cut;
    var key = g.vp.w + ',' + g.vp.h + ',' + g.popW + ',' + g.popH + ',' +
      (c ? r2(c.l) + ',' + r2(c.t) + ',' + r2(c.r) + ',' + r2(c.b) : '-');
    if (!force && key === M.lastKey) return g;
    M.lastKey = key;
    draw(g, place(g));
    return g;
  }

  /* Sticky / fixed bars covering the target's top (or bottom) edge. */
  function barAt(t, r, edge, vp) {
    var y = edge === 'top' ? r.top + 2 : r.bottom - 2;
    if (y < 0 || y >= vp.h) return null;
    var l = Math.max(r.left, 0), rr = Math.min(r.right, vp.w);
    if (rr <= l) return null;
    var xs = [(l + rr) / 2, l + Math.min(4, (rr - l) / 2), rr - Math.min(4, (rr - l) / 2)];
    var de = D.documentElement, body = D.body;
    for (var i = 0; i < xs.length; i++) {
      var list;
      try { list = nativeElementsFromPoint.call(D, xs[i], y); } catch (e) { return null; }
      for (var j = 0; j < list.length; j++) {
        var el = list[j];
        if (el === dom.host) continue;
        if (el === t || nodeContains.call(t, el) || nodeContains.call(el, t)) break;
        for (var n = el; n && n !== de && n !== body; n = parentOf(n)) {
          var pos = cs(n).position;
          if (pos === 'fixed' || pos === 'sticky') {
            if (!nodeContains.call(n, t)) return n;
            break;
          }
        }
      }
    }
    return null;
  }

  function clearBars() {
    var t = M.target;
    if (!t || !t.isConnected) return;
    var r = getRect.call(t);
    var vp = viewport();
    var behavior = reducedMotion() ? 'instant' : 'smooth';
    var bar = barAt(t, r, 'top', vp) || barAt(t, r, 'bottom', vp);
    if (!bar) return;
    var br = getRect.call(bar);
    var dy = 0;
    if ((br.top + br.bottom) / 2 < vp.h / 2) dy = -(br.bottom - r.top + BAR_MARGIN);  // header: scroll up
    else dy = r.bottom - br.top + BAR_MARGIN;                                         // footer: scroll down
    if (dy) nativeScrollBy.call(W, { top: dy, left: 0, behavior: behavior });
  }

  /* On show (new target): bring it into view, then clear sticky headers once. */
  function bringIntoView(t) {
    var g = measure();
    var vp = g.vp;
    if (!g.rect) return;
    var r = g.rect, v = g.vis;
    var fully = v && r.l >= 0 && r.t >= 0 && r.r <= vp.w && r.b <= vp.h &&
      v.l <= r.l + 1 && v.t <= r.t + 1 && v.r >= r.r - 1 && v.b >= r.b - 1;
    if (fully) { clearBars(); return; }
    var instant = reducedMotion();
    try {
      t.scrollIntoView({
        block: (r.b - r.t) + 2 * PAD <= vp.h ? 'center' : 'start',
        inline: 'nearest',
        behavior: instant ? 'instant' : 'smooth'
      });
    } catch (e) {
      try { t.scrollIntoView(); } catch (e2) { /* ignore */ }
    }
    if (instant) clearBars();
    else M.pendingBars = { since: now(), stable: 0, last: '' };
  }

  function pendingBarsStep(g) {
    var pb = M.pendingBars;
    if (!pb) return;
    var k = g.rect ? r2(g.rect.t) + ',' + r2(g.rect.l) : '-';
    if (k === pb.last) pb.stable++; else { pb.stable = 0; pb.last = k; }
    if (pb.stable >= 3 || now() - pb.since > 2000) {
      M.pendingBars = null;
      clearBars();
    }
  }

  /* rAF loop: one read pass, one write pass (only when something changed). */
  function tick() {
    rafId = 0;
    if (!M.visible) return;
    var t0 = now();
    try {
      M.frames++;
      if (!dom.host.isConnected) attachHost(false);
      else if (M.frames % 30 === 0) {
        if (chooseParent(M.target) !== dom.host.parentNode) attachHost(true);
        else fixZoom(dom.host, dom.host.parentNode);
      }
      if (M.target && M.frames % 60 === 0) M.clips = clipAncestors(M.target);
      var g = update(false);
      if (M.pendingBars) pendingBarsStep(g);
    } catch (e) { /* keep following */ }
    var dt = now() - t0;
    var s = M.stats;
    s.last = dt; s.sum += dt; s.n++;
    if (dt > s.max) s.max = dt;
    rafId = raf(tick);
  }

  function startLoop() { if (!rafId) rafId = raf(tick); }
  function stopLoop() { if (rafId) { caf(rafId); rafId = 0; } }

  /* ================================================================== POPOVER */
  function focusInside() { return !!dom && D.activeElement === dom.host; }

  function innerFocus() {
    if (!focusInside()) return null;
    return dom.shadow.activeElement;
  }

  function renderButtons(c) {
    var sig = JSON.stringify(c.buttons);
    if (dom.sig.buttons === sig) return;
    dom.sig.buttons = sig;
    clear(dom.actions);
    clear(dom.quitSlot);
    var others = c.buttons.filter(function (b) { return b.id !== 'quit'; });
    var stack = others.length > 3 || others.some(function (b) { return b.label.length > 24; });
    setAttr(dom.actions, 'class', stack ? 'g-actions g-actions--stack' : 'g-actions');
    c.buttons.forEach(function (b) {
      var isQuit = b.id === 'quit';
      var el = h('button', 'g-btn ' + (isQuit ? 'g-btn--quit' : b.primary ? 'g-btn--primary' : 'g-btn--secondary'),
        isQuit ? dom.quitSlot : dom.actions);
      el.type = 'button';
      el.setAttribute('data-id', b.id);
      if (isQuit) {
        h('span', 'g-btn-label', el).textContent = b.label;
        var x = h('span', 'g-x', el);
        x.setAttribute('aria-hidden', 'true');
      } else {
        el.textContent = b.label;
      }
    });
    show_(dom.actions, others.length > 0);
  }

  function findButton(id) {
    var list = dom.pop.querySelectorAll('button[data-id]');
    for (var i = 0; i < list.length; i++) if (list[i].getAttribute('data-id') === id) return list[i];
    return null;
  }

  function hasButton(id) {
    var c = M.card;
    if (!c) return false;
    for (var i = 0; i < c.buttons.length; i++) if (c.buttons[i].id === id) return true;
    return false;
  }

  function renderProgress(c) {
    var txt = c.status === 'drift' ? '' : c.progress;
    setText(dom.progText, txt);
    show_(dom.prog, !!txt);
    var m = /(\d+)\s*(?:sur|\/|of)\s*(\d+)/i.exec(txt);
    var cur = m ? parseInt(m[1], 10) : 0, tot = m ? parseInt(m[2], 10) : 0;
    var sig = tot > 0 && tot <= 40 && cur <= tot ? cur + '/' + tot : '';
    if (dom.sig.bar === sig) return;
    dom.sig.bar = sig;
    clear(dom.bar);
    show_(dom.bar, !!sig);
    for (var i = 1; sig && i <= tot; i++) h('span', i <= cur ? 'g-seg g-seg--on' : 'g-seg', dom.bar);
  }

  function renderStatus(c) {
    var text = '';
    if (c.status === 'waiting') text = TEXT.waiting;
    else if (c.status === 'done') text = c.message || TEXT.done;
    setText(dom.statusText, text);
    setAttr(dom.status, 'class', 'g-status' + (c.status ? ' g-status--' + c.status : ''));
    show_(dom.status, !!text);
  }

  function compileRules(rules) {
    return rules.map(function (r) {
      try { return new NativeRegExp(r.pattern, 'u'); } catch (e) { return null; }
    });
  }

  function renderRules(c) {
    var visible = c.rules.length > 0 && c.status !== 'drift';
    show_(dom.rules, visible);
    var sig = JSON.stringify(c.rules);
    if (dom.sig.rules !== sig) {
      dom.sig.rules = sig;
      clear(dom.rules);
      M.regs = compileRules(c.rules);
      M.rulesState = c.rules.map(function () { return false; });
      c.rules.forEach(function (r) {
        var li = h('li', 'g-rule g-rule--idle', dom.rules);
        var mark = h('span', 'g-mark', li);
        mark.setAttribute('aria-hidden', 'true');
        mark.textContent = '\u2717';
        h('span', 'g-rule-text', li).textContent = r.text;
        h('span', 'g-sr', li).textContent = TEXT.ko;
      });
    }
  }

  /* The only place the target's value is read. It stays in this function's locals. */
  function evalRules() {
    var regs = M.regs;
    if (!regs.length || !M.target) return;
    var value = readValue(M.target);
    var empty = value.length === 0;
    var states = [];
    for (var i = 0; i < regs.length; i++) {
      var ok = false;
      try { ok = regs[i] ? regs[i].test(value) : false; } catch (e) { ok = false; }
      states.push(ok);
    }
    value = null;
    M.rulesState = states;
    var items = dom.rules.children;
    for (var j = 0; j < items.length && j < states.length; j++) {
      var li = items[j];
      var cls = 'g-rule ' + (states[j] ? 'g-rule--ok' : empty ? 'g-rule--idle' : 'g-rule--ko');
      if (li.getAttribute('class') === cls) continue;
      li.setAttribute('class', cls);
      li.firstChild.textContent = states[j] ? '\u2713' : '\u2717';
      li.lastChild.textContent = states[j] ? TEXT.ok : TEXT.ko;
    }
  }

  function readValue(t) {
    var v = t.value;
    if (typeof v !== 'string') {
      var inner = t.querySelector ? t.querySelector('input, textarea') : null;
      v = inner && typeof inner.value === 'string' ? inner.value : '';
    }
    return v;
  }

  function mailtoHref(addr, subject) {
    addr = addr.trim();
    if (!/^[^\s@?&<>"]+@[^\s@?&<>"]+$/.test(addr)) return null;
    return 'mailto:' + encodeURI(addr) + (subject ? '?subject=' + encodeURIComponent(subject) : '');
  }

  function renderTable(c) {
    var tb = c.status === 'drift' ? null : c.table;
    show_(dom.table, !!tb);
    var sig = JSON.stringify(tb);
    if (dom.sig.table === sig) return;
    dom.sig.table = sig;
    clear(dom.table);
    dom.select = null;
    M.mailto = null;
    M.picked = null;
    if (!tb) return;
    if (tb.title) h('p', 'g-table-title', dom.table).textContent = tb.title;
    if (!tb.pick) {
      // Plain data table.
      var wrap = h('div', 'g-table-scroll', dom.table);
      var table = h('table', 'g-data', wrap);
      var tr = h('tr', '', h('thead', '', table));
      tb.columns.forEach(function (col) { var th = h('th', '', tr); th.textContent = col; th.setAttribute('scope', 'col'); });
      var tbody = h('tbody', '', table);
      tb.rows.forEach(function (row) {
        var r = h('tr', '', tbody);
        row.forEach(function (cell) { h('td', '', r).textContent = cell; });
      });
      return;
    }
    var pick = tb.pick;
    var label = h('label', 'g-label', dom.table);
    label.setAttribute('for', 'g-pick');
    label.textContent = pick.label;
    var sw = h('div', 'g-select-wrap', dom.table);
    var select = h('select', 'g-select', sw);
    select.id = 'g-pick';
    var first = h('option', '', select);
    first.value = '';
    first.textContent = TEXT.choose;
    var labelCols = [];
    for (var i = 0; i < tb.columns.length && labelCols.length < 2; i++) if (i !== pick.mailto_column) labelCols.push(i);
    if (!labelCols.length) labelCols.push(0);
    tb.rows.forEach(function (row, idx) {
      var o = h('option', '', select);
      o.value = String(idx);
      o.textContent = labelCols.map(function (ci) { return row[ci] || ''; }).filter(Boolean).join(' \u2014 ');
    });
    var out = h('div', 'g-picked', dom.table);
    out.hidden = true;
    dom.select = select;
    on(select, 'change', function () {
      var idx = select.value === '' ? -1 : parseInt(select.value, 10);
      clear(out);
      M.mailto = null;
      M.picked = null;
      if (idx < 0 || !tb.rows[idx]) { out.hidden = true; return; }
      var row = tb.rows[idx];
      var dl = h('dl', 'g-dl', out);
      tb.columns.forEach(function (col, ci) {
        if (ci === pick.mailto_column) return;
        var item = h('div', 'g-dl-item', dl);
        h('dt', '', item).textContent = col;
        h('dd', '', item).textContent = row[ci] || '';
      });
      var addr = pick.mailto_column >= 0 ? (row[pick.mailto_column] || '') : '';
      var href = addr ? mailtoHref(addr, pick.subject) : null;
      if (href) {
        var a = h('a', 'g-mailto', out);
        a.href = href;
        a.textContent = TEXT.mailto + addr.trim();
        M.mailto = href;
      } else if (addr) {
        h('p', 'g-addr', out).textContent = addr;
      }
      out.hidden = false;
      M.picked = idx;
      emit({ type: 'pick', row: idx });
    }, false);
  }

  function renderPaste(c) {
    var p = c.status === 'drift' ? null : c.paste;
    show_(dom.paste, !!p);
    var sig = JSON.stringify(p);
    if (dom.sig.paste === sig) return;
    dom.sig.paste = sig;
    clear(dom.paste);
    dom.pasteInput = dom.pasteSubmit = null;
    if (!p) return;
    var label = h('label', 'g-label', dom.paste);
    label.setAttribute('for', 'g-paste-in');
    label.textContent = p.label;
    var row = h('div', 'g-paste-row', dom.paste);
    var input = h('input', 'g-input', row);
    input.id = 'g-paste-in';
    input.type = 'text';
    input.setAttribute('inputmode', 'url');
    input.setAttribute('autocomplete', 'off');
    input.setAttribute('autocapitalize', 'off');
    input.setAttribute('spellcheck', 'false');
    var submit = h('button', 'g-btn g-btn--primary g-btn--sm', row);
    submit.type = 'submit';
    submit.textContent = TEXT.pasteSubmit;
    dom.pasteInput = input;
    dom.pasteSubmit = submit;
    on(dom.paste, 'submit', function (e) {
      e.preventDefault();
      var v = input.value.trim();
      if (!v) { input.focus(); return; }
      emit({ type: 'paste', value: v });
    }, false);
  }

  function render(c, fo) {
    var foId = fo && fo.getAttribute ? fo.getAttribute('data-id') : null;

    setText(dom.title, c.title);
    show_(dom.title, !!c.title);
    if (c.title) {
      setAttr(dom.pop, 'aria-labelledby', 'g-title');
      dom.pop.removeAttribute('aria-label');
    } else {
      dom.pop.removeAttribute('aria-labelledby');
      setAttr(dom.pop, 'aria-label', c.progress || TEXT.dialog);
    }
    setAttr(dom.pop, 'data-status', c.status || 'none');
    renderProgress(c);
    var main = c.status === 'drift' ? (c.message || TEXT.drift) : c.instruction;
    setText(dom.instr, main);
    show_(dom.instr, !!main);
    var note = c.status === 'drift' ? '' : c.note;
    setText(dom.note, note);
    show_(dom.note, !!note);
    renderStatus(c);
    renderRules(c);
    renderTable(c);
    renderPaste(c);
    renderButtons(c);
    // Focus was in the card and its element was replaced: keep it in the card
    // (same button when it still exists), so keyboard users can go on.
    if (fo && (!fo.isConnected || !focusInside())) {
      ((foId != null && findButton(foId)) || dom.pop).focus({ preventScroll: true });
    }
  }

  /* ================================================================== EVENTS */
  function emit(obj) {
    var fn;
    try { fn = W.__guideEvent; } catch (e) { return; }
    if (typeof fn !== 'function') return;
    try {
      var p = fn(obj);
      if (p && typeof p.then === 'function') p.then(noop, noop);
    } catch (e) { /* ignore */ }
  }

  function inTarget(e) {
    var t = M.target;
    if (!M.visible || !t) return false;
    var path = e.composedPath ? e.composedPath() : null;
    if (path && path.length) return path.indexOf(t) !== -1;
    return !!e.target && e.target.nodeType === 1 && nodeContains.call(t, e.target);
  }

  // 'input' fires per keystroke: report the first one of a burst only (no keystroke count).
  var inputQuiet = 0, inputReported = false;

  var lastClick = -1e9;
  on(W, 'click', function (e) {
    if (!inTarget(e)) return;
    var t = now();
    if (t - lastClick < 50) return;      // a <label>'s synthetic click on its control
    lastClick = t;
    emit({ type: 'target', action: 'click' });
  }, true);

  on(W, 'input', function (e) {
    if (!inTarget(e)) return;
    evalRules();
    if (!inputReported) { inputReported = true; emit({ type: 'target', action: 'input' }); }
    if (inputQuiet) cancelLater(inputQuiet);
    inputQuiet = later(function () { inputQuiet = 0; inputReported = false; }, 400);
  }, true);

  on(W, 'change', function (e) {
    if (!inTarget(e)) return;
    evalRules();
    emit({ type: 'target', action: 'change' });
  }, true);

  on(W, 'keydown', function (e) {
    if (!M.visible || !dom || e.defaultPrevented || e.isComposing || e.repeat) return;
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var kind = e.key === 'Escape' ? 'Escape' :
      (e.key === 'Enter' || e.key === 'ArrowRight') ? 'next' :
      e.key === 'ArrowLeft' ? 'prev' : null;
    if (!kind) return;
    var ae = D.activeElement;
    if (ae === dom.host) {
      var inner = dom.shadow.activeElement;
      if (inner && inner !== dom.pop && kind !== 'Escape') {
        var tag = inner.tagName;
        if (tag !== 'BUTTON' && tag !== 'A') return;     // typing in our own field / select
        if (e.key === 'Enter') return;                    // native activation of that button
      }
    } else if (!(ae == null || ae === D.body || ae === D.documentElement)) {
      return;                                             // never steal keys from the page's fields
    }
    var id = kind === 'Escape' ? 'quit' : kind;
    if (hasButton(id)) {
      e.preventDefault();
      e.stopPropagation();
      emit({ type: 'button', id: id });
    } else {
      emit({ type: 'key', key: kind });
    }
  }, true);

  /* ================================================================== API */
  function showCard(target, card) {
    if (!D.documentElement) return false;
    ensureDom();
    var c = normCard(card);
    var t = isElement(target) ? target : null;
    var wasVisible = M.visible;
    var targetChanged = !wasVisible || t !== M.target;
    var focusWasInside = focusInside();
    var innerBefore = innerFocus();   // before attachHost: re-raising may drop focus

    M.target = t;
    M.card = c;
    if (targetChanged) {
      M.clips = t ? clipAncestors(t) : [];
      M.pendingBars = null;
    }
    attachHost(true);
    render(c, innerBefore);
    M.visible = true;
    evalRulesSafe();
    if (t && targetChanged) bringIntoView(t);
    update(true);                                    // drawn synchronously, before the next paint

    if (!t || c.status === 'drift') {
      if (!focusWasInside) {
        var ae = D.activeElement;
        M.savedFocus = ae && ae !== D.body && ae !== D.documentElement && ae !== dom.host ? ae : null;
        dom.pop.focus({ preventScroll: true });
      }
    }
    startLoop();
    return true;
  }

  function evalRulesSafe() { try { evalRules(); } catch (e) { /* ignore */ } }

  function hideAll() {
    if (!dom) return;
    var hadFocus = focusInside();
    M.visible = false;
    stopLoop();
    var saved = M.savedFocus;
    M.savedFocus = null;
    detachHost();
    if (hadFocus && saved && saved.isConnected && typeof saved.focus === 'function') {
      try { saved.focus({ preventScroll: true }); } catch (e) { /* ignore */ }
    }
    M.target = null;
    M.card = null;
    M.cutout = null;
    M.popover = null;
    M.placement = null;
    M.clips = [];
    M.pendingBars = null;
    M.lastKey = '';
  }

  function getState() {
    var c = M.card;
    var vis = M.visible && !!dom && dom.host.isConnected;
    var s = {
      visible: vis,
      cutout: vis ? copyRect(M.cutout) : null,
      popover: vis ? copyRect(M.popover) : null,
      instruction: c ? c.instruction : '',
      progress: c ? c.progress : '',
      buttons: c ? c.buttons.map(function (b) { return b.label; }) : [],
      status: c ? c.status : null,
      rulesState: vis ? M.rulesState.slice() : [],
      // Extras (test hooks).
      message: c ? c.message : '',
      note: c ? c.note : '',
      buttonIds: c ? c.buttons.map(function (b) { return b.id; }) : [],
      placement: vis ? M.placement : null,
      padding: PAD,
      picked: vis ? M.picked : null,
      mailto: vis ? M.mailto : null,
      focusInside: focusInside(),
      topLayer: !!(dom && safeMatches(dom.host, ':popover-open')),
      frameMs: {
        last: r2(M.stats.last * 1000) / 1000,
        max: r2(M.stats.max * 1000) / 1000,
        avg: M.stats.n ? r2(M.stats.sum / M.stats.n * 1000) / 1000 : 0,
        frames: M.stats.n
      },
      boxes: vis ? boxes() : null
    };
    return s;
  }

  function safeMatches(el, sel) { try { return el.matches(sel); } catch (e) { return false; } }

  function boxOf(el) {
    if (!el || !el.isConnected) return null;
    var r = getRect.call(el);
    if (!r.width && !r.height) return null;
    return rectObj(r.left, r.top, r.width, r.height);
  }

  function boxes() {
    var out = { buttons: {}, paste: boxOf(dom.pasteInput), pasteSubmit: boxOf(dom.pasteSubmit), pick: boxOf(dom.select) };
    var list = dom.pop.querySelectorAll('button[data-id]');
    for (var i = 0; i < list.length; i++) out.buttons[list[i].getAttribute('data-id')] = boxOf(list[i]);
    return out;
  }

  var api = Object.freeze({
    show: function (target, card) {
      try { return showCard(target, card); } catch (e) { return false; }
    },
    hide: function () { try { hideAll(); } catch (e) { /* ignore */ } },
    state: function () { return getState(); }
  });

  Object.defineProperty(W, '__guide', {
    value: api, enumerable: false, configurable: false, writable: false
  });
})();
