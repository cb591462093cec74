//! Issue 16 through the executable: concurrent start-up on one new database, a corrupted
//! database refused, `audit verify` on a read-only copy, the feed token kept out of logs.

use std::process::{Command, Output};

fn sinergi() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_sinergi"));
    c.env_remove("SINERGI_DATABASE_URL").env("RUST_LOG", "warn");
    c
}

/// Runs a command, ending it after a minute (a `serve` that started would never exit).
fn with_deadline(mut c: Command) -> Output {
    let child = c
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            // This test's own child, by its id.
            let _ = Command::new("kill").arg(pid.to_string()).status();
            rx.recv().unwrap().unwrap()
        }
    }
}

fn ok(out: &Output) -> bool {
    out.status.success()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Starts `n` `sinergi migrate` processes at once on `url`; all must succeed.
fn migrate_together(url: &str, n: usize) {
    let children: Vec<_> = (0..n)
        .map(|_| {
            sinergi()
                .args(["migrate", "--database-url", url])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(ok(&out), "a concurrent start failed: {}", stderr(&out));
    }
}

#[test]
fn several_processes_starting_on_one_new_sqlite_database_are_safe() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("baru.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    migrate_together(&url, 4);
    // Then once more in a row: all applied, nothing duplicated.
    let out = sinergi()
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap();
    assert!(ok(&out), "{}", stderr(&out));
    let out = sinergi()
        .args(["audit", "verify", "--database-url", &url])
        .output()
        .unwrap();
    assert!(ok(&out), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_processes_starting_on_one_new_postgres_database_are_safe() {
    let Ok(admin) = std::env::var(sinergi_test_support::POSTGRES_ENV) else {
        assert!(
            std::env::var("CI").is_err(),
            "PostgreSQL tests may not be skipped in CI"
        );
        return;
    };
    let name = format!("sinergi_start_{}", uuid::Uuid::new_v4().simple());
    sinergi_test_support::admin_exec(&admin, &format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let url = sinergi_test_support::with_database(&admin, &name);
    let u = url.clone();
    tokio::task::spawn_blocking(move || migrate_together(&u, 4))
        .await
        .unwrap();
    let out = sinergi()
        .args(["audit", "verify", "--database-url", &url])
        .output()
        .unwrap();
    assert!(ok(&out), "{}", stderr(&out));
    sinergi_test_support::admin_exec(
        &admin,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    )
    .await
    .unwrap();
}

/// A migrated database file, checkpointed (no WAL beside it).
fn migrated(dir: &std::path::Path) -> std::path::PathBuf {
    let db = dir.join("sinergi.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let out = sinergi()
        .args(["migrate", "--database-url", &url])
        .output()
        .unwrap();
    assert!(ok(&out), "{}", stderr(&out));
    db
}

#[test]
fn a_database_with_overwritten_pages_is_refused_by_migrate_serve_and_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = migrated(dir.path());
    let mut bytes = std::fs::read(&db).unwrap();
    // Overwrite pages in the middle of the file (a torn write, a bad sector).
    let page = 4096;
    let mid = (bytes.len() / page / 2) * page;
    for b in &mut bytes[mid..mid + 3 * page] {
        *b = 0xA5;
    }
    std::fs::write(&db, &bytes).unwrap();
    let url = format!("sqlite://{}", db.display());
    for args in [
        vec!["migrate"],
        vec!["audit", "verify"],
        vec!["serve", "--listen", "127.0.0.1:0"],
    ] {
        let mut c = sinergi();
        c.args(&args).args(["--database-url", &url]);
        let out = with_deadline(c);
        assert!(!ok(&out), "{args:?} accepted a corrupted database");
        let e = stderr(&out);
        assert!(
            e.contains("RUSAK") && e.contains("corrupted"),
            "{args:?}: {e}"
        );
    }
}

#[test]
fn audit_verify_reads_a_read_only_copy_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = migrated(dir.path());
    let copies = tempfile::tempdir().unwrap();
    let copy = copies.path().join("salinan.db");
    std::fs::copy(&db, &copy).unwrap();
    let before = std::fs::read(&copy).unwrap();
    // `mode=ro`: SQLite refuses every write on this connection, even for root.
    let url = format!("sqlite://{}?mode=ro", copy.display());
    let out = sinergi()
        .args(["audit", "verify", "--database-url", &url])
        .output()
        .unwrap();
    assert!(ok(&out), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Rantai audit utuh"));
    assert_eq!(
        std::fs::read(&copy).unwrap(),
        before,
        "the copy is unchanged"
    );
    let names: Vec<String> = std::fs::read_dir(copies.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["salinan.db"],
        "no WAL, shared-memory or lock file beside the copy"
    );
}
