//! The checks after a schedule, with the network up and every client
//! synced: each accepted mutation applied once and in its client's order,
//! each refused one rolled back with a reason, each cache equal to the
//! server, each notice raised once, no outbox stuck.

use crate::world::{Device, World};
use orderdesk_domain::OrderNumber;
use orderdesk_protocol::OrderDetail;
use reqwest::Method;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// What went wrong in one schedule, counted by kind.
#[derive(Debug, Default)]
pub struct Verdict {
    /// Queued and never applied nor refused; a notice never raised.
    pub lost: u64,
    /// Applied or raised more than once.
    pub duplicated: u64,
    /// Outboxes not empty with the network up.
    pub stuck: u64,
    /// A cache unlike the server, an order broken, a refusal unreported.
    pub mismatched: u64,
    /// Queued mutations the server applied, and those it refused.
    pub applied: u64,
    pub refused: u64,
    pub notes: Vec<String>,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.lost + self.duplicated + self.stuck + self.mismatched == 0
    }

    fn note(&mut self, kind: fn(&mut Verdict) -> &mut u64, what: String) {
        *kind(self) += 1;
        if self.notes.len() < 12 {
            self.notes.push(what);
        }
    }
}

fn lost(v: &mut Verdict) -> &mut u64 {
    &mut v.lost
}
fn duplicated(v: &mut Verdict) -> &mut u64 {
    &mut v.duplicated
}
fn mismatched(v: &mut Verdict) -> &mut u64 {
    &mut v.mismatched
}

/// The server's answer to one pushed mutation, from its ledger.
struct Answer {
    order: i64,
    applied: bool,
    version: Option<i64>,
}

/// Every mutation answer the server keeps, by user and client id.
async fn ledger(world: &World) -> HashMap<(i64, String), Answer> {
    let mut conn = world.server.state.storage().read().await.expect("read");
    let rows: Vec<(i64, String, i64, String, Option<i64>)> = orderdesk_server::storage::query_as(
        "SELECT user_id, client_id, order_number, result, version FROM sync_mutations",
    )
    .fetch_all(&mut conn)
    .await
    .expect("the mutation ledger");
    rows.into_iter()
        .map(|(user, id, order, result, version)| {
            let applied = result == "applied";
            (
                (user, id),
                Answer {
                    order,
                    applied,
                    version,
                },
            )
        })
        .collect()
}

/// The chat of an order as `token`'s user reads it: (id, text), oldest first.
async fn chat(world: &World, token: &str, number: OrderNumber) -> Vec<(i64, String)> {
    let path = format!("/orders/{number}/messages");
    let (status, json) = world
        .server
        .call(token, Method::GET, &path, Value::Null)
        .await;
    assert_eq!(status, 200, "{json}");
    json["messages"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|m| {
                    let id = m["id"].as_i64().unwrap_or_default();
                    (id, m["text"].as_str().unwrap_or_default().to_owned())
                })
                .collect()
        })
        .unwrap_or_default()
}

pub async fn check(world: &mut World) -> Verdict {
    let mut verdict = Verdict::default();
    if !world.settle().await {
        for device in &world.devices {
            let pending = device.client().status().map(|s| s.pending).unwrap_or(0);
            if pending > 0 {
                verdict.stuck += 1;
                verdict
                    .notes
                    .push(format!("{}: {pending} stuck", device.login));
            }
        }
    }
    let token = world.server.token("service").await;
    let mut chats = HashMap::new();
    for &(number, _) in &world.orders {
        chats.insert(number, chat(world, &token, number).await);
    }
    let ledger = ledger(world).await;
    for device in &world.devices {
        applied_once_in_order(device, &ledger, &chats, &mut verdict);
    }
    versions_add_up(world, &ledger, &mut verdict).await;
    for device in &world.devices {
        cache_is_the_truth(world, device, &mut verdict).await;
        notices_once(world, device, &mut verdict);
    }
    verdict
}

/// Each queued mutation has one answer; an applied message is on the
/// server once, a refused one never and has its conflict on the device;
/// what one client had applied took effect in the order it was queued.
fn applied_once_in_order(
    device: &Device,
    ledger: &HashMap<(i64, String), Answer>,
    chats: &HashMap<OrderNumber, Vec<(i64, String)>>,
    verdict: &mut Verdict,
) {
    let mut refused: BTreeMap<OrderNumber, usize> = BTreeMap::new();
    let mut last_version: HashMap<OrderNumber, i64> = HashMap::new();
    let mut last_message: HashMap<OrderNumber, i64> = HashMap::new();
    let who = device.login;
    for queued in &device.queued {
        let Some(answer) = ledger.get(&(device.user.0, queued.id.0.clone())) else {
            verdict.note(
                lost,
                format!("{who}: {:?} never reached the server", queued.id),
            );
            continue;
        };
        let said: Vec<i64> = queued
            .text
            .as_ref()
            .map(|text| {
                let chat = chats.get(&queued.order).map(Vec::as_slice).unwrap_or(&[]);
                chat.iter()
                    .filter(|(_, t)| t == text)
                    .map(|(id, _)| *id)
                    .collect()
            })
            .unwrap_or_default();
        if !answer.applied {
            verdict.refused += 1;
            *refused.entry(queued.order).or_default() += 1;
            if !said.is_empty() {
                verdict.note(
                    mismatched,
                    format!("{who}: refused {:?} is on the server", queued.text),
                );
            }
            continue;
        }
        verdict.applied += 1;
        if queued.text.is_some() && said.len() != 1 {
            let kind = if said.is_empty() { lost } else { duplicated };
            verdict.note(
                kind,
                format!(
                    "{who}: {:?} on the server {} times",
                    queued.text,
                    said.len()
                ),
            );
        }
        if let Some(&id) = said.first() {
            let before = last_message.insert(queued.order, id).unwrap_or(i64::MIN);
            if before >= id {
                verdict.note(mismatched, format!("{who}: {:?} out of order", queued.text));
            }
        }
        if let Some(version) = answer.version.filter(|_| answer.order == queued.order.0) {
            let before = last_version
                .insert(queued.order, version)
                .unwrap_or(i64::MIN);
            if before >= version {
                verdict.note(
                    mismatched,
                    format!("{who}: {:?} applied out of order", queued.id),
                );
            }
        }
    }
    rolled_back_with_reason(device, &refused, verdict);
}

/// Every refusal left one conflict on the device, on its order, with a
/// message the manager can read.
fn rolled_back_with_reason(
    device: &Device,
    refused: &BTreeMap<OrderNumber, usize>,
    verdict: &mut Verdict,
) {
    let conflicts = device
        .client()
        .status()
        .map(|s| s.conflicts)
        .unwrap_or_default();
    let mut shown: BTreeMap<OrderNumber, usize> = BTreeMap::new();
    for conflict in &conflicts {
        *shown.entry(conflict.order).or_default() += 1;
        if conflict.message.trim().is_empty() || conflict.action.is_empty() {
            verdict.note(
                mismatched,
                format!("{}: unreadable conflict {conflict:?}", device.login),
            );
        }
    }
    if &shown != refused {
        verdict.note(
            mismatched,
            format!(
                "{}: refused {refused:?}, conflicts shown {shown:?}",
                device.login
            ),
        );
    }
}

/// Each order's version moved by exactly the mutations applied to it, each
/// producing a version of its own: nothing applied twice, nothing extra.
async fn versions_add_up(
    world: &World,
    ledger: &HashMap<(i64, String), Answer>,
    verdict: &mut Verdict,
) {
    let token = world.server.token("service").await;
    for &(number, before) in &world.orders {
        let now = world.server.detail(&token, number).await.version;
        let mut produced: Vec<i64> = ledger
            .values()
            .filter(|a| a.applied && a.order == number.0)
            .filter_map(|a| a.version)
            .collect();
        produced.sort_unstable();
        let count = produced.len();
        produced.dedup();
        if produced.len() != count {
            verdict.note(
                duplicated,
                format!("{number}: two mutations claim one version"),
            );
        }
        if now - before != count as i64 {
            let kind = if now - before > count as i64 {
                duplicated
            } else {
                lost
            };
            verdict.note(
                kind,
                format!("{number}: version {before} → {now}, {count} mutations applied"),
            );
        }
    }
}

/// The device's cached orders are the server's, as its user sees them.
async fn cache_is_the_truth(world: &World, device: &Device, verdict: &mut Verdict) {
    let token = world.server.token(device.login).await;
    let numbers = world
        .orders
        .iter()
        .map(|(n, _)| *n)
        .chain(world.created.iter().copied());
    for number in numbers.collect::<Vec<_>>() {
        let truth: OrderDetail = world.server.detail(&token, number).await;
        let who = device.login;
        let Ok(card) = device.client().order(number) else {
            verdict.note(
                mismatched,
                format!("{who}: {number} missing from the cache"),
            );
            continue;
        };
        let cached = &card.detail;
        let same = cached.status == truth.status
            && cached.version == truth.version
            && cached.executor.as_ref().and_then(|p| p.id)
                == truth.executor.as_ref().and_then(|p| p.id);
        if !same || card.is_pending() {
            verdict.note(
                mismatched,
                format!(
                    "{who}: {number} cached {:?}/{}/{:?} pending {}, server {:?}/{}/{:?}",
                    cached.status,
                    cached.version,
                    cached.executor.as_ref().and_then(|p| p.id),
                    card.pending.len(),
                    truth.status,
                    truth.version,
                    truth.executor.as_ref().and_then(|p| p.id)
                ),
            );
        }
        let mut server_chat = chat(world, &token, number).await;
        server_chat.sort();
        let mut cached_chat: Vec<(i64, String)> = card
            .messages
            .iter()
            .map(|m| (m.message.id.0, m.message.text.clone()))
            .collect();
        cached_chat.sort();
        if cached_chat != server_chat {
            verdict.note(
                mismatched,
                format!("{who}: {number} chat differs from the server's"),
            );
        }
    }
}

/// Each new order was told about once on every device, and no notice
/// came up twice.
fn notices_once(world: &World, device: &Device, verdict: &mut Verdict) {
    let seen = device.notifier.seen();
    let mut per_key: HashMap<&str, usize> = HashMap::new();
    for notice in &seen {
        *per_key.entry(notice.key.as_str()).or_default() += 1;
    }
    for (key, times) in per_key {
        if times > 1 {
            verdict.note(
                duplicated,
                format!("{}: notice {key} raised {times} times", device.login),
            );
        }
    }
    for &number in &world.created {
        let told = seen
            .iter()
            .any(|n| n.order == number && n.event == orderdesk_domain::NoticeEvent::OrderCreated);
        if !told {
            verdict.note(
                lost,
                format!("{}: no notice of new order {number}", device.login),
            );
        }
    }
}
