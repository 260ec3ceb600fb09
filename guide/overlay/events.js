/*
 * events.js — what the person does, told to Python (see guide/protocol.py):
 *   - using the target: the card's `listen` lists the DOM event types that complete its step
 *     (guide.actions); one capture-phase window listener per type, added the first time a
 *     card asks for it, reports {type: TARGET, event} for events inside the target only;
 *   - keyboard commands: Échap, Entrée / →, ← press the card's quit / next / prev button, or
 *     send {type: KEY, key} when the card has no such button. Never from the page's fields.
 *   - Alt+Shift+G (Alt+Maj+G on a French keyboard), from anywhere, fields included: focus goes
 *     to the card (the dialog, read with its progress and instruction), and from the card back
 *     to the target (the field a <label> target names, else a focusable inside or around it,
 *     else where the person was). Told to no one: it is the person's own way around.
 *     Why this one: F6 and Ctrl+F6 move between the browser's panes; Alt+letter opens the
 *     browser's menus and pages' accesskeys (Chromium); NVDA, JAWS and Orca use Insert or
 *     CapsLock, VoiceOver Ctrl+Option, so Alt+Shift+G is left free by browsers and screen
 *     readers; letters keep their place on AZERTY (G is G, where digits need Shift and
 *     punctuation moves), and AltGr (Ctrl+Alt) never matches. On a Mac, Option+Shift+G types
 *     a sign instead of G: the physical key (code KeyG) is accepted when the key is no letter.
 * The rules (✓/✗) are evaluated on input/change of the target, whatever the card listens to.
 *
 * makeEvents(N, W, D, PROTOCOL, dom, state, drawing, emit) -> {want(card), restart()}
 *   drawing() -> the drawing parts ({popover, rules…}, see main.js), there once a card is shown.
 */
function makeEvents(N, W, D, PROTOCOL, dom, state, drawing, emit) {
  // Reported once per burst: a burst goes on while events of that type keep coming within
  // QUIET ms. 50 ms: a <label>'s synthetic click on its control follows the person's click;
  // 400 ms: one report per run of keystrokes or pointer moves (no keystroke count).
  var QUIET = 50;
  var BURSTS = { __proto__: null, input: 400, beforeinput: 400, keydown: 400, keyup: 400, keypress: 400,
    mousemove: 400, pointermove: 400, wheel: 400, scroll: 400 };
  var RULES = ['input', 'change'];
  var COMMANDS = { __proto__: null, Escape: 'QUIT', Enter: 'NEXT', ArrowRight: 'NEXT', ArrowLeft: 'PREV' };
  var SHORTCUT_KEY = 'g', SHORTCUT_CODE = 'KeyG', LETTER = /^[a-z]$/;
  var FOCUSABLE = 'input:not([type="hidden"]), select, textarea, button, a[href], summary, ' +
    '[contenteditable]:not([contenteditable="false"]), [tabindex]:not([tabindex="-1"])';
  var returnTo = null;   // where the person was when the shortcut took them to the card

  var bound = { __proto__: null };   // event types with a window listener
  var last = { __proto__: null };    // type -> time of its last event inside the target

  function inTarget(e, t) {
    var path = N.composedPath(e);
    if (path.length) {
      for (var i = 0; i < path.length; i++) if (path[i] === t) return true;
      return false;
    }
    var node = N.eventTarget(e);
    try { return N.contains(t, node); } catch (err) { return false; }
  }

  function listens(card, type) {
    for (var i = 0; i < card.listen.length; i++) if (card.listen[i] === type) return true;
    return false;
  }

  function fresh(type) {
    var t = N.now(), before = last[type];
    last[type] = t;
    return before === undefined || t - before >= (BURSTS[type] || QUIET);
  }

  function onTargetEvent(e) {
    var t = state.target(), card = state.card();
    if (!state.visible() || !t || !card || !inTarget(e, t)) return;
    var type = N.eventType(e);
    if (type === 'input' || type === 'change') drawing().rules.evaluate(t);
    if (listens(card, type) && fresh(type)) emit({ type: PROTOCOL.event.TARGET, event: type });
  }

  function bind(type) {
    if (bound[type]) return;
    bound[type] = true;
    N.addEventListener(W, type, onTargetEvent, true);
  }

  // A card is shown: listen to what completes its step, and to what its rules need.
  function want(card) {
    for (var i = 0; i < card.listen.length; i++) bind(card.listen[i]);
    if (card.rules.length) for (var j = 0; j < RULES.length; j++) bind(RULES[j]);
  }

  // A new target: bursts on the previous one say nothing about this one.
  function restart() { last = { __proto__: null }; }

  // Where the keyboard is: false when it belongs to a field (the page's or the card's own).
  function commandsAllowed(popover, name, key) {
    var ae = N.activeElement(D);
    if (dom.focusInside()) {
      var inner = dom.innerFocus();
      if (!inner || popover.isCard(inner) || name === 'QUIT') return true;
      var tag = N.tagName(inner);
      // typing in the card's own field or select; Enter on a card button activates it natively
      return (tag === 'BUTTON' || tag === 'A') && key !== 'Enter';
    }
    return ae == null || ae === N.body(D) || ae === N.documentElement(D);
  }

  function isShortcut(e) {
    if (!N.altKey(e) || !N.shiftKey(e) || N.ctrlKey(e) || N.metaKey(e)) return false;
    var key = N.toLowerCase(N.String(N.key(e) || ''));
    return key === SHORTCUT_KEY || (N.code(e) === SHORTCUT_CODE && !N.exec(LETTER, key));
  }

  function tryFocus(el) {
    try { N.focus(el); } catch (err) { return false; }   // an SVG element, a detached one
    try { return N.matches(el, ':focus'); } catch (err) { return false; }
  }

  // The target, or what a keyboard can reach for it.
  function focusTarget(t) {
    if (!t || !N.isConnected(t)) return false;
    if (tryFocus(t)) return true;
    var control = null;
    try { if (N.tagName(t) === 'LABEL') control = N.labelControl(t); } catch (err) { control = null; }
    if (control && tryFocus(control)) return true;
    var inside = null, around = null;
    try { inside = N.querySelector(t, FOCUSABLE); around = N.closest(t, FOCUSABLE); } catch (err) { /* not an element */ }
    return !!((inside && tryFocus(inside)) || (around && tryFocus(around)));
  }

  function toggleFocus() {
    var popover = drawing().popover;
    if (dom.focusInside()) {
      var back = returnTo;
      returnTo = null;
      if (focusTarget(state.target())) return;
      if (back && N.isConnected(back) && tryFocus(back)) return;
      var inner = dom.innerFocus();   // nothing to go to: out of the card, to the page
      if (inner) try { N.blur(inner); } catch (err) { /* not an HTML element */ }
      return;
    }
    var ae = N.activeElement(D);
    returnTo = ae && ae !== N.body(D) && ae !== N.documentElement(D) ? ae : null;
    popover.focus();
  }

  function onKeydown(e) {
    if (!state.visible() || !N.isTrusted(e)) return;   // a page script's synthetic key is not the person
    if (N.defaultPrevented(e) || N.isComposing(e) || N.repeat(e)) return;
    if (isShortcut(e)) {
      N.preventDefault(e);    // nor a character typed into a field (Option+Shift+G on a Mac)
      N.stopPropagation(e);
      toggleFocus();
      return;
    }
    if (N.altKey(e) || N.ctrlKey(e) || N.metaKey(e) || N.shiftKey(e)) return;
    var key = N.key(e), name = COMMANDS[key], popover = drawing().popover;
    if (!name || !commandsAllowed(popover, name, key)) return;
    var id = PROTOCOL.button[name];
    if (popover.hasButton(id)) {
      N.preventDefault(e);
      N.stopPropagation(e);
      emit({ type: PROTOCOL.event.BUTTON, id: id });
    } else {
      emit({ type: PROTOCOL.event.KEY, key: PROTOCOL.key[name] });
    }
  }

  N.addEventListener(W, 'keydown', onKeydown, true);

  return N.freeze({ want: want, restart: restart });
}
