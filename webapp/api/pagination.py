"""Page-number pagination for every list: ``?page=2&page_size=50``."""

from __future__ import annotations

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """25 per page by default, at most 100; an out-of-range page is an empty 404."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
