//! Settings of a running server, filled from flags and environment by
//! `main.rs` and directly by tests.

use chrono::{Duration, FixedOffset, Offset, Utc};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::push::crypto::VapidKey;

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

/// Where the orders live: an embedded SQLite file (one instance), or a
/// PostgreSQL database that several instances can share.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    File(PathBuf),
    /// A `postgres://` or `postgresql://` connection URL.
    Postgres(String),
}

impl Database {
    /// A `postgres://` or `postgresql://` URL is PostgreSQL; anything else is
    /// a file path.
    pub fn parse(text: &str) -> Database {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Database::Postgres(text.to_owned())
        } else {
            Database::File(PathBuf::from(text))
        }
    }
}

impl FromStr for Database {
    type Err = std::convert::Infallible;
    fn from_str(text: &str) -> Result<Database, Self::Err> {
        Ok(Database::parse(text))
    }
}

impl From<PathBuf> for Database {
    fn from(path: PathBuf) -> Database {
        Database::File(path)
    }
}

impl From<&Path> for Database {
    fn from(path: &Path) -> Database {
        Database::File(path.to_owned())
    }
}

impl From<&PathBuf> for Database {
    fn from(path: &PathBuf) -> Database {
        Database::File(path.clone())
    }
}

/// Shown in logs and errors: a URL loses its password.
impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::File(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Database({self})")
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Everything a server instance needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    pub database: Database,
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
    /// The built web app (`ui/dist`), served at `/` beside the API; `None`
    /// serves only the API and the probes.
    pub ui_dir: Option<PathBuf>,
    /// The VAPID key the operator gave; `None`: the one kept in the
    /// database, made on first start and shared by every instance.
    pub vapid_key: Option<VapidKey>,
    /// The `sub` of the VAPID token: how a push service's operator reaches
    /// this server's (`mailto:` or `https:`).
    pub vapid_subject: String,
    /// Web Push is sent on every change and looked at again at least this
    /// often (for retries); `None` leaves it to whoever calls
    /// `push::deliver_outbox` (tests).
    pub push_every: Option<std::time::Duration>,
}

impl Config {
    /// Defaults for a database; the caller adjusts the rest.
    pub fn new(database: impl Into<Database>) -> Config {
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
            ui_dir: None,
            vapid_key: None,
            vapid_subject: DEFAULT_VAPID_SUBJECT.to_owned(),
            push_every: Some(std::time::Duration::from_secs(5)),
        }
    }
}

/// The VAPID subject when the operator names none and the public address
/// is not `https:`.
pub const DEFAULT_VAPID_SUBJECT: &str = "mailto:no-reply@orderdesk.local";

/// +03:00, the default site time zone.
pub fn default_site_offset() -> FixedOffset {
    FixedOffset::east_opt(3 * 3600).unwrap_or_else(|| Utc.fix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_is_postgres_and_anything_else_a_file() {
        assert_eq!(
            Database::parse("postgresql://u@h/db"),
            Database::Postgres("postgresql://u@h/db".into())
        );
        assert_eq!(
            Database::parse("orders.db"),
            Database::File(PathBuf::from("orders.db"))
        );
    }

    #[test]
    fn a_shown_url_hides_its_password() {
        let db = Database::parse("postgres://orders:s3cret@db.local:5432/orders");
        assert_eq!(db.to_string(), "postgres://orders:***@db.local:5432/orders");
        assert!(!format!("{db:?}").contains("s3cret"));
    }
}
