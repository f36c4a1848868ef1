//! nginx from `deploy/nginx/orderdesk.conf` in front of two real server
//! binaries: it alternates between them, passes the request id on, and
//! keeps answering — GETs and a sign-in — when one of them stops. And the
//! README shows that file, and its HTTPS blocks for the web app, as they are.
//!
//! Each instance has its own SQLite file here: the test is about the
//! balancer, not about sharing a database.

use orderdesk_e2e::nginx::{self, Nginx};
use orderdesk_e2e::Server;
use reqwest::StatusCode;

/// The access log's lines of the requests whose id starts with `prefix`,
/// as (request id, the instance that answered last).
fn answered_by(log: &str, prefix: &str) -> Vec<(String, String)> {
    log.lines()
        .filter_map(|line| {
            let id = line.split("request_id=").nth(1)?;
            let upstream = line
                .split("upstream=")
                .nth(1)?
                .split(" request_id=")
                .next()?;
            // "a:1, b:2" when nginx went on to the next instance.
            let last = upstream.rsplit(", ").next()?;
            id.starts_with(prefix)
                .then(|| (id.trim().to_owned(), last.trim().to_owned()))
        })
        .collect()
}

/// [`answered_by`] once the log holds `count` such lines: nginx writes a
/// request's line after its answer has gone out, so the last may lag.
async fn logged(balancer: &Nginx, prefix: &str, count: usize) -> Vec<(String, String)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let served = answered_by(&balancer.access_log(), prefix);
        if served.len() >= count || std::time::Instant::now() > deadline {
            return served;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn get_openapi(http: &reqwest::Client, base: &str, id: &str) -> StatusCode {
    http.get(format!("{base}/api/v1/openapi.json"))
        .header("X-Request-Id", id)
        .send()
        .await
        .map(|answer| answer.status())
        .unwrap_or_else(|e| panic!("nginx answers {id}: {e}"))
}

#[tokio::test]
async fn nginx_alternates_between_two_instances_and_keeps_answering_when_one_stops() {
    if nginx::binary().is_none() {
        eprintln!("skipped: nginx is not installed (`cargo xtask setup` installs it)");
        return;
    }
    if std::env::var_os("ORDERDESK_SERVER_BIN").is_none() {
        eprintln!("skipped: ORDERDESK_SERVER_BIN is not set (`cargo xtask test` sets it)");
        return;
    }
    orderdesk_e2e::init_tls();
    let mut first = Server::start().expect("the first instance starts");
    let second = Server::start().expect("the second instance starts");
    let balancer = Nginx::start(&[first.port(), second.port()]);
    let http = reqwest::Client::new();
    let base = balancer.url();

    for i in 0..10 {
        let status = get_openapi(&http, &base, &format!("smoke-{i}")).await;
        assert_eq!(status, StatusCode::OK, "{}", balancer.error_log());
    }
    let served = logged(&balancer, "smoke-", 10).await;
    assert_eq!(served.len(), 10, "one log line per request: {served:?}");
    for (i, (id, _)) in served.iter().enumerate() {
        assert_eq!(id, &format!("smoke-{i}"), "the client's request id is kept");
    }
    let instances = [first.port(), second.port()].map(|p| format!("127.0.0.1:{p}"));
    for pair in served.windows(2) {
        assert_ne!(pair[0].1, pair[1].1, "round-robin alternates: {served:?}");
    }
    for instance in &instances {
        let count = served.iter().filter(|(_, by)| by == instance).count();
        assert_eq!(count, 5, "{instance} answered half: {served:?}");
    }

    first.stop();
    for i in 0..4 {
        let status = get_openapi(&http, &base, &format!("after-{i}")).await;
        assert_eq!(status, StatusCode::OK, "{}", balancer.error_log());
    }
    let served = logged(&balancer, "after-", 4).await;
    assert_eq!(served.len(), 4, "one log line per request: {served:?}");
    assert!(
        served.iter().all(|(_, by)| by == &instances[1]),
        "the survivor answers everything: {served:?}"
    );
    // A sign-in (a POST) that found the stopped instance refusing
    // connections was never sent to it, so nginx passes it on.
    if let Err(e) = orderdesk_e2e::Api::login(&base, "service").await {
        panic!("sign-in through nginx: {e}\n{}", balancer.error_log());
    }
}

#[test]
fn the_readme_shows_the_configuration_the_load_balancer_tests_run() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let conf = read("deploy/nginx/orderdesk.conf");
    let shown = format!("```nginx\n{conf}```");
    assert!(
        read("README.md").contains(&shown),
        "README.md shows deploy/nginx/orderdesk.conf as it is, in a ```nginx block"
    );
}

#[test]
fn the_readme_shows_the_https_blocks_of_the_web_app() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let conf = read("deploy/nginx/orderdesk-https.conf");
    let shown = format!("```nginx\n{conf}```");
    assert!(
        read("README.md").contains(&shown),
        "README.md shows deploy/nginx/orderdesk-https.conf as it is, in a ```nginx block"
    );
}
