"""Traffic as the seed's seven services make it, through the Python client — one client per service,
each naming itself as the caller (the rules' allow-lists check it).

Reads, writes, product queries on nested specifications (``specifications.camera.main = 48MP``),
full-text searches, notification delivery logs, and inventory decrements "quantity - 1 if quantity
>= 1" with a flash sale on a few low-stock products so that some buyers find them sold out. Every
call's outcome is counted; the only failures that are *expected* are FAILED_PRECONDITION on a
sold-out product and NOT_FOUND on a notification another worker deleted meanwhile.

    python -m examples.seed.traffic --address 127.0.0.1:50051 --duration 30 --rate 40 [--products 400]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from types import TracebackType
from typing import Self

from dataaccess_client import AsyncClient, DataAccessError, NotFoundError, PreconditionFailedError

from examples.seed.config import SERVICES
from examples.seed.data import CAMERAS, WAREHOUSES, Dataset, Scale, describe, generate, product, specifications

SEARCHES = ("camera", "oled display", "wireless noise cancelling", "battery", "gps running", "laptop ssd",
            "nova phone", "zenith", "48MP main camera", "bluetooth headphones")


@dataclass
class Tally:
    """Outcomes by operation: ``ok``, ``expected`` refusals, and ``errors`` (which must stay 0)."""

    ok: Counter[str] = field(default_factory=Counter)
    expected: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    stopped: float = 0.0

    @property
    def calls(self) -> int:
        return sum(self.ok.values()) + sum(self.expected.values()) + sum(self.errors.values())

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def error(self, op: str, e: BaseException) -> None:
        kind = f"{op} {e.code.name if isinstance(e, DataAccessError) else type(e).__name__}"
        self.errors[kind] += 1
        self.examples.setdefault(kind, str(e)[:300])

    def summary(self) -> str:
        seconds = (self.stopped or time.monotonic()) - self.started
        expected = ", ".join(f"{k} {v}" for k, v in sorted(self.expected.items())) or "none"
        lines = [f"{self.calls} calls in {seconds:.0f}s ({self.calls / max(seconds, 1e-9):.0f}/s): "
                 f"{sum(self.ok.values())} ok, expected refusals: {expected}, errors: {self.error_count}"]
        lines += [f"  error {k}: {v} (e.g. {self.examples[k]})" for k, v in sorted(self.errors.items())]
        return "\n".join(lines)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")


class Traffic:
    """The seven services' calls at ``rate`` per second, at most ``concurrency`` in flight."""

    def __init__(self, address: str, data: Dataset, *, rate: float = 40, concurrency: int = 16, seed: int = 1,
                 timeout: float = 15.0) -> None:
        self.address, self.rate, self.concurrency, self.timeout = address, rate, concurrency, timeout
        self.rng = random.Random(seed)
        self.tally = Tally()
        self.products = data.keys("products")
        self.users = data.keys("users")
        self.orders = data.keys("orders")
        self.payments = data.keys("payments")
        self.notifications = data.keys("notifications")
        self.deleted: set[str] = set()
        self.prices: dict[str, Decimal] = {r["id"]: r["price"] for r in data.tables["products"]}
        low = [r["product_id"] for r in data.tables["inventory"] if r["quantity"] <= 5]
        self.flash_sale = (low or self.products)[:5]
        self.db: dict[str, AsyncClient] = {}
        self._stack = AsyncExitStack()
        self._serial = 0
        self.ops: dict[str, tuple[int, Callable[[], Awaitable[str | None]]]] = {
            "product.get": (18, self.product_get),
            "product.by_camera": (4, self.product_by_camera),
            "product.by_category": (3, self.product_by_category),
            "product.reprice": (3, self.product_reprice),
            "product.create": (1, self.product_create),
            "inventory.get": (6, self.inventory_get),
            "inventory.buy": (12, self.inventory_buy),
            "inventory.restock": (2, self.inventory_restock),
            "inventory.by_warehouse": (1, self.inventory_by_warehouse),
            "search.search": (8, self.search),
            "search.get": (3, self.search_get),
            "search.index": (3, self.search_index),
            "notification.send": (4, self.notification_send),
            "notification.get": (5, self.notification_get),
            "notification.deliver": (3, self.notification_deliver),
            "notification.expire": (1, self.notification_expire),
            "user.get": (5, self.user_get),
            "user.login": (2, self.user_login),
            "order.get": (4, self.order_get),
            "order.place": (2, self.order_place),
            "payment.get": (2, self.payment_get),
        }
        """name → (weight, call); a call returns why it was refused as expected, or None."""

    async def __aenter__(self) -> Self:
        for entity, service in SERVICES.items():
            self.db[entity] = await self._stack.enter_async_context(
                AsyncClient(self.address, timeout=self.timeout, caller=service))
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self._stack.aclose()

    async def run(self, stop: asyncio.Event | None = None, duration: float | None = None) -> Tally:
        """Issue calls until ``stop`` is set or ``duration`` seconds passed; calls in flight finish."""
        stop = stop or asyncio.Event()
        end = time.monotonic() + duration if duration is not None else float("inf")
        names = list(self.ops)
        weights = [self.ops[n][0] for n in names]
        slots = asyncio.Semaphore(self.concurrency)
        due = time.monotonic()
        async with asyncio.TaskGroup() as tasks:
            while not stop.is_set() and time.monotonic() < end:
                await slots.acquire()
                tasks.create_task(self._one(self.rng.choices(names, weights)[0], slots))
                due += 1 / self.rate
                try:
                    await asyncio.wait_for(stop.wait(), max(0.0, due - time.monotonic()))
                except TimeoutError:
                    pass
        self.tally.stopped = time.monotonic()
        return self.tally

    async def _one(self, op: str, slots: asyncio.Semaphore) -> None:
        try:
            refusal = await self.ops[op][1]()
            if refusal:
                self.tally.expected[f"{op} {refusal}"] += 1
            else:
                self.tally.ok[op] += 1
        except Exception as e:  # counted and shown, never hidden
            self.tally.error(op, e)
        finally:
            slots.release()

    def _new_key(self, prefix: str) -> str:
        self._serial += 1
        return f"{prefix}-t{self._serial:06d}-{self.rng.randrange(16**4):04x}"

    # -- productservice ----------------------------------------------------------------------------
    async def product_get(self) -> None:
        await self.db["product"].get("product", self.rng.choice(self.products))

    async def product_by_camera(self) -> None:
        camera = self.rng.choice(CAMERAS)
        await self.db["product"].query("product", filter=[("specifications.camera.main", "eq", camera)], limit=20)

    async def product_by_category(self) -> None:
        await self.db["product"].query(
            "product", filter=[("category", "eq", "phone"), ("specifications.has_5g", "eq", True)], order=["name"],
            limit=10)

    async def product_reprice(self) -> None:
        key = self.rng.choice(self.products)
        await self.db["product"].update("product", key, increment={"price": "0.50"},
                                        set={"repriced_at": now()})

    async def product_create(self) -> None:
        key = self._new_key("p")
        row = product(self.rng, key)
        body = {k: v for k, v in row.items() if k not in ("id", "attributes", "created_at")}
        body.update(row["attributes"], created_at=now())
        await self.db["product"].put("product", key, body, must_not_exist=True)
        await self.db["inventory"].put("inventory", key, {"quantity": 20, "warehouse": self.rng.choice(WAREHOUSES),
                                                          "updated_at": now()})
        await self.db["search_document"].put("search_document", f"s-{key}", {
            "kind": "product", "title": row["name"], "body": f"New: the {row['name']}.", "tags": [row["category"]],
            "updated_at": now()})
        self.prices[key] = row["price"]
        self.products.append(key)

    # -- inventoryservice ------------------------------------------------------------------------
    async def inventory_get(self) -> None:
        await self.db["inventory"].get("inventory", self.rng.choice(self.products))

    async def inventory_buy(self) -> str | None:
        key = self.rng.choice(self.flash_sale if self.rng.random() < 0.4 else self.products)
        try:
            await self.db["inventory"].update("inventory", key, increment={"quantity": -1}, set={"updated_at": now()},
                                              condition=[("quantity", "gte", 1)])
        except PreconditionFailedError:
            return "sold out (FAILED_PRECONDITION)"
        return None

    async def inventory_restock(self) -> None:
        key = self.rng.choice(self.products)
        await self.db["inventory"].update("inventory", key, increment={"quantity": 10}, set={"updated_at": now()})

    async def inventory_by_warehouse(self) -> None:
        await self.db["inventory"].query("inventory", filter=[("warehouse", "eq", self.rng.choice(WAREHOUSES)),
                                                              ("quantity", "lt", 5)], limit=20)

    # -- searchservice ---------------------------------------------------------------------------
    async def search(self) -> None:
        await self.db["search_document"].search("search_document", self.rng.choice(SEARCHES), limit=10)

    async def search_get(self) -> None:
        await self.db["search_document"].get("search_document", f"s-{self.rng.choice(self.products)}")

    async def search_index(self) -> None:
        key = self.rng.choice(self.products)
        category = self.rng.choice(("phone", "camera", "headphones"))
        body = describe(f"refurbished {key}", category, specifications(self.rng, category))
        await self.db["search_document"].update("search_document", f"s-{key}", set={"body": body, "updated_at": now()})

    # -- notificationservice ---------------------------------------------------------------------
    async def notification_send(self) -> None:
        key = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        user = self.rng.choice(self.users)
        await self.db["notification"].put("notification", key, {
            "type": "price_drop", "recipient": {"user_id": user, "channel": self.rng.choice(("email", "push"))},
            "template": {"name": "price_drop", "locale": "en-GB", "vars": {"product": self.rng.choice(self.products)}},
            "delivery_log": [{"at": now(), "status": "queued"}], "created_at": now()}, must_not_exist=True)
        self.notifications.append(key)

    async def notification_get(self) -> str | None:
        key = self.rng.choice(self.notifications)
        try:
            await self.db["notification"].get("notification", key)
        except NotFoundError:
            if key in self.deleted:
                return "deleted meanwhile (NOT_FOUND)"
            raise
        return None

    async def notification_deliver(self) -> str | None:
        key = self.rng.choice(self.notifications)
        try:
            doc = await self.db["notification"].get("notification", key)
            log = [*doc.data.get("delivery_log", []), {"at": now(), "status": "delivered", "provider": "ses"}]
            await self.db["notification"].update("notification", key, set={"delivery_log": log[-10:]})
        except NotFoundError:
            if key in self.deleted:
                return "deleted meanwhile (NOT_FOUND)"
            raise
        return None

    async def notification_expire(self) -> None:
        if len(self.notifications) < 10:
            return
        key = self.notifications.pop(self.rng.randrange(len(self.notifications)))
        self.deleted.add(key)
        await self.db["notification"].delete("notification", key)

    # -- userservice, orderservice, paymentservice (they stay on PostgreSQL) ---------------------
    async def user_get(self) -> None:
        await self.db["user"].get("user", self.rng.choice(self.users))

    async def user_login(self) -> None:
        await self.db["user"].update("user", self.rng.choice(self.users), set={"last_login_at": now()})

    async def order_get(self) -> None:
        await self.db["order"].get("order", self.rng.choice(self.orders))

    async def order_place(self) -> None:
        key = self._new_key("o")
        picked = self.rng.sample(self.products, 2)
        items = [{"product_id": p, "quantity": 1, "price": str(self.prices[p])} for p in picked]
        total = sum((self.prices[p] for p in picked), Decimal("0.00"))
        await self.db["order"].put("order", key, {"user_id": self.rng.choice(self.users), "status": "placed",
                                                  "total": str(total), "items": items, "created_at": now()},
                                   must_not_exist=True)
        self.orders.append(key)

    async def payment_get(self) -> None:
        await self.db["payment"].get("payment", self.rng.choice(self.payments))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m examples.seed.traffic", description="The seed's services' traffic.")
    p.add_argument("--address", required=True, help="the proxy, host:port")
    p.add_argument("--duration", type=float, default=30, help="seconds")
    p.add_argument("--rate", type=float, default=40, help="calls per second")
    p.add_argument("--products", type=int, default=400, help="as loaded by examples.seed.data")
    p.add_argument("--seed", type=int, default=7, help="as loaded by examples.seed.data")
    args = p.parse_args(argv)

    async def go() -> Tally:
        async with Traffic(args.address, generate(Scale.of(args.products), args.seed), rate=args.rate) as traffic:
            return await traffic.run(duration=args.duration)

    tally = asyncio.run(go())
    print(tally.summary())
    return 1 if tally.error_count else 0


if __name__ == "__main__":
    raise SystemExit(main())

