//! What an administrator may set up: the limits of accounts, services,
//! objects and goods. The server refuses what these refuse; the app checks
//! the same before it sends.

use crate::kind::OrderKind;
use crate::money::Money;
use crate::role::Role;
use crate::slots::Slot;
use crate::text::Lang;
use std::fmt;

/// Longest login.
pub const MAX_LOGIN_CHARS: usize = 64;
/// Longest name of a person, service, object, tariff or good.
pub const MAX_NAME_CHARS: usize = 200;
/// Shortest password an administrator may set.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// Longest password.
pub const MAX_PASSWORD_CHARS: usize = 200;
/// Longest auto-close, first-response or completion time: a year.
pub const MAX_MINUTES: i64 = 365 * 24 * 60;
/// Highest price of one slot, day, night or good: 10 000 000 ₽.
pub const MAX_PRICE: Money = Money::rub(10_000_000);
/// Most desks or rooms of one object.
pub const MAX_CAPACITY: u32 = 10_000;

/// Setup input the product does not accept. Every variant is a 422 over
/// HTTP, with [`AdminInputError::code`] as its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminInputError {
    Login,
    Name,
    Password,
    Phone,
    Email,
    /// Only a requester pays as a company.
    CompanyForRequesterOnly,
    Minutes,
    /// This role does not process orders of this kind.
    ResponsibleRole {
        role: Role,
        kind: OrderKind,
    },
    Price,
    /// 1 for a meeting room; 1 to [`MAX_CAPACITY`] otherwise.
    Capacity,
    OpeningHours,
    /// Objects belong to booking services, goods to a shop or a hotel.
    WrongServiceKind,
}

impl AdminInputError {
    /// The stable code that crosses HTTP and IPC.
    pub fn code(&self) -> &'static str {
        match self {
            AdminInputError::Login => "invalid_login",
            AdminInputError::Name => "invalid_name",
            AdminInputError::Password => "invalid_password",
            AdminInputError::Phone => "invalid_phone",
            AdminInputError::Email => "invalid_email",
            AdminInputError::CompanyForRequesterOnly => "company_for_requester_only",
            AdminInputError::Minutes => "invalid_minutes",
            AdminInputError::ResponsibleRole { .. } => "responsible_role_mismatch",
            AdminInputError::Price => "invalid_price",
            AdminInputError::Capacity => "invalid_capacity",
            AdminInputError::OpeningHours => "invalid_opening_hours",
            AdminInputError::WrongServiceKind => "wrong_service_kind",
        }
    }

    /// What to fix, in the person's language.
    pub fn message(&self, lang: Lang) -> String {
        let (ru, en): (String, String) = match self {
            AdminInputError::Login => (
                format!("Логин — от 1 до {MAX_LOGIN_CHARS} символов: латинские буквы, цифры, «.», «_», «-», «@»."),
                format!("A login has 1 to {MAX_LOGIN_CHARS} characters: Latin letters, digits, «.», «_», «-», «@»."),
            ),
            AdminInputError::Name => (
                format!("Название или имя — от 1 до {MAX_NAME_CHARS} символов."),
                format!("A name has 1 to {MAX_NAME_CHARS} characters."),
            ),
            AdminInputError::Password => (
                format!("Пароль — от {MIN_PASSWORD_CHARS} до {MAX_PASSWORD_CHARS} символов."),
                format!("A password has {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters."),
            ),
            AdminInputError::Phone => (
                "Телефон — цифры, пробелы, «+», «-», «(», «)», не больше 32 символов.".into(),
                "A phone number has digits, spaces, «+», «-», «(», «)», at most 32 characters.".into(),
            ),
            AdminInputError::Email => (
                "Укажите адрес электронной почты вида name@example.com.".into(),
                "Give an e-mail address like name@example.com.".into(),
            ),
            AdminInputError::CompanyForRequesterOnly => (
                "Компанию-плательщика можно указать только заявителю.".into(),
                "Only a requester can pay as a company.".into(),
            ),
            AdminInputError::Minutes => (
                format!("Время — от 1 до {MAX_MINUTES} минут."),
                format!("A time is 1 to {MAX_MINUTES} minutes."),
            ),
            AdminInputError::ResponsibleRole { role, kind } => (
                format!(
                    "{} не обрабатывает заказы вида «{}».",
                    role.label(Lang::Ru),
                    kind.label(Lang::Ru)
                ),
                format!(
                    "A {} does not process «{}» orders.",
                    role.label(Lang::En).to_lowercase(),
                    kind.label(Lang::En)
                ),
            ),
            AdminInputError::Price => (
                format!("Цена — больше нуля и не выше {}.", MAX_PRICE.format_rub()),
                format!("A price is above zero and at most {}.", MAX_PRICE.format_rub()),
            ),
            AdminInputError::Capacity => (
                format!("У переговорной вместимость 1; у коворкинга и отеля — от 1 до {MAX_CAPACITY}."),
                format!("A meeting room has capacity 1; coworking and hotels 1 to {MAX_CAPACITY}."),
            ),
            AdminInputError::OpeningHours => (
                "Часы работы — только у переговорной: начала первого и последнего слота в 08:00–23:30, по 30 минут, первый не позже последнего.".into(),
                "Only a meeting room has opening hours: first and last slot starts within 08:00–23:30 on the half hour, first not after last.".into(),
            ),
            AdminInputError::WrongServiceKind => (
                "Объекты бывают у бронирований, коворкинга и отеля; товары — у магазина, доп. услуги — у отеля.".into(),
                "Objects belong to booking, coworking and hotel services; goods to a shop, extras to a hotel.".into(),
            ),
        };
        match lang {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }
}

impl fmt::Display for AdminInputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message(Lang::En))
    }
}

impl std::error::Error for AdminInputError {}

/// Whether this role may use the administration API.
pub fn may_administer(role: Role) -> bool {
    role == Role::Admin
}

/// A login as stored: trimmed, 1 to [`MAX_LOGIN_CHARS`] of `[A-Za-z0-9._@-]`.
pub fn validate_login(login: &str) -> Result<&str, AdminInputError> {
    let login = login.trim();
    let fits = (1..=MAX_LOGIN_CHARS).contains(&login.chars().count())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    fits.then_some(login).ok_or(AdminInputError::Login)
}

/// A name as stored: trimmed, 1 to [`MAX_NAME_CHARS`], no control characters.
pub fn validate_name(name: &str) -> Result<&str, AdminInputError> {
    let name = name.trim();
    let fits =
        (1..=MAX_NAME_CHARS).contains(&name.chars().count()) && !name.chars().any(char::is_control);
    fits.then_some(name).ok_or(AdminInputError::Name)
}

/// An optional name: blank means none.
pub fn validate_optional_name(name: Option<&str>) -> Result<Option<&str>, AdminInputError> {
    match name.map(str::trim) {
        None | Some("") => Ok(None),
        Some(n) => validate_name(n).map(Some),
    }
}

pub fn validate_password(password: &str) -> Result<(), AdminInputError> {
    let n = password.chars().count();
    ((MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&n))
        .then_some(())
        .ok_or(AdminInputError::Password)
}

/// An optional phone: blank means none.
pub fn validate_phone(phone: Option<&str>) -> Result<Option<&str>, AdminInputError> {
    match phone.map(str::trim) {
        None | Some("") => Ok(None),
        Some(p) => {
            let fits = p.chars().count() <= 32
                && p.chars().any(|c| c.is_ascii_digit())
                && p.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
            fits.then_some(Some(p)).ok_or(AdminInputError::Phone)
        }
    }
}

/// An optional e-mail address: blank means none; otherwise `local@domain.tld`.
pub fn validate_email(email: Option<&str>) -> Result<Option<&str>, AdminInputError> {
    match email.map(str::trim) {
        None | Some("") => Ok(None),
        Some(e) => {
            let fits = e.chars().count() <= 254
                && !e.chars().any(|c| c.is_whitespace() || c.is_control())
                && e.split_once('@').is_some_and(|(local, domain)| {
                    !local.is_empty()
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                });
            fits.then_some(Some(e)).ok_or(AdminInputError::Email)
        }
    }
}

/// The company a user pays as: only a requester has one.
pub fn validate_company(
    role: Role,
    company: Option<&str>,
) -> Result<Option<&str>, AdminInputError> {
    match validate_optional_name(company)? {
        Some(_) if role != Role::Requester => Err(AdminInputError::CompanyForRequesterOnly),
        c => Ok(c),
    }
}

/// Auto-close, first-response or completion minutes: 1 to [`MAX_MINUTES`].
pub fn validate_minutes(minutes: i64) -> Result<i64, AdminInputError> {
    (1..=MAX_MINUTES)
        .contains(&minutes)
        .then_some(minutes)
        .ok_or(AdminInputError::Minutes)
}

/// A manager may be responsible for a service only when the role covers
/// its kind.
pub fn validate_responsible(role: Role, kind: OrderKind) -> Result<(), AdminInputError> {
    role.covers(kind)
        .then_some(())
        .ok_or(AdminInputError::ResponsibleRole { role, kind })
}

pub fn validate_price(price: Money) -> Result<Money, AdminInputError> {
    (price.is_positive() && price <= MAX_PRICE)
        .then_some(price)
        .ok_or(AdminInputError::Price)
}

/// Objects belong to the three booking kinds.
pub fn validate_object_kind(kind: OrderKind) -> Result<(), AdminInputError> {
    kind.holds_resource()
        .then_some(())
        .ok_or(AdminInputError::WrongServiceKind)
}

/// Goods belong to a shop, extras to a hotel.
pub fn validate_product_kind(kind: OrderKind) -> Result<(), AdminInputError> {
    matches!(kind, OrderKind::NomenclatureSale | OrderKind::HotelBooking)
        .then_some(())
        .ok_or(AdminInputError::WrongServiceKind)
}

/// A meeting room is one room; desks and hotel rooms 1 to [`MAX_CAPACITY`].
pub fn validate_capacity(kind: OrderKind, capacity: u32) -> Result<u32, AdminInputError> {
    let fits = match kind {
        OrderKind::Booking => capacity == 1,
        _ => (1..=MAX_CAPACITY).contains(&capacity),
    };
    fits.then_some(capacity).ok_or(AdminInputError::Capacity)
}

/// A meeting room's opening hours as slot starts, first not after last;
/// only a meeting room has them. Returns the first and last slot.
pub fn validate_opening_hours(
    kind: OrderKind,
    first: &str,
    last: &str,
) -> Result<(Slot, Slot), AdminInputError> {
    if kind != OrderKind::Booking {
        return Err(AdminInputError::OpeningHours);
    }
    let first = Slot::parse(first).map_err(|_| AdminInputError::OpeningHours)?;
    let last = Slot::parse(last).map_err(|_| AdminInputError::OpeningHours)?;
    (first <= last)
        .then_some((first, last))
        .ok_or(AdminInputError::OpeningHours)
}

/// Whether a booked slot lies within a room's opening hours (`None`: all
/// day).
pub fn within_opening_hours(hours: Option<(Slot, Slot)>, slot: Slot) -> bool {
    hours.is_none_or(|(first, last)| first <= slot && slot <= last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_take_letters_digits_and_a_few_signs() {
        assert_eq!(validate_login("  ivan.petrov@x "), Ok("ivan.petrov@x"));
        assert_eq!(validate_login(""), Err(AdminInputError::Login));
        assert_eq!(validate_login("иван"), Err(AdminInputError::Login));
        assert_eq!(validate_login("a b"), Err(AdminInputError::Login));
    }

    #[test]
    fn only_a_covering_role_is_responsible() {
        assert!(validate_responsible(Role::ServiceManager, OrderKind::SimpleRequest).is_ok());
        let refused = validate_responsible(Role::ShopManager, OrderKind::Booking);
        assert_eq!(
            refused.map_err(|e| e.code()),
            Err("responsible_role_mismatch")
        );
        assert!(validate_responsible(Role::Admin, OrderKind::SimpleRequest).is_err());
    }

    #[test]
    fn opening_hours_are_a_meeting_rooms_slot_range() {
        assert!(validate_opening_hours(OrderKind::Booking, "09:00", "20:30").is_ok());
        for (first, last) in [("07:30", "10:00"), ("09:15", "10:00"), ("12:00", "10:00")] {
            assert!(validate_opening_hours(OrderKind::Booking, first, last).is_err());
        }
        assert!(validate_opening_hours(OrderKind::HotelBooking, "09:00", "10:00").is_err());
        let hours = validate_opening_hours(OrderKind::Booking, "09:00", "10:00").ok();
        let at = |t| Slot::parse(t).expect("a slot");
        assert!(within_opening_hours(hours, at("10:00")));
        assert!(!within_opening_hours(hours, at("10:30")));
        assert!(within_opening_hours(None, at("23:30")));
    }

    #[test]
    fn limits_of_numbers() {
        assert!(validate_minutes(0).is_err());
        assert!(validate_minutes(MAX_MINUTES + 1).is_err());
        assert!(validate_capacity(OrderKind::Booking, 2).is_err());
        assert!(validate_capacity(OrderKind::CoworkingBooking, 20).is_ok());
        assert!(validate_price(Money::ZERO).is_err());
        assert!(validate_email(Some("a@b.ru")).is_ok());
        assert!(validate_email(Some("a@b")).is_err());
        assert!(validate_company(Role::ShopManager, Some("ООО")).is_err());
    }
}
