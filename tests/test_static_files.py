"""Static files: URLs carry a hash of the content; versioned requests may be cached for a year."""

from __future__ import annotations

import os
import re

from flask import url_for

from portal.core.static import IMMUTABLE, StaticVersions


def test_static_urls_carry_the_content_hash(app):
    with app.test_request_context():
        url = url_for("static", filename="css/app.css")
    assert re.fullmatch(r"/static/css/app\.css\?v=[0-9a-f]{12}", url)


def test_pages_link_versioned_assets(client):
    html = client.get("/login").get_data(as_text=True)
    assert re.search(r'href="/static/vendor/pico/pico\.min\.css\?v=[0-9a-f]{12}"', html)
    assert re.search(r'src="/static/js/app\.js\?v=[0-9a-f]{12}"', html)


def test_a_versioned_file_is_cached_for_a_year(app, client):
    with app.test_request_context():
        url = url_for("static", filename="js/app.js")
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unversioned_or_stale_url_is_checked_again(client):
    for url in ("/static/js/app.js", "/static/js/app.js?v=000000000000"):
        with client.get(url) as response:
            assert response.status_code == 200
            assert response.headers["Cache-Control"] == "no-cache"
            assert response.headers.get("ETag")


def test_the_version_changes_with_the_content(tmp_path):
    (tmp_path / "a.css").write_text("body { color: black }")
    versions = StaticVersions(str(tmp_path), watch=True)
    first = versions.version("a.css")
    (tmp_path / "a.css").write_text("body { color: navy }")
    os.utime(tmp_path / "a.css", (1, 1))
    assert versions.version("a.css") != first


def test_missing_files_and_paths_outside_the_folder_get_no_version(tmp_path):
    versions = StaticVersions(str(tmp_path), watch=False)
    assert versions.version("nothing.css") is None
    assert versions.version("../etc/passwd") is None
