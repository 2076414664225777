from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mentoring.selectors.home import home_context
from programmes.access import AuthedRequest


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    return render(request, "mentoring/home.html", home_context(request.user))
