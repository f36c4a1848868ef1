//! Every SQL statement of the server, behind typed functions, so that
//! handlers and services never see which database engine runs.
//!
//! Two engines, one set of statements (see [`db`]):
//! - SQLite in WAL mode, the default: readers use a pool of connections, and
//!   all writing goes through a pool of exactly one connection. Writers
//!   queue in the server instead of meeting "database is locked".
//! - PostgreSQL, for several instances on one database: one pool, and every
//!   writing transaction first takes the same transaction-scoped advisory
//!   lock. Writers therefore queue across all instances, exactly as they do
//!   on SQLite, and a transaction's checks (a free slot, a free desk, the
//!   next order number) cannot be invalidated before it commits. The
//!   schema's constraints refuse a double booking on their own as well.

mod admin;
mod catalog;
mod chat;
mod db;
mod due;
mod history;
mod holds;
mod money;
mod orders;
mod push;
mod rows;
mod support;
mod sync;
mod users;

pub use admin::*;
pub use catalog::*;
pub use chat::*;
pub use db::*;
pub use due::*;
pub use history::*;
pub use holds::*;
pub use money::*;
pub use orders::*;
pub use push::*;
pub use rows::*;
pub use support::*;
pub use sync::*;
pub use users::*;

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use crate::config::Database;

/// The advisory lock every writing transaction takes on PostgreSQL ("ORDW").
const WRITE_LOCK: i64 = 0x4f52_4457;

/// The channel the schema's trigger on `changes` notifies on each commit
/// that appended to the change log.
const CHANGES_CHANNEL: &str = "orderdesk_changes";

/// One instance's turn at exclusive work; see [`Storage::try_exclusive`].
#[derive(Debug)]
pub struct Turn {
    held: Option<Tx>,
}

impl Turn {
    /// Ends the turn and waits until the lock is free. Dropping the guard
    /// ends it too, but lazily: sqlx rolls a dropped transaction back in the
    /// background, and until then every instance's next try, this one's
    /// own included, is refused and skips its work.
    pub async fn end(self) -> Result<(), sqlx::Error> {
        match self.held {
            Some(tx) => tx.rollback().await,
            None => Ok(()),
        }
    }
}

/// See [`Storage::change_listener`].
pub struct ChangeListener {
    listener: PgListener,
}

impl ChangeListener {
    /// Resolves at the next commit that appended to the change log, or
    /// after `at_most`, whichever comes first: a notification lost with a
    /// dropped connection costs at most that long. Reconnects by itself.
    pub async fn next(&mut self, at_most: Duration) -> Result<(), sqlx::Error> {
        match tokio::time::timeout(at_most, self.listener.recv()).await {
            Ok(Ok(_)) | Err(_) => Ok(()),
            Ok(Err(e)) => Err(e),
        }
    }
}

/// How the storage is opened, beside where.
#[derive(Debug, Clone, Copy)]
pub struct PoolSettings {
    /// Connections per instance.
    pub size: u32,
    /// PostgreSQL ends a statement that runs longer.
    pub statement_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> PoolSettings {
        PoolSettings {
            size: 10,
            statement_timeout: Duration::from_secs(30),
        }
    }
}

/// The database.
#[derive(Clone, Debug)]
pub struct Storage {
    pools: Pools,
}

#[derive(Clone, Debug)]
enum Pools {
    Sqlite { read: SqlitePool, write: SqlitePool },
    Postgres(PgPool),
}

impl Storage {
    /// Opens the database (creating a SQLite file on first run) and applies
    /// the engine's migrations.
    pub async fn open(database: &Database, settings: PoolSettings) -> Result<Storage, sqlx::Error> {
        match database {
            Database::File(path) => Storage::open_file(path, settings).await,
            Database::Postgres(url) => Storage::open_postgres(url, settings).await,
        }
    }

    async fn open_file(path: &Path, settings: PoolSettings) -> Result<Storage, sqlx::Error> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // WAL with NORMAL survives a process crash; only a power cut can
            // lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        // A local file cannot drop a connection the way a network can, so
        // connections are not pinged each time they are taken from a pool.
        let write = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(settings.size.clamp(1, 4))
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        Ok(Storage {
            pools: Pools::Sqlite { read, write },
        })
    }

    async fn open_postgres(url: &str, settings: PoolSettings) -> Result<Storage, sqlx::Error> {
        let timeout_ms = settings.statement_timeout.as_millis().to_string();
        let options = PgConnectOptions::from_str(url)?
            .options([("statement_timeout", timeout_ms.as_str())])
            .application_name("orderdesk-server")
            .log_slow_statements(tracing::log::LevelFilter::Warn, Duration::from_secs(1));
        let pool = PgPoolOptions::new()
            .max_connections(settings.size.max(2))
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        // Instances starting together: sqlx's migrator holds an advisory lock
        // while it runs, so only one applies each migration.
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Storage {
            pools: Pools::Postgres(pool),
        })
    }

    pub fn engine(&self) -> Engine {
        match self.pools {
            Pools::Sqlite { .. } => Engine::Sqlite,
            Pools::Postgres(_) => Engine::Postgres,
        }
    }

    /// Starts a writing transaction; waits for the one before to finish,
    /// on any instance.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match &self.pools {
            // A plain (deferred) BEGIN: sqlx 0.8's custom `BEGIN IMMEDIATE`
            // can leave a transaction open on the pooled connection when a
            // request is cancelled while it starts, after which every write
            // fails. So another process writing the file at the same moment
            // (an `import` beside a running server) can still fail a write.
            Pools::Sqlite { write, .. } => Ok(Tx::sqlite(write.begin().await?)),
            Pools::Postgres(pool) => {
                let mut tx = Tx::postgres(pool.begin().await?);
                query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITE_LOCK)
                    .execute(&mut tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// A read-only transaction: every statement in it sees the same
    /// committed state.
    pub async fn snapshot(&self) -> Result<Tx, sqlx::Error> {
        match &self.pools {
            Pools::Sqlite { read, .. } => Ok(Tx::sqlite(read.begin().await?)),
            Pools::Postgres(pool) => {
                let mut tx = Tx::postgres(pool.begin().await?);
                query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute(&mut tx)
                    .await?;
                Ok(tx)
            }
        }
    }

    /// A connection that sees everything committed so far.
    pub async fn read(&self) -> Result<ReadConn, sqlx::Error> {
        match &self.pools {
            Pools::Sqlite { read, .. } => Ok(ReadConn::sqlite(read.acquire().await?)),
            Pools::Postgres(pool) => Ok(ReadConn::postgres(pool.acquire().await?)),
        }
    }

    /// A second reading connection when one is free at once; `None` rather
    /// than waiting, so that a request already holding a connection never
    /// waits for another.
    pub fn spare_read(&self) -> Option<ReadConn> {
        match &self.pools {
            Pools::Sqlite { read, .. } => read.try_acquire().map(ReadConn::sqlite),
            Pools::Postgres(pool) => pool.try_acquire().map(ReadConn::postgres),
        }
    }

    /// Whether the database answers a trivial statement.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        let mut conn = self.read().await?;
        query_scalar::<i32>("SELECT 1").fetch_one(&mut conn).await?;
        Ok(())
    }

    /// Runs clock-driven work (or another job) on one instance at a time:
    /// `None` while another instance holds `key`. The turn lasts until the
    /// returned guard is dropped. SQLite serves one instance per file, so
    /// its turn is always granted.
    pub async fn try_exclusive(&self, key: i64) -> Result<Option<Turn>, sqlx::Error> {
        match &self.pools {
            Pools::Sqlite { .. } => Ok(Some(Turn { held: None })),
            Pools::Postgres(pool) => {
                // A transaction-scoped lock: whatever ends the turn (the
                // guard dropped, the task cancelled, the connection lost)
                // ends the transaction and frees the lock.
                let mut tx = Tx::postgres(pool.begin().await?);
                let got: bool = query_scalar("SELECT pg_try_advisory_xact_lock($1)")
                    .bind(key)
                    .fetch_one(&mut tx)
                    .await?;
                Ok(got.then_some(Turn { held: Some(tx) }))
            }
        }
    }

    /// Waits for changes committed by any instance, on PostgreSQL;
    /// `None` on SQLite, where every change is made by this process.
    pub async fn change_listener(&self) -> Result<Option<ChangeListener>, sqlx::Error> {
        match &self.pools {
            Pools::Sqlite { .. } => Ok(None),
            Pools::Postgres(pool) => {
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(CHANGES_CHANNEL).await?;
                Ok(Some(ChangeListener { listener }))
            }
        }
    }

    /// Closes the pools; the database stays consistent for the next start.
    pub async fn close(&self) {
        match &self.pools {
            Pools::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}
