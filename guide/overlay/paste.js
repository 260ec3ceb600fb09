/*
 * paste.js — for steps outside the browser (« lorsque vous aurez reçu le courriel… »): a field
 * where the person may paste the link they received; Python opens it.
 *
 * makePaste(N, E, form, TEXT, onPaste) -> {render(paste), boxes()}
 *   form: the card's <form>; paste: the card's {label} or null; onPaste(value) on submit.
 */
function makePaste(N, E, form, TEXT, onPaste) {
  var drawn = null;
  var input = null, submit = null;

  E.attr(form, 'novalidate', '');
  E.on(form, 'submit', function (e) {
    N.preventDefault(e);
    if (!input) return;
    var v = N.trim(N.inputValue(input));
    if (v) onPaste(v);
    else N.focus(input);
  });

  function build(p) {
    var label = E.el('label', 'g-label', form);
    E.attr(label, 'for', 'g-paste-in');
    E.text(label, p.label);
    var row = E.el('div', 'g-paste-row', form);
    input = E.el('input', 'g-input', row);
    E.attr(input, 'id', 'g-paste-in');
    E.attr(input, 'type', 'text');
    E.attr(input, 'inputmode', 'url');
    E.attr(input, 'autocomplete', 'off');
    E.attr(input, 'autocapitalize', 'off');
    E.attr(input, 'spellcheck', 'false');
    submit = E.el('button', 'g-btn g-btn--primary g-btn--sm', row);
    E.attr(submit, 'type', 'submit');
    E.text(submit, TEXT.pasteSubmit);
  }

  function render(p) {
    E.shown(form, !!p);
    var s = E.sig(p);
    if (s === drawn) return;
    drawn = s;
    E.clear(form);
    input = submit = null;
    if (p) build(p);
  }

  return N.freeze({
    render: render,
    boxes: function () { return { paste: E.box(input), pasteSubmit: E.box(submit) }; }
  });
}
