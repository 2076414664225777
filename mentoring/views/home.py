from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mentoring.selectors.home import home_context


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "mentoring/home.html", home_context(request.user))
