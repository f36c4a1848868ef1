//! The manager app as a web app: the server serves the built UI at `/` and
//! headless Chromium opens it at a phone's size.

use orderdesk_e2e::browser::{web_server, Browser};
use orderdesk_e2e::{TestResult, PHONE};

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

/// What a page stores stays in the profile when the browser quits and starts
/// again, and a second tab of the same origin sees it: the ground the
/// offline and restart scenarios stand on.
#[tokio::test]
#[ignore = "starts Chromium; run through `cargo xtask e2e`"]
async fn web_browser_restart_keeps_the_profile_and_a_second_tab_shares_it() -> TestResult {
    let server = web_server()?;
    let app = format!("{}/", server.url());
    let browser = Browser::start(PHONE).await?;
    browser.open(&app).await?;
    browser.wait_for(".login-card").await?;
    browser
        .client
        .execute("localStorage.setItem('e2e-mark', 'kept');", vec![])
        .await?;

    let browser = browser.restart().await?;
    browser.open(&app).await?;
    let mark = browser
        .client
        .execute("return localStorage.getItem('e2e-mark');", vec![])
        .await?;
    assert_eq!(mark, "kept", "the profile was lost in the restart");

    let first = browser.open_tab(&app).await?;
    browser.wait_for(".login-card").await?;
    let seen = browser
        .client
        .execute("return localStorage.getItem('e2e-mark');", vec![])
        .await?;
    assert_eq!(
        seen, "kept",
        "the second tab does not share the origin's storage"
    );
    assert_eq!(browser.client.windows().await?.len(), 2);
    browser.switch_to(first).await?;
    browser.grant_notifications().await?;
    browser.close().await
}
