/*
 * api.js — window.__guide, what Python calls (non-enumerable, non-configurable, frozen):
 *   show(target, card)  target: Element | null; card: see card.js. Draws synchronously (the
 *                       cutout is there before the next paint) and returns true; THROWS
 *                       when the card cannot be shown (guide.overlay.OverlayError in Python).
 *   hide()              removes everything (used before screenshots of the bare page).
 *   toolbar(spec|null)  the recorder's bar (toolbar.js), or none; toolbarState() its test hook.
 *   state()             test hook: the overlay's own model (the shadow root is closed).
 *
 * Known limit: window.__guide lives in the page's world, so a page script may call show()
 * with a card of its own; only the way the card is built is out of its reach.
 *
 * makeApi(N, D, PROTOCOL, parts) -> frozen {show, hide, state}
 *   parts: {cards, state, dom, events, drawing}; drawing() makes (once) and returns the parts
 *   that draw: {highlight, popover, rules, table, paste, loop}.
 */
function makeApi(N, D, PROTOCOL, parts) {
  var cards = parts.cards, shown = parts.state, dom = parts.dom, events = parts.events, drawing = parts.drawing;
  var bar = parts.toolbar;
  var savedFocus = null;   // the page's focused element, given back when the card goes

  function element(target) {
    if (target == null) return null;
    var kind = 0;
    try { kind = N.nodeType(target); } catch (e) { kind = 0; }
    if (kind !== 1) throw new N.Error('guide overlay: the target is not an element');
    return target;
  }

  function render(ui, card) {
    var drift = card.status === PROTOCOL.status.DRIFT;
    ui.popover.render(card);
    ui.rules.render(card.rules, !drift);
    ui.table.render(drift ? null : card.table);
    ui.paste.render(drift ? null : card.paste);
  }

  // A card without a target (or the drift card) is read first: focus goes into it.
  function takeFocus(popover) {
    var ae = N.activeElement(D);
    savedFocus = ae && ae !== N.body(D) && ae !== N.documentElement(D) ? ae : null;
    popover.focus();
  }

  function show(target, raw) {
    if (!N.documentElement(D)) throw new N.Error('guide overlay: the page has no document element yet');
    var card = cards.normalise(raw);   // throws before anything on screen changes
    var t = element(target);
    var ui = drawing();
    var focusWasInside = dom.focusInside();
    var before = dom.innerFocus();     // before attach: re-raising the host may drop focus
    var changed = shown.begin(t, card);
    if (changed) {
      ui.highlight.track(t);
      events.restart();
    }
    dom.attach(t, true);
    render(ui, card);
    ui.popover.keepFocus(before);
    shown.shown();
    events.want(card);
    if (t) ui.rules.evaluate(t);
    if (t && changed) ui.highlight.reveal(ui.popover.size().h + ui.popover.gap + ui.popover.edge);
    ui.loop.update(true);              // drawn synchronously, before the next paint
    if ((!t || card.status === PROTOCOL.status.DRIFT) && !focusWasInside) takeFocus(ui.popover);
    ui.loop.start();
    return true;
  }

  function hide() {
    var ui = drawing();
    var hadFocus = dom.focusInside();
    var saved = savedFocus;
    savedFocus = null;
    shown.end();
    ui.loop.stop();
    dom.detach();
    ui.highlight.reset();
    ui.popover.reset();
    if (hadFocus && saved && N.isConnected(saved)) {
      try { N.focus(saved, { __proto__: null, preventScroll: true }); } catch (e) { /* not focusable */ }
    }
  }

  function copy(list) {
    var out = [];
    for (var i = 0; i < list.length; i++) N.push(out, list[i]);
    return out;
  }

  function labels(card, key) {
    var out = [];
    for (var i = 0; card && i < card.buttons.length; i++) N.push(out, card.buttons[i][key]);
    return out;
  }

  function state() {
    var ui = drawing();
    var c = shown.card();
    var vis = shown.visible() && dom.attached();
    var fields = ui.paste.boxes();
    return {
      visible: vis,
      cutout: vis ? ui.highlight.cutout() : null,
      cutoutLines: vis ? ui.highlight.lines() : null,  // a target wrapped over lines: one box per line
      popover: vis ? ui.popover.box() : null,
      instruction: c ? c.instruction : '',
      progress: c ? c.progress : '',
      buttons: labels(c, 'label'),
      status: c ? c.status : null,
      rulesState: vis ? ui.rules.states() : [],
      message: c ? c.message : '',
      announce: c ? c.announce : false,   // false: a card redrawn on a new page, not said again
      saying: ui.popover.saying(),         // the live region has words still to write
      spoken: copy(ui.popover.spoken()),   // what the live region said on this page, in order
      note: c ? c.note : '',
      buttonIds: labels(c, 'id'),
      listen: c ? copy(c.listen) : [],
      placement: vis ? ui.popover.placement() : null,
      padding: ui.highlight.padding,
      picked: vis ? ui.table.picked() : null,
      mailto: vis ? ui.table.mailto() : null,
      focusInside: dom.focusInside(),
      topLayer: dom.inTopLayer(),
      frameMs: ui.loop.stats(),
      draws: ui.loop.draws(),
      boxes: vis ? { buttons: ui.popover.buttonBoxes(), paste: fields.paste, pasteSubmit: fields.pasteSubmit, pick: ui.table.box() } : null
    };
  }

  function toolbar(spec) {
    if (spec == null) { bar.hide(); return true; }
    var buttons = [], list = spec.buttons || [];
    for (var i = 0; i < list.length; i++) {
      N.push(buttons, { id: N.String(list[i].id), label: N.String(list[i].label), primary: !!list[i].primary });
    }
    var field = spec.field ? { label: N.String(spec.field.label) } : null;
    bar.show({ status: N.String(spec.status || ''), message: N.String(spec.message || ''), field: field,
               buttons: buttons });
    return true;
  }

  return N.freeze({
    show: show,
    hide: function () { try { hide(); } catch (e) { /* the page is going away */ } },
    state: state,
    toolbar: toolbar,
    toolbarState: function () { return bar.state(); }
  });
}
