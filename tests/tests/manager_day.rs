//! A service manager's day in the real app: the overdue mark and the
//! «Просрочено» filter, «Взять в работу» and «Мои», a new order's toast that
//! goes by itself and stays in the bell's history, which opens the order; an
//! internal note that looks nothing like a public message; and the English
//! interface with no Russian outside the data.

use fantoccini::Locator;
use orderdesk_e2e::{Api, Server, Session, TestResult, DESKTOP, PHONE};
use serde_json::{json, Value};
use std::time::Duration;

/// The `data-` attribute and the text of every row on screen.
async fn rows(
    session: &Session,
    attr: &str,
) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let mut found = Vec::new();
    for row in session
        .client
        .find_all(Locator::Css("#order-list .row[data-number]"))
        .await?
    {
        found.push((row.attr(attr).await?.unwrap_or_default(), row.text().await?));
    }
    Ok(found)
}

/// Waits until «Найдено: N» changes from `before`.
async fn count_changes(
    session: &Session,
    before: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    for _ in 0..60 {
        let now = session.text("#order-count").await?;
        if now != before {
            return Ok(now);
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!("the list still says {before}").into())
}

/// «Просрочено» keeps the overdue rows only, each with its mark.
async fn overdue_filter(session: &Session) -> TestResult {
    let all = session.text("#order-count").await?;
    session.click("#quick-overdue").await?;
    count_changes(session, &all).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let shown = rows(session, "data-overdue").await?;
    assert!(!shown.is_empty(), "the demo has overdue requests");
    for (overdue, text) in &shown {
        assert_eq!(
            overdue, "true",
            "a row under «Просрочено» without the mark: {text}"
        );
        assert!(text.contains("Просрочено"), "no overdue mark on {text}");
    }
    session.screenshot("list-overdue-desktop", DESKTOP).await?;
    session.screenshot("list-overdue-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    let filtered = session.text("#order-count").await?;
    session.click("#quick-overdue").await?;
    count_changes(session, &filtered).await?;
    Ok(())
}

/// «Взять в работу» on a new request, then «Мои» lists it, and only the
/// manager's own orders.
async fn take_and_mine(session: &Session, number: i64, my_name: &str) -> TestResult {
    session.open_order(number).await?;
    session.click("#take-in-work").await?;
    session.wait_text("#executor-name", my_name, 10).await?;
    session
        .wait_text(".order-head .status-text", "В работе", 10)
        .await?;
    let search = session.wait_for("#order-search").await?;
    search.clear().await?;
    search.send_keys(" ").await?;
    search.send_keys("\u{E003}").await?;
    let all = session.text("#order-count").await?;
    session.click("#quick-mine").await?;
    count_changes(session, &all).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let shown = rows(session, "data-number").await?;
    assert!(
        shown.iter().any(|(n, _)| n == &number.to_string()),
        "the taken order is among «Мои»"
    );
    for (n, text) in &shown {
        assert!(
            text.contains(my_name),
            "order {n} under «Мои» is not {my_name}'s: {text}"
        );
    }
    session.screenshot("list-mine-desktop", DESKTOP).await?;
    session.click("#quick-mine").await?;
    Ok(())
}

/// A new request from the resident: its toast comes and goes by itself; the
/// bell counts it, and its history opens the order.
async fn bell_opens_the_order(session: &Session, resident: &Api) -> TestResult {
    let catalog = resident.get("/catalog").await?;
    let service = catalog["services"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["kind"] == "simple_request"))
        .and_then(|s| s["id"].as_i64())
        .ok_or("no simple request service in the catalog")?;
    let created = resident
        .post(
            "/orders",
            json!({"service_id": service, "description": "Проверка колокольчика",
            "details": {"kind": "simple_request"}}),
        )
        .await?;
    let number = created["number"].as_i64().ok_or("no number")?;
    let toast = format!(".toasts .notice[data-order='{number}']");
    session.wait_for(&toast).await?;
    session.screenshot("toast-phone", PHONE).await?;
    session.screenshot("toast-desktop", DESKTOP).await?;
    // The toast goes by itself within a generous bound.
    let mut gone = false;
    for _ in 0..60 {
        if session.client.find(Locator::Css(&toast)).await.is_err() {
            gone = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(gone, "the toast did not go by itself within 15 s");
    let name = session
        .wait_for("#bell")
        .await?
        .attr("aria-label")
        .await?
        .unwrap_or_default();
    assert!(
        name.contains("непрочитанных"),
        "the bell's name says what is unread: {name}"
    );
    session.click("#bell").await?;
    let entry = format!("#notice-history .history-entry[data-order='{number}']");
    session.wait_for(&entry).await?;
    session
        .screenshot("notification-history-desktop", DESKTOP)
        .await?;
    session
        .screenshot("notification-history-phone", PHONE)
        .await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    session.click(&entry).await?;
    session
        .wait_for(&format!("#order-view[data-number='{number}']"))
        .await?;
    Ok(())
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn a_service_manager_triages_takes_work_and_follows_the_bell() -> TestResult {
    let server = Server::start()?;
    let url = server.url();
    let resident = Api::login(&url, "resident").await?;
    let manager = Api::login(&url, "service").await?;
    let me = manager.get("/me").await?;
    let my_name = me["user"]["name"].as_str().ok_or("no name")?.to_owned();
    let number = *resident
        .numbers("status=new&kind=simple_request")
        .await?
        .first()
        .ok_or("the demo has no new simple request of the resident")?;

    let session = Session::start_with(&url).await?;
    session.log_in("service").await?;
    session.screenshot("list-rows-desktop", DESKTOP).await?;
    session.screenshot("list-rows-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    overdue_filter(&session).await?;
    take_and_mine(&session, number, &my_name).await?;
    bell_opens_the_order(&session, &resident).await?;
    session.close().await
}

/// The background of the newest message in the open chat tab.
async fn last_message_background(session: &Session) -> Result<Value, Box<dyn std::error::Error>> {
    Ok(session
        .client
        .execute(
            "const all = document.querySelectorAll('#chat .msg:not(.msg-system)');
             const last = all[all.length - 1];
             return last ? getComputedStyle(last).backgroundColor : null;",
            vec![],
        )
        .await?)
}

/// Every piece of interface text — text, placeholders, names for screen
/// readers — with the data (services, objects, people, what was written)
/// taken out: what English must leave with no Cyrillic.
const INTERFACE_TEXT: &str = r#"
    const data = `.row-title, .row-desc, .row-booked, .row-place, .row-executor, .order-title,
        .order-when, .msg-text, .msg-author, .person-line, .fields dd, .me .strong, #executor-name,
        .choice span, .history-change, .collect-line .grow, option, .history-text, [lang='ru'],
        .muted.small, .field-row dd, .payment .muted, .details dd, .stay-title, .tariff, textarea`;
    const skip = (el) => el.closest(data) !== null;
    const texts = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (node.parentElement && !skip(node.parentElement) && node.textContent.trim()) {
            texts.push(node.textContent.trim());
        }
    }
    for (const el of document.querySelectorAll("[placeholder], [aria-label], [title]")) {
        if (skip(el)) continue;
        for (const a of ["placeholder", "aria-label", "title"]) {
            const v = el.getAttribute(a);
            if (v) texts.push(v);
        }
    }
    return texts.filter((t) => /[А-Яа-яЁё]/.test(t));
"#;

async fn no_russian(session: &Session, screen: &str) -> TestResult {
    let found = session.client.execute(INTERFACE_TEXT, vec![]).await?;
    let found = found.as_array().cloned().unwrap_or_default();
    assert!(
        found.is_empty(),
        "Russian on the English {screen}: {found:?}"
    );
    Ok(())
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn internal_notes_stand_out_and_english_has_no_russian_outside_data() -> TestResult {
    let server = Server::start()?;
    let url = server.url();
    let manager = Api::login(&url, "service").await?;
    let number = *manager
        .numbers("status=new&kind=simple_request")
        .await?
        .first()
        .ok_or("the demo has no new simple request")?;
    let session = Session::start_with(&url).await?;
    session.log_in("service").await?;
    session.open_order(number).await?;

    let input = session.wait_for("#chat-input").await?;
    input.send_keys("Публичный ответ заявителю").await?;
    session
        .click("#chat .composer button[type='submit']")
        .await?;
    session
        .wait_text("#chat .messages", "Публичный ответ заявителю", 10)
        .await?;
    let public = last_message_background(&session).await?;
    session.click("#chat-tab-internal").await?;
    let placeholder = session
        .wait_for("#chat-input")
        .await?
        .attr("placeholder")
        .await?
        .unwrap_or_default();
    assert!(
        placeholder.contains("не увидит"),
        "the internal placeholder warns: {placeholder}"
    );
    let input = session.wait_for("#chat-input").await?;
    input.send_keys("Внутренняя заметка").await?;
    session
        .click("#chat .composer button[type='submit']")
        .await?;
    session
        .wait_text("#chat .messages", "Внутренняя заметка", 10)
        .await?;
    session
        .wait_text("#chat .msg-internal", "Внутреннее", 10)
        .await?;
    let internal = last_message_background(&session).await?;
    assert_ne!(
        public, internal,
        "an internal note looks like a public message"
    );
    session.scroll_to("#chat").await?;
    session.screenshot("chat-internal-desktop", DESKTOP).await?;
    session.screenshot("chat-internal-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;

    session.click("#open-settings").await?;
    session
        .click("#settings .lang-switch button[lang='en']")
        .await?;
    press_escape(&session).await?;
    session
        .wait_text("#order-view", "Change executor", 10)
        .await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    no_russian(&session, "order card").await?;
    session.screenshot("order-english-desktop", DESKTOP).await?;
    session.screenshot("order-english-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    session.click("#chat-tab-public").await?;
    no_russian(&session, "public chat").await?;
    no_russian(&session, "list").await?;
    session.click("#bell").await?;
    no_russian(&session, "notification history").await?;
    session.close().await
}

async fn press_escape(session: &Session) -> TestResult {
    let active = session.client.active_element().await?;
    active.send_keys("\u{E00C}").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}
