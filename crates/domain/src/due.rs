//! Due times of an order: which of «Срок первого ответа» and «Срок
//! исполнения» the order still awaits in its status, the next one, and
//! whether one has passed at `now` (the list's overdue mark and its
//! «Просрочено» filter). The statuses a role's status filter offers are
//! here too: both shape what a manager triages.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::kind::{OrderKind, Status};
use crate::role::Role;

/// Which due time of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Due {
    /// «Срок первого ответа»: someone has to take the order up.
    FirstResponse,
    /// «Срок исполнения»: the work has to be done.
    Completion,
}

impl Due {
    pub const ALL: [Due; 2] = [Due::FirstResponse, Due::Completion];

    /// Whether an order in `status` still waits for this due time. The
    /// first response is given once the order leaves «Новый»; the work is
    /// done once it waits for confirmation, is ready or is over.
    pub fn awaited_in(self, status: Status) -> bool {
        match self {
            Due::FirstResponse => status == Status::New,
            Due::Completion => {
                !status.is_final()
                    && !matches!(
                        status,
                        Status::AwaitingConfirmation | Status::ReadyForPickup
                    )
            }
        }
    }

    /// The statuses in which this due time is still awaited.
    pub fn awaited_statuses(self) -> Vec<Status> {
        Status::ALL
            .into_iter()
            .filter(|s| self.awaited_in(*s))
            .collect()
    }
}

/// The earliest due time the order still awaits in `status`, if any: what
/// «due soonest» sorts by.
pub fn next_due(
    status: Status,
    first_response_due: Option<DateTime<Utc>>,
    completion_due: Option<DateTime<Utc>>,
) -> Option<(Due, DateTime<Utc>)> {
    let awaited = |due: Due, at: Option<DateTime<Utc>>| {
        at.filter(|_| due.awaited_in(status)).map(|at| (due, at))
    };
    [
        awaited(Due::FirstResponse, first_response_due),
        awaited(Due::Completion, completion_due),
    ]
    .into_iter()
    .flatten()
    .min_by_key(|(_, at)| *at)
}

/// The due time that has passed before `now` and is still awaited: what
/// «Просрочено» finds. The earliest one when both have. An order is overdue
/// here exactly when the card's mark (`overdue_mark`, built on the same
/// [`Due::awaited_in`]; it names the completion first) says so.
pub fn overdue(
    status: Status,
    first_response_due: Option<DateTime<Utc>>,
    completion_due: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<Due> {
    next_due(status, first_response_due, completion_due)
        .filter(|(_, at)| *at < now)
        .map(|(due, _)| due)
}

/// The statuses an order of a kind `role` processes can be in, in the
/// order of [`Status::ALL`]: what the role's status filter offers. Those
/// who process no kind (a requester, the administrator) see every kind, so
/// every status.
pub fn statuses_for(role: Role) -> Vec<Status> {
    let kinds: Vec<OrderKind> = OrderKind::ALL
        .into_iter()
        .filter(|k| role.covers(*k))
        .collect();
    Status::ALL
        .into_iter()
        .filter(|s| kinds.is_empty() || kinds.iter().any(|k| s.applies_to(*k)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rstest::rstest;

    fn at(hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0)
            .single()
            .expect("time")
    }

    #[rstest]
    #[case::new_late_answer(Status::New, Some(9), Some(18), 10, Some(Due::FirstResponse))]
    #[case::new_in_time(Status::New, Some(11), Some(18), 10, None)]
    #[case::taken_answer_no_longer_counts(Status::InProgress, Some(9), Some(18), 10, None)]
    #[case::taken_late_work(Status::InProgress, Some(9), Some(9), 10, Some(Due::Completion))]
    #[case::done_by_executor(Status::AwaitingConfirmation, Some(1), Some(2), 10, None)]
    #[case::finished(Status::Done, Some(1), Some(2), 10, None)]
    #[case::cancelled(Status::Cancelled, Some(1), Some(2), 10, None)]
    #[case::no_due_times(Status::New, None, None, 10, None)]
    #[case::both_passed_earliest(Status::New, Some(8), Some(7), 10, Some(Due::Completion))]
    #[case::exactly_now_is_not_yet(Status::New, Some(10), None, 10, None)]
    fn overdue_marks_only_awaited_due_times_that_passed(
        #[case] status: Status,
        #[case] first: Option<u32>,
        #[case] completion: Option<u32>,
        #[case] now: u32,
        #[case] expected: Option<Due>,
    ) {
        assert_eq!(
            overdue(status, first.map(at), completion.map(at), at(now)),
            expected
        );
    }

    /// The list's «Просрочено» and the card's overdue mark agree on every
    /// status and every order of the due times around now.
    #[test]
    fn the_list_and_the_mark_agree_on_what_is_overdue() {
        let hours = [None, Some(8), Some(10), Some(12)];
        for status in Status::ALL {
            for first in hours {
                for completion in hours {
                    let (first, completion) = (first.map(at), completion.map(at));
                    let listed = overdue(status, first, completion, at(10)).is_some();
                    let marked = crate::hint::overdue(first, completion, status, at(10)).is_some();
                    assert_eq!(listed, marked, "{status:?} {first:?} {completion:?}");
                }
            }
        }
    }

    #[test]
    fn next_due_is_the_earliest_still_awaited() {
        assert_eq!(
            next_due(Status::New, Some(at(12)), Some(at(11))),
            Some((Due::Completion, at(11)))
        );
        assert_eq!(
            next_due(Status::InProgress, Some(at(9)), Some(at(18))),
            Some((Due::Completion, at(18)))
        );
        assert_eq!(next_due(Status::Done, Some(at(9)), Some(at(18))), None);
    }

    #[test]
    fn each_role_is_offered_the_statuses_of_its_kinds() {
        let service = statuses_for(Role::ServiceManager);
        assert!(service.contains(&Status::InProgress));
        assert!(service.contains(&Status::AwaitingConfirmation));
        assert!(!service.contains(&Status::Collecting));
        assert!(!service.contains(&Status::Active));
        let shop = statuses_for(Role::ShopManager);
        assert!(shop.contains(&Status::Collecting));
        assert!(shop.contains(&Status::ReadyForPickup));
        assert!(!shop.contains(&Status::InProgress));
        assert!(!shop.contains(&Status::Confirmed));
        let rental = statuses_for(Role::RentalManager);
        assert!(rental.contains(&Status::Confirmed) && rental.contains(&Status::Active));
        assert!(!rental.contains(&Status::Collecting));
        assert_eq!(statuses_for(Role::Admin), Status::ALL.to_vec());
        assert_eq!(statuses_for(Role::Requester), Status::ALL.to_vec());
    }
}
