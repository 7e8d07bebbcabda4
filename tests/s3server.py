"""An S3-compatible server for tests: `moto_server` on 127.0.0.1, started by the test and stopped after."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from servers import stop_group

from warehouse.standing import free_port

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}


@contextmanager
def moto_s3(log: Path) -> Iterator[str]:
    """Yield the endpoint URL of a fresh moto server (in-memory: it forgets everything when stopped)."""
    port = free_port()
    server = Path(sys.executable).with_name("moto_server")
    with open(log, "ab") as out:
        proc = subprocess.Popen([str(server), "-H", "127.0.0.1", "-p", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"moto server did not start; see {log}") from None
                time.sleep(0.2)
        yield url
    finally:
        stop_group(proc)


def make_bucket(endpoint: str, bucket: str) -> None:
    import boto3

    boto3.client("s3", endpoint_url=endpoint, **{k.lower(): v for k, v in CREDENTIALS.items()
                                                 if k != "AWS_REGION"}, region_name="us-east-1"
                 ).create_bucket(Bucket=bucket)


@contextmanager
def s3_environment(log: Path, bucket: str = "ogi") -> Iterator[str]:
    """A moto server with `bucket`, and the AWS variables pointing at it for the duration (then restored)."""
    saved = {k: os.environ.get(k) for k in [*CREDENTIALS, "AWS_ENDPOINT_URL"]}
    os.environ.update(CREDENTIALS)
    try:
        with moto_s3(log) as url:
            os.environ["AWS_ENDPOINT_URL"] = url
            make_bucket(url, bucket)
            yield url
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
