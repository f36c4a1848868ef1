-- Who lost sight of which order. A pull sends a tombstone only for an order
-- the user could once see and no longer can; without this record the server
-- cannot tell "left the user's scope" from "never was in it", and a
-- tombstone for an order never seen tells its number to someone who may not
-- know it.
--
-- A manager sees an order while responsible for its service (and while the
-- role covers the order's kind, which the pull checks). Both triggers
-- record the users who were responsible before the change; a requester and
-- an administrator never lose sight of an order.
CREATE TABLE scope_exits (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    order_id INTEGER NOT NULL REFERENCES orders(id),
    PRIMARY KEY (user_id, order_id)
) WITHOUT ROWID;

CREATE TRIGGER responsible_removed_scope_exit AFTER DELETE ON service_responsible
BEGIN
    INSERT OR IGNORE INTO scope_exits (user_id, order_id)
        SELECT OLD.user_id, id FROM orders WHERE service_id = OLD.service_id;
END;

CREATE TRIGGER order_service_moved_scope_exit AFTER UPDATE OF service_id ON orders
WHEN OLD.service_id IS NOT NEW.service_id
BEGIN
    INSERT OR IGNORE INTO scope_exits (user_id, order_id)
        SELECT user_id, NEW.id FROM service_responsible WHERE service_id = OLD.service_id;
END;
