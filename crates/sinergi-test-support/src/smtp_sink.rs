//! A small SMTP server for tests: it speaks real SMTP over TCP on a loopback port (greeting,
//! EHLO/HELO, STARTTLS, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP,
//! QUIT) and records every message it accepts. No mock: the application's SMTP client talks
//! to it as to a relay. [`SmtpSink::start_tls`] makes a submission server that requires
//! STARTTLS and a login before it accepts mail; [`SmtpSink::start_implicit_tls`] one that
//! speaks TLS from the first byte (port 465 style). The certificate (`keys/smtp-sink-*.pem`)
//! is issued for `localhost` and 127.0.0.1 by a test CA whose certificate is
//! [`SmtpSink::ca_pem`].

use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const CERT: &str = include_str!("../keys/smtp-sink-cert.pem");
const KEY: &str = include_str!("../keys/smtp-sink-key.pem");
const CA: &str = include_str!("../keys/smtp-sink-ca.pem");

/// One accepted message.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// The DATA section as received (headers and body), dot-unstuffed.
    pub data: String,
    /// Whether the message arrived over TLS (STARTTLS or implicit).
    pub tls: bool,
    /// The user name the client logged in with, if it did.
    pub login: Option<String>,
}

impl ReceivedMail {
    /// A header's value (first occurrence, unfolded), e.g. `subject`.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push_str(line.trim_start());
                    continue;
                }
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case(name)
            {
                value = Some(v.trim().to_owned());
            }
        }
        value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    /// STARTTLS and AUTH required before MAIL.
    StartTls,
    /// TLS from the first byte; AUTH required.
    Implicit,
}

/// The running sink.
#[derive(Debug, Clone)]
pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<ReceivedMail>>>,
}

struct Shared {
    messages: Arc<Mutex<Vec<ReceivedMail>>>,
    mode: Mode,
    credentials: Option<(String, String)>,
    tls: Option<tokio_rustls::TlsAcceptor>,
}

fn acceptor() -> tokio_rustls::TlsAcceptor {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(CERT.as_bytes())
        .collect::<Result<_, _>>()
        .expect("sink certificate");
    let key = PrivateKeyDer::from_pem_slice(KEY.as_bytes()).expect("sink key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .expect("sink TLS configuration");
    tokio_rustls::TlsAcceptor::from(Arc::new(config))
}

impl SmtpSink {
    /// Starts a plain sink (no TLS, no login) on a free loopback port.
    pub async fn start() -> Self {
        Self::spawn(Mode::Plain, None).await
    }

    /// Starts a submission sink that requires STARTTLS and then a login as `user`/`password`.
    pub async fn start_tls(user: &str, password: &str) -> Self {
        Self::spawn(Mode::StartTls, Some((user.to_owned(), password.to_owned()))).await
    }

    /// Starts a sink that speaks TLS from the first byte and requires a login.
    pub async fn start_implicit_tls(user: &str, password: &str) -> Self {
        Self::spawn(Mode::Implicit, Some((user.to_owned(), password.to_owned()))).await
    }

    /// The PEM certificate of the CA that issued the sink's certificate.
    #[must_use]
    pub fn ca_pem() -> &'static str {
        CA
    }

    async fn spawn(mode: Mode, credentials: Option<(String, String)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().expect("address").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            messages: messages.clone(),
            mode,
            credentials,
            tls: (mode != Mode::Plain).then(acceptor),
        });
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _ = connection(socket, shared).await;
                });
            }
        });
        Self { port, messages }
    }

    /// Every message accepted so far.
    #[must_use]
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.messages.lock().expect("sink lock").clone()
    }
}

async fn connection(socket: tokio::net::TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    match shared.mode {
        Mode::Implicit => {
            let acceptor = shared.tls.clone().expect("TLS acceptor");
            let tls = acceptor.accept(socket).await?;
            session(BufReader::new(tls), &shared, true, true)
                .await
                .map(|_| ())
        }
        Mode::Plain | Mode::StartTls => {
            let upgrade = session(BufReader::new(socket), &shared, false, true).await?;
            if let Some(stream) = upgrade {
                let acceptor = shared.tls.clone().expect("TLS acceptor");
                let tls = acceptor.accept(stream.into_inner()).await?;
                session(BufReader::new(tls), &shared, true, false).await?;
            }
            Ok(())
        }
    }
}

/// One SMTP conversation on `stream`. Returns the plain stream when the client asked for
/// STARTTLS (the caller wraps it in TLS and talks again, without a new greeting).
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: BufReader<S>,
    shared: &Shared,
    tls: bool,
    greet: bool,
) -> std::io::Result<Option<BufReader<S>>> {
    if greet {
        stream
            .write_all(b"220 sink.test ESMTP Sinergi test sink\r\n")
            .await?;
    }
    let mut from = String::new();
    let mut to = Vec::new();
    let mut login: Option<String> = None;
    let mut line = String::new();
    let needs_auth = shared.credentials.is_some();
    loop {
        line.clear();
        if stream.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let cmd = line.trim_end().to_owned();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            let mut caps = String::from("250-sink.test\r\n250-8BITMIME\r\n");
            if shared.mode == Mode::StartTls && !tls {
                caps.push_str("250-STARTTLS\r\n");
            }
            if needs_auth && tls {
                caps.push_str("250-AUTH PLAIN LOGIN\r\n");
            }
            caps.push_str("250 SMTPUTF8\r\n");
            stream.write_all(caps.as_bytes()).await?;
        } else if upper.starts_with("HELO") {
            stream.write_all(b"250 sink.test\r\n").await?;
        } else if upper == "STARTTLS" && shared.mode == Mode::StartTls && !tls {
            stream
                .write_all(b"220 2.0.0 Ready to start TLS\r\n")
                .await?;
            return Ok(Some(stream));
        } else if upper.starts_with("AUTH ") {
            if !tls {
                stream
                    .write_all(b"538 5.7.11 Encryption required\r\n")
                    .await?;
                continue;
            }
            let parts: Vec<&str> = cmd.split_whitespace().collect();
            let (user, pass) = match parts.get(1).map(|m| m.to_ascii_uppercase()).as_deref() {
                Some("PLAIN") => {
                    let b64 = match parts.get(2) {
                        Some(b) => (*b).to_owned(),
                        None => {
                            stream.write_all(b"334 \r\n").await?;
                            read_line(&mut stream).await?
                        }
                    };
                    let raw = decode(&b64);
                    let mut fields = raw.split('\0').skip(1);
                    (
                        fields.next().unwrap_or_default().to_owned(),
                        fields.next().unwrap_or_default().to_owned(),
                    )
                }
                Some("LOGIN") => {
                    stream.write_all(b"334 VXNlcm5hbWU6\r\n").await?;
                    let user = decode(&read_line(&mut stream).await?);
                    stream.write_all(b"334 UGFzc3dvcmQ6\r\n").await?;
                    let pass = decode(&read_line(&mut stream).await?);
                    (user, pass)
                }
                _ => {
                    stream
                        .write_all(b"504 5.5.4 Unrecognized authentication type\r\n")
                        .await?;
                    continue;
                }
            };
            if shared.credentials.as_ref() == Some(&(user.clone(), pass)) {
                login = Some(user);
                stream
                    .write_all(b"235 2.7.0 Authentication successful\r\n")
                    .await?;
            } else {
                stream
                    .write_all(b"535 5.7.8 Authentication credentials invalid\r\n")
                    .await?;
            }
        } else if upper.starts_with("MAIL FROM:") {
            if shared.mode == Mode::StartTls && !tls {
                stream
                    .write_all(b"530 5.7.0 Must issue a STARTTLS command first\r\n")
                    .await?;
                continue;
            }
            if needs_auth && login.is_none() {
                stream
                    .write_all(b"530 5.7.0 Authentication required\r\n")
                    .await?;
                continue;
            }
            from = address(&cmd[10..]);
            to.clear();
            stream.write_all(b"250 2.1.0 OK\r\n").await?;
        } else if upper.starts_with("RCPT TO:") {
            to.push(address(&cmd[8..]));
            stream.write_all(b"250 2.1.5 OK\r\n").await?;
        } else if upper == "DATA" {
            stream
                .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                .await?;
            let mut data = String::new();
            loop {
                line.clear();
                if stream.read_line(&mut line).await? == 0 {
                    return Ok(None);
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let l = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(l);
            }
            shared
                .messages
                .lock()
                .expect("sink lock")
                .push(ReceivedMail {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                    tls,
                    login: login.clone(),
                });
            stream.write_all(b"250 2.0.0 Queued\r\n").await?;
        } else if upper == "RSET" {
            to.clear();
            stream.write_all(b"250 OK\r\n").await?;
        } else if upper == "NOOP" {
            stream.write_all(b"250 OK\r\n").await?;
        } else if upper == "QUIT" {
            stream.write_all(b"221 Bye\r\n").await?;
            return Ok(None);
        } else {
            stream.write_all(b"502 Command not implemented\r\n").await?;
        }
    }
}

async fn read_line<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut BufReader<S>,
) -> std::io::Result<String> {
    let mut l = String::new();
    stream.read_line(&mut l).await?;
    Ok(l.trim_end().to_owned())
}

fn decode(b64: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

fn address(s: &str) -> String {
    let s = s.trim();
    let inner = s
        .split_once('<')
        .and_then(|(_, r)| r.split_once('>'))
        .map_or(s, |(a, _)| a);
    inner.to_owned()
}
