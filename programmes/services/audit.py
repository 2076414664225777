"""Writing the audit trail (`programmes/models/audit.py`): one call per recorded change,
inside the change's own transaction, so a change that rolls back leaves no entry."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from programmes.client_address import client_address
from programmes.models import AuditAction, AuditEntry, Programme
from programmes.policy import Actor, actor


def name_of(user: Any) -> str:
    if user is None:
        return ""
    return getattr(user, "name", "") or getattr(user, "email", "") or str(user)


def record(
    action: AuditAction,
    *,
    programme: Programme | int,
    by: Actor,
    summary: str,
    at: datetime | None = None,
) -> AuditEntry:
    person = actor(by)
    if person is not None and not getattr(person, "is_authenticated", False):
        person = None
    return AuditEntry.objects.create(
        programme_id=getattr(programme, "pk", programme),
        action=action,
        actor=person,
        actor_name=name_of(person),
        summary=summary[:300],
        ip=client_address() if person is not None else None,
        at=at or timezone.now(),
    )


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def audited(
    action: AuditAction, describe: Callable[[Any, dict[str, Any]], tuple[Any, str]]
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Record `action` after the decorated service succeeds. `describe(result, kwargs)`
    gives the programme and the summary. Put it under `@transaction.atomic`, so the entry
    shares the change's transaction."""

    def wrap(service: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(service)
        def run(*args: Any, **kwargs: Any) -> Any:
            result = service(*args, **kwargs)
            programme, summary = describe(result, kwargs)
            record(action, programme=programme, by=kwargs.get("by"), summary=summary)
            return result

        return run

    return wrap


def guideline_summary(verb: str) -> Callable[[Any, dict[str, Any]], tuple[Any, str]]:
    def describe(result: Any, kwargs: dict[str, Any]) -> tuple[Any, str]:
        guideline = result if result is not None else kwargs["guideline"]
        return guideline.programme_id, f"{verb} the guideline “{_short(guideline.text)}”"

    return describe


def template_summary(verb: str) -> Callable[[Any, dict[str, Any]], tuple[Any, str]]:
    def describe(result: Any, kwargs: dict[str, Any]) -> tuple[Any, str]:
        item = result if result is not None else kwargs["item"]
        return item.programme_id, f"{verb} the playbook section “{_short(item.title)}”"

    return describe


def question_summary(verb: str) -> Callable[[Any, dict[str, Any]], tuple[Any, str]]:
    def describe(result: Any, kwargs: dict[str, Any]) -> tuple[Any, str]:
        question = result if result is not None else kwargs["question"]
        return question.programme_id, f"{verb} the assessment question “{_short(question.prompt)}”"

    return describe
