//! Where the core's background work runs, so the rest of the core does not
//! care: natively on tokio's runtime, in a browser worker on the worker's
//! event loop with its `setTimeout` for timers.
//!
//! Only this module names the runtime; `sync`, `events` and `client` spawn,
//! sleep and time out through it.

use futures::future::{AbortHandle, Abortable, FutureExt, RemoteHandle};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A background task; [`Task::abort`] stops it at its next await.
pub(crate) struct Task {
    abort: AbortHandle,
    ended: Arc<AtomicBool>,
}

impl Task {
    pub(crate) fn abort(&self) {
        self.abort.abort();
    }

    /// Whether it ended by itself or was aborted.
    pub(crate) fn is_finished(&self) -> bool {
        self.abort.is_aborted() || self.ended.load(Ordering::Acquire)
    }
}

/// What may run in the background: natively it may move between threads.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) trait Background: Future + Send + 'static {}
#[cfg(not(target_arch = "wasm32"))]
impl<F: Future + Send + 'static> Background for F {}

/// What may run in the background: a browser worker has one thread, and its
/// `fetch` futures stay on it.
#[cfg(target_arch = "wasm32")]
pub(crate) trait Background: Future + 'static {}
#[cfg(target_arch = "wasm32")]
impl<F: Future + 'static> Background for F {}

#[cfg(not(target_arch = "wasm32"))]
fn run<F: Future<Output = ()> + Send + 'static>(future: F) {
    tokio::spawn(future);
}

#[cfg(target_arch = "wasm32")]
fn run<F: Future<Output = ()> + 'static>(future: F) {
    wasm_bindgen_futures::spawn_local(future);
}

/// Starts `future` in the background until it ends or is aborted.
pub(crate) fn spawn<F>(future: F) -> Task
where
    F: Background<Output = ()>,
{
    let (abort, registration) = AbortHandle::new_pair();
    let ended = Arc::new(AtomicBool::new(false));
    let flag = ended.clone();
    run(Abortable::new(future, registration).map(move |_| flag.store(true, Ordering::Release)));
    Task { abort, ended }
}

/// Starts `future` in the background and hands back its result; dropping
/// the handle stops it.
pub(crate) fn spawn_with_result<F>(future: F) -> RemoteHandle<F::Output>
where
    F: Background,
    F::Output: Send,
{
    let (remote, handle) = future.remote_handle();
    run(remote);
    handle
}

/// Waits `duration`.
pub(crate) async fn sleep(duration: Duration) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(duration).await;
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::sleep(duration).await;
}

/// `future`'s output, or `None` when it takes longer than `limit`.
pub(crate) async fn timeout<F: Future>(limit: Duration, future: F) -> Option<F::Output> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        tokio::time::timeout(limit, future).await.ok()
    }
    #[cfg(target_arch = "wasm32")]
    {
        let future = std::pin::pin!(future);
        let timer = std::pin::pin!(sleep(limit));
        match futures::future::select(future, timer).await {
            futures::future::Either::Left((output, _)) => Some(output),
            futures::future::Either::Right(_) => None,
        }
    }
}

/// Runs a cache write that takes a while (a pull page is tens of
/// milliseconds) so that the runtime's other tasks, the next page's request
/// among them, move to other threads meanwhile. A browser worker has one
/// thread: there it simply runs.
pub(crate) fn off_the_runtime<T>(write: impl FnOnce() -> T) -> T {
    #[cfg(not(target_arch = "wasm32"))]
    {
        match tokio::runtime::Handle::try_current() {
            Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
                tokio::task::block_in_place(write)
            }
            _ => write(),
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        write()
    }
}
