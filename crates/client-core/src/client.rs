//! [`Client`]: the handle the app holds. It reads every screen from the
//! cache, checks and queues actions, and runs sync in the background.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use orderdesk_domain::{
    may_view_internal, Actor, LineNo, LineOutcome, Money, OrderNumber, ResourceId, Status, UserId,
    Visibility,
};
use orderdesk_protocol::{
    Availability, ChatMessage, MessageId, Mutation, MutationId, MutationOp, PayerInfo,
    PostMessageRequest, ResourceInfo,
};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::task::JoinHandle;

use crate::cache::{self, Cache};
use crate::error::{CoreError, CoreResult};
use crate::http::ServerApi;
use crate::local;
use crate::notify::Notifier;
use crate::outbox;
use crate::token::TokenStore;
use crate::view::{
    BookingChange, ListFilter, MessageView, OrderList, OrderView, PendingAction, Session,
    StatusCount, SyncReport, SyncStatus,
};

pub(crate) const META_SESSION: &str = "session";
pub(crate) const META_CATALOG: &str = "catalog_resources";

/// The offline core of the manager app. Cheap to clone; every clone is the
/// same client.
///
/// ```no_run
/// # async fn run() -> Result<(), orderdesk_client_core::CoreError> {
/// use orderdesk_client_core::{Client, KeyringTokenStore, ListFilter, SilentNotifier};
/// use std::sync::Arc;
/// let client = Client::open(
///     "/var/lib/orderdesk",
///     Arc::new(KeyringTokenStore::new("orderdesk", "default")),
///     Arc::new(SilentNotifier),
/// )?;
/// if client.session().is_none() {
///     client.login("https://orders.example.ru", "service", "demo").await?;
/// }
/// client.start_sync();
/// let first_page = client.list(&ListFilter::default())?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// The signed-in user, with the token to reach the server.
#[derive(Clone)]
pub(crate) struct Active {
    pub(crate) session: Session,
    pub(crate) token: String,
}

impl Active {
    pub(crate) fn actor(&self) -> Actor {
        Actor::user(self.session.user.id, self.session.user.role)
    }

    pub(crate) fn api(&self, http: &reqwest::Client) -> ServerApi {
        ServerApi::new(
            http.clone(),
            &self.session.server_url,
            Some(self.token.clone()),
        )
    }
}

/// How sync is going, kept in memory.
#[derive(Default)]
pub(crate) struct RunState {
    pub(crate) online: bool,
    pub(crate) live: bool,
    pub(crate) last_sync: Option<DateTime<FixedOffset>>,
    pub(crate) last_error: Option<String>,
}

pub(crate) struct Inner {
    /// Sync and actions write through this connection.
    pub(crate) cache: Mutex<Cache>,
    /// The screens read through this one.
    pub(crate) reader: Mutex<rusqlite::Connection>,
    pub(crate) tokens: Arc<dyn TokenStore>,
    pub(crate) notifier: Arc<dyn Notifier>,
    pub(crate) http: reqwest::Client,
    pub(crate) active: Mutex<Option<Active>>,
    pub(crate) state: Mutex<RunState>,
    /// One sync round at a time.
    pub(crate) sync_gate: tokio::sync::Mutex<()>,
    /// Rung by a new action or a live event: sync now.
    pub(crate) wake: tokio::sync::Notify,
    pub(crate) tasks: Mutex<Vec<JoinHandle<()>>>,
}

/// Locks a mutex; a panic elsewhere never makes the cache unusable.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Client {
    /// Opens the cache in `data_dir` (created when missing) and restores the
    /// session whose token `tokens` holds. Does not touch the network: call
    /// [`start_sync`](Client::start_sync) to begin syncing.
    pub fn open(
        data_dir: impl AsRef<Path>,
        tokens: Arc<dyn TokenStore>,
        notifier: Arc<dyn Notifier>,
    ) -> CoreResult<Client> {
        let dir = data_dir.as_ref();
        std::fs::create_dir_all(dir)
            .map_err(|e| CoreError::storage(format_args!("{}: ", dir.display()), e))?;
        let path = dir.join("cache.sqlite3");
        let cache = Cache::open(&path)?;
        let reader = cache::open_reader(&path)?;
        let mut state = RunState::default();
        let session: Option<Session> = match cache::meta_get(&cache.conn, META_SESSION)? {
            Some(json) => Some(serde_json::from_str(&json)?),
            None => None,
        };
        let active = match (session, tokens.load()) {
            (Some(session), Ok(Some(token))) => Some(Active { session, token }),
            (_, Err(error)) => {
                state.last_error = Some(error.message());
                None
            }
            _ => None,
        };
        let client = Client {
            inner: Arc::new(Inner {
                cache: Mutex::new(cache),
                reader: Mutex::new(reader),
                tokens,
                notifier,
                http: ServerApi::http_client()?,
                active: Mutex::new(active),
                state: Mutex::new(state),
                sync_gate: tokio::sync::Mutex::new(()),
                wake: tokio::sync::Notify::new(),
                tasks: Mutex::new(Vec::new()),
            }),
        };
        // Notifications decided before a crash and not shown yet.
        client.deliver_notices()?;
        Ok(client)
    }

    /// The signed-in user, when there is one.
    pub fn session(&self) -> Option<Session> {
        lock(&self.inner.active).as_ref().map(|a| a.session.clone())
    }

    pub(crate) fn active(&self) -> CoreResult<Active> {
        lock(&self.inner.active)
            .clone()
            .ok_or(CoreError::NotSignedIn)
    }

    /// Signs in at `server_url` and keeps the token in the token store. A
    /// different user or server than the cached one starts from an empty
    /// cache.
    pub async fn login(
        &self,
        server_url: &str,
        login: &str,
        password: &str,
    ) -> CoreResult<Session> {
        let server_url = server_url.trim().trim_end_matches('/').to_owned();
        let anonymous = ServerApi::new(self.inner.http.clone(), &server_url, None);
        let answer = anonymous.login(login.trim(), password).await?;
        let authed = ServerApi::new(
            self.inner.http.clone(),
            &server_url,
            Some(answer.token.clone()),
        );
        let me = authed.me().await?;
        let resources = authed.catalog().await.map(|c| c.resources).ok();
        let session = Session {
            server_url,
            user: me.user,
            services: me.services,
        };
        self.stop_sync();
        self.inner.tokens.save(&answer.token)?;
        {
            let mut cache = lock(&self.inner.cache);
            let previous: Option<Session> = cache::meta_get(&cache.conn, META_SESSION)?
                .and_then(|json| serde_json::from_str(&json).ok());
            let same = previous.is_some_and(|p| {
                p.server_url == session.server_url && p.user.id == session.user.id
            });
            if !same {
                cache.wipe()?;
            }
            cache::meta_set(&cache.conn, META_SESSION, &serde_json::to_string(&session)?)?;
            if let Some(resources) = resources {
                cache::meta_set(
                    &cache.conn,
                    META_CATALOG,
                    &serde_json::to_string(&resources)?,
                )?;
            }
        }
        *lock(&self.inner.active) = Some(Active {
            session: session.clone(),
            token: answer.token,
        });
        lock(&self.inner.state).last_error = None;
        Ok(session)
    }

    /// Signs out: stops sync, forgets the token and wipes the cache. Actions
    /// still in the outbox are sent first when the server can be reached;
    /// those that cannot be sent make it refuse with
    /// [`CoreError::UnsentActions`], unless `discard_unsent` says to throw
    /// them away.
    pub async fn logout(&self, discard_unsent: bool) -> CoreResult<()> {
        if !discard_unsent && self.unsent()? > 0 {
            if let Err(error) = crate::sync::sync_round(self).await {
                tracing::debug!(%error, "sending before sign-out failed");
            }
            let unsent = self.unsent()?;
            if unsent > 0 {
                return Err(CoreError::UnsentActions(unsent));
            }
        }
        self.stop_sync();
        let active = lock(&self.inner.active).take();
        if let Some(active) = active {
            active.api(&self.inner.http).logout().await;
        }
        self.inner.tokens.clear()?;
        lock(&self.inner.cache).wipe()?;
        *lock(&self.inner.state) = RunState::default();
        Ok(())
    }

    /// Actions waiting in the outbox.
    fn unsent(&self) -> CoreResult<u32> {
        outbox::count(&lock(&self.inner.cache).conn)
    }

    /// A page of the orders list from the cache, newest number first.
    pub fn list(&self, filter: &ListFilter) -> CoreResult<OrderList> {
        let mut reader = lock(&self.inner.reader);
        let snapshot = reader.transaction()?;
        crate::list::list(&snapshot, filter)
    }

    /// Cached orders per status, for the filter chips.
    pub fn counts(&self, filter: &ListFilter) -> CoreResult<Vec<StatusCount>> {
        let first = ListFilter {
            offset: 0,
            limit: 1,
            ..filter.clone()
        };
        Ok(self.list(&first)?.counts)
    }

    /// The order card with its chat and this device's pending actions.
    pub fn order(&self, number: OrderNumber) -> CoreResult<OrderView> {
        let active = self.active()?;
        let mut reader = lock(&self.inner.reader);
        let conn = reader.transaction()?;
        let conn = &*conn;
        let cached = cache::load_order(conn, number)?.ok_or(CoreError::OrderNotFound(number))?;
        let internal = may_view_internal(&local::facts(&cached.local), active.actor());
        let mut messages: Vec<MessageView> = cache::messages(conn, number)?
            .into_iter()
            .filter(|m| internal || m.visibility != Visibility::Internal)
            .map(|message| MessageView {
                message,
                pending: false,
            })
            .collect();
        let entries = outbox::pending_for(conn, number)?;
        for entry in &entries {
            if let MutationOp::PostMessage(post) = &entry.mutation.op {
                messages.push(MessageView {
                    message: pending_message(entry.seq, post, &active, &entry.created_at),
                    pending: true,
                });
            }
        }
        Ok(OrderView {
            detail: cached.local,
            messages,
            pending: entries
                .iter()
                .map(|e| PendingAction {
                    client_id: e.mutation.client_id.0.clone(),
                    action: op_name(&e.mutation.op).to_owned(),
                })
                .collect(),
            conflicts: outbox::conflicts(conn, Some(number))?,
        })
    }

    /// The bookable objects of the catalog cached at login, for the booking
    /// editor's «Объект».
    pub fn resources(&self) -> Vec<ResourceInfo> {
        let cache = lock(&self.inner.cache);
        cache::meta_get(&cache.conn, META_CATALOG)
            .ok()
            .flatten()
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    /// The free slots of an object on a day, asked of the server: the
    /// booking editor needs the truth, so this does not work offline. The
    /// slots of `editing` count as free.
    pub async fn availability(
        &self,
        resource: ResourceId,
        date: NaiveDate,
        editing: Option<OrderNumber>,
    ) -> CoreResult<Availability> {
        let active = self.active()?;
        active
            .api(&self.inner.http)
            .availability(resource, date, editing)
            .await
    }

    /// The company accounts that pay for cached orders, for «Плательщик».
    pub fn company_payers(&self) -> CoreResult<Vec<PayerInfo>> {
        cache::company_payers(&lock(&self.inner.reader))
    }

    /// Checks an action by the rules, applies it to the cached order and
    /// queues it, in one local transaction; then wakes the sync task.
    async fn act(&self, number: OrderNumber, op: MutationOp) -> CoreResult<OrderView> {
        let active = self.active()?;
        let actor = active.actor();
        let resources = self.resources();
        {
            let mut cache = lock(&self.inner.cache);
            let cached =
                cache::load_order(&cache.conn, number)?.ok_or(CoreError::OrderNotFound(number))?;
            let effect = local::check(&op, &cached.local, actor, &resources, Utc::now())?;
            let mut changed = cached.local.clone();
            local::apply(&mut changed, &op, &effect, actor, &resources);
            let mutation = Mutation {
                client_id: MutationId(uuid::Uuid::new_v4().to_string()),
                order: number,
                base_version: cached.server.version,
                op,
            };
            let tx = cache.conn.transaction()?;
            cache::store_order(&tx, &cached.server, &changed)?;
            outbox::enqueue(&tx, &mutation)?;
            tx.commit()?;
        }
        self.inner.wake.notify_one();
        self.order(number)
    }

    /// «Изменить исполнителя»; `None` is «Не назначено».
    pub async fn assign_executor(
        &self,
        number: OrderNumber,
        executor: Option<UserId>,
    ) -> CoreResult<OrderView> {
        self.act(number, MutationOp::AssignExecutor { user_id: executor })
            .await
    }

    /// «Изменить статус».
    pub async fn set_status(&self, number: OrderNumber, status: Status) -> CoreResult<OrderView> {
        self.act(number, MutationOp::Status { status }).await
    }

    /// «Изменить время»: first response and completion due.
    pub async fn set_deadlines(
        &self,
        number: OrderNumber,
        first_response_due: Option<DateTime<FixedOffset>>,
        completion_due: Option<DateTime<FixedOffset>>,
    ) -> CoreResult<OrderView> {
        self.act(
            number,
            MutationOp::Deadlines {
                first_response_due,
                completion_due,
            },
        )
        .await
    }

    /// «Изменить заказ» of a meeting-room booking.
    pub async fn edit_booking(
        &self,
        number: OrderNumber,
        change: BookingChange,
    ) -> CoreResult<OrderView> {
        self.act(
            number,
            MutationOp::EditBooking {
                resource_id: change.resource_id,
                date: change.date,
                slots: change.slots,
                payer_id: change.payer_id,
                comment: change.comment,
            },
        )
        .await
    }

    /// «Провести оплату» on a partly paid order.
    pub async fn record_payment(
        &self,
        number: OrderNumber,
        amount: Money,
    ) -> CoreResult<OrderView> {
        self.act(number, MutationOp::RecordPayment { amount }).await
    }

    /// «Отменить заказ» → «Да».
    pub async fn cancel(&self, number: OrderNumber) -> CoreResult<OrderView> {
        self.act(number, MutationOp::Cancel).await
    }

    /// Shop collection of one line.
    pub async fn collect_line(
        &self,
        number: OrderNumber,
        line: LineNo,
        outcome: LineOutcome,
    ) -> CoreResult<OrderView> {
        self.act(number, MutationOp::CollectLine { line, outcome })
            .await
    }

    /// «Написать сообщение...» in the public or internal tab.
    pub async fn post_message(
        &self,
        number: OrderNumber,
        text: &str,
        visibility: Visibility,
    ) -> CoreResult<OrderView> {
        let post = PostMessageRequest {
            text: text.trim().to_owned(),
            visibility,
        };
        self.act(number, MutationOp::PostMessage(post)).await
    }

    /// «Подтвердить выполнение заказа», by the requester.
    pub async fn confirm(&self, number: OrderNumber) -> CoreResult<OrderView> {
        self.act(number, MutationOp::Confirm).await
    }

    /// «Вернуть в работу», by the requester.
    pub async fn return_to_work(&self, number: OrderNumber) -> CoreResult<OrderView> {
        self.act(number, MutationOp::ReturnToWork).await
    }

    /// Where sync stands: online, live events, pending actions, conflicts.
    pub fn status(&self) -> CoreResult<SyncStatus> {
        let signed_in = lock(&self.inner.active).is_some();
        let (pending, conflicts) = {
            let mut reader = lock(&self.inner.reader);
            let snapshot = reader.transaction()?;
            (
                outbox::count(&snapshot)?,
                outbox::conflicts(&snapshot, None)?,
            )
        };
        let state = lock(&self.inner.state);
        Ok(SyncStatus {
            signed_in,
            online: state.online,
            live: state.live,
            pending,
            conflicts,
            last_sync: state.last_sync,
            last_error: state.last_error.clone(),
        })
    }

    /// Hides a conflict message the manager has read.
    pub fn dismiss_conflict(&self, id: i64) -> CoreResult<()> {
        outbox::dismiss_conflict(&lock(&self.inner.cache).conn, id)
    }

    /// Pushes the outbox and pulls until the cache is up to date.
    pub async fn sync_now(&self) -> CoreResult<SyncReport> {
        crate::sync::sync_round(self).await
    }

    /// Starts the background tasks: sync at once, then on every action, on
    /// every live event, and on a timer; live events with reconnects. Needs
    /// a tokio runtime. Calling it again while they run does nothing.
    pub fn start_sync(&self) {
        let mut tasks = lock(&self.inner.tasks);
        tasks.retain(|t| !t.is_finished());
        if !tasks.is_empty() {
            return;
        }
        tasks.push(tokio::spawn(crate::sync::run_loop(self.clone())));
        tasks.push(tokio::spawn(crate::events::run_loop(self.clone())));
    }

    /// Stops the background tasks; queued actions stay in the outbox.
    pub fn stop_sync(&self) {
        for task in lock(&self.inner.tasks).drain(..) {
            task.abort();
        }
        let mut state = lock(&self.inner.state);
        state.live = false;
    }

    /// Hands notifications decided but not yet shown to the notifier.
    pub(crate) fn deliver_notices(&self) -> CoreResult<()> {
        let cache = lock(&self.inner.cache);
        for notice in outbox::undelivered_notices(&cache.conn)? {
            // Marked first: a crash between the two loses one toast rather
            // than showing it twice.
            outbox::mark_delivered(&cache.conn, &notice.key)?;
            self.inner.notifier.notify(&notice);
        }
        Ok(())
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        for task in lock(&self.tasks).drain(..) {
            task.abort();
        }
    }
}

fn pending_message(
    seq: i64,
    post: &PostMessageRequest,
    active: &Active,
    created_at: &str,
) -> ChatMessage {
    let created_at =
        DateTime::parse_from_rfc3339(created_at).unwrap_or_else(|_| Utc::now().fixed_offset());
    ChatMessage {
        id: MessageId(-seq),
        visibility: post.visibility,
        system: false,
        author_id: Some(active.session.user.id),
        author_name: Some(active.session.user.name.clone()),
        text: post.text.clone(),
        created_at,
    }
}

/// A short stable name of a queued action.
pub(crate) fn op_name(op: &MutationOp) -> &'static str {
    match op {
        MutationOp::AssignExecutor { .. } => "assign_executor",
        MutationOp::Status { .. } => "status",
        MutationOp::Deadlines { .. } => "deadlines",
        MutationOp::EditBooking { .. } => "edit_booking",
        MutationOp::RecordPayment { .. } => "record_payment",
        MutationOp::Cancel => "cancel",
        MutationOp::Confirm => "confirm",
        MutationOp::ReturnToWork => "return_to_work",
        MutationOp::CollectLine { .. } => "collect_line",
        MutationOp::PostMessage(_) => "post_message",
    }
}
