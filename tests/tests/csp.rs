//! The app's webview runs under a strict Content-Security-Policy: a script
//! injected into the page (say, through a message text that once reaches
//! the DOM unescaped) does not run, and the app still renders styled, signs
//! in and lays out its list.

use orderdesk_e2e::{Server, Session, TestResult, DESKTOP};
use serde_json::Value;

/// Inserts an inline `<script>` the way injected markup would arrive, and
/// reports whether it ran and which CSP directives the page saw violated.
/// WebDriver's own script runs outside the CSP; the inserted element does not.
const INJECT_INLINE_SCRIPT: &str = r#"
    window.__injected = "did not run";
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) => {
        window.__violations.push(e.effectiveDirective || e.violatedDirective);
    });
    const script = document.createElement("script");
    script.textContent = "window.__injected = 'ran';";
    document.body.appendChild(script);
    const markup = document.createElement("div");
    markup.innerHTML = '<img src="missing.png" onerror="window.__injected = \'ran from onerror\'">';
    document.body.appendChild(markup);
"#;

/// Read after the violation events had their turn.
const INJECTION_OUTCOME: &str =
    "return { injected: window.__injected, violations: window.__violations };";

/// The app's stylesheet is applied: a rule of `app.css` shows in the
/// computed style (the login card is a grid; a `div` is a block by default).
const STYLESHEET_APPLIED: &str = r#"
    const sheets = Array.from(document.styleSheets)
        .filter((s) => (s.href || "").endsWith("app.css") && s.cssRules.length > 0);
    const card = document.querySelector(".login-card");
    return { sheets: sheets.length, card_display: card ? getComputedStyle(card).display : null };
"#;

/// The tops of the first list rows, which the UI sets as style properties.
const ROW_TOPS: &str = r##"
    return Array.from(document.querySelectorAll("#order-list .row"))
        .slice(0, 3)
        .map((row) => row.offsetTop);
"##;

#[tokio::test]
#[ignore = "starts the real app; run through `cargo xtask e2e`"]
async fn an_injected_inline_script_does_not_run_under_the_apps_csp() -> TestResult {
    let server = Server::start()?;
    let session = Session::start_with(&server.url()).await?;
    session.wait_for(".login-card").await?;

    let styled = session.client.execute(STYLESHEET_APPLIED, vec![]).await?;
    assert!(
        styled["sheets"].as_u64().unwrap_or(0) >= 1 && styled["card_display"] == "grid",
        "the app's stylesheet is not applied under the CSP: {styled}"
    );
    session.screenshot("csp-login-desktop", DESKTOP).await?;

    session.client.execute(INJECT_INLINE_SCRIPT, vec![]).await?;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let outcome = session.client.execute(INJECTION_OUTCOME, vec![]).await?;
    assert_eq!(
        outcome["injected"], "did not run",
        "an injected script ran: {outcome}"
    );
    let violations: Vec<&str> = outcome["violations"]
        .as_array()
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        violations.iter().any(|d| d.starts_with("script-src")),
        "the CSP did not report the blocked script: {outcome}"
    );

    // The app works under the same policy: the UI's wasm, its IPC and its
    // layout through style properties.
    session.log_in("rental").await?;
    // The core's sync status reaches the page through Tauri's events: the
    // offline banner the list opens with goes once the first one arrives.
    let mut online = false;
    for _ in 0..40 {
        let banner = session
            .client
            .execute(
                "return document.querySelector('.banner-offline') === null;",
                vec![],
            )
            .await?;
        if banner == true {
            online = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(online, "the app still shows itself offline after 10 s");
    let tops = session.client.execute(ROW_TOPS, vec![]).await?;
    let tops: Vec<i64> = tops
        .as_array()
        .map(|t| t.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default();
    assert!(
        tops.len() == 3 && tops[0] < tops[1] && tops[1] < tops[2],
        "the list rows are not laid out one below another: {tops:?}"
    );
    session.screenshot("csp-list-desktop", DESKTOP).await?;
    session.close().await
}
