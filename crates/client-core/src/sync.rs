//! One sync round (push the outbox, then pull until caught up) and the
//! background loop that runs rounds on actions, events and a timer. What
//! each step decides comes from [`crate::plan`]; this module holds the
//! locks, the transactions and the network.
//!
//! Every step that changes the cache is one local transaction, and the pull
//! cursor is written in the same transaction as the orders it covers, so a
//! round dropped at any await leaves a cache the next round resumes from.

use chrono::Local;
use orderdesk_domain::{Actor, OrderNumber, Visibility};
use orderdesk_protocol::{MutationResult, OrderDetail, PullResponse, PushRequest, ResourceInfo};
use rusqlite::Transaction;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::time::Duration;

use crate::cache;
use crate::error::{CoreError, CoreResult};
use crate::outbox::{self, OutboxEntry};
use crate::plan::{self, Settlement};
use crate::shared::{lock, Active, Shared};

const META_CURSOR: &str = "cursor";
/// Set once the first pull caught up with the server.
const META_SYNCED: &str = "synced";
/// Mutations per push request.
const PUSH_BATCH: u32 = 100;
/// Poll interval while live events are unavailable.
const POLL_WITHOUT_EVENTS: Duration = Duration::from_secs(10);
/// A safety net even with live events.
const POLL_WITH_EVENTS: Duration = Duration::from_secs(120);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// What one sync round did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SyncReport {
    pub pushed: u32,
    pub refused: u32,
    pub pulled_orders: u32,
    pub removed_orders: u32,
}

/// Push, then pull until the server has nothing more.
pub(crate) async fn sync_round(shared: &Shared) -> CoreResult<SyncReport> {
    let _one_at_a_time = shared.sync_gate.lock().await;
    let active = shared.active()?;
    let mut report = SyncReport::default();
    let result = async {
        push_all(shared, &active, &mut report).await?;
        pull_all(shared, &active, &mut report).await
    }
    .await;
    shared.update_state(|state| match &result {
        Ok(()) => {
            state.online = true;
            // In the device's time zone: the app shows it as a wall-clock time.
            state.last_sync = Some(Local::now().fixed_offset());
            state.last_error = None;
        }
        Err(error) => {
            state.online = !error.is_offline();
            state.last_error = Some(error.message());
        }
    });
    shared.deliver_notices()?;
    result.map(|()| report)
}

async fn push_all(shared: &Shared, active: &Active, report: &mut SyncReport) -> CoreResult<()> {
    let api = active.api(&shared.http, shared.lang());
    let actor = active.actor();
    loop {
        let entries = {
            let cache = lock(&shared.cache);
            let entries = outbox::pending(&cache.conn, PUSH_BATCH)?;
            outbox::note_attempt(&cache.conn, &entries)?;
            entries
        };
        if entries.is_empty() {
            return Ok(());
        }
        let request = PushRequest {
            mutations: entries.iter().map(|e| e.mutation.clone()).collect(),
        };
        let answer = api.push(&request).await?;
        let resources = shared.resources();
        let push_more = crate::rt::off_the_runtime(|| {
            settle(shared, &entries, &answer.results, actor, &resources, report)
        })?;
        shared.publish_status();
        if !push_more {
            // The server answered only part of the batch; the rest waits.
            return Ok(());
        }
    }
}

/// Carries out the plan for the server's answers, in one transaction;
/// whether the next batch may go.
fn settle(
    shared: &Shared,
    entries: &[OutboxEntry],
    results: &[MutationResult],
    actor: Actor,
    resources: &[ResourceInfo],
    report: &mut SyncReport,
) -> CoreResult<bool> {
    let batch: Vec<_> = entries.iter().map(|e| e.mutation.clone()).collect();
    let plan = plan::plan_push(&batch, results);
    let mut cache = lock(&shared.cache);
    let tx = cache.conn.transaction()?;
    for (entry, settlement) in entries.iter().zip(&plan.settlements) {
        match settlement {
            Settlement::Applied { version } => {
                outbox::settle(&tx, entry, Some(*version))?;
                report.pushed += 1;
            }
            Settlement::Refused { code, message } => {
                outbox::settle(&tx, entry, None)?;
                let action = plan::op_name(&entry.mutation.op);
                outbox::record_conflict(&tx, entry, action, code.as_str(), message)?;
                report.refused += 1;
            }
        }
    }
    for &number in &plan.rebuild {
        if let Some(cached) = cache::load_order(&tx, number)? {
            rebuild(&tx, &cached.server, actor, resources)?;
        }
    }
    tx.commit()?;
    Ok(plan.push_more(entries.len()))
}

/// Stores the server's copy of an order and the local copy rebuilt from it
/// with the actions still queued.
fn rebuild(
    tx: &Transaction<'_>,
    server: &OrderDetail,
    actor: Actor,
    resources: &[ResourceInfo],
) -> CoreResult<()> {
    let queued = outbox::pending_for(tx, server.number)?;
    let local = plan::rebuild(
        server,
        queued.iter().map(|e| &e.mutation.op),
        actor,
        resources,
    );
    cache::store_order(tx, server, &local)
}

/// Pulls pages until the server has nothing more. The next page is asked
/// for, and made ready to write, while the current one is written, so the
/// network, the server and the cache work side by side; each page is still
/// written with its own cursor.
async fn pull_all(shared: &Shared, active: &Active, report: &mut SyncReport) -> CoreResult<()> {
    let api = active.api(&shared.http, shared.lang());
    let actor = active.actor();
    let cursor: Option<i64> = {
        let cache = lock(&shared.cache);
        cache::meta_get(&cache.conn, META_CURSOR)?.and_then(|c| c.parse().ok())
    };
    let mut page = ReadyPage::of(api.pull(cursor).await?, actor)?;
    loop {
        let ahead = plan::next_pull(&page.page).map(|next| Prefetch::start(&api, next, actor));
        let resources = shared.resources();
        crate::rt::off_the_runtime(|| apply_pull(shared, page, actor, &resources, report))?;
        match ahead {
            Some(ahead) => page = ahead.finish().await?,
            None => return Ok(()),
        }
    }
}

/// A pull page with its rows made ready to write.
struct ReadyPage {
    page: PullResponse,
    /// One per order of the page, in its order: the row when nothing of
    /// this device is pending on it.
    records: Vec<cache::OrderRecord>,
    /// The chats of the page's orders, without what the user may not read.
    chats: HashMap<OrderNumber, Vec<cache::MessageRecord>>,
}

impl ReadyPage {
    fn of(page: PullResponse, actor: Actor) -> CoreResult<ReadyPage> {
        let records = page
            .orders
            .iter()
            .map(|order| cache::OrderRecord::of(order, order))
            .collect::<CoreResult<Vec<_>>>()?;
        // The internal tab of an order is kept only for those the domain
        // lets read it.
        let internal: HashMap<OrderNumber, bool> = page
            .orders
            .iter()
            .map(|order| {
                let readable = plan::may_read(order, actor, Visibility::Internal);
                (order.number, readable)
            })
            .collect();
        let mut chats: HashMap<OrderNumber, Vec<cache::MessageRecord>> = HashMap::new();
        for synced in &page.messages {
            let readable = synced.message.visibility != Visibility::Internal
                || internal.get(&synced.order).copied().unwrap_or(false);
            if !readable {
                continue;
            }
            chats
                .entry(synced.order)
                .or_default()
                .push((synced.message.id.0, serde_json::to_string(&synced.message)?));
        }
        Ok(ReadyPage {
            page,
            records,
            chats,
        })
    }
}

/// A pull page asked for in the background; dropping it (a round dropped
/// mid-way, a failed write) stops the request.
struct Prefetch(futures::future::RemoteHandle<CoreResult<ReadyPage>>);

impl Prefetch {
    fn start(api: &crate::http::ServerApi, cursor: i64, actor: Actor) -> Prefetch {
        let api = api.clone();
        Prefetch(crate::rt::spawn_with_result(async move {
            ReadyPage::of(api.pull(Some(cursor)).await?, actor)
        }))
    }

    async fn finish(self) -> CoreResult<ReadyPage> {
        self.0.await
    }
}

/// Writes one pull page and the cursor past it, in one transaction.
fn apply_pull(
    shared: &Shared,
    ready: ReadyPage,
    actor: Actor,
    resources: &[ResourceInfo],
    report: &mut SyncReport,
) -> CoreResult<()> {
    let ReadyPage {
        page,
        records,
        mut chats,
    } = ready;
    let mut cache = lock(&shared.cache);
    let tx = cache.conn.transaction()?;
    // Until the first full pull is done, notices are history: kept so they
    // never come up later, but not raised.
    let quiet = cache::meta_get(&tx, META_SYNCED)?.is_none();
    let waiting = outbox::orders_waiting(&tx)?;
    for (order, record) in page.orders.iter().zip(&records) {
        if waiting.contains(&order.number) {
            rebuild(&tx, order, actor, resources)?;
        } else {
            cache::write_order(&tx, record)?;
        }
        let chat = chats.remove(&order.number).unwrap_or_default();
        cache::replace_messages(&tx, order.number, &chat)?;
        report.pulled_orders += 1;
    }
    for notification in page.notices.iter().filter_map(plan::notification) {
        if outbox::record_notice(&tx, &notification)? && quiet {
            outbox::mark_old(&tx, &notification.key)?;
        }
    }
    for tombstone in &page.tombstones {
        cache::delete_order(&tx, tombstone.number)?;
        report.removed_orders += 1;
    }
    cache::meta_set(&tx, META_CURSOR, &page.next_cursor.0.to_string())?;
    if !page.has_more {
        cache::meta_set(&tx, META_SYNCED, "1")?;
        if cache::search_deferred(&tx)? {
            cache::build_search(&tx)?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// The background loop: a round at once, then whenever woken (an action, a
/// live event) or on a timer; failed rounds back off up to half a minute.
pub(crate) async fn run_loop(shared: std::sync::Arc<Shared>) {
    let mut backoff = Duration::from_secs(1);
    loop {
        let wait = match sync_round(&shared).await {
            Ok(_) => {
                backoff = Duration::from_secs(1);
                if shared.is_live() {
                    POLL_WITH_EVENTS
                } else {
                    POLL_WITHOUT_EVENTS
                }
            }
            Err(CoreError::NotSignedIn) => return,
            Err(error) => {
                tracing::debug!(%error, "sync round failed");
                let wait = backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                wait
            }
        };
        tokio::select! {
            () = shared.wake.notified() => {}
            () = crate::rt::sleep(wait) => {}
        }
    }
}
