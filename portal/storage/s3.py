"""Files in an S3-compatible object store (MinIO, Ceph, a cloud's), through boto3 (``pip install '.[s3]'``).

Credentials come from boto3's own chain (environment, its configuration files, an instance role), never from
the portal's settings. Uploads go through boto3's transfer manager, in parts for big files; a read streams the
object's body.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from .base import Entry, NotStored, Storage, StorageError, check_key, check_prefix


class S3Storage(Storage):
    """A bucket (and a prefix inside it) shared by every host."""

    kind = "s3"
    shared = True

    def __init__(self, bucket: str, prefix: str = "", *, client=None, endpoint_url: str | None = None,
                 region: str | None = None):
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)
        self.client = client
        self.bucket = bucket
        self.prefix = check_prefix(prefix.strip("/") + "/") if prefix.strip("/") else ""

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def _missing(self, error) -> bool:
        code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
        return code in ("404", "NoSuchKey", "NotFound")

    def put(self, key: str, source: bytes | BinaryIO) -> Entry:
        import io

        body = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
        self.client.upload_fileobj(body, self.bucket, self._name(key))
        entry = self.info(key)
        if entry is None:
            raise StorageError(f"{key}: the object store did not keep the file")
        return entry

    def open(self, key: str) -> BinaryIO:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(key))["Body"]
        except ClientError as error:
            if self._missing(error):
                raise NotStored(key) from None
            raise

    def delete(self, key: str) -> bool:
        existed = self.exists(key)
        self.client.delete_object(Bucket=self.bucket, Key=self._name(key))
        return existed

    def info(self, key: str) -> Entry | None:
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self._name(key))
        except ClientError as error:
            if self._missing(error):
                return None
            raise
        return Entry(key, int(head["ContentLength"]), head["LastModified"])

    def list(self, prefix: str = "") -> Iterator[Entry]:
        check_prefix(prefix)
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                         Prefix=self.prefix + prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                yield Entry(item["Key"][len(self.prefix):], int(item["Size"]), item["LastModified"])

    def check(self) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as error:
            raise StorageError(f"bucket {self.bucket} cannot be reached: {type(error).__name__}") from None

    def describe(self) -> str:
        return f"S3 bucket {self.bucket}" + (f" under {self.prefix}" if self.prefix else "")
