from sqlalchemy import text

from tracker.config import load_settings
from tracker.web.app import create_app


def test_healthz_answers_without_login_and_reports_the_schema(demo_engine):
    client = create_app(load_settings({}), demo_engine).server.test_client()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["database"] == "ok"


def test_healthz_fails_when_the_schema_lags_the_code(demo_engine):
    with demo_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    client = create_app(load_settings({}), demo_engine).server.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["schema"] == "0001"
