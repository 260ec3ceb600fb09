/*
 * state.js — what is shown: the target, the card, whether the overlay is up. The other parts
 * keep their own state (geometry, rules, table) and read this one through its functions.
 *
 * makeState() -> {visible(), target(), card(), begin(target, card) -> targetChanged, shown(), end()}
 */
function makeState(N) {
  var s = { visible: false, target: null, card: null };

  // A new card: true when the overlay now points at another element (or was hidden).
  function begin(target, card) {
    var changed = !s.visible || target !== s.target;
    s.target = target;
    s.card = card;
    return changed;
  }

  function end() {
    s.visible = false;
    s.target = null;
    s.card = null;
  }

  return N.freeze({
    visible: function () { return s.visible; },
    target: function () { return s.target; },
    card: function () { return s.card; },
    begin: begin,
    shown: function () { s.visible = true; },
    end: end
  });
}
