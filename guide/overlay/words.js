/*
 * words.js — what the overlay itself says (French), besides the flow's own words.
 *
 * makeWords(N) -> frozen table of strings
 */
function makeWords(N) {
  return N.freeze({
    waiting: 'En attente de la page\u2026',
    drift: 'La page affich\u00e9e ne correspond pas \u00e0 l\u2019\u00e9tape attendue.',
    ok: ' \u2014 respect\u00e9',
    ko: ' \u2014 non respect\u00e9',
    rules: 'R\u00e8gles \u00e0 respecter',
    pick: 'Choisir un d\u00e9partement',
    choose: '\u2014 S\u00e9lectionner \u2014',
    paste: 'Collez le lien ici',
    pasteSubmit: 'Valider',
    mailto: '\u00c9crire \u00e0 ',
    dialog: 'Guide'
  });
}
