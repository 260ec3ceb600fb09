/*
 * guide — what a person reads as an element's name: a Playwright selector engine.
 *
 * Registered by guide/matching.py as "guide-reads" (in an isolated world: page scripts cannot
 * patch what it reads), with the matching rule's table in place of RULES. The rule itself is
 * written in guide/matching.py; this file applies it to the page.
 *
 * Selector body (JSON): {kind, words, field, scan}
 *   kind   "role" | "text" | "label" | "placeholder" | "block"
 *   words  the guide's words, already normalised by guide/matching.py
 *   field  the name is a form field's: markers (« * », « : ») are not part of it
 *   scan   look through the whole scope (labels, placeholders, blocks); otherwise only say
 *          whether the element given (a candidate Playwright found by role or text) reads so
 *
 * readings(el, body) is also used, evaluated on one element, by `guide check --explain`.
 */
(() => {
  const RULES = /*RULES*/null;

  const FIELDS = 'input, select, textarea, [contenteditable=""], [contenteditable="true"], [role="textbox"], ' +
    '[role="searchbox"], [role="combobox"], [role="spinbutton"], [role="listbox"], [role="checkbox"], ' +
    '[role="radio"], [role="switch"], [role="slider"]';
  const NOT_FIELDS = ['hidden', 'submit', 'button', 'reset', 'image'];

  function translate(text, chars, into) {
    let out = '';
    for (const c of text) out += chars.includes(c) ? into : c;
    return out;
  }

  function stripMarkers(text) {
    for (;;) {
      const before = text;
      text = text.replace(/ +$/, '');
      if (text.endsWith(':')) text = text.slice(0, -1).replace(/ +$/, '');
      for (const marker of RULES.markers) {
        if (text.toLowerCase().endsWith(marker)) text = text.slice(0, text.length - marker.length).replace(/ +$/, '');
      }
      if (text === before) return text;
    }
  }

  const STEP = {
    'unicode': t => t.normalize('NFC'),
    'invisible': t => translate(t, RULES.invisible, ''),
    'apostrophes': t => translate(t, RULES.apostrophes, "'"),
    'quotes': t => translate(t, RULES.quotes, '"'),
    'dashes': t => translate(t, RULES.dashes, '-'),
    'ellipsis': t => t.split('\u2026').join('...'),
    'spaces': t => translate(t, RULES.spaces, ' ').replace(/ +/g, ' ').replace(/^ +| +$/g, ''),
    'french-spacing': t => {
      t = t.replace(/ +([:;?!])/g, '$1');
      return t.includes('"') ? t.replace(/ *" */g, '"') : t;
    },
    'markers': stripMarkers,
  };

  function normalise(text, field) {
    text = String(text == null ? '' : text);
    for (const step of RULES.steps) {
      if (field || !step.fieldsOnly) text = STEP[step.name](text);
    }
    return text;
  }

  /* ---------------------------------------------------------------- what is read */
  function rendered(el) {
    // innerText: the text as laid out, CSS capitals applied; an <input type=submit> shows its value
    if (el instanceof HTMLInputElement) return el.value;
    return typeof el.innerText === 'string' ? el.innerText : (el.textContent || '');
  }

  function firstLine(text) {
    const lines = String(text).split('\n').map(s => s.trim()).filter(Boolean);
    return lines.length ? lines[0] : '';
  }

  function byIds(el, attribute) {
    const ids = (el.getAttribute(attribute) || '').split(/\s+/).filter(Boolean);
    const root = el.getRootNode();
    return ids.map(id => root.getElementById ? root.getElementById(id) : document.getElementById(id)).filter(Boolean);
  }

  /* A field's labels as the person sees them: the first line (a hint shown under it is not the
     name), the whole label, and the words of aria-labelledby / aria-label. */
  function labelReadings(el) {
    const out = [];
    const labels = el.labels ? Array.from(el.labels) : [];
    for (const label of labels) {
      out.push({ text: firstLine(rendered(label)), how: 'label-first-line', whole: rendered(label) });
      out.push({ text: rendered(label), how: 'label' });
      out.push({ text: label.textContent || '', how: 'label-source' });
    }
    for (const other of byIds(el, 'aria-labelledby')) {
      out.push({ text: firstLine(rendered(other)), how: 'label-first-line', whole: rendered(other) });
      out.push({ text: rendered(other), how: 'label' });
    }
    if (el.hasAttribute('aria-label')) out.push({ text: el.getAttribute('aria-label'), how: 'aria-label' });
    return out;
  }

  function isField(el) {
    if (!(el instanceof Element) || !el.matches(FIELDS)) return false;
    return !(el instanceof HTMLInputElement && NOT_FIELDS.includes((el.type || '').toLowerCase()));
  }

  function readings(el, body) {
    const kind = body.kind;
    if (kind === 'placeholder') return [{ text: el.getAttribute('placeholder') || '', how: 'placeholder' }];
    if (kind === 'label') return isField(el) ? labelReadings(el) : [];
    const out = [{ text: rendered(el), how: 'rendered' }, { text: el.textContent || '', how: 'source' }];
    if (kind === 'text') return out;
    if (el.hasAttribute('aria-label')) out.push({ text: el.getAttribute('aria-label'), how: 'aria-label' });
    for (const other of byIds(el, 'aria-labelledby')) out.push({ text: rendered(other), how: 'labelledby' });
    if (isField(el)) out.push(...labelReadings(el));
    for (const attribute of ['alt', 'title']) {
      if (el.hasAttribute(attribute)) out.push({ text: el.getAttribute(attribute), how: attribute });
    }
    return out;
  }

  function reads(el, body) {
    return readings(el, body).some(r => r.text && normalise(r.text, body.field) === body.words);
  }

  /* ---------------------------------------------------------------- blocks */
  /* A block is identified by its title: a landmark's or group's name, a fieldset's legend, a
     table's caption, or a heading or title text shown at its top. The block is the smallest
     element holding the title and something more. */
  function blockOf(title) {
    if (title.localName === 'legend' && title.parentElement) return title.parentElement;
    if (title.localName === 'caption' && title.parentElement) return title.parentElement;
    const words = normalise(rendered(title), true);
    for (let el = title.parentElement; el; el = el.parentElement) {
      if (normalise(rendered(el), true) !== words) return el;
    }
    return null;
  }

  function blocks(root, body) {
    const found = new Set();
    const scope = root.nodeType === 9 ? root.documentElement : root;
    if (!scope) return [];
    const all = [scope, ...scope.querySelectorAll('*')];
    const size = body.words.length;
    const titles = [];
    for (const el of all) {
      if (el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby')) {
        if (isField(el)) continue;
        const names = [el.getAttribute('aria-label') || '', ...byIds(el, 'aria-labelledby').map(rendered)];
        if (names.some(n => normalise(n, true) === body.words)) found.add(el);
        continue;
      }
      const length = (el.textContent || '').length;
      if (length < size / 2 || length > size * 3 + 20) continue;  // cannot read as the title
      if (normalise(rendered(el), true) === body.words) titles.push(el);
    }
    // the smallest element showing the title (not its wrappers that show nothing more)
    for (const title of titles) {
      if (titles.some(other => other !== title && title.contains(other))) continue;
      const block = blockOf(title);
      if (block && (root.nodeType === 9 || root.contains(block))) found.add(block);
    }
    return Array.from(found);
  }

  /* ---------------------------------------------------------------- the engine */
  function candidates(root, body) {
    const scope = root.nodeType === 9 ? root.documentElement : root;
    if (!scope) return [];
    const selector = body.kind === 'placeholder' ? '[placeholder]' : FIELDS;
    const list = Array.from(scope.querySelectorAll(selector));
    if (scope.matches && scope.matches(selector)) list.unshift(scope);
    return list;
  }

  function queryAll(root, selector) {
    const body = JSON.parse(selector);
    if (body.kind === 'block') return blocks(root, body);
    if (!body.scan) return root.nodeType === 1 && reads(root, body) ? [root] : [];
    return candidates(root, body).filter(el => reads(el, body));
  }

  return {
    queryAll,
    query(root, selector) { return queryAll(root, selector)[0] || null; },
    readings(el, selector) { return readings(el, JSON.parse(selector)); },
    normalise,
  };
})()
