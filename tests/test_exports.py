"""Cohort exports: any cohort name works in XLSX, the audit log records only produced downloads,
CSV opens in Belgian Excel (; and decimal comma) and no cell can become a formula."""

import csv
import io

import pytest
from conftest import login, make_user
from helpers import take_quiz
from openpyxl import load_workbook
from test_trainer import create_cohort, join

from elearn.extensions import db
from elearn.models import AuditEvent
from elearn.trainer import exports

FORMULA = ("=", "+", "-", "@")


def _exports_logged(app):
    with app.app_context():
        return db.session.query(AuditEvent).filter_by(event="data.exported").count()


@pytest.mark.parametrize(
    "name", ["Groep 1/2: [Gent]?*", "[]", "'Antwerpen'", "Een heel lange naam voor een groep in Oost-Vlaanderen"]
)
def test_xlsx_export_works_for_any_cohort_name(app, trainer, name):
    cohort_id, _code = create_cohort(trainer, name=name)
    response = trainer.get(f"/trainer/cohorts/{cohort_id}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert 1 <= len(sheet.title) <= 31 and not set(sheet.title) & set("/\\:[]?*")
    assert sheet["A1"].value == "Naam"


def test_audit_log_records_only_produced_exports(app, trainer, monkeypatch):
    cohort_id, _code = create_cohort(trainer)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exports, "to_xlsx", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert trainer.get(f"/trainer/cohorts/{cohort_id}/export.xlsx").status_code == 500
    assert _exports_logged(app) == 0
    response = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv")
    assert response.status_code == 200
    response.get_data()  # streamed: the download is produced as the client reads it
    assert _exports_logged(app) == 1


def _cells(body: str, delimiter: str):
    return [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=delimiter) for cell in row]


def test_csv_cells_never_start_a_formula_under_either_separator(app, trainer):
    cohort_id, code = create_cohort(trainer)
    names = ["Jan;=1+1", 'An,=HYPERLINK("http://x")', "=SUM(A1)", "Piet; +32 475", "Els\n@cmd"]
    for i, name in enumerate(names):
        make_user(app, email=f"f{i}@example.org", name=name)
        client = app.test_client()
        login(client, f"f{i}@example.org")
        join(client, code)
    for lang in ("nl", "en"):
        trainer.post("/language", data={"lang": lang, "csrf_token": _token(trainer)})
        body = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv").get_data(as_text=True)
        for delimiter in (";", ","):  # opened in Belgian or in English Excel, quoted or not
            for cell in _cells(body, delimiter):
                assert cell.strip(' \n"')[:1] not in FORMULA, (lang, delimiter, cell)
        own = ";" if lang == "nl" else ","
        first_column = [row[0] for row in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=own)][1:]
        assert sorted(first_column) == sorted(exports.safe_text(n) for n in names)  # one cell each, text kept


def _token(client):
    from conftest import csrf_token

    return csrf_token(client.get("/account").get_data(as_text=True))


def test_csv_for_dutch_users_uses_semicolons_and_decimal_commas(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    take_quiz(learner, app, "proef", correct=False)
    body = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv").get_data(as_text=True)
    assert body.startswith("\ufeffNaam;Organisatie;")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
    column = rows[0].index("Toets Proefmodule: beste score")
    score = rows[1][column]
    assert "," in score and float(score.replace(",", ".")) < 100
    trainer.post("/language", data={"lang": "en", "csrf_token": _token(trainer)})
    body = trainer.get(f"/trainer/cohorts/{cohort_id}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[1][column] == score.replace(",", ".")


def test_item_export_shows_answer_texts(app, trainer, learner):
    cohort_id, code = create_cohort(trainer)
    join(learner, code)
    take_quiz(learner, app, "proef", correct=True)
    body = trainer.get(f"/trainer/cohorts/{cohort_id}/items.csv").get_data(as_text=True)
    rows = {r[1]: r for r in csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";")}
    assert rows["proef-q1"][7] == "Het juiste antwoord (juist): 1"
    assert rows["proef-q2"][7] == "Eerste juiste (juist): 1; Tweede juiste (juist): 1"
    assert rows["proef-q3"][7] == "Niet waar (juist): 1"
    assert "Tina → crystal meth (juist): 1" in rows["proef-q4"][7] and "G → GHB/GBL (juist): 1" in rows["proef-q4"][7]
    sheet = load_workbook(io.BytesIO(trainer.get(f"/trainer/cohorts/{cohort_id}/items.xlsx").data)).active
    texts = {row[1].value: row[7].value for row in sheet.iter_rows(min_row=2)}
    assert texts["proef-q3"] == "Niet waar (juist): 1"


def test_xlsx_keeps_text_as_text(app, trainer):
    cohort_id, code = create_cohort(trainer)
    make_user(app, email="f@example.org", name='=HYPERLINK("http://x")')
    client = app.test_client()
    login(client, "f@example.org")
    join(client, code)
    sheet = load_workbook(io.BytesIO(trainer.get(f"/trainer/cohorts/{cohort_id}/export.xlsx").data)).active
    cell = sheet["A2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"  # shown, never evaluated


@pytest.mark.parametrize(
    "text,safe",
    [
        ("Jan;=1+1", "Jan;'=1+1"),
        ("=1+1", "'=1+1"),
        (" @x", "' @x"),
        ("a, -b", "a,' -b"),
        ("Gewoon, veilig; tekst", "Gewoon, veilig; tekst"),
        ("-", "'-"),
        ("\t=1", "'\t=1"),
    ],
)
def test_safe_text(text, safe):
    assert exports.safe_text(text) == safe


def test_csv_dialects_and_quoting():
    table = [["Jan;Piet", 1.5, 3, None, 'zeg "hoi"']]
    nl = "".join(exports.csv_lines(["a", "b", "c", "d", "e"], table, "nl"))
    assert nl.splitlines()[1] == '"Jan;Piet";"1,5";3;;"zeg ""hoi"""'
    en = "".join(exports.csv_lines(["a", "b", "c", "d", "e"], table, "en"))
    assert en.splitlines()[1] == '"Jan;Piet",1.5,3,,"zeg ""hoi"""'
    assert nl.endswith("\r\n")


@pytest.mark.parametrize(
    "title,sheet", [("Groep: A/B", "Groep A B"), ("[]?*", "Blad1"), ("x" * 40, "x" * 31), ("'quoted'", "quoted")]
)
def test_sheet_title(title, sheet):
    assert exports.sheet_title(title) == sheet


def test_csv_chunks_carry_one_byte_order_mark_and_whole_lines(monkeypatch):
    monkeypatch.setattr(exports, "CSV_CHUNK_LINES", 2)
    rows = ([i, f"r{i}"] for i in range(4))  # a generator: read as the chunks go
    chunks = list(exports.csv_chunks(["n", "t"], rows, "en"))
    assert [c.decode() for c in chunks] == ["\ufeffn,t\r\n0,r0\r\n", "1,r1\r\n2,r2\r\n", "3,r3\r\n"]
    assert list(exports.csv_chunks(["n"], [], "nl")) == ["\ufeffn\r\n".encode()]


def test_xlsx_from_a_generator_keeps_text_widths_and_header_row():
    rows = (["=1+1", 2.5, None] for _ in range(3))
    with exports.to_xlsx(["Naam", "Een heel lange kolomtitel", "c"], rows, "Groep: A/B") as file:
        book = load_workbook(file)
    sheet = book.active
    assert sheet.title == "Groep A B" and sheet.freeze_panes == "A2" and sheet.max_row == 4
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s" and sheet["B2"].value == 2.5
    assert sheet.column_dimensions["A"].width == 12 and sheet.column_dimensions["B"].width == 27
