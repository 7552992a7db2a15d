-- The seed's seven services as they run today: everything in one PostgreSQL database, one table per
-- entity, written by the services' own SQL. Plain PostgreSQL 15; the proxy maps each table in
-- columns mode (rules.yaml) and never alters it. The one thing it needs — a version column — is what
-- `dataaccess prepare ENTITY --config rules.yaml` prints; it is already part of each table below.

-- userservice: stays on PostgreSQL (ACID, relationships).
CREATE TABLE users (
    id                 text PRIMARY KEY,
    email              text NOT NULL UNIQUE,
    name               text NOT NULL,
    country            char(2) NOT NULL,
    last_login_at      timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    dataaccess_version bigint NOT NULL DEFAULT 1
);

-- productservice → MongoDB: specifications change shape with every product type
-- ("ALTER TABLE products ADD COLUMN battery_capacity …" every sprint), so they already live in JSON,
-- where queries such as specifications.camera.main = '48MP' are awkward.
CREATE TABLE products (
    id                 text PRIMARY KEY,
    name               text NOT NULL,
    category           text NOT NULL,
    price              numeric(12, 2) NOT NULL,
    specifications     jsonb NOT NULL DEFAULT '{}',
    attributes         jsonb,                     -- anything else the service stores (rules.yaml: extra)
    created_at         timestamptz NOT NULL DEFAULT now(),
    dataaccess_version bigint NOT NULL DEFAULT 1
);
CREATE INDEX products_category ON products (category);

-- orderservice: stays on PostgreSQL (transactions, financial integrity).
CREATE TABLE orders (
    id                 text PRIMARY KEY,
    user_id            text NOT NULL REFERENCES users (id),
    status             text NOT NULL,
    total              numeric(12, 2) NOT NULL,
    items              jsonb NOT NULL,            -- [{product_id, quantity, price}]
    created_at         timestamptz NOT NULL DEFAULT now(),
    dataaccess_version bigint NOT NULL DEFAULT 1
);

-- paymentservice: stays on PostgreSQL (compliance, audit). Card data is compared but never shown
-- (rules.yaml: compare.redact).
CREATE TABLE payments (
    id                 text PRIMARY KEY,
    order_id           text NOT NULL REFERENCES orders (id),
    amount             numeric(12, 2) NOT NULL,
    currency           char(3) NOT NULL,
    status             text NOT NULL,
    card_number        text NOT NULL,
    card_holder        text NOT NULL,
    card_expiry        text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    dataaccess_version bigint NOT NULL DEFAULT 1
);

-- inventoryservice → DynamoDB: "SELECT … FOR UPDATE; UPDATE … SET quantity = quantity - 1" under
-- thousands of concurrent buyers is lock contention; DynamoDB does it as one conditional update.
CREATE TABLE inventory (
    product_id         text PRIMARY KEY,
    quantity           integer NOT NULL CHECK (quantity >= 0),
    warehouse          text NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    dataaccess_version bigint NOT NULL DEFAULT 1
);

-- notificationservice → MongoDB: the seed's own table, flexible JSON nobody can query.
CREATE TABLE notifications (
    id                 uuid PRIMARY KEY,
    type               varchar(50) NOT NULL,
    recipient_data     json NOT NULL,             -- {user_id, email, channel}
    template_data      json NOT NULL,             -- {name, locale, vars}
    delivery_log       json NOT NULL DEFAULT '[]', -- [{at, status, provider}]
    created_at         timestamptz NOT NULL DEFAULT now(),
    dataaccess_version bigint NOT NULL DEFAULT 1
);

-- searchservice → OpenSearch: documents indexed for full-text search (PostgreSQL's tsvector today).
CREATE TABLE search_documents (
    id                 text PRIMARY KEY,
    kind               text NOT NULL,
    title              text NOT NULL,
    body               text NOT NULL,
    tags               jsonb NOT NULL DEFAULT '[]',
    updated_at         timestamptz NOT NULL DEFAULT now(),
    dataaccess_version bigint NOT NULL DEFAULT 1
);
