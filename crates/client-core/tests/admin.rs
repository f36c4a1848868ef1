//! The administrator's calls of the core against a real server: the
//! organisation is read and kept for offline reading; changes go straight
//! to the server, keep the server's refusal codes, and offline fail at once
//! with nothing queued.

mod common;

use common::{temp_dir, Net, TestServer, PASSWORD};
use orderdesk_client_core::{Client, CoreError, MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{Lang, OrderKind, Role, UserId};
use orderdesk_protocol::{
    ErrorCode, NewUserRequest, ServiceRequest, ServiceUpdateRequest, UserUpdateRequest,
};
use orderdesk_server::storage::{self, UserRow};
use orderdesk_server::PasswordCost;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The test server with an administrator `chief` added.
async fn server_with_admin(name: &str) -> TestServer {
    let server = TestServer::start(name).await;
    let hash =
        orderdesk_server::passwords::hash_password(PASSWORD, PasswordCost::Fast).expect("hash");
    let mut tx = server.state.storage().begin().await.expect("begin");
    let row = UserRow {
        id: 0,
        login: "chief".to_owned(),
        password_hash: hash,
        role: Role::Admin.id().to_owned(),
        name: "Анна Главная".to_owned(),
        phone: None,
        email: None,
        company: None,
    };
    storage::insert_user(&mut tx, &row).await.expect("admin");
    tx.commit().await.expect("commit");
    server
}

async fn signed_in(server: &TestServer, dir: &str, login: &str) -> Client {
    let tokens = Arc::new(MemoryTokenStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    server
        .client(&temp_dir(dir), &tokens, &notifier, login)
        .await
}

fn manager(login: &str) -> NewUserRequest {
    NewUserRequest {
        login: login.to_owned(),
        name: "Новый Менеджер".to_owned(),
        role: Role::ServiceManager,
        password: "secret-pass-1".to_owned(),
        phone: None,
        email: None,
        company: None,
    }
}

fn service(name: &str, responsible: Vec<UserId>) -> ServiceRequest {
    ServiceRequest {
        name: name.to_owned(),
        kind: OrderKind::SimpleRequest,
        auto_close_minutes: 1,
        first_response_minutes: Some(30),
        completion_minutes: None,
        responsible,
        active: true,
    }
}

#[tokio::test]
async fn the_administrator_reads_and_changes_the_organisation() {
    let server = server_with_admin("admin-changes").await;
    let admin = signed_in(&server, "admin-changes-app", "chief").await;
    let read = admin.admin_data(Lang::Ru).await.expect("read");
    assert!(read.fresh && read.read_at.is_some());
    assert!(
        read.users.iter().any(|u| u.login == "service"),
        "{:?}",
        read.users
    );
    assert!(read.services.iter().any(|s| s.name == "Уборка"));

    let created = admin
        .create_user(&manager("night"), Lang::Ru)
        .await
        .expect("user");
    let made = service("Ночной ремонт", vec![created.id]);
    let repair = admin
        .create_service(&made, Lang::Ru)
        .await
        .expect("service");
    assert_eq!(
        (repair.auto_close_minutes, repair.responsible.clone()),
        (1, vec![created.id])
    );

    let read = admin.admin_data(Lang::Ru).await.expect("read again");
    assert!(read.users.iter().any(|u| u.login == "night"));
    let kept = read
        .services
        .iter()
        .find(|s| s.id == repair.id)
        .expect("the new service");
    assert_eq!(kept.responsible, vec![created.id]);

    let blocked = admin
        .block_user(created.id, created.version, true, Lang::Ru)
        .await
        .expect("block");
    assert!(blocked.blocked);
    let role = UserUpdateRequest {
        version: blocked.version,
        name: blocked.name.clone(),
        role: Role::RentalManager,
        phone: None,
        email: None,
        company: None,
    };
    let moved = admin
        .update_user(created.id, &role, Lang::Ru)
        .await
        .expect("role");
    assert_eq!(moved.role, Role::RentalManager);
}

#[tokio::test]
async fn refusals_keep_the_server_code_in_the_language_asked() {
    let server = server_with_admin("admin-refusals").await;
    let admin = signed_in(&server, "admin-refusals-app", "chief").await;
    let made = service("Ночной ремонт", Vec::new());
    let repair = admin
        .create_service(&made, Lang::Ru)
        .await
        .expect("service");
    let created = admin
        .create_user(&manager("night"), Lang::Ru)
        .await
        .expect("user");
    // A change based on what was read before someone else's is refused as stale.
    let mut change = ServiceUpdateRequest {
        version: repair.version,
        name: "Ночной ремонт".to_owned(),
        kind: OrderKind::SimpleRequest,
        auto_close_minutes: 5,
        first_response_minutes: None,
        completion_minutes: None,
        responsible: vec![created.id],
        active: true,
    };
    admin
        .update_service(repair.id, &change, Lang::Ru)
        .await
        .expect("first change");
    change.auto_close_minutes = 10;
    let stale = admin
        .update_service(repair.id, &change, Lang::Ru)
        .await
        .expect_err("stale");
    assert_eq!(
        stale.clone().into_admin_error().code,
        ErrorCode::StaleVersion,
        "{stale:?}"
    );

    // Bad input keeps the server's code, in the language asked for.
    let mut wrong = service("Без времени", Vec::new());
    wrong.auto_close_minutes = 0;
    let ru = admin
        .create_service(&wrong, Lang::Ru)
        .await
        .expect_err("refused");
    let en = admin
        .create_service(&wrong, Lang::En)
        .await
        .expect_err("refused");
    let (ru, en) = (ru.into_admin_error(), en.into_admin_error());
    assert_eq!(
        (ru.code, en.code),
        (ErrorCode::InvalidMinutes, ErrorCode::InvalidMinutes)
    );
    assert_ne!(ru.message, en.message, "each in its language");
}

#[tokio::test]
async fn offline_the_last_read_stays_readable_and_changes_fail_at_once() {
    let server = server_with_admin("admin-offline").await;
    let admin = signed_in(&server, "admin-offline-app", "chief").await;
    let online = admin.admin_data(Lang::Ru).await.expect("read");

    server.set_net(Net::Down);
    let kept = admin
        .admin_data(Lang::Ru)
        .await
        .expect("the copy last read");
    assert!(!kept.fresh);
    assert_eq!(
        (kept.users.clone(), kept.services.clone()),
        (online.users.clone(), online.services.clone())
    );
    let started = Instant::now();
    let refused = admin
        .create_user(&manager("offline"), Lang::Ru)
        .await
        .expect_err("offline");
    assert!(matches!(refused, CoreError::Offline(_)), "{refused:?}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "fails at once, not after retries"
    );
    assert_eq!(
        refused.into_admin_error().code,
        ErrorCode::ServerUnreachable
    );

    server.set_net(Net::Up);
    let after = admin.admin_data(Lang::Ru).await.expect("read");
    assert!(after.fresh);
    assert!(
        after.users.iter().all(|u| u.login != "offline"),
        "nothing was queued"
    );
    assert_eq!(admin.status().expect("status").pending, 0);
}

#[tokio::test]
async fn a_manager_gets_no_organisation_and_keeps_none() {
    let server = server_with_admin("admin-forbidden").await;
    let manager = signed_in(&server, "admin-forbidden-app", "service").await;
    let refused = manager
        .admin_data(Lang::Ru)
        .await
        .expect_err("not an administrator");
    assert_eq!(refused.into_admin_error().code, ErrorCode::RoleNotAllowed);
    assert_eq!(manager.last_admin_data().expect("cache"), None);
}
