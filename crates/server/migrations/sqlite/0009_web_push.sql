-- Web Push (RFC 8030/8291/8292): the server's VAPID key, the browsers'
-- subscriptions, and the pushes waiting to be delivered.

-- One key pair for every instance on this database: the first instance to
-- start writes it (insert-if-absent), all read it. The private scalar in
-- base64url; the public key is derived from it.
CREATE TABLE vapid_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    private_key TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- A browser's subscription, made while signed in with one token: signing
-- out (the token deleted) removes it, so a shared phone stops showing the
-- previous user's orders. One endpoint belongs to one user at a time.
CREATE TABLE push_subscriptions (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL REFERENCES tokens(token_hash) ON DELETE CASCADE,
    endpoint   TEXT NOT NULL UNIQUE,
    -- The browser's keys, base64url.
    p256dh     TEXT NOT NULL,
    auth       TEXT NOT NULL,
    -- The language the messages are written in: 'ru' or 'en'.
    lang       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX push_subscriptions_by_user ON push_subscriptions(user_id);

-- One push per subscription per notice, written in the transaction of the
-- change; the sender deletes it once delivered or given up.
CREATE TABLE outbox_pushes (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES push_subscriptions(id) ON DELETE CASCADE,
    -- The `PushMessage` as JSON, before encryption.
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX outbox_pushes_due ON outbox_pushes(next_attempt_at);
CREATE INDEX outbox_pushes_by_subscription ON outbox_pushes(subscription_id);
