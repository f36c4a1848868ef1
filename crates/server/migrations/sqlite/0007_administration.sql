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

-- A scope exit also keeps the role the user had when the order left their
-- scope, so that a pull still sends the tombstone after an administrator
-- changed the role (a service manager made a shop manager loses the
-- requests they could see). NULL for exits recorded before: read with the
-- current role, as until now.
ALTER TABLE scope_exits ADD COLUMN role TEXT;

DROP TRIGGER responsible_removed_scope_exit;
CREATE TRIGGER responsible_removed_scope_exit AFTER DELETE ON service_responsible
BEGIN
    INSERT OR REPLACE INTO scope_exits (user_id, order_id, role)
        SELECT OLD.user_id, o.id, (SELECT u.role FROM users u WHERE u.id = OLD.user_id)
        FROM orders o WHERE o.service_id = OLD.service_id;
END;

DROP TRIGGER order_service_moved_scope_exit;
CREATE TRIGGER order_service_moved_scope_exit AFTER UPDATE OF service_id ON orders
WHEN OLD.service_id IS NOT NEW.service_id
BEGIN
    INSERT OR REPLACE INTO scope_exits (user_id, order_id, role)
        SELECT r.user_id, NEW.id, u.role
        FROM service_responsible r JOIN users u ON u.id = r.user_id
        WHERE r.service_id = OLD.service_id;
END;
