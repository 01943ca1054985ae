"""A file handed to the browser as an attachment (exports, letters, reports): one way for every
page and API endpoint, with the Chinese file name encoded for every browser."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def download(content: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
