//! Runs the consumer scripts of `tests/consumers/` (Python: icalendar, openpyxl,
//! python-docx, the standard `email` package) on Sinergi's outputs. A missing Python
//! package is a failure with the command that installs it, never a skip.

use serde_json::Value;
use std::io::Write as _;
use std::process::{Command, Stdio};

fn script(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/consumers")
        .join(name)
}

/// Runs `tests/consumers/<name>` with `args`, `input` on standard input; returns its JSON.
pub fn python(name: &str, args: &[&str], input: &[u8]) -> Value {
    let mut child = Command::new("python3")
        .arg(script(name))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 must be installed to check outputs with their real consumers");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("ModuleNotFoundError"),
        "{name}: a Python package is missing (pip install icalendar openpyxl python-docx, as .ci/run does):\n{err}"
    );
    assert!(out.status.success(), "{name} refused the output:\n{err}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{name} printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

/// Runs `tests/consumers/<name>` on a file written from `bytes`.
pub fn python_on_file(name: &str, ext: &str, bytes: &[u8], args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("output.{ext}"));
    std::fs::write(&path, bytes).unwrap();
    let p = path.to_str().unwrap().to_owned();
    let mut all = vec![p.as_str()];
    all.extend_from_slice(args);
    python(name, &all, b"")
}
