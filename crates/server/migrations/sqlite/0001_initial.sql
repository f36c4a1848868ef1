-- The orders desk schema. Times are RFC 3339 UTC text, money is integer
-- kopecks, dates are YYYY-MM-DD in the site's time zone.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    name          TEXT NOT NULL,
    phone         TEXT,
    email         TEXT,
    -- The company a requester pays as («ООО Ромашка»); NULL for a person.
    company       TEXT
);

-- Bearer tokens are stored as SHA-256 hashes so a copy of the database
-- cannot be used to sign in.
CREATE TABLE tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE TABLE services (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    kind               TEXT NOT NULL,
    -- «Время автозакрытия заказа».
    auto_close_minutes INTEGER NOT NULL
);

-- «Ответственные за обработку» of each service.
CREATE TABLE service_responsible (
    service_id INTEGER NOT NULL REFERENCES services(id),
    user_id    INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (service_id, user_id)
);

-- Bookable objects. unit_price is per slot (meeting room), per day
-- (coworking desk) or per night (hotel room); capacity is desks or rooms.
CREATE TABLE resources (
    id         INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services(id),
    name       TEXT NOT NULL,
    tariff     TEXT,
    unit_price INTEGER NOT NULL,
    capacity   INTEGER NOT NULL
);

-- Shop goods and hotel extras.
CREATE TABLE products (
    id         INTEGER PRIMARY KEY,
    service_id INTEGER NOT NULL REFERENCES services(id),
    name       TEXT NOT NULL,
    price      INTEGER NOT NULL
);

CREATE TABLE orders (
    id                   INTEGER PRIMARY KEY,
    number               INTEGER NOT NULL UNIQUE,
    kind                 TEXT NOT NULL,
    status               TEXT NOT NULL,
    service_id           INTEGER NOT NULL REFERENCES services(id),
    requester_id         INTEGER NOT NULL REFERENCES users(id),
    executor_id          INTEGER REFERENCES users(id),
    -- NULL when the requester pays as a person.
    payer_company_id     INTEGER REFERENCES users(id),
    title                TEXT NOT NULL,
    description          TEXT,
    comment              TEXT,
    premises             TEXT,
    visitor_name         TEXT,
    visitor_phone        TEXT,
    visitor_email        TEXT,
    resource_id          INTEGER REFERENCES resources(id),
    -- Meeting-room booking: day, first slot index (0 = 08:00), slot count.
    booking_date         TEXT,
    first_slot           INTEGER,
    slot_count           INTEGER,
    slot_price           INTEGER,
    -- Coworking days (date_to inclusive) or hotel check-in / check-out.
    date_from            TEXT,
    date_to              TEXT,
    adults               INTEGER,
    children             INTEGER,
    extras_separate_line INTEGER NOT NULL DEFAULT 0,
    ticket_number        TEXT,
    reservation_number   TEXT,
    period_start         TEXT,
    period_end           TEXT,
    total                INTEGER NOT NULL DEFAULT 0,
    paid                 INTEGER NOT NULL DEFAULT 0,
    refunded             INTEGER NOT NULL DEFAULT 0,
    payment_token        TEXT UNIQUE,
    awaiting_since       TEXT,
    first_response_due   TEXT,
    completion_due       TEXT,
    -- Bumped by every change to the order, its lines, payments or chat.
    -- Lower-cased words the «q» filter searches: title, texts, people,
    -- object. SQLite's lower() knows only ASCII, so the server fills it.
    search               TEXT NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX orders_service ON orders(service_id, number);
CREATE INDEX orders_requester ON orders(requester_id, number);
CREATE INDEX orders_status ON orders(status);

CREATE TABLE order_lines (
    order_id   INTEGER NOT NULL REFERENCES orders(id),
    line       INTEGER NOT NULL,
    product_id INTEGER REFERENCES products(id),
    name       TEXT NOT NULL,
    quantity   INTEGER NOT NULL,
    unit_price INTEGER NOT NULL,
    -- NULL until collected; 'collected' or 'missing' with missing > 0.
    outcome    TEXT,
    missing    INTEGER NOT NULL DEFAULT 0,
    time       TEXT,
    PRIMARY KEY (order_id, line)
);

-- Money in (kind 'payment') and out (kind 'refund').
CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders(id),
    kind         TEXT NOT NULL,
    source       TEXT NOT NULL,
    status       TEXT NOT NULL,
    amount       INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    -- When the sandbox provider reports a pending refund done.
    completes_at TEXT,
    completed_at TEXT
);
CREATE INDEX payments_order ON payments(order_id);
CREATE INDEX payments_pending ON payments(status, completes_at);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders(id),
    author_id  INTEGER REFERENCES users(id),
    visibility TEXT NOT NULL,
    system     INTEGER NOT NULL DEFAULT 0,
    text       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX messages_order ON messages(order_id, id);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    order_id   INTEGER NOT NULL REFERENCES orders(id),
    event      TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notifications_user ON notifications(user_id, id);

-- One row per meeting-room slot held: the primary key is what makes a
-- double booking impossible, whatever the concurrency.
CREATE TABLE slot_holds (
    resource_id INTEGER NOT NULL REFERENCES resources(id),
    date        TEXT NOT NULL,
    slot        INTEGER NOT NULL,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    PRIMARY KEY (resource_id, date, slot)
);
CREATE INDEX slot_holds_order ON slot_holds(order_id);

-- Desks (per day) and rooms (per night) held, checked against capacity
-- inside the writing transaction.
CREATE TABLE capacity_holds (
    resource_id INTEGER NOT NULL REFERENCES resources(id),
    day         TEXT NOT NULL,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    units       INTEGER NOT NULL,
    PRIMARY KEY (order_id, resource_id, day)
);
CREATE INDEX capacity_holds_day ON capacity_holds(resource_id, day);

-- Every change of an order, in one global sequence: what sync pulls from.
CREATE TABLE changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES orders(id),
    version  INTEGER NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX changes_order ON changes(order_id);

-- The first answer to each Idempotency-Key, per user. status is NULL while
-- the first request is still running.
CREATE TABLE idempotency (
    user_id    INTEGER NOT NULL,
    key        TEXT NOT NULL,
    method     TEXT NOT NULL,
    path       TEXT NOT NULL,
    status     INTEGER,
    body       BLOB,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);

-- E-mail written in the same transaction as the change it reports, sent
-- later over SMTP when one is configured.
CREATE TABLE outbox_emails (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER REFERENCES orders(id),
    to_addr    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);

-- Provider webhook deliveries already applied, so a repeat does nothing.
CREATE TABLE webhook_events (
    event_id    TEXT PRIMARY KEY,
    received_at TEXT NOT NULL
);
