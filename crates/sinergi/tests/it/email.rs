//! Reminder e-mail as mail servers and mail programs take it (issue 15): delivered to the
//! SMTP sink over STARTTLS with a login (and over implicit TLS), then parsed with Python's
//! `email` package (strict policy): multipart text + HTML, Message-ID, Date, MIME-Version,
//! Auto-Submitted, a formal Indonesian letter with the absolute link, both parties' time
//! zones, no internal key, and no header a meeting title could inject.

use crate::consumers::python;
use crate::monitoring::{active_case, add_user, governors};
use crate::on_both;
use serde_json::{Value, json};
use sinergi_test_support::{SmtpSink, TestApp};
use sinergi_worker::{MailSecurity, MailSettings, Worker, WorkerConfig};
use time::macros::{date, datetime};

const PUBLIC: &str = "https://sinergi.kaltengprov.test";

fn worker(app: &TestApp, mail: MailSettings) -> Worker {
    let mut c = WorkerConfig::named("mail");
    c.public_url = PUBLIC.to_owned();
    c.mail = Some(mail);
    Worker::new(app.store.clone(), c)
}

fn secure(port: u16, security: MailSecurity, password: &str, trust: bool) -> MailSettings {
    MailSettings {
        security,
        username: Some("sinergi".into()),
        password: Some(password.to_owned().into()),
        extra_roots_pem: trust.then(|| SmtpSink::ca_pem().to_owned()),
        ..MailSettings::plain(
            "127.0.0.1",
            port,
            "Sinergi Kalteng <sinergi@kaltengprov.test>",
        )
    }
}

/// A case between Kalimantan Tengah (WIB) and Bali (WITA) with a meeting in Denpasar at
/// 10.00 WITA on 2026-06-11, whose title tries to add a header.
async fn meeting_tomorrow(app: &TestApp) -> String {
    app.clock.set(datetime!(2026-06-01 02:00 UTC));
    let gubs = governors(app).await;
    add_user(
        app,
        "admin62",
        "62",
        &["admin"],
        Some("admin62@kalteng.test"),
        None,
    )
    .await;
    let id = active_case(
        app,
        &gubs,
        date!(2026 - 06 - 01),
        date!(2028 - 05 - 31),
        None,
    )
    .await;
    let res = app.post(&format!("/api/v1/cases/{id}/meetings"), &json!({"kind": "koordinasi",
        "title": "Rapat koordinasi\r\nBcc: penyusup@evil.test", "date": "2026-06-11", "start_time": "10:00",
        "place": "Denpasar", "host_region": "51"})).await;
    res.assert_status(axum::http::StatusCode::CREATED);
    id
}

fn parsed(sink: &SmtpSink) -> Value {
    let mails = sink.messages();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    python("email_message.py", &[], mails[0].data.as_bytes())
}

on_both! {
    async fn a_reminder_is_a_formal_multipart_letter_sent_over_starttls(app: TestApp) {
        let id = meeting_tomorrow(&app).await;
        let sink = SmtpSink::start_tls("sinergi", "rahasia-smtp").await;
        let w = worker(&app, secure(sink.port, MailSecurity::Starttls, "rahasia-smtp", true));
        let now = datetime!(2026-06-10 02:00 UTC);
        let r = w.run_once(now).await.unwrap();
        assert!(r.failed.is_empty(), "{r:?}");
        let mails = sink.messages();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].tls, "sent over STARTTLS");
        assert_eq!(mails[0].login.as_deref(), Some("sinergi"));
        assert_eq!(mails[0].to, ["admin62@kalteng.test"], "the injected Bcc is no recipient");

        let m = parsed(&sink);
        assert_eq!(m["defects"], json!([]), "{m}");
        let h = &m["headers"];
        assert_eq!(h["MIME-Version"], "1.0");
        assert_eq!(h["Auto-Submitted"], "auto-generated");
        let mid = h["Message-ID"].as_str().unwrap();
        assert!(mid.starts_with('<') && mid.ends_with("@kaltengprov.test>") && mid.len() > 30, "{mid}");
        assert_eq!(m["date"], "2026-06-10T02:00:00+00:00");
        assert_eq!(h["Subject"], "[Sinergi] Besok: Rapat koordinasi Bcc: penyusup@evil.test");
        let names: Vec<&str> = m["header_names"].as_array().unwrap().iter().map(|n| n.as_str().unwrap()).collect();
        assert!(!names.iter().any(|n| n.eq_ignore_ascii_case("bcc")), "{names:?}");
        assert_eq!(m["to"], json!(["admin62@kalteng.test"]));
        assert_eq!(m["content_type"], "multipart/alternative");
        let parts = m["parts"].as_array().unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0]["content_type"], "text/plain");
        assert_eq!(parts[1]["content_type"], "text/html");
        assert_eq!(parts[0]["charset"], "utf-8");

        let text = parts[0]["text"].as_str().unwrap();
        assert!(text.starts_with("Yth. Bapak/Ibu admin62,\n"), "{text}");
        assert!(text.contains("pukul 10.00 WITA (09.00 WIB)"), "both parties' time zones: {text}");
        assert!(text.contains(&format!("{PUBLIC}/kerja-sama/{id}\n")), "absolute link: {text}");
        assert!(!text.contains(" /kerja-sama/"), "no relative link: {text}");
        assert!(text.contains("Demikian kami sampaikan."));
        assert!(text.contains("Hormat kami,\nSekretariat TKKSD Pemerintah Provinsi Kalimantan Tengah\n"), "{text}");
        assert!(!text.contains("meeting:") && !text.contains("H-1 ("), "no internal key: {text}");
        let html = parts[1]["text"].as_str().unwrap();
        assert!(html.contains("<html lang=\"id\">"));
        assert!(html.contains("Yth. Bapak/Ibu admin62,"));
        assert!(html.contains(&format!("<a href=\"{PUBLIC}/kerja-sama/{id}\">")), "{html}");
        assert!(html.contains("pukul 10.00 WITA (09.00 WIB)"));

        // The in-app notification says the same, with both zones.
        let bell = app.store.notifications_for("admin62", 10).await.unwrap();
        assert!(bell[0].body.contains("pukul 10.00 WITA (09.00 WIB)"), "{:?}", bell[0]);
    }

    async fn implicit_tls_works_and_an_untrusted_server_or_a_wrong_password_is_refused(app: TestApp) {
        meeting_tomorrow(&app).await;
        let now = datetime!(2026-06-10 02:00 UTC);
        // A server whose certificate the worker does not trust: nothing is sent, the outbox
        // keeps the e-mail pending with the reason, and it is retried.
        let sink = SmtpSink::start_implicit_tls("sinergi", "rahasia-smtp").await;
        let r = worker(&app, secure(sink.port, MailSecurity::Tls, "rahasia-smtp", false)).run_once(now).await.unwrap();
        assert_eq!(r.failed.len(), 1, "{r:?}");
        assert!(sink.messages().is_empty());
        let outbox = app.store.outbox(None).await.unwrap();
        assert_eq!(outbox[0].status, "pending");
        assert!(outbox[0].last_error.as_deref().unwrap_or_default().to_lowercase().contains("certificate"), "{:?}", outbox[0].last_error);
        // A wrong password: refused by the server.
        let later = now + time::Duration::hours(1);
        let r = worker(&app, secure(sink.port, MailSecurity::Tls, "salah", true)).run_due(later).await.unwrap();
        assert_eq!(r.failed.len(), 1, "{r:?}");
        assert!(sink.messages().is_empty());
        // Trusted and the right password: delivered over TLS from the first byte.
        let later = later + time::Duration::hours(1);
        let r = worker(&app, secure(sink.port, MailSecurity::Tls, "rahasia-smtp", true)).run_due(later).await.unwrap();
        assert!(r.failed.is_empty(), "{r:?}");
        let mails = sink.messages();
        assert_eq!(mails.len(), 1);
        assert!(mails[0].tls);
        let m = parsed(&sink);
        assert_eq!(m["content_type"], "multipart/alternative");
        assert_eq!(app.store.outbox(None).await.unwrap()[0].status, "sent");
    }
}
