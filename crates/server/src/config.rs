//! Settings of a running server, filled from flags and environment by
//! `main.rs` and directly by tests.

use chrono::{Duration, FixedOffset, Offset, Utc};
use std::path::PathBuf;

/// How much work a password hash costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCost {
    /// Argon2id with the library's recommended parameters.
    Standard,
    /// Minimal Argon2id parameters: for tests and benchmarks only, where
    /// hundreds of sign-ins must not take minutes.
    Fast,
}

/// SMTP delivery of e-mail; without it, e-mail stays in the outbox table.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// Plain connection, for a local relay.
    pub insecure: bool,
}

/// Everything a server instance needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: PathBuf,
    /// The site's time zone: slots, days and nights are local to it.
    pub site_offset: FixedOffset,
    pub token_ttl: Duration,
    /// How long the sandbox payment provider takes to complete a refund.
    pub refund_delay: Duration,
    /// Key of the HMAC that signs payment webhooks.
    pub webhook_secret: String,
    /// How clients reach this server; payment links start with it.
    pub public_url: String,
    pub smtp: Option<SmtpConfig>,
    pub mail_from: String,
    /// Clock-driven work runs as each due moment comes, and at least this
    /// often; `None` leaves it to whoever calls `ticker::tick` (tests).
    pub tick_every: Option<std::time::Duration>,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    pub password_cost: PasswordCost,
    /// Database connections this instance keeps open at most; several
    /// instances on one PostgreSQL share its `max_connections`.
    pub db_pool_size: u32,
    /// PostgreSQL only: the session's `statement_timeout`, so a runaway
    /// query is cancelled by the database instead of holding a connection.
    pub db_statement_timeout: std::time::Duration,
}

impl Config {
    /// Defaults for a database file; the caller adjusts the rest.
    pub fn new(database: impl Into<PathBuf>) -> Config {
        Config {
            database: database.into(),
            site_offset: default_site_offset(),
            token_ttl: Duration::days(30),
            refund_delay: Duration::minutes(5),
            webhook_secret: "orderdesk-sandbox-secret".to_owned(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            smtp: None,
            mail_from: "Обращения и заказы <no-reply@orderdesk.local>".to_owned(),
            tick_every: Some(std::time::Duration::from_secs(30)),
            body_limit: 64 * 1024,
            password_cost: PasswordCost::Standard,
            db_pool_size: 10,
            db_statement_timeout: std::time::Duration::from_secs(30),
        }
    }
}

/// +03:00, the default site time zone.
pub fn default_site_offset() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).unwrap_or_else(|| Utc.fix())
}
