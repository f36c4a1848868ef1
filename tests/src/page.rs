//! What a test does on the app's page, whichever shell shows it: the
//! desktop app through tauri-driver ([`crate::Session`]) or the web app in
//! Chromium ([`crate::Browser`]). Both drive the same UI through a
//! WebDriver client, so the waits and the steps on its screens are written
//! once, here.

use crate::TestResult;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};
use std::time::{Duration, Instant};

/// How long a step waits for the page.
const WAIT: Duration = Duration::from_secs(20);

/// Waits up to 20 s for an element matching a CSS selector.
pub async fn wait_for(client: &Client, css: &str) -> Result<Element, Box<dyn std::error::Error>> {
    Ok(client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .map_err(|e| format!("no {css} within {} s: {e}", WAIT.as_secs()))?)
}

/// Clicks the first element matching a CSS selector.
pub async fn click(client: &Client, css: &str) -> TestResult {
    wait_for(client, css).await?.click().await?;
    Ok(())
}

/// Waits up to `secs` for the text of `css` to contain `expected`, and
/// fails with what was there instead.
pub async fn wait_text(client: &Client, css: &str, expected: &str, secs: u64) -> TestResult {
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            last = element.text().await.unwrap_or_default();
            if last.contains(expected) {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    Err(format!("«{expected}» did not appear in {css} within {secs} s; it shows: {last}").into())
}

/// Finds an order by its number in the search box and opens it. The list
/// may be drawn anew under the search box meanwhile (a sync round ends):
/// then it tries again.
pub async fn open_order(client: &Client, number: i64) -> TestResult {
    let mut last = None;
    for _ in 0..3 {
        match try_open_order(client, number).await {
            Ok(()) => return Ok(()),
            Err(error) => last = Some(error),
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Err(last.unwrap_or_else(|| "the order did not open".into()))
}

async fn try_open_order(client: &Client, number: i64) -> TestResult {
    let search = wait_for(client, "#order-search").await?;
    search.clear().await?;
    search.send_keys(&number.to_string()).await?;
    click(client, &format!("#order-list .row[data-number='{number}']")).await?;
    wait_for(client, &format!("#order-view[data-number='{number}']")).await?;
    Ok(())
}

/// Changes the status through «Изменить статус» to the one labelled `label`.
pub async fn change_status(client: &Client, label: &str) -> TestResult {
    click(client, "#change-status").await?;
    let picker = wait_for(client, "#status-picker").await?;
    let mut offered = Vec::new();
    for option in picker.find_all(Locator::Css("label.radio")).await? {
        let text = option.text().await?;
        if text.trim() == label {
            option.click().await?;
            return click(client, "#save-status").await;
        }
        offered.push(text);
    }
    Err(format!("«{label}» is not offered; the picker offers {offered:?}").into())
}
