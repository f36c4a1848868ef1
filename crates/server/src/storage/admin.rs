//! What an administrator reads and writes: accounts with their block and
//! version, services with their defaults, objects with their hours, goods,
//! the responsible lists, the order counts that guard deletes, and the
//! audit. Every update checks the version it was based on in its `WHERE`,
//! so a stale edit changes nothing (`Ok(false)`).

use chrono::{DateTime, Utc};

use super::{query, query_as, query_scalar, Conn, UserRow};

/// An account as the administrator sees it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AdminUserRow {
    pub id: i64,
    pub login: String,
    pub role: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    pub blocked: bool,
    pub version: i64,
}

const USER_COLUMNS: &str = "id, login, role, name, phone, email, company, blocked, version";

pub async fn admin_users(conn: &mut Conn) -> Result<Vec<AdminUserRow>, sqlx::Error> {
    query_as(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY login"))
        .fetch_all(conn)
        .await
}

pub async fn admin_user(conn: &mut Conn, id: i64) -> Result<Option<AdminUserRow>, sqlx::Error> {
    query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn admin_user_by_login(
    conn: &mut Conn,
    login: &str,
) -> Result<Option<AdminUserRow>, sqlx::Error> {
    query_as(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE login = $1"
    ))
    .bind(login)
    .fetch_optional(conn)
    .await
}

/// Administrators who can sign in.
pub async fn count_active_admins(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND blocked = FALSE")
        .fetch_one(conn)
        .await
}

/// The editable fields of an account.
#[derive(Debug, Clone)]
pub struct UserFields<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub company: Option<&'a str>,
}

/// A new account with its password hash; returns its id.
pub async fn insert_account(
    conn: &mut Conn,
    login: &str,
    password_hash: &str,
    f: &UserFields<'_>,
) -> Result<i64, sqlx::Error> {
    let row = UserRow {
        id: 0,
        login: login.to_owned(),
        password_hash: password_hash.to_owned(),
        role: f.role.to_owned(),
        name: f.name.to_owned(),
        phone: f.phone.map(str::to_owned),
        email: f.email.map(str::to_owned),
        company: f.company.map(str::to_owned),
    };
    super::insert_user(conn, &row).await
}

pub async fn update_user(
    conn: &mut Conn,
    id: i64,
    version: i64,
    f: &UserFields<'_>,
) -> Result<bool, sqlx::Error> {
    let done = query(
        "UPDATE users SET name = $1, role = $2, phone = $3, email = $4, company = $5,
                version = version + 1
         WHERE id = $6 AND version = $7",
    )
    .bind(f.name)
    .bind(f.role)
    .bind(f.phone)
    .bind(f.email)
    .bind(f.company)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_blocked(
    conn: &mut Conn,
    id: i64,
    version: i64,
    blocked: bool,
) -> Result<bool, sqlx::Error> {
    let done = query(
        "UPDATE users SET blocked = $1, version = version + 1 WHERE id = $2 AND version = $3",
    )
    .bind(blocked)
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password_hash(conn: &mut Conn, id: i64, hash: &str) -> Result<(), sqlx::Error> {
    query("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2")
        .bind(hash)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user.
pub async fn delete_tokens_of(conn: &mut Conn, user_id: i64) -> Result<(), sqlx::Error> {
    query("DELETE FROM tokens WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Whether the account is blocked; `None` when there is no such login.
pub async fn blocked_login(conn: &mut Conn, login: &str) -> Result<Option<bool>, sqlx::Error> {
    query_scalar("SELECT blocked FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(conn)
        .await
}

/// Every `(service, user)` pair of the responsible lists.
pub async fn all_responsible(conn: &mut Conn) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    query_as("SELECT service_id, user_id FROM service_responsible ORDER BY service_id, user_id")
        .fetch_all(conn)
        .await
}

/// Adds a user to a service's responsible list, which must not hold them
/// yet. A plain `INSERT` on purpose: an `OR IGNORE` here would also govern
/// the statements of the triggers it fires (SQLite applies the outer
/// statement's conflict policy to them), turning the sync head's `INSERT
/// OR REPLACE` into an ignore and keeping the re-sent orders out of pulls.
pub async fn add_responsible(
    conn: &mut Conn,
    service_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    query("INSERT INTO service_responsible (service_id, user_id) VALUES ($1, $2)")
        .bind(service_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn delete_responsible(
    conn: &mut Conn,
    service_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    query("DELETE FROM service_responsible WHERE service_id = $1 AND user_id = $2")
        .bind(service_id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A service with everything an administrator sets.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AdminServiceRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub auto_close_minutes: i64,
    pub first_response_minutes: Option<i64>,
    pub completion_minutes: Option<i64>,
    pub active: bool,
    pub version: i64,
}

const SERVICE_COLUMNS: &str = "id, name, kind, auto_close_minutes, first_response_minutes,
    completion_minutes, active, version";

pub async fn admin_services(conn: &mut Conn) -> Result<Vec<AdminServiceRow>, sqlx::Error> {
    query_as(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services ORDER BY id"
    ))
    .fetch_all(conn)
    .await
}

pub async fn admin_service(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<AdminServiceRow>, sqlx::Error> {
    query_as(&format!(
        "SELECT {SERVICE_COLUMNS} FROM services WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Inserts (`id` 0) or updates at `version`; returns the id, or `None`
/// when the version is stale.
pub async fn save_service(
    conn: &mut Conn,
    s: &AdminServiceRow,
) -> Result<Option<i64>, sqlx::Error> {
    if s.id == 0 {
        let id = query_scalar(
            "INSERT INTO services (name, kind, auto_close_minutes, first_response_minutes,
                                   completion_minutes, active)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&s.name)
        .bind(&s.kind)
        .bind(s.auto_close_minutes)
        .bind(s.first_response_minutes)
        .bind(s.completion_minutes)
        .bind(s.active)
        .fetch_one(conn)
        .await?;
        return Ok(Some(id));
    }
    let done = query(
        "UPDATE services SET name = $1, kind = $2, auto_close_minutes = $3,
                first_response_minutes = $4, completion_minutes = $5, active = $6,
                version = version + 1
         WHERE id = $7 AND version = $8",
    )
    .bind(&s.name)
    .bind(&s.kind)
    .bind(s.auto_close_minutes)
    .bind(s.first_response_minutes)
    .bind(s.completion_minutes)
    .bind(s.active)
    .bind(s.id)
    .bind(s.version)
    .execute(conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(s.id))
}

/// A bookable object with its service's kind.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AdminObjectRow {
    pub id: i64,
    pub service_id: i64,
    #[serde(skip)]
    pub kind: String,
    pub name: String,
    pub tariff: Option<String>,
    pub unit_price: i64,
    pub capacity: i64,
    pub first_slot: Option<i64>,
    pub last_slot: Option<i64>,
    pub active: bool,
    pub version: i64,
}

const OBJECT_SELECT: &str = "SELECT r.id, r.service_id, s.kind, r.name, r.tariff, r.unit_price,
    r.capacity, r.first_slot, r.last_slot, r.active, r.version
    FROM resources r JOIN services s ON s.id = r.service_id";

pub async fn admin_objects(conn: &mut Conn) -> Result<Vec<AdminObjectRow>, sqlx::Error> {
    query_as(&format!("{OBJECT_SELECT} ORDER BY r.id"))
        .fetch_all(conn)
        .await
}

pub async fn admin_object(conn: &mut Conn, id: i64) -> Result<Option<AdminObjectRow>, sqlx::Error> {
    query_as(&format!("{OBJECT_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Inserts (`id` 0) or updates at `version`; `None` when stale.
pub async fn save_object(conn: &mut Conn, o: &AdminObjectRow) -> Result<Option<i64>, sqlx::Error> {
    if o.id == 0 {
        let id = query_scalar(
            "INSERT INTO resources (service_id, name, tariff, unit_price, capacity,
                                    first_slot, last_slot, active)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(o.service_id)
        .bind(&o.name)
        .bind(&o.tariff)
        .bind(o.unit_price)
        .bind(o.capacity)
        .bind(o.first_slot)
        .bind(o.last_slot)
        .bind(o.active)
        .fetch_one(conn)
        .await?;
        return Ok(Some(id));
    }
    let done = query(
        "UPDATE resources SET name = $1, tariff = $2, unit_price = $3, capacity = $4,
                first_slot = $5, last_slot = $6, active = $7, version = version + 1
         WHERE id = $8 AND version = $9",
    )
    .bind(&o.name)
    .bind(&o.tariff)
    .bind(o.unit_price)
    .bind(o.capacity)
    .bind(o.first_slot)
    .bind(o.last_slot)
    .bind(o.active)
    .bind(o.id)
    .bind(o.version)
    .execute(conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(o.id))
}

/// A good or an extra.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AdminProductRow {
    pub id: i64,
    pub service_id: i64,
    pub name: String,
    pub price: i64,
    pub on_sale: bool,
    pub version: i64,
}

const PRODUCT_COLUMNS: &str = "id, service_id, name, price, on_sale, version";

pub async fn admin_products(conn: &mut Conn) -> Result<Vec<AdminProductRow>, sqlx::Error> {
    query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products ORDER BY id"
    ))
    .fetch_all(conn)
    .await
}

pub async fn admin_product(
    conn: &mut Conn,
    id: i64,
) -> Result<Option<AdminProductRow>, sqlx::Error> {
    query_as(&format!(
        "SELECT {PRODUCT_COLUMNS} FROM products WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Inserts (`id` 0) or updates at `version`; `None` when stale.
pub async fn save_product(
    conn: &mut Conn,
    p: &AdminProductRow,
) -> Result<Option<i64>, sqlx::Error> {
    if p.id == 0 {
        let id = query_scalar(
            "INSERT INTO products (service_id, name, price, on_sale) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(p.service_id)
        .bind(&p.name)
        .bind(p.price)
        .bind(p.on_sale)
        .fetch_one(conn)
        .await?
        ;
        return Ok(Some(id));
    }
    let done = query(
        "UPDATE products SET name = $1, price = $2, on_sale = $3, version = version + 1
         WHERE id = $4 AND version = $5",
    )
    .bind(&p.name)
    .bind(p.price)
    .bind(p.on_sale)
    .bind(p.id)
    .bind(p.version)
    .execute(conn)
    .await?;
    Ok((done.rows_affected() == 1).then_some(p.id))
}

/// What refers to a record: `(status, count)` of the orders.
pub async fn order_statuses_of(
    conn: &mut Conn,
    object: &str,
    id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let sql = match object {
        "service" => "SELECT status, COUNT(*) FROM orders WHERE service_id = $1 GROUP BY status",
        "object" => "SELECT status, COUNT(*) FROM orders WHERE resource_id = $1 GROUP BY status",
        _ => {
            "SELECT o.status, COUNT(DISTINCT o.id) FROM order_lines l JOIN orders o ON o.id = l.order_id
             WHERE l.product_id = $1 GROUP BY o.status"
        }
    };
    query_as(sql).bind(id).fetch_all(conn).await
}

/// `(service, status, count)` of every order, for the lists' counts.
pub async fn order_statuses_by_service(
    conn: &mut Conn,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    query_as("SELECT service_id, status, COUNT(*) FROM orders GROUP BY service_id, status")
        .fetch_all(conn)
        .await
}

/// `(object, status, count)` of every order holding an object.
pub async fn order_statuses_by_object(
    conn: &mut Conn,
) -> Result<Vec<(i64, String, i64)>, sqlx::Error> {
    query_as(
        "SELECT resource_id, status, COUNT(*) FROM orders WHERE resource_id IS NOT NULL
         GROUP BY resource_id, status",
    )
    .fetch_all(conn)
    .await
}

/// Deletes a record with nothing referring to it, and for a service its
/// responsible list, objects and goods. `false` when the version is stale.
pub async fn delete_record(
    conn: &mut Conn,
    object: &str,
    id: i64,
    version: i64,
) -> Result<bool, sqlx::Error> {
    let table = match object {
        "service" => {
            for sql in [
                "DELETE FROM service_responsible WHERE service_id = $1",
                "DELETE FROM resources WHERE service_id = $1",
                "DELETE FROM products WHERE service_id = $1",
            ] {
                query(sql).bind(id).execute(&mut *conn).await?;
            }
            "services"
        }
        "object" => "resources",
        _ => "products",
    };
    let done = query(&format!(
        "DELETE FROM {table} WHERE id = $1 AND version = $2"
    ))
    .bind(id)
    .bind(version)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One audit entry as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub actor_login: Option<String>,
    pub object: String,
    pub object_id: i64,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A change to record: before and after are JSON texts.
#[derive(Debug, Clone)]
pub struct NewAudit<'a> {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    pub object: &'a str,
    pub object_id: i64,
    pub action: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
}

pub async fn insert_audit(conn: &mut Conn, a: &NewAudit<'_>) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO audit (at, actor_id, object, object_id, action, before, after)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(a.at)
    .bind(a.actor_id)
    .bind(a.object)
    .bind(a.object_id)
    .bind(a.action)
    .bind(&a.before)
    .bind(&a.after)
    .execute(conn)
    .await?;
    Ok(())
}

/// Newest first: entries about `object` (and `object_id`), older than
/// `before`, at most `limit`.
pub async fn audit_page(
    conn: &mut Conn,
    object: Option<&str>,
    object_id: Option<i64>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    query_as(
        "SELECT a.id, a.at, a.actor_id, u.login AS actor_login, a.object, a.object_id,
                a.action, a.before, a.after
         FROM audit a LEFT JOIN users u ON u.id = a.actor_id
         WHERE ($1 IS NULL OR a.object = $1) AND ($2 IS NULL OR a.object_id = $2)
           AND ($3 IS NULL OR a.id < $3)
         ORDER BY a.id DESC LIMIT $4",
    )
    .bind(object)
    .bind(object_id)
    .bind(before)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Whether a service, object (`resources`) or good (`products`) is offered
/// to new orders; `None` when there is no such record.
pub async fn offered(conn: &mut Conn, table: &str, id: i64) -> Result<Option<bool>, sqlx::Error> {
    let column = if table == "products" {
        "on_sale"
    } else {
        "active"
    };
    query_scalar(&format!("SELECT {column} FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A meeting room's first and last bookable slot, when it has hours.
pub async fn opening_slots(conn: &mut Conn, id: i64) -> Result<Option<(i64, i64)>, sqlx::Error> {
    let row: Option<(Option<i64>, Option<i64>)> =
        query_as("SELECT first_slot, last_slot FROM resources WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(first, last)| first.zip(last)))
}

/// A service's default first-response and completion minutes.
pub async fn default_times(
    conn: &mut Conn,
    service_id: i64,
) -> Result<(Option<i64>, Option<i64>), sqlx::Error> {
    let row: Option<(Option<i64>, Option<i64>)> =
        query_as("SELECT first_response_minutes, completion_minutes FROM services WHERE id = $1")
            .bind(service_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.unwrap_or((None, None)))
}

/// Whether any administrator exists: until one does, the server serves
/// nothing but the way to create one.
pub async fn has_admin(conn: &mut Conn) -> Result<bool, sqlx::Error> {
    query_scalar("SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin')")
        .fetch_one(conn)
        .await
}

/// What is off offer: inactive services and objects, goods off sale, as
/// `("service" | "object" | "product", id)`.
pub async fn withdrawn(conn: &mut Conn) -> Result<Vec<(String, i64)>, sqlx::Error> {
    query_as(
        "SELECT 'service', id FROM services WHERE active = FALSE
         UNION ALL SELECT 'object', id FROM resources WHERE active = FALSE
         UNION ALL SELECT 'product', id FROM products WHERE on_sale = FALSE",
    )
    .fetch_all(conn)
    .await
}
