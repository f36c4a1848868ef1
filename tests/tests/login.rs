//! The app starts on the login screen, in Russian, at phone and desktop sizes.

use orderdesk_e2e::{Session, TestResult, DESKTOP, PHONE};

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn app_starts_on_the_russian_login_screen() -> TestResult {
    let session = Session::start().await?;
    let card = session.wait_for(".login-card").await?;
    let text = card.text().await?;
    for label in [
        "Обращения и заказы",
        "Адрес сервера",
        "Логин",
        "Пароль",
        "Войти",
    ] {
        assert!(
            text.contains(label),
            "«{label}» is not on the login screen: {text}"
        );
    }
    session.screenshot("login-desktop", DESKTOP).await?;
    session.screenshot("login-phone", PHONE).await?;

    // Sending an empty form explains what is missing instead of failing
    // silently (the webview may remember an address from an earlier run).
    // Ctrl+A, release, Backspace: typed keys, so the form sees the change.
    session
        .wait_for("#server-url")
        .await?
        .send_keys("\u{E009}a\u{E000}\u{E003}")
        .await?;
    session.wait_for("#sign-in").await?.click().await?;
    let error = session.wait_for("#login-error").await?.text().await?;
    assert_eq!(error, "Укажите адрес сервера.");
    session.screenshot("login-error-phone", PHONE).await?;
    session.close().await
}
