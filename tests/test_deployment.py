"""docker-compose.yml: valid, and shaped the way production needs it."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = ROOT / "docker-compose.yml"


def compose_command() -> list[str] | None:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    return None


def run_config(env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess:
    command = compose_command()
    if command is None:
        require_service("no docker-compose to validate with (apt-get install docker-compose)")
    env = {**os.environ}
    for name, value in env_overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [*command, "-f", str(COMPOSE), "config", "-q"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


REQUIRED = {"SECRET_KEY": "s" * 60, "EMAIL_HOST": "smtp.example.com"}


def test_the_compose_file_validates():
    result = run_config(REQUIRED)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "EMAIL_HOST"])
def test_the_compose_file_refuses_to_start_without_a_secret_key_or_mail_server(missing):
    result = run_config({**REQUIRED, missing: None})
    assert result.returncode != 0
    assert f"Set {missing}" in result.stderr


def test_the_web_port_is_published_on_loopback_only_for_a_tls_proxy(spec):
    assert all(p.startswith("127.0.0.1:") for p in spec["services"]["web"]["ports"])


def test_the_web_service_counts_sign_in_limits_per_client_behind_its_proxy(spec):
    # Only the proxy can reach the loopback port, so the address it appends is trusted.
    environment = spec["services"]["web"]["environment"]
    assert environment["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"


def test_there_is_exactly_one_beat_and_everything_waits_for_migrations(spec):
    services = spec["services"]
    beats = [name for name, svc in services.items() if "beat" in svc.get("command", [])]
    assert beats == ["beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    for name in ("web", "worker", "beat"):
        condition = services[name]["depends_on"]["migrate"]["condition"]
        assert condition == "service_completed_successfully", name
    assert services["migrate"]["command"][-2:] == ["migrate", "--no-input"]


def test_data_outlives_the_containers(spec):
    services = spec["services"]
    assert services["db"]["image"] == "postgres:17"
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])
    assert services["redis"]["image"] == "redis:7"
    assert "--appendonly" in services["redis"]["command"]
    assert any(v.startswith("redisdata:") for v in services["redis"]["volumes"])


def test_the_mail_catcher_runs_only_in_the_dev_profile(spec):
    assert spec["services"]["mailpit"]["profiles"] == ["dev"]
    assert "profiles" not in spec["services"]["web"]
