//! Accounts and bearer tokens.

use chrono::{DateTime, Utc};

use super::{query, query_as, query_scalar, Builder, Conn, UserRow};

pub async fn user_by_login(conn: &mut Conn, login: &str) -> Result<Option<UserRow>, sqlx::Error> {
    query_as("SELECT * FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(conn)
        .await
}

pub async fn user_by_id(conn: &mut Conn, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    query_as("SELECT * FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn count_users(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(conn)
        .await
}

/// A new account; returns its id.
pub async fn insert_user(conn: &mut Conn, user: &UserRow) -> Result<i64, sqlx::Error> {
    let id = query_scalar(
        "INSERT INTO users (login, password_hash, role, name, phone, email, company)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&user.login)
    .bind(&user.password_hash)
    .bind(&user.role)
    .bind(&user.name)
    .bind(&user.phone)
    .bind(&user.email)
    .bind(&user.company)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

pub async fn insert_token(
    conn: &mut Conn,
    token_hash: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO tokens (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
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
    query_as(
        "SELECT u.* FROM tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.expires_at > $2 AND u.blocked = FALSE",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await
}

pub async fn delete_token(conn: &mut Conn, token_hash: &str) -> Result<(), sqlx::Error> {
    query("DELETE FROM tokens WHERE token_hash = $1")
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
    let mut q = Builder::new("SELECT * FROM users WHERE id IN (");
    let mut list = q.separated(",");
    for id in ids {
        list.push_bind(*id);
    }
    q.push(") ORDER BY name");
    q.build_query_as().fetch_all(conn).await
}
