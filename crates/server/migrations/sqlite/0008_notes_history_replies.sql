-- System messages as codes with parameters, an order's history, and the
-- canned replies of each service.

-- The SystemNote of a system message as JSON ({"code": "status_changed",
-- ...}); readers render it in their language. NULL for people's messages and
-- for system messages written before the codes, which keep their text.
ALTER TABLE messages ADD COLUMN note TEXT;

-- Who changed what and when: executor, due times, status, booking time,
-- payments, refunds, collection. `note` is a SystemNote as JSON; actor_id
-- is NULL when the system made the change (the clock, the gateway).
CREATE TABLE order_history (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders(id),
    actor_id   INTEGER REFERENCES users(id),
    note       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX order_history_order ON order_history(order_id, id);

-- Canned replies for the public chat, per service, in the order offered.
CREATE TABLE canned_replies (
    service_id INTEGER NOT NULL REFERENCES services(id),
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    PRIMARY KEY (service_id, position)
);
