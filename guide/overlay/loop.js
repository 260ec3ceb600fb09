/*
 * loop.js — follows the target every animation frame: one read pass (the target, its clipping
 * ancestors, the card's size), then one write pass only when something moved, so a page at
 * rest costs a few reads per frame and no layout thrash.
 *
 * makeLoop(N, W, dom, state, highlight, popover) -> {start(), stop(), update(force), stats(), draws()}
 */
function makeLoop(N, W, dom, state, highlight, popover) {
  var rafId = 0;
  var frames = 0;
  var lastKey = '';
  var draws = 0;        // write passes so far (at rest there are none)
  var stats = { last: 0, max: 0, sum: 0, n: 0 };

  function r2(n) { return N.round(n * 100) / 100; }

  // Measure, then draw the cutout and the card when the geometry changed (or when forced).
  function update(force) {
    var g = highlight.measure();
    var size = popover.size();
    var c = g.cut;
    var key = g.vp.w + ',' + g.vp.h + ',' + size.w + ',' + size.h + ',' +
      (c ? r2(c.l) + ',' + r2(c.t) + ',' + r2(c.r) + ',' + r2(c.b) : '-');
    if (force || key !== lastKey) {
      lastKey = key;
      draws++;
      highlight.draw(g);
      popover.draw(popover.place(g, size), size);
    }
    return g;
  }

  function tick() {
    rafId = 0;
    if (!state.visible()) return;
    var t0 = N.now();
    try {
      frames++;
      dom.keep(state.target(), frames);
      if (frames % 60 === 0) highlight.refreshClips();
      highlight.settle(update(false));
    } catch (e) { /* keep following */ }
    var dt = N.now() - t0;
    stats.last = dt;
    stats.sum += dt;
    stats.n++;
    if (dt > stats.max) stats.max = dt;
    rafId = N.requestAnimationFrame(W, tick);
  }

  function start() { if (!rafId) rafId = N.requestAnimationFrame(W, tick); }

  function stop() {
    if (rafId) N.cancelAnimationFrame(W, rafId);
    rafId = 0;
    lastKey = '';
  }

  function ms(v) { return r2(v * 1000) / 1000; }

  return N.freeze({
    start: start,
    stop: stop,
    update: update,
    draws: function () { return draws; },
    stats: function () {
      return { last: ms(stats.last), max: ms(stats.max), avg: stats.n ? ms(stats.sum / stats.n) : 0, frames: stats.n };
    }
  });
}
