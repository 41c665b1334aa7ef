"""Pages of the API's lists: next and previous links, no total.

A total means counting every case an organisation may see on every page it asks for: with a
million cases that count costs more than the page itself (docs/decisions.md). A page holds
``PAGE_SIZE`` results; there is a next page when one more row exists, which the same query finds.
"""

from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param

#: Beyond this the offset would overflow the database's integers; no list has that many pages.
LAST_PAGE = 1_000_000


class PageWithoutCount(PageNumberPagination):
    def get_page_size(self, request):
        return api_settings.PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        try:
            self.number = int(request.query_params.get(self.page_query_param, 1))
        except ValueError:
            self.number = 0
        if not 1 <= self.number <= LAST_PAGE:
            raise NotFound("Invalid page.")
        offset = (self.number - 1) * size
        rows = list(queryset[offset : offset + size + 1])
        if not rows and self.number > 1:
            raise NotFound("Invalid page.")
        self.has_next = len(rows) > size
        return rows[:size]

    def get_next_link(self):
        if not self.has_next:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = self.request.build_absolute_uri()
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"].pop("count")
        schema["required"] = ["results"]
        return schema
