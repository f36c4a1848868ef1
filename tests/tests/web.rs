//! The manager app as a web app: the server serves the built UI at `/` and
//! headless Chromium opens it at a phone's size.

use fantoccini::Locator;
use orderdesk_e2e::browser::{back_online, set_offline, web_server, Browser};
use orderdesk_e2e::{page, Api, TestResult, DESKTOP, PHONE};
use serde_json::{json, Value};
use std::time::Duration;

#[tokio::test]
#[ignore = "starts Chromium; run through `cargo xtask e2e`"]
async fn web_login_screen_renders_at_phone_size() -> TestResult {
    let server = web_server()?;
    let browser = Browser::start(PHONE).await?;
    browser.open(&format!("{}/", server.url())).await?;
    let card = browser.wait_for(".login-card").await?;
    let text = card.text().await?;
    for label in ["Обращения и заказы", "Логин", "Пароль", "Войти"]
    {
        assert!(
            text.contains(label),
            "«{label}» is not on the login screen: {text}"
        );
    }
    let (width, _) = browser.viewport().await?;
    assert_eq!(width, u64::from(PHONE.0), "the page is not phone-wide");
    browser.screenshot("web-login-phone").await?;
    let errors = browser.console_errors().await?;
    assert!(
        errors.is_empty(),
        "the console reported errors: {errors:#?}"
    );
    browser.close().await
}

/// «Изменить исполнителя»: the manager takes the order.
async fn take_as_executor(browser: &Browser, name: &str) -> TestResult {
    browser.click("#change-executor").await?;
    for choice in browser
        .client
        .find_all(Locator::Css(".choice-list .choice"))
        .await?
    {
        if choice.text().await?.contains(name) {
            choice.click().await?;
            return browser.wait_text("#executor-name", name, 10).await;
        }
    }
    Err(format!("{name} is not among the executors offered").into())
}

/// How many times the public chat of the order holds `text`.
async fn times_in_chat(
    api: &Api,
    number: i64,
    text: &str,
) -> Result<usize, Box<dyn std::error::Error>> {
    let chat = api.get(&format!("/orders/{number}/messages")).await?;
    Ok(chat["messages"]
        .as_array()
        .map(|all| all.iter().filter(|m| m["text"] == text).count())
        .unwrap_or(0))
}

/// The resident's new simple request in a service of the manager.
async fn new_request(
    resident: &Api,
    manager: &Api,
    text: &str,
) -> Result<i64, Box<dyn std::error::Error>> {
    let service = resident.request_service_of(manager).await?;
    let body = json!({
        "service_id": service,
        "description": text,
        "details": {"kind": "simple_request"},
    });
    let order = resident.post("/orders", body).await?;
    Ok(order["number"].as_i64().ok_or("no order number")?)
}

/// With the server gone: starts the order and answers in the chat; both
/// wait, marked so.
async fn act_offline(browser: &Browser, answer: &str) -> TestResult {
    page::change_status(&browser.client, "В работе").await?;
    browser
        .wait_text(".order-head .status-text", "В работе", 10)
        .await?;
    browser
        .wait_for("#chat-input")
        .await?
        .send_keys(answer)
        .await?;
    browser
        .click("#chat .composer button[type='submit']")
        .await?;
    browser.wait_text("#chat .msg-pending", answer, 10).await?;
    browser
        .wait_text(".banner-offline", "Ожидают отправки: 2", 30)
        .await
}

/// The page reloaded with the server gone: the service worker brings the
/// app back, the cache the list and the order, the outbox what waits.
async fn reload_offline(browser: &Browser, number: i64, answer: &str) -> TestResult {
    let started = std::time::Instant::now();
    browser.reload().await?;
    browser.wait_for("#order-list .row").await?;
    println!(
        "web app reloaded with the server gone: list shown in {} ms",
        started.elapsed().as_millis()
    );
    browser
        .wait_text(".banner-offline", "Ожидают отправки: 2", 30)
        .await?;
    page::open_order(&browser.client, number).await?;
    browser
        .wait_text(".order-head .status-text", "В работе", 10)
        .await?;
    browser.wait_text("#chat .msg-pending", answer, 10).await?;
    browser.screenshot("web-offline-phone").await?;
    Ok(())
}

/// With the server back: the status and the answer reach it, the answer
/// once, and the page's marks of waiting go.
async fn arrives_once(browser: &Browser, manager: &Api, number: i64, answer: &str) -> TestResult {
    manager
        .wait_order(number, 60, |o| o["status"] == "in_progress")
        .await?;
    for _ in 0..40 {
        if times_in_chat(manager, number, answer).await? > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // A few more sync rounds must not send it again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(times_in_chat(manager, number, answer).await?, 1);
    for _ in 0..80 {
        if browser
            .client
            .find(Locator::Css(".banner-offline"))
            .await
            .is_err()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(
        browser
            .client
            .find(Locator::Css("#chat .msg-pending"))
            .await
            .is_err(),
        "the message stayed marked as waiting"
    );
    Ok(())
}

/// A service manager on a phone-sized browser signs in and takes a request;
/// with the server gone starts it and answers in the chat, then reloads the
/// page: the app and its cache come back with no network, the actions still
/// waiting; with the server back they arrive exactly once.
#[tokio::test]
#[ignore = "starts Chromium; run through `cargo xtask e2e`"]
async fn web_manager_works_offline_reloads_and_actions_arrive_once() -> TestResult {
    let mut server = web_server()?;
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
        .ok_or("no new request of the resident")?;

    let browser = Browser::start(PHONE).await?;
    browser.open(&format!("{url}/")).await?;
    browser.sign_in(&url, "service").await?;
    browser.screenshot("web-list-phone").await?;
    page::open_order(&browser.client, number).await?;
    take_as_executor(&browser, &name).await?;
    manager
        .wait_order(number, 60, |o| o["executor"]["name"] == name.as_str())
        .await?;
    browser.screenshot("web-order-phone").await?;

    set_offline(&mut server);
    let answer = "Мастер придёт через час";
    act_offline(&browser, answer).await?;
    reload_offline(&browser, number, answer).await?;

    back_online(&mut server)?;
    arrives_once(&browser, &manager, number, answer).await?;
    browser.close().await
}

/// One tab owns the cache: a second tab of the app says so, and takes over
/// by itself when the first one closes.
#[tokio::test]
#[ignore = "starts Chromium; run through `cargo xtask e2e`"]
async fn web_second_tab_says_the_app_is_open_and_takes_over() -> TestResult {
    let server = web_server()?;
    let app = format!("{}/", server.url());
    let browser = Browser::start(PHONE).await?;
    browser.open(&app).await?;
    browser.wait_for(".login-card").await?;

    let first = browser.open_tab(&app).await?;
    browser
        .wait_text("#boot-busy", "уже открыты в другой вкладке", 20)
        .await?;
    browser.screenshot("web-second-tab-phone").await?;
    let second = browser.client.window().await?;

    browser.switch_to(first).await?;
    browser.client.close_window().await?;
    browser.switch_to(second).await?;
    browser.wait_for(".login-card").await?;
    browser.close().await
}

/// The core in the worker follows the server's live events (a streaming
/// `fetch` with the bearer token): its status says so.
async fn live_events_connect(browser: &Browser) -> TestResult {
    let mut status = Value::Null;
    for _ in 0..80 {
        status = browser
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__ORDERDESK__.core.invoke('get_sync_status', {args: {}})
                   .then(done, error => done({error}));",
                vec![],
            )
            .await?;
        if status["live"] == true {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!("live events never connected in the browser: {status}").into())
}

/// A new order of the manager's raises one system notification through the
/// service worker, tagged with its notice, and the same notice never
/// raises a second one.
#[tokio::test]
#[ignore = "starts Chromium; run through `cargo xtask e2e`"]
async fn web_new_order_raises_one_system_notification() -> TestResult {
    let server = web_server()?;
    let url = server.url();
    let resident = Api::login(&url, "resident").await?;
    let manager = Api::login(&url, "service").await?;
    let browser = Browser::start(PHONE).await?;
    browser.open(&format!("{url}/")).await?;
    browser.grant_notifications().await?;
    browser.sign_in(&url, "service").await?;

    live_events_connect(&browser).await?;
    let number = new_request(&resident, &manager, "Протекает кран на кухне").await?;
    let mut shown = Vec::new();
    for _ in 0..80 {
        shown = browser.notifications().await?;
        if !shown.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let about: Vec<_> = shown
        .iter()
        .filter(|n| n.body.contains(&number.to_string()))
        .collect();
    assert_eq!(
        about.len(),
        1,
        "one notification for order {number}: {shown:?}"
    );
    assert!(about[0].tag.starts_with("notice:"), "{shown:?}");
    // Another round of sync, and a reload: still one.
    browser.reload().await?;
    browser.wait_for("#order-list .row").await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let again = browser.notifications().await?;
    let about = again
        .iter()
        .filter(|n| n.body.contains(&number.to_string()))
        .count();
    assert_eq!(about, 1, "the notice was shown again: {again:?}");
    browser.close().await
}

/// The same screens at desktop size, in English when English is chosen on
/// the login screen: the list and an order speak English, and the choice
/// holds after a reload.
#[tokio::test]
#[ignore = "starts Chromium; run through `cargo xtask e2e`"]
async fn web_app_speaks_english_at_desktop_size() -> TestResult {
    let server = web_server()?;
    let url = server.url();
    let resident = Api::login(&url, "resident").await?;
    let number = *resident
        .numbers("kind=simple_request")
        .await?
        .first()
        .ok_or("no request of the resident")?;
    let browser = Browser::start(DESKTOP).await?;
    browser.open(&format!("{url}/")).await?;
    browser.wait_for(".login-card").await?;
    browser.screenshot("web-login-ru-desktop").await?;
    let mut switched = false;
    for button in browser
        .client
        .find_all(Locator::Css(".login-card .lang-switch .seg"))
        .await?
    {
        if button.text().await? == "English" {
            button.click().await?;
            switched = true;
        }
    }
    assert!(switched, "the login screen offers no English");
    browser.wait_text(".login-card", "Sign in", 10).await?;
    browser.sign_in(&url, "service").await?;
    browser.wait_text("body", "Requests and orders", 10).await?;
    browser.screenshot("web-list-en-desktop").await?;
    page::open_order(&browser.client, number).await?;
    browser.screenshot("web-order-en-desktop").await?;

    browser.reload().await?;
    browser.wait_for("#order-list .row").await?;
    browser.wait_text("body", "Requests and orders", 10).await?;
    let page = browser.wait_for("body").await?.text().await?;
    assert!(
        !page.contains("Обращения и заказы"),
        "Russian is left on the English page"
    );
    browser.close().await
}

/// A second core started past the page's lock (here by hand, in the tab
/// that holds the cache) finds the cache held and says `cache_busy`; it
/// used to call that "storage unavailable", reading the browser's error by
/// a text the storage layer does not show.
#[tokio::test]
#[ignore = "starts Chromium; run through `cargo xtask e2e`"]
async fn web_second_core_reported_a_held_cache_as_storage_unavailable() -> TestResult {
    let server = web_server()?;
    let browser = Browser::start(PHONE).await?;
    browser.open(&format!("{}/", server.url())).await?;
    browser.wait_for(".login-card").await?;
    let said = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const worker = new Worker('/worker.js', {type: 'module'});
             worker.onmessage = (event) => {
               const message = JSON.parse(event.data);
               if (message.kind === 'failed' || message.kind === 'ready') {
                 worker.terminate();
                 done(message);
               }
             };",
            vec![],
        )
        .await?;
    assert_eq!(said["kind"], "failed", "{said}");
    assert_eq!(said["code"], "cache_busy", "{said}");
    browser.close().await
}
