//! `orderdesk-server`: reads flags and environment, opens the database,
//! optionally fills it with the demo, and serves until Ctrl-C or SIGTERM.
//! Its commands set up an organisation instead of serving: `admin create`
//! (the first administrator; the password is read from the terminal or
//! stdin, never from the command line), `import FILE` and `export [FILE]`
//! (the organisation file, see `admin::organisation`).

use anyhow::Context;
use clap::{Parser, Subcommand};
use orderdesk_server::config::{default_site_offset, SmtpConfig};
use orderdesk_server::push::crypto::VapidKey;
use orderdesk_server::{AppState, Config, Database, SystemClock};
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(name = "orderdesk-server", about = "The orders desk backend")]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on.
    #[arg(long, env = "ORDERDESK_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// A SQLite database file, created on first run; or a PostgreSQL URL
    /// (`postgres://user@host:port/db`) for several instances on one database.
    #[arg(
        long,
        env = "ORDERDESK_DATABASE",
        default_value = "orderdesk.db",
        global = true
    )]
    database: Database,
    /// Fill an empty database with the demo data.
    #[arg(long, env = "ORDERDESK_DEMO")]
    demo: bool,
    /// The site's UTC offset in hours.
    #[arg(long, env = "ORDERDESK_UTC_OFFSET_HOURS", default_value_t = 3)]
    utc_offset_hours: i32,
    /// How clients reach this server (payment links start with it).
    #[arg(long, env = "ORDERDESK_PUBLIC_URL")]
    public_url: Option<String>,
    /// Key that signs payment webhooks.
    #[arg(long, env = "ORDERDESK_WEBHOOK_SECRET")]
    webhook_secret: Option<String>,
    /// Seconds the sandbox provider takes to complete a refund.
    #[arg(long, env = "ORDERDESK_REFUND_DELAY_SECONDS", default_value_t = 300)]
    refund_delay_seconds: i64,
    /// SMTP relay for e-mail; without it e-mail stays in the outbox table.
    #[arg(long, env = "ORDERDESK_SMTP_HOST")]
    smtp_host: Option<String>,
    #[arg(long, env = "ORDERDESK_SMTP_PORT", default_value_t = 587)]
    smtp_port: u16,
    #[arg(long, env = "ORDERDESK_SMTP_USER")]
    smtp_user: Option<String>,
    #[arg(long, env = "ORDERDESK_SMTP_PASSWORD")]
    smtp_password: Option<String>,
    /// Plain SMTP without TLS, for a local relay.
    #[arg(long, env = "ORDERDESK_SMTP_INSECURE")]
    smtp_insecure: bool,
    /// Database connections this instance keeps open at most.
    #[arg(long, env = "ORDERDESK_DB_POOL_SIZE", default_value_t = 10,
        value_parser = clap::value_parser!(u32).range(1..))]
    db_pool_size: u32,
    /// Seconds a statement may run before PostgreSQL cancels it
    /// (`statement_timeout`); SQLite ignores it.
    #[arg(long, env = "ORDERDESK_DB_STATEMENT_TIMEOUT", default_value_t = 30)]
    db_statement_timeout: u64,
    /// The built web app (`ui/dist`), served at `/` beside the API.
    #[arg(long, env = "ORDERDESK_UI_DIR")]
    ui_dir: Option<PathBuf>,
    /// The Web Push (VAPID) private key: a file with a PEM P-256 key (`EC
    /// PRIVATE KEY` or PKCS#8 `PRIVATE KEY`) or the 32-byte scalar in
    /// base64url. Without it the key kept in the database is used, made on
    /// first start and shared by every instance on that database.
    #[arg(long, env = "ORDERDESK_VAPID_PRIVATE_KEY_FILE")]
    vapid_private_key_file: Option<PathBuf>,
    /// How a push service's operator reaches yours: `mailto:` or `https:`.
    /// Default: the public URL when it is https, else
    /// mailto:no-reply@orderdesk.local.
    #[arg(long, env = "ORDERDESK_VAPID_SUBJECT")]
    vapid_subject: Option<String>,
    /// Log lines as text for people or as JSON for a log collector; both on
    /// stderr.
    #[arg(long, env = "ORDERDESK_LOG_FORMAT", value_enum,
        default_value_t = LogFormat::Text, global = true)]
    log_format: LogFormat,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    /// One JSON object a line: the event's fields at the top, the request's
    /// (`request_id`, `method`, `path`) under `span`.
    Json,
}

/// What to do instead of serving.
#[derive(Debug, Subcommand)]
enum Command {
    /// Accounts: `admin create` makes an administrator.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Imports an organisation file (TOML): creates what is missing,
    /// updates what differs, deletes nothing; a second run changes nothing.
    Import { file: PathBuf },
    /// Writes the organisation (users without passwords, services, objects,
    /// goods, company payers) as an organisation file, to FILE or stdout.
    Export { file: Option<PathBuf> },
}

#[derive(Debug, Subcommand)]
enum AdminAction {
    /// Creates an administrator; the password is read from the terminal
    /// (not echoed) or, when stdin is not a terminal, from its first line.
    Create {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    init_logging(args.log_format);
    if let Some(command) = args.command.take() {
        let config = Config::new(args.database.clone());
        let state = AppState::open(config, Arc::new(SystemClock))
            .await
            .with_context(|| format!("opening the database {}", args.database))?;
        let done = run_command(&state, command).await;
        state.storage().close().await;
        return done;
    }
    if let Some(dir) = &args.ui_dir {
        orderdesk_server::http::web_app::check_dir(dir).context("--ui-dir")?;
    }
    let config = config_of(&args)?;
    let state = AppState::open(config, Arc::new(SystemClock))
        .await
        .with_context(|| format!("opening the database {}", args.database))?;
    if args.demo
        && orderdesk_server::demo::seed(&state)
            .await
            .context("filling the demo data")?
    {
        tracing::info!("demo data created; sign in as service, rental, shop, resident, company or admin with password «demo»");
    }
    if !orderdesk_server::admin::has_admin(&state).await? {
        tracing::warn!(
            "no administrator yet: every API request is answered 503 until one is created with: {}",
            orderdesk_server::admin::SETUP_HINT
        );
    }
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    tracing::info!(address = %listener.local_addr()?, "serving the orders API under /api/v1");
    if let Some(dir) = &args.ui_dir {
        tracing::info!(folder = %dir.display(), "serving the web app at /");
    }
    orderdesk_server::serve(listener, state.clone(), shutdown_signal()).await?;
    // A request cut off at the end of the grace period may still hold a
    // connection; the process does not wait for it.
    let closing = state.storage().close();
    if tokio::time::timeout(std::time::Duration::from_secs(2), closing)
        .await
        .is_err()
    {
        tracing::warn!("the database was closed with a request still running");
    }
    tracing::info!("stopped");
    Ok(())
}

/// Logs go to stderr: standard output is for what a command writes
/// (`export`).
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => logs.init(),
        LogFormat::Json => logs
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

/// The settings of a serving instance, from flags and environment.
fn config_of(args: &Args) -> anyhow::Result<Config> {
    let mut config = Config::new(args.database.clone());
    config.site_offset = chrono::FixedOffset::east_opt(args.utc_offset_hours * 3600)
        .unwrap_or_else(default_site_offset);
    config.public_url = args
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", args.listen));
    if let Some(secret) = &args.webhook_secret {
        config.webhook_secret = secret.clone();
    }
    config.refund_delay = chrono::Duration::seconds(args.refund_delay_seconds);
    config.smtp = args.smtp_host.clone().map(|host| SmtpConfig {
        host,
        port: args.smtp_port,
        username: args.smtp_user.clone(),
        password: args.smtp_password.clone(),
        insecure: args.smtp_insecure,
    });
    config.db_pool_size = args.db_pool_size;
    config.db_statement_timeout = std::time::Duration::from_secs(args.db_statement_timeout);
    config.ui_dir = args.ui_dir.clone();
    if let Some(path) = &args.vapid_private_key_file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the VAPID key {}", path.display()))?;
        let key = VapidKey::parse(&text).with_context(|| format!("{}", path.display()))?;
        config.vapid_key = Some(key);
    }
    config.vapid_subject = match &args.vapid_subject {
        Some(subject) => {
            anyhow::ensure!(
                subject.starts_with("mailto:") || subject.starts_with("https:"),
                "--vapid-subject must start with mailto: or https:"
            );
            subject.clone()
        }
        None if config.public_url.starts_with("https://") => config.public_url.clone(),
        None => orderdesk_server::config::DEFAULT_VAPID_SUBJECT.to_owned(),
    };
    Ok(config)
}

/// Runs a set-up command against the database.
async fn run_command(state: &AppState, command: Command) -> anyhow::Result<()> {
    use orderdesk_server::admin::{organisation, users};
    match command {
        Command::Admin {
            action:
                AdminAction::Create {
                    login,
                    name,
                    phone,
                    email,
                },
        } => {
            let password = read_password(&login)?;
            let req = orderdesk_protocol::NewUserRequest {
                login,
                name,
                role: orderdesk_domain::Role::Admin,
                password,
                phone,
                email,
                company: None,
            };
            let user = users::create_as(state, None, &req)
                .await
                .map_err(|e| anyhow::anyhow!(e.message(orderdesk_domain::Lang::En)))?;
            eprintln!("administrator «{}» created (id {})", user.login, user.id);
        }
        Command::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let org = organisation::parse(&text)
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let report = organisation::import(state, &org, None)
                .await
                .map_err(|e| anyhow::anyhow!(e.message(orderdesk_domain::Lang::En)))?;
            eprintln!(
                "imported {}: {} created, {} updated, {} unchanged; new users have no password until an administrator sets one",
                file.display(), report.created, report.updated, report.unchanged
            );
        }
        Command::Export { file } => {
            let org = organisation::export(state).await?;
            let text = organisation::to_toml(&org)?;
            match file {
                Some(path) => std::fs::write(&path, text)
                    .with_context(|| format!("writing {}", path.display()))?,
                None => std::io::stdout().write_all(text.as_bytes())?,
            }
        }
    }
    Ok(())
}

/// The new password: typed at the terminal without echo, or the first line
/// of stdin when it is not a terminal. Never an argument, never logged.
fn read_password(login: &str) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    if terminal {
        eprint!("Password for {login}: ");
        // Without echo where `stty` exists; the password is read either way.
        let _ = std::process::Command::new("stty").arg("-echo").status();
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if terminal {
        let _ = std::process::Command::new("stty").arg("echo").status();
        eprintln!();
    }
    read.context("reading the password")?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    anyhow::ensure!(!password.is_empty(), "no password given");
    Ok(password)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
