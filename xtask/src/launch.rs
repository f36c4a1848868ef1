//! Starting the app for `cargo xtask run` on whatever machine it is: a
//! desktop with its own display and keyring, or a headless VM or container
//! with neither.

use std::path::Path;
use std::process::{Command, Stdio};

/// The password of the private keyring. It guards only a local demo token,
/// on a machine that has no keyring of its own.
const PRIVATE_KEYRING_PASSWORD: &str = "orderdesk-local";

/// The command that starts the app against `server_url`.
///
/// Without a display it runs under a virtual X server. Without a Secret
/// Service (no session bus, or nothing on it that keeps secrets) signing in
/// would fail at «Не удалось обратиться к хранилищу паролей системы», so the
/// app gets a private D-Bus session with an unlocked keyring of its own,
/// kept under `data` so that the token survives a restart of the app. A
/// desktop with a keyring keeps using it.
pub fn app_command(app_bin: &Path, server_url: &str, data: &Path) -> Command {
    let headless =
        std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none();
    let mut program: Vec<String> = Vec::new();
    if headless {
        println!("    no display found: the app runs under a virtual X server (xvfb-run)");
        program.extend(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24"].map(String::from));
    }
    program.push(app_bin.display().to_string());
    let keyring = (!secret_service_available()).then(|| {
        let home = data.join("keyring-home");
        println!(
            "    no keyring service found: the app keeps its token in a private keyring \
             under {} (unlocked for this run only; a desktop uses its own)",
            home.display()
        );
        home
    });
    let mut command = wrap(&program, keyring.as_deref());
    command.env("ORDERDESK_SERVER_URL", server_url);
    command
}

/// `program` as is, or inside a private D-Bus session whose keyring lives
/// under `keyring_home` and is unlocked before the program starts.
fn wrap(program: &[String], keyring_home: Option<&Path>) -> Command {
    let Some(home) = keyring_home else {
        let mut command = Command::new(&program[0]);
        command.args(&program[1..]);
        return command;
    };
    // The daemon takes the Secret Service's name a moment after it returns;
    // the program starts once the name is there (or after 5 s, to fail with
    // the keyring's own error).
    let script = format!(
        "echo -n {PRIVATE_KEYRING_PASSWORD} | gnome-keyring-daemon --unlock \
         --components=secrets >/dev/null || exit 1; i=0; \
         until {HAS_SECRETS} | grep -q 'boolean true' || [ $i -ge 50 ]; \
         do sleep 0.1; i=$((i+1)); done; exec \"$@\""
    );
    let mut command = Command::new("dbus-run-session");
    command
        .args(["--", "sh", "-c", &script, "sh"])
        .args(program)
        .env("XDG_DATA_HOME", home);
    command
}

/// Asks the session bus whether the Secret Service's name is taken.
const HAS_SECRETS: &str = "dbus-send --session --print-reply --dest=org.freedesktop.DBus \
     /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets";

/// Whether a Secret Service is running on the session bus. One that is only
/// activatable does not count: on a machine nobody logged in to, it starts
/// with no unlocked collection and signing in fails all the same.
fn secret_service_available() -> bool {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        return false;
    }
    Command::new("sh")
        .args(["-c", HAS_SECRETS])
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| {
            out.status.success() && String::from_utf8_lossy(&out.stdout).contains("boolean true")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The private keyring is a real Secret Service: a program started inside
    /// it finds one on its bus, and finds it again (same keyring) next time.
    #[test]
    fn a_machine_without_a_keyring_gets_a_private_one() {
        let tools = ["dbus-run-session", "gnome-keyring-daemon", "dbus-send"];
        if tools.iter().any(|t| {
            Command::new("sh")
                .args(["-c", &format!("command -v {t}")])
                .output()
                .is_ok_and(|o| !o.status.success())
        }) {
            // `cargo xtask setup` installs them; a bare `cargo test` may not have.
            eprintln!("skipped: {tools:?} are not all installed");
            return;
        }
        let dir = std::env::temp_dir().join(format!("orderdesk-keyring-{}", std::process::id()));
        let probe: Vec<String> = ["sh", "-c", HAS_SECRETS].map(String::from).to_vec();
        for run in 0..2 {
            let out = wrap(&probe, Some(&dir))
                .env_remove("DBUS_SESSION_BUS_ADDRESS")
                .output()
                .expect("dbus-run-session starts");
            let reply = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && reply.contains("boolean true"),
                "run {run}: no Secret Service in the private session: {reply} {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(
            dir.join("keyrings").exists(),
            "the keyring is kept under its home"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
