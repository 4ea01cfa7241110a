"""HTTP errors of the web app: one line naming the parameter or the missing thing."""

from __future__ import annotations


class HttpProblem(Exception):
    """Answered as ``{"error": "<parameter>: <reason>"}`` (API) or an error page."""

    status = 400

    def __init__(self, parameter: str, reason: str) -> None:
        self.parameter = parameter
        self.reason = reason
        super().__init__(f"{parameter}: {reason}")


class NotFound(HttpProblem):
    status = 404


def bad_parameter(parameter: str, reason: str) -> HttpProblem:
    return HttpProblem(parameter, reason)
