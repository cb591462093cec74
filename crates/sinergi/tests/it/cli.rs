//! The `sinergi` executable as a user runs it.

use std::process::Command;

fn sinergi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sinergi"));
    c.env_remove("SINERGI_DATABASE_URL").env("RUST_LOG", "warn");
    c
}

#[test]
fn config_example_prints_a_parseable_file() {
    let out = sinergi().args(["config", "example"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[server]"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sinergi.toml"), &text).unwrap();
    let out = sinergi()
        .current_dir(dir.path())
        .args(["migrate", "--database-url", "sqlite::memory:"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_unknown_scheme_or_a_mistyped_path_never_makes_a_new_database() {
    let dir = tempfile::tempdir().unwrap();
    let out = sinergi()
        .current_dir(dir.path())
        .args(["migrate", "--database-url", "mysql://localhost/x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("mysql"));
    let typo = dir.path().join("dat").join("sinergi.db");
    let url = format!("sqlite://{}", typo.display());
    let out = sinergi()
        .current_dir(dir.path())
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("tidak ada"));
    assert!(!typo.exists());
    let missing = dir.path().join("missing.db");
    let out = sinergi()
        .current_dir(dir.path())
        .env(
            "SINERGI_DATABASE_URL",
            format!("sqlite://{}", missing.display()),
        )
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(!missing.exists());
}

#[test]
fn an_unknown_setting_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = sinergi()
        .current_dir(dir.path())
        .env("SINERGI_SERVR__LISTEN", "x")
        .args(["migrate", "--database-url", "sqlite::memory:"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn the_default_database_is_created_in_the_data_directory_and_the_demo_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = sinergi()
        .current_dir(dir.path())
        .args(["demo", "load"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("017fb939-1400-7000-8000-000000006251"));
    assert!(dir.path().join("data").join("sinergi.db").exists());
    let out = sinergi()
        .current_dir(dir.path())
        .args(["demo", "load"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("sudah ada"));
}

#[test]
fn analyze_follows_the_command_line_contract() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("pdrb.csv");
    std::fs::write(&csv, "region,sector,year,value\nA,X,2020,10\nA,Y,2020,30\nB,X,2020,30\nB,Y,2020,10\nA,X,2021,12\nA,Y,2021,31\nB,X,2021,33\nB,Y,2021,10\n").unwrap();
    let out = sinergi()
        .args([
            "analyze",
            "--input",
            csv.to_str().unwrap(),
            "--start",
            "2020",
            "--end",
            "2021",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "start",
        "end",
        "regions",
        "sectors",
        "lq",
        "lq_start",
        "hoover",
        "dlq",
        "dlq_class",
        "klassen",
        "shift_share",
        "complementarity",
        "mutual",
        "similarity",
    ] {
        assert!(v.get(key).is_some(), "{key}");
    }
    assert_eq!(v["mutual"]["A"]["B"], v["mutual"]["B"]["A"]);
    std::fs::write(&csv, "region,sector,year,value\nA,X,2020,abc\n").unwrap();
    let out = sinergi()
        .args([
            "analyze",
            "--input",
            csv.to_str().unwrap(),
            "--start",
            "2020",
            "--end",
            "2020",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("pdrb.csv:2"), "{err}");
}
