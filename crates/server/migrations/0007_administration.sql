-- Administration: what an administrator sets up and the audit of it.
-- Each record an administrator edits carries a version, so a stale edit
-- is refused; deactivated services, objects and goods take no new orders
-- while the orders they have go on.

-- A blocked user cannot sign in; blocking also deletes the user's tokens,
-- so unblocking revives none.
ALTER TABLE users ADD COLUMN blocked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Default times of a new order, in minutes after its creation; NULL: none.
ALTER TABLE services ADD COLUMN first_response_minutes INTEGER;
ALTER TABLE services ADD COLUMN completion_minutes INTEGER;
ALTER TABLE services ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE services ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- A meeting room's bookable slots (0 = 08:00, 31 = 23:30); NULL: all day.
ALTER TABLE resources ADD COLUMN first_slot INTEGER;
ALTER TABLE resources ADD COLUMN last_slot INTEGER;
ALTER TABLE resources ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE resources ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE products ADD COLUMN on_sale INTEGER NOT NULL DEFAULT 1;
ALTER TABLE products ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Every administrative change: who (NULL for the command line), when,
-- what, and the record before and after as JSON.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor_id  INTEGER REFERENCES users(id),
    object    TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_object ON audit(object, object_id, id);
