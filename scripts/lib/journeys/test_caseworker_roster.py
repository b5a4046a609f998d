"""A caseworker at 820 px uploads a roster CSV with two bad rows: the row report names each
line, column and problem and nothing is imported; the good rows alone go in when asked."""

from caseworker_support import id_number, village, wrong_check
from conftest import expect_status


def roster(app, tmp_path):
    place = village(app)
    lines = [
        "case_number,id_number,head_name,region_code,members,assistance_statuses,contact_phone",
        f"ROSTER-1,{id_number(811)},户主甲,{place},2,低保,0512-1111",
        f"ROSTER-2,{wrong_check(id_number(812))},户主乙,{place},3,特困,0512-2222",
        f"ROSTER-3,{id_number(813)},户主丙,{place},1,dibao,0512-3333",
        f"ROSTER-4,{id_number(814)},户主丁,{place},0,低保,0512-4444",
        f"ROSTER-5,{id_number(815)},户主戊,{place},4,临时救助,0512-5555",
    ]
    path = tmp_path / "roster.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def imported(app):
    return app.value("SELECT count(*) FROM households WHERE case_number LIKE 'ROSTER-%'")


def test_upload_a_roster_with_two_bad_rows(person, app, tmp_path):
    path = roster(app, tmp_path)
    page = person("caseworker", width=820)
    page.goto(app.url + "/dashboard/households")
    page.click("a[href='/dashboard/households/import']")
    page.set_input_files("#file", str(path))
    with expect_status(page, 422):
        page.click("main form button[type=submit]")
    report = page.locator("#report")
    assert "读取 5 行，导入 0 户，发现 2 个问题" in report.locator("h2").inner_text()
    rows = [row.locator("td").all_inner_texts() for row in report.locator("tbody tr").all()]
    assert [(line, column) for line, column, _ in rows] == [("3", "id_number"), ("5", "members")]
    assert "check character" in rows[0][2]
    assert imported(app) == "0"

    page.set_input_files("#file", str(path))
    page.check("input[name=partial]")
    page.click("main form button[type=submit]")
    assert "导入 3 户" in page.locator("#report h2").inner_text()
    assert app.sql("SELECT case_number FROM households WHERE case_number LIKE 'ROSTER-%' ORDER BY 1") == [
        ("ROSTER-1",), ("ROSTER-3",), ("ROSTER-5",)]
    assert app.value(
        "SELECT count(*) FROM audit_log WHERE action = 'household.import'") == "1"
