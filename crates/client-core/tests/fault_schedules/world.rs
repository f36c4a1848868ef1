//! Runs a schedule: a real server behind the test proxy, and two or three
//! real clients, each with its own cache, token store and notifier that
//! outlive a kill of the client.

use crate::common::{reopen, temp_dir, Net, TestServer};
use crate::schedule::{Action, Schedule, Step, ORDERS};
use orderdesk_client_core::{Client, MemoryTokenStore, RecordingNotifier};
use orderdesk_domain::{OrderNumber, UserId};
use orderdesk_protocol::MutationId;
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// A mutation a client queued: what the checks hold the server to.
#[derive(Debug, Clone)]
pub struct Queued {
    pub id: MutationId,
    pub order: OrderNumber,
    /// The text of a message, unique in the schedule.
    pub text: Option<String>,
}

/// One device: the client while it runs, and what survives its death.
pub struct Device {
    pub login: &'static str,
    pub user: UserId,
    pub cache: PathBuf,
    pub tokens: Arc<MemoryTokenStore>,
    pub notifier: Arc<RecordingNotifier>,
    /// `None` only while it is dead.
    running: Option<Client>,
    /// Every mutation it queued, in its order.
    pub queued: Vec<Queued>,
}

/// How often each kind of fault came up.
#[derive(Debug, Default, Clone, Copy)]
pub struct Mix {
    pub actions: u64,
    pub refused_locally: u64,
    pub syncs: u64,
    pub offline: u64,
    pub lost_answers: u64,
    pub duplicated: u64,
    pub delayed: u64,
    pub kills: u64,
    pub crashes_mid_push: u64,
    pub restarts: u64,
    pub new_orders: u64,
}

impl Mix {
    pub fn add(&mut self, other: &Mix) {
        self.actions += other.actions;
        self.refused_locally += other.refused_locally;
        self.syncs += other.syncs;
        self.offline += other.offline;
        self.lost_answers += other.lost_answers;
        self.duplicated += other.duplicated;
        self.delayed += other.delayed;
        self.kills += other.kills;
        self.crashes_mid_push += other.crashes_mid_push;
        self.restarts += other.restarts;
        self.new_orders += other.new_orders;
    }
}

impl Device {
    pub fn client(&self) -> &Client {
        self.running
            .as_ref()
            .expect("the client runs between steps")
    }
}

pub struct World {
    pub server: TestServer,
    pub devices: Vec<Device>,
    /// The shared orders, and their versions before the schedule.
    pub orders: Vec<(OrderNumber, i64)>,
    /// Orders created while the schedule ran.
    pub created: Vec<OrderNumber>,
    pub mix: Mix,
    net: Net,
    messages: usize,
}

impl World {
    pub async fn start(schedule: &Schedule) -> World {
        let server = TestServer::start(&format!("faults-{}", schedule.seed)).await;
        let token = server.token("service").await;
        let mut orders = Vec::new();
        for _ in 0..ORDERS {
            let number = server.new_request().await;
            orders.push((number, server.detail(&token, number).await.version));
        }
        let mut devices = Vec::new();
        for (i, &login) in schedule.logins.iter().enumerate() {
            let cache = temp_dir(&format!("faults-{}-{i}", schedule.seed));
            let tokens = Arc::new(MemoryTokenStore::new());
            let notifier = Arc::new(RecordingNotifier::new());
            let client = server.client(&cache, &tokens, &notifier, login).await;
            client.sync_now().await.expect("first sync, network up");
            let user = client.session().expect("signed in").user.id;
            devices.push(Device {
                login,
                user,
                cache,
                tokens,
                notifier,
                running: Some(client),
                queued: Vec::new(),
            });
        }
        World {
            server,
            devices,
            orders,
            created: Vec::new(),
            mix: Mix::default(),
            net: Net::Up,
            messages: 0,
        }
    }

    pub async fn run(&mut self, schedule: &Schedule) {
        for step in &schedule.steps {
            self.step(schedule, *step).await;
        }
    }

    async fn step(&mut self, schedule: &Schedule, step: Step) {
        match step {
            Step::Act {
                client,
                order,
                action,
            } => self.act(schedule, client, order, action).await,
            Step::Sync { client } => {
                self.mix.syncs += 1;
                let _ = self.devices[client].client().sync_now().await;
            }
            Step::Net(net) => self.set_net(net),
            Step::Kill { client } => {
                self.mix.kills += 1;
                self.kill(client);
            }
            Step::CrashMidPush { client } => self.crash_mid_push(client).await,
            Step::RestartServer => {
                self.mix.restarts += 1;
                self.server.stop().await;
                self.server.restart().await;
                // The network the schedule set stays as it was.
                self.server.set_net(self.net);
            }
            Step::NewOrder => {
                self.mix.new_orders += 1;
                let number = self.server.new_request().await;
                self.created.push(number);
            }
        }
    }

    fn set_net(&mut self, net: Net) {
        match net {
            Net::Down => self.mix.offline += 1,
            Net::LoseAnswers => self.mix.lost_answers += 1,
            Net::Duplicate => self.mix.duplicated += 1,
            Net::Delay => self.mix.delayed += 1,
            Net::Up | Net::Stall => {}
        }
        self.net = net;
        self.server.set_net(net);
    }

    async fn act(&mut self, schedule: &Schedule, client: usize, order: usize, action: Action) {
        self.mix.actions += 1;
        let number = self.orders[order].0;
        let device = &self.devices[client];
        let mut text = None;
        let done = match action {
            Action::Assign(who) => {
                let user = who.map(|i| self.user_of(schedule.logins[i]));
                device.client().assign_executor(number, user).await
            }
            Action::Status(status) => device.client().set_status(number, status).await,
            Action::Cancel => device.client().cancel(number).await,
            Action::Message(visibility) => {
                self.messages += 1;
                let said = format!("s{}-c{client}-m{}", schedule.seed, self.messages);
                text = Some(said.clone());
                device
                    .client()
                    .post_message(number, &said, visibility)
                    .await
            }
        };
        let Ok(card) = done else {
            // The rules refused it on the device: nothing was queued.
            self.mix.refused_locally += 1;
            return;
        };
        let known: HashSet<&MutationId> = device.queued.iter().map(|q| &q.id).collect();
        let new = card
            .pending
            .iter()
            .find(|p| !known.contains(&p.client_id))
            .map(|p| p.client_id.clone());
        let id = new.expect("the queued action is pending on the card");
        self.devices[client].queued.push(Queued {
            id,
            order: number,
            text,
        });
    }

    fn user_of(&self, login: &str) -> UserId {
        if login == "service" {
            UserId(self.server.ids.service)
        } else {
            UserId(self.server.ids.service_b)
        }
    }

    /// Drops the client (nothing of it runs on) and opens its cache again
    /// with the same token store, as the app does after a crash.
    fn kill(&mut self, client: usize) {
        let device = &mut self.devices[client];
        drop(device.running.take());
        device.running = Some(reopen(&device.cache, &device.tokens, &device.notifier));
    }

    /// The push leaves, the server applies it, and the client dies before
    /// any answer: its outbox still holds what the server has applied.
    async fn crash_mid_push(&mut self, client: usize) {
        self.mix.crashes_mid_push += 1;
        self.server.set_net(Net::Stall);
        let sync = self.devices[client].client().sync_now();
        let _ = tokio::time::timeout(Duration::from_millis(150), sync).await;
        self.kill(client);
        self.server.set_net(self.net);
    }

    /// With the network up, every client syncs until its outbox is empty
    /// and it has pulled what the others sent; `false` when an outbox is
    /// still not empty after that.
    pub async fn settle(&mut self) -> bool {
        self.server.set_net(Net::Up);
        for _pass in 0..2 {
            for device in &self.devices {
                for _try in 0..4 {
                    let synced = device.client().sync_now().await;
                    let pending = device.client().status().map(|s| s.pending).unwrap_or(1);
                    if synced.is_ok() && pending == 0 {
                        break;
                    }
                }
            }
        }
        self.devices
            .iter()
            .all(|d| d.client().status().map(|s| s.pending == 0).unwrap_or(false))
    }
}

impl World {
    /// Removes the schedule's server database and caches.
    pub fn clean_up(self) {
        let dirs: Vec<PathBuf> = std::iter::once(self.server.dir.clone())
            .chain(self.devices.iter().map(|d| d.cache.clone()))
            .collect();
        drop(self);
        for dir in dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
