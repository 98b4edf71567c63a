-- The hub's first schema: terminals, events, feeds, the loyalty ledger and pickup orders.

-- Database-wide values: the epoch naming this database in feed cursors.
CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

-- Terminals with the SHA-256 of their token and their event sequence state (what a bbolt hub keeps in
-- terminal_state). A batch locks its terminal's row, so one terminal's batches reaching two instances at
-- once are serialised.
CREATE TABLE terminals (
    store        text        NOT NULL,
    name         text        NOT NULL,
    created      timestamptz NOT NULL,
    token_sha256 bytea       NOT NULL UNIQUE,
    last_seq     bigint      NOT NULL DEFAULT 0,
    gaps         bigint      NOT NULL DEFAULT 0,
    events       bigint      NOT NULL DEFAULT 0,
    rejected     bigint      NOT NULL DEFAULT 0,
    last_seen    timestamptz,
    last_gap     json,
    PRIMARY KEY (store, name)
);

-- Every stored event, whatever its type: the payload is kept byte for byte as the terminal sent it (bytea:
-- a json column would refuse a string that is not UTF-8, which the bbolt hub stores), so a new event type
-- needs no schema change; query it with convert_from(payload, 'UTF8')::json. The primary key on id is the idempotency key. ts is the event's time (at, or
-- its arrival) that reports select on; n is the arrival order `kassahub sales` lists in.
CREATE TABLE events (
    id       text        PRIMARY KEY,
    n        bigint      GENERATED ALWAYS AS IDENTITY,
    store    text        NOT NULL,
    terminal text        NOT NULL,
    type     text        NOT NULL,
    seq      bigint      NOT NULL,
    at       timestamptz,
    received timestamptz NOT NULL,
    ts       timestamptz NOT NULL,
    payload  bytea       NOT NULL
);
CREATE INDEX events_timeline ON events (store, ts);
CREATE INDEX events_sales ON events (store, n) WHERE type IN ('sale', 'refund');

-- Refused events: not stored, but remembered, so that the fixed event sent again is not taken for a
-- terminal whose sequence went back.
CREATE TABLE rejected (
    id       text        PRIMARY KEY,
    store    text        NOT NULL,
    terminal text        NOT NULL,
    seq      bigint      NOT NULL,
    reason   text        NOT NULL,
    received timestamptz NOT NULL
);

-- A feed scope (one feed of one store; customers are chain-wide, store '') and its last sequence. A change
-- takes the next sequence with the scope's row locked until its transaction commits, so sequence order is
-- commit order and a reader past cursor N never misses a change committed later with a smaller number.
CREATE TABLE feed_scopes (
    feed  text   NOT NULL,
    store text   NOT NULL,
    seq   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (feed, store)
);

-- The latest state of every item of a scope at its sequence; deleted items stay as tombstones.
CREATE TABLE feed_items (
    feed    text    NOT NULL,
    store   text    NOT NULL,
    id      text    NOT NULL,
    seq     bigint  NOT NULL,
    deleted boolean NOT NULL,
    data    json,
    PRIMARY KEY (feed, store, id)
);
CREATE UNIQUE INDEX feed_items_log ON feed_items (feed, store, seq);

-- A store's products by barcode.
CREATE TABLE barcodes (
    store   text NOT NULL,
    barcode text NOT NULL,
    product text NOT NULL,
    PRIMARY KEY (store, barcode)
);

-- A customer's balance: the last import's (base) plus the loyalty events since (delta).
CREATE TABLE customers (
    id    text   PRIMARY KEY,
    base  bigint NOT NULL,
    delta bigint NOT NULL DEFAULT 0
);

-- Every movement of a customer's points.
CREATE TABLE ledger (
    n         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer  text        NOT NULL,
    kind      text        NOT NULL,
    points    bigint      NOT NULL,
    balance   bigint      NOT NULL,
    event_id  text        NOT NULL DEFAULT '',
    sale      text        NOT NULL DEFAULT '',
    store     text        NOT NULL DEFAULT '',
    terminal  text        NOT NULL DEFAULT '',
    at        timestamptz NOT NULL,
    overdraft boolean     NOT NULL DEFAULT false
);
CREATE INDEX ledger_customer ON ledger (customer, n);

-- What the hub keeps of a pickup order beside its feed item: its store and number, the keyed hash of the
-- customer's phone, the first hand-over and the conflicting ones.
CREATE TABLE pickups (
    id         text PRIMARY KEY,
    store      text NOT NULL,
    number     text NOT NULL,
    phone_hash text NOT NULL DEFAULT '',
    handover   json,
    conflicts  json NOT NULL DEFAULT '[]'
);
