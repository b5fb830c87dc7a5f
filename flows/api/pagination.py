"""The API's one pagination: `?limit=` and `?offset=`, with a ceiling on `limit`."""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    #: Without a cap, a `?limit=` past Postgres' bigint reaches the database as a 500, and
    #: a large one loads a whole table into one response.
    max_limit = 1000
