/*
 * toolbar.js — the recorder's bar (`guide record`): what was just recorded, a field for the
 * author's words (a note, what to expect), and the recorder's buttons. Fixed at the bottom of
 * the window, in the overlay's shadow root, so the page's styles and scripts cannot reach it;
 * the page around it stays usable (the bar alone takes the pointer).
 *
 * makeToolbar(N, E, dom, onButton) -> {show(spec), hide(), state()}
 *   spec: {status, message, field: {label} | null, buttons: [{id, label, primary}]}
 *   onButton(id, text): a button was pressed, with the field's text ('' without a field).
 */
function makeToolbar(N, E, dom, onButton) {
  var bar = null, status = null, message = null, form = null, label = null, input = null, actions = null;
  var drawn = null;

  function build() {
    bar = E.el('div', 'g-bar-rec', dom.root());
    E.attr(bar, 'role', 'region');
    E.attr(bar, 'aria-label', 'guide record');
    status = E.el('p', 'g-bar-status', bar);
    E.attr(status, 'role', 'status');
    message = E.el('p', 'g-bar-message', bar);
    form = E.el('form', 'g-bar-form', bar);
    E.attr(form, 'novalidate', '');
    label = E.el('label', 'g-label', form);
    E.attr(label, 'for', 'g-bar-in');
    input = E.el('input', 'g-input', form);
    E.attr(input, 'id', 'g-bar-in');
    E.attr(input, 'type', 'text');
    E.attr(input, 'autocomplete', 'off');
    actions = E.el('div', 'g-bar-actions', bar);
    E.on(form, 'submit', function (e) { N.preventDefault(e); });
    E.own(bar);   // the page's bubble-phase handlers never see what happens in the bar
  }

  function show(spec) {
    if (!bar) build();
    dom.attach(null, true);
    E.shown(bar, true);
    E.text(status, E.str(spec.status));
    E.text(message, E.str(spec.message));
    E.shown(message, !!spec.message);
    var field = spec.field || null;
    E.shown(form, !!field);
    if (field) E.text(label, E.str(field.label));
    var s = E.sig(spec.buttons);
    if (s === drawn) return;
    drawn = s;
    E.clear(actions);
    for (var i = 0; i < spec.buttons.length; i++) {
      var b = spec.buttons[i];
      var btn = E.el('button', b.primary ? 'g-btn g-btn--primary g-btn--sm' : 'g-btn g-btn--sm', actions);
      E.attr(btn, 'type', 'button');
      E.attr(btn, 'data-id', E.str(b.id));
      E.text(btn, E.str(b.label));
      (function (id) {
        E.on(btn, 'click', function () {
          var text = N.trim(N.inputValue(input));
          N.setInputValue(input, '');
          onButton(id, text);
        });
      })(E.str(b.id));
    }
  }

  function hide() { if (bar) E.shown(bar, false); }

  function state() {
    if (!bar) return { visible: false, status: '', message: '', buttons: {} };
    var boxes = {}, list = N.querySelectorAll(actions, 'button');
    for (var k = 0, n = N.nodeCount(list); k < n; k++) boxes[N.getAttribute(list[k], 'data-id')] = E.box(list[k]);
    return { visible: !N.hasAttribute(bar, 'hidden'), status: N.textContent(status), message: N.textContent(message),
             buttons: boxes, field: E.box(input) };
  }

  return N.freeze({ show: show, hide: hide, state: state });
}
