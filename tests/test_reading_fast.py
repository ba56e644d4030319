"""A log's common lines are read without the general way (issue 21): the events are the same,
and every line the quick reading is not sure of, or refuses, goes the general way, for the
same event or the same error (file, line, key, French and English)."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entente_regles.core.errors import ErrorLocation, EventError
from entente_regles.core.event import Event
from entente_regles.events import json_lines
from entente_regles.events.json_lines import (
    JSON_BLANK,
    parse_json_line,
    plain_object,
    plain_objects,
)
from entente_regles.events.log import event_from_mapping, events_from_text, read_events
from entente_regles.portfolio.generate import generate_portfolio
from entente_regles.portfolio.sources import log_events
from entente_regles.rules.rulebook import RuleBook
from entente_regles.rules.vocabulary import Vocabulary

VOCABULARY: Vocabulary = RuleBook.bundled().vocabulary
FILE = "dossier/journal.jsonl"


def general_way(text: str, file: str = FILE, first_line: int = 1) -> list[Event]:
    """The events of ``text`` read line by line the general way (as before issue 21)."""
    events = []
    for position, line in enumerate(text.split("\n")):
        stripped = line.strip(JSON_BLANK)
        if not stripped or stripped.startswith("#"):
            continue
        where = ErrorLocation(file, first_line + position)
        events.append(event_from_mapping(parse_json_line(stripped, where), VOCABULARY, where))
    return events


def assert_same_events(fast: list[Event], slow: list[Event]) -> None:
    assert fast == slow
    for quick, general in zip(fast, slow, strict=True):
        assert type(quick) is Event and quick.source == general.source
        assert type(quick.data) is MappingProxyType
        assert list(quick.data) == list(general.data)  # same order of keys
        for name, value in quick.data.items():
            other = general.data[name]
            assert type(value) is type(other) and str(value) == str(other)
        for name in ("type", "date", "by", "received", "recorded"):
            assert type(getattr(quick, name)) is type(getattr(general, name))
        assert hash(quick) == hash(general)
        assert quick.describe("fr") == general.describe("fr")


def test_a_generated_heavy_portfolio_reads_the_same(tmp_path: Path) -> None:
    folders = generate_portfolio(tmp_path, clients=2, years=1, heavy=True, seed=0)
    for folder in folders:
        path = folder / "journal.jsonl"
        text = path.read_bytes().decode("utf-8-sig")
        slow = general_way(text, str(path))
        lines = [line for line in text.split("\n") if line and not line.startswith("#")]
        plain = [line for line in lines if plain_object(line) is not None]
        assert len(plain) > 0.9 * len(lines)  # the quick way is the one tested here
        assert_same_events(events_from_text(text, str(path), VOCABULARY), slow)
        assert_same_events(log_events(path.read_bytes(), str(path), VOCABULARY), slow)
        assert_same_events(read_events(path, VOCABULARY), slow)
        assert_same_events(list(read_events(path, VOCABULARY, errors="collect").events), slow)


INVOICE = ('{"type": "facture_emise", "date": "2026-05-01", "par": "mcn", "facture": "F-1", '
           '"montant": "1147.41", "periode": "2026-04"}')
DISPUTE = ('{"type": "differend_soumis", "date": "2027-03-01", "par": "client", '
           '"differend": "D-1", "recu_le": "2027-03-02"}')

# Lines read alike either way, some the quick way, some the general way.
GOOD = [
    INVOICE,
    DISPUTE,
    INVOICE.replace('"2026-04"}', '"2026-04", "enregistre_le": "2026-05-03"}'),
    INVOICE.replace('"2026-04"}', '"2026-04", "enregistre_le": "2026-05-01"}'),
    DISPUTE.replace('"2027-03-02"', '"2027-03-01"'),
    INVOICE.replace('"1147.41"', '"1147.4"'),
    INVOICE.replace('"1147.41"', '"5"'),
    INVOICE.replace('"1147.41"', '"0005.00"'),
    INVOICE.replace('"1147.41"', '"999999999999.99"'),
    INVOICE.replace('"F-1"', '"Facture été"'),
    INVOICE.replace('"F-1"', '"F-\\u00e9"'),
    INVOICE.replace('"F-1"', '"F: 1, {2} [3]"'),
    INVOICE.replace('"F-1"', '"a\\"b"'),
    '{"date": "2026-05-01", "type": "paiement", "par": "client", "montant": "10.00", '
    '"facture": "F-1"}',
    ' \t' + INVOICE + ' \r',
    INVOICE.replace('"1147.41"', '" 5.00"'),  # the general way strips these blanks
    INVOICE.replace('"F-1"', '" F-1"'),
    INVOICE.replace('"mcn"', '"client"'),
    INVOICE.replace('"F-1"', '"F-1 "').replace('"2026-04"', '" 2026-04"'),
    INVOICE.replace(", ", ",").replace(": ", ":"),
    '{"type": "avis_resiliation", "date": "2026-06-01", "par": "client", '
    '"recu_le": "2026-06-03"}',
    '{"type": "avis_resiliation", "date": "2026-06-01", "par": "client", '
    '"recu_le": null, "enregistre_le": null}',
]


@pytest.mark.parametrize("line", GOOD)
def test_good_lines_read_alike(line: str) -> None:
    text = f"# entête\n\n{INVOICE}\n{line}\n{line}\n"
    slow = general_way(text)
    assert_same_events(events_from_text(text, FILE, VOCABULARY), slow)
    assert_same_events(events_from_text(text, FILE, VOCABULARY, first_line=7),
                       general_way(text, first_line=7))


# Lines refused: the quick reading gives up on each, and the general way names the error.
BAD = [
    INVOICE.replace('"2026-04"}', '"2026-04", "inconnu": "x"}'),  # unknown key
    INVOICE.replace(', "montant": "1147.41"', ""),  # missing required key
    INVOICE.replace('"par": "mcn", ', ""),  # missing party
    INVOICE.replace('"type": "facture_emise", ', ""),  # missing type
    INVOICE.replace('"facture_emise"', '"facture_inconnue"'),  # unknown type
    INVOICE.replace('"2026-05-01"', '"2026-02-30"'),  # no such day
    INVOICE.replace('"2026-05-01"', '"2026-5-01"'),  # not ISO
    INVOICE.replace('"2026-05-01"', '"20260501"'),
    INVOICE.replace('"2026-05-01"', '"1899-12-31"'),  # out of range
    INVOICE.replace('"2026-05-01"', '"٢٠٢٦-٠٥-٠١"'),  # not ASCII digits
    INVOICE.replace('"1147.41"', '"12.345"'),  # bad amounts
    INVOICE.replace('"1147.41"', '"0.00"'),
    INVOICE.replace('"1147.41"', '"-5.00"'),
    INVOICE.replace('"1147.41"', '"1e3"'),
    INVOICE.replace('"1147.41"', '"١٢.٠٠"'),
    INVOICE.replace('"1147.41"', '"1000000000000.00"'),
    INVOICE.replace('"1147.41"', '""'),
    INVOICE.replace('"1147.41"', "12.5"),  # float amount
    INVOICE.replace('"1147.41"', "NaN"),
    INVOICE.replace('"1147.41"', "Infinity"),
    INVOICE.replace('"1147.41"', "1" * 5000),  # integer too long
    INVOICE.replace('"1147.41"', "null"),
    INVOICE.replace('"1147.41"', '["1.00"]'),
    INVOICE.replace('"1147.41"', '{"a": "1.00"}'),
    INVOICE.replace('"date": "2026-05-01"', '"date": "2026-05-01", "date": "2026-05-02"'),
    INVOICE.replace('"facture": "F-1"', '"facture": "F-1", "facture": "F-2"'),  # duplicate
    INVOICE.replace('"facture": "F-1"', '"facture": 1, "facture": "F-2"'),
    INVOICE.replace('"mcn"', '"personne"'),  # wrong party
    INVOICE.replace('"2026-04"', '"2026-13"'),  # bad period
    INVOICE.replace('"2026-04"', '"2026-4"'),
    INVOICE.replace('"F-1"', '"F-1\u200b"'),  # invisible characters, surrogates
    INVOICE.replace('"F-1"', '"F-1\\u200b"'),
    INVOICE.replace('"F-1"', '"F-\\ud800"'),
    INVOICE.replace('"F-1"', '"F-\ud800"'),
    INVOICE.replace('"F-1"', '"F\t1"'),
    INVOICE.replace('"F-1"', '"F-1\x7f"'),
    DISPUTE.replace('"2027-03-02"', '"2027-02-28"'),  # received before sent
    DISPUTE.replace('"2027-03-02"', '"2027-02-30"'),
    INVOICE.replace('"2026-04"}', '"2026-04", "enregistre_le": "2026-04-30"}'),
    INVOICE.replace('"2026-04"}', '"2026-04", "enregistre_le": "demain"}'),
    INVOICE + " x",  # not JSON, or not one object
    INVOICE + "}",
    INVOICE[:-1],
    "\ufeff" + INVOICE,
    '["facture_emise"]',
    '"facture_emise"',
    "{" * 40 + "}" * 40,
    '{"a": ' * 40 + "1" + "}" * 40,
    INVOICE.replace("{", "{" + '"x": {' * 1500, 1) + "}" * 1500,
    INVOICE.replace('"F-1"', '"' + "F" * 2_000_000 + '"'),  # line too long
]


@pytest.mark.parametrize("line", BAD)
def test_bad_lines_raise_the_same_error(line: str) -> None:
    text = f"{INVOICE}\n{line}\n{INVOICE}\n"
    with pytest.raises(EventError) as slow:
        general_way(text, first_line=3)
    with pytest.raises(EventError) as fast:
        events_from_text(text, FILE, VOCABULARY, first_line=3)
    errors = [fast.value]
    if "\ud800" not in line:  # a lone surrogate has no UTF-8 bytes
        with pytest.raises(EventError) as via_log:
            log_events(text.encode(), FILE, VOCABULARY, numbers=[10, 20, 30, 40])
        assert via_log.value.where == ErrorLocation(FILE, 20, slow.value.where.key)
        errors.append(via_log.value)
    assert fast.value.where == slow.value.where == ErrorLocation(
        FILE, 4, slow.value.where.key)
    for error in errors:
        assert type(error) is type(slow.value)
        assert (error.fr, error.en) == (slow.value.fr, slow.value.en)
    assert str(fast.value) == str(slow.value)


def test_a_toml_file_name_goes_the_general_way() -> None:
    """TOML writes dates without quotes: a date given as text there is refused by name."""
    with pytest.raises(EventError) as fast:
        events_from_text(INVOICE, "journal.toml", VOCABULARY)
    with pytest.raises(EventError) as slow:
        general_way(INVOICE, "journal.toml")
    assert str(fast.value) == str(slow.value) and fast.value.where == slow.value.where


def test_plain_object_reads_only_objects_of_text() -> None:
    assert plain_object(INVOICE) == parse_json_line(INVOICE, ErrorLocation(FILE, 1))
    for line in (INVOICE.replace('"1147.41"', "12"), INVOICE.replace('"F-1"', '"a\\nb"'),
                 INVOICE.replace('"date": "2026-05-01"', '"date": "x", "date": "2026-05-01"'),
                 '{"a": {"b": "c"}}', "[]", "{"):
        assert plain_object(line) is None


# Logs decoded as one JSON array (plain_objects): lines that could be read across their ends
# if they were trusted (two objects on a line, a string or a bracket opened on one line and
# closed on the next, a line that opens what another closes, a line with no object), each
# with a line that makes up the count. Each must give the same events or the same error as
# the line-by-line way.
TYPES_ONLY = '{"type": "avis_incident", "date": "2026-05-01", "par": "mcn", "incident": "I-1"}'
ACROSS = [
    [INVOICE, INVOICE + ", {}", INVOICE],  # two objects on one line
    [INVOICE + ",{}", "{}", INVOICE],
    [INVOICE[:-1], '{"x": "y"}}', INVOICE],  # a line closed by the next
    [INVOICE[:-1] + ', "facture": "F-1', '{2"}', "{}, {}"],  # a string across two lines
    [INVOICE[:-1] + ', "x": [{}', "{}]}", "{}, {}"],  # an array across two lines
    [INVOICE[:-1] + ', "x": {"y": "z"}}', INVOICE],  # a nested object
    [INVOICE[:-1] + ', "x": ["y"]}', INVOICE, "{}"],
    ['{"a": "b"', '"c": "d"}', INVOICE],  # a line that is not an object's start
    [INVOICE + ', "x', '{y"'],  # a line that opens a string its next line closes: a text
    [TYPES_ONLY + ', "x', '{y"', TYPES_ONLY],
    [INVOICE.replace('"F-1"', '"F-1 {"'), INVOICE.replace('"F-1"', '"} F-1"')],
    [INVOICE.replace('"F-1"', '"F-1 ["'), INVOICE.replace('"F-1"', '"], {"')],
    [INVOICE.replace('"F-1"', '"a\\"}, {\\""'), INVOICE],  # an escaped quote
    [INVOICE.replace('"F-1"', '"F-1", "facture": "F-2"'), TYPES_ONLY],  # a key twice
    [INVOICE.replace('"F-1"', '"F-1", "facture": "F-2"'), INVOICE.replace('"F-1"', "null")],
    [INVOICE.replace('"F-1"', '"F-1", "facture": null'), INVOICE.replace('"F-1"', "1")],
    [INVOICE.replace('"facture": "F-1", ', '"facture": "F-1", "facture": "F-2", '),
     INVOICE.replace(', "periode": "2026-04"', "")],  # quotes made up by another line
    [TYPES_ONLY.replace('"I-1"', '"I-1", "incident": 7'), TYPES_ONLY],
    [TYPES_ONLY, TYPES_ONLY.replace('"I-1"', "1" * 5000)],  # an integer too long
    [TYPES_ONLY, TYPES_ONLY.replace('"I-1"', "NaN")],
    [TYPES_ONLY, TYPES_ONLY + "]"],
    [TYPES_ONLY, "{" + TYPES_ONLY],
    [TYPES_ONLY, "{}"],
    [TYPES_ONLY, '{"type": "avis_incident"}'],
    [TYPES_ONLY.replace('"mcn"', '"client"'), TYPES_ONLY.replace('"I-1"', '"I-1\ud800"')],
    [TYPES_ONLY, '{"date": "2026-05-01", "par": "mcn", "incident": "I-1"}'],  # no type
    [TYPES_ONLY, TYPES_ONLY.replace('"type"', '"type", "type": 1, "x"')],
    [TYPES_ONLY, '{"type": 1, "date": "2026-05-01", "par": "mcn", "incident": "I-1"}'],
    [TYPES_ONLY.replace('"I-1"', '""'), TYPES_ONLY],
    [TYPES_ONLY.replace('"I-1"', '"I-1\x7f"'), TYPES_ONLY],
    [INVOICE.replace('"1147.41"', '"1147.410"'), INVOICE.replace('"2026-04"', "true")],
]


def read_alike(text: str) -> None:
    """events_from_text gives the general way's events, or raises its error."""
    try:
        slow = general_way(text, first_line=3)
    except EventError as error:
        with pytest.raises(EventError) as fast:
            events_from_text(text, FILE, VOCABULARY, first_line=3)
        assert fast.value.where == error.where
        assert (type(fast.value), fast.value.fr, fast.value.en) == (
            type(error), error.fr, error.en)
        assert str(fast.value) == str(error)
    else:
        assert_same_events(events_from_text(text, FILE, VOCABULARY, first_line=3), slow)


# Both decoders of lines taken together: orjson (the "rapide" extra) and the standard one
DECODERS = [json_lines._decoded_array]
if json_lines._DECODE_ARRAY is not json_lines._decoded_array:
    DECODERS.append(json_lines._DECODE_ARRAY)


@pytest.fixture(params=DECODERS, ids=lambda decode: f"{decode.__module__}.{decode.__name__}")
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_lines, "_DECODE_ARRAY", request.param)


@pytest.mark.parametrize("lines", ACROSS)
@pytest.mark.usefixtures("decoder")
def test_lines_decoded_together_read_as_each_alone(lines: list[str]) -> None:
    for text in ("\n".join(lines), "\n".join([INVOICE, *lines, TYPES_ONLY]),
                 "\n".join([*lines, "# fin", ""]), "\n".join(reversed(lines))):
        read_alike(text)
        stripped = [line for line in (ln.strip(JSON_BLANK) for ln in text.split("\n"))
                    if line and line[0] != "#"]
        if all(line[0] == "{" for line in stripped):
            decoded = plain_objects(stripped)
            if decoded is not None:  # each object, when given, is its line's own
                objects, quotes = decoded
                assert len(objects) == len(stripped)
                for line, obj in zip(stripped, objects, strict=True):
                    assert obj is None or obj == json.loads(line)
                read = [line for line, obj in zip(stripped, objects, strict=True)
                        if obj is not None]
                assert quotes == "".join(read).count('"')


@pytest.mark.usefixtures("decoder")
def test_a_log_with_an_amendment_decodes_its_other_lines_together() -> None:
    """A line holding an array or a nested object goes the general way alone."""
    amendment = ('{"type": "avenant", "date": "2026-06-01", "par": "mcn", "avenant": "A-1", '
                 '"signe_par": ["mcn", "client"], "parametres": {"delai_paiement_jours": 45}, '
                 '"date_effet": "2026-07-01"}')
    lines = [INVOICE, amendment, TYPES_ONLY]
    decoded = plain_objects(lines)
    assert decoded is not None
    assert decoded[0][1] is None and decoded[0][0] == json.loads(INVOICE)
    read_alike("\n".join(lines))


# A line made of the characters that matter to the decoding of many lines at once.
_PIECES = st.sampled_from(['{', '}', '[', ']', '"', ",", ":", " ", "a", '"a"', '"b"', "1",
                           "null", '\\"', '{"a": "b"}', '"a": "b"', ", "])


@given(st.lists(st.builds("".join, st.lists(_PIECES, max_size=8)), min_size=1, max_size=5))
def test_any_lines_decoded_together_are_each_their_own(bodies: list[str]) -> None:
    """Whatever the lines hold, an object plain_objects gives is the one its line alone
    gives (or it gives none)."""
    lines = ["{" + body for body in bodies]
    for decode in DECODERS:
        json_lines._DECODE_ARRAY = decode
        try:
            decoded = plain_objects(lines)
        finally:
            json_lines._DECODE_ARRAY = DECODERS[-1]
        if decoded is None:
            continue
        objects, quotes = decoded
        assert len(objects) == len(lines)
        for line, obj in zip(lines, objects, strict=True):
            if obj is not None:
                assert obj == json.loads(line)
        assert quotes == "".join(line for line, obj in zip(lines, objects, strict=True)
                                 if obj is not None).count('"')


def test_a_heavy_log_reads_alike_with_either_decoder(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "\n".join(["# journal", INVOICE, TYPES_ONLY, INVOICE.replace('"F-1"', '"F-2"'), ""])
    for decode in DECODERS:
        monkeypatch.setattr(json_lines, "_DECODE_ARRAY", decode)
        assert_same_events(events_from_text(text, FILE, VOCABULARY), general_way(text))
        quotes = INVOICE.count('"') + TYPES_ONLY.count('"')
        assert plain_objects([INVOICE, TYPES_ONLY]) == (
            [json.loads(INVOICE), json.loads(TYPES_ONLY)], quotes)
