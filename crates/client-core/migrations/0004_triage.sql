-- What the list triages by: the executor («Мои», «Без исполнителя») and the
-- earliest due time the order still awaits, as Unix seconds («Просрочено»
-- is that before now, «due soonest» sorts by it). Both are written with the
-- row from the local copy; the search text now also holds the description,
-- comment and room.
--
-- Rows written before this have neither, and their search text lacks the
-- new parts: `meta.rows_outdated` asks the core to rewrite them from their
-- stored copies once, with the domain's rules, when it opens the cache.

ALTER TABLE orders ADD COLUMN executor_id INTEGER;
ALTER TABLE orders ADD COLUMN due_at INTEGER;

CREATE INDEX orders_by_executor ON orders (executor_id, number);
CREATE INDEX orders_by_due ON orders (due_at, number) WHERE due_at IS NOT NULL;

INSERT INTO meta (key, value)
    SELECT 'rows_outdated', '1' WHERE EXISTS (SELECT 1 FROM orders);

-- The notification history: when each notice was raised and whether the
-- manager has read it. Those raised before are old news.
ALTER TABLE notices ADD COLUMN raised_at TEXT;
ALTER TABLE notices ADD COLUMN read INTEGER NOT NULL DEFAULT 0;
UPDATE notices SET read = 1;
CREATE INDEX notices_unread ON notices (read) WHERE read = 0;
