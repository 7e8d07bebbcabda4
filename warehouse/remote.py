"""`ogi refresh --remote URL`: trigger `ogi_refresh` on a running Airflow deployment and follow it through the
public REST API (`/api/v2`), instead of running the DAG in this process.

Authentication follows Airflow 3's simple auth manager (the default): a JWT from `POST /auth/token` with
`OGI_AIRFLOW_USER` / `OGI_AIRFLOW_PASSWORD`, or `GET /auth/token` when the deployment sets
`simple_auth_manager_all_admins`. A deployment behind another auth manager hands out its own token: pass it
as `OGI_AIRFLOW_TOKEN`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

DAG_ID = "ogi_refresh"
FINISHED = {"success", "failed"}


class RemoteError(RuntimeError):
    """The deployment refused or could not be reached; one line."""


@dataclass(frozen=True)
class RemoteRun:
    run_id: str
    state: str
    failed_tasks: list[str]

    @property
    def succeeded(self) -> bool:
        return self.state == "success"


@dataclass
class Client:
    url: str
    user: str | None = None
    password: str | None = None
    token: str | None = None
    timeout: float = 30

    @classmethod
    def from_env(cls, url: str) -> Client:
        return cls(url.rstrip("/"), os.environ.get("OGI_AIRFLOW_USER"), os.environ.get("OGI_AIRFLOW_PASSWORD"),
                   os.environ.get("OGI_AIRFLOW_TOKEN"))

    def _token(self) -> str:
        if self.token:
            return self.token
        try:
            if self.user:
                reply = httpx.post(f"{self.url}/auth/token", json={"username": self.user, "password": self.password},
                                   timeout=self.timeout)
            else:
                reply = httpx.get(f"{self.url}/auth/token", timeout=self.timeout)
        except httpx.HTTPError as exc:
            raise RemoteError(f"cannot reach Airflow at {self.url}: {exc}") from exc
        if reply.status_code >= 400:
            raise RemoteError(f"Airflow at {self.url} refused a token ({reply.status_code}): set OGI_AIRFLOW_USER "
                              "and OGI_AIRFLOW_PASSWORD, or OGI_AIRFLOW_TOKEN")
        self.token = reply.json()["access_token"]
        return self.token

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {self._token()}"}
        try:
            reply = httpx.request(method, f"{self.url}/api/v2{path}", headers=headers, timeout=self.timeout, **kwargs)
        except httpx.HTTPError as exc:
            raise RemoteError(f"cannot reach Airflow at {self.url}: {exc}") from exc
        if reply.status_code == 401 and self.user:  # the token expired during a long run: a new one
            self.token = None
            return self.call(method, path, **kwargs)
        if reply.status_code >= 400:
            raise RemoteError(f"{method} {path}: {reply.status_code} {reply.text[:300]}")
        return reply.json() if reply.content else None

    # --- the DAG ----------------------------------------------------------------------------------------

    def wait_for_dag(self, timeout: float = 120) -> None:
        """Until the dag-processor has parsed the DAG file (a fresh deployment needs a few seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.call("GET", f"/dags/{DAG_ID}")
                return
            except RemoteError:
                if time.monotonic() > deadline:
                    raise
            time.sleep(2)

    def trigger(self, conf: dict[str, Any]) -> str:
        # A paused DAG queues a triggered run and never starts it: unpause first. (Unpausing does not start
        # a scheduled run at once: the DAG's timetable waits for the next cron time.)
        self.call("PATCH", f"/dags/{DAG_ID}", json={"is_paused": False})
        run = self.call("POST", f"/dags/{DAG_ID}/dagRuns", json={"logical_date": None, "conf": conf})
        return run["dag_run_id"]

    def state(self, run_id: str) -> str:
        return self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}")["state"]

    def task_states(self, run_id: str) -> list[dict[str, Any]]:
        reply = self.call("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances", params={"limit": 1000})
        return reply["task_instances"]

    def follow(self, run_id: str, *, poll: float = 2, timeout: float = 6 * 3600,
               on_task: Callable[[dict[str, Any]], None] | None = None) -> RemoteRun:
        """Poll until the run ends; call `on_task` once per task instance that finished."""
        seen: set[tuple[str, int, int]] = set()
        deadline = time.monotonic() + timeout
        while True:
            state = self.state(run_id)
            tasks = self.task_states(run_id)
            for ti in tasks:
                key = (ti["task_id"], ti.get("map_index", -1), ti.get("try_number", 0))
                if ti.get("state") in {"success", "failed", "skipped", "upstream_failed"} and key not in seen:
                    seen.add(key)
                    if on_task:
                        on_task(ti)
            if state in FINISHED:
                failed = sorted({t["task_id"] for t in tasks if t.get("state") in {"failed", "upstream_failed"}})
                return RemoteRun(run_id, state, failed)
            if time.monotonic() > deadline:
                raise RemoteError(f"run {run_id} still {state} after {timeout:.0f} s")
            time.sleep(poll)


def print_task(ti: dict[str, Any]) -> None:
    index = ti.get("map_index", -1)
    name = ti["task_id"] + (f"[{index}]" if index is not None and index >= 0 else "")
    took = ti.get("duration")
    print(f"{name}: {ti['state']}" + (f" ({took:.1f} s)" if took else ""), flush=True)


def run_remote(url: str, conf: dict[str, Any]) -> RemoteRun:
    client = Client.from_env(url)
    client.wait_for_dag()
    run_id = client.trigger(conf)
    print(f"triggered {DAG_ID} run {run_id} on {url}", flush=True)
    return client.follow(run_id, on_task=print_task)
