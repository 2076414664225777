"""The one small family of errors that services raise, and the one helper views use for them.

A service refuses a change with one of three errors, each carrying a sentence for the person:

- `NotAllowed`: this person may not make this change (also a `PermissionDenied`, so one that
  no view expects still ends as a plain 403, never a 500);
- `Conflict`: the change clashes with one made elsewhere (a stale form, another tab);
- `Invalid`: the change itself cannot be made (a full mentor, a removed section).

Each app's own errors (`PairingError`, `PlaybookError`...) subclass one of these, so a view
needs no try/except of its own: `reported` turns any of them into a message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest


class ServiceError(Exception):
    """A change a service refused; `str(error)` is the sentence to show."""


class NotAllowed(ServiceError, PermissionDenied):
    """The acting person may not make this change."""


class Conflict(ServiceError):
    """The change clashes with one made elsewhere since the form was opened."""


class Invalid(ServiceError):
    """The change cannot be made as asked."""


@dataclass
class Outcome:
    error: ServiceError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@contextmanager
def reported(
    request: HttpRequest, *, success: str = "", form: Form | None = None
) -> Iterator[Outcome]:
    """Run a service call; tell the person what happened.

    On success, `success` (if given) becomes a message. `NotAllowed` passes through as a
    403. Any other `ServiceError` is caught: its
    sentence becomes an error on `form` when one is given (so the page re-renders with it),
    else an error message for the next page. Check `outcome.ok` to choose what comes next::

        with reported(request, success="Your place is booked.") as outcome:
            book_place(workshop=workshop, by=request.user)
        return redirect(workshop)
    """
    outcome = Outcome()
    try:
        yield outcome
    except NotAllowed:
        raise  # a 403: the page was theirs to see, the change is not theirs to make
    except ServiceError as error:
        outcome.error = error
        if form is not None:
            form.add_error(None, str(error))
        else:
            messages.error(request, str(error))
    else:
        if success:
            messages.success(request, success)
