//! Live events from `GET /events`: a hint to pull, never data. The loop
//! reconnects with backoff and `Last-Event-ID`, and treats a stream silent
//! past the keep-alive interval as broken.

use futures::StreamExt;
use orderdesk_protocol::ServerEvent;
use std::sync::Arc;
use std::time::Duration;

use crate::error::CoreError;
use crate::shared::Shared;

/// The server sends a keep-alive well within this.
const SILENCE_LIMIT: Duration = Duration::from_secs(45);
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
        let api = active.api(&shared.http);
        match api.events(last_id).await {
            Ok(response) => {
                set_live(&shared, true);
                // Catch up on whatever happened while disconnected.
                shared.wake.notify_one();
                backoff = Duration::from_secs(1);
                let mut parser = EventParser::default();
                let mut stream = response.bytes_stream();
                loop {
                    let next = tokio::time::timeout(SILENCE_LIMIT, stream.next()).await;
                    let Ok(Some(Ok(chunk))) = next else { break };
                    for event in parser.feed(&chunk) {
                        if let Some(id) = event.id.as_deref().and_then(|i| i.parse().ok()) {
                            last_id = Some(id);
                        }
                        if let Ok(parsed) = serde_json::from_str::<ServerEvent>(&event.data) {
                            tracing::debug!(order = %parsed.order, "live event");
                        }
                        shared.wake.notify_one();
                    }
                }
                set_live(&shared, false);
            }
            Err(CoreError::Unauthorized(_)) => {
                set_live(&shared, false);
                backoff = MAX_BACKOFF;
            }
            Err(_) => set_live(&shared, false),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

fn set_live(shared: &Shared, live: bool) {
    shared.update_state(|state| state.live = live);
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
