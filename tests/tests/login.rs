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

    // Sending an empty form explains what is missing instead of failing silently.
    session.wait_for("#sign-in").await?.click().await?;
    let error = session.wait_for("#login-error").await?.text().await?;
    assert_eq!(error, "Укажите адрес сервера.");
    session.screenshot("login-error-phone", PHONE).await?;
    session.close().await
}

/// Screens behind the login, rendered from the UI's test fixtures by
/// `ORDERDESK_PREVIEWS=artifacts/previews cargo test -p orderdesk-ui`, shown
/// in the app's own webview with the real stylesheet.
#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn design_previews_render_at_phone_and_desktop_sizes() -> TestResult {
    let dir = orderdesk_e2e::artifacts_dir().join("previews");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("no previews in {}: skipped", dir.display());
        return Ok(());
    };
    let session = Session::start().await?;
    session.wait_for(".login-card").await?;
    for entry in entries {
        let path = entry?.path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        session
            .client
            .goto(&format!("file://{}", path.display()))
            .await?;
        session.wait_for(".shell").await?;
        session
            .screenshot(&format!("preview-{name}-desktop"), DESKTOP)
            .await?;
        session
            .screenshot(&format!("preview-{name}-phone"), PHONE)
            .await?;
    }
    session.close().await
}
