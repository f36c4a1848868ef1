//! The demo of SPEC §7: the accounts (password `demo`), the objects with the
//! source's prices, the request services, a shop, and several hundred orders
//! of every kind and status around today. Built from a fixed seed, so the
//! same clock gives the same data and tests can rely on it.

mod orders;
mod replies;
mod write;

use orderdesk_domain::Role;

use crate::error::ServiceError;
use crate::passwords::hash_password;
use crate::state::AppState;
use crate::storage::{self, Conn, ResourceRow, UserRow};

/// The demo password of every account.
pub const DEMO_PASSWORD: &str = "demo";

/// The shop service's name, which its orders also carry.
pub const SHOP_NAME: &str = "Магазин";

/// How many orders the demo creates.
pub const DEMO_ORDERS: usize = 360;

/// Ids of what the catalog part created, for the order generator.
#[derive(Debug, Clone, Default)]
pub struct DemoIds {
    pub admin: i64,
    pub service: i64,
    pub service2: i64,
    pub rental: i64,
    pub shop: i64,
    pub resident: i64,
    pub company: i64,
    /// Request services: (id, kind, name).
    pub requests: Vec<(i64, &'static str, &'static str)>,
    pub rooms_service: i64,
    pub rooms: Vec<ResourceRow>,
    pub coworking_service: i64,
    pub coworking: ResourceRow,
    pub hotel_service: i64,
    pub hotel: ResourceRow,
    /// (id, name, price)
    pub extras: Vec<(i64, &'static str, i64)>,
    pub shop_service: i64,
    pub goods: Vec<(i64, &'static str, i64)>,
}

/// Fills an empty database; `false` when there are users already.
pub async fn seed(state: &AppState) -> Result<bool, ServiceError> {
    let cost = state.config().password_cost;
    let mut tx = state.storage().begin().await?;
    if storage::count_users(&mut tx).await? > 0 {
        return Ok(false);
    }
    let password = tokio::task::spawn_blocking(move || hash_password(DEMO_PASSWORD, cost))
        .await
        .map_err(|e| ServiceError::fault("hashing the demo password", e))??;
    let ids = catalog(&mut tx, &password).await?;
    replies::seed(&mut tx).await?;
    orders::generate(&mut tx, state, &ids).await?;
    storage::renumber_by_creation(&mut tx, orders::FIRST_NUMBER).await?;
    tx.commit().await?;
    Ok(true)
}

async fn user(
    conn: &mut Conn,
    password: &str,
    login: &str,
    role: Role,
    name: &str,
    phone: &str,
    company: Option<&str>,
) -> Result<i64, ServiceError> {
    let row = UserRow {
        id: 0,
        login: login.to_owned(),
        password_hash: password.to_owned(),
        role: role.id().to_owned(),
        name: name.to_owned(),
        phone: Some(phone.to_owned()),
        email: Some(format!("{login}@orderdesk.example")),
        company: company.map(str::to_owned),
    };
    Ok(storage::insert_user(conn, &row).await?)
}

async fn resource(
    conn: &mut Conn,
    service_id: i64,
    name: &str,
    tariff: Option<&str>,
    rub: i64,
    capacity: i64,
) -> Result<ResourceRow, ServiceError> {
    let mut row = ResourceRow {
        id: 0,
        service_id,
        name: name.to_owned(),
        tariff: tariff.map(str::to_owned),
        unit_price: rub * 100,
        capacity,
    };
    row.id = storage::insert_resource(conn, &row).await?;
    Ok(row)
}

/// The demo accounts: login, role, name, phone, company.
const ACCOUNTS: [(&str, Role, &str, &str, Option<&str>); 7] = [
    (
        "admin",
        Role::Admin,
        "Администратор Системы",
        "+7 900 000-00-01",
        None,
    ),
    (
        "service",
        Role::ServiceManager,
        "Ирина Сервисова",
        "+7 900 000-00-02",
        None,
    ),
    (
        "service2",
        Role::ServiceManager,
        "Павел Чистов",
        "+7 900 000-00-03",
        None,
    ),
    (
        "rental",
        Role::RentalManager,
        "Анна Арендова",
        "+7 900 000-00-04",
        None,
    ),
    (
        "shop",
        Role::ShopManager,
        "Олег Лавкин",
        "+7 900 000-00-05",
        None,
    ),
    (
        "resident",
        Role::Requester,
        "Иван Резидентов",
        "+7 900 000-00-06",
        None,
    ),
    (
        "company",
        Role::Requester,
        "Мария Ромашкина",
        "+7 900 000-00-07",
        Some("ООО Ромашка"),
    ),
];

/// Accounts, services, responsible lists, objects, extras and goods.
async fn catalog(conn: &mut Conn, password: &str) -> Result<DemoIds, ServiceError> {
    let mut users = Vec::with_capacity(ACCOUNTS.len());
    for (login, role, name, phone, company) in ACCOUNTS {
        users.push(user(conn, password, login, role, name, phone, company).await?);
    }
    let mut ids = DemoIds {
        admin: users[0],
        service: users[1],
        service2: users[2],
        rental: users[3],
        shop: users[4],
        resident: users[5],
        company: users[6],
        ..DemoIds::default()
    };
    requests(conn, &mut ids).await?;
    objects(conn, &mut ids).await?;
    goods(conn, &mut ids).await?;
    Ok(ids)
}

/// Request services, each with its «время автозакрытия заказа».
async fn requests(conn: &mut Conn, ids: &mut DemoIds) -> Result<(), ServiceError> {
    let requests: [(&str, &str, i64); 4] = [
        ("Уборка", "simple_request", 24 * 60),
        ("Вызов сантехника", "simple_request", 48 * 60),
        ("Пропуск для гостя", "simple_request", 12 * 60),
        ("Аренда помещения", "premises_request", 72 * 60),
    ];
    for (name, kind, minutes) in requests {
        let id = storage::insert_service(conn, name, kind, minutes).await?;
        storage::insert_responsible(conn, id, ids.service).await?;
        if name == "Уборка" {
            storage::insert_responsible(conn, id, ids.service2).await?;
        }
        ids.requests.push((id, kind, name));
    }
    Ok(())
}

/// The bookable services and their objects, and the hotel's extras.
async fn objects(conn: &mut Conn, ids: &mut DemoIds) -> Result<(), ServiceError> {
    ids.rooms_service =
        storage::insert_service(conn, "Переговорные комнаты", "booking", 24 * 60).await?;
    ids.coworking_service =
        storage::insert_service(conn, "Коворкинг", "coworking_booking", 24 * 60).await?;
    ids.hotel_service =
        storage::insert_service(conn, "Отель «УЮТ»", "hotel_booking", 24 * 60).await?;
    for service in [ids.rooms_service, ids.coworking_service, ids.hotel_service] {
        storage::insert_responsible(conn, service, ids.rental).await?;
    }
    ids.rooms = vec![
        resource(conn, ids.rooms_service, "Переговорная Python", None, 100, 1).await?,
        resource(conn, ids.rooms_service, "Переговорная Java", None, 100, 1).await?,
    ];
    ids.coworking = resource(
        conn,
        ids.coworking_service,
        "Коворкинг на 2 этаже",
        Some("Стандарт"),
        400,
        20,
    )
    .await?;
    ids.hotel = resource(
        conn,
        ids.hotel_service,
        "Отель «УЮТ»",
        Some("Стандарт"),
        1000,
        10,
    )
    .await?;
    for name in [
        "Обед",
        "Ужин",
        "Такси от аэропорта",
        "Ранний заезд",
        "Поздний выезд",
    ] {
        let id = storage::insert_product(conn, ids.hotel_service, name, 50_000).await?;
        ids.extras.push((id, name, 50_000));
    }
    Ok(())
}

/// The shop and its goods.
async fn goods(conn: &mut Conn, ids: &mut DemoIds) -> Result<(), ServiceError> {
    ids.shop_service =
        storage::insert_service(conn, SHOP_NAME, "nomenclature_sale", 24 * 60).await?;
    storage::insert_responsible(conn, ids.shop_service, ids.shop).await?;
    let goods: [(&str, i64); 12] = [
        ("Кофе в зернах, 1 кг", 1_500),
        ("Чай черный, 100 пакетиков", 450),
        ("Вода питьевая, 19 л", 380),
        ("Бумага А4, 500 листов", 520),
        ("Ручка шариковая", 45),
        ("Блокнот А5", 150),
        ("Печенье овсяное", 120),
        ("Сахар, 1 кг", 90),
        ("Стаканы бумажные, 50 шт.", 200),
        ("Салфетки, 100 шт.", 80),
        ("Батарейки АА, 4 шт.", 320),
        ("Кабель USB-C", 690),
    ];
    for (name, rub) in goods {
        let id = storage::insert_product(conn, ids.shop_service, name, rub * 100).await?;
        ids.goods.push((id, name, rub * 100));
    }
    Ok(())
}
