//! Data and tokens survive a restart.

mod common;

use common::*;
use reqwest::StatusCode;

#[tokio::test]
async fn orders_and_tokens_survive_a_restart() {
    let server = TestServer::start().await;
    let resident = server.login("resident").await;
    let number = create(&resident, simple_request(CLEANING, "До перезапуска")).await;
    let before = resident.order(number).await;
    let token = resident.token.clone();
    let dir = server.stop().await;

    let server = TestServer::open(dir, start_instant(), |_| {}).await;
    // The demo is not created twice.
    assert!(!orderdesk_server::demo::seed(&server.state)
        .await
        .expect("seed"));
    let mut again = server.anonymous();
    again.token = token;
    let after = again.order(number).await;
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["description"], "До перезапуска");
    let (status, _) = again.get("/me").await;
    assert_eq!(status, StatusCode::OK);
}
