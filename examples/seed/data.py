"""Demo data for the seed's seven services: deterministic (one seed gives the same rows every time),
loaded straight into PostgreSQL with SQL — the state the services are in before any migration.

    python -m examples.seed.data --dsn postgresql://… [--products 400] [--seed 7] [--no-schema]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import asyncpg

from examples.seed.config import SCHEMA

Row = dict[str, Any]
T0 = dt.datetime(2025, 1, 6, 9, 0, tzinfo=dt.UTC)
BRANDS = ("Nova", "Apex", "Zenith", "Orbit", "Lumen", "Vertex", "Kestrel", "Tidal")
COLOURS = ("black", "silver", "blue", "green", "white", "graphite")
FIRST = ("Ada", "Bo", "Chen", "Dana", "Emil", "Fatima", "Goran", "Hana", "Ivo", "Jun", "Kemal", "Lea", "Mina")
LAST = ("Novak", "Smith", "Garcia", "Kowalski", "Okafor", "Tanaka", "Müller", "Rossi", "Dubois", "Silva")
COUNTRIES = ("DE", "FR", "GB", "PL", "ES", "IT", "NL", "SE")
WAREHOUSES = ("eu-central", "eu-west", "us-east")
NOTIFICATION_TYPES = ("order_confirmation", "shipping_update", "password_reset", "price_drop")
CAMERAS = ("12MP", "48MP", "50MP", "108MP")


@dataclass(frozen=True)
class Scale:
    products: int
    users: int
    orders: int
    notifications: int

    @classmethod
    def of(cls, products: int) -> Scale:
        return cls(products=products, users=max(10, products // 2), orders=products, notifications=products)


@dataclass
class Dataset:
    """Rows per table, in insert order (foreign keys point backwards)."""

    tables: dict[str, list[Row]] = field(default_factory=dict)

    def keys(self, table: str, column: str = "id") -> list[str]:
        return [str(r[column]) for r in self.tables[table]]

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def _at(rng: random.Random, days: int = 300) -> dt.datetime:
    return T0 + dt.timedelta(seconds=rng.randrange(days * 86400))


def specifications(rng: random.Random, category: str) -> dict[str, Any]:
    """What each product type carries — a different shape per category (the seed's pain point)."""
    if category == "phone":
        return {"camera": {"main": rng.choice(CAMERAS), "front": rng.choice(("8MP", "12MP", "32MP"))},
                "battery": {"capacity_mah": rng.choice((3800, 4500, 5000))},
                "display": {"size_in": rng.choice((6.1, 6.4, 6.7)), "panel": rng.choice(("OLED", "LCD"))},
                "has_5g": rng.random() < 0.7}
    if category == "laptop":
        return {"cpu": rng.choice(("8-core", "10-core", "12-core")), "ram_gb": rng.choice((8, 16, 32)),
                "storage": {"type": "SSD", "size_gb": rng.choice((256, 512, 1024))},
                "display": {"size_in": rng.choice((13.3, 14.0, 15.6)), "panel": rng.choice(("OLED", "IPS"))}}
    if category == "camera":
        return {"camera": {"main": rng.choice(("24MP", "48MP", "61MP")), "sensor": rng.choice(("full-frame", "APS-C"))},
                "video": rng.choice(("4K60", "8K30"))}
    if category == "headphones":
        return {"wireless": True, "anc": rng.random() < 0.6, "battery": {"hours": rng.choice((20, 30, 40))}}
    return {"gps": rng.random() < 0.8, "battery": {"hours": rng.choice((36, 48, 72))}, "water_resistance": "5ATM"}


def describe(name: str, category: str, spec: dict[str, Any]) -> str:
    """Searchable prose for a product, as the search service would index it."""
    parts = [f"The {name} is a {category}"]
    if "camera" in spec:
        parts.append(f"with a {spec['camera']['main']} main camera")
    if "display" in spec:
        parts.append(f"and a {spec['display']['size_in']} inch {spec['display']['panel']} display")
    if spec.get("anc"):
        parts.append("with active noise cancelling")
    if "battery" in spec:
        b = spec["battery"]
        parts.append(f"battery {b['capacity_mah']} mAh" if "capacity_mah" in b else f"battery life {b['hours']} hours")
    if spec.get("wireless"):
        parts.append("wireless bluetooth")
    if spec.get("gps"):
        parts.append("built-in GPS for running and cycling")
    return ", ".join(parts) + "."


def card_number(rng: random.Random) -> str:
    """A Luhn-valid 16-digit number in a test range (never a real card)."""
    digits = [4, 0, 0, 0] + [rng.randrange(10) for _ in range(11)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def product(rng: random.Random, key: str) -> Row:
    category = rng.choice(("phone", "phone", "laptop", "camera", "headphones", "watch"))
    brand = rng.choice(BRANDS)
    name = f"{brand} {rng.choice('ASXZ')}{rng.randrange(1, 20)} {category}"
    spec = specifications(rng, category)
    price = Decimal(rng.randrange(1900, 250000)) / 100
    return {"id": key, "name": name, "category": category, "price": price, "specifications": spec,
            "attributes": {"brand": brand, "colour": rng.choice(COLOURS)}, "created_at": _at(rng)}


def notification(rng: random.Random, users: list[Row], created: dt.datetime) -> Row:
    user = rng.choice(users)
    kind = rng.choice(NOTIFICATION_TYPES)
    log = [{"at": created.isoformat(), "status": "queued"}]
    if rng.random() < 0.8:
        log.append({"at": (created + dt.timedelta(seconds=2)).isoformat(), "status": "sent",
                    "provider": rng.choice(("ses", "twilio", "fcm"))})
    return {"id": uuid.UUID(int=rng.getrandbits(128), version=4), "type": kind,
            "recipient_data": {"user_id": user["id"], "email": user["email"],
                               "channel": rng.choice(("email", "sms", "push"))},
            "template_data": {"name": kind, "locale": rng.choice(("en-GB", "de-DE", "fr-FR")),
                              "vars": {"first_name": user["name"].split()[0], "ref": f"R{rng.randrange(10**6):06d}"}},
            "delivery_log": log, "created_at": created}


def generate(scale: Scale, seed: int = 7) -> Dataset:
    rng = random.Random(seed)
    users: list[Row] = []
    for i in range(1, scale.users + 1):
        first = rng.choice(FIRST)
        users.append({"id": f"u-{i:05d}", "email": f"u-{i:05d}.{first.lower()}@example.com",
                      "name": f"{first} {rng.choice(LAST)}", "country": rng.choice(COUNTRIES), "created_at": _at(rng)})
    products = [product(rng, f"p-{i:05d}") for i in range(1, scale.products + 1)]
    orders, payments = [], []
    for i in range(1, scale.orders + 1):
        picked = rng.sample(products, k=min(len(products), rng.randint(1, 3)))
        items = [{"product_id": p["id"], "quantity": rng.randint(1, 2), "price": str(p["price"])} for p in picked]
        total = sum((Decimal(it["price"]) * it["quantity"] for it in items), Decimal("0.00"))
        user, at = rng.choice(users), _at(rng)
        status = rng.choice(("paid", "shipped", "delivered"))
        orders.append({"id": f"o-{i:06d}", "user_id": user["id"], "status": status, "total": total, "items": items,
                       "created_at": at})
        payments.append({"id": f"pay-{i:06d}", "order_id": f"o-{i:06d}", "amount": total, "currency": "EUR",
                         "status": "captured", "card_number": card_number(rng), "card_holder": user["name"],
                         "card_expiry": f"{rng.randint(1, 12):02d}/{rng.randint(27, 31)}", "created_at": at})
    inventory = [{"product_id": p["id"], "quantity": rng.choice((0, 1, 2, 5)) if rng.random() < 0.15
                  else rng.randint(10, 200), "warehouse": rng.choice(WAREHOUSES), "updated_at": _at(rng)}
                 for p in products]
    notifications = [notification(rng, users, _at(rng)) for _ in range(scale.notifications)]
    docs = [{"id": f"s-{p['id']}", "kind": "product", "title": p["name"],
             "body": describe(p["name"], p["category"], p["specifications"]),
             "tags": [p["category"], p["attributes"]["brand"].lower()], "updated_at": p["created_at"]}
            for p in products]
    return Dataset({"users": users, "products": products, "orders": orders, "payments": payments,
                    "inventory": inventory, "notifications": notifications, "search_documents": docs})


def _sql_value(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, (dict, list)) else value


async def load(dsn: str, data: Dataset, *, schema: bool = True) -> None:
    """Create the seed's tables (``schema``) and insert every row with plain SQL, one transaction."""
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            if schema:
                await conn.execute(SCHEMA.read_text())
            for table, rows in data.tables.items():
                if not rows:
                    continue
                cols = list(rows[0])
                sql = (f"INSERT INTO {table} ({', '.join(cols)}) "
                       f"VALUES ({', '.join(f'${i}' for i in range(1, len(cols) + 1))})")
                await conn.executemany(sql, [[_sql_value(r[c]) for c in cols] for r in rows])
    finally:
        await conn.close()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m examples.seed.data", description="Load the seed's demo data.")
    p.add_argument("--dsn", required=True, help="PostgreSQL DSN of an empty database")
    p.add_argument("--products", type=int, default=400)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-schema", action="store_true", help="the tables exist already")
    args = p.parse_args(argv)
    data = generate(Scale.of(args.products), args.seed)
    asyncio.run(load(args.dsn, data, schema=not args.no_schema))
    print(f"loaded {data.count()} rows: " + ", ".join(f"{t} {len(r)}" for t, r in data.tables.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
