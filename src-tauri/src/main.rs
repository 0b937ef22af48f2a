//! `kura-desktop`: starts the Tauri shell ([`kura_desktop::run`]).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    kura_desktop::run();
}
