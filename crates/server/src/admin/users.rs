//! Accounts: create, edit (a role change drops the responsibilities the
//! new role does not cover), block and unblock (a block ends every session
//! at once; unblocking revives none), reset the password (which ends them
//! too), and the company payers among them.

use orderdesk_domain::{
    validate_company, validate_email, validate_login, validate_name, validate_password,
    validate_phone, Role, ServiceId, UserId,
};
use orderdesk_protocol::{
    AdminUser, AdminUserList, AuditObject, CompanyPayer, CompanyPayerList, ErrorCode,
    NewUserRequest, PasswordResetRequest, UserUpdateRequest,
};

use crate::admin::audit::{self, Change};
use crate::admin::{input, require_admin, stale};
use crate::caller::Caller;
use crate::config::PasswordCost;
use crate::error::ServiceError;
use crate::orders::facts::parse_kind;
use crate::passwords::hash_password;
use crate::state::AppState;
use crate::storage::{self, AdminUserRow, Conn, UserFields};

fn view(row: &AdminUserRow, responsible: &[(i64, i64)]) -> AdminUser {
    AdminUser {
        id: UserId(row.id),
        login: row.login.clone(),
        name: row.name.clone(),
        role: Role::parse(&row.role).unwrap_or(Role::Requester),
        phone: row.phone.clone(),
        email: row.email.clone(),
        company: row.company.clone(),
        blocked: row.blocked,
        services: responsible
            .iter()
            .filter(|(_, user)| *user == row.id)
            .map(|(service, _)| ServiceId(*service))
            .collect(),
        version: row.version,
    }
}

/// The account as it stands now.
pub async fn load(conn: &mut Conn, id: i64) -> Result<AdminUser, ServiceError> {
    let row = storage::admin_user(conn, id).await?.ok_or_else(|| {
        ServiceError::not_found(format!("пользователь {id}"), format!("user {id}"))
    })?;
    let responsible = storage::all_responsible(conn).await?;
    Ok(view(&row, &responsible))
}

pub async fn list(state: &AppState, caller: &Caller) -> Result<AdminUserList, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    let responsible = storage::all_responsible(&mut conn).await?;
    let items = storage::admin_users(&mut conn)
        .await?
        .iter()
        .map(|row| view(row, &responsible))
        .collect();
    Ok(AdminUserList { items })
}

pub async fn get(state: &AppState, caller: &Caller, id: i64) -> Result<AdminUser, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    load(&mut conn, id).await
}

/// `GET /admin/payers`: the requester accounts that pay as a company.
pub async fn payers(state: &AppState, caller: &Caller) -> Result<CompanyPayerList, ServiceError> {
    require_admin(caller)?;
    let mut conn = state.storage().read().await?;
    let items = storage::admin_users(&mut conn)
        .await?
        .into_iter()
        .filter_map(|row| {
            Some(CompanyPayer {
                user_id: UserId(row.id),
                company: row.company?,
                name: row.name,
                login: row.login,
                blocked: row.blocked,
            })
        })
        .collect();
    Ok(CompanyPayerList { items })
}

/// Hashes off the async threads: Argon2 takes a while on purpose.
pub async fn hash(password: String, cost: PasswordCost) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || hash_password(&password, cost))
        .await
        .map_err(|e| ServiceError::fault("hashing a password", e))?
}

/// The fields of a new or edited account, checked.
fn fields<'a>(
    name: &'a str,
    role: Role,
    phone: Option<&'a str>,
    email: Option<&'a str>,
    company: Option<&'a str>,
) -> Result<UserFields<'a>, ServiceError> {
    Ok(UserFields {
        name: validate_name(name).map_err(input)?,
        role: role.id(),
        phone: validate_phone(phone).map_err(input)?,
        email: validate_email(email).map_err(input)?,
        company: validate_company(role, company).map_err(input)?,
    })
}

/// Creates an account; `actor` is `None` for the command line.
pub async fn create_as(
    state: &AppState,
    actor: Option<UserId>,
    req: &NewUserRequest,
) -> Result<AdminUser, ServiceError> {
    let login = validate_login(&req.login).map_err(input)?;
    let f = fields(
        &req.name,
        req.role,
        req.phone.as_deref(),
        req.email.as_deref(),
        req.company.as_deref(),
    )?;
    validate_password(&req.password).map_err(input)?;
    let password = hash(req.password.clone(), state.config().password_cost).await?;
    let now = state.now();
    let mut tx = state.storage().begin().await?;
    if storage::admin_user_by_login(&mut tx, login)
        .await?
        .is_some()
    {
        return Err(ServiceError::invalid(
            ErrorCode::LoginTaken,
            "Такой логин уже есть. Выберите другой.",
            "This login is taken. Choose another.",
        ));
    }
    let id = storage::insert_account(&mut tx, login, &password, &f).await?;
    let after = load(&mut tx, id).await?;
    let change = Change::<AdminUser, _> {
        at: now,
        actor,
        object: AuditObject::User,
        object_id: id,
        action: "create",
        before: None,
        after: Some(&after),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(after)
}

pub async fn create(
    state: &AppState,
    caller: &Caller,
    req: &NewUserRequest,
) -> Result<AdminUser, ServiceError> {
    require_admin(caller)?;
    create_as(state, Some(caller.id), req).await
}

/// Refuses a change that would leave no administrator who can sign in.
async fn keep_an_admin(
    conn: &mut Conn,
    before: &AdminUser,
    still_admin: bool,
) -> Result<(), ServiceError> {
    let was_active_admin = before.role == Role::Admin && !before.blocked;
    if was_active_admin && !still_admin && storage::count_active_admins(conn).await? <= 1 {
        return Err(ServiceError::conflict(
            ErrorCode::LastAdmin,
            "Это последний действующий администратор: сначала назначьте другого.",
            "This is the last active administrator: appoint another first.",
        ));
    }
    Ok(())
}

/// Drops the responsibilities a new role does not cover; the triggers
/// take their orders out of the user's pulls.
async fn drop_uncovered(conn: &mut Conn, user: &AdminUser, role: Role) -> Result<(), ServiceError> {
    for service_id in &user.services {
        let Some(service) = storage::service(conn, service_id.0).await? else {
            continue;
        };
        if !role.covers(parse_kind(&service.kind)?) {
            storage::delete_responsible(conn, service.id, user.id.0).await?;
        }
    }
    Ok(())
}

pub async fn update(
    state: &AppState,
    caller: &Caller,
    id: i64,
    req: &UserUpdateRequest,
) -> Result<AdminUser, ServiceError> {
    require_admin(caller)?;
    let f = fields(
        &req.name,
        req.role,
        req.phone.as_deref(),
        req.email.as_deref(),
        req.company.as_deref(),
    )?;
    let now = state.now();
    let mut tx = state.storage().begin().await?;
    let before = load(&mut tx, id).await?;
    if before.version != req.version {
        return Err(stale(Some(before.version)));
    }
    keep_an_admin(&mut tx, &before, req.role == Role::Admin).await?;
    // Before the role changes: the scope exits keep the role the orders
    // were seen with, so the user's next pull drops them.
    drop_uncovered(&mut tx, &before, req.role).await?;
    if !storage::update_user(&mut tx, id, req.version, &f).await? {
        return Err(stale(None));
    }
    let after = load(&mut tx, id).await?;
    let change = Change {
        at: now,
        actor: Some(caller.id),
        object: AuditObject::User,
        object_id: id,
        action: "update",
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Blocks (ending every session at once) or unblocks an account.
pub async fn set_blocked(
    state: &AppState,
    caller: &Caller,
    id: i64,
    version: i64,
    blocked: bool,
) -> Result<AdminUser, ServiceError> {
    require_admin(caller)?;
    let now = state.now();
    let mut tx = state.storage().begin().await?;
    let before = load(&mut tx, id).await?;
    if before.version != version {
        return Err(stale(Some(before.version)));
    }
    if blocked {
        keep_an_admin(&mut tx, &before, false).await?;
    }
    if !storage::set_blocked(&mut tx, id, version, blocked).await? {
        return Err(stale(None));
    }
    // Unblocking revives nothing: the user signs in again.
    storage::delete_tokens_of(&mut tx, id).await?;
    let after = load(&mut tx, id).await?;
    let change = Change {
        at: now,
        actor: Some(caller.id),
        object: AuditObject::User,
        object_id: id,
        action: if blocked { "block" } else { "unblock" },
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Sets a new password and ends the user's sessions. The audit records
/// that it happened, never the password.
pub async fn reset_password(
    state: &AppState,
    caller: &Caller,
    id: i64,
    req: &PasswordResetRequest,
) -> Result<AdminUser, ServiceError> {
    require_admin(caller)?;
    validate_password(&req.password).map_err(input)?;
    let password = hash(req.password.clone(), state.config().password_cost).await?;
    let now = state.now();
    let mut tx = state.storage().begin().await?;
    let before = load(&mut tx, id).await?;
    storage::set_password_hash(&mut tx, id, &password).await?;
    storage::delete_tokens_of(&mut tx, id).await?;
    let after = load(&mut tx, id).await?;
    let change = Change {
        at: now,
        actor: Some(caller.id),
        object: AuditObject::User,
        object_id: id,
        action: "reset_password",
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(&mut tx, change).await?;
    tx.commit().await?;
    Ok(after)
}
