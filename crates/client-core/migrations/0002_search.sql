-- Fast list search and counts over a large cache.
--
-- `orders.search` is folded in Rust (lower case, «ё» as «е»; SQLite's own
-- lower() leaves Cyrillic alone), and so is every query. A trigram index
-- over it answers "contains this text" for three characters or more
-- without reading every order; counts per kind and status are kept by
-- triggers, so the chips and totals of an unsearched list read a few rows.

UPDATE orders SET search = replace(search, 'ё', 'е') WHERE instr(search, 'ё') > 0;

CREATE VIRTUAL TABLE orders_search USING fts5 (
    search,
    content = 'orders',
    content_rowid = 'number',
    tokenize = 'trigram'
);
INSERT INTO orders_search (orders_search) VALUES ('rebuild');

CREATE TRIGGER orders_search_insert AFTER INSERT ON orders
BEGIN
    INSERT INTO orders_search (rowid, search) VALUES (new.number, new.search);
END;

CREATE TRIGGER orders_search_delete AFTER DELETE ON orders
BEGIN
    INSERT INTO orders_search (orders_search, rowid, search)
        VALUES ('delete', old.number, old.search);
END;

CREATE TRIGGER orders_search_update AFTER UPDATE OF search ON orders
WHEN old.search IS NOT new.search
BEGIN
    INSERT INTO orders_search (orders_search, rowid, search)
        VALUES ('delete', old.number, old.search);
    INSERT INTO orders_search (rowid, search) VALUES (new.number, new.search);
END;

CREATE TABLE order_counts (
    kind   TEXT NOT NULL,
    status TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (kind, status)
) STRICT, WITHOUT ROWID;

INSERT INTO order_counts (kind, status, n)
    SELECT kind, status, COUNT(*) FROM orders GROUP BY kind, status;

CREATE TRIGGER order_counts_insert AFTER INSERT ON orders
BEGIN
    -- Not INSERT OR IGNORE: an upsert firing the trigger overrides its OR.
    INSERT INTO order_counts (kind, status, n)
        SELECT new.kind, new.status, 0 WHERE NOT EXISTS
            (SELECT 1 FROM order_counts WHERE kind = new.kind AND status = new.status);
    UPDATE order_counts SET n = n + 1 WHERE kind = new.kind AND status = new.status;
END;

CREATE TRIGGER order_counts_delete AFTER DELETE ON orders
BEGIN
    UPDATE order_counts SET n = n - 1 WHERE kind = old.kind AND status = old.status;
END;

CREATE TRIGGER order_counts_update AFTER UPDATE OF kind, status ON orders
WHEN old.kind IS NOT new.kind OR old.status IS NOT new.status
BEGIN
    UPDATE order_counts SET n = n - 1 WHERE kind = old.kind AND status = old.status;
    -- Not INSERT OR IGNORE: an upsert firing the trigger overrides its OR.
    INSERT INTO order_counts (kind, status, n)
        SELECT new.kind, new.status, 0 WHERE NOT EXISTS
            (SELECT 1 FROM order_counts WHERE kind = new.kind AND status = new.status);
    UPDATE order_counts SET n = n + 1 WHERE kind = new.kind AND status = new.status;
END;
