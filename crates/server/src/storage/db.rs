//! The one place that knows there are two database engines.
//!
//! Storage functions write their SQL once, with `$1, $2…` placeholders (which
//! SQLite reads as numbered parameters too), and run it through [`query`],
//! [`query_as`], [`query_scalar`] or a [`Builder`]. Those collect the bound
//! values as [`Arg`]s and hand statement and values to sqlx's SQLite or
//! PostgreSQL driver, whichever the connection belongs to. Rows decode
//! through sqlx's `FromRow`, so a row type must decode from both engines:
//! the PostgreSQL schema gives every column the type its Rust field has.

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{
    Arguments, Decode, FromRow, PgConnection, Postgres, Sqlite, SqliteConnection, Transaction, Type,
};
use std::borrow::Cow;
use std::fmt::Display;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

/// Which database engine a connection talks to, for the few statements
/// that must be spelled differently on each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// An instant column as whole Unix seconds.
    pub fn epoch_seconds(self, column: &str) -> String {
        match self {
            Engine::Sqlite => format!("unixepoch({column})"),
            // Truncated as `unixepoch` does: a plain cast would round.
            Engine::Postgres => format!("CAST(FLOOR(EXTRACT(EPOCH FROM {column})) AS BIGINT)"),
        }
    }

    /// The scalar function giving the smaller of its arguments.
    pub fn least(self) -> &'static str {
        match self {
            Engine::Sqlite => "MIN",
            Engine::Postgres => "LEAST",
        }
    }

    /// An instant column as fractional Unix seconds.
    pub fn epoch_real(self, column: &str) -> String {
        match self {
            Engine::Sqlite => format!("((julianday({column}) - 2440587.5) * 86400.0)"),
            Engine::Postgres => {
                format!("CAST(EXTRACT(EPOCH FROM {column}) AS DOUBLE PRECISION)")
            }
        }
    }
}

enum Handle {
    SqliteTx(Transaction<'static, Sqlite>),
    PostgresTx(Transaction<'static, Postgres>),
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A connection, inside a transaction or not: what every storage function
/// takes as `&mut Conn`.
pub struct Conn {
    handle: Handle,
}

enum Backend<'c> {
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

impl Conn {
    pub fn engine(&self) -> Engine {
        match self.handle {
            Handle::SqliteTx(_) | Handle::Sqlite(_) => Engine::Sqlite,
            Handle::PostgresTx(_) | Handle::Postgres(_) => Engine::Postgres,
        }
    }

    fn backend(&mut self) -> Backend<'_> {
        match &mut self.handle {
            Handle::SqliteTx(tx) => Backend::Sqlite(tx),
            Handle::Sqlite(conn) => Backend::Sqlite(conn),
            Handle::PostgresTx(tx) => Backend::Postgres(tx),
            Handle::Postgres(conn) => Backend::Postgres(conn),
        }
    }
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Conn({:?})", self.engine())
    }
}

/// A transaction: commits with [`Tx::commit`], rolls back when dropped.
#[derive(Debug)]
pub struct Tx(Conn);

impl Tx {
    pub(super) fn sqlite(tx: Transaction<'static, Sqlite>) -> Tx {
        Tx(Conn {
            handle: Handle::SqliteTx(tx),
        })
    }

    pub(super) fn postgres(tx: Transaction<'static, Postgres>) -> Tx {
        Tx(Conn {
            handle: Handle::PostgresTx(tx),
        })
    }

    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.0.handle {
            Handle::SqliteTx(tx) => tx.commit().await,
            Handle::PostgresTx(tx) => tx.commit().await,
            Handle::Sqlite(_) | Handle::Postgres(_) => Ok(()),
        }
    }

    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        match self.0.handle {
            Handle::SqliteTx(tx) => tx.rollback().await,
            Handle::PostgresTx(tx) => tx.rollback().await,
            Handle::Sqlite(_) | Handle::Postgres(_) => Ok(()),
        }
    }
}

impl Deref for Tx {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// A pooled connection for reading, each statement on its own.
#[derive(Debug)]
pub struct ReadConn(Conn);

impl ReadConn {
    pub(super) fn sqlite(conn: PoolConnection<Sqlite>) -> ReadConn {
        ReadConn(Conn {
            handle: Handle::Sqlite(conn),
        })
    }

    pub(super) fn postgres(conn: PoolConnection<Postgres>) -> ReadConn {
        ReadConn(Conn {
            handle: Handle::Postgres(conn),
        })
    }
}

impl Deref for ReadConn {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        &self.0
    }
}

impl DerefMut for ReadConn {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.0
    }
}

/// A value bound to a statement. `None` inside is SQL NULL of that type.
#[derive(Debug, Clone)]
pub enum Arg<'q> {
    I64(Option<i64>),
    I32(Option<i32>),
    F64(Option<f64>),
    Bool(Option<bool>),
    Text(Option<Cow<'q, str>>),
    Bytes(Option<Cow<'q, [u8]>>),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
}

/// What can be bound to a statement.
pub trait Bind<'q> {
    fn arg(self) -> Arg<'q>;
    /// NULL of this type.
    fn null() -> Arg<'q>;
}

macro_rules! bind_copy {
    ($($t:ty => $variant:ident),* $(,)?) => {$(
        impl<'q> Bind<'q> for $t {
            fn arg(self) -> Arg<'q> {
                Arg::$variant(Some(self.into()))
            }
            fn null() -> Arg<'q> {
                Arg::$variant(None)
            }
        }
    )*};
}

bind_copy!(
    i64 => I64,
    i32 => I32,
    u32 => I64,
    i16 => I32,
    u16 => I32,
    u8 => I32,
    f64 => F64,
    bool => Bool,
    DateTime<Utc> => Time,
    NaiveDate => Date,
    String => Text,
    &'q str => Text,
    Vec<u8> => Bytes,
    &'q [u8] => Bytes,
);

impl<'q, T: Bind<'q>> Bind<'q> for Option<T> {
    fn arg(self) -> Arg<'q> {
        match self {
            Some(value) => value.arg(),
            None => T::null(),
        }
    }
    fn null() -> Arg<'q> {
        T::null()
    }
}

impl<'q, T: Bind<'q> + Clone> Bind<'q> for &T {
    fn arg(self) -> Arg<'q> {
        self.clone().arg()
    }
    fn null() -> Arg<'q> {
        T::null()
    }
}

fn encode_error(e: sqlx::error::BoxDynError) -> sqlx::Error {
    sqlx::Error::Encode(e)
}

fn sqlite_args(args: Vec<Arg<'_>>) -> Result<SqliteArguments, sqlx::Error> {
    let mut out = SqliteArguments::default();
    for arg in args {
        match arg {
            Arg::I64(v) => out.add(v),
            Arg::I32(v) => out.add(v),
            Arg::F64(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
            Arg::Text(v) => out.add(v),
            Arg::Bytes(v) => out.add(v.map(Cow::into_owned)),
            Arg::Time(v) => out.add(v),
            Arg::Date(v) => out.add(v),
        }
        .map_err(encode_error)?;
    }
    Ok(out)
}

fn postgres_args(args: Vec<Arg<'_>>) -> Result<PgArguments, sqlx::Error> {
    let mut out = PgArguments::default();
    for arg in args {
        match arg {
            Arg::I64(v) => out.add(v),
            Arg::I32(v) => out.add(v),
            Arg::F64(v) => out.add(v),
            Arg::Bool(v) => out.add(v),
            Arg::Text(v) => out.add(v.as_deref()),
            Arg::Bytes(v) => out.add(v.as_deref()),
            Arg::Time(v) => out.add(v),
            Arg::Date(v) => out.add(v),
        }
        .map_err(encode_error)?;
    }
    Ok(out)
}

/// The statement as sqlx takes it. Every statement is spelled in the
/// storage modules from constant fragments; values are always bound, never
/// formatted in.
fn audited(sql: Cow<'_, str>) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql.into_owned())
}

/// A row type both engines can produce.
pub trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A single value both engines can decode.
pub trait Scalar:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// A statement and its values.
#[derive(Debug, Clone)]
pub struct Query<'q> {
    sql: Cow<'q, str>,
    args: Vec<Arg<'q>>,
}

/// What a statement that returns no rows did.
#[derive(Debug, Clone, Copy)]
pub struct Done {
    rows: u64,
}

impl Done {
    pub fn rows_affected(&self) -> u64 {
        self.rows
    }
}

/// A statement run for its effect.
pub fn query(sql: &str) -> Query<'_> {
    Query {
        sql: Cow::Borrowed(sql),
        args: Vec::new(),
    }
}

/// A statement whose rows decode as `T`.
pub fn query_as<T: Record>(sql: &str) -> QueryAs<'_, T> {
    QueryAs {
        query: query(sql),
        row: PhantomData,
    }
}

/// A statement whose rows are one value each.
pub fn query_scalar<T: Scalar>(sql: &str) -> QueryScalar<'_, T> {
    QueryScalar {
        query: query(sql),
        value: PhantomData,
    }
}

impl<'q> Query<'q> {
    pub fn bind(mut self, value: impl Bind<'q>) -> Self {
        self.args.push(value.arg());
        self
    }

    pub async fn execute(self, conn: &mut Conn) -> Result<Done, sqlx::Error> {
        let sql = audited(self.sql);
        let rows = match conn.backend() {
            Backend::Sqlite(c) => sqlx::query_with(sql, sqlite_args(self.args)?)
                .execute(c)
                .await?
                .rows_affected(),
            Backend::Postgres(c) => sqlx::query_with(sql, postgres_args(self.args)?)
                .execute(c)
                .await?
                .rows_affected(),
        };
        Ok(Done { rows })
    }
}

/// See [`query_as`].
#[derive(Debug, Clone)]
pub struct QueryAs<'q, T> {
    query: Query<'q>,
    row: PhantomData<fn() -> T>,
}

impl<'q, T: Record> QueryAs<'q, T> {
    pub fn bind(mut self, value: impl Bind<'q>) -> Self {
        self.query = self.query.bind(value);
        self
    }

    pub async fn fetch_all(self, conn: &mut Conn) -> Result<Vec<T>, sqlx::Error> {
        let Query { sql, args } = self.query;
        match conn.backend() {
            Backend::Sqlite(c) => {
                sqlx::query_as_with(audited(sql), sqlite_args(args)?)
                    .fetch_all(c)
                    .await
            }
            Backend::Postgres(c) => {
                sqlx::query_as_with(audited(sql), postgres_args(args)?)
                    .fetch_all(c)
                    .await
            }
        }
    }

    pub async fn fetch_optional(self, conn: &mut Conn) -> Result<Option<T>, sqlx::Error> {
        let Query { sql, args } = self.query;
        match conn.backend() {
            Backend::Sqlite(c) => {
                sqlx::query_as_with(audited(sql), sqlite_args(args)?)
                    .fetch_optional(c)
                    .await
            }
            Backend::Postgres(c) => {
                sqlx::query_as_with(audited(sql), postgres_args(args)?)
                    .fetch_optional(c)
                    .await
            }
        }
    }

    pub async fn fetch_one(self, conn: &mut Conn) -> Result<T, sqlx::Error> {
        self.fetch_optional(conn)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }
}

/// See [`query_scalar`].
#[derive(Debug, Clone)]
pub struct QueryScalar<'q, T> {
    query: Query<'q>,
    value: PhantomData<fn() -> T>,
}

impl<'q, T: Scalar> QueryScalar<'q, T> {
    pub fn bind(mut self, value: impl Bind<'q>) -> Self {
        self.query = self.query.bind(value);
        self
    }

    /// A one-value row, read through [`QueryAs`]: the same dispatch.
    fn rows(self) -> QueryAs<'q, (T,)> {
        QueryAs {
            query: self.query,
            row: PhantomData,
        }
    }

    pub async fn fetch_all(self, conn: &mut Conn) -> Result<Vec<T>, sqlx::Error> {
        let rows = self.rows().fetch_all(conn).await?;
        Ok(rows.into_iter().map(|(value,)| value).collect())
    }

    pub async fn fetch_optional(self, conn: &mut Conn) -> Result<Option<T>, sqlx::Error> {
        let row = self.rows().fetch_optional(conn).await?;
        Ok(row.map(|(value,)| value))
    }

    pub async fn fetch_one(self, conn: &mut Conn) -> Result<T, sqlx::Error> {
        self.fetch_optional(conn)
            .await?
            .ok_or(sqlx::Error::RowNotFound)
    }
}

/// A statement put together piece by piece (filters, `IN` lists); bound
/// values get their `$n` in order.
#[derive(Debug, Clone)]
pub struct Builder<'q> {
    sql: String,
    args: Vec<Arg<'q>>,
}

impl<'q> Builder<'q> {
    pub fn new(head: impl Display) -> Self {
        Builder {
            sql: head.to_string(),
            args: Vec::new(),
        }
    }

    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        use std::fmt::Write;
        // Writing to a String cannot fail.
        let _ = write!(self.sql, "{sql}");
        self
    }

    pub fn push_bind(&mut self, value: impl Bind<'q>) -> &mut Self {
        self.args.push(value.arg());
        let n = self.args.len();
        self.push(format_args!("${n}"))
    }

    /// Values separated by `separator`, as in an `IN (…)` list.
    pub fn separated<'b>(&'b mut self, separator: &'static str) -> Separated<'b, 'q> {
        Separated {
            builder: self,
            separator,
            first: true,
        }
    }

    pub fn build(self) -> Query<'q> {
        Query {
            sql: Cow::Owned(self.sql),
            args: self.args,
        }
    }

    pub fn build_query_as<T: Record>(self) -> QueryAs<'q, T> {
        QueryAs {
            query: self.build(),
            row: PhantomData,
        }
    }

    pub fn build_query_scalar<T: Scalar>(self) -> QueryScalar<'q, T> {
        QueryScalar {
            query: self.build(),
            value: PhantomData,
        }
    }
}

/// See [`Builder::separated`].
pub struct Separated<'b, 'q> {
    builder: &'b mut Builder<'q>,
    separator: &'static str,
    first: bool,
}

impl<'q> Separated<'_, 'q> {
    fn next(&mut self) {
        if !self.first {
            self.builder.push(self.separator);
        }
        self.first = false;
    }

    pub fn push(&mut self, sql: impl Display) -> &mut Self {
        self.next();
        self.builder.push(sql);
        self
    }

    pub fn push_bind(&mut self, value: impl Bind<'q>) -> &mut Self {
        self.next();
        self.builder.push_bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bound_values_are_numbered_in_the_order_they_are_pushed() {
        let mut q = Builder::new("SELECT 1 WHERE a = ");
        q.push_bind(1_i64).push(" AND b IN (");
        let mut list = q.separated(", ");
        list.push_bind("x").push_bind("y");
        q.push(")");
        let built = q.build();
        assert_eq!(built.sql, "SELECT 1 WHERE a = $1 AND b IN ($2, $3)");
        assert_eq!(built.args.len(), 3);
    }
}
