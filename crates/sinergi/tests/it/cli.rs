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

/// A spreadsheet's export: semicolons, a byte-order mark or Windows-1252, CRLF line ends. The
/// same numbers as a plain comma file, and a malformed one still names its line.
#[test]
fn analyze_reads_spreadsheet_exports() {
    let dir = tempfile::tempdir().unwrap();
    let run = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        sinergi()
            .args(["analyze", "--input", path.to_str().unwrap()])
            .args(["--start", "2020", "--end", "2021"])
            .output()
            .unwrap()
    };
    let plain = run(
        "plain.csv",
        b"region,sector,year,value\nCaf\xc3\xa9,X,2020,10\nCaf\xc3\xa9,Y,2020,30\nB,X,2020,30\nB,Y,2020,10\nCaf\xc3\xa9,X,2021,12\nCaf\xc3\xa9,Y,2021,31\nB,X,2021,33\nB,Y,2021,10\n",
    );
    assert!(plain.status.success());
    let latin = run(
        "latin.csv",
        b"no;region;sector;year;value\r\n1;Caf\xe9;X;2020;10\r\n2;Caf\xe9;Y;2020;30\r\n3;B;X;2020;30\r\n4;B;Y;2020;10\r\n5;Caf\xe9;X;2021;12\r\n6;Caf\xe9;Y;2021;31\r\n7;B;X;2021;33\r\n8;B;Y;2021;10\r\n",
    );
    assert!(
        latin.status.success(),
        "{}",
        String::from_utf8_lossy(&latin.stderr)
    );
    let a: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&latin.stdout).unwrap();
    assert_eq!(a, b);
    assert_eq!(b["regions"][0], "Café");
    let bad = run(
        "bad.csv",
        b"\xef\xbb\xbfregion;sector;year;value\r\nA;X;2020;10\r\n\"B;X;2020;1\r\n",
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("bad.csv:3: CSV rusak: tanda kutip tidak ditutup"),
        "{err}"
    );
}

/// One HTTP/1.1 request over a plain socket: (status, raw head, body).
fn http(port: u16, method: &str, path: &str, cookie: &str, form: &str) -> (u16, String, String) {
    use std::io::{Read as _, Write as _};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{form}",
        form.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap_or((&out, ""));
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

/// The README's start command as a user runs it: `serve --demo` on an empty directory, sign
/// in with a demo account, and the founding KB can be drafted, finalised and offered for
/// electronic signing (the demo signs with a demonstration secret).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_demo_starts_with_the_founding_case_and_its_documents_can_be_signed() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = sinergi()
        .current_dir(dir.path())
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..600 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "serve --demo did not start listening");
    // The sign-in form's token and cookie first (login CSRF protection), as a browser does.
    let (_, form_head, form) = http(port, "GET", "/masuk", "", "");
    let login_cookie = form_head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .find(|c| c.starts_with("sinergi_masuk="))
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let token = form
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let (status, head, _) = http(
        port,
        "POST",
        "/masuk",
        &login_cookie,
        &format!(
            "username=admin.kalteng&password={}&_csrf={token}",
            sinergi_store::DEMO_PASSWORD
        ),
    );
    assert_eq!(status, 303, "{head}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let page = format!(
        "/kerja-sama/{}/dokumen/kb",
        sinergi_domain::demo::FOUNDING_CASE_ID
    );
    let (status, _, body) = http(port, "GET", &page, &cookie, "");
    assert_eq!(status, 200);
    let csrf = body
        .split("name=\"_csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();
    let (status, _, _) = http(
        port,
        "POST",
        &format!("{page}/mulai"),
        &cookie,
        &format!("_csrf={csrf}"),
    );
    assert_eq!(status, 303);
    let (status, _, _) = http(
        port,
        "POST",
        &format!("{page}/final"),
        &cookie,
        &format!("_csrf={csrf}&expected_version=1"),
    );
    assert_eq!(status, 303);
    let (_, _, body) = http(port, "GET", &page, &cookie, "");
    assert!(
        !body.contains("id=\"form-tanda-tangan\"") && body.contains("id=\"ttd-akun-sendiri\""),
        "the admin prepares, the governor signs: {body}"
    );
    // The governor's own demo account signs (the same token and cookie serve a second
    // sign-in from this "browser").
    let (status, head, _) = http(
        port,
        "POST",
        "/masuk",
        &login_cookie,
        &format!(
            "username=gubernur.kalteng&password={}&_csrf={token}",
            sinergi_store::DEMO_PASSWORD
        ),
    );
    assert_eq!(status, 303, "{head}");
    let cookie = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or(l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let (_, _, body) = http(port, "GET", &page, &cookie, "");
    let _ = child.kill();
    let _ = child.wait();
    assert!(body.contains("id=\"form-tanda-tangan\""), "{body}");
    assert!(!body.contains("id=\"ttd-nonaktif\""));
    assert!(
        body.contains("Anda menandatangani sebagai <b>Sugianto Sabran"),
        "Kalteng's governor signs as himself: {body}"
    );
}
