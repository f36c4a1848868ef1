//! Accounts and bearer tokens.

use chrono::{DateTime, Utc};

use super::{Conn, UserRow};

pub async fn user_by_login(conn: &mut Conn, login: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM users WHERE login = ?")
        .bind(login)
        .fetch_optional(conn)
        .await
}

pub async fn user_by_id(conn: &mut Conn, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT * FROM users WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn count_users(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(conn)
        .await
}

/// A new account; returns its id.
pub async fn insert_user(conn: &mut Conn, user: &UserRow) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(
        "INSERT INTO users (login, password_hash, role, name, phone, email, company)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&user.login)
    .bind(&user.password_hash)
    .bind(&user.role)
    .bind(&user.name)
    .bind(&user.phone)
    .bind(&user.email)
    .bind(&user.company)
    .execute(conn)
    .await?
    .last_insert_rowid();
    Ok(id)
}

pub async fn insert_token(
    conn: &mut Conn,
    token_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The user a token belongs to, if the token exists and has not expired.
pub async fn user_by_token(
    conn: &mut Conn,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.* FROM tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ? AND t.expires_at > ? AND u.blocked = 0",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn delete_token(conn: &mut Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM tokens WHERE token_hash = ?")
        .bind(token_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Users by id, for names beside orders and messages.
pub async fn users_by_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<UserRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(",");
    let sql = format!("SELECT * FROM users WHERE id IN ({marks}) ORDER BY name");
    let mut query = sqlx::query_as(&sql);
    for id in ids {
        query = query.bind(id);
    }
    query.fetch_all(conn).await
}
