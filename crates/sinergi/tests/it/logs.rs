//! Log output as a log file or a collector receives it (issue 15): no terminal colour codes
//! when standard error is not a terminal, one JSON object per line on request.

use std::process::Command;

fn migrate(format: Option<&str>) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sinergi"));
    c.env_remove("SINERGI_DATABASE_URL")
        .env("RUST_LOG", "info")
        .args(["migrate", "--database-url", "sqlite::memory:"]);
    if let Some(f) = format {
        c.env("SINERGI_LOG__FORMAT", f);
    }
    // Standard error is a pipe here, as it is under systemd or with `2> file`.
    c.output().unwrap()
}

#[test]
fn text_logs_into_a_pipe_have_no_colour_codes() {
    let out = migrate(None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("reference data loaded"), "{err}");
    assert!(
        !err.contains('\u{1b}'),
        "ANSI escape in a piped log: {err:?}"
    );
}

#[test]
fn json_logs_are_one_object_per_line() {
    let out = migrate(Some("json"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() >= 2, "{err}");
    let mut saw_loaded = false;
    for l in &lines {
        let v: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert!(v["timestamp"].is_string(), "{l}");
        assert!(v["level"].is_string(), "{l}");
        assert!(v["target"].is_string(), "{l}");
        if v["message"] == "reference data loaded" {
            saw_loaded = true;
            assert!(v["regions"].as_u64().unwrap() > 90_000, "{l}");
        }
    }
    assert!(saw_loaded, "{err}");
    assert!(!err.contains('\u{1b}'));

    let bad = migrate(Some("xml"));
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("konfigurasi tidak valid"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}
