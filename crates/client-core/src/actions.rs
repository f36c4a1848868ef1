//! The actions on an order, as [`Client`] methods: each is checked by the
//! rules, applied to the cached order and queued in the outbox in one local
//! transaction, then the sync task is woken and the new status published.

use chrono::{DateTime, FixedOffset, Utc};
use orderdesk_domain::{LineNo, LineOutcome, Money, OrderNumber, Status, UserId, Visibility};
use orderdesk_protocol::ipc::{BookingChange, OrderCard};
use orderdesk_protocol::{Mutation, MutationId, MutationOp, PostMessageRequest};

use crate::cache;
use crate::client::Client;
use crate::error::{CoreError, CoreResult};
use crate::local;
use crate::outbox;
use crate::shared::lock;

impl Client {
    /// Checks an action by the rules, applies it to the cached order and
    /// queues it, in one local transaction; then wakes the sync task.
    async fn act(&self, number: OrderNumber, op: MutationOp) -> CoreResult<OrderCard> {
        let shared = &self.shared;
        let actor = shared.active()?.actor();
        let resources = shared.resources();
        {
            let mut cache = lock(&shared.cache);
            let cached =
                cache::load_order(&cache.conn, number)?.ok_or(CoreError::OrderNotFound(number))?;
            let when = (Utc::now(), shared.lang());
            let effect = local::check(&op, &cached.local, actor, &resources, when)?;
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
        shared.publish_status();
        shared.wake.notify_one();
        self.order(number)
    }

    /// «Изменить исполнителя»; `None` is «Не назначено».
    pub async fn assign_executor(
        &self,
        number: OrderNumber,
        executor: Option<UserId>,
    ) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::AssignExecutor { user_id: executor })
            .await
    }

    /// «Изменить статус».
    pub async fn set_status(&self, number: OrderNumber, status: Status) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::Status { status }).await
    }

    /// «Изменить время»: first response and completion due.
    pub async fn set_deadlines(
        &self,
        number: OrderNumber,
        first_response_due: Option<DateTime<FixedOffset>>,
        completion_due: Option<DateTime<FixedOffset>>,
    ) -> CoreResult<OrderCard> {
        let op = MutationOp::Deadlines {
            first_response_due,
            completion_due,
        };
        self.act(number, op).await
    }

    /// «Изменить заказ» of a meeting-room booking.
    pub async fn edit_booking(
        &self,
        number: OrderNumber,
        change: BookingChange,
    ) -> CoreResult<OrderCard> {
        let op = MutationOp::EditBooking {
            resource_id: change.resource_id,
            date: change.date,
            slots: change.slots,
            payer_id: change.payer_id,
            comment: change.comment,
        };
        self.act(number, op).await
    }

    /// «Провести оплату» on a partly paid order.
    pub async fn record_payment(
        &self,
        number: OrderNumber,
        amount: Money,
    ) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::RecordPayment { amount }).await
    }

    /// «Отменить заказ» → «Да».
    pub async fn cancel(&self, number: OrderNumber) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::Cancel).await
    }

    /// Shop collection of one line.
    pub async fn collect_line(
        &self,
        number: OrderNumber,
        line: LineNo,
        outcome: LineOutcome,
    ) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::CollectLine { line, outcome })
            .await
    }

    /// «Написать сообщение...» in the public or internal tab.
    pub async fn post_message(
        &self,
        number: OrderNumber,
        text: &str,
        visibility: Visibility,
    ) -> CoreResult<OrderCard> {
        let post = PostMessageRequest {
            text: text.trim().to_owned(),
            visibility,
        };
        self.act(number, MutationOp::PostMessage(post)).await
    }

    /// «Подтвердить выполнение заказа», by the requester.
    pub async fn confirm(&self, number: OrderNumber) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::Confirm).await
    }

    /// «Вернуть в работу», by the requester.
    pub async fn return_to_work(&self, number: OrderNumber) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::ReturnToWork).await
    }

    /// «Взять в работу»: the user becomes the executor and a new request
    /// goes to «В работе».
    pub async fn take_in_work(&self, number: OrderNumber) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::TakeInWork).await
    }

    /// Takes back a shop line's collection mark while «Собирается».
    pub async fn undo_collection(
        &self,
        number: OrderNumber,
        line: LineNo,
    ) -> CoreResult<OrderCard> {
        self.act(number, MutationOp::UndoCollection { line }).await
    }
}
