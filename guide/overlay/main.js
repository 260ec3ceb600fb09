/*
 * guide — in-page guidance overlay. main.js puts the parts together, once per top-level
 * document, and publishes window.__guide (api.js). It runs last: guide/overlay.py wraps the
 * parts (PARTS, in that order) in one function, after two constants: PROTOCOL, the words
 * Python and the overlay exchange (guide/protocol.py), and CSS_TEXT (STYLES).
 *
 * Injected by add_init_script into every page before the page's scripts (guide.overlay.install).
 * What it keeps to, part by part:
 *   - the page cannot read or rewrite the card: every DOM call goes through functions captured
 *     at injection (natives.js), the card lives in a closed shadow root (dom.js), the card data
 *     is read from own properties only (card.js);
 *   - works under `default-src 'none'`: no inline <style>, no style attribute from markup, no
 *     innerHTML, no data: URL; CSS through an adopted constructed stylesheet, geometry through
 *     the CSSOM and SVG attributes (elements.js, dom.js); no network request;
 *   - the host page's styles are untouched and cannot reach inside (closed shadow root, host in
 *     the top layer with inline !important styles, CSS zoom cancelled: dom.js);
 *   - the cutout follows the target within 2 px through scrolling, containers, resizes and
 *     layout changes, clear of sticky headers (highlight.js, loop.js);
 *   - prefers-reduced-motion honoured (instant scrolls, no animation); keyboard (Échap, Entrée,
 *     →, ←), role="dialog", an aria-live instruction (events.js, popover.js);
 *   - what the person types is read only to evaluate the rules, in the page (rules.js).
 *
 * The parts, in the order they are made (each gets what it uses, nothing else):
 *   natives -> elements -> words, cards, state, bridge -> dom (host, closed shadow root) ->
 *   events -> api; on the first card: highlight -> popover (its slots: rules, table, paste) -> loop
 */
function main(W, D) {
  if (W.top !== W) return;   // frames: the top document only

  var N = makeNatives(W);
  if (N.hasOwn(W, '__guide')) return;   // injected twice
  var E = makeElements(N, D);
  var TEXT = makeWords(N);
  var cards = makeCards(N, E, PROTOCOL, TEXT);
  var state = makeState(N);
  var bridge = makeBridge(N, W);
  var dom = makeDom(N, W, D, E, CSS_TEXT);
  var ui = null;

  // The parts that draw, made by the first card: a page that never shows one pays nothing
  // for them (they only ever use the natives captured above).
  function drawing() {
    if (ui) return ui;
    var highlight = makeHighlight(N, W, D, E, dom);
    var popover = makePopover(N, E, dom, TEXT, PROTOCOL, function (id) {
      if (state.visible()) bridge.emit({ type: PROTOCOL.event.BUTTON, id: id });
    });
    var paste = makePaste(N, E, popover.slots.paste, TEXT, function (value) {
      if (state.visible()) bridge.emit({ type: PROTOCOL.event.PASTE, value: value });
    });
    ui = N.freeze({
      highlight: highlight,
      popover: popover,
      rules: makeRules(N, E, popover.slots.rules, TEXT),
      table: makeTable(N, E, popover.slots.table, TEXT),
      paste: paste,
      loop: makeLoop(N, W, dom, state, highlight, popover)
    });
    return ui;
  }

  var events = makeEvents(N, W, D, PROTOCOL, dom, state, drawing, bridge.emit);
  var toolbar = makeToolbar(N, E, dom, function (id, text) {
    bridge.emit({ type: PROTOCOL.event.BUTTON, id: id, text: text });
  });
  var api = makeApi(N, D, PROTOCOL, { cards: cards, state: state, dom: dom, events: events, drawing: drawing,
                                       toolbar: toolbar });
  N.defineProperty(W, '__guide', { __proto__: null, value: api, enumerable: false, configurable: false, writable: false });
}

main(window, document);
