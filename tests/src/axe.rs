//! axe-core in the app's webview: the script (installed from npm by the
//! setup, its path in `ORDERDESK_AXE`) is injected through WebDriver, whose
//! own scripts run outside the page's CSP, and run over the whole document.

use crate::Session;
use serde_json::Value;
use std::path::PathBuf;

/// Runs axe-core over what is on screen and returns the violations as
/// `{id, impact, help, nodes, targets}` values.
const RUN_AXE: &str = r#"
    const done = arguments[arguments.length - 1];
    window.axe.run(document, { resultTypes: ["violations"] })
        .then((r) => done(r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
            targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
        }))))
        .catch((e) => done({ error: String(e) }));
"#;

fn axe_script() -> Result<String, String> {
    let path = std::env::var_os("ORDERDESK_AXE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| crate::workspace_root().join("target"));
            target.join("npm/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read axe-core at {} ({e}): `cargo xtask setup` installs it",
            path.display()
        )
    })
}

/// The serious and critical violations axe-core finds on the current
/// screen, printed with every violation's count; `screen` names it.
pub async fn serious_violations(
    session: &Session,
    screen: &str,
) -> Result<Vec<Value>, Box<dyn std::error::Error>> {
    let present = session
        .client
        .execute("return typeof window.axe !== 'undefined';", vec![])
        .await?;
    if present != Value::Bool(true) {
        let source = axe_script()?;
        session
            .client
            .execute(&format!("{source}\nreturn true;"), vec![])
            .await?;
    }
    let found = session.client.execute_async(RUN_AXE, vec![]).await?;
    let all = found
        .as_array()
        .cloned()
        .ok_or_else(|| format!("axe-core failed on {screen}: {found}"))?;
    let serious: Vec<Value> = all
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .cloned()
        .collect();
    println!(
        "axe-core on {screen}: {} violations, {} serious or critical",
        all.len(),
        serious.len()
    );
    for v in &all {
        println!(
            "    {} ({}): {} — {}",
            v["id"], v["impact"], v["help"], v["targets"]
        );
    }
    Ok(serious)
}
