//! A fault schedule drawn from a seed: the same seed gives the same steps
//! on any machine, so a failing schedule replays exactly.

use crate::common::Net;
use orderdesk_domain::{Status, Visibility};

/// SplitMix64: small, fast and fixed, so a seed means the same schedule in
/// every version of the test (a library generator may change its stream).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}

/// What a manager does to one of the shared orders.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    /// Assigns the manager of this index among the schedule's logins, or
    /// nobody.
    Assign(Option<usize>),
    Status(Status),
    /// A message whose text is unique in the schedule.
    Message(Visibility),
    Cancel,
}

/// One step of a schedule.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    Act {
        client: usize,
        order: usize,
        action: Action,
    },
    /// One sync round of a client; it may fail, as the network allows.
    Sync { client: usize },
    /// The network between every client and the server changes.
    Net(Net),
    /// The client's process dies between two steps; its cache is reopened.
    Kill { client: usize },
    /// The client's process dies while its push is on the way: the request
    /// reaches the server, the answer never reaches the client.
    CrashMidPush { client: usize },
    /// The server stops and serves the same database again.
    RestartServer,
    /// A requester creates a new order the managers are told about.
    NewOrder,
}

/// A schedule: who takes part and what happens.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub seed: u64,
    /// The login of each client; a login may be on two devices.
    pub logins: Vec<&'static str>,
    pub steps: Vec<Step>,
}

/// Orders the managers share, so their actions conflict.
pub const ORDERS: usize = 3;

const NETS: [Net; 5] = [
    Net::Up,
    Net::Down,
    Net::LoseAnswers,
    Net::Duplicate,
    Net::Delay,
];
const STATUSES: [Status; 3] = [
    Status::New,
    Status::InProgress,
    Status::AwaitingConfirmation,
];
const VISIBILITIES: [Visibility; 2] = [Visibility::Public, Visibility::Internal];

impl Schedule {
    pub fn generate(seed: u64) -> Schedule {
        let mut rng = Rng::new(seed);
        let logins = match rng.below(3) {
            0 => vec!["service", "service2"],
            1 => vec!["service", "service2", "service"],
            _ => vec!["service", "service2", "service2"],
        };
        let length = 8 + rng.below(20);
        let steps = (0..length).map(|_| step(&mut rng, logins.len())).collect();
        Schedule {
            seed,
            logins,
            steps,
        }
    }
}

fn step(rng: &mut Rng, clients: usize) -> Step {
    let client = rng.below(clients);
    match rng.below(100) {
        0..=44 => Step::Act {
            client,
            order: rng.below(ORDERS),
            action: action(rng, clients),
        },
        45..=66 => Step::Sync { client },
        67..=79 => Step::Net(rng.pick(&NETS)),
        80..=86 => Step::Kill { client },
        87..=91 => Step::CrashMidPush { client },
        92..=95 => Step::RestartServer,
        _ => Step::NewOrder,
    }
}

fn action(rng: &mut Rng, clients: usize) -> Action {
    match rng.below(20) {
        0..=5 => Action::Message(rng.pick(&VISIBILITIES)),
        6..=10 => {
            let who = rng.below(clients + 1);
            Action::Assign((who < clients).then_some(who))
        }
        11..=18 => Action::Status(rng.pick(&STATUSES)),
        _ => Action::Cancel,
    }
}
