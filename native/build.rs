//! Build script: napi-rs link setup, plus the build facts `buildInfo()` reports (rustc version, target,
//! profile), captured here because they are only known at build time.

use std::process::Command;

fn main() {
    napi_build::setup();

    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let rustc_version = Command::new(&rustc)
        .arg("-V")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=SERVEBENCH_RUSTC_VERSION={rustc_version}");
    for key in ["TARGET", "PROFILE", "OPT_LEVEL"] {
        let value = std::env::var(key).unwrap_or_else(|_| "unknown".to_owned());
        println!("cargo:rustc-env=SERVEBENCH_BUILD_{key}={value}");
    }
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=RUSTFLAGS");
}
