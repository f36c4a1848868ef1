//! The session token in the browser: a small SQLite file of its own on the
//! origin's private file system, beside the cache and never inside it (the
//! cache is wiped on sign-out and by a different user; the token goes with
//! its own rules). Only scripts of this origin can read it: other sites
//! cannot, nor can the page's DOM; anyone with the unlocked browser profile
//! or script running on this origin can. The server's session expiry and
//! sign-out bound how long a stolen token is worth anything.

use orderdesk_client_core::{CoreError, CoreResult, TokenStore};
use rusqlite::{Connection, OptionalExtension};
use std::sync::Mutex;

pub struct OpfsTokenStore {
    conn: Mutex<Connection>,
}

fn storage(error: rusqlite::Error) -> CoreError {
    CoreError::Keyring(format!("хранилище сессии браузера: {error}"))
}

impl OpfsTokenStore {
    pub fn open(path: &str) -> CoreResult<OpfsTokenStore> {
        let conn = Connection::open(path).map_err(storage)?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS token (id INTEGER PRIMARY KEY CHECK (id = 1), value TEXT NOT NULL);",
        )
        .map_err(storage)?;
        Ok(OpfsTokenStore {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl TokenStore for OpfsTokenStore {
    fn save(&self, token: &str) -> CoreResult<()> {
        self.conn()
            .execute(
                "INSERT INTO token (id, value) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET value = excluded.value",
                [token],
            )
            .map_err(storage)?;
        Ok(())
    }

    fn load(&self) -> CoreResult<Option<String>> {
        self.conn()
            .query_row("SELECT value FROM token WHERE id = 1", [], |row| row.get(0))
            .optional()
            .map_err(storage)
    }

    fn clear(&self) -> CoreResult<()> {
        self.conn()
            .execute("DELETE FROM token", [])
            .map_err(storage)?;
        Ok(())
    }
}
