//! The sync status is published, not polled: every change an action, a
//! sync round or a sign-out makes reaches a subscriber of
//! `Client::watch_status` without anyone asking.

mod common;

use common::{temp_dir, TestServer};
use orderdesk_client_core::{MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::Status;
use std::sync::Arc;

#[tokio::test]
async fn every_change_of_the_sync_status_is_published() {
    let mut server = TestServer::start("published").await;
    let number = server.new_request().await;
    let tokens = Arc::new(MemoryTokenStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    let cache = temp_dir("published-cache");
    let client = server.client(&cache, &tokens, &notifier, "service").await;
    let mut published = client.watch_status();
    assert!(published.borrow().signed_in, "signed in once logged in");

    client.sync_now().await.expect("first sync");
    assert!(published.has_changed().expect("open"), "a round publishes");
    let status = published.borrow_and_update().clone();
    assert!(status.online);
    assert!(status.last_sync.is_some());
    assert_eq!(status, client.status().expect("status"));

    server.stop().await;
    client
        .set_status(number, Status::InProgress)
        .await
        .expect("queued offline");
    assert!(
        published.has_changed().expect("open"),
        "an action publishes"
    );
    assert_eq!(published.borrow_and_update().pending, 1);
    assert!(client.sync_now().await.is_err());
    let offline = published.borrow_and_update().clone();
    assert!(!offline.online, "a failed round publishes being offline");
    assert_eq!(offline.pending, 1);

    server.restart().await;
    client.sync_now().await.expect("sync after restart");
    let caught_up = published.borrow_and_update().clone();
    assert!(caught_up.online);
    assert_eq!(caught_up.pending, 0, "the push settled is published");

    // Nothing changed since: nothing new is published.
    assert!(!published.has_changed().expect("open"));

    client.logout(false).await.expect("sign out");
    assert!(!published.borrow_and_update().signed_in);
}
