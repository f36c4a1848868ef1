-- Notices per recipient for the offline app: written when an effect is
-- applied, with the change log position of that change, so a pull hands
-- each user exactly the notices raised after its cursor and the app raises
-- each once, also for what happened while it was offline.

CREATE TABLE notices (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    order_id   INTEGER NOT NULL REFERENCES orders(id),
    -- `NoticeEvent::id`: 'order_created', 'returned_to_work', …
    event      TEXT NOT NULL,
    -- The `changes.seq` of the change that raised it.
    seq        INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX notices_by_user ON notices(user_id, seq);
