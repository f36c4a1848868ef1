//! «Настройки экосистемы» end to end: in the app the administrator creates
//! a manager and a service the manager is responsible for; a requester
//! creates an order in it through HTTP; the new manager signs in in the app
//! and sees that order. Every admin screen is photographed at phone and
//! desktop sizes, in Russian and in English.

use fantoccini::Locator;
use orderdesk_e2e::{Api, Server, Session, TestResult, DESKTOP, PHONE};
use serde_json::json;

const MANAGER: &str = "night";
const MANAGER_PASSWORD: &str = "night-shift-1";
const SERVICE: &str = "Ночной ремонт";

/// Types into an input, replacing what it held.
async fn fill(session: &Session, css: &str, text: &str) -> TestResult {
    let input = session.wait_for(css).await?;
    input.clear().await?;
    input.send_keys(text).await?;
    Ok(())
}

/// «Новый пользователь»: a service manager with a password of its own.
async fn create_manager(session: &Session) -> TestResult {
    session.click("#new-user").await?;
    fill(session, "#user-login", MANAGER).await?;
    fill(session, "#user-name", "Никита Ночной").await?;
    fill(session, "#user-phone", "+7 900 123-45-67").await?;
    fill(session, "#user-password", MANAGER_PASSWORD).await?;
    session
        .screenshot("admin-user-new-desktop", DESKTOP)
        .await?;
    session.click("#admin-save").await?;
    session
        .wait_for(&format!("#admin-users .admin-row[data-login='{MANAGER}']"))
        .await?;
    Ok(())
}

/// «Новая услуга» with the new manager responsible and a one-hour auto-close.
async fn create_service(session: &Session) -> TestResult {
    session.click("#admin-tab-services").await?;
    session.click("#new-service").await?;
    fill(session, "#service-name", SERVICE).await?;
    fill(session, "#service-auto-close", "60").await?;
    fill(session, "#service-first-response", "30").await?;
    session
        .click(&format!(
            "#service-responsible input[data-login='{MANAGER}']"
        ))
        .await?;
    session
        .screenshot("admin-service-new-desktop", DESKTOP)
        .await?;
    session.click("#admin-save").await?;
    session
        .wait_for(&format!(
            "#admin-services .admin-row[data-name='{SERVICE}']"
        ))
        .await?;
    Ok(())
}

/// Each tab, with a record's form open where there is one, at both sizes.
async fn photograph_tabs(session: &Session, lang: &str) -> TestResult {
    let tabs = [
        ("users", "#admin-users .admin-row"),
        ("services", "#admin-services .admin-row"),
        ("objects", "#admin-objects-booking .admin-row"),
        ("goods", "#admin-products-nomenclature_sale .admin-row"),
    ];
    for (tab, first_row) in tabs {
        session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
        session.click(&format!("#admin-tab-{tab}")).await?;
        session
            .wait_for(&format!("#admin[data-tab='{tab}']"))
            .await?;
        session
            .screenshot(&format!("admin-{tab}-{lang}-desktop"), DESKTOP)
            .await?;
        session
            .screenshot(&format!("admin-{tab}-{lang}-phone"), PHONE)
            .await?;
        session.click(first_row).await?;
        session.wait_for(".admin-form").await?;
        session
            .screenshot(&format!("admin-{tab}-form-{lang}-phone"), PHONE)
            .await?;
        session
            .screenshot(&format!("admin-{tab}-form-{lang}-desktop"), DESKTOP)
            .await?;
        session.click("#admin-close").await?;
    }
    Ok(())
}

/// With the server stopped the screens stay readable, say that changes
/// need a connection, and offer no save; back online, saving returns.
async fn offline_is_read_only(session: &Session, server: &mut Server) -> TestResult {
    server.stop();
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    session.click("#admin-tab-services").await?;
    session
        .wait_text("#admin-offline", "изменения недоступны", 40)
        .await?;
    session
        .click(&format!(
            "#admin-services .admin-row[data-name='{SERVICE}']"
        ))
        .await?;
    let save = session.wait_for("#admin-save").await?;
    assert!(!save.is_enabled().await?, "saving needs a connection");
    session
        .screenshot("admin-offline-ru-desktop", DESKTOP)
        .await?;
    session.screenshot("admin-offline-ru-phone", PHONE).await?;
    session.click("#admin-close").await?;
    server.resume()?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    for _ in 0..120 {
        if session
            .client
            .find(Locator::Css("#admin-offline"))
            .await
            .is_err()
        {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    Err("the read-only banner stayed after the server came back".into())
}

/// Switches the interface to English in the settings dialog.
async fn switch_to_english(session: &Session) -> TestResult {
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    session.click("#open-settings").await?;
    let buttons = session
        .client
        .find_all(fantoccini::Locator::Css("#settings .lang-switch .seg"))
        .await?;
    for button in buttons {
        if button.text().await? == "English" {
            button.click().await?;
        }
    }
    // The backdrop closes the dialog; its centre is the dialog itself.
    session
        .client
        .execute(
            "document.querySelector('.dialog-backdrop').click();",
            vec![],
        )
        .await?;
    session
        .wait_text("#admin .admin-title", "Ecosystem settings", 10)
        .await
}

/// The requester's order in the new service, through the API.
async fn order_in_new_service(server_url: &str) -> Result<i64, Box<dyn std::error::Error>> {
    let resident = Api::login(server_url, "resident").await?;
    let catalog = resident.get("/catalog").await?;
    let service = catalog["services"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == SERVICE))
        .and_then(|s| s["id"].as_i64())
        .ok_or("the new service is not in the requester's catalogue")?;
    let body = json!({
        "service_id": service,
        "description": "Заменить лампу в коридоре",
        "details": {"kind": "simple_request"},
    });
    let order = resident.post("/orders", body).await?;
    order["number"]
        .as_i64()
        .ok_or_else(|| "no order number".into())
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn the_administrator_sets_up_a_service_whose_manager_sees_its_order() -> TestResult {
    let mut server = Server::start()?;
    let session = Session::start_with(&server.url()).await?;
    session.log_in("admin").await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    session.click("#nav-admin").await?;
    session.wait_for("#admin[data-tab='users']").await?;
    session.wait_for("#admin-users .admin-row").await?;
    create_manager(&session).await?;
    create_service(&session).await?;
    photograph_tabs(&session, "ru").await?;
    offline_is_read_only(&session, &mut server).await?;
    switch_to_english(&session).await?;
    photograph_tabs(&session, "en").await?;
    session.close().await?;

    let number = order_in_new_service(&server.url()).await?;
    let manager = Session::start_with(&server.url()).await?;
    fill(&manager, "#login", MANAGER).await?;
    fill(&manager, "#password", MANAGER_PASSWORD).await?;
    manager.click("#sign-in").await?;
    manager
        .wait_for(&format!("#order-list .row[data-number='{number}']"))
        .await?;
    let admin_entries = manager
        .client
        .find_all(fantoccini::Locator::Css("#nav-admin, #tab-admin"))
        .await?;
    assert!(
        admin_entries.is_empty(),
        "a manager gets no «Настройки экосистемы»"
    );
    manager.open_order(number).await?;
    manager.wait_text("#order-view", SERVICE, 10).await?;
    manager
        .screenshot("admin-new-manager-sees-order-desktop", DESKTOP)
        .await?;
    manager.close().await
}
