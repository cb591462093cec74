//! E-mail as large providers accept it and officials read it (issue 15).
//!
//! **The letter.** A reminder is written as a short formal Indonesian letter: "Yth. Bapak/Ibu
//! …," the reminder, the absolute link to the case (from `documents.public_url`), "Demikian
//! kami sampaikan …", "Hormat kami," and the unit that sends it (the cooperation unit of the
//! recipient's own government as the case records it). No internal keys. The outbox keeps
//! this text; [`message`] turns it into a `multipart/alternative` message with the text and
//! an HTML rendering of the same paragraphs, `Message-ID` (stable per outbox row, so a retry
//! is recognisably the same message), `Date`, `MIME-Version` and `Auto-Submitted:
//! auto-generated` (RFC 3834: no auto-replies). Header values are reduced to one line, so a
//! newline in a meeting title can never start a header of its own.
//!
//! **Transport.** SMTP with STARTTLS (submission, port 587) or TLS from the first byte (port
//! 465), with a login when a user name is set, over rustls with the system's trust roots and
//! optionally a CA file of the deployment's own; plain SMTP only to a relay on a trusted
//! network.

use crate::WorkerError;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use sinergi_domain::schedule::DueReminder;
use std::time::Duration as StdDuration;
use time::OffsetDateTime;

/// How the SMTP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MailSecurity {
    /// Plain SMTP: only to a relay on a trusted network (or a test sink).
    #[default]
    None,
    /// STARTTLS required (submission port 587).
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
}

/// SMTP delivery settings.
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    /// The From address, optionally with a name: `Sinergi <sinergi@kaltengprov.go.id>`.
    pub from: String,
    pub security: MailSecurity,
    /// Log in with this user name (and `password`) when set.
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// PEM certificates to trust besides the system's roots (a government's own CA).
    pub extra_roots_pem: Option<String>,
}

impl MailSettings {
    /// Plain SMTP to `host:port`, no login.
    #[must_use]
    pub fn plain(host: &str, port: u16, from: &str) -> Self {
        Self {
            host: host.to_owned(),
            port,
            from: from.to_owned(),
            security: MailSecurity::None,
            username: None,
            password: None,
            extra_roots_pem: None,
        }
    }
}

/// The SMTP client the settings describe.
///
/// # Errors
/// An unreadable CA file or TLS parameters that cannot be built.
pub fn transport(m: &MailSettings) -> Result<AsyncSmtpTransport<Tokio1Executor>, WorkerError> {
    let tls = match m.security {
        MailSecurity::None => None,
        MailSecurity::Starttls | MailSecurity::Tls => {
            let mut params = TlsParameters::builder(m.host.clone());
            if let Some(pem) = &m.extra_roots_pem {
                for block in pem_blocks(pem) {
                    let cert = Certificate::from_pem(block.as_bytes())
                        .map_err(|e| WorkerError::Mail(format!("email.ca_file: {e}")))?;
                    params = params.add_root_certificate(cert);
                }
            }
            Some(
                params
                    .build_rustls()
                    .map_err(|e| WorkerError::Mail(format!("TLS: {e}")))?,
            )
        }
    };
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&m.host)
        .port(m.port)
        .timeout(Some(StdDuration::from_secs(20)));
    b = match (m.security, tls) {
        (MailSecurity::Starttls, Some(p)) => b.tls(Tls::Required(p)),
        (MailSecurity::Tls, Some(p)) => b.tls(Tls::Wrapper(p)),
        _ => b.tls(Tls::None),
    };
    if let Some(user) = &m.username {
        let pass = m
            .password
            .as_ref()
            .map(|p| p.expose_secret().to_owned())
            .unwrap_or_default();
        b = b.credentials(Credentials::new(user.clone(), pass));
    }
    Ok(b.build())
}

/// Each `-----BEGIN CERTIFICATE-----` block of a PEM text.
fn pem_blocks(pem: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in pem.lines() {
        if line.starts_with("-----BEGIN CERTIFICATE-----") {
            current = Some(String::new());
        }
        if let Some(c) = current.as_mut() {
            c.push_str(line);
            c.push('\n');
        }
        if line.starts_with("-----END CERTIFICATE-----")
            && let Some(c) = current.take()
        {
            out.push(c);
        }
    }
    out
}

/// A header value on one line: control characters (CR, LF, TAB …) become spaces and runs of
/// spaces one space.
#[must_use]
pub fn one_line(s: &str) -> String {
    s.split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Who receives a reminder letter, and on whose behalf it is sent.
#[derive(Debug, Clone)]
pub struct Addressing<'a> {
    /// The recipient's name as the account gives it.
    pub name: &'a str,
    /// The unit that sends it: the cooperation unit of the recipient's government.
    pub unit: &'a str,
    /// `documents.public_url`, the base of the absolute link.
    pub public_url: &'a str,
}

/// The subject and the text of a reminder e-mail.
#[must_use]
pub fn reminder_letter(r: &DueReminder, a: &Addressing<'_>) -> (String, String) {
    let subject = one_line(&format!("[Sinergi] {}", r.title));
    let link = format!("{}{}", a.public_url.trim_end_matches('/'), r.link);
    let name = one_line(a.name);
    // One paragraph: a newline inside a title must not break the letter's layout either.
    let body = one_line(&r.body);
    let notifications = format!("{}/notifikasi", a.public_url.trim_end_matches('/'));
    let text = format!(
        "Yth. Bapak/Ibu {name},\n\n\
         {body}\n\n\
         Rincian kerja sama dan langkah yang dapat dilakukan sekarang:\n{link}\n\n\
         Demikian kami sampaikan. Atas perhatian Bapak/Ibu, kami ucapkan terima kasih.\n\n\
         Hormat kami,\n{unit}\n\n\
         --\n\
         Pesan ini dikirim otomatis oleh Sinergi, sistem informasi kerja sama daerah; mohon tidak membalas pesan ini. \
         Pemberitahuan yang sama ada di {notifications}.",
        unit = one_line(a.unit),
    );
    (subject, text)
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One line of text as HTML, absolute `http(s)://` addresses as links.
fn html_line(line: &str) -> String {
    line.split(' ')
        .map(|w| {
            let trimmed = w.trim_end_matches(['.', ',', ';', ')']);
            if (trimmed.starts_with("https://") || trimmed.starts_with("http://"))
                && trimmed.len() > 8
            {
                let rest = &w[trimmed.len()..];
                let href = escape_html(trimmed);
                format!("<a href=\"{href}\">{href}</a>{}", escape_html(rest))
            } else {
                escape_html(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The HTML alternative of a letter's text: its paragraphs, with the same words.
#[must_use]
pub fn html_of(subject: &str, text: &str) -> String {
    let mut body = String::new();
    for para in text.split("\n\n") {
        if para.trim() == "--" {
            body.push_str("<hr>\n");
            continue;
        }
        let (para, small) = match para.strip_prefix("--\n") {
            Some(rest) => {
                body.push_str("<hr>\n");
                (rest, true)
            }
            None => (para, false),
        };
        let lines: Vec<String> = para.lines().map(html_line).collect();
        if small {
            body.push_str("<p style=\"font-size:small;color:#555\">");
        } else {
            body.push_str("<p>");
        }
        body.push_str(&lines.join("<br>\n"));
        body.push_str("</p>\n");
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n\
         <body style=\"font-family:sans-serif;line-height:1.5;max-width:40em\">\n{body}</body>\n</html>\n",
        escape_html(subject)
    )
}

/// The domain of the From address (for the Message-ID).
fn domain_of(from: &Mailbox) -> String {
    from.email.domain().to_owned()
}

/// The message of one outbox e-mail.
///
/// # Errors
/// A From or To address that does not parse.
pub fn message(
    m: &MailSettings,
    outbox_id: uuid::Uuid,
    to: &str,
    to_name: Option<&str>,
    subject: &str,
    text: &str,
    now: OffsetDateTime,
) -> Result<Message, WorkerError> {
    let from: Mailbox = m
        .from
        .parse()
        .map_err(|e| WorkerError::Mail(format!("from: {e}")))?;
    let mut to: Mailbox = one_line(to)
        .parse()
        .map_err(|e| WorkerError::Mail(format!("to: {e}")))?;
    if to.name.is_none() {
        to.name = to_name.map(one_line).filter(|n| !n.is_empty());
    }
    let subject = one_line(subject);
    let message_id = format!("<{}@{}>", outbox_id.simple(), domain_of(&from));
    let unix = now.unix_timestamp();
    let date = std::time::UNIX_EPOCH + StdDuration::from_secs(u64::try_from(unix).unwrap_or(0));
    Message::builder()
        .from(from)
        .to(to)
        .subject(subject.clone())
        .message_id(Some(message_id))
        .date(date)
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("Auto-Submitted"),
            "auto-generated".to_owned(),
        ))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text.to_owned()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html_of(&subject, text)),
                ),
        )
        .map_err(|e| WorkerError::Mail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_stay_on_one_line() {
        assert_eq!(
            one_line("Rapat\r\nBcc: penyusup@evil.test\tlagi"),
            "Rapat Bcc: penyusup@evil.test lagi"
        );
    }

    #[test]
    fn html_keeps_the_words_escapes_and_links() {
        let h = html_of(
            "S",
            "Yth. <b>A</b>,\n\nBuka https://sinergi.test/kerja-sama/1.\n\n--\nOtomatis.",
        );
        assert!(h.contains("Yth. &lt;b&gt;A&lt;/b&gt;,"));
        assert!(h.contains(
            "<a href=\"https://sinergi.test/kerja-sama/1\">https://sinergi.test/kerja-sama/1</a>."
        ));
        assert!(h.contains("<hr>"));
    }
}
