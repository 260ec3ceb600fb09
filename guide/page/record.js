/*
 * guide record — what the author does in the page, told to Python (guide/record.py).
 *
 * Injected before the page's scripts (add_init_script). Listens in the capture phase, so the
 * page cannot hide an action from it, to trusted events only (never a script's):
 *   click   on an element Python named beforehand (it set `__guideEntry`, an index into its
 *           inspection of the page, on each element a step could target);
 *   change  of a field, a choice or a box: a typed value never leaves the page, only its
 *           kind (the field's type) and whether it is empty; a list tells its chosen option's
 *           label (the page's words, not the author's).
 * In "expect" mode (the author pressed « Vérifier un élément » in the bar), the next click is
 * not performed: it names the element a step must find. Events go to `__guideRecordEvent`.
 *
 * A value typed in a field never leaves the page; after its `change`, a `typed` event says
 * its length and a salted SHA-256 of it (lower case; the salt is made by Python for this
 * recording), so that Python can find it when a later page shows it back (« Code envoyé à
 * … ») and write `{variable}` there instead. Needs a secure context (https): elsewhere, no
 * `typed` event.
 */
(() => {
  if (window.top !== window || window.__guideRecorder) return;
  const SALT = '__GUIDE_RECORD_SALT__';
  let mode = 'act';
  const send = (event) => {
    const fn = window.__guideRecordEvent;
    if (typeof fn === 'function') fn(event).catch(() => {});
  };
  const entryOf = (event) => {
    for (const node of event.composedPath()) {
      if (node && typeof node.__guideEntry === 'number') return { entry: node.__guideEntry, generation: node.__guideGeneration };
      if (node && node.localName === 'guide-overlay-root') return null;   // the recorder's own bar
    }
    return { entry: -1, generation: -1 };
  };
  window.addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    const found = entryOf(event);
    if (!found) return;
    if (mode === 'expect') {
      event.preventDefault();
      event.stopImmediatePropagation();
      mode = 'act';
      send({ type: 'expect', ...found });
      return;
    }
    const label = event.target instanceof Element ? event.target.closest('label') : null;
    if (label && label.control) return;   // a field's or a box's label: `change` tells what it did
    const el = event.target instanceof Element ? event.target.closest('input, select, textarea') : null;
    if (el && el.matches('input[type=radio], input[type=checkbox]')) return;   // told by `change`
    if (el && !el.matches('input[type=submit], input[type=button], input[type=image], input[type=reset]')) return;
    send({ type: 'click', ...found });
  }, true);
  window.addEventListener('change', (event) => {
    if (!event.isTrusted) return;
    const el = event.target;
    if (!(el instanceof Element)) return;
    const found = entryOf(event);
    if (!found) return;
    const kind = el.localName === 'select' ? 'select' : (el.getAttribute('type') || 'text').toLowerCase();
    const checked = kind === 'radio' || kind === 'checkbox' ? el.checked : null;
    // a list's chosen option is offered by the page, not typed: its label is what a step selects
    const option = kind === 'select' && el.selectedOptions.length ? el.selectedOptions[0].label.trim() : null;
    send({ type: 'change', kind, checked, option, empty: !el.value, ...found });
    if (el.value && kind !== 'radio' && kind !== 'checkbox' && kind !== 'select') fingerprint(el.value, found);
  }, true);
  const fingerprint = async (value, found) => {
    if (!(window.crypto && crypto.subtle)) return;
    const lower = value.toLowerCase();
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(SALT + lower));
    const hash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    send({ type: 'typed', length: [...lower].length, hash, ...found });
  };
  Object.defineProperty(window, '__guideRecorder', {
    value: Object.freeze({ expect: () => { mode = 'expect'; } }),
  });
})();
