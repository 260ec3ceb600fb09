/*
 * elements.js — the small DOM toolkit every part builds with, on the captured natives only
 * (no innerHTML, no style attribute from markup: allowed under `default-src 'none'`).
 *
 * makeElements(N, D) -> {el, svg, text, attr, shown, clear, style, on, own, str, sig, box}
 */
function makeElements(N, D) {
  var SVGNS = 'http://www.w3.org/2000/svg';

  function str(v) { return v == null ? '' : N.String(v); }

  function add(e, cls, parent) {
    if (cls) N.setAttribute(e, 'class', cls);
    if (parent) N.appendChild(parent, e);
    return e;
  }

  function el(tag, cls, parent) { return add(N.createElement(D, tag), cls, parent); }
  function svg(tag, cls, parent) { return add(N.createElementNS(D, SVGNS, tag), cls, parent); }

  // Writes only when the value changes: the follow loop calls these every frame.
  function text(e, value) { if (N.textContent(e) !== value) N.setTextContent(e, value); }

  function attr(e, name, value) {
    if (value == null) {
      if (N.hasAttribute(e, name)) N.removeAttribute(e, name);
    } else if (N.getAttribute(e, name) !== value) {
      N.setAttribute(e, name, value);
    }
  }

  function shown(e, visible) { attr(e, 'hidden', visible ? null : ''); }

  function clear(e) {
    for (var c = N.firstChild(e); c; c = N.firstChild(e)) N.removeChild(e, c);
  }

  function style(e, name, value, priority) {
    var st = N.style(e);
    if (N.getPropertyValue(st, name) !== value) N.setProperty(st, name, value, priority || '');
  }

  function on(target, type, fn, capture) { N.addEventListener(target, type, fn, !!capture); }

  // Keep the page's own (bubble-phase) handlers out of a part of our UI: keyboard shortcuts,
  // "click outside" closers, focus traps… Capture-phase page listeners still see the events.
  var PRIVATE = ['click', 'dblclick', 'auxclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup',
    'touchstart', 'touchend', 'keydown', 'keyup', 'keypress', 'beforeinput', 'input',
    'change', 'paste', 'copy', 'cut', 'focusin', 'focusout', 'contextmenu'];
  function stop(e) { N.stopPropagation(e); }
  function own(e) { for (var i = 0; i < PRIVATE.length; i++) on(e, PRIVATE[i], stop); }

  // A signature of card data (strings, numbers, lists, plain objects), to redraw a section
  // only when its data changed. Not JSON.stringify: a page may replace it, or add toJSON.
  function sig(v) {
    if (v === null || typeof v !== 'object') return typeof v === 'string' ? v.length + ':' + v + ';' : N.String(v) + ';';
    var out = N.isArray(v) ? '[' : '{';
    if (N.isArray(v)) for (var i = 0; i < v.length; i++) out += sig(v[i]);
    else for (var k in v) if (N.hasOwn(v, k)) out += k + '=' + sig(v[k]);
    return out + ']';
  }

  // Where an element of the card is, in viewport px (test hooks: where to click).
  function box(e) {
    if (!e || !N.isConnected(e)) return null;
    var r = N.rect(e);
    if (!r.width && !r.height) return null;
    return { x: round2(r.left), y: round2(r.top), width: round2(r.width), height: round2(r.height) };
  }

  function round2(n) { return N.round(n * 100) / 100; }

  return N.freeze({ el: el, svg: svg, text: text, attr: attr, shown: shown, clear: clear, style: style, on: on, own: own, str: str, sig: sig, box: box });
}
