/*
 * dom.js — the overlay's place in the page: one host element, a CLOSED shadow root holding
 * everything else (page selectors and styles cannot reach in, ours cannot leak out), shown in
 * the top layer (a manual popover) above the page's own modals and max-z-index banners.
 *
 * The host and its shadow root are created when the script is injected, before any page
 * script: a page cannot have defined a custom element of the host's name by then. What goes
 * inside (the stylesheet, the root the other parts build in) waits for the first card: most
 * pages never show one. The CSS goes in as a constructed stylesheet (allowed by a strict CSP).
 *
 * Keyboard: the host is the last child of <html>, after <body> (or of the modal <dialog>), so
 * the card is the Tab stop right after the page's last control and the first stop of Shift+Tab
 * from the top of the page; from anywhere, Alt+Shift+G goes there and back (events.js), and
 * Tab stays within the card once there (popover.js). It is not put first, like a skip link:
 * Tab from the page's last control would then never reach it (no wrapping), and a page's own
 * `> :first-child` rules would see it. Its place in the top layer changes nothing for focus.
 *
 * makeDom(N, W, D, E, cssText) -> {root(), isHost(el), attached(), attach(target, raise), detach(),
 *   keep(target, frame), focusInside(), innerFocus(), viewport(), inTopLayer()}
 */
function makeDom(N, W, D, E, cssText) {
  var HOST_TAG = 'guide-overlay-root';
  // Inline !important: the host is in the page, where `* { … !important }` rules apply too.
  var HOST_STYLE = [
    ['all', 'initial'], ['display', 'block'], ['position', 'fixed'],
    ['top', '0'], ['right', '0'], ['bottom', '0'], ['left', '0'],
    ['width', 'auto'], ['height', 'auto'], ['min-width', '0'], ['min-height', '0'],
    ['max-width', 'none'], ['max-height', 'none'], ['margin', '0'], ['padding', '0'],
    ['border', '0 none transparent'], ['outline', '0 none transparent'],
    ['background', 'transparent'], ['box-shadow', 'none'], ['overflow', 'visible'],
    ['z-index', '2147483647'], ['pointer-events', 'none'], ['opacity', '1'],
    ['visibility', 'visible'], ['transform', 'none'], ['translate', 'none'], ['scale', 'none'],
    ['rotate', 'none'], ['filter', 'none'], ['backdrop-filter', 'none'], ['clip-path', 'none'],
    ['mask', 'none'], ['mix-blend-mode', 'normal'], ['isolation', 'isolate'],
    ['contain', 'layout style paint'], ['transition', 'none'], ['animation', 'none'],
    ['color-scheme', 'light'], ['direction', 'ltr'], ['zoom', '1'], ['content-visibility', 'visible']
  ];

  var host = N.createElement(D, HOST_TAG);
  N.setAttribute(host, 'data-guide-overlay', '');
  N.setAttribute(host, 'popover', 'manual');
  var hostStyle = N.style(host);
  for (var i = 0; i < HOST_STYLE.length; i++) {
    try { N.setProperty(hostStyle, HOST_STYLE[i][0], HOST_STYLE[i][1], 'important'); } catch (e) { /* unknown property */ }
  }
  // Closed, always, in what guide injects; guide.overlay.assemble(shadow_mode="open") builds
  // the same overlay in an open root for tests whose tools cannot enter a closed one (axe-core).
  var MODE = typeof SHADOW_MODE === 'string' && SHADOW_MODE === 'open' ? 'open' : 'closed';
  var shadow = N.attachShadow(host, { __proto__: null, mode: MODE });
  var inner = null;

  // The container the other parts build in, styled.
  function root() {
    if (inner) return inner;
    try {
      N.setAdoptedStyleSheets(shadow, [N.newSheet(cssText)]);
    } catch (e) { /* unstyled but functional */ }
    inner = E.el('div', 'g-root', shadow);
    return inner;
  }

  /* Where the host lives: <html>, or the topmost modal element (a <dialog> opened with
     showModal() makes everything else inert; being inside it keeps our buttons usable). */
  function chooseParent(target) {
    var de = N.documentElement(D);
    var modals;
    try { modals = N.docQuerySelectorAll(D, ':modal'); } catch (e) { return de; }
    var n = N.nodeCount(modals);
    if (!n) return de;
    var pick = null;
    for (var i = 0; i < n; i++) if (target && N.contains(modals[i], target)) pick = modals[i];
    return pick || modals[n - 1];
  }

  function otherTopLayer() {
    try {
      var l = N.docQuerySelectorAll(D, ':modal, :popover-open');
      for (var i = 0, n = N.nodeCount(l); i < n; i++) if (l[i] !== host) return true;
    } catch (e) { /* ignore */ }
    return false;
  }

  function isOpen() {
    try { return N.matches(host, ':popover-open'); } catch (e) { return false; }
  }

  /* CSS `zoom` on an ancestor (html { zoom: 1.5 }, "bigger text" widgets) would scale the
     overlay while getBoundingClientRect() reports visual px: cancel it so 1 unit = 1 px. */
  function fixZoom(parent) {
    var z = parent ? N.currentCSSZoom(parent) : 1;
    var want = typeof z === 'number' && z > 0 && N.abs(z - 1) > 1e-3 ? N.String(1 / z) : '1';
    // Through a custom property as well: the :host rule's `all: initial !important` (inner
    // context) outranks inline declarations, so that rule reads zoom from --g-zoom.
    E.style(host, '--g-zoom', want, 'important');
    E.style(host, 'zoom', want, 'important');
  }

  function attach(target, raise) {
    var parent = chooseParent(target);
    if (!parent) return;
    var moved = false;
    if (N.parentNode(host) !== parent) { N.appendChild(parent, host); moved = true; }
    fixZoom(parent);
    if (!N.popovers) return;
    var open = isOpen();
    try {
      // Re-raise above top-layer elements the page opened after us.
      if (open && raise && !moved && otherTopLayer()) { N.hidePopover(host); open = false; }
      if (!open) N.showPopover(host);
    } catch (e) { /* not in the top layer: still fixed + max z-index */ }
  }

  function detach() {
    try { if (isOpen()) N.hidePopover(host); } catch (e) { /* ignore */ }
    var parent = N.parentNode(host);
    if (parent) N.removeChild(parent, host);
  }

  // Called every frame: put the host back if the page removed it; now and then, follow a
  // modal that opened or closed, and a zoom that changed.
  function keep(target, frame) {
    if (!N.isConnected(host)) attach(target, false);
    else if (frame % 30 === 0) {
      if (chooseParent(target) !== N.parentNode(host)) attach(target, true);
      else fixZoom(N.parentNode(host));
    }
  }

  function focusInside() { return N.activeElement(D) === host; }

  function innerFocus() { return focusInside() ? N.shadowActiveElement(shadow) : null; }

  function viewport() {
    var w = N.clientWidth(host), h = N.clientHeight(host);
    if (!w || !h) { w = N.innerWidth(W); h = N.innerHeight(W); }
    return { w: w, h: h };
  }

  return N.freeze({
    root: root,
    isHost: function (el) { return el === host; },
    attached: function () { return N.isConnected(host); },
    attach: attach,
    detach: detach,
    keep: keep,
    focusInside: focusInside,
    innerFocus: innerFocus,
    viewport: viewport,
    inTopLayer: isOpen
  });
}
