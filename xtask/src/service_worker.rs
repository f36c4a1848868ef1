//! The web app's service worker, `ui/dist/sw.js`, written from the template
//! `ui/web/sw.js` once `ui/dist` holds everything else: the template gets
//! the list of every file of `ui/dist` (the worker precaches them all) and a
//! version, a hash of those files and of the template, which names the
//! cache. A build that changes any file gives a new version, so browsers
//! install the new worker and drop the old cache; a build that changes
//! nothing gives the same `sw.js`, and they keep what they have.
//!
//! The names in `ui/dist` are fixed (only `snippets/` has hashed ones), so
//! the list is read from the folder as it is at the end of the build:
//! whatever an earlier step put there is in it.

use std::fs;
use std::path::Path;

/// The template, compiled in: `cargo xtask` rebuilds when it changes.
const TEMPLATE: &str = include_str!("../../ui/web/sw.js");

/// The worker's own file, which it does not precache.
pub const SERVICE_WORKER: &str = "sw.js";

const VERSION_SLOT: &str = "\"%VERSION%\"";
const FILES_SLOT: &str = "[\"%FILES%\"]";

/// Writes `dist/sw.js` for the files `dist` holds now.
pub fn write_service_worker(dist: &Path) -> Result<(), String> {
    let script = render(TEMPLATE, dist)?;
    let target = dist.join(SERVICE_WORKER);
    fs::write(&target, script).map_err(|e| format!("cannot write {}: {e}", target.display()))
}

/// The template with the list and version of the files of `dist`.
fn render(template: &str, dist: &Path) -> Result<String, String> {
    for slot in [VERSION_SLOT, FILES_SLOT] {
        if template.matches(slot).count() != 1 {
            return Err(format!(
                "the service worker template must hold {slot} exactly once"
            ));
        }
    }
    let mut files = Vec::new();
    list_files(dist, "", &mut files)?;
    files.retain(|name| name != SERVICE_WORKER);
    files.sort();
    let mut hash = Fnv64::new();
    hash.write(template.as_bytes());
    for name in &files {
        let path = dist.join(name);
        let bytes = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        hash.write(name.as_bytes());
        hash.write(&[0]);
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    let list: Vec<String> = files.iter().map(|name| js_string(name)).collect();
    let list = format!("[\n  {},\n]", list.join(",\n  "));
    let version = js_string(&format!("{:016x}", hash.finish()));
    Ok(template
        .replacen(VERSION_SLOT, &version, 1)
        .replacen(FILES_SLOT, &list, 1))
}

/// Every file under `dir`, as paths relative to the top folder with `/`.
fn list_files(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| format!("{}: a file name that is not UTF-8", path.display()))?;
        let relative = format!("{prefix}{name}");
        if path.is_dir() {
            list_files(&path, &format!("{relative}/"), out)?;
        } else {
            out.push(relative);
        }
    }
    Ok(())
}

/// `text` as a JavaScript string literal.
fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// 64-bit FNV-1a: stable across builds and toolchains, which a version
/// needs, and with no dependency; it names a cache, it guards no secret.
struct Fnv64(u64);

impl Fnv64 {
    fn new() -> Fnv64 {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    /// A fresh folder under the system's temporary one, removed on drop.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("orderdesk-sw-{name}-{}", std::process::id()));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join("snippets/ui-1a2b")).expect("a scratch folder");
            fs::create_dir_all(dir.join("icons")).expect("a scratch folder");
            Scratch(dir)
        }

        fn write(&self, name: &str, text: &str) {
            fs::write(self.0.join(name), text).expect("a scratch file");
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn dist(name: &str) -> Scratch {
        let dist = Scratch::new(name);
        for file in [
            "index.html",
            "ui.js",
            "ui_bg.wasm",
            "app.css",
            "manifest.webmanifest",
            "core.js",
            "core_bg.wasm",
            "worker.js",
            "boot.js",
            "icons/icon-192.png",
            "snippets/ui-1a2b/inline0.js",
        ] {
            dist.write(file, file);
        }
        dist
    }

    /// The values the template's two slots got.
    fn filled(script: &str) -> (String, Vec<String>) {
        let version = script
            .split("const VERSION = \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a version")
            .to_owned();
        let list = script
            .split("const FILES = [")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .expect("a file list");
        let files = list
            .split(',')
            .map(|item| item.trim().trim_matches('"').to_owned())
            .filter(|item| !item.is_empty())
            .collect();
        (version, files)
    }

    #[test]
    fn the_worker_lists_every_file_of_the_build_but_itself() {
        let dist = dist("lists");
        dist.write(SERVICE_WORKER, "an older build's worker");
        write_service_worker(&dist.0).expect("sw.js is written");
        let script = fs::read_to_string(dist.0.join(SERVICE_WORKER)).expect("sw.js");
        let (version, files) = filled(&script);
        assert_eq!(version.len(), 16, "a 64-bit hex version: {version}");
        assert_eq!(
            files,
            [
                "app.css",
                "boot.js",
                "core.js",
                "core_bg.wasm",
                "icons/icon-192.png",
                "index.html",
                "manifest.webmanifest",
                "snippets/ui-1a2b/inline0.js",
                "ui.js",
                "ui_bg.wasm",
                "worker.js",
            ]
        );
        assert!(!script.contains("%VERSION%") && !script.contains("%FILES%"));
        assert!(
            script.contains("addEventListener(\"push\""),
            "the rest of the template is kept"
        );
    }

    #[test]
    fn the_version_changes_with_any_file_and_only_then() {
        let dist = dist("version");
        let version = || filled(&render(TEMPLATE, &dist.0).expect("rendered")).0;
        let first = version();
        assert_eq!(version(), first, "the same files give the same version");
        dist.write(SERVICE_WORKER, "a worker from an earlier build");
        assert_eq!(version(), first, "the worker's own file does not count");
        dist.write("snippets/ui-1a2b/inline0.js", "changed");
        let second = version();
        assert_ne!(second, first, "a changed file gives a new version");
        dist.write("worker.js", "worker.js\n");
        assert_ne!(version(), second, "so does a changed byte");
        dist.write("added.js", "");
        let with_added = filled(&render(TEMPLATE, &dist.0).expect("rendered"));
        assert!(with_added.1.contains(&"added.js".to_owned()));
    }

    #[test]
    fn a_template_without_its_slots_is_refused() {
        let dist = dist("slots");
        let refused = render("const FILES = [\"%FILES%\"];", &dist.0);
        assert!(refused.is_err_and(|e| e.contains("%VERSION%")));
    }

    #[test]
    fn names_are_written_as_javascript_strings() {
        assert_eq!(js_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000a\"");
    }
}
