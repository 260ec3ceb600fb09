/*
 * table.js — a data table on the card; with `pick`, a choice instead: pick a department,
 * see its row and a pre-filled mailto: link to its address. Nothing is sent to Python.
 *
 * makeTable(N, E, slot, TEXT) -> {render(table), picked(), mailto(), box()}
 *   table: the card's {title, columns, rows, pick: {label, mailtoColumn, subject} | null} or null
 */
function makeTable(N, E, slot, TEXT) {
  var ADDRESS = /^[^\s@?&<>"]+@[^\s@?&<>"]+$/;
  var drawn = null;    // signature of the table on screen
  var select = null;
  var choice = { row: null, mailto: null };

  function mailtoHref(addr, subject) {
    if (!N.exec(ADDRESS, addr)) return null;
    return 'mailto:' + N.encodeURI(addr) + (subject ? '?subject=' + N.encodeURIComponent(subject) : '');
  }

  function plain(tb) {
    var table = E.el('table', 'g-data', E.el('div', 'g-table-scroll', slot));
    var head = E.el('tr', '', E.el('thead', '', table));
    for (var i = 0; i < tb.columns.length; i++) {
      var th = E.el('th', '', head);
      E.attr(th, 'scope', 'col');
      E.text(th, tb.columns[i]);
    }
    var body = E.el('tbody', '', table);
    for (var r = 0; r < tb.rows.length; r++) {
      var tr = E.el('tr', '', body);
      for (var c = 0; c < tb.rows[r].length; c++) E.text(E.el('td', '', tr), tb.rows[r][c]);
    }
  }

  // The option's words: the first two columns that are not the address.
  function optionText(tb, row) {
    var words = '';
    for (var i = 0, n = 0; i < tb.columns.length && n < 2; i++) {
      if (i === tb.pick.mailtoColumn) continue;
      n++;
      if (row[i]) words += (words ? ' \u2014 ' : '') + row[i];
    }
    return words || row[0] || '';
  }

  function showRow(tb, out, idx) {
    E.clear(out);
    choice = { row: null, mailto: null };
    var row = idx >= 0 ? tb.rows[idx] : null;
    if (!row) { E.shown(out, false); return; }
    var dl = E.el('dl', 'g-dl', out);
    for (var ci = 0; ci < tb.columns.length; ci++) {
      if (ci === tb.pick.mailtoColumn) continue;
      var item = E.el('div', 'g-dl-item', dl);
      E.text(E.el('dt', '', item), tb.columns[ci]);
      E.text(E.el('dd', '', item), row[ci] || '');
    }
    var addr = tb.pick.mailtoColumn >= 0 ? N.trim(row[tb.pick.mailtoColumn] || '') : '';
    var href = addr ? mailtoHref(addr, tb.pick.subject) : null;
    if (href) {
      var a = E.el('a', 'g-mailto', out);
      E.attr(a, 'href', href);
      E.text(a, TEXT.mailto + addr);
    } else if (addr) {
      E.text(E.el('p', 'g-addr', out), addr);
    }
    E.shown(out, true);
    choice = { row: idx, mailto: href };
  }

  function picker(tb) {
    var label = E.el('label', 'g-label', slot);
    E.attr(label, 'for', 'g-pick');
    E.text(label, tb.pick.label);
    select = E.el('select', 'g-select', E.el('div', 'g-select-wrap', slot));
    E.attr(select, 'id', 'g-pick');
    var first = E.el('option', '', select);
    E.attr(first, 'value', '');
    E.text(first, TEXT.choose);
    for (var i = 0; i < tb.rows.length; i++) {
      var o = E.el('option', '', select);
      E.attr(o, 'value', N.String(i));
      E.text(o, optionText(tb, tb.rows[i]));
    }
    var out = E.el('div', 'g-picked', slot);
    E.shown(out, false);
    var own = select;
    E.on(own, 'change', function () {
      var v = N.selectValue(own);
      showRow(tb, out, v === '' ? -1 : N.parseInt(v, 10));
    });
  }

  function render(tb) {
    E.shown(slot, !!tb);
    var s = E.sig(tb);
    if (s === drawn) return;
    drawn = s;
    E.clear(slot);
    select = null;
    choice = { row: null, mailto: null };
    if (!tb) return;
    if (tb.title) E.text(E.el('p', 'g-table-title', slot), tb.title);
    if (tb.pick) picker(tb); else plain(tb);
  }

  return N.freeze({
    render: render,
    picked: function () { return choice.row; },
    mailto: function () { return choice.mailto; },
    box: function () { return E.box(select); }
  });
}
