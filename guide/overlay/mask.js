/*
 * guide — screenshot masks. Not part of the overlay: evaluated in the page just before a
 * screenshot is taken (guide/masking.py), by the writers' camera and by the check's failure
 * screenshots.
 *
 * Masks are boxes in the page itself, under the overlay (which sits in the top layer): the
 * instruction card stays readable over them, unlike screenshot(mask=…), which paints over
 * everything. They cover, in the document, its open shadow roots and its same-origin frames:
 * password inputs holding a value, fields the flow filled with a secret (marked when filled,
 * see markSecret), fields whose value contains a secret, every piece of text that shows a
 * secret, elements whose attributes or CSS generated content (::before, ::after) hold one.
 * Rectangles are snapped outwards to whole pixels.
 *
 * mask([secrets, color]) says whether the page has top-layer elements of its own (the masks
 * then go to the top layer too and the overlay is raised again above them), and whether the
 * card had to sit over the target. unmask() removes the masks and hides the overlay.
 */
({
  mask: ([secrets, color]) => {
    const old = document.querySelector('guide-shot-masks'); if (old) old.remove();
    const boxes = [];
    // case-insensitive, unless lower-casing changes the length (offsets would no longer match)
    const fold = t => { const l = t.toLowerCase(); return l.length === t.length ? l : t; };
    secrets = secrets.map(fold).filter(Boolean);
    const shows = text => { const t = fold(text || ''); return !!t && secrets.some(s => t.includes(s)); };
    const filled = window.__guideSecretFields;

    // dx, dy: where this document's viewport sits in the top one (frames)
    const scan = (root, dx, dy) => {
      const add = r => { if (r.width > 0 && r.height > 0) boxes.push({left: r.left + dx, top: r.top + dy,
                                                                     right: r.right + dx, bottom: r.bottom + dy}); };
      const elements = root.querySelectorAll('*');
      for (const el of elements) {
        const isField = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement;
        const value = isField ? el.value || '' : '';
        let hidden = isField && ((el.type === 'password' && value) || (filled && filled.has(el)) || shows(value));
        if (!hidden && secrets.length) {
          hidden = Array.from(el.attributes).some(a => shows(a.value));
          for (const pseudo of ['::before', '::after']) {
            if (!hidden) hidden = shows(getComputedStyle(el, pseudo).content);
          }
        }
        if (hidden) add(el.getBoundingClientRect());
        if (el.shadowRoot) scan(el.shadowRoot, dx, dy);
        if (el instanceof HTMLIFrameElement) {
          let inner = null;
          try { inner = el.contentDocument; } catch (e) { inner = null; }  // another origin: not ours to read
          if (inner && inner.documentElement) {
            const box = el.getBoundingClientRect();
            scan(inner, dx + box.left + el.clientLeft, dy + box.top + el.clientTop);
          }
        }
      }
      if (!secrets.length) return;
      const start = root.body || root;
      const walk = (root.ownerDocument || root).createTreeWalker(start, NodeFilter.SHOW_TEXT);
      const range = (root.ownerDocument || root).createRange();
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        const text = fold(node.data);
        for (const s of secrets) {
          for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + s.length)) {
            range.setStart(node, at); range.setEnd(node, at + s.length);
            for (const r of range.getClientRects()) add(r);
          }
        }
      }
    };
    scan(document, 0, 0);

    const over = !!(window.__guide && window.__guide.state().placement === 'over');
    let ownTopLayer = false;
    try { ownTopLayer = [...document.querySelectorAll(':modal, :popover-open')].some(e => e.localName !== 'guide-overlay-root'); } catch (e) {}
    if (!boxes.length) return document.fonts.ready.then(() => ({raise: false, over, masked: 0}));
    const host = document.createElement('guide-shot-masks');
    const style = (el, props) => { for (const [k, v] of Object.entries(props)) el.style.setProperty(k, v, 'important'); };
    style(host, {all: 'initial', position: 'fixed', inset: '0', margin: '0', padding: '0', border: '0', background: 'transparent',
                 'pointer-events': 'none', 'z-index': '2147483646', overflow: 'visible', width: 'auto', height: 'auto'});
    for (const r of boxes) {
      const box = document.createElement('div');
      const left = Math.floor(r.left) - 1, top = Math.floor(r.top) - 1;
      style(box, {all: 'initial', display: 'block', position: 'absolute', left: left + 'px', top: top + 'px',
                  width: (Math.ceil(r.right) + 1 - left) + 'px', height: (Math.ceil(r.bottom) + 1 - top) + 'px',
                  background: color, margin: '0', padding: '0', border: '0'});
      host.appendChild(box);
    }
    document.documentElement.appendChild(host);
    if (ownTopLayer && host.showPopover) { host.setAttribute('popover', 'manual'); host.showPopover(); }
    return document.fonts.ready.then(() => ({raise: ownTopLayer, over, masked: boxes.length}));
  },
  unmask: () => { const m = document.querySelector('guide-shot-masks'); if (m) m.remove(); window.__guide && window.__guide.hide(); },
  markSecret: el => { (window.__guideSecretFields = window.__guideSecretFields || new WeakSet()).add(el); }
})
