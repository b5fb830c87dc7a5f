"""The API's one pagination: `?limit=` and `?offset=`, with a ceiling on `limit`.

DRF's LimitOffsetPagination reads `?limit=abc` or `?offset=-3` as if they were not sent;
here they are a 400 that names the parameter (`limit` must be a whole number from 1,
`offset` one from 0), as the schema documents them. An empty value (`?limit=`) is, as for
every other query parameter of the API, the same as leaving it out.
"""

import re
from typing import Any

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

_MAX_INT = 2**63 - 1
_DIGITS = re.compile("[0-9]{1,100}")


class Pagination(LimitOffsetPagination):
    #: Without a cap, a `?limit=` past Postgres' bigint reaches the database as a 500, and
    #: a large one loads a whole table into one response.
    max_limit = 1000

    def get_limit(self, request: Request) -> int | None:
        if not request.query_params.get(self.limit_query_param):
            return self.default_limit
        limit = _whole_number(request, self.limit_query_param, minimum=1)
        return min(limit, self.max_limit) if self.max_limit else limit  # 10**30 too

    def get_offset(self, request: Request) -> int:
        if not request.query_params.get(self.offset_query_param):
            return 0
        offset = _whole_number(request, self.offset_query_param, minimum=0)
        if offset > _MAX_INT:  # Postgres' OFFSET is a bigint
            raise ValidationError({self.offset_query_param: [f"Must be at most {_MAX_INT}."]})
        return offset

    def get_previous_link(self) -> str | None:
        if self.offset > 0 and self.offset >= self.count:
            # Past the end: back to the last page, not to the empty one a page before.
            url = self.request.build_absolute_uri()
            url = replace_query_param(url, self.limit_query_param, self.limit)
            last = max(0, self.count - self.limit)
            if last == 0:
                return remove_query_param(url, self.offset_query_param)
            return replace_query_param(url, self.offset_query_param, last)
        return super().get_previous_link()

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = (
                    f"Number of results to return per page (at most {self.max_limit}: "
                    "a larger limit is read as that)."
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 0, "maximum": _MAX_INT}
        return parameters


def _whole_number(request: Request, name: str, *, minimum: int) -> int:
    text = request.query_params[name]
    value = int(text) if _DIGITS.fullmatch(text) else None
    if value is None or value < minimum:
        raise ValidationError(
            {name: [f"Must be a whole number from {minimum}, not {text[:50]!r}."]}
        )
    return value
