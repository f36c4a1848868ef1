//! Offline sync for the manager app, the service side: what a pull returns
//! ([`pull`]), how a push applies the outbox ([`push`]) and the notices
//! kept for both ([`notices`]). The endpoints are part of the HTTP layer.
//!
//! Pull reads orders in change log order from one read snapshot and moves
//! the cursor only past what it returns. Push applies each mutation through
//! the same functions as the REST handlers, once per client id: the answer
//! of an applied one is written in the transaction that applied it, a
//! refusal is remembered and answered the same on a retry. Notices
//! («новый заказ», «вернули в работу») are kept per recipient with the
//! change that raised them and pulled like data.

pub mod notices;
pub mod pull;
pub mod push;
