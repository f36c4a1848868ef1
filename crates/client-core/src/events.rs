//! Live events from `GET /events`: a hint to pull, never data. The loop
//! reconnects with backoff and `Last-Event-ID`. A stream that ends wakes the
//! sync loop, which then polls and finds out whether the server is there; a
//! stream silent for twice the server's keep-alive interval is dead (a
//! server killed without closing its connections, a network gone quiet): the
//! status says offline at once, and sync falls back to polling.

use futures::StreamExt;
use orderdesk_protocol::{ServerEvent, EVENTS_KEEP_ALIVE_SECONDS};
use std::sync::Arc;
use std::time::Duration;

use crate::error::CoreError;
use crate::shared::Shared;

/// A stream silent this long is dead: twice the server's keep-alive.
const SILENCE_LIMIT: Duration = Duration::from_secs(2 * EVENTS_KEEP_ALIVE_SECONDS);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// One event as it came off the wire.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub(crate) id: Option<String>,
    pub(crate) event: Option<String>,
    pub(crate) data: String,
}

/// Splits a text/event-stream into events, a chunk at a time.
#[derive(Debug, Default)]
pub(crate) struct EventParser {
    buffer: String,
    current: RawEvent,
    has_data: bool,
}

impl EventParser {
    /// Feeds bytes; returns the events they complete.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Vec<RawEvent> {
        self.buffer.push_str(&String::from_utf8_lossy(chunk));
        let mut out = Vec::new();
        while let Some(end) = self.buffer.find('\n') {
            let line: String = self.buffer.drain(..=end).collect();
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if self.has_data {
                    out.push(std::mem::take(&mut self.current));
                }
                self.current = RawEvent::default();
                self.has_data = false;
                continue;
            }
            if line.starts_with(':') {
                continue; // a keep-alive comment
            }
            let (field, value) = match line.split_once(':') {
                Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
                None => (line, ""),
            };
            match field {
                "id" => self.current.id = Some(value.to_owned()),
                "event" => self.current.event = Some(value.to_owned()),
                "data" => {
                    if self.has_data {
                        self.current.data.push('\n');
                    }
                    self.current.data.push_str(value);
                    self.has_data = true;
                }
                _ => {}
            }
        }
        out
    }
}

/// Connects, wakes the sync loop on every event, reconnects on failure.
pub(crate) async fn run_loop(shared: Arc<Shared>) {
    let mut backoff = Duration::from_secs(1);
    let mut last_id: Option<i64> = None;
    loop {
        let Ok(active) = shared.active() else { return };
        let api = active.api(&shared.http, shared.lang());
        match api.events(last_id).await {
            Ok(response) => {
                set_live(&shared, true);
                // Catch up on whatever happened while disconnected.
                shared.wake.notify_one();
                backoff = Duration::from_secs(1);
                let ending = follow(&shared, response, &mut last_id).await;
                lost(&shared, ending);
            }
            Err(CoreError::Unauthorized(_)) => {
                set_live(&shared, false);
                backoff = MAX_BACKOFF;
            }
            Err(_) => set_live(&shared, false),
        }
        crate::rt::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

fn set_live(shared: &Shared, live: bool) {
    shared.update_state(|state| state.live = live);
}

/// How a stream came to an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ending {
    /// The server or the network closed it.
    Closed,
    /// Nothing came for [`SILENCE_LIMIT`], not even a keep-alive.
    Silent,
}

/// Reads a stream until it ends, waking the sync loop on every event.
async fn follow(shared: &Shared, response: reqwest::Response, last_id: &mut Option<i64>) -> Ending {
    let mut parser = EventParser::default();
    let mut stream = response.bytes_stream();
    loop {
        let chunk = match crate::rt::timeout(SILENCE_LIMIT, stream.next()).await {
            None => return Ending::Silent,
            Some(Some(Ok(chunk))) => chunk,
            Some(_) => return Ending::Closed,
        };
        for event in parser.feed(&chunk) {
            if let Some(id) = event.id.as_deref().and_then(|i| i.parse().ok()) {
                *last_id = Some(id);
            }
            if let Ok(parsed) = serde_json::from_str::<ServerEvent>(&event.data) {
                tracing::debug!(order = %parsed.order, "live event");
            }
            shared.wake.notify_one();
        }
    }
}

/// The stream is gone: say so, and have the sync loop poll now rather than
/// at its next timer, which with live events is minutes away. A silent
/// stream means the server cannot be heard, so the status turns offline at
/// once; after a closed one the round finds out.
fn lost(shared: &Shared, ending: Ending) {
    tracing::debug!(?ending, "live events lost");
    shared.update_state(|state| {
        state.live = false;
        if ending == Ending::Silent {
            state.online = false;
            let silence = SILENCE_LIMIT.as_secs();
            let why = format!("сервер молчит дольше {silence} с");
            state.last_error = Some(CoreError::Offline(why).message());
        }
    });
    shared.wake.notify_one();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_events_split_across_chunks_and_skips_keep_alives() {
        let mut parser = EventParser::default();
        assert!(parser.feed(b": keep-alive\n\nid: 7\nevent: or").is_empty());
        let events = parser.feed(b"der\ndata: {\"a\":1}\n\n");
        assert_eq!(
            events,
            vec![RawEvent {
                id: Some("7".into()),
                event: Some("order".into()),
                data: "{\"a\":1}".into(),
            }]
        );
        let events = parser.feed(b"data: x\r\ndata: y\r\n\r\n");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].data, "x\ny");
    }
}
