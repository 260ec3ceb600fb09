"""The matching rule (guide/matching.py), in Python and in the page (guide/page/reads.js).

What a person cannot see or does not read as part of a name is set aside; everything else is
a difference. The same table drives both sides: the browser test feeds the page's engine the
same texts and expects the same result.
"""

from __future__ import annotations

import pytest

from guide import matching

# (words in the guide, what the page shows, is it a form field's name, does a person read them as the same)
CASES = [
    (
        "Date d'expiration de votre mot de passe : 15/03/2027",
        "Date d’expiration de votre mot de passe\u00a0: 15/03/2027",
        False,
        True,
    ),
    ("Mot de passe oublié ?", "Mot de passe oublié\u202f?", False, True),
    ("Mot de passe oublié ?", "Mot de passe oublié?", False, True),
    ("le caractère « underscore » _", 'le caractère "underscore" _', False, True),
    ("Mot de passe -xt oublié", "Mot de passe ‑xt oublié", False, True),
    ("Patientez...", "Patientez…", False, True),
    ("Se connecter", "Se\u200b connecter", False, True),
    ("Se  connecter", " Se connecter\n", False, True),
    ("Courrier électronique", "Courrier électronique :", True, True),
    ("Identifiant *", "Identifiant", True, True),
    ("Identifiant", "Identifiant (obligatoire)", True, True),
    ("Identifiant", "Identifiant *  :", True, True),
    ("e\u0301lectronique", "électronique", False, True),  # decomposed accent
    # differences a person reads
    ("Se connecter", "Se déconnecter", False, False),
    ("Réinitialiser", "Valider", False, False),
    ("Se connecter", "SE CONNECTER", False, False),  # capitals typed in the source
    ("Identifiant", "Identifiant bancaire", True, False),
    ("Courriel", "Courriel :", False, False),  # not a field name: « : » is part of it
    ("Mot de passe", "Mot de passe oublié", True, False),
]


@pytest.mark.parametrize(("words", "shown", "field", "same"), CASES)
def test_the_rule_sets_aside_only_what_a_person_does_not_read(words, shown, field, same):
    assert (matching.normalise(words, field) == matching.normalise(shown, field)) is same


def test_explain_names_each_difference_set_aside():
    ignored = matching.explain("Date d'expiration : 15/03/2027", "Date d’expiration\u00a0: 15/03/2027")
    assert ignored == [matching.STEPS[2].explains, matching.STEPS[6].explains]
    assert matching.explain("Mot de passe oublié ?", "Mot de passe oublié?") == [matching.STEPS[7].explains]
    assert matching.explain("Courriel", "Courriel") == []
    assert "marker" in matching.explain("Identifiant *", "Identifiant", field=True)[0]


def test_the_page_engine_normalises_exactly_as_python(page):
    """One table, two implementations: every case normalises the same in the browser."""
    texts = sorted({t for words, shown, _, _ in CASES for t in (words, shown)})
    engine = matching.engine_script()
    for field in (False, True):
        in_page = page.evaluate(f"([texts, field]) => texts.map(t => ({engine}).normalise(t, field))", [texts, field])
        assert in_page == [matching.normalise(t, field) for t in texts]
