//! The organisation file: users (without passwords), services with their
//! responsible managers, objects and goods, as versioned TOML, moved in by
//! `orderdesk-server import FILE` and out by `export`. The demo's own
//! organisation is such a file (`assets/demo-organisation.toml`).
//!
//! An import matches what exists by natural keys — users by login,
//! services by name, objects by service, name and tariff, goods by service
//! and name — creates what is missing and updates what differs, through
//! the same checks and audit as the admin API; what already matches is
//! left alone, so a second import of the same file changes nothing. Nothing
//! is deleted. A new user gets no password: an administrator sets one
//! (`POST /api/v1/admin/users/{id}/password`), or the importer passes a
//! hash for all of them (the demo's `demo`).

use orderdesk_domain::{
    validate_company, validate_email, validate_login, validate_name, validate_phone, Money,
    OrderKind, Role, ServiceId, UserId,
};
use orderdesk_protocol::{
    AdminObject, AdminService, AdminUser, AuditObject, OpeningHours, ProductRequest,
    ProductUpdateRequest,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::admin::audit::{self, Change};
use crate::admin::objects::{self, ObjectFields};
use crate::admin::services::{self, ServiceFields};
use crate::admin::{input, users};
use crate::error::ServiceError;
use crate::state::AppState;
use crate::storage::{self, Conn, UserFields};

/// The `format` every organisation file starts with.
pub const FORMAT: &str = "orderdesk-organisation";
/// The version of the file format this server reads and writes.
pub const VERSION: u32 = 1;
/// What a user imported without a password has instead of a hash: no
/// password matches it.
pub const NO_PASSWORD: &str = "!";

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u32,
    #[serde(default)]
    pub users: Vec<UserEntry>,
    #[serde(default)]
    pub services: Vec<ServiceEntry>,
    #[serde(default)]
    pub objects: Vec<ObjectEntry>,
    #[serde(default)]
    pub products: Vec<ProductEntry>,
}

/// An account; a requester with `company` is a company payer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserEntry {
    pub login: String,
    pub name: String,
    pub role: Role,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub company: Option<String>,
    #[serde(default)]
    pub blocked: bool,
}

/// A service; `responsible` are logins of managers whose role covers the kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntry {
    pub name: String,
    pub kind: OrderKind,
    pub auto_close_minutes: i64,
    pub first_response_minutes: Option<i64>,
    pub completion_minutes: Option<i64>,
    #[serde(default)]
    pub responsible: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

/// An object of a booking service, named by the service's name. Prices are
/// kopecks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectEntry {
    pub service: String,
    pub name: String,
    pub tariff: Option<String>,
    pub unit_price: i64,
    pub capacity: u32,
    /// Meeting rooms: start of the first and the last bookable slot.
    pub first_slot: Option<String>,
    pub last_slot: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

/// A good of a shop or an extra of a hotel. The price is kopecks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductEntry {
    pub service: String,
    pub name: String,
    pub price: i64,
    #[serde(default = "yes")]
    pub on_sale: bool,
}

fn yes() -> bool {
    true
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
}

impl ImportReport {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Reads a file's text; a wrong format or version is refused with what
/// this server reads.
pub fn parse(text: &str) -> Result<Organisation, String> {
    let org: Organisation = toml::from_str(text).map_err(|e| e.to_string())?;
    if org.format != FORMAT || org.version != VERSION {
        return Err(format!(
            "not an organisation file this server reads: expected format = \"{FORMAT}\", version = {VERSION}; found \"{}\", {}",
            org.format, org.version
        ));
    }
    Ok(org)
}

/// Imports in one transaction: all of it or nothing. `password_hash` is
/// what new users get instead of [`NO_PASSWORD`].
pub async fn import(
    state: &AppState,
    org: &Organisation,
    password_hash: Option<&str>,
) -> Result<ImportReport, ServiceError> {
    let mut tx = state.storage().begin().await?;
    let report = import_in(&mut tx, state, org, password_hash).await?;
    tx.commit().await?;
    state.wake_clock();
    Ok(report)
}

/// [`import`] inside the caller's transaction.
pub async fn import_in(
    conn: &mut Conn,
    state: &AppState,
    org: &Organisation,
    password_hash: Option<&str>,
) -> Result<ImportReport, ServiceError> {
    let mut report = ImportReport::default();
    let mut logins = HashMap::new();
    for user in &org.users {
        let (id, outcome) = import_user(conn, state, user, password_hash).await?;
        logins.insert(user.login.trim().to_owned(), UserId(id));
        report.count(outcome);
    }
    let mut names = HashMap::new();
    for service in &org.services {
        let (id, outcome) = import_service(conn, state, service, &logins).await?;
        names.insert(service.name.trim().to_owned(), id);
        report.count(outcome);
    }
    for object in &org.objects {
        let service = service_named(conn, &names, &object.service).await?;
        report.count(import_object(conn, state, service, object).await?);
    }
    for product in &org.products {
        let service = service_named(conn, &names, &product.service).await?;
        report.count(import_product(conn, state, service, product).await?);
    }
    Ok(report)
}

/// A service named in the file, among those imported or already there.
async fn service_named(
    conn: &mut Conn,
    names: &HashMap<String, ServiceId>,
    name: &str,
) -> Result<ServiceId, ServiceError> {
    if let Some(id) = names.get(name.trim()) {
        return Ok(*id);
    }
    let found = storage::admin_services(conn)
        .await?
        .into_iter()
        .find(|s| s.name == name.trim());
    found.map(|s| ServiceId(s.id)).ok_or_else(|| {
        ServiceError::invalid(
            orderdesk_protocol::ErrorCode::UnknownService,
            &format!("Нет услуги «{name}»."),
            &format!("No service «{name}»."),
        )
    })
}

async fn import_user(
    conn: &mut Conn,
    state: &AppState,
    entry: &UserEntry,
    password_hash: Option<&str>,
) -> Result<(i64, Outcome), ServiceError> {
    let login = validate_login(&entry.login).map_err(input)?;
    let fields = UserFields {
        name: validate_name(&entry.name).map_err(input)?,
        role: entry.role.id(),
        phone: validate_phone(entry.phone.as_deref()).map_err(input)?,
        email: validate_email(entry.email.as_deref()).map_err(input)?,
        company: validate_company(entry.role, entry.company.as_deref()).map_err(input)?,
    };
    let existing = storage::admin_user_by_login(conn, login).await?;
    let (id, before) = match existing {
        None => {
            let hash = password_hash.unwrap_or(NO_PASSWORD);
            let id = storage::insert_account(conn, login, hash, &fields).await?;
            (id, None)
        }
        Some(row) => (row.id, Some(users::load(conn, row.id).await?)),
    };
    let current = users::load(conn, id).await?;
    let same = before.is_some()
        && current.name == fields.name
        && current.role == entry.role
        && current.phone.as_deref() == fields.phone
        && current.email.as_deref() == fields.email
        && current.company.as_deref() == fields.company
        && current.blocked == entry.blocked;
    if same {
        return Ok((id, Outcome::Unchanged));
    }
    if before.is_some() && !storage::update_user(conn, id, current.version, &fields).await? {
        return Err(crate::admin::stale(None));
    }
    if entry.blocked != current.blocked || (before.is_none() && entry.blocked) {
        let version = users::load(conn, id).await?.version;
        storage::set_blocked(conn, id, version, entry.blocked).await?;
        storage::delete_tokens_of(conn, id).await?;
    }
    let after = users::load(conn, id).await?;
    record_user(conn, state, id, before.as_ref(), &after).await?;
    let outcome = if before.is_some() {
        Outcome::Updated
    } else {
        Outcome::Created
    };
    Ok((id, outcome))
}

async fn record_user(
    conn: &mut Conn,
    state: &AppState,
    id: i64,
    before: Option<&AdminUser>,
    after: &AdminUser,
) -> Result<(), ServiceError> {
    let change = Change {
        at: state.now(),
        actor: None,
        object: AuditObject::User,
        object_id: id,
        action: "import",
        before,
        after: Some(after),
    };
    audit::record(conn, change).await
}

async fn import_service(
    conn: &mut Conn,
    state: &AppState,
    entry: &ServiceEntry,
    logins: &HashMap<String, UserId>,
) -> Result<(ServiceId, Outcome), ServiceError> {
    let mut responsible = Vec::new();
    for login in &entry.responsible {
        let id = match logins.get(login.trim()) {
            Some(id) => *id,
            None => storage::admin_user_by_login(conn, login.trim())
                .await?
                .map(|u| UserId(u.id))
                .ok_or_else(|| {
                    ServiceError::invalid(
                        orderdesk_protocol::ErrorCode::UnknownUser,
                        &format!("Нет пользователя «{login}»."),
                        &format!("No user «{login}»."),
                    )
                })?,
        };
        responsible.push(id);
    }
    responsible.sort();
    let fields = ServiceFields {
        name: &entry.name,
        kind: entry.kind,
        auto_close_minutes: entry.auto_close_minutes,
        first_response_minutes: entry.first_response_minutes,
        completion_minutes: entry.completion_minutes,
        responsible: &responsible,
        active: entry.active,
    };
    let existing = storage::admin_services(conn)
        .await?
        .into_iter()
        .find(|s| s.name == entry.name.trim());
    let Some(row) = existing else {
        let created = services::create_in(conn, state, None, &fields).await?;
        return Ok((created.id, Outcome::Created));
    };
    let current = services::load(conn, row.id).await?;
    if service_matches(&current, &fields) {
        return Ok((current.id, Outcome::Unchanged));
    }
    services::update_in(conn, state, None, row.id, current.version, &fields).await?;
    Ok((current.id, Outcome::Updated))
}

fn service_matches(current: &AdminService, f: &ServiceFields<'_>) -> bool {
    let mut responsible = current.responsible.clone();
    responsible.sort();
    current.kind == f.kind
        && current.auto_close_minutes == f.auto_close_minutes
        && current.first_response_minutes == f.first_response_minutes
        && current.completion_minutes == f.completion_minutes
        && current.active == f.active
        && responsible == f.responsible
}

async fn import_object(
    conn: &mut Conn,
    state: &AppState,
    service: ServiceId,
    entry: &ObjectEntry,
) -> Result<Outcome, ServiceError> {
    let hours = match (&entry.first_slot, &entry.last_slot) {
        (Some(first_slot), Some(last_slot)) => Some(OpeningHours {
            first_slot: first_slot.clone(),
            last_slot: last_slot.clone(),
        }),
        _ => None,
    };
    let fields = ObjectFields {
        name: &entry.name,
        tariff: entry.tariff.as_deref(),
        unit_price: Money(entry.unit_price),
        capacity: entry.capacity,
        hours: hours.as_ref(),
        active: entry.active,
    };
    let tariff = entry.tariff.as_deref().map(str::trim);
    let existing = storage::admin_objects(conn).await?.into_iter().find(|o| {
        o.service_id == service.0 && o.name == entry.name.trim() && o.tariff.as_deref() == tariff
    });
    let Some(row) = existing else {
        objects::create_object_in(conn, state, None, service, &fields).await?;
        return Ok(Outcome::Created);
    };
    let current = objects::load_object(conn, row.id).await?;
    if object_matches(&current, &fields) {
        return Ok(Outcome::Unchanged);
    }
    let at = (row.id, current.version);
    objects::update_object_in(conn, state, None, at, &fields).await?;
    Ok(Outcome::Updated)
}

fn object_matches(current: &AdminObject, f: &ObjectFields<'_>) -> bool {
    current.unit_price == f.unit_price
        && current.capacity == f.capacity
        && current.hours.as_ref() == f.hours
        && current.active == f.active
}

async fn import_product(
    conn: &mut Conn,
    state: &AppState,
    service: ServiceId,
    entry: &ProductEntry,
) -> Result<Outcome, ServiceError> {
    let existing = storage::admin_products(conn)
        .await?
        .into_iter()
        .find(|p| p.service_id == service.0 && p.name == entry.name.trim());
    let Some(row) = existing else {
        let req = ProductRequest {
            service_id: service,
            name: entry.name.clone(),
            price: Money(entry.price),
            on_sale: entry.on_sale,
        };
        objects::create_product_in(conn, state, None, &req).await?;
        return Ok(Outcome::Created);
    };
    if row.price == entry.price && row.on_sale == entry.on_sale {
        return Ok(Outcome::Unchanged);
    }
    let req = ProductUpdateRequest {
        version: row.version,
        name: row.name.clone(),
        price: Money(entry.price),
        on_sale: entry.on_sale,
    };
    objects::update_product_in(conn, state, None, row.id, &req).await?;
    Ok(Outcome::Updated)
}

/// The organisation as it stands, in the file's shape.
pub async fn export(state: &AppState) -> Result<Organisation, ServiceError> {
    let mut conn = state.storage().read().await?;
    let users = storage::admin_users(&mut conn).await?;
    let mut by_id: Vec<_> = users.iter().collect();
    by_id.sort_by_key(|u| u.id);
    let login_of: HashMap<i64, String> = users.iter().map(|u| (u.id, u.login.clone())).collect();
    let mut responsible: HashMap<i64, Vec<String>> = HashMap::new();
    for (service, user) in storage::all_responsible(&mut conn).await? {
        responsible
            .entry(service)
            .or_default()
            .extend(login_of.get(&user).cloned());
    }
    let services = storage::admin_services(&mut conn).await?;
    let name_of: HashMap<i64, String> = services.iter().map(|s| (s.id, s.name.clone())).collect();
    let slot = |index: Option<i64>| {
        let slot = orderdesk_domain::Slot::from_index(u8::try_from(index?).ok()?)?;
        Some(slot.to_string())
    };
    Ok(Organisation {
        format: FORMAT.to_owned(),
        version: VERSION,
        users: by_id
            .into_iter()
            .map(|u| UserEntry {
                login: u.login.clone(),
                name: u.name.clone(),
                role: Role::parse(&u.role).unwrap_or(Role::Requester),
                phone: u.phone.clone(),
                email: u.email.clone(),
                company: u.company.clone(),
                blocked: u.blocked,
            })
            .collect(),
        services: services
            .iter()
            .map(|s| {
                Ok(ServiceEntry {
                    name: s.name.clone(),
                    kind: crate::orders::facts::parse_kind(&s.kind)?,
                    auto_close_minutes: s.auto_close_minutes,
                    first_response_minutes: s.first_response_minutes,
                    completion_minutes: s.completion_minutes,
                    responsible: responsible.remove(&s.id).unwrap_or_default(),
                    active: s.active,
                })
            })
            .collect::<Result<_, ServiceError>>()?,
        objects: storage::admin_objects(&mut conn)
            .await?
            .into_iter()
            .map(|o| ObjectEntry {
                service: name_of.get(&o.service_id).cloned().unwrap_or_default(),
                name: o.name,
                tariff: o.tariff,
                unit_price: o.unit_price,
                capacity: u32::try_from(o.capacity).unwrap_or(0),
                first_slot: slot(o.first_slot),
                last_slot: slot(o.last_slot),
                active: o.active,
            })
            .collect(),
        products: storage::admin_products(&mut conn)
            .await?
            .into_iter()
            .map(|p| ProductEntry {
                service: name_of.get(&p.service_id).cloned().unwrap_or_default(),
                name: p.name,
                price: p.price,
                on_sale: p.on_sale,
            })
            .collect(),
    })
}

/// The file's text.
pub fn to_toml(org: &Organisation) -> Result<String, ServiceError> {
    toml::to_string_pretty(org).map_err(|e| ServiceError::fault("writing the organisation file", e))
}
