from tests.runs import run_benchmark, summary


def test_the_bad_input_suite_refuses_every_kind_and_writes_no_row():
    line = summary(run_benchmark("bad_input"))
    tried = int(line.split(":")[1].split(";")[0])
    assert f"refused cleanly: {tried};" in line and "rows written: 0;" in line
