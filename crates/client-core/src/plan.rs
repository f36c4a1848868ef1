//! Sync planning as pure functions over values, beside the IO that carries
//! it out (the `sync` module): how to settle the server's answers to a push,
//! the local copy of an order rebuilt from the server's copy and the
//! actions still queued, what the manager reads when an action is refused,
//! what to pull next, which notices become notifications, and the order
//! card assembled from what the cache holds.
//!
//! Nothing here locks, reads the cache or touches the network, so each step
//! is tested by a table of cases.

use chrono::{DateTime, Utc};
use orderdesk_domain::{may_view_internal, Actor, Lang, Status, Visibility};
use orderdesk_protocol::ipc::{Conflict, MessageView, Notification, OrderCard, PendingAction};
use orderdesk_protocol::{
    ChatMessage, ErrorCode, MessageId, Mutation, MutationOp, MutationOutcome, MutationResult,
    OrderDetail, PostMessageRequest, PullResponse, ResourceInfo, SyncedNotice, UserSummary,
};
use std::collections::{BTreeSet, HashMap};

use crate::local;
use crate::outbox::OutboxEntry;

/// What becomes of one queued action once the server answered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Settlement {
    /// Applied: later actions based on the same version now build on
    /// `version`.
    Applied { version: i64 },
    /// Refused: the action is dropped and the manager reads `message`.
    Refused { code: ErrorCode, message: String },
}

/// How to settle a pushed batch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct PushPlan {
    /// One per action the server answered, in the order of the batch; the
    /// first one left unanswered and those after it wait for the next push.
    pub(crate) settlements: Vec<Settlement>,
    /// Orders with a refused action, whose local copy is rebuilt.
    pub(crate) rebuild: BTreeSet<orderdesk_domain::OrderNumber>,
}

impl PushPlan {
    /// Every action of the batch was answered: the next batch may go.
    pub(crate) fn push_more(&self, batch: usize) -> bool {
        batch > 0 && self.settlements.len() == batch
    }
}

/// Settles the server's answers to a batch, in the batch's order.
pub(crate) fn plan_push(batch: &[Mutation], results: &[MutationResult]) -> PushPlan {
    let by_id: HashMap<&str, &MutationOutcome> = results
        .iter()
        .map(|r| (r.client_id.0.as_str(), &r.outcome))
        .collect();
    let mut plan = PushPlan::default();
    for mutation in batch {
        let Some(outcome) = by_id.get(mutation.client_id.0.as_str()) else {
            break;
        };
        plan.settlements.push(match outcome {
            MutationOutcome::Applied { version } => Settlement::Applied { version: *version },
            MutationOutcome::Refused { code, message } => {
                plan.rebuild.insert(mutation.order);
                Settlement::Refused {
                    code: *code,
                    message: conflict_message(mutation, *code, message),
                }
            }
        });
    }
    plan
}

/// What the manager reads when the server refused an action.
pub(crate) fn conflict_message(mutation: &Mutation, code: ErrorCode, message: &str) -> String {
    let taken = matches!(
        mutation.op,
        MutationOp::AssignExecutor { .. }
            | MutationOp::Status {
                status: Status::InProgress | Status::Collecting
            }
    );
    match code {
        ErrorCode::StaleVersion if taken => format!(
            "Заказ №{} уже взят в работу другим менеджером. Ваше изменение отменено.",
            mutation.order
        ),
        ErrorCode::StaleVersion => format!(
            "Заказ №{} уже изменил другой пользователь. Ваше изменение отменено, проверьте заказ и повторите.",
            mutation.order
        ),
        _ => format!("Заказ №{}: {message} Ваше изменение отменено.", mutation.order),
    }
}

/// The local copy of an order: the server's copy with this device's queued
/// actions applied again, in order. One the rules now refuse is left out;
/// the server will refuse it too and say why.
pub(crate) fn rebuild<'a>(
    server: &OrderDetail,
    queued: impl IntoIterator<Item = &'a MutationOp>,
    actor: Actor,
    resources: &[ResourceInfo],
) -> OrderDetail {
    let mut view = server.clone();
    for op in queued {
        // Only whether it still applies matters here, not in which words.
        let when = (Utc::now(), orderdesk_domain::Lang::Ru);
        if let Ok(effect) = local::check(op, &view, actor, resources, when) {
            local::apply(&mut view, op, &effect, actor, resources);
        }
    }
    view
}

/// The cursor to pull from next, when the server has more.
pub(crate) fn next_pull(page: &PullResponse) -> Option<i64> {
    page.has_more.then_some(page.next_cursor.0)
}

/// The notification a notice raises, if it is one the app shows.
pub(crate) fn notification(notice: &SyncedNotice) -> Option<Notification> {
    notice.event.raises_notification().then(|| Notification {
        key: format!("notice:{}", notice.id.0),
        order: notice.order,
        event: notice.event,
        title: notice.title.clone(),
        body: notice.body.clone(),
        read: false,
        at: None,
    })
}

/// A kept notification as the manager reads it in `lang`: the event's
/// title, and the order's number and title as the cache has them (the
/// server's words when the order is no longer cached).
pub(crate) fn in_lang(
    mut notification: Notification,
    order_title: Option<&str>,
    lang: Lang,
) -> Notification {
    notification.title = notification.event.title(lang).to_owned();
    if let Some(title) = order_title {
        notification.body = orderdesk_domain::notice_body(lang, notification.order, title);
    }
    notification
}

/// Whether `actor` may read a message of this visibility on `order`: the
/// internal tab only when the domain lets them.
pub(crate) fn may_read(order: &OrderDetail, actor: Actor, visibility: Visibility) -> bool {
    visibility != Visibility::Internal || may_view_internal(&local::facts(order), actor)
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
        MutationOp::TakeInWork => "take_in_work",
        MutationOp::UndoCollection { .. } => "undo_collection",
    }
}

/// The order card: the local copy, the chat as `user` may read it with the
/// messages still queued at its end, the queued actions and the conflicts.
pub(crate) fn card(
    detail: OrderDetail,
    chat: Vec<ChatMessage>,
    queued: &[OutboxEntry],
    conflicts: Vec<Conflict>,
    user: &UserSummary,
) -> OrderCard {
    let actor = Actor::user(user.id, user.role);
    let internal = may_read(&detail, actor, Visibility::Internal);
    let sent = chat
        .into_iter()
        .filter(|m| internal || m.visibility != Visibility::Internal)
        .map(|message| MessageView {
            message,
            pending: false,
        });
    let waiting = queued.iter().filter_map(|entry| match &entry.mutation.op {
        MutationOp::PostMessage(post) => Some(MessageView {
            message: pending_message(entry.seq, post, user, &entry.created_at),
            pending: true,
        }),
        _ => None,
    });
    OrderCard {
        detail,
        messages: sent.chain(waiting).collect(),
        pending: queued
            .iter()
            .map(|e| PendingAction {
                client_id: e.mutation.client_id.clone(),
                action: op_name(&e.mutation.op).to_owned(),
            })
            .collect(),
        conflicts,
    }
}

/// A queued message as the chat shows it until the server has it.
fn pending_message(
    seq: i64,
    post: &PostMessageRequest,
    user: &UserSummary,
    created_at: &str,
) -> ChatMessage {
    let created_at =
        DateTime::parse_from_rfc3339(created_at).unwrap_or_else(|_| Utc::now().fixed_offset());
    ChatMessage {
        id: MessageId(-seq),
        visibility: post.visibility,
        system: false,
        author_id: Some(user.id),
        author_name: Some(user.name.clone()),
        note: None,
        text: post.text.clone(),
        created_at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::test_support::order;
    use orderdesk_domain::{NoticeEvent, OrderNumber, Role, UserId};
    use orderdesk_protocol::{MutationId, NoticeId, Person, SyncCursor};
    use rstest::rstest;

    const MANAGER: UserId = UserId(7);

    fn manager() -> Actor {
        Actor::user(MANAGER, Role::ServiceManager)
    }

    /// A new simple request the manager is responsible for.
    fn server_copy() -> OrderDetail {
        let mut detail = order(1042, "Уборка", Status::New);
        detail.responsible = vec![Person {
            id: Some(MANAGER),
            name: "Иван Менеджер".to_owned(),
            role: None,
            phone: None,
            email: None,
        }];
        detail
    }

    fn mutation(id: &str, order: i64, op: MutationOp) -> Mutation {
        Mutation {
            client_id: MutationId(id.to_owned()),
            order: OrderNumber(order),
            base_version: 1,
            op,
        }
    }

    fn status(to: Status) -> MutationOp {
        MutationOp::Status { status: to }
    }

    fn applied(id: &str, version: i64) -> MutationResult {
        MutationResult {
            client_id: MutationId(id.to_owned()),
            outcome: MutationOutcome::Applied { version },
        }
    }

    fn refused(id: &str, code: &str) -> MutationResult {
        MutationResult {
            client_id: MutationId(id.to_owned()),
            outcome: MutationOutcome::Refused {
                code: ErrorCode::parse(code),
                message: "Нельзя.".to_owned(),
            },
        }
    }

    /// What a plan comes to, in short: `a` applied, `r` refused, per
    /// settled action; then the orders to rebuild; then whether to push on.
    fn shape(plan: &PushPlan, batch: usize) -> (String, Vec<i64>, bool) {
        let settled = plan
            .settlements
            .iter()
            .map(|s| match s {
                Settlement::Applied { .. } => 'a',
                Settlement::Refused { .. } => 'r',
            })
            .collect();
        let rebuild = plan.rebuild.iter().map(|n| n.0).collect();
        (settled, rebuild, plan.push_more(batch))
    }

    #[rstest]
    #[case::all_applied(&["1", "2"], vec![applied("1", 2), applied("2", 3)], "aa", &[], true)]
    #[case::one_refused(&["1", "2"], vec![applied("1", 2), refused("2", "transition_not_allowed")], "ar", &[2], true)]
    #[case::answers_out_of_order(&["1", "2"], vec![applied("2", 3), applied("1", 2)], "aa", &[], true)]
    #[case::first_unanswered_stops(&["1", "2"], vec![applied("2", 3)], "", &[], false)]
    #[case::tail_unanswered_waits(&["1", "2", "3"], vec![applied("1", 2), refused("2", "stale_version")], "ar", &[2], false)]
    #[case::nothing_answered(&["1"], vec![], "", &[], false)]
    #[case::unknown_answers_ignored(&["1"], vec![applied("9", 9), applied("1", 2)], "a", &[], true)]
    #[case::empty_batch(&[], vec![], "", &[], false)]
    fn settles_a_push(
        #[case] ids: &[&str],
        #[case] results: Vec<MutationResult>,
        #[case] settled: &str,
        #[case] rebuilt: &[i64],
        #[case] push_more: bool,
    ) {
        let batch: Vec<Mutation> = ids
            .iter()
            .map(|id| {
                let order = id.parse::<i64>().expect("numeric id");
                mutation(id, order, status(Status::InProgress))
            })
            .collect();
        let plan = plan_push(&batch, &results);
        assert_eq!(
            shape(&plan, batch.len()),
            (settled.to_owned(), rebuilt.to_vec(), push_more)
        );
    }

    #[test]
    fn an_applied_action_carries_the_new_version_and_a_refusal_its_message() {
        let batch = [
            mutation("a", 1042, status(Status::InProgress)),
            mutation("b", 1042, MutationOp::Cancel),
        ];
        let plan = plan_push(&batch, &[applied("a", 5), refused("b", "not_paid")]);
        assert_eq!(
            plan.settlements,
            vec![
                Settlement::Applied { version: 5 },
                Settlement::Refused {
                    code: ErrorCode::NotPaid,
                    message: "Заказ №1042: Нельзя. Ваше изменение отменено.".to_owned(),
                },
            ]
        );
    }

    #[rstest]
    #[case::assign_taken(MutationOp::AssignExecutor { user_id: Some(MANAGER) }, "stale_version", "уже взят в работу другим менеджером")]
    #[case::taking_in_progress(
        status(Status::InProgress),
        "stale_version",
        "уже взят в работу другим менеджером"
    )]
    #[case::taking_to_collect(
        status(Status::Collecting),
        "stale_version",
        "уже взят в работу другим менеджером"
    )]
    #[case::other_change_stale(
        status(Status::AwaitingConfirmation),
        "stale_version",
        "уже изменил другой пользователь"
    )]
    #[case::cancel_stale(MutationOp::Cancel, "stale_version", "уже изменил другой пользователь")]
    #[case::rule_refused(
        MutationOp::Cancel,
        "not_paid",
        "Заказ №1042: Нельзя. Ваше изменение отменено."
    )]
    fn tells_the_manager_why(#[case] op: MutationOp, #[case] code: &str, #[case] says: &str) {
        let message = conflict_message(&mutation("x", 1042, op), ErrorCode::parse(code), "Нельзя.");
        assert!(message.contains(says), "{message}");
        assert!(message.contains("№1042"), "{message}");
    }

    #[rstest]
    #[case::nothing_queued(vec![], Status::New)]
    #[case::one_queued(vec![status(Status::InProgress)], Status::InProgress)]
    #[case::queued_in_order(vec![status(Status::InProgress), status(Status::AwaitingConfirmation)], Status::AwaitingConfirmation)]
    #[case::refused_now_left_out(vec![status(Status::Done)], Status::New)]
    #[case::refused_then_allowed(vec![status(Status::Done), status(Status::InProgress)], Status::InProgress)]
    fn rebuilds_the_local_copy(#[case] queued: Vec<MutationOp>, #[case] expected: Status) {
        let server = server_copy();
        let local = rebuild(&server, &queued, manager(), &[]);
        assert_eq!(local.status, expected);
        assert_eq!(local.version, server.version, "the base stays the server's");
    }

    #[test]
    fn a_rebuilt_copy_says_what_is_allowed_after_the_queued_actions() {
        let local = rebuild(
            &server_copy(),
            &[status(Status::InProgress)],
            manager(),
            &[],
        );
        assert!(local
            .allowed
            .status_targets
            .contains(&Status::AwaitingConfirmation));
    }

    fn page(has_more: bool, next: i64) -> PullResponse {
        PullResponse {
            orders: Vec::new(),
            tombstones: Vec::new(),
            messages: Vec::new(),
            notices: Vec::new(),
            next_cursor: SyncCursor(next),
            has_more,
        }
    }

    #[rstest]
    #[case::more_waits(page(true, 500), Some(500))]
    #[case::caught_up(page(false, 500), None)]
    fn pulls_until_caught_up(#[case] page: PullResponse, #[case] next: Option<i64>) {
        assert_eq!(next_pull(&page), next);
    }

    #[rstest]
    #[case::new_order(NoticeEvent::OrderCreated, true)]
    #[case::returned_to_work(NoticeEvent::ReturnedToWork, true)]
    #[case::awaiting_confirmation(NoticeEvent::AwaitingConfirmation, false)]
    fn raises_only_new_and_returned_orders(#[case] event: NoticeEvent, #[case] raised: bool) {
        let notice = SyncedNotice {
            id: NoticeId(31),
            order: OrderNumber(1042),
            event,
            event_id: 7,
            title: "Новый заказ".to_owned(),
            body: "Заказ №1042: Уборка".to_owned(),
        };
        let made = notification(&notice);
        assert_eq!(made.is_some(), raised);
        if let Some(made) = made {
            assert_eq!(made.key, "notice:31");
            assert_eq!(made.order, OrderNumber(1042));
        }
    }

    #[rstest]
    #[case::responsible_public(MANAGER, Role::ServiceManager, Visibility::Public, true)]
    #[case::responsible_internal(MANAGER, Role::ServiceManager, Visibility::Internal, true)]
    #[case::outsider_internal(UserId(99), Role::ServiceManager, Visibility::Internal, false)]
    #[case::requester_public(UserId(5), Role::Requester, Visibility::Public, true)]
    #[case::requester_internal(UserId(5), Role::Requester, Visibility::Internal, false)]
    fn reads_the_chat_as_the_domain_allows(
        #[case] user: UserId,
        #[case] role: Role,
        #[case] visibility: Visibility,
        #[case] readable: bool,
    ) {
        let actor = Actor::user(user, role);
        assert_eq!(may_read(&server_copy(), actor, visibility), readable);
    }
}
