/*
 * card.js — the card Python sends (guide.overlay.card), checked and copied into the overlay's
 * own objects before anything is drawn: a card that cannot be shown throws here, so show()
 * fails loudly and leaves the previous card intact instead of drawing half of this one.
 *
 * Only own properties are read: a page could define Object.prototype.paste or .note.
 *
 * makeCards(N, E, PROTOCOL, TEXT) -> {normalise(raw) -> card}
 *   card: {title, instruction, note, progress, status, message, buttons: [{id, label, primary}],
 *          listen: [DOM event type], rules: [{text, pattern, regexp}], table, paste, secret,
 *          announce}
 *   announce: false when the step was already announced (the same step drawn again on a new
 *   page): the card is shown, the live region stays silent. Absent: true.
 */
function makeCards(N, E, PROTOCOL, TEXT) {
  var str = E.str;
  var EVENT_TYPE = /^[a-z]+$/;
  var STATUSES = [], KNOWN = '';
  for (var name in PROTOCOL.status) {
    if (!N.hasOwn(PROTOCOL.status, name)) continue;
    N.push(STATUSES, PROTOCOL.status[name]);
    KNOWN += (KNOWN ? ', ' : '') + PROTOCOL.status[name];
  }

  function fail(message) { throw new N.Error('guide overlay: ' + message); }

  function own(o, key) {
    return o !== null && typeof o === 'object' && N.hasOwn(o, key) ? o[key] : undefined;
  }

  function list(o, key) {
    var v = own(o, key);
    if (v == null) return [];
    if (!N.isArray(v)) fail('card.' + key + ' must be a list');
    return v;
  }

  function each(items, fn) {
    var out = [];
    for (var i = 0; i < items.length; i++) N.push(out, fn(items[i], i));
    return out;
  }

  function status(v) {
    if (v == null || v === '') return null;
    for (var i = 0; i < STATUSES.length; i++) if (STATUSES[i] === v) return v;
    return fail('unknown card status \u00ab' + str(v) + '\u00bb (known: ' + KNOWN + ')');
  }

  function button(b) {
    return { id: str(own(b, 'id')), label: str(own(b, 'label')), primary: !!own(b, 'primary') };
  }

  function eventType(t) {
    if (typeof t !== 'string' || !N.exec(EVENT_TYPE, t)) fail('card.listen holds \u00ab' + str(t) + '\u00bb, not a DOM event type');
    return t;
  }

  // Patterns are JavaScript regular expressions (with the u flag): a flow written with
  // Python-only syntax, (?P<name>…) or (?i), must fail here, not show a rule never met.
  function rule(r) {
    var text = str(own(r, 'text')), pattern = str(own(r, 'pattern'));
    var regexp;
    try {
      regexp = new N.RegExp(pattern, 'u');
    } catch (e) {
      fail('rule \u00ab' + text + '\u00bb: /' + pattern + '/ is not a JavaScript regular expression (' + str(e && e.message) + ')');
    }
    return { text: text, pattern: pattern, regexp: regexp };
  }

  function row(r) { return N.isArray(r) ? each(r, str) : null; }

  function table(t) {
    if (t === null || typeof t !== 'object') return null;
    var rows = [];
    var raw = list(t, 'rows');
    for (var i = 0; i < raw.length; i++) { var r = row(raw[i]); if (r) N.push(rows, r); }
    var pick = own(t, 'pick'), choice = null;
    if (pick !== null && typeof pick === 'object') {
      var column = N.parseInt(own(pick, 'mailto_column'), 10);
      choice = {
        label: str(own(pick, 'label')) || TEXT.pick,
        mailtoColumn: column === column ? column : -1,  // NaN: no address column
        subject: str(own(pick, 'subject'))
      };
    }
    return { title: str(own(t, 'title')), columns: each(list(t, 'columns'), str), rows: rows, pick: choice };
  }

  function paste(p) {
    if (!p) return null;
    return { label: str(own(p, 'label')) || TEXT.paste };
  }

  function normalise(raw) {
    if (raw === null || typeof raw !== 'object') fail('the card must be an object');
    return {
      title: str(own(raw, 'title')),
      instruction: str(own(raw, 'instruction')),
      note: str(own(raw, 'note')),
      progress: str(own(raw, 'progress')),
      status: status(own(raw, 'status')),
      message: str(own(raw, 'message')),
      buttons: each(list(raw, 'buttons'), button),
      listen: each(list(raw, 'listen'), eventType),
      rules: each(list(raw, 'rules'), rule),
      table: table(own(raw, 'table')),
      paste: paste(own(raw, 'paste')),
      secret: !!own(raw, 'secret'),
      announce: own(raw, 'announce') !== false
    };
  }

  return N.freeze({ normalise: normalise });
}
