//! Shop collection line by line, the internal chat, and work with the
//! server gone.

use fantoccini::Locator;
use orderdesk_e2e::{Api, Server, Session, TestResult, DESKTOP, PHONE};
use serde_json::{json, Value};
use std::time::Duration;

fn texts(list: &Value) -> Vec<(String, String)> {
    list["messages"]
        .as_array()
        .map(|m| {
            m.iter()
                .map(|m| {
                    (
                        m["text"].as_str().unwrap_or_default().to_owned(),
                        m["visibility"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A paid order being collected with two open lines: its number, the open
/// lines and the total before collection.
async fn paid_collecting_order(
    shop: &Api,
) -> Result<(i64, Vec<i64>, Value), Box<dyn std::error::Error>> {
    for number in shop
        .numbers("kind=nomenclature_sale&status=collecting")
        .await?
    {
        let order = shop.order(number).await?;
        let open: Vec<i64> = order["lines"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter(|l| l["outcome"].is_null())
                    .filter_map(|l| l["line"].as_i64())
                    .collect()
            })
            .unwrap_or_default();
        if open.len() >= 2 && order["payment"]["paid"].as_i64().unwrap_or(0) > 0 {
            return Ok((number, open, order["payment"]["total"].clone()));
        }
    }
    Err("no paid collecting order with two open lines".into())
}

/// Marks the first open line collected and the second missing one piece.
async fn collect_with_a_missing_line(session: &Session, open: &[i64]) -> TestResult {
    let collected = format!("#collection .collect-line[data-line='{}']", open[0]);
    let missing = format!("#collection .collect-line[data-line='{}']", open[1]);
    session.click(&format!("{collected} .collect-ok")).await?;
    session.wait_text(&collected, "Собрано", 10).await?;
    session
        .click(&format!("{missing} .collect-missing"))
        .await?;
    let quantity = session.wait_for(".collect-ask .missing-qty").await?;
    quantity.clear().await?;
    quantity.send_keys("1").await?;
    session.click(".collect-ask .save-missing").await?;
    session.wait_text(&missing, "Не хватает: 1", 10).await
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn shop_manager_collects_an_order_with_a_missing_line() -> TestResult {
    let server = Server::start()?;
    let url = server.url();
    let shop = Api::login(&url, "shop").await?;
    let (number, open, total_before) = paid_collecting_order(&shop).await?;

    let session = Session::start_with(&url).await?;
    session.log_in("shop").await?;
    session.open_order(number).await?;
    session.wait_for("#collection").await?;
    session.screenshot("order-shop-desktop", DESKTOP).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;

    collect_with_a_missing_line(&session, &open).await?;
    session.client.set_window_size(PHONE.0, PHONE.1).await?;
    session.scroll_to("#collection").await?;
    session
        .screenshot("order-shop-collected-phone", PHONE)
        .await?;
    session
        .screenshot("order-shop-collected-desktop", DESKTOP)
        .await?;

    let line = open[1];
    shop.wait_order(number, 15, |o| {
        o["lines"].as_array().is_some_and(|lines| {
            lines.iter().any(|l| {
                l["line"] == line && l["outcome"] == json!({"outcome": "missing", "quantity": 1})
            })
        }) && o["payment"]["total"] != total_before
    })
    .await?;
    // The smaller total reaches the screen once the server has it.
    let total_after = shop.order(number).await?["payment"]["total"]
        .as_i64()
        .ok_or("no total")?;
    let expected = total_after.to_string();
    for _ in 0..40 {
        let shown = session
            .wait_for("#collection-total")
            .await?
            .attr("data-kopecks")
            .await?;
        if shown.as_deref() == Some(expected.as_str()) {
            return session.close().await;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!("the collection total never showed {expected} kopecks").into())
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn internal_messages_reach_managers_only() -> TestResult {
    let server = Server::start()?;
    let url = server.url();
    let resident = Api::login(&url, "resident").await?;
    let manager = Api::login(&url, "service").await?;
    let number = *resident
        .numbers("kind=simple_request&status=new")
        .await?
        .first()
        .ok_or("no request of the resident")?;

    let session = Session::start_with(&url).await?;
    session.log_in("service").await?;
    session.open_order(number).await?;
    let internal = "Проверить пропуск у охраны до визита";
    let public = "Здравствуйте! Приняли вашу заявку";
    for (tab, text) in [("Внутреннее", internal), ("Публичное", public)] {
        let mut clicked = false;
        for button in session.client.find_all(Locator::Css("#chat .tab")).await? {
            if button.text().await?.trim() == tab {
                button.click().await?;
                clicked = true;
            }
        }
        assert!(clicked, "no «{tab}» tab");
        let input = session.wait_for("#chat-input").await?;
        input.send_keys(text).await?;
        session
            .click("#chat .composer button[type='submit']")
            .await?;
        session.wait_text("#chat .messages", text, 10).await?;
    }
    session.screenshot("order-chat-desktop", DESKTOP).await?;
    session.client.set_window_size(PHONE.0, PHONE.1).await?;
    session.scroll_to("#chat").await?;
    session.screenshot("order-chat-phone", PHONE).await?;

    let path = format!("/orders/{number}/messages");
    let mut seen = Vec::new();
    for _ in 0..60 {
        seen = texts(&manager.get(&path).await?);
        if seen.iter().any(|(t, _)| t == internal) && seen.iter().any(|(t, _)| t == public) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        seen.contains(&(internal.to_owned(), "internal".to_owned())),
        "the manager sees the internal message: {seen:?}"
    );
    let requester_sees = texts(&resident.get(&path).await?);
    assert!(
        requester_sees.iter().any(|(t, _)| t == public),
        "the requester sees the public message: {requester_sees:?}"
    );
    assert!(
        requester_sees.iter().all(|(t, _)| t != internal),
        "the requester never sees the internal message: {requester_sees:?}"
    );
    session.close().await
}

/// With the server gone: take the order, start it and answer in the public
/// chat; each shows at once, marked as waiting.
async fn act_offline(session: &Session, name: &str, number: i64, answer: &str) -> TestResult {
    session.click("#change-executor").await?;
    for choice in session
        .client
        .find_all(Locator::Css(".choice-list .choice"))
        .await?
    {
        if choice.text().await?.contains(name) {
            choice.click().await?;
            break;
        }
    }
    session.wait_text("#executor-name", name, 10).await?;
    session.change_status("В работе").await?;
    session
        .wait_text(".order-head .status-text", "В работе", 10)
        .await?;
    session.wait_for("#order-pending").await?;
    session
        .wait_for("#chat-input")
        .await?
        .send_keys(answer)
        .await?;
    session
        .click("#chat .composer button[type='submit']")
        .await?;
    session.wait_text("#chat .msg-pending", answer, 10).await?;
    session
        .wait_text("#chat .msg-pending .msg-time", "Ожидает отправки", 5)
        .await?;
    session
        .wait_text(".banner-offline", "Нет связи с сервером", 20)
        .await?;
    session
        .wait_text(".banner-offline", "Ожидают отправки: 3", 10)
        .await?;
    session
        .wait_text(
            &format!("#order-list .row[data-number='{number}']"),
            "В работе",
            10,
        )
        .await?;
    session.wait_for("#order-list .pending-mark").await?;
    Ok(())
}

/// Signing out now would lose the actions: the app asks first, and «Нет»
/// keeps the manager signed in with the actions still waiting.
async fn sign_out_asks_and_no_keeps_them(session: &Session) -> TestResult {
    session.click("#open-settings").await?;
    session.click("#sign-out").await?;
    session
        .wait_text("#confirm-sign-out", "неотправленные действия: 3", 20)
        .await?;
    session
        .screenshot("sign-out-unsent-desktop", DESKTOP)
        .await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    session.click("#confirm-sign-out-no").await?;
    session
        .wait_text(".banner-offline", "Ожидают отправки: 3", 10)
        .await?;
    assert!(
        session
            .client
            .find(Locator::Css(".login-card"))
            .await
            .is_err(),
        "«Нет» must keep the manager signed in"
    );
    Ok(())
}

/// The banner goes once everything is sent, and the pending marks with it.
async fn pending_marks_clear(session: &Session) -> TestResult {
    for _ in 0..80 {
        let offline = session.client.find(Locator::Css(".banner-offline")).await;
        let pending = session.client.find(Locator::Css("#order-pending")).await;
        let message = session
            .client
            .find(Locator::Css("#chat .msg-pending"))
            .await;
        if offline.is_err() && pending.is_err() && message.is_err() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err("the offline banner or a pending mark stayed after the server came back".into())
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn actions_taken_offline_are_sent_when_the_server_returns() -> TestResult {
    let mut server = Server::start()?;
    let url = server.url();
    let resident = Api::login(&url, "resident").await?;
    let manager = Api::login(&url, "service").await?;
    let name = manager.get("/me").await?["user"]["name"]
        .as_str()
        .ok_or("no name")?
        .to_owned();
    let number = *resident
        .numbers("kind=simple_request&status=new")
        .await?
        .first()
        .ok_or("no request of the resident")?;

    let session = Session::start_with(&url).await?;
    session.log_in("service").await?;
    session.open_order(number).await?;

    server.stop();
    let answer = "Мастер придёт завтра утром";
    act_offline(&session, &name, number, answer).await?;
    session.screenshot("offline-desktop", DESKTOP).await?;
    session.screenshot("offline-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    sign_out_asks_and_no_keeps_them(&session).await?;

    server.resume()?;
    manager
        .wait_order(number, 60, |o| {
            o["status"] == "in_progress" && o["executor"]["name"] == name.as_str()
        })
        .await?;
    let sent = manager.get(&format!("/orders/{number}/messages")).await?;
    assert_eq!(
        texts(&sent)
            .iter()
            .filter(|(text, visibility)| text == answer && visibility == "public")
            .count(),
        1,
        "the offline answer reached the server once: {sent}"
    );
    pending_marks_clear(&session).await?;
    session.close().await
}
