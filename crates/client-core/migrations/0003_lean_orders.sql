-- Leaner order rows and a leaner search index for large caches.
--
-- `local_json` is kept only while this device has changes the server has
-- not accepted (NULL: the local copy is the server's), so an initial sync
-- writes each order's card once instead of twice. The company payer of an
-- order gets columns of its own, so «Плательщик» choices are read from an
-- index instead of parsing every cached card.
--
-- The search index keeps no positions (`detail=none`): it finds the orders
-- holding every trigram of the query and the query checks the text itself.
-- Kept row by row, it is most of the cost of writing an order, so while
-- `meta.search_deferred` is set (an empty cache being filled by its first
-- sync) the triggers leave it alone and the sync builds it once at the end.
--
-- SQLite cannot relax NOT NULL in place: the table is rebuilt, and its
-- indexes and triggers (dropped with it) are made again as 0001 and 0002
-- made them.

CREATE TABLE orders_lean (
    number             INTEGER PRIMARY KEY,
    number_text        TEXT NOT NULL,
    kind               TEXT NOT NULL,
    status             TEXT NOT NULL,
    search             TEXT NOT NULL,
    server_status      TEXT NOT NULL,
    server_version     INTEGER NOT NULL,
    server_json        TEXT NOT NULL,
    local_json         TEXT,
    summary_json       TEXT NOT NULL,
    company_payer_id   INTEGER,
    company_payer_name TEXT
) STRICT;

INSERT INTO orders_lean
    SELECT number, number_text, kind, status, search, server_status, server_version,
           server_json, NULLIF(local_json, server_json), summary_json,
           CASE WHEN json_extract(local_json, '$.payer.kind') = 'company'
                THEN json_extract(local_json, '$.payer.payer_id') END,
           CASE WHEN json_extract(local_json, '$.payer.kind') = 'company'
                 AND json_extract(local_json, '$.payer.payer_id') IS NOT NULL
                THEN json_extract(local_json, '$.payer.name') END
    FROM orders;

DROP TABLE orders_search;
DROP TABLE orders;
ALTER TABLE orders_lean RENAME TO orders;

CREATE VIRTUAL TABLE orders_search USING fts5 (
    search,
    content = 'orders',
    content_rowid = 'number',
    tokenize = 'trigram',
    detail = 'none'
);

-- A cache that has finished its first sync gets its index now; one still
-- filling gets it when the first sync is done.
INSERT INTO meta (key, value)
    SELECT 'search_deferred', '1' WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'synced');
INSERT INTO orders_search (orders_search)
    SELECT 'rebuild' WHERE EXISTS (SELECT 1 FROM meta WHERE key = 'synced');

CREATE INDEX orders_by_status ON orders (status, number);
CREATE INDEX orders_by_kind ON orders (kind, number);
CREATE INDEX orders_by_number_text ON orders (number_text);
CREATE INDEX orders_by_company_payer ON orders (company_payer_id)
    WHERE company_payer_id IS NOT NULL;

CREATE TRIGGER orders_search_insert AFTER INSERT ON orders
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_deferred')
BEGIN
    INSERT INTO orders_search (rowid, search) VALUES (new.number, new.search);
END;

CREATE TRIGGER orders_search_delete AFTER DELETE ON orders
WHEN NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_deferred')
BEGIN
    INSERT INTO orders_search (orders_search, rowid, search)
        VALUES ('delete', old.number, old.search);
END;

CREATE TRIGGER orders_search_update AFTER UPDATE OF search ON orders
WHEN old.search IS NOT new.search
 AND NOT EXISTS (SELECT 1 FROM meta WHERE key = 'search_deferred')
BEGIN
    INSERT INTO orders_search (orders_search, rowid, search)
        VALUES ('delete', old.number, old.search);
    INSERT INTO orders_search (rowid, search) VALUES (new.number, new.search);
END;

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
