"""CoNLL/XTREME/MasakhaNER and CoNLL-U formats on tiny fixtures."""

from __future__ import annotations

import pytest

from lexaug.errors import FormatError
from lexaug.io import ReadReport, get_format, read_records


def _write(tmp_path, name: str, data: str):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8"))
    return path


def _upper(records):
    for record in records:
        record.slots = [s if i in record.frozen else s.upper() for i, s in enumerate(record.slots)]
    return records


MASAKHA = "\ufeffJii O\nmoko B-PER\n\nKwan O\r\nachiel I-DATE\r\n\n\nlast O"


def test_conll_space_bom_crlf_no_final_newline(tmp_path):
    path = _write(tmp_path, "train.txt", MASAKHA)
    fmt = get_format("conll")
    records = list(read_records(path, fmt))
    assert [r.slots for r in records] == [["Jii", "moko"], ["Kwan", "achiel"], ["last"]]
    assert "".join(fmt.render(r) for r in records) == MASAKHA
    assert "".join(fmt.render(r) for r in _upper(records)) == (
        "\ufeffJII O\nMOKO B-PER\n\nKWAN O\r\nACHIEL I-DATE\r\n\n\nLAST O")


def test_conll_tab_with_extra_columns_and_docstart(tmp_path):
    data = "-DOCSTART-\t-X-\tO\n\nen:New\tNNP\tB-LOC\nen:York\tNNP\tI-LOC\n\n-DOCSTART-\t-X-\tO\n\nhi\tUH\tO\n"
    path = _write(tmp_path, "a.tsv", data)
    fmt = get_format("conll")
    records = list(read_records(path))
    assert [r.slots for r in records] == [["en:New", "en:York"], ["hi"]]
    records[0].slots = ["nueva york", "ciudad"]  # a multiword translation: one line per word, B- continued
    assert fmt.render(records[0]) == ("-DOCSTART-\t-X-\tO\n\nnueva\tNNP\tB-LOC\nyork\tNNP\tI-LOC\n"
                                      "ciudad\tNNP\tI-LOC\n\n")
    assert fmt.render(records[1]) == "-DOCSTART-\t-X-\tO\n\nhi\tUH\tO\n"


def test_conll_trailing_docstart_is_an_empty_record(tmp_path):
    data = "a O\n\n-DOCSTART- O\n"
    path = _write(tmp_path, "a.conll", data)
    fmt = get_format("conll")
    records = list(read_records(path, fmt))
    assert [r.slots for r in records] == [["a"], []]
    assert "".join(fmt.render(r) for r in records) == data


def test_conll_wrong_column_count(tmp_path):
    path = _write(tmp_path, "bad.txt", "a O\nb O\n\nc O\nlonely\nd O\n\ne O\n")
    with pytest.raises(FormatError) as err:
        list(read_records(path, "conll"))
    assert err.value.line == 5 and err.value.reason == "columns"
    assert str(err.value) == (f"{path}, line 5: expected 2 space-separated columns (token, label...), got 1: "
                              "'lonely'; fix the line, pass the right separator, or read leniently to skip its "
                              "sentence")
    report = ReadReport()
    records = list(read_records(path, "conll", strict=False, report=report))
    assert [(r.id, r.slots) for r in records] == [("0", ["a", "b"]), ("2", ["e"])]
    assert report.read == 2 and report.skipped == {"columns": 1}


def test_conll_explicit_separator_and_bad_option(tmp_path):
    path = _write(tmp_path, "a.txt", "New York\tB-LOC\n")
    (record,) = read_records(path, "conll", sep="tab")
    assert record.slots == ["New York"]
    (record,) = read_records(path, "conll", sep="space")
    assert record.slots == ["New"]
    with pytest.raises(FormatError) as err:
        list(read_records(path, "conll", sep="space", columns=3))
    assert "expected 3 space-separated columns" in str(err.value)
    from lexaug.errors import ConfigError

    with pytest.raises(ConfigError):
        get_format("conll", sep=",")


CONLLU = (
    "# sent_id = 1\n"
    "# text = I don't know.\n"
    "1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_\n"
    "2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n"
    "2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n"
    "3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n"
    "4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n"
    "4.1\tgot\tget\tVERB\t_\t_\t_\t_\t0:root\tCopyOf=4\n"
    "5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n"
    "\n"
    "# text = know  know\r\n"
    "1\tknow\tknow\tVERB\t_\t_\t0\troot\t_\t_\r\n"
    "2\tknow\tknow\tVERB\t_\t_\t1\tobj\t_\t_\r\n"
    "\r\n"
)


def test_conllu_round_trip_and_text_rewrite(tmp_path):
    path = _write(tmp_path, "a.conllu", CONLLU)
    fmt = get_format("conllu")
    records = list(read_records(path, fmt))
    assert [r.slots for r in records] == [["I", "do", "n't", "know", "."], ["know", "know"]]
    assert records[0].frozen == frozenset({1, 2})  # words of the multiword token "don't"
    assert "".join(fmt.render(r) for r in records) == CONLLU
    records[0].slots = ["Yo", "do", "n't", "sé", "."]
    records[1].slots = ["a", "bb"]
    out = fmt.render(records[0]) + fmt.render(records[1])
    assert "# text = Yo don't sé.\n" in out
    assert "1\tYo\tI\tPRON" in out and "4\tsé\tknow\tVERB" in out and "2-3\tdon't\t_" in out
    assert "4.1\tgot\tget" in out
    assert "# text = a  bb\r\n1\ta\tknow\tVERB\t_\t_\t0\troot\t_\t_\r\n" in out


def test_conllu_errors(tmp_path):
    path = _write(tmp_path, "bad.conllu", "# text = a\n1\ta\ta\n\n# text = b\nx\tb\t_\t_\t_\t_\t_\t_\t_\t_\n\n")
    with pytest.raises(FormatError) as err:
        list(read_records(path))
    assert err.value.line == 2 and "expected 10 tab-separated columns, got 3" in str(err.value)
    report = ReadReport()
    assert list(read_records(path, strict=False, report=report)) == []
    assert report.skipped == {"columns": 1, "bad_id": 1}
    assert "line 5" in report.errors[1]


def test_conllu_unfrozen_multiword_option(tmp_path):
    path = _write(tmp_path, "a.conllu", CONLLU)
    (first, _) = read_records(path, "conllu", freeze_multiword=False)
    assert first.frozen == frozenset()
