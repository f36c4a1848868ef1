//! Services, their responsible users, bookable objects and products.

use super::{query, query_as, query_scalar, Conn, ProductRow, ResourceRow, ServiceRow};

pub async fn services(conn: &mut Conn) -> Result<Vec<ServiceRow>, sqlx::Error> {
    query_as("SELECT * FROM services ORDER BY id")
        .fetch_all(conn)
        .await
}

pub async fn service(conn: &mut Conn, id: i64) -> Result<Option<ServiceRow>, sqlx::Error> {
    query_as("SELECT * FROM services WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The services a user is responsible for.
pub async fn services_of(conn: &mut Conn, user_id: i64) -> Result<Vec<ServiceRow>, sqlx::Error> {
    query_as(
        "SELECT s.* FROM services s JOIN service_responsible r ON r.service_id = s.id
         WHERE r.user_id = $1 ORDER BY s.id",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await
}

/// The responsible users of a service, by id.
pub async fn responsible_of(conn: &mut Conn, service_id: i64) -> Result<Vec<i64>, sqlx::Error> {
    query_scalar("SELECT user_id FROM service_responsible WHERE service_id = $1 ORDER BY user_id")
        .bind(service_id)
        .fetch_all(conn)
        .await
}

pub async fn resources(conn: &mut Conn) -> Result<Vec<ResourceRow>, sqlx::Error> {
    query_as("SELECT * FROM resources ORDER BY id")
        .fetch_all(conn)
        .await
}

pub async fn resource(conn: &mut Conn, id: i64) -> Result<Option<ResourceRow>, sqlx::Error> {
    query_as("SELECT * FROM resources WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn products(conn: &mut Conn) -> Result<Vec<ProductRow>, sqlx::Error> {
    query_as("SELECT * FROM products ORDER BY id")
        .fetch_all(conn)
        .await
}

pub async fn product(conn: &mut Conn, id: i64) -> Result<Option<ProductRow>, sqlx::Error> {
    query_as("SELECT * FROM products WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await
}

pub async fn insert_service(
    conn: &mut Conn,
    name: &str,
    kind: &str,
    auto_close_minutes: i64,
) -> Result<i64, sqlx::Error> {
    query_scalar(
        "INSERT INTO services (name, kind, auto_close_minutes) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(name)
    .bind(kind)
    .bind(auto_close_minutes)
    .fetch_one(conn)
    .await
}

pub async fn insert_responsible(
    conn: &mut Conn,
    service_id: i64,
    user_id: i64,
) -> Result<(), sqlx::Error> {
    query(
        "INSERT INTO service_responsible (service_id, user_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING",
    )
    .bind(service_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn insert_resource(conn: &mut Conn, r: &ResourceRow) -> Result<i64, sqlx::Error> {
    query_scalar(
        "INSERT INTO resources (service_id, name, tariff, unit_price, capacity) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(r.service_id)
    .bind(&r.name)
    .bind(&r.tariff)
    .bind(r.unit_price)
    .bind(r.capacity)
    .fetch_one(conn)
    .await
}

pub async fn insert_product(
    conn: &mut Conn,
    service_id: i64,
    name: &str,
    price: i64,
) -> Result<i64, sqlx::Error> {
    query_scalar("INSERT INTO products (service_id, name, price) VALUES ($1, $2, $3) RETURNING id")
        .bind(service_id)
        .bind(name)
        .bind(price)
        .fetch_one(conn)
        .await
}
