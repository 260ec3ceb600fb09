/*
 * bridge.js — events to Python, through the `__guideEvent` binding (Playwright's
 * expose_binding), looked up when sending: it may be exposed after the overlay is injected.
 * Without the binding (a page opened by hand, a test), events go nowhere.
 *
 * makeBridge(N, W) -> {emit(event)}   event: see guide/protocol.py
 */
function makeBridge(N, W) {
  function ignore() {}

  function emit(event) {
    var fn;
    try { fn = W.__guideEvent; } catch (e) { return; }
    if (typeof fn !== 'function') return;
    var p;
    try { p = fn(event); } catch (e) { return; }
    try { N.then(p, ignore, ignore); } catch (e) { /* not a promise */ }  // the context may close meanwhile
  }

  return N.freeze({ emit: emit });
}
