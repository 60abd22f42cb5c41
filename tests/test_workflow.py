"""The GitHub Actions workflow shipped for sites: checks pull requests, publishes main."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "weeknotes.yml"


def load() -> dict[Any, Any]:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def steps_of(job: dict[str, Any]) -> list[str]:
    return [step.get("uses") or step.get("run", "") for step in job["steps"]]


def test_pull_requests_are_checked_with_annotations() -> None:
    workflow = load()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    check = workflow["jobs"]["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert "weeknote-gen check --format github" in steps_of(check)


def test_main_is_built_with_the_cache_and_published_to_pages() -> None:
    jobs = load()["jobs"]
    build = jobs["build"]
    steps = steps_of(build)
    assert "weeknote-gen build" in steps
    cache = next(s for s in build["steps"] if str(s.get("uses", "")).startswith("actions/cache@"))
    assert cache["with"]["path"] == ".weeknote-cache"
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in str(s.get("uses")))
    assert upload["with"]["path"] == "_site"
    assert steps.index("weeknote-gen build") < steps.index(upload["uses"])
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert any("actions/deploy-pages@" in s for s in steps_of(deploy))


def test_only_main_is_published_and_scheduled_notes_appear_daily() -> None:
    workflow = load()
    assert "refs/heads/main" in workflow["jobs"]["build"]["if"]
    assert workflow[True]["schedule"][0]["cron"]
    assert workflow["concurrency"]["group"] == "pages"
