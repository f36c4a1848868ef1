//! A service manager takes a request through its life, and the requester's
//! return reaches the app as a notification.

use orderdesk_e2e::{Api, Server, Session, TestResult, DESKTOP, PHONE};
use std::time::Duration;

/// Waits until the server holds `status` for the order.
async fn server_status(api: &Api, number: i64, status: &str) -> TestResult {
    for _ in 0..60 {
        if api.order(number).await?["status"] == status {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let now = api.order(number).await?["status"].clone();
    Err(format!("order {number} did not reach {status} on the server; it is {now}").into())
}

/// «Изменить исполнителя» offers the responsible users; the manager takes
/// the order.
async fn take_as_executor(session: &Session, my_name: &str) -> TestResult {
    session.click("#change-executor").await?;
    let choices = session
        .client
        .find_all(fantoccini::Locator::Css(".choice-list .choice"))
        .await?;
    let mut picked = false;
    for choice in choices {
        if choice.text().await?.contains(my_name) {
            choice.click().await?;
            picked = true;
            break;
        }
    }
    assert!(picked, "{my_name} is not among the executors offered");
    session.wait_text("#executor-name", my_name, 10).await
}

/// «В работе», then «Выполнен. Ожидает подтверждения», each reaching the
/// server.
async fn work_to_confirmation(session: &Session, manager: &Api, number: i64) -> TestResult {
    session.change_status("В работе").await?;
    session
        .wait_text(".order-head .status-text", "В работе", 10)
        .await?;
    server_status(manager, number, "in_progress").await?;

    session
        .change_status("Выполнен. Ожидает подтверждения")
        .await?;
    session
        .wait_text(
            ".order-head .status-text",
            "Выполнен. Ожидает подтверждения",
            10,
        )
        .await?;
    server_status(manager, number, "awaiting_confirmation").await
}

/// The requester returns the order through the API; the app raises a
/// notice, and a click on it opens the order, back in work.
async fn returned_order_notifies(session: &Session, resident: &Api, number: i64) -> TestResult {
    resident
        .post(&format!("/orders/{number}/return"), serde_json::json!({}))
        .await?;
    session
        .wait_text("#notifications", "Заказ вернули в работу", 20)
        .await?;
    session
        .wait_text(
            &format!(".notice[data-order='{number}']"),
            &number.to_string(),
            5,
        )
        .await?;
    session.screenshot("notification-desktop", DESKTOP).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    session
        .click(&format!(".notice[data-order='{number}'] .notice-open"))
        .await?;
    session
        .wait_text(".order-head .status-text", "В работе", 20)
        .await
}

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn service_manager_works_a_request_and_sees_it_returned() -> TestResult {
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
    session.screenshot("list-desktop", DESKTOP).await?;
    session.screenshot("list-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;

    session.open_order(number).await?;
    session
        .wait_text(".order-head .status-text", "Новый", 10)
        .await?;
    session.screenshot("order-request-desktop", DESKTOP).await?;
    session.screenshot("order-request-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;

    take_as_executor(&session, &my_name).await?;
    work_to_confirmation(&session, &manager, number).await?;
    assert_eq!(
        manager.order(number).await?["executor"]["name"],
        my_name.as_str()
    );
    returned_order_notifies(&session, &resident, number).await?;
    session.close().await
}

/// A restart with a stored session opens the list from the local cache,
/// even with the server gone; prints the cold start and memory figures.
#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn restart_opens_the_cached_list_with_the_server_gone() -> TestResult {
    let mut server = Server::start()?;
    let session = Session::start_with(&server.url()).await?;
    session.log_in("service").await?;
    let rows = session.text("#order-count").await?;
    for (name, kib) in Session::memory_kib() {
        println!("memory after first sync: {name} {} MiB", kib / 1024);
    }
    server.stop();

    let started = std::time::Instant::now();
    let session = session.restart().await?;
    // No login screen: the token comes from the keyring, the rows from the cache.
    session.wait_for("#order-list .row").await?;
    let cold = started.elapsed();
    println!(
        "cold start to first list from cache: {} ms",
        cold.as_millis()
    );
    assert!(
        session
            .client
            .find(fantoccini::Locator::Css(".login-card"))
            .await
            .is_err(),
        "the stored session was not restored"
    );
    assert_eq!(session.text("#order-count").await?, rows);
    session
        .wait_text(".banner-offline", "Нет связи с сервером", 30)
        .await?;

    // Text search needs only the cache: part of a word, any case, finds the
    // orders of «Уборка» and not those of «Аренда помещения».
    let search = session.wait_for("#order-search").await?;
    search.send_keys("УБОРК").await?;
    let found = wait_count_change(&session, &rows).await?;
    let count = |text: &str| -> Result<u64, String> {
        text.rsplit(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| format!("no count in «{text}»"))
    };
    let typed = search.prop("value").await?.unwrap_or_default();
    assert!(
        count(&found)? > 0 && count(&found)? < count(&rows)?,
        "search for «{typed}» found «{found}» of «{rows}»"
    );
    session.wait_for("#order-list .row").await?;
    session.screenshot("search-offline-phone", PHONE).await?;
    session.client.set_window_size(DESKTOP.0, DESKTOP.1).await?;
    let search = session.wait_for("#order-search").await?;
    search.clear().await?;
    // Clearing the field alone sends no input event in WebKit: type and erase.
    search.send_keys(" ").await?;
    search.send_keys("\u{E003}").await?;
    assert_eq!(wait_count_change(&session, &found).await?, rows);
    for (name, kib) in Session::memory_kib() {
        println!("memory after restart: {name} {} MiB", kib / 1024);
    }
    session.close().await
}

/// Waits until «Найдено: N» says something other than `before`.
async fn wait_count_change(
    session: &Session,
    before: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    for _ in 0..40 {
        let now = session.text("#order-count").await?;
        if now != before {
            return Ok(now);
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    Err(format!("«{before}» did not change").into())
}

/// A list longer than the rows the app reads at a time: scrolling to the
/// end brings the oldest order, and «Найдено» counts them all.
#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn a_long_list_reads_its_rows_as_the_manager_scrolls() -> TestResult {
    let server = Server::start()?;
    let admin = Api::login(&server.url(), "admin").await?;
    let total = admin.get("/orders?per_page=1").await?["total"]
        .as_u64()
        .ok_or("no total")?;
    assert!(
        total > 200,
        "the demo has {total} orders: too few to scroll"
    );
    let oldest = admin
        .get(&format!("/orders?per_page=1&page={total}"))
        .await?["items"][0]["number"]
        .as_i64()
        .ok_or("no oldest order")?;

    let session = Session::start_with(&server.url()).await?;
    session.log_in("admin").await?;
    session
        .wait_text("#order-count", &total.to_string(), 30)
        .await?;
    let list = session.wait_for("#order-list").await?;
    let arg = serde_json::to_value(&list)?;
    session
        .client
        .execute(
            "arguments[0].scrollTop = arguments[0].scrollHeight;",
            vec![arg],
        )
        .await?;
    session
        .wait_for(&format!("#order-list .row[data-number='{oldest}']"))
        .await?;
    session.screenshot("list-end-desktop", DESKTOP).await?;
    session.close().await
}
