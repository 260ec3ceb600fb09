/*
 * guide — screenshot masks. Not part of the overlay: evaluated by the screenshots' camera
 * (guide/shots.py) in the page just before each screenshot.
 *
 * Masks are boxes in the page itself, under the overlay (which sits in the top layer): the
 * instruction card stays readable over them, unlike screenshot(mask=…), which paints over
 * everything. They cover password inputs holding a value, fields the flow filled with a
 * secret (marked when filled, see markSecret), fields whose value contains a secret, and every
 * piece of text that shows a secret. Rectangles are snapped outwards to whole pixels.
 *
 * mask([secrets, color]) says whether the page has top-layer elements of its own (the masks
 * then go to the top layer too and the overlay is raised again above them), and whether the
 * card had to sit over the target. unmask() removes the masks and hides the overlay.
 */
({
  mask: ([secrets, color]) => {
    const old = document.querySelector('guide-shot-masks'); if (old) old.remove();
    const boxes = [];
    const add = r => { if (r.width > 0 && r.height > 0) boxes.push(r); };
    // case-insensitive, unless lower-casing changes the length (offsets would no longer match)
    const fold = t => { const l = t.toLowerCase(); return l.length === t.length ? l : t; };
    secrets = secrets.map(fold);
    const filled = window.__guideSecretFields;
    for (const el of document.querySelectorAll('input, textarea')) {
      const v = fold(el.value || '');
      if ((el.type === 'password' && v) || (filled && filled.has(el)) || (v && secrets.some(s => v.includes(s))))
        add(el.getBoundingClientRect());
    }
    if (secrets.length && document.body) {
      const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let node = walk.nextNode(); node; node = walk.nextNode()) {
        const text = fold(node.data);
        for (const s of secrets) {
          for (let at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + s.length)) {
            range.setStart(node, at); range.setEnd(node, at + s.length);
            for (const r of range.getClientRects()) add(r);
          }
        }
      }
    }
    const over = !!(window.__guide && window.__guide.state().placement === 'over');
    let ownTopLayer = false;
    try { ownTopLayer = [...document.querySelectorAll(':modal, :popover-open')].some(e => e.localName !== 'guide-overlay-root'); } catch (e) {}
    if (!boxes.length) return document.fonts.ready.then(() => ({raise: false, over}));
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
    return document.fonts.ready.then(() => ({raise: ownTopLayer, over}));
  },
  unmask: () => { const m = document.querySelector('guide-shot-masks'); if (m) m.remove(); window.__guide && window.__guide.hide(); },
  markSecret: el => { (window.__guideSecretFields = window.__guideSecretFields || new WeakSet()).add(el); }
})
