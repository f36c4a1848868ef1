//! The administration API from outside, on a real server with the demo:
//! only the administrator is served, bad input names what to fix, stale
//! edits and deletes that would strand orders are refused, blocks end
//! sessions at once, and every change lands in the audit.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ADMIN: i64 = 1;

/// Every admin path with a body that would succeed for an administrator.
fn admin_calls() -> Vec<(&'static str, String, Value)> {
    let s = |p: &str| p.to_owned();
    vec![
        ("GET", s("/admin/users"), Value::Null),
        (
            "POST",
            s("/admin/users"),
            json!({"login": "new", "name": "Новый", "role": "requester", "password": "password1"}),
        ),
        ("GET", format!("/admin/users/{RESIDENT}"), Value::Null),
        (
            "PUT",
            format!("/admin/users/{RESIDENT}"),
            json!({"version": 1, "name": "Иван", "role": "requester"}),
        ),
        (
            "POST",
            format!("/admin/users/{RESIDENT}/block"),
            json!({"version": 1}),
        ),
        (
            "POST",
            format!("/admin/users/{RESIDENT}/unblock"),
            json!({"version": 1}),
        ),
        (
            "POST",
            format!("/admin/users/{RESIDENT}/password"),
            json!({"password": "password2"}),
        ),
        ("GET", s("/admin/payers"), Value::Null),
        ("GET", s("/admin/services"), Value::Null),
        (
            "POST",
            s("/admin/services"),
            json!({"name": "Химчистка", "kind": "simple_request", "auto_close_minutes": 60}),
        ),
        ("GET", format!("/admin/services/{PLUMBER}"), Value::Null),
        (
            "PUT",
            format!("/admin/services/{PLUMBER}"),
            json!({"version": 1, "name": "Сантехник", "kind": "simple_request", "auto_close_minutes": 60, "active": true}),
        ),
        (
            "DELETE",
            format!("/admin/services/{PLUMBER}?version=1"),
            Value::Null,
        ),
        ("GET", s("/admin/objects"), Value::Null),
        (
            "POST",
            s("/admin/objects"),
            json!({"service_id": ROOMS, "name": "Переговорная Rust", "unit_price": 10000, "capacity": 1}),
        ),
        ("GET", format!("/admin/objects/{JAVA}"), Value::Null),
        (
            "PUT",
            format!("/admin/objects/{JAVA}"),
            json!({"version": 1, "name": "Java", "unit_price": 20000, "capacity": 1, "active": true}),
        ),
        (
            "DELETE",
            format!("/admin/objects/{JAVA}?version=1"),
            Value::Null,
        ),
        ("GET", s("/admin/products"), Value::Null),
        (
            "POST",
            s("/admin/products"),
            json!({"service_id": SHOP, "name": "Мед", "price": 50000}),
        ),
        ("GET", format!("/admin/products/{FIRST_GOOD}"), Value::Null),
        (
            "PUT",
            format!("/admin/products/{FIRST_GOOD}"),
            json!({"version": 1, "name": "Кофе", "price": 100, "on_sale": true}),
        ),
        (
            "DELETE",
            format!("/admin/products/{FIRST_GOOD}?version=1"),
            Value::Null,
        ),
        ("GET", s("/admin/audit"), Value::Null),
    ]
}

async fn call(api: &Api, method: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    match method {
        "GET" => api.get(path).await,
        "POST" => api.post(path, body.clone()).await,
        "PUT" => api.put(path, body.clone()).await,
        _ => api.delete(path).await,
    }
}

/// Everything an admin change would touch, as the administrator reads it,
/// and the live sessions.
async fn fingerprint(server: &TestServer, admin: &Api) -> Vec<Value> {
    let mut state = Vec::new();
    for path in [
        "/admin/users",
        "/admin/services",
        "/admin/objects",
        "/admin/products",
        "/admin/audit",
    ] {
        let (status, body) = admin.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        state.push(body);
    }
    state.push(json!(server.count("tokens").await));
    state
}

#[tokio::test]
async fn every_role_but_the_administrator_gets_403_on_every_admin_path_and_nothing_changes() {
    let server = TestServer::start().await;
    let mut others = Vec::new();
    for login in [
        "service", "service2", "rental", "shop", "resident", "company",
    ] {
        others.push((login, server.login(login).await));
    }
    let admin = server.login("admin").await;
    let before = fingerprint(&server, &admin).await;
    for (login, api) in &others {
        for (method, path, body) in admin_calls() {
            let (status, answer) = call(api, method, &path, &body).await;
            assert_eq!(
                status,
                StatusCode::FORBIDDEN,
                "{login} {method} {path}: {answer}"
            );
            assert_eq!(code(&answer), "role_not_allowed", "{login} {method} {path}");
        }
    }
    assert_eq!(
        fingerprint(&server, &admin).await,
        before,
        "a refused call changed something"
    );
    // The same calls as the administrator pass the role check.
    for (method, path, body) in admin_calls() {
        let (status, answer) = call(&admin, method, &path, &body).await;
        assert_ne!(
            status,
            StatusCode::FORBIDDEN,
            "admin {method} {path}: {answer}"
        );
        assert!(status.as_u16() < 500, "admin {method} {path}: {answer}");
    }
}

#[tokio::test]
async fn bad_input_names_what_to_fix_in_the_callers_language() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let user = |login: &str, role: &str, password: &str| json!({"login": login, "name": "Имя", "role": role, "password": password});
    let cases = [
        (
            "/admin/users",
            user("плохой логин", "requester", "password1"),
            "invalid_login",
        ),
        (
            "/admin/users",
            user("service", "requester", "password1"),
            "login_taken",
        ),
        (
            "/admin/users",
            user("fresh", "requester", "short"),
            "invalid_password",
        ),
        (
            "/admin/users",
            json!({"login": "x", "name": "X", "role": "shop_manager", "password": "password1", "company": "ООО"}),
            "company_for_requester_only",
        ),
        (
            "/admin/services",
            json!({"name": "Х", "kind": "simple_request", "auto_close_minutes": 0}),
            "invalid_minutes",
        ),
        (
            "/admin/services",
            json!({"name": "Х", "kind": "booking", "auto_close_minutes": 5, "responsible": [SERVICE]}),
            "responsible_role_mismatch",
        ),
        (
            "/admin/services",
            json!({"name": "Х", "kind": "booking", "auto_close_minutes": 5, "responsible": [999]}),
            "unknown_user",
        ),
        (
            "/admin/objects",
            json!({"service_id": CLEANING, "name": "Х", "unit_price": 100, "capacity": 1}),
            "wrong_service_kind",
        ),
        (
            "/admin/objects",
            json!({"service_id": ROOMS, "name": "Х", "unit_price": 100, "capacity": 3}),
            "invalid_capacity",
        ),
        (
            "/admin/objects",
            json!({"service_id": ROOMS, "name": "Х", "unit_price": 100, "capacity": 1, "hours": {"first_slot": "07:00", "last_slot": "12:00"}}),
            "invalid_opening_hours",
        ),
        (
            "/admin/products",
            json!({"service_id": SHOP, "name": "Х", "price": 0}),
            "invalid_price",
        ),
    ];
    for (path, body, expected) in cases {
        let (status, answer) = admin.post(path, body.clone()).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path} {body}: {answer}"
        );
        assert_eq!(code(&answer), expected, "{path} {body}");
        let message = answer["error"]["message"].as_str().expect("a message");
        assert!(
            message.chars().any(|c| matches!(c, 'а'..='я')),
            "Russian by default: {message}"
        );
    }
    let english = admin
        .send(
            admin
                .http
                .post(format!("{}/admin/users", admin.base))
                .bearer_auth(admin.token.clone().expect("a token"))
                .header("Accept-Language", "en")
                .json(&user("fresh", "requester", "short")),
        )
        .await;
    assert!(english.1["error"]["message"]
        .as_str()
        .expect("a message")
        .contains("password"));
}

#[tokio::test]
async fn a_stale_version_is_409_and_deletes_that_would_strand_orders_are_refused() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let (_, service) = admin.get(&format!("/admin/services/{CLEANING}")).await;
    assert!(
        service["open_orders"].as_u64().expect("a count") > 0,
        "{service}"
    );
    let mut edit = json!({"version": service["version"], "name": "Уборка офиса", "kind": "simple_request",
        "auto_close_minutes": 60, "responsible": service["responsible"], "active": true});
    let (status, updated) = admin
        .put(&format!("/admin/services/{CLEANING}"), edit.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        updated["version"],
        json!(service["version"].as_i64().expect("v") + 1)
    );
    let (status, stale) = admin
        .put(&format!("/admin/services/{CLEANING}"), edit.clone())
        .await;
    assert_eq!(
        (status, code(&stale)),
        (StatusCode::CONFLICT, "stale_version"),
        "{stale}"
    );
    let version = updated["version"].as_i64().expect("a version");
    let (status, refused) = admin
        .delete(&format!("/admin/services/{CLEANING}?version={version}"))
        .await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::CONFLICT, "open_orders_remain"),
        "{refused}"
    );
    edit["kind"] = json!("premises_request");
    edit["version"] = json!(version);
    let (status, refused) = admin
        .put(&format!("/admin/services/{CLEANING}"), edit.clone())
        .await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::CONFLICT, "kind_in_use"),
        "{refused}"
    );
    // Deactivated: no new orders, the old ones go on.
    edit["kind"] = json!("simple_request");
    edit["active"] = json!(false);
    let (status, off) = admin
        .put(&format!("/admin/services/{CLEANING}"), edit)
        .await;
    assert_eq!(status, StatusCode::OK, "{off}");
    let resident = server.login("resident").await;
    let (status, refused) = resident
        .post("/orders", simple_request(CLEANING, "Помыть окна"))
        .await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::UNPROCESSABLE_ENTITY, "inactive"),
        "{refused}"
    );
    let (status, page) = resident.get("/orders").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    // A new service with no orders can be deleted.
    let (_, fresh) = admin
        .post(
            "/admin/services",
            json!({"name": "Курьер", "kind": "simple_request", "auto_close_minutes": 30}),
        )
        .await;
    let id = fresh["id"].as_i64().expect("an id");
    let (status, _) = admin
        .delete(&format!("/admin/services/{id}?version=1"))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = admin.get(&format!("/admin/services/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_blocked_users_token_gets_401_at_once_and_unblocking_does_not_revive_it() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let resident = server.login("resident").await;
    assert_eq!(resident.get("/me").await.0, StatusCode::OK);
    let (_, user) = admin.get(&format!("/admin/users/{RESIDENT}")).await;
    let (status, blocked) = admin
        .post(
            &format!("/admin/users/{RESIDENT}/block"),
            json!({"version": user["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{blocked}");
    assert_eq!(blocked["blocked"], json!(true));
    assert_eq!(resident.get("/me").await.0, StatusCode::UNAUTHORIZED);
    let (status, refused) = resident
        .post(
            "/auth/login",
            json!({"login": "resident", "password": "demo"}),
        )
        .await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::UNAUTHORIZED, "account_blocked")
    );
    let (status, unblocked) = admin
        .post(
            &format!("/admin/users/{RESIDENT}/unblock"),
            json!({"version": blocked["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{unblocked}");
    assert_eq!(
        resident.get("/me").await.0,
        StatusCode::UNAUTHORIZED,
        "the old token stays dead"
    );
    assert_eq!(
        server.login("resident").await.get("/me").await.0,
        StatusCode::OK
    );
    // The last administrator cannot be blocked.
    let (_, me) = admin.get(&format!("/admin/users/{ADMIN}")).await;
    let (status, refused) = admin
        .post(
            &format!("/admin/users/{ADMIN}/block"),
            json!({"version": me["version"]}),
        )
        .await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::CONFLICT, "last_admin")
    );
}

#[tokio::test]
async fn every_change_is_in_the_audit_with_who_before_and_after_filterable_by_object() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let (_, product) = admin.get(&format!("/admin/products/{FIRST_GOOD}")).await;
    let edit = json!({"version": product["version"], "name": "Кофе молотый", "price": 160000, "on_sale": false});
    let (status, _) = admin
        .put(&format!("/admin/products/{FIRST_GOOD}"), edit)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = admin
        .post("/admin/users", json!({"login": "olga", "name": "Ольга", "role": "shop_manager", "password": "password1"}))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, page) = admin
        .get(&format!(
            "/admin/audit?object=product&object_id={FIRST_GOOD}"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let items = page["items"].as_array().expect("items");
    // Newest first: the edit, then the demo's import that created it.
    assert_eq!(items.len(), 2, "{page}");
    assert_eq!(items[1]["action"], json!("create"));
    assert!(items[1]["actor"].is_null(), "the command line, not a user");
    let entry = &items[0];
    assert_eq!(entry["action"], json!("update"));
    assert_eq!(entry["actor_login"], json!("admin"));
    assert_eq!(entry["before"]["name"], json!("Кофе в зернах, 1 кг"));
    assert_eq!(entry["after"]["name"], json!("Кофе молотый"));
    assert_eq!(entry["after"]["on_sale"], json!(false));
    let (_, users) = admin.get("/admin/audit?object=user").await;
    let created = &users["items"][0];
    assert_eq!(created["action"], json!("create"));
    assert!(created["before"].is_null());
    assert!(created["after"].get("password").is_none(), "{created}");
    let (status, bad) = admin.get("/admin/audit?object=order").await;
    assert_eq!(
        (status, code(&bad)),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_query")
    );
    // Off sale: a new order cannot take it.
    let company = server.login("company").await;
    let body = json!({"service_id": SHOP, "details": {"kind": "nomenclature_sale",
        "items": [{"product_id": FIRST_GOOD, "quantity": 1}]}});
    let (status, refused) = company.post("/orders", body).await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::UNPROCESSABLE_ENTITY, "inactive"),
        "{refused}"
    );
}
