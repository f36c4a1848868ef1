//! E-mail about booking changes. The message is written to the outbox table
//! in the transaction of the change; when SMTP is configured a sender task
//! delivers the outbox, otherwise it stays there for an operator or a test.

use chrono::{DateTime, Utc};
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::SmtpConfig;
use crate::error::ServiceError;
use crate::orders::facts::booking_range;
use crate::state::AppState;
use crate::storage::{self, Conn};

/// Queues «Бронирование изменено» to the requester of a booking: the order,
/// the object and the new time.
pub async fn queue_booking_changed(
    conn: &mut Conn,
    order_id: i64,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let Some(order) = storage::order_by_id(conn, order_id).await? else {
        return Ok(());
    };
    let Some(requester) = storage::user_by_id(conn, order.requester_id).await? else {
        return Ok(());
    };
    let Some(to) = requester.email.clone().filter(|e| e.contains('@')) else {
        return Ok(());
    };
    let resource = match order.resource_id {
        Some(id) => storage::resource(conn, id).await?,
        None => None,
    };
    let object = resource.map_or_else(|| order.title.clone(), |r| r.name);
    let when = booking_range(&order).map_or_else(String::new, |range| {
        let (start, end) = range.time_span();
        format!("{} {start}–{end}", range.date.format("%d.%m.%Y"))
    });
    let subject = format!("Бронирование №{} изменено", order.number);
    let body = format!(
        "Здравствуйте, {name}!\n\n\
         Ваше бронирование №{number} изменено.\n\
         Объект: {object}\n\
         Новое время: {when}\n\n\
         Заказ можно открыть в разделе «Обращения и заказы».\n",
        name = requester.name,
        number = order.number,
    );
    storage::insert_email(conn, order.id, &to, &subject, &body, now).await?;
    Ok(())
}

fn transport(
    smtp: &SmtpConfig,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    let builder = if smtp.insecure {
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
    } else {
        AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?
    };
    let builder = builder.port(smtp.port);
    let builder = match (&smtp.username, &smtp.password) {
        (Some(user), Some(password)) => {
            builder.credentials(Credentials::new(user.clone(), password.clone()))
        }
        _ => builder,
    };
    Ok(builder.build())
}

/// The advisory lock key of a delivery round ("ORML").
const MAIL_TURN: i64 = 0x4f52_4d4c;

/// Sends what the outbox holds; returns how many went out.
pub async fn deliver_outbox(state: &AppState) -> Result<usize, ServiceError> {
    let Some(smtp) = state.config().smtp.clone() else {
        return Ok(0);
    };
    // One instance at a time sends, so no message goes out twice.
    let Some(turn) = state.storage().try_exclusive(MAIL_TURN).await? else {
        return Ok(0);
    };
    let mailer = transport(&smtp).map_err(|e| ServiceError::fault("SMTP", e))?;
    let pending = {
        let mut conn = state.storage().read().await?;
        storage::unsent_emails(&mut conn, 50).await?
    };
    let mut sent = 0;
    for email in pending {
        let message = Message::builder()
            .from(
                state
                    .config()
                    .mail_from
                    .parse()
                    .map_err(|e| ServiceError::fault("mail_from", e))?,
            )
            .to(email
                .to_addr
                .parse()
                .map_err(|e| ServiceError::fault("recipient", e))?)
            .subject(email.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|e| ServiceError::fault("message", e))?;
        match mailer.send(message).await {
            Ok(_) => {
                let mut tx = state.storage().begin().await?;
                storage::mark_email_sent(&mut tx, email.id, state.now()).await?;
                tx.commit().await?;
                sent += 1;
            }
            Err(e) => {
                // Left in the outbox; the next round tries again.
                tracing::warn!(email = email.id, error = %e, "e-mail not sent");
                break;
            }
        }
    }
    turn.end().await?;
    Ok(sent)
}
