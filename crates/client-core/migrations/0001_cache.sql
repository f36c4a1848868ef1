-- The local cache of one signed-in user: what the server last sent, what the
-- manager sees (the server's copy plus actions not yet accepted), the durable
-- outbox, conflicts to show, and notifications already raised.

-- Small values: the sync cursor, the session, the cached catalog.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One row per order the user may see. `server_json` is the server's copy and
-- never holds an optimistic change, so a refused action rolls back to it;
-- `local_json` and the list columns are the copy the screens show.
CREATE TABLE orders (
    number         INTEGER PRIMARY KEY,
    number_text    TEXT NOT NULL,
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL,
    search         TEXT NOT NULL,
    server_status  TEXT NOT NULL,
    server_version INTEGER NOT NULL,
    server_json    TEXT NOT NULL,
    local_json     TEXT NOT NULL,
    summary_json   TEXT NOT NULL
) STRICT;

-- The list filters by status or kind and pages newest number first.
CREATE INDEX orders_by_status ON orders (status, number);
CREATE INDEX orders_by_kind ON orders (kind, number);
-- Search by number prefix uses GLOB on this column.
CREATE INDEX orders_by_number_text ON orders (number_text);

-- Chat messages as the server sent them; pending ones live in the outbox.
CREATE TABLE messages (
    id           INTEGER PRIMARY KEY,
    order_number INTEGER NOT NULL,
    json         TEXT NOT NULL
) STRICT;
CREATE INDEX messages_by_order ON messages (order_number, id);

-- Actions taken on this device and not yet answered by the server, in the
-- order they were taken. Written in the same transaction as the optimistic
-- change to `orders.local_json`.
CREATE TABLE outbox (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id    TEXT NOT NULL UNIQUE,
    order_number INTEGER NOT NULL,
    base_version INTEGER NOT NULL,
    op_json      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX outbox_by_order ON outbox (order_number, seq);

-- Actions the server refused: the manager is told why until dismissed.
CREATE TABLE conflicts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id    TEXT NOT NULL UNIQUE,
    order_number INTEGER NOT NULL,
    action       TEXT NOT NULL,
    code         TEXT NOT NULL,
    message      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    dismissed    INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every notification ever decided, by a key unique per event, so that none
-- is raised twice; `delivered` turns 1 once handed to the notifier.
CREATE TABLE notices (
    key          TEXT PRIMARY KEY,
    order_number INTEGER NOT NULL,
    json         TEXT NOT NULL,
    delivered    INTEGER NOT NULL DEFAULT 0
) STRICT;
