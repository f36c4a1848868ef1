//! The administration API from outside, on a real server with the demo:
//! only the administrator is served, bad input names what to fix, stale
//! edits and deletes that would strand orders are refused, blocks end
//! sessions at once, and every change lands in the audit.

mod common;

use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ADMIN: i64 = 1;

/// Every admin path with a body that would succeed for an administrator
/// (demo ids: resident 6, «Вызов сантехника» 2, «Переговорная Java» 2,
/// meeting rooms 5, the shop 8, the first good 6).
const ADMIN_CALLS: [(&str, &str, &str); 24] = [
    ("GET", "/admin/users", ""),
    (
        "POST",
        "/admin/users",
        r#"{"login": "new", "name": "Новый", "role": "requester", "password": "password1"}"#,
    ),
    ("GET", "/admin/users/6", ""),
    (
        "PUT",
        "/admin/users/6",
        r#"{"version": 1, "name": "Иван", "role": "requester"}"#,
    ),
    ("POST", "/admin/users/6/block", r#"{"version": 1}"#),
    ("POST", "/admin/users/6/unblock", r#"{"version": 1}"#),
    (
        "POST",
        "/admin/users/6/password",
        r#"{"password": "password2"}"#,
    ),
    ("GET", "/admin/payers", ""),
    ("GET", "/admin/services", ""),
    (
        "POST",
        "/admin/services",
        r#"{"name": "Химчистка", "kind": "simple_request", "auto_close_minutes": 60}"#,
    ),
    ("GET", "/admin/services/2", ""),
    (
        "PUT",
        "/admin/services/2",
        r#"{"version": 1, "name": "Сантехник", "kind": "simple_request", "auto_close_minutes": 60, "active": true}"#,
    ),
    ("DELETE", "/admin/services/2?version=1", ""),
    ("GET", "/admin/objects", ""),
    (
        "POST",
        "/admin/objects",
        r#"{"service_id": 5, "name": "Переговорная Rust", "unit_price": 10000, "capacity": 1}"#,
    ),
    ("GET", "/admin/objects/2", ""),
    (
        "PUT",
        "/admin/objects/2",
        r#"{"version": 1, "name": "Java", "unit_price": 20000, "capacity": 1, "active": true}"#,
    ),
    ("DELETE", "/admin/objects/2?version=1", ""),
    ("GET", "/admin/products", ""),
    (
        "POST",
        "/admin/products",
        r#"{"service_id": 8, "name": "Мед", "price": 50000}"#,
    ),
    ("GET", "/admin/products/6", ""),
    (
        "PUT",
        "/admin/products/6",
        r#"{"version": 1, "name": "Кофе", "price": 100, "on_sale": true}"#,
    ),
    ("DELETE", "/admin/products/6?version=1", ""),
    ("GET", "/admin/audit", ""),
];

fn admin_calls() -> Vec<(&'static str, String, Value)> {
    ADMIN_CALLS
        .iter()
        .map(|(method, path, body)| {
            let body = if body.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(body).expect("JSON")
            };
            (*method, (*path).to_owned(), body)
        })
        .collect()
}

/// Bodies an administrator gets 422 for, and the code that says what to
/// fix (demo ids: «Ирина Сервисова» 2, «Уборка» 1, meeting rooms 5, the shop 8).
const BAD_INPUTS: [(&str, &str, &str); 11] = [
    (
        "/admin/users",
        r#"{"login": "плохой логин", "name": "Имя", "role": "requester", "password": "password1"}"#,
        "invalid_login",
    ),
    (
        "/admin/users",
        r#"{"login": "service", "name": "Имя", "role": "requester", "password": "password1"}"#,
        "login_taken",
    ),
    (
        "/admin/users",
        r#"{"login": "fresh", "name": "Имя", "role": "requester", "password": "short"}"#,
        "invalid_password",
    ),
    (
        "/admin/users",
        r#"{"login": "x", "name": "X", "role": "shop_manager", "password": "password1", "company": "ООО"}"#,
        "company_for_requester_only",
    ),
    (
        "/admin/services",
        r#"{"name": "Х", "kind": "simple_request", "auto_close_minutes": 0}"#,
        "invalid_minutes",
    ),
    (
        "/admin/services",
        r#"{"name": "Х", "kind": "booking", "auto_close_minutes": 5, "responsible": [2]}"#,
        "responsible_role_mismatch",
    ),
    (
        "/admin/services",
        r#"{"name": "Х", "kind": "booking", "auto_close_minutes": 5, "responsible": [999]}"#,
        "unknown_user",
    ),
    (
        "/admin/objects",
        r#"{"service_id": 1, "name": "Х", "unit_price": 100, "capacity": 1}"#,
        "wrong_service_kind",
    ),
    (
        "/admin/objects",
        r#"{"service_id": 5, "name": "Х", "unit_price": 100, "capacity": 3}"#,
        "invalid_capacity",
    ),
    (
        "/admin/objects",
        r#"{"service_id": 5, "name": "Х", "unit_price": 100, "capacity": 1, "hours": {"first_slot": "07:00", "last_slot": "12:00"}}"#,
        "invalid_opening_hours",
    ),
    (
        "/admin/products",
        r#"{"service_id": 8, "name": "Х", "price": 0}"#,
        "invalid_price",
    ),
];

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
    let before = fingerprint(&server, &admin).await;
    for (path, body, expected) in BAD_INPUTS {
        let body: Value = serde_json::from_str(body).expect("JSON");
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
    assert_eq!(
        fingerprint(&server, &admin).await,
        before,
        "a refused call changed something"
    );
    let english = admin
        .http
        .post(format!("{}/admin/users", admin.base))
        .bearer_auth(admin.token.clone().expect("a token"))
        .header("Accept-Language", "en")
        .json(&json!({"login": "fresh", "name": "Имя", "role": "requester", "password": "short"}));
    let (_, answer) = admin.send(english).await;
    let message = answer["error"]["message"].as_str().expect("a message");
    assert!(message.starts_with("A password has 8"), "{message}");
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
    let (_, catalog) = company.get("/catalog").await;
    let goods = catalog["products"].as_array().expect("goods");
    assert!(
        goods.iter().all(|p| p["id"] != json!(FIRST_GOOD)),
        "off sale, not offered"
    );
    assert_eq!(goods.len(), 16, "the other goods and extras stay");
    let (status, refused) = company.post("/orders", body).await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::UNPROCESSABLE_ENTITY, "inactive"),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_users_open_event_stream_ends_and_tells_them_nothing_more() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let resident = server.login("resident").await;
    let stream = resident
        .http
        .get(format!("{}/events", resident.base))
        .bearer_auth(resident.token.clone().expect("a token"))
        .header("accept", "text/event-stream")
        .send()
        .await
        .expect("the event stream opens");
    assert_eq!(stream.status(), StatusCode::OK);
    let (_, user) = admin.get(&format!("/admin/users/{RESIDENT}")).await;
    let (status, _) = admin
        .post(
            &format!("/admin/users/{RESIDENT}/block"),
            json!({"version": user["version"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Any change wakes the stream, which finds its session gone.
    let service = server.login("service").await;
    let (_, page) = service.get("/orders?status=new&per_page=1").await;
    let number = page["items"][0]["number"].as_i64().expect("a new order");
    let (status, _) = service
        .post(
            &format!("/orders/{number}/status"),
            json!({"status": "in_progress"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let rest = tokio::time::timeout(std::time::Duration::from_secs(10), stream.text()).await;
    let rest = rest.expect("the stream ended").expect("a body");
    assert!(
        !rest.contains("event: order"),
        "nothing told after the block: {rest}"
    );
}
