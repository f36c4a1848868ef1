//! A dead server does not look alive: a server killed outright, or a stream
//! gone silent without being closed, turns the status offline within about
//! twice the server's keep-alive interval, and the app recovers once the
//! server can be heard again.

mod common;

use common::{temp_dir, TestServer, PASSWORD};
use orderdesk_client_core::{Client, MemoryTokenStore, RecordingNotifier, SyncStatus};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The server's keep-alive interval on the event stream.
const KEEP_ALIVE: Duration = Duration::from_secs(orderdesk_protocol::EVENTS_KEEP_ALIVE_SECONDS);
/// The bound, with room for a slow machine.
const NOTICED_WITHIN: Duration = Duration::from_secs(2 * KEEP_ALIVE.as_secs() + 5);

/// A loopback proxy that can go quiet: connections stay open, but no byte
/// passes either way, as when a server hangs or a network drops packets
/// without a word. Resuming closes the quiet connections, as a network
/// coming back does, and passes new ones on again.
struct QuietProxy {
    addr: SocketAddr,
    quiet: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl QuietProxy {
    async fn start(upstream: SocketAddr) -> QuietProxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy bind");
        let addr = listener.local_addr().expect("proxy addr");
        let quiet = Arc::new(AtomicBool::new(false));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (q, c) = (quiet.clone(), connections.clone());
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let task = tokio::spawn(relay(client, upstream, q.clone()));
                c.lock().expect("lock").push(task);
            }
        });
        QuietProxy {
            addr,
            quiet,
            connections,
            accept,
        }
    }

    fn go_quiet(&self) {
        self.quiet.store(true, Ordering::SeqCst);
    }

    fn resume(&self) {
        self.quiet.store(false, Ordering::SeqCst);
        for connection in self.connections.lock().expect("lock").drain(..) {
            connection.abort();
        }
    }
}

impl Drop for QuietProxy {
    fn drop(&mut self) {
        self.accept.abort();
        for connection in self.connections.lock().expect("lock").drain(..) {
            connection.abort();
        }
    }
}

/// Passes bytes both ways while the proxy is not quiet; once it is, holds
/// the connection open and passes nothing.
async fn relay(client: TcpStream, upstream: SocketAddr, quiet: Arc<AtomicBool>) {
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let (client_read, client_write) = client.into_split();
    let (server_read, server_write) = server.into_split();
    tokio::select! {
        () = pass(client_read, server_write, &quiet) => {}
        () = pass(server_read, client_write, &quiet) => {}
    }
}

async fn pass(mut from: OwnedReadHalf, mut to: OwnedWriteHalf, quiet: &AtomicBool) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if quiet.load(Ordering::SeqCst) {
            std::future::pending::<()>().await;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}

/// Waits until the published status satisfies `check`; how long it took.
async fn wait_for(
    published: &mut watch::Receiver<SyncStatus>,
    within: Duration,
    what: &str,
    check: impl Fn(&SyncStatus) -> bool,
) -> Duration {
    let started = Instant::now();
    let reached = tokio::time::timeout(within, published.wait_for(|s| check(s)))
        .await
        .is_ok_and(|seen| seen.is_ok());
    assert!(
        reached,
        "{what}: not within {within:?}; status {:?}",
        *published.borrow()
    );
    started.elapsed()
}

async fn signed_in_client(url: &str, name: &str) -> Client {
    let tokens = Arc::new(MemoryTokenStore::new());
    let notifier = Arc::new(RecordingNotifier::new());
    let client = Client::open(temp_dir(name), tokens, notifier).expect("open client");
    client.login(url, "service", PASSWORD).await.expect("login");
    client.start_sync();
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_shows_offline_without_waiting_for_the_next_poll() {
    let mut server = TestServer::start("killed").await;
    let client = signed_in_client(&server.url, "killed-cache").await;
    let mut published = client.watch_status();
    let live = |s: &SyncStatus| s.online && s.live;
    wait_for(&mut published, Duration::from_secs(10), "live", live).await;
    // The rounds that signing in and connecting asked for are over: from
    // here on only the stream can tell that the server went away.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(live(&client.status().expect("status")), "settled and live");

    // The process dies: its connections close, the stream with them.
    server.stop().await;
    let took = wait_for(&mut published, NOTICED_WITHIN, "offline", |s| {
        !s.online && !s.live
    })
    .await;
    println!("offline shown {took:?} after the server was killed");

    server.restart().await;
    wait_for(&mut published, Duration::from_secs(20), "back", live).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_event_stream_is_noticed_and_shown_as_offline() {
    let server = TestServer::start("stalled").await;
    let direct: SocketAddr = server
        .direct
        .trim_start_matches("http://")
        .parse()
        .expect("the server's address");
    let proxy = QuietProxy::start(direct).await;
    let client = signed_in_client(&format!("http://{}", proxy.addr), "stalled-cache").await;
    let mut published = client.watch_status();
    let live = |s: &SyncStatus| s.online && s.live;
    wait_for(&mut published, Duration::from_secs(10), "live", live).await;

    proxy.go_quiet();
    let took = wait_for(&mut published, NOTICED_WITHIN, "offline", |s| {
        !s.online && !s.live
    })
    .await;
    println!("a silent stream shown offline after {took:?}");
    let status = client.status().expect("status");
    assert!(status.last_error.is_some(), "the manager is told why");
    assert!(status.last_sync.is_some(), "the last sync is still known");

    proxy.resume();
    wait_for(&mut published, Duration::from_secs(20), "back", live).await;
}
