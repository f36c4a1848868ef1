//! [`Client`]: the handle the app holds. It signs in and out, reads every
//! screen from the cache, publishes the sync status and runs sync in the
//! background. The actions on orders are in the `actions` module.

use chrono::NaiveDate;
use orderdesk_domain::{Lang, OrderNumber, ResourceId};
use orderdesk_protocol::ipc::{
    ConflictId, ListFilter, ListPage, Notification, OrderCard, Session, StatusCount, SyncStatus,
};
use orderdesk_protocol::{AppError, Availability, PayerInfo, ResourceInfo};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::watch;

use crate::cache;
use crate::error::{CoreError, CoreResult};
use crate::http::ServerApi;
use crate::notify::Notifier;
use crate::outbox;
use crate::plan;
use crate::shared::{lock, Active, RunState, Shared, META_CATALOG, META_SESSION};
use crate::sync::SyncReport;
use crate::token::TokenStore;

/// Notifications the history keeps showing.
const NOTICE_HISTORY: u32 = 200;

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
    pub(crate) shared: Arc<Shared>,
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
        let shared = Shared::open(data_dir.as_ref(), tokens, notifier)?;
        // Notifications decided before a crash and not shown yet.
        shared.deliver_notices()?;
        Ok(Client {
            shared: Arc::new(shared),
        })
    }

    /// The signed-in user, when there is one.
    pub fn session(&self) -> Option<Session> {
        lock(&self.shared.active)
            .as_ref()
            .map(|a| a.session.clone())
    }

    /// Signs in at `server_url` and keeps the token in the token store. A
    /// different user or server than the cached one starts from an empty
    /// cache. Input that cannot work is refused before the network.
    pub async fn login(
        &self,
        server_url: &str,
        login: &str,
        password: &str,
    ) -> CoreResult<Session> {
        check_credentials(server_url, login, password, self.shared.lang())?;
        let server_url = server_url.trim().trim_end_matches('/').to_owned();
        let lang = self.shared.lang();
        let anonymous = ServerApi::new(self.shared.http.clone(), &server_url, None, lang);
        let answer = anonymous.login(login.trim(), password).await?;
        let authed = ServerApi::new(
            self.shared.http.clone(),
            &server_url,
            Some(answer.token.clone()),
            lang,
        );
        let me = authed.me().await?;
        let resources = authed.catalog().await.map(|c| c.resources).ok();
        let session = Session {
            server_url,
            user: me.user,
            services: me.services,
        };
        self.stop_sync();
        self.shared.tokens.save(&answer.token)?;
        self.remember(&session, resources.as_deref())?;
        *lock(&self.shared.active) = Some(Active {
            session: session.clone(),
            token: answer.token,
        });
        self.shared.update_state(|state| state.last_error = None);
        Ok(session)
    }

    /// Keeps the session and the catalog in the cache, wiping it first when
    /// the user or the server is not the cached one.
    fn remember(&self, session: &Session, resources: Option<&[ResourceInfo]>) -> CoreResult<()> {
        let mut cache = lock(&self.shared.cache);
        let previous: Option<Session> = cache::meta_get(&cache.conn, META_SESSION)?
            .and_then(|json| serde_json::from_str(&json).ok());
        let same = previous
            .is_some_and(|p| p.server_url == session.server_url && p.user.id == session.user.id);
        if !same {
            cache.wipe()?;
        }
        cache::meta_set(&cache.conn, META_SESSION, &serde_json::to_string(session)?)?;
        if let Some(resources) = resources {
            let json = serde_json::to_string(resources)?;
            cache::meta_set(&cache.conn, META_CATALOG, &json)?;
        }
        Ok(())
    }

    /// Signs out: stops sync, forgets the token and wipes the cache. Actions
    /// still in the outbox are sent first when the server can be reached;
    /// those that cannot be sent make it refuse with
    /// [`CoreError::UnsentActions`], unless `discard_unsent` says to throw
    /// them away.
    pub async fn logout(&self, discard_unsent: bool) -> CoreResult<()> {
        if !discard_unsent && self.unsent()? > 0 {
            if let Err(error) = crate::sync::sync_round(&self.shared).await {
                tracing::debug!(%error, "sending before sign-out failed");
            }
            let unsent = self.unsent()?;
            if unsent > 0 {
                return Err(CoreError::UnsentActions(unsent));
            }
        }
        self.stop_sync();
        let active = lock(&self.shared.active).take();
        if let Some(active) = active {
            active
                .api(&self.shared.http, self.shared.lang())
                .logout()
                .await;
        }
        self.shared.tokens.clear()?;
        lock(&self.shared.cache).wipe()?;
        self.shared
            .update_state(|state| *state = RunState::default());
        Ok(())
    }

    /// Actions waiting in the outbox.
    fn unsent(&self) -> CoreResult<u32> {
        outbox::count(&lock(&self.shared.cache).conn)
    }

    /// A page of the orders list from the cache, newest number first.
    pub fn list(&self, filter: &ListFilter) -> CoreResult<ListPage> {
        let who = crate::list::Reader {
            me: self.session().map(|s| s.user.id),
            now: chrono::Utc::now().timestamp(),
        };
        let mut reader = lock(&self.shared.reader);
        let snapshot = reader.transaction()?;
        crate::list::list(&snapshot, filter, who)
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
    pub fn order(&self, number: OrderNumber) -> CoreResult<OrderCard> {
        let active = self.shared.active()?;
        let mut reader = lock(&self.shared.reader);
        let conn = reader.transaction()?;
        let conn = &*conn;
        let cached = cache::load_order(conn, number)?.ok_or(CoreError::OrderNotFound(number))?;
        Ok(plan::card(
            cached.local,
            cache::messages(conn, number)?,
            &outbox::pending_for(conn, number)?,
            outbox::conflicts(conn, Some(number))?,
            &active.session.user,
        ))
    }

    /// The bookable objects of the catalog cached at login.
    pub fn resources(&self) -> Vec<ResourceInfo> {
        self.shared.resources()
    }

    /// The objects a booking may move to, for the booking editor's
    /// «Объект»: those of the order's own service.
    pub fn order_resources(&self, number: OrderNumber) -> CoreResult<Vec<ResourceInfo>> {
        let service = self.order(number)?.detail.service.id;
        let mut resources = self.resources();
        resources.retain(|r| r.service_id == service);
        Ok(resources)
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
        self.shared
            .api()?
            .availability(resource, date, editing)
            .await
    }

    /// The company accounts that pay for cached orders, for «Плательщик».
    pub fn company_payers(&self) -> CoreResult<Vec<PayerInfo>> {
        cache::company_payers(&lock(&self.shared.reader))
    }

    /// Where sync stands now: online, live events, pending actions,
    /// conflicts.
    pub fn status(&self) -> CoreResult<SyncStatus> {
        self.shared.read_status()
    }

    /// Every change of the sync status as the core publishes it, starting
    /// with the current one: the app forwards these to its UI instead of
    /// asking.
    pub fn watch_status(&self) -> watch::Receiver<SyncStatus> {
        self.shared.subscribe_status()
    }

    /// Hides a conflict message the manager has read.
    pub fn dismiss_conflict(&self, id: ConflictId) -> CoreResult<()> {
        outbox::dismiss_conflict(&lock(&self.shared.cache).conn, id)?;
        self.shared.publish_status();
        Ok(())
    }

    /// Speaks `lang` from now on: `Accept-Language` on every call to the
    /// server, notification titles and bodies, refusals of actions.
    pub fn set_language(&self, lang: Lang) -> CoreResult<()> {
        self.shared.set_lang(lang)
    }

    /// The language the core speaks.
    pub fn language(&self) -> Lang {
        self.shared.lang()
    }

    /// A core error as the app's UI gets it, in the core's language.
    pub fn app_error(&self, error: CoreError) -> AppError {
        error.into_app_error(self.shared.lang())
    }

    /// A failed sign-in in the login screen's words, in the core's language.
    pub fn login_error(&self, error: CoreError) -> AppError {
        error.into_login_error_in(self.shared.lang())
    }

    /// The notification history, newest first, in the core's language,
    /// kept across restarts until sign-out.
    pub fn notifications(&self) -> CoreResult<Vec<Notification>> {
        let lang = self.shared.lang();
        let kept = outbox::notice_history(&lock(&self.shared.reader), NOTICE_HISTORY)?;
        Ok(kept
            .into_iter()
            .map(|k| plan::in_lang(k.notification, k.order_title.as_deref(), lang))
            .collect())
    }

    /// Notifications of the history not read yet, for the bell.
    pub fn unread_notifications(&self) -> CoreResult<u32> {
        outbox::unread_notices(&lock(&self.shared.reader))
    }

    /// Marks one notification read by its key, or all when `key` is `None`.
    pub fn mark_notifications_read(&self, key: Option<&str>) -> CoreResult<()> {
        outbox::mark_notices_read(&lock(&self.shared.cache).conn, key)
    }

    /// Pushes the outbox and pulls until the cache is up to date.
    pub async fn sync_now(&self) -> CoreResult<SyncReport> {
        crate::sync::sync_round(&self.shared).await
    }

    /// Starts the background tasks: sync at once, then on every action, on
    /// every live event, and on a timer; live events with reconnects. Needs
    /// a tokio runtime. Calling it again while they run does nothing.
    pub fn start_sync(&self) {
        let mut tasks = lock(&self.shared.tasks);
        tasks.retain(|t| !t.is_finished());
        if !tasks.is_empty() {
            return;
        }
        tasks.push(crate::rt::spawn(crate::sync::run_loop(self.shared.clone())));
        tasks.push(crate::rt::spawn(crate::events::run_loop(
            self.shared.clone(),
        )));
    }

    /// Starts the background sync when a session was restored. Needs a
    /// tokio runtime.
    pub fn resume(&self) {
        if self.session().is_some() {
            self.start_sync();
        }
    }

    /// Stops the background tasks; queued actions stay in the outbox.
    pub fn stop_sync(&self) {
        self.shared.stop_tasks();
        self.shared.update_state(|state| state.live = false);
    }
}

/// Refuses, before any network, a sign-in that cannot work: the server
/// address must be an absolute http(s) URL with a host, and the login and
/// password must be given.
fn check_credentials(server_url: &str, login: &str, password: &str, lang: Lang) -> CoreResult<()> {
    let say =
        |ru: &str, en: &str| CoreError::Invalid(if lang == Lang::En { en } else { ru }.to_owned());
    let url = server_url.trim();
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    if !host.is_some_and(|host| !host.is_empty() && !host.starts_with('/')) {
        return Err(say(
            "Укажите адрес сервера полностью, например https://orders.example.ru.",
            "Give the server's full address, e.g. https://orders.example.ru.",
        ));
    }
    if login.trim().is_empty() {
        return Err(say("Введите логин.", "Enter the login."));
    }
    if password.is_empty() {
        return Err(say("Введите пароль.", "Enter the password."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::https("https://orders.example.ru", true)]
    #[case::http_with_port("http://127.0.0.1:8080", true)]
    #[case::empty("", false)]
    #[case::no_scheme("orders.example.ru", false)]
    #[case::no_host("https://", false)]
    #[case::other_scheme("ftp://x", false)]
    #[case::path_only("http:///path", false)]
    fn server_address_needs_scheme_and_host(#[case] url: &str, #[case] ok: bool) {
        let checked = check_credentials(url, "service", "demo", Lang::Ru);
        assert_eq!(checked.is_ok(), ok, "{url}: {checked:?}");
        if let Err(error) = checked {
            assert!(matches!(error, CoreError::Invalid(_)), "{url}");
            let shown = error.into_login_error();
            assert_eq!(
                shown.code,
                orderdesk_protocol::ErrorCode::InvalidInput,
                "{url}"
            );
        }
    }

    #[rstest]
    #[case::no_login("  ", "demo", "Введите логин.")]
    #[case::no_password("service", "", "Введите пароль.")]
    fn login_and_password_are_required(
        #[case] login: &str,
        #[case] password: &str,
        #[case] says: &str,
    ) {
        let error = check_credentials("https://orders.example.ru", login, password, Lang::Ru)
            .expect_err("refused");
        assert_eq!(error, CoreError::Invalid(says.to_owned()));
    }
}
