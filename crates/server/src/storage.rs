//! Every SQL statement of the server, behind typed functions, so that another
//! database can follow without touching handlers.
//!
//! SQLite in WAL mode: readers use a pool of connections, and all writing goes
//! through a pool of exactly one connection. Writers therefore queue in the
//! server instead of meeting "database is locked", and a transaction's checks
//! (a free slot, a free desk) cannot be invalidated before it commits.

mod admin;
mod catalog;
mod chat;
mod due;
mod history;
mod holds;
mod money;
mod orders;
mod rows;
mod support;
mod sync;
mod users;

pub use admin::*;
pub use catalog::*;
pub use chat::*;
pub use due::*;
pub use history::*;
pub use holds::*;
pub use money::*;
pub use orders::*;
pub use rows::*;
pub use support::*;
pub use sync::*;
pub use users::*;

use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::time::Duration;

/// A writing transaction.
pub type Tx = Transaction<'static, Sqlite>;
/// A connection for reading.
pub type ReadConn = PoolConnection<Sqlite>;
pub use sqlx::SqliteConnection as Conn;

/// The database.
#[derive(Clone, Debug)]
pub struct Storage {
    read: SqlitePool,
    write: SqlitePool,
}

impl Storage {
    /// Opens the file (creating it on first run) and applies migrations.
    pub async fn open(path: &Path) -> Result<Storage, sqlx::Error> {
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
        sqlx::migrate!("./migrations").run(&write).await?;
        let read = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        Ok(Storage { read, write })
    }

    /// Starts a writing transaction; waits for the one before to finish.
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        self.write.begin().await
    }

    /// A connection that sees everything committed so far.
    pub async fn read(&self) -> Result<ReadConn, sqlx::Error> {
        self.read.acquire().await
    }

    /// A second reading connection when one is free at once; `None` rather
    /// than waiting, so that a request already holding a connection never
    /// waits for another.
    pub fn spare_read(&self) -> Option<ReadConn> {
        self.read.try_acquire()
    }

    /// Whether the database answers: a trivial query on a reading
    /// connection.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.read)
            .await
            .map(|_| ())
    }

    /// Closes both pools; the file stays consistent for the next start.
    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}
