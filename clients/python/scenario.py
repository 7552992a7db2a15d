"""Runs tests/clients/scenario.json with the Python client (see tests/clients/README.md)."""

from __future__ import annotations

import asyncio
import json
import sys
from decimal import Decimal
from typing import Any

from dataaccess_client import AsyncClient, DataAccessError


def canonical(value: Any) -> str:
    def norm(v: Any) -> Any:
        if isinstance(v, Decimal):
            return int(v) if v == v.to_integral_value() and "." not in str(v) else float(v)
        if isinstance(v, dict):
            return {k: norm(x) for k, x in v.items()}
        if isinstance(v, list):
            return [norm(x) for x in v]
        return v
    return json.dumps(norm(value), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def subst(value: Any, a: str, b: str) -> Any:
    if isinstance(value, str):
        return value.replace(a, b)
    if isinstance(value, dict):
        return {subst(k, a, b): subst(v, a, b) for k, v in value.items()}
    if isinstance(value, list):
        return [subst(v, a, b) for v in value]
    return value


def conds(items: list[dict[str, Any]] | None) -> list[tuple[str, str, Any]]:
    return [(c["path"], c["op"], c["value"]) for c in items or []]


async def step(db: AsyncClient, entity: str, call: str, a: dict[str, Any]) -> Any:
    entity = a.get("entity", entity)
    if call == "get":
        d = await db.get(entity, a["key"])
        return {"version": d.version, "doc": d.data}
    if call == "put":
        d = await db.put(entity, a["key"], a["doc"], expected_version=a.get("expectedVersion", 0),
                         must_not_exist=a.get("mustNotExist", False))
        return {"version": d.version, "doc": d.data}
    if call == "update":
        d = await db.update(entity, a["key"], set=a.get("set"), unset=a.get("unset"), increment=a.get("increment"),
                            condition=conds(a.get("condition")), expected_version=a.get("expectedVersion", 0))
        return {"version": d.version, "doc": d.data}
    if call == "delete":
        return {"version": await db.delete(entity, a["key"], expected_version=a.get("expectedVersion", 0))}
    if call == "batchGet":
        docs, missing = await db.batch_get(entity, a["keys"])
        return {"keys": [d.key for d in docs], "missing": missing}
    if call in ("query", "search"):
        keys: list[str] = []
        token, pages = "", 0
        while True:
            if call == "query":
                order = [(o["path"], o.get("descending", False)) for o in a.get("order", [])]
                page = await db.query(entity, filter=conds(a.get("filter")), order=order, limit=a.get("limit", 0),
                                      page_token=token)
            else:
                page = await db.search(entity, a["text"], filter=conds(a.get("filter")), limit=a.get("limit", 0),
                                       page_token=token)
            pages += 1
            keys += [d.key for d in page.documents]
            token = page.next_page_token
            if not token:
                return {"keys": keys, "pages": pages}
    raise ValueError(f"unknown call {call}")


async def main(address: str, path: str, run: str) -> int:
    with open(path, encoding="utf-8") as f:
        scenario = json.load(f)
    ok_all = True
    async with AsyncClient(address) as db:
        for s in scenario["steps"]:
            try:
                result = await step(db, scenario["entity"], s["call"], subst(s["args"], "${RUN}", run))
            except DataAccessError as e:
                result = {"error": e.code.name}
            result = subst(result, run, "${RUN}")
            ok = canonical(result) == canonical(s["expect"])
            ok_all &= ok
            print(json.dumps({"step": s["name"], "ok": ok, "result": json.loads(canonical(result))},
                             sort_keys=True, ensure_ascii=False, separators=(",", ":")))
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main(*sys.argv[1:4])))
