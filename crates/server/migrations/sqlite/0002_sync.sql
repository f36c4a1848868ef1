-- Offline sync: where each order last changed, and what each pushed
-- mutation was answered.

-- The latest change log position of each order. A pull reads changed orders
-- in log order from here, each once, without scanning the whole log.
CREATE TABLE sync_heads (
    order_id INTEGER PRIMARY KEY REFERENCES orders(id),
    seq      INTEGER NOT NULL
);
CREATE INDEX sync_heads_seq ON sync_heads(seq);

INSERT INTO sync_heads (order_id, seq)
    SELECT order_id, MAX(seq) FROM changes GROUP BY order_id;

-- Kept in the same transaction as every change log entry.
CREATE TRIGGER changes_move_sync_head AFTER INSERT ON changes
BEGIN
    INSERT OR REPLACE INTO sync_heads (order_id, seq) VALUES (NEW.order_id, NEW.seq);
END;

-- Who may see an order changes when a service's responsible list changes or
-- the order moves to another service: such orders get a change log entry
-- (at the same version) so that pulls re-send them or send tombstones.
CREATE TRIGGER responsible_added_resync AFTER INSERT ON service_responsible
BEGIN
    INSERT INTO changes (order_id, version, at)
        SELECT id, version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM orders WHERE service_id = NEW.service_id;
END;

CREATE TRIGGER responsible_removed_resync AFTER DELETE ON service_responsible
BEGIN
    INSERT INTO changes (order_id, version, at)
        SELECT id, version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        FROM orders WHERE service_id = OLD.service_id;
END;

CREATE TRIGGER order_service_moved_resync AFTER UPDATE OF service_id ON orders
WHEN OLD.service_id IS NOT NEW.service_id
BEGIN
    INSERT INTO changes (order_id, version, at)
        VALUES (NEW.id, NEW.version, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- Every mutation a client pushed, by the client's id, with its answer: an
-- applied one is written in the transaction that applied it, so a retry can
-- never apply it twice; a refusal is final and answered the same again.
CREATE TABLE sync_mutations (
    user_id      INTEGER NOT NULL REFERENCES users(id),
    client_id    TEXT NOT NULL,
    order_number INTEGER NOT NULL,
    -- 'applied' or 'refused'.
    result       TEXT NOT NULL,
    version      INTEGER,
    code         TEXT,
    message      TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, client_id)
);
