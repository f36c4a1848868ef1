//! The demo as a manager meets it: every request service has orders, and the
//! shop's new orders are not all waiting for payment.

mod common;

use common::TestServer;
use serde_json::Value;
use std::collections::BTreeSet;

/// Every order the caller sees, page by page.
async fn all_orders(api: &common::Api, filter: &str) -> Vec<Value> {
    let mut items = Vec::new();
    for page in 1.. {
        let (_, body) = api
            .get(&format!("/orders?per_page=100&page={page}{filter}"))
            .await;
        let batch = body["items"].as_array().cloned().unwrap_or_default();
        if batch.is_empty() {
            break;
        }
        items.extend(batch);
    }
    items
}

#[tokio::test]
async fn demo_requests_were_all_in_one_service() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let requests = all_orders(&admin, "&kind=simple_request").await;
    let services: BTreeSet<_> = requests
        .iter()
        .filter_map(|o| o["service"]["name"].as_str().map(str::to_owned))
        .collect();
    for name in ["Уборка", "Вызов сантехника", "Пропуск для гостя"]
    {
        assert!(
            services.contains(name),
            "no demo order of «{name}»: {services:?}"
        );
    }
    // Each service has orders in more than one status.
    for name in &services {
        let statuses: BTreeSet<_> = requests
            .iter()
            .filter(|o| o["service"]["name"] == name.as_str())
            .map(|o| o["status"].to_string())
            .collect();
        assert!(statuses.len() > 1, "«{name}» only in {statuses:?}");
    }
}

#[tokio::test]
async fn every_new_demo_shop_order_waited_for_payment() {
    let server = TestServer::start().await;
    let admin = server.login("admin").await;
    let new_shop = all_orders(&admin, "&kind=nomenclature_sale&status=new").await;
    assert!(!new_shop.is_empty());
    let waiting = new_shop
        .iter()
        .filter(|o| o["awaiting_payment"] == true)
        .count();
    assert!(waiting > 0, "no new shop order waits for payment");
    assert!(
        waiting < new_shop.len(),
        "all {} new shop orders wait for payment",
        new_shop.len()
    );
}
