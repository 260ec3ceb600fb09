/*
 * words.js — what the overlay itself says, besides the flow's own words.
 *
 * The words come from guide's message catalogue in the flow's language (guide/i18n.py), as
 * the WORDS constant the assembled script starts with (see guide/overlay.py).
 *
 * makeWords(N) -> frozen table of strings
 */
function makeWords(N) {
  var table = {};
  for (var key in WORDS) {
    if (N.hasOwn(WORDS, key)) table[key] = String(WORDS[key]);
  }
  return N.freeze(table);
}
