/*
 * popover.js — the card beside the target: its skeleton, its own sections (title, progress,
 * instruction, note, status, buttons), and where it goes: below the cutout, else above, right,
 * left, shifted to stay on screen, with an arrow pointing at the target. The rules, table and
 * paste sections live in its slots and are rendered by their own parts.
 *
 * Accessibility: role="dialog" (non-modal) named by the flow's title and described by the
 * progress and the instruction, in the words' language; aria-keyshortcuts and a visually
 * hidden hint (read by screen readers) for Alt+Shift+G, which events.js handles; Tab and
 * Shift+Tab cycle through the card's own controls. Each step is announced ONCE, by one live
 * region: when the step (progress, instruction or drift message) changes, not when the same
 * card is drawn again (a scroll, a redraw, the target found); not when focus moves into the
 * dialog in the same show() (the screen reader reads the dialog then); a card with
 * `announce: false` (the same step drawn again on a new page) records it without a word.
 * The page's bubble-phase handlers never see what happens inside the card.
 *
 * makePopover(N, E, dom, TEXT, PROTOCOL, onButton) -> {slots: {rules, table, paste}, render(card),
 *   keepFocus(before), focus(), isCard(el), size(), place(g, size) -> p, draw(p, size), box(),
 *   placement(), gap, edge, overlaps(cutout), hasButton(id), buttonBoxes(), reset()}
 *   onButton(id): a card button was pressed.
 */
function makePopover(N, E, dom, TEXT, PROTOCOL, onButton) {
  var GAP = 16;    // cutout edge -> popover edge (the arrow lives here)
  var EDGE = 8;    // minimum distance between the popover and the viewport's edges
  var ARROW = 7;   // half the arrow's side
  var PROGRESS = /(\d+)\s*(?:sur|\/|of)\s*(\d+)/i;
  var QUIT = PROTOCOL.button.QUIT;
  var DRIFT = PROTOCOL.status.DRIFT, WAITING = PROTOCOL.status.WAITING;
  var SHORTCUT = 'Alt+Shift+G';   // aria-keyshortcuts syntax; events.js matches the key itself
  var FIRST_SAY_MS = 150;         // a live region just put in the page: let it reach the
                                  // accessibility tree before its first words (else unheard)
  var CONTROLS = 'button, select, input, textarea, a[href], [tabindex]';

  var pop = E.el('div', 'g-pop', dom.root());
  E.attr(pop, 'role', 'dialog');
  E.attr(pop, 'aria-modal', 'false');
  E.attr(pop, 'aria-labelledby', 'g-title');
  E.attr(pop, 'aria-describedby', 'g-progress-text g-instr');
  E.attr(pop, 'aria-keyshortcuts', SHORTCUT);
  E.attr(pop, 'tabindex', '-1');
  E.attr(pop, 'lang', TEXT.lang || 'fr');
  var arrow = E.el('div', 'g-arrow', pop);
  E.attr(arrow, 'aria-hidden', 'true');
  var card = E.el('div', 'g-card', pop);
  var head = E.el('div', 'g-head', card);
  var title = E.el('h2', 'g-title', head);
  E.attr(title, 'id', 'g-title');
  var quitSlot = E.el('div', 'g-quit', head);
  var prog = E.el('div', 'g-progress', card);
  var progText = E.el('p', 'g-progress-text', prog);
  E.attr(progText, 'id', 'g-progress-text');
  var bar = E.el('div', 'g-bar', prog);
  E.attr(bar, 'aria-hidden', 'true');
  var instr = E.el('p', 'g-instr', card);
  E.attr(instr, 'id', 'g-instr');
  var note = E.el('p', 'g-note', card);
  var status = E.el('div', 'g-status', card);   // not live: the step's announcement says it
  E.attr(E.el('span', 'g-spinner', status), 'aria-hidden', 'true');
  var statusText = E.el('span', 'g-status-text', status);
  var slots = N.freeze({
    rules: E.el('ul', 'g-rules', card),
    table: E.el('div', 'g-table', card),
    paste: E.el('form', 'g-paste', card)
  });
  var actions = E.el('div', 'g-actions', card);
  // The shortcut, read by screen readers with the card and not shown (.g-sr, fields.css): the
  // card keeps its size whatever has focus; see also aria-keyshortcuts.
  var hint = E.el('p', 'g-sr g-kbd', card);
  E.text(hint, TEXT.shortcut || '');
  E.shown(hint, !!TEXT.shortcut);
  // The one live region: what is said when the step changes (see announce).
  var live = E.el('div', 'g-sr g-live', pop);
  E.attr(live, 'role', 'status');
  E.attr(live, 'aria-live', 'polite');
  E.attr(live, 'aria-atomic', 'true');
  var said = { key: null, text: null, fresh: true, timer: 0, queued: false, byFocus: false };
  var spoken = [];           // every text the region said, in order (tests: was a step said?)

  var popStyle = N.style(pop);
  var buttons = [];          // [{id, el}] on screen
  var drawn = { buttons: null, bar: null };
  var geometry = { box: null, side: null };

  E.on(pop, 'click', function (e) {
    var b = null;
    try { b = N.closest(N.eventTarget(e), 'button[data-id]'); } catch (err) { b = null; }
    if (b) onButton(N.getAttribute(b, 'data-id'));
  });
  E.own(pop);   // the page's bubble-phase handlers never see what happens in the card

  // Tab and Shift+Tab go round the card's own controls (Alt+Shift+G leads back to the page).
  function controls() {
    var out = [], list = N.querySelectorAll(card, CONTROLS);
    for (var k = 0, n = N.nodeCount(list); k < n; k++) {
      var el = list[k];
      if (N.getAttribute(el, 'tabindex') === '-1' || N.matches(el, ':disabled')) continue;
      if (!N.rectCount(N.getClientRects(el))) continue;   // hidden section
      N.push(out, el);
    }
    return out;
  }

  E.on(pop, 'keydown', function (e) {
    if (N.key(e) !== 'Tab' || N.altKey(e) || N.ctrlKey(e) || N.metaKey(e) || N.defaultPrevented(e)) return;
    N.preventDefault(e);
    var list = controls();
    if (!list.length) { focus(pop); return; }
    var at = dom.innerFocus(), k = -1, last = list.length - 1;
    for (var j = 0; j < list.length; j++) if (list[j] === at) k = j;
    var next = N.shiftKey(e) ? (k <= 0 ? last : k - 1) : (k < 0 || k === last ? 0 : k + 1);
    N.focus(list[next]);   // scrolls the card (not the page) to it
  });

  function renderButtons(list) {
    var s = E.sig(list);
    if (s === drawn.buttons) return;
    drawn.buttons = s;
    E.clear(actions);
    E.clear(quitSlot);
    buttons = [];
    var others = 0, long = false;
    for (var i = 0; i < list.length; i++) {
      if (list[i].id === QUIT) continue;
      others++;
      if (list[i].label.length > 24) long = true;
    }
    E.attr(actions, 'class', others > 3 || long ? 'g-actions g-actions--stack' : 'g-actions');
    for (var j = 0; j < list.length; j++) {
      var b = list[j], quit = b.id === QUIT;
      var kind = quit ? 'g-btn--quit' : b.primary ? 'g-btn--primary' : 'g-btn--secondary';
      var el = E.el('button', 'g-btn ' + kind, quit ? quitSlot : actions);
      E.attr(el, 'type', 'button');
      E.attr(el, 'data-id', b.id);
      if (quit) {
        E.text(E.el('span', 'g-btn-label', el), b.label);
        E.attr(E.el('span', 'g-x', el), 'aria-hidden', 'true');
      } else {
        E.text(el, b.label);
      }
      N.push(buttons, { id: b.id, el: el });
    }
    E.shown(actions, others > 0);
  }

  function findButton(id) {
    for (var i = 0; i < buttons.length; i++) if (buttons[i].id === id) return buttons[i].el;
    return null;
  }

  function renderProgress(c) {
    var txt = c.status === DRIFT ? '' : c.progress;
    E.text(progText, txt);
    E.shown(prog, !!txt);
    var m = N.exec(PROGRESS, txt);
    var cur = m ? N.parseInt(m[1], 10) : 0, tot = m ? N.parseInt(m[2], 10) : 0;
    var s = tot > 0 && tot <= 40 && cur <= tot ? cur + '/' + tot : '';
    if (drawn.bar === s) return;
    drawn.bar = s;
    E.clear(bar);
    E.shown(bar, !!s);
    for (var i = 1; s && i <= tot; i++) E.el('span', i <= cur ? 'g-seg g-seg--on' : 'g-seg', bar);
  }

  /* The step's announcement: said once per step (see the header). Written after show()
     returns (a microtask), or FIRST_SAY_MS after the region first appears, so that focus
     moving into the dialog meanwhile can take its place. */
  function announce(c) {
    var drift = c.status === DRIFT;
    var main = drift ? (c.message || TEXT.drift) : c.instruction;
    var progress = drift ? '' : c.progress;
    var key = progress + '\n' + main;
    if (key === said.key) return;           // the same step drawn again: nothing to say
    said.key = key;
    said.byFocus = false;
    if (!c.announce || !main) { said.text = ''; } else {
      said.text = (progress ? progress + '. ' : '') + main + (c.status === WAITING ? ' ' + TEXT.waiting : '');
    }
    if (said.timer || said.queued) return;  // a write is coming: it takes the latest words
    if (said.fresh) said.timer = N.later(say, FIRST_SAY_MS);
    else { said.queued = true; N.microtask(say); }
  }

  function say() {
    said.timer = 0;
    said.queued = false;
    if (said.text == null) return;
    said.fresh = false;
    // Read already with the dialog that got focus: an empty region, so that the next words,
    // even the same as last time's, are a change.
    var words = said.byFocus ? '' : said.text;
    E.text(live, words);
    if (words) N.push(spoken, words);
    said.text = null;
  }

  function render(c) {
    announce(c);
    var drift = c.status === DRIFT;
    E.text(title, c.title);
    E.shown(title, !!c.title);
    E.attr(pop, 'aria-labelledby', c.title ? 'g-title' : null);
    E.attr(pop, 'aria-label', c.title ? null : c.progress || TEXT.dialog);
    E.attr(pop, 'data-status', c.status || 'none');
    renderProgress(c);
    var main = drift ? (c.message || TEXT.drift) : c.instruction;
    E.text(instr, main);
    E.shown(instr, !!main);
    var aside = drift ? '' : c.note;
    E.text(note, aside);
    E.shown(note, !!aside);
    var waiting = c.status === WAITING ? TEXT.waiting : '';
    E.text(statusText, waiting);
    E.attr(status, 'class', 'g-status' + (c.status ? ' g-status--' + c.status : ''));
    E.shown(status, !!waiting);
    renderButtons(c.buttons);
  }

  function focus(el) {
    if (!el || el === pop) said.byFocus = true;   // the dialog is read: name, progress, instruction
    N.focus(el || pop, { __proto__: null, preventScroll: true });
  }

  // Focus was in the card and its element was replaced: keep it in the card (same button
  // when it still exists), so keyboard users can go on.
  function keepFocus(before) {
    if (!before || (N.isConnected(before) && dom.focusInside())) return;
    var id = N.getAttribute(before, 'data-id');
    focus((id != null && findButton(id)) || pop);
  }

  function size() { return { w: N.offsetWidth(pop), h: N.offsetHeight(pop) }; }

  /* Placement: prefers below, then above, right, left; shifts to stay inside. */
  function place(g, sz) {
    var vw = g.vp.w, vh = g.vp.h, w = sz.w, h = sz.h;
    if (!g.cut) return { side: 'center', x: N.max(EDGE, (vw - w) / 2), y: N.max(EDGE, (vh - h) / 2), arrow: null };
    var c = g.cut;
    // Anchor: the cutout, limited to what is inside the viewport when it is partly visible.
    var a = { l: N.max(c.l, 0), t: N.max(c.t, 0), r: N.min(c.r, vw), b: N.min(c.b, vh) };
    if (a.r <= a.l || a.b <= a.t) a = { l: c.l, t: c.t, r: c.r, b: c.b };
    var cx = (a.l + a.r) / 2, cy = (a.t + a.b) / 2;
    var room = {
      bottom: vh - EDGE - (a.b + GAP) - h,
      top: (a.t - GAP) - EDGE - h,
      right: vw - EDGE - (a.r + GAP) - w,
      left: (a.l - GAP) - EDGE - w
    };
    var order = ['bottom', 'top', 'right', 'left'];
    var side = null, best = null;
    for (var i = 0; i < order.length; i++) {
      var sd = order[i];
      if (room[sd] >= 0) { side = sd; break; }
      // Relative shortfall: how much of the card would overlap the anchor.
      var short = -room[sd] / (sd === 'bottom' || sd === 'top' ? h : w);
      if (!best || short < best.short) best = { side: sd, short: short };
    }
    if (!side && best && best.short <= 0.25) side = best.side;  // small overlap: keep the arrow
    // Nothing fits (huge target or tiny viewport): sit in the bottom-right corner, over it.
    if (!side) return { side: 'over', x: N.max(EDGE, vw - EDGE - w), y: N.max(EDGE, vh - EDGE - h), arrow: null };
    var x, y;
    if (side === 'bottom' || side === 'top') {
      y = side === 'bottom' ? a.b + GAP : a.t - GAP - h;
      x = clamp(cx - w / 2, EDGE, vw - EDGE - w);
    } else {
      x = side === 'right' ? a.r + GAP : a.l - GAP - w;
      y = clamp(cy - h / 2, EDGE, vh - EDGE - h);
    }
    y = clamp(y, EDGE, vh - EDGE - h);
    x = clamp(x, EDGE, vw - EDGE - w);
    var at = null, min = 4 + ARROW * 2;
    if (side === 'bottom' || side === 'top') {
      if (a.r > x + min && a.l < x + w - min) at = clamp(cx - x, min, w - min);
    } else if (a.b > y + min && a.t < y + h - min) {
      at = clamp(cy - y, min, h - min);
    }
    return { side: side, x: x, y: y, arrow: at };
  }

  function clamp(v, lo, hi) { return hi < lo ? lo : v < lo ? lo : v > hi ? hi : v; }

  /* Writes only; called when the geometry changed. */
  function draw(p, sz) {
    var x = N.round(p.x), y = N.round(p.y);
    N.setProperty(popStyle, 'transform', 'translate(' + x + 'px, ' + y + 'px)', '');
    E.attr(pop, 'data-side', p.side);
    E.attr(pop, 'data-arrow', p.arrow == null ? 'none' : 'on');
    if (p.arrow != null) N.setProperty(popStyle, '--g-arrow', N.round(p.arrow - ARROW) + 'px', '');
    geometry = { box: { x: x, y: y, width: sz.w, height: sz.h }, side: p.side };
  }

  function buttonBoxes() {
    var out = {};
    for (var i = 0; i < buttons.length; i++) out[buttons[i].id] = E.box(buttons[i].el);
    return out;
  }

  function hasButton(id) { return !!findButton(id); }

  function reset() {
    geometry = { box: null, side: null };
    // Hidden: the next card is news, said again once the region is back in the page.
    if (said.timer) N.cancelLater(said.timer);
    said = { key: null, text: null, fresh: true, timer: 0, queued: false, byFocus: false };
    E.text(live, '');
  }

  return N.freeze({
    slots: slots,
    render: render,
    keepFocus: keepFocus,
    focus: function () { focus(pop); },
    isCard: function (el) { return el === pop; },
    size: size,
    place: place,
    draw: draw,
    box: function () { return geometry.box; },
    saying: function () { return !!(said.timer || said.queued); },   // an announcement still to write
    spoken: function () { return spoken; },
    placement: function () { return geometry.side; },
    gap: GAP,
    edge: EDGE,
    overlaps: function (cut) {  // does the card, where it was drawn, cover part of the cutout?
      var b = geometry.box;
      return !!(b && cut && b.x < cut.x + cut.width && b.x + b.width > cut.x &&
                b.y < cut.y + cut.height && b.y + b.height > cut.y);
    },
    hasButton: hasButton,
    buttonBoxes: buttonBoxes,
    reset: reset
  });
}
