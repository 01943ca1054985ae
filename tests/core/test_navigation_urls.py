"""The menu's URLs are reversed once and reused, yet follow the script prefix the platform is
served under (a deployment below a sub-path) and stay the URLs reverse() gives."""

from django.urls import reverse, set_script_prefix

from renda.core.navigation import ENTRIES


def test_menu_urls_equal_reverse_and_follow_the_script_prefix():
    assert [e.url for e in ENTRIES] == [reverse(e.url_name) for e in ENTRIES]
    set_script_prefix("/renda/")
    try:
        assert ENTRIES[0].url == "/renda/"
        assert [e.url for e in ENTRIES] == [reverse(e.url_name) for e in ENTRIES]
    finally:
        set_script_prefix("/")
    assert ENTRIES[0].url == "/"
