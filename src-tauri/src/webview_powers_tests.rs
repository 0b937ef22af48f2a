//! What the webview may do, read from the files Tauri builds the app from: the capability grants
//! the main window Kura's own commands and nothing else (no `core:` or plugin permission — in
//! particular no `core:event:allow-listen`, whose events would carry dropped paths, and no
//! `allow-emit`, which would let the page forge `deep-link://new-url`); the CSP allows no inline
//! or remote script or style and no frames; the main window is created by `navigation.rs` (with
//! its navigation and new-window handlers), not by Tauri from the config; drops reach Rust.
//!
//! A unit-test module, not `src-tauri/tests/`: an integration test makes `cargo test` rebuild the
//! `kura-desktop` binary without Tauri's `custom-protocol` feature (a dev build that loads the
//! dev server), replacing the app the desktop e2e runs.

use std::path::Path;

use serde_json::Value;

fn json(file: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().expect("permissions are plain identifiers").to_string())
        .collect()
}

/// The commands `build.rs` generates permissions for.
fn commands() -> Vec<String> {
    let build = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("build.rs")).unwrap();
    let list = build
        .split("const COMMANDS")
        .nth(1)
        .unwrap()
        .split("];")
        .next()
        .unwrap();
    list.split('"').skip(1).step_by(2).map(str::to_string).collect()
}

#[test]
fn the_page_gets_kuras_commands_only() {
    let cap = json("capabilities/main.json");
    assert_eq!(strings(&cap["windows"]), ["main"]);
    let granted = strings(&cap["permissions"]);
    let own: Vec<String> = commands()
        .iter()
        .map(|c| format!("allow-{}", c.replace('_', "-")))
        .collect();
    for p in &granted {
        assert!(
            !p.contains(':'),
            "the page must get no core or plugin permission, found {p}"
        );
        assert!(own.contains(p), "{p} is not one of Kura's commands");
    }
    for gone in [
        "core:event:allow-listen",
        "core:event:allow-emit",
        "core:event:default",
        "core:default",
    ] {
        assert!(!granted.iter().any(|p| p == gone), "{gone} is granted");
    }
}

#[test]
fn the_csp_allows_no_inline_or_foreign_code_and_no_frames() {
    let conf = json("tauri.conf.json");
    let csp = &conf["app"]["security"]["csp"];
    let directive = |name: &str| {
        csp[name]
            .as_str()
            .unwrap_or_else(|| panic!("csp has no {name}"))
            .to_string()
    };
    assert_eq!(directive("default-src"), "'self'");
    assert_eq!(directive("script-src"), "'self'");
    assert_eq!(directive("style-src"), "'self'");
    assert_eq!(directive("object-src"), "'none'");
    assert_eq!(directive("frame-src"), "'none'");
    assert_eq!(directive("base-uri"), "'none'");
    assert_eq!(directive("form-action"), "'none'");
    assert_eq!(directive("connect-src"), "ipc: http://ipc.localhost");
    assert_eq!(directive("img-src"), "'self' data: blob:");
    for (name, value) in csp.as_object().unwrap() {
        let value = value.as_str().unwrap();
        for bad in ["unsafe-inline", "unsafe-eval", "*", "http:", "https:", "data:", "blob:"] {
            // Images only: data: URLs, and blob: URLs of preview bytes Rust fetched (no origin
            // outside the app; frames and objects stay 'none', so a blob is never a document).
            if name == "img-src" && (bad == "data:" || bad == "blob:") {
                continue;
            }
            assert!(
                !value.split(' ').any(|v| v.trim_matches('\'') == bad),
                "{name} allows {bad}"
            );
        }
    }
    assert_ne!(
        conf["app"]["security"]["dangerousDisableAssetCspModification"],
        Value::Bool(true)
    );
}

#[test]
fn the_main_window_is_built_in_rust_and_drops_reach_rust() {
    let conf = json("tauri.conf.json");
    let windows = conf["app"]["windows"].as_array().unwrap();
    let main = windows.iter().find(|w| w["label"] == "main").unwrap();
    assert_eq!(
        main["create"],
        Value::Bool(false),
        "created by navigation.rs, with the navigation handler"
    );
    assert_eq!(main["dragDropEnabled"], Value::Bool(true), "drops go to Rust's handler");
    assert_eq!(conf["app"]["withGlobalTauri"], Value::Bool(false));
}
