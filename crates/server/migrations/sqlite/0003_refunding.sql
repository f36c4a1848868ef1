-- Refunds asked for and not yet completed by the provider, per order, so
-- that the rules see money on its way back beside money paid and given
-- back (orders.paid, orders.refunded) without summing payments each time.
ALTER TABLE orders ADD COLUMN refunding INTEGER NOT NULL DEFAULT 0;

UPDATE orders SET refunding = (
    SELECT COALESCE(SUM(p.amount), 0) FROM payments p
    WHERE p.order_id = orders.id AND p.kind = 'refund' AND p.status = 'pending'
);
