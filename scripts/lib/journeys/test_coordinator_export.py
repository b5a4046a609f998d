"""A coordinator downloads a run's matches as CSV from the review page: UTF-8 with a BOM,
a Chinese header on a Chinese page, times in China time."""


def test_export_a_runs_matches_from_the_dashboard(person, app):
    page = person("coordinator")
    # The newest run that proposed something (another journey of this role may have run one that did not).
    run = app.value("SELECT max(run_id) FROM matches")
    page.goto(app.url + f"/dashboard/review?run={run}")
    with page.expect_download() as download:
        page.click(f"a[href='/dashboard/export/matches.csv?run={run}']")
    data = open(download.value.path(), "rb").read()
    assert data[:3] == b"\xef\xbb\xbf"
    lines = data[3:].decode("utf-8").splitlines()
    assert lines[0].startswith("匹配编号,运行编号,状态,需求编号,案件编号")
    assert len(lines) - 1 == int(app.value("SELECT count(*) FROM matches WHERE run_id = %s", run))
    first = lines[1].split(",")
    created = app.value(
        """SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS')
             FROM matches WHERE id = %s""", first[0])
    assert created + "+08:00" in lines[1]
