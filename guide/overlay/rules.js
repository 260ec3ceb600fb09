/*
 * rules.js — live ✓ / ✗ hints for a field's rules (the password rules), computed in the page.
 *
 * Privacy: the target's value is read only in evaluate(), to test the rules, and stays in its
 * locals. It is never stored, never returned by state(), never sent to Python.
 *
 * makeRules(N, E, list, TEXT) -> {render(rules, visible), evaluate(target), states()}
 *   list: the card's <ul>; rules: the card's [{text, pattern, regexp}].
 */
function makeRules(N, E, list, TEXT) {
  var rules = [];
  var items = [];     // [{li, mark, sr}], one per rule
  var states = [];
  var drawn = null;   // signature of the rules on screen

  E.attr(list, 'aria-label', TEXT.rules);

  function item(rule) {
    var li = E.el('li', 'g-rule g-rule--idle', list);
    var mark = E.el('span', 'g-mark', li);
    E.attr(mark, 'aria-hidden', 'true');
    E.text(mark, '\u2717');
    E.text(E.el('span', 'g-rule-text', li), rule.text);
    var sr = E.el('span', 'g-sr', li);   // what a screen reader says after the rule
    E.text(sr, TEXT.ko);
    return { li: li, mark: mark, sr: sr };
  }

  function render(next, visible) {
    E.shown(list, visible && next.length > 0);
    var s = E.sig(next);
    if (s === drawn) return;
    drawn = s;
    E.clear(list);
    rules = next;
    states = [];
    items = [];
    for (var i = 0; i < next.length; i++) {
      N.push(states, false);
      N.push(items, item(next[i]));
    }
  }

  function readValue(t) {
    var tag = N.tagName(t);
    if (tag === 'INPUT') return N.inputValue(t);
    if (tag === 'TEXTAREA') return N.textareaValue(t);
    if (tag === 'SELECT') return N.selectValue(t);
    var inner = N.querySelector(t, 'input, textarea');
    if (inner) return readValue(inner);
    var v = t.value;   // a custom element of the page's own
    return typeof v === 'string' ? v : '';
  }

  /* The only place the target's value is read. */
  function evaluate(target) {
    if (!rules.length || !target) return;
    var value = readValue(target);
    var empty = value.length === 0;
    var next = [];
    for (var i = 0; i < rules.length; i++) N.push(next, N.exec(rules[i].regexp, value) !== null);
    value = null;
    states = next;
    for (var j = 0; j < items.length; j++) {
      var ok = next[j];
      E.attr(items[j].li, 'class', 'g-rule ' + (ok ? 'g-rule--ok' : empty ? 'g-rule--idle' : 'g-rule--ko'));
      E.text(items[j].mark, ok ? '\u2713' : '\u2717');
      E.text(items[j].sr, ok ? TEXT.ok : TEXT.ko);
    }
  }

  return N.freeze({
    render: render,
    evaluate: evaluate,
    states: function () { var out = []; for (var i = 0; i < states.length; i++) N.push(out, states[i]); return out; }
  });
}
