"""Every store keeps the same promises: put, open (streamed), delete, exists, size, list by prefix; keys are
plain relative paths; the database store never holds a whole file in memory."""

from __future__ import annotations

import io
import tracemalloc

import pytest

from portal.extensions import db
from portal.storage import NotStored, Prefixed
from portal.storage.database import DatabaseStorage
from portal.storage.local import LocalStorage

pytestmark = pytest.mark.real_commits  # the database store writes through connections of its own


@pytest.fixture(params=["instance", "database", "s3"])
def store(request, app, tmp_path):
    """Each kind of store: a folder, chunk rows in the suite's database (small chunks), a moto bucket."""
    if request.param == "instance":
        yield LocalStorage(tmp_path / "instance")
    elif request.param == "database":
        yield DatabaseStorage(db.engine, chunk_size=1000)
    else:
        moto = pytest.importorskip("moto")
        boto3 = pytest.importorskip("boto3")
        from portal.storage.s3 import S3Storage

        with moto.mock_aws():
            client = boto3.client("s3", region_name="us-east-1", aws_access_key_id="test",
                                  aws_secret_access_key="test")  # noqa: S106 - moto's stand-in
            client.create_bucket(Bucket="portal")
            yield S3Storage("portal", "province-15", client=client)


def test_put_open_size_exists_delete(store):
    entry = store.put("jobs/a.pdf", b"%PDF-1.4 first")
    assert (entry.key, entry.size) == ("jobs/a.pdf", 14)
    assert store.exists("jobs/a.pdf") and store.size("jobs/a.pdf") == 14
    with store.open("jobs/a.pdf") as fh:
        assert fh.read() == b"%PDF-1.4 first"
    store.put("jobs/a.pdf", io.BytesIO(b"second"))  # replaces
    assert store.read("jobs/a.pdf") == b"second" and store.size("jobs/a.pdf") == 6
    assert store.delete("jobs/a.pdf") is True
    assert store.delete("jobs/a.pdf") is False
    assert not store.exists("jobs/a.pdf") and store.info("jobs/a.pdf") is None
    with pytest.raises(NotStored):
        store.open("jobs/a.pdf")
    with pytest.raises(FileNotFoundError):  # NotStored is one
        store.size("jobs/a.pdf")


def test_list_by_prefix(store):
    for key in ("uploads/pending/b.bin", "uploads/pending/a.bin", "uploads/evidence/c.jpg", "jobs/d.pdf",
                "jobsx/e.pdf", "cache/pdf/ab/ab1.pdf"):
        store.put(key, key.encode())
    assert [e.key for e in store.list("uploads/pending/")] == ["uploads/pending/a.bin", "uploads/pending/b.bin"]
    assert [e.key for e in store.list("uploads/")] == ["uploads/evidence/c.jpg", "uploads/pending/a.bin",
                                                      "uploads/pending/b.bin"]
    assert [e.key for e in store.list("jobs/")] == ["jobs/d.pdf"]
    assert [e.key for e in store.list("jobs")] == ["jobs/d.pdf", "jobsx/e.pdf"]
    assert list(store.list("nothing/")) == []
    assert store.usage("uploads/pending/") == (2, 2 * len("uploads/pending/a.bin"))
    entry = next(iter(store.list("cache/")))
    assert entry.size == len(b"cache/pdf/ab/ab1.pdf") and entry.modified.tzinfo is not None
    cache = Prefixed(store, "cache/pdf")
    assert [e.key for e in cache.list()] == ["ab/ab1.pdf"]
    assert cache.read("ab/ab1.pdf") == b"cache/pdf/ab/ab1.pdf" and cache.usage() == (1, 20)


@pytest.mark.parametrize("key", ["../x", "/etc/passwd", "a//b", "", "a/../b", "a/./b", "a\\b", ".hidden",
                                 "jobs/", "x" * 401])
def test_keys_are_plain_relative_paths(store, key):
    with pytest.raises(ValueError):
        store.put(key, b"x")
    with pytest.raises(ValueError):
        store.exists(key)


def test_a_big_file_streams_in_both_directions(store):
    data = bytes(range(256)) * 41 + b"tail"  # 10,500 bytes: eleven chunks of the database store's 1,000
    reads = []

    class Source(io.RawIOBase):
        def __init__(self):
            self.stream = io.BytesIO(data)

        def readable(self):
            return True

        def read(self, size=-1):
            if size is None or size < 0:  # "the rest": only once nothing is left (boto3 checks so)
                size = -1 if self.stream.tell() == len(data) else len(data) + 1
            reads.append(size)
            return self.stream.read(size)

    store.put("backups/big.tar.gz", Source())
    # Never "read everything": blocks of 1 MiB, or boto3's upload parts of 8 MiB.
    assert all(size <= 8 * 1024 * 1024 and size != len(data) + 1 for size in reads), reads
    with store.open("backups/big.tar.gz") as fh:
        parts = []
        while part := fh.read(333):
            parts.append(part)
    assert b"".join(parts) == data and store.size("backups/big.tar.gz") == len(data)


def test_local_store_is_the_instance_folder_as_before(tmp_path):
    store = LocalStorage(tmp_path)
    store.put("uploads/evidence/x.pdf", b"%PDF")
    assert (tmp_path / "uploads" / "evidence" / "x.pdf").read_bytes() == b"%PDF"
    assert store.local_path("uploads/evidence/x.pdf") == tmp_path / "uploads" / "evidence" / "x.pdf"
    made = tmp_path / "tmp" / "job.pdf"
    made.parent.mkdir()
    made.write_bytes(b"%PDF job")
    store.put_file("jobs/job.pdf", made, move=True)  # a rename
    assert not made.exists() and (tmp_path / "jobs" / "job.pdf").read_bytes() == b"%PDF job"
    assert not [p for p in tmp_path.rglob("*.part")]


def test_database_store_keeps_memory_flat(app):
    store = DatabaseStorage(db.engine)  # 1 MiB chunks
    size = 12 * 1024 * 1024

    class Zeros(io.RawIOBase):
        left = size

        def readable(self):
            return True

        def read(self, n=-1):
            n = min(self.left, n if n > 0 else 1024 * 1024)
            self.left -= n
            return b"\x01" * n

    tracemalloc.start()
    try:
        entry = store.put("backups/twelve.tar.gz", Zeros())
        _current, peak_write = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        total = 0
        with store.open("backups/twelve.tar.gz") as fh:
            while part := fh.read(64 * 1024):
                total += len(part)
        _current, peak_read = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert entry.size == total == size
    assert entry.sha256 and len(entry.sha256) == 64
    # A few chunks at most (the driver's copy, ours), never the 12 MiB file.
    assert peak_write < 5 * 1024 * 1024 and peak_read < 5 * 1024 * 1024, (peak_write, peak_read)


def test_a_file_replaced_while_read_fails_cleanly(app):
    store = DatabaseStorage(db.engine, chunk_size=4)
    store.put("jobs/r.pdf", b"0123456789")
    fh = store.open("jobs/r.pdf")
    assert fh.read(4) == b"0123"
    store.put("jobs/r.pdf", b"abcdefghij")  # new rows under a new id
    with pytest.raises(OSError, match="replaced"):
        fh.read()
    assert store.read("jobs/r.pdf") == b"abcdefghij"
