"""`garda dedupe FILE.csv ...`: CSV mode end to end, and each error message.

The command does not touch the database in CSV mode, so these tests need none.
"""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

HEADER = "no,nik,nama_lengkap,jenis_kelamin,tanggal_lahir,tempat_lahir,alamat,telepon\n"
ROWS = [
    "1,3212094403950001,Siti Nurhaliza Rahmawati,P,1995-03-04,Indramayu,Jl. Mawar 1,081234567890",
    "2,,SITI NURHALIZA RAHMAWATI,P,04-03-1995,Indramayu,Jalan Mawar No. 1,+6281234567890",
    "3,3175010101800001,Budi Santoso,L,01/01/1980,Jakarta,Gg. Melati 2,",
    "4,,Rahmawati Siti Nurhaliza,P,1995-03-04,,,",
    "5,,Joko Susanto,L,not a date,,,",
]
MAP = (
    "nik=nik,full_name=nama_lengkap,sex=jenis_kelamin,birth_date=tanggal_lahir,"
    "birth_place=tempat_lahir,address=alamat,phone=telepon"
)


@pytest.fixture
def people_csv(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("\ufeff" + HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("dedupe", *args, stdout=out)
    return out.getvalue()


def test_writes_the_candidate_pairs(people_csv, tmp_path):
    output = tmp_path / "pairs.csv"
    summary = run(str(people_csv), "--id-column", "no", "--map", MAP, "--output", str(output))

    with open(output, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id_a", "id_b", "score", "reasons"]
    pairs = {(row[0], row[1]): row for row in rows[1:]}
    assert set(pairs) == {("1", "2"), ("1", "4"), ("2", "4")}
    id_a, id_b, score, reasons = pairs["1", "2"]
    assert 0.5 <= float(score) <= 1.0
    assert reasons.split(";")[:1] == ["same_name_birth_date"]
    assert "same_phone" in reasons.split(";")
    assert "name_parts_swapped" in pairs["1", "4"][3].split(";")
    scores = [float(row[2]) for row in rows[1:]]
    assert scores == sorted(scores, reverse=True)

    assert summary.count("\n") == 1
    assert "5 records, 3 candidate pairs" in summary
    assert "1 unreadable birth date(s) ignored" in summary
    assert str(output) in summary


def test_a_higher_threshold_keeps_fewer_pairs(people_csv, tmp_path):
    output = tmp_path / "pairs.csv"
    run(str(people_csv), "--id-column", "no", "--map", MAP, "--output", str(output),
        "--threshold", "0.99999")  # fmt: skip
    rows = list(csv.reader(output.open(encoding="utf-8")))
    assert [row[:2] for row in rows[1:]] == [["1", "2"]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.csv", "--id-column", "no", "--output", "o.csv"), "file not found: missing.csv"),
        (("{csv}", "--map", MAP, "--output", "{out}"), "--id-column is required"),
        (("{csv}", "--id-column", "id", "--output", "{out}"),
         "id column 'id' is not in the header"),
        (("{csv}", "--id-column", "no", "--map", "name=nama_lengkap", "--output", "{out}"),
         "--map: unknown field 'name'"),
        (("{csv}", "--id-column", "no", "--map", "full_name=nama", "--output", "{out}"),
         "mapped column(s) not in the header of {csv}: nama"),
        (("{csv}", "--id-column", "no", "--map", "full_name", "--output", "{out}"),
         "--map: expected field=column"),
        (("{csv}", "--id-column", "no", "--map", MAP), "--output is required"),
        (("{csv}", "--id-column", "no", "--output", "{out}", "--threshold", "2"),
         "--threshold must be between 0 and 1"),
        (("{csv}", "--id-column", "no", "--map", "full_name=nama_lengkap+", "--output", "{out}"),
         "--map: expected field=column"),
        (("{csv}", "--id-column", "no", "--output", "{out}", "--weights", "none.json"),
         "--weights: cannot read none.json"),
    ],
)  # fmt: skip
def test_errors(people_csv, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "o.csv"
    args = [arg.format(csv=people_csv, out=out) for arg in args]
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message.format(csv=people_csv) in str(error.value)


def test_duplicate_ids_are_refused(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text(HEADER + ROWS[0] + "\n" + ROWS[0] + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 3: id '1' appears more than once"):
        run(str(path), "--id-column", "no", "--map", MAP, "--output", str(tmp_path / "o.csv"))


def test_a_field_may_join_columns_and_the_weights_used_can_be_saved(tmp_path):
    from garda.people.matching import DEFAULT_WEIGHTS, Weights

    path = tmp_path / "split.csv"
    path.write_text(
        "id,given,family,born\n1,Siti,Rahmawati,1995-03-04\n2,SITI,RAHMAWATI,04-03-1995\n",
        encoding="utf-8",
    )
    output, weights = tmp_path / "pairs.csv", tmp_path / "weights.json"
    summary = run(
        str(path), "--id-column", "id", "--map", "full_name=given+family,birth_date=born",
        "--output", str(output), "--save-weights", str(weights),
    )  # fmt: skip
    assert "2 records, 1 candidate pairs" in summary
    assert "(hand-set weights)" in summary  # two records: nothing to learn from
    rows = list(csv.reader(output.open(encoding="utf-8")))
    assert "same_name_birth_date" in rows[1][3]
    assert Weights.from_json(weights.read_text(encoding="utf-8")) == DEFAULT_WEIGHTS
    # and they can be given back
    again = run(
        str(path), "--id-column", "id", "--map", "full_name=given+family,birth_date=born",
        "--output", str(output), "--weights", str(weights), "--no-learn",
    )  # fmt: skip
    assert "1 candidate pairs" in again
