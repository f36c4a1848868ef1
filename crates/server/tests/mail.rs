//! E-mail about a booking change, delivered over SMTP to a small listener
//! on loopback that speaks just enough of the dialogue to take a message.

mod common;

use base64::Engine;
use common::*;
use orderdesk_server::config::SmtpConfig;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

/// Accepts SMTP sessions on 127.0.0.1:0 and hands on each message's DATA.
async fn smtp_listener() -> (u16, mpsc::UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("address").port();
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.ok()?;
                let mut data: Option<String> = None;
                while let Some(line) = lines.next_line().await.ok()? {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            tx.send(data.take().unwrap_or_default()).ok()?;
                            write.write_all(b"250 queued\r\n").await.ok()?;
                        } else {
                            body.push_str(line.strip_prefix('.').unwrap_or(&line));
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 end with .\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.ok()?;
                            return Some(());
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.ok()?;
                }
                Some(())
            });
        }
    });
    (port, rx)
}

/// The text of a single-part message, whatever transfer encoding it chose.
fn decoded_body(message: &str) -> String {
    let (head, body) = message.split_once("\n\n").expect("headers and a body");
    let head = head.to_ascii_lowercase();
    if head.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(joined)
            .expect("base64");
        String::from_utf8(bytes).expect("utf-8")
    } else if head.contains("content-transfer-encoding: quoted-printable") {
        let soft = body.replace("=\n", "");
        let mut bytes = Vec::new();
        let mut rest = soft.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            match (b, tail.get(..2)) {
                (b'=', Some(hex)) => {
                    let hex = std::str::from_utf8(hex).expect("hex");
                    bytes.push(u8::from_str_radix(hex, 16).expect("hex"));
                    rest = &tail[2..];
                }
                _ => {
                    bytes.push(b);
                    rest = tail;
                }
            }
        }
        String::from_utf8(bytes).expect("utf-8")
    } else {
        body.to_owned()
    }
}

#[tokio::test]
async fn a_booking_change_is_mailed_over_smtp_with_the_order_object_and_new_time() {
    let (port, mut inbox) = smtp_listener().await;
    let dir = std::sync::Arc::new(tempfile::tempdir().expect("a directory"));
    let server = TestServer::open(dir, start_instant(), |config| {
        config.smtp = Some(SmtpConfig {
            host: "127.0.0.1".to_owned(),
            port,
            username: None,
            password: None,
            insecure: true,
        });
    })
    .await;
    assert!(orderdesk_server::demo::seed(&server.state)
        .await
        .expect("demo"));
    let company = server.login("company").await;
    let rental = server.login("rental").await;
    let number = create(&company, booking(PYTHON, FREE_DAY, &["10:00"])).await;
    let (status, order) = rental
        .patch(
            &format!("/orders/{number}/booking"),
            json!({
                "resource_id": JAVA, "date": FREE_DAY, "slots": ["16:00", "16:30"],
                "payer_id": COMPANY, "comment": null
            }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{order}");

    let sent = orderdesk_server::mail::deliver_outbox(&server.state)
        .await
        .expect("delivery");
    assert!(sent >= 1);
    let wanted = format!("№{number}");
    let mail = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            let message = inbox.recv().await.expect("a message");
            let text = decoded_body(&message);
            if text.contains(&wanted) {
                return (message, text);
            }
        }
    })
    .await
    .expect("the change is mailed");
    let (message, text) = mail;
    assert!(text.contains("Переговорная Java"), "{text}");
    assert!(text.contains("01.03.2027 16:00–17:00"), "{text}");
    assert!(message.to_ascii_lowercase().contains("to: "), "{message}");
    let mut conn = server.state.storage().read().await.expect("a connection");
    let outbox = orderdesk_server::storage::outbox_emails(&mut conn)
        .await
        .expect("outbox");
    assert!(outbox
        .iter()
        .filter(|e| e.body.contains(&wanted))
        .all(|e| e.sent_at.is_some()));
}
