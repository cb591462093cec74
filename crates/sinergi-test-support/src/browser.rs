//! A real browser for end-to-end tests: Debian's `chromium`, driven over WebDriver by its
//! `chromedriver` (packages `chromium` and `chromium-driver`) through fantoccini.
//!
//! Every [`Browser`] starts its own `chromedriver` on a free port and one headless session,
//! so tests run in parallel. The binaries are `/usr/bin/chromedriver` and `/usr/bin/chromium`
//! unless the `CHROMEDRIVER` and `CHROMIUM` environment variables name others. Screenshots
//! (asked for, or taken when a step fails) go to `<workspace>/artifacts/screenshots/`.
//!
//! The helpers panic with the selector, the page's URL and a screenshot's path: a browser
//! test fails loudly, at the step that went wrong.

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, TimeoutConfiguration};
use fantoccini::{Client, ClientBuilder, Locator};
use http_body_util::BodyExt;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// The environment variable naming the `chromedriver` binary.
pub const CHROMEDRIVER_ENV: &str = "CHROMEDRIVER";
/// The environment variable naming the `chromium` binary.
pub const CHROMIUM_ENV: &str = "CHROMIUM";

const DEFAULT_CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// How long `chromedriver` may take to answer `/status` with `ready`.
const DRIVER_READY: Duration = Duration::from_secs(10);
/// How long [`Browser::wait_for`] waits for an element.
const ELEMENT_WAIT: Duration = Duration::from_secs(10);
/// The page-load and script timeouts of the session.
const PAGE_LOAD: Duration = Duration::from_secs(30);

/// The arguments chromium runs with: headless, no sandbox (CI runs as root in a container),
/// no network of its own, a fixed window and the Indonesian locale.
const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
    "--window-size=1280,900",
    "--lang=id-ID",
];

/// Numbers the screenshots taken on failure.
static FAILURES: AtomicU32 = AtomicU32::new(0);

/// One headless chromium session and the `chromedriver` serving it.
pub struct Browser {
    client: Client,
    driver: Child,
    artifacts: PathBuf,
    port: u16,
}

impl Browser {
    /// The `chromedriver` binary: `$CHROMEDRIVER`, else `/usr/bin/chromedriver`.
    pub fn chromedriver_path() -> PathBuf {
        binary(CHROMEDRIVER_ENV, DEFAULT_CHROMEDRIVER)
    }

    /// The `chromium` binary: `$CHROMIUM`, else `/usr/bin/chromium`.
    pub fn chromium_path() -> PathBuf {
        binary(CHROMIUM_ENV, DEFAULT_CHROMIUM)
    }

    /// Whether both `chromedriver` and `chromium` are installed.
    pub fn available() -> bool {
        Self::chromedriver_path().is_file() && Self::chromium_path().is_file()
    }

    /// `<workspace>/artifacts`, where screenshots go.
    pub fn artifacts_dir() -> PathBuf {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        root.canonicalize()
            .unwrap_or_else(|_| root.to_path_buf())
            .join("artifacts")
    }

    /// Starts `chromedriver` on a free port and opens a headless chromium session on it.
    ///
    /// Panics when a binary is missing, `chromedriver` is not ready within 10 s, or the
    /// session cannot be created.
    pub async fn start() -> Browser {
        let driver_bin = Self::chromedriver_path();
        let chromium = Self::chromium_path();
        assert!(
            driver_bin.is_file() && chromium.is_file(),
            "browser tests need {} and {} (Debian: apt-get install chromium chromium-driver; \
             or set {CHROMEDRIVER_ENV} / {CHROMIUM_ENV})",
            driver_bin.display(),
            chromium.display(),
        );

        // The free port may be taken by someone else before chromedriver binds it: then it
        // exits at once, and another port is tried.
        let mut tries = 0;
        let (mut driver, port) = loop {
            tries += 1;
            let port = free_port();
            let mut driver = spawn_driver(&driver_bin, port);
            match wait_until_ready(&mut driver, port).await {
                Ok(()) => break (driver, port),
                Err(NotReady::Exited(_)) if tries < 3 => {}
                Err(NotReady::Exited(why) | NotReady::Other(why)) => {
                    stop(&mut driver);
                    panic!(
                        "{} on port {port} did not become ready: {why}",
                        driver_bin.display()
                    );
                }
            }
        };

        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".to_owned(),
            json!({
                "binary": chromium,
                "args": CHROMIUM_ARGS,
                // `--lang` alone leaves `navigator.language` and `Accept-Language` at en-US
                // on Linux; this preference sets both.
                "prefs": { "intl.accept_languages": "id-ID,id" },
            }),
        );
        let connected = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await;
        let client = match connected {
            Ok(c) => c,
            Err(e) => {
                stop(&mut driver);
                panic!(
                    "chromedriver could not start a session of {}: {e}",
                    chromium.display()
                );
            }
        };
        let browser = Browser {
            client,
            driver,
            artifacts: Self::artifacts_dir(),
            port,
        };
        let timeouts = TimeoutConfiguration::new(Some(PAGE_LOAD), Some(PAGE_LOAD), None);
        if let Err(e) = browser.client.update_timeouts(timeouts).await {
            panic!("could not set the session's timeouts: {e}");
        }
        browser
    }

    /// The fantoccini client, for what the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The port `chromedriver` listens on.
    pub fn driver_port(&self) -> u16 {
        self.port
    }

    /// Navigates to `url` and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        if let Err(e) = self.client.goto(url).await {
            let at = self.context().await;
            panic!("could not open {url}: {e}{at}");
        }
    }

    /// The element matching `css` now (no waiting: see [`Browser::wait_for`]).
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(el) => el,
            Err(e) => {
                let at = self.context().await;
                panic!("no element matches `{css}`: {e}{at}");
            }
        }
    }

    /// Every element matching `css` now (none is not an error).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
    }

    /// Waits (up to 10 s) for an element matching `css` and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(ELEMENT_WAIT)
            .every(Duration::from_millis(50))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(el) => el,
            Err(e) => {
                let at = self.context().await;
                panic!("no element matched `{css}` within {ELEMENT_WAIT:?}: {e}{at}");
            }
        }
    }

    /// The rendered text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        let el = self.find(css).await;
        match el.text().await {
            Ok(t) => t,
            Err(e) => {
                let at = self.context().await;
                panic!("could not read the text of `{css}`: {e}{at}");
            }
        }
    }

    /// Clears the field matching `css` and types `value` into it.
    pub async fn fill(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        let typed = match el.clear().await {
            Ok(()) => el.send_keys(value).await,
            Err(e) => Err(e),
        };
        if let Err(e) = typed {
            let at = self.context().await;
            panic!("could not fill `{css}` with {value:?}: {e}{at}");
        }
    }

    /// Chooses the `<option value="{value}">` of the `<select>` matching `css`.
    pub async fn select(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        if let Err(e) = el.select_by_value(value).await {
            let at = self.context().await;
            panic!("could not select {value:?} in `{css}`: {e}{at}");
        }
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        if let Err(e) = el.click().await {
            let at = self.context().await;
            panic!("could not click `{css}`: {e}{at}");
        }
    }

    /// Submits the form matching `form_css` as a user would: by clicking its first submit
    /// button, or, when it has none, through `requestSubmit()` (validation and submit
    /// handlers still run).
    pub async fn submit(&self, form_css: &str) {
        let form = match self.client.form(Locator::Css(form_css)).await {
            Ok(f) => f,
            Err(e) => {
                let at = self.context().await;
                panic!("no form matches `{form_css}`: {e}{at}");
            }
        };
        let submitted = match form.submit().await {
            Err(e) if e.is_no_such_element() => {
                let el = self.find(form_css).await;
                let arg = match serde_json::to_value(&el) {
                    Ok(v) => v,
                    Err(e) => panic!("could not pass `{form_css}` to a script: {e}"),
                };
                self.client
                    .execute("arguments[0].requestSubmit()", vec![arg])
                    .await
                    .map(|_| ())
            }
            other => other,
        };
        if let Err(e) = submitted {
            let at = self.context().await;
            panic!("could not submit `{form_css}`: {e}{at}");
        }
    }

    /// The URL of the page shown.
    pub async fn current_url(&self) -> String {
        match self.client.current_url().await {
            Ok(u) => u.to_string(),
            Err(e) => panic!("could not read the current URL: {e}"),
        }
    }

    /// The page's current DOM, serialized.
    pub async fn page_source(&self) -> String {
        match self.client.source().await {
            Ok(s) => s,
            Err(e) => {
                let at = self.context().await;
                panic!("could not read the page source: {e}{at}");
            }
        }
    }

    /// Saves a PNG of the viewport as `<workspace>/artifacts/screenshots/{name}.png` and
    /// returns its path. `name` is a file stem: no path separators.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        assert!(
            !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..",
            "a screenshot's name is a file stem, not {name:?}"
        );
        match self.save_screenshot(name).await {
            Ok(path) => path,
            Err(e) => panic!("could not save the screenshot {name:?}: {e}"),
        }
    }

    /// Ends the session (chromium exits) and stops `chromedriver`.
    pub async fn close(mut self) {
        let closed = self.client.clone().close().await;
        stop(&mut self.driver);
        if let Err(e) = closed {
            panic!("could not close the browser session: {e}");
        }
    }

    async fn save_screenshot(&self, name: &str) -> Result<PathBuf, String> {
        let png = self.client.screenshot().await.map_err(|e| e.to_string())?;
        let dir = self.artifacts.join("screenshots");
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = dir.join(format!("{name}.png"));
        tokio::fs::write(&path, png)
            .await
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }

    /// Where the browser is, and a screenshot of it, for a failure's message.
    async fn context(&self) -> String {
        let url = self
            .client
            .current_url()
            .await
            .map_or_else(|e| format!("(unknown: {e})"), |u| u.to_string());
        let n = FAILURES.fetch_add(1, Ordering::Relaxed);
        let shot = match self
            .save_screenshot(&format!("failure-{}-{n}", std::process::id()))
            .await
        {
            Ok(p) => p.display().to_string(),
            Err(e) => format!("(none: {e})"),
        };
        format!("\n  at: {url}\n  screenshot: {shot}")
    }
}

impl Drop for Browser {
    /// A test that panicked never reached [`Browser::close`]: stop `chromedriver` (and the
    /// chromium it started) all the same.
    fn drop(&mut self) {
        stop(&mut self.driver);
    }
}

fn binary(env: &str, default: &str) -> PathBuf {
    std::env::var_os(env)
        .filter(|v| !v.is_empty())
        .map_or_else(|| PathBuf::from(default), PathBuf::from)
}

/// A port nobody listens on (the OS picks it; released for `chromedriver` to take).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

fn spawn_driver(bin: &Path, port: u16) -> Child {
    let mut cmd = Command::new(bin);
    cmd.arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Its own process group, so that `stop` ends the chromium it starts too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    cmd.spawn()
        .unwrap_or_else(|e| panic!("could not start {}: {e}", bin.display()))
}

/// Why `chromedriver` is not ready.
enum NotReady {
    /// It exited (a port already taken, a broken install).
    Exited(String),
    /// It did not answer `ready` in time, or could not be checked on.
    Other(String),
}

/// Polls `GET /status` every 50 ms until `chromedriver` reports `"ready": true`, for at most
/// 10 s.
async fn wait_until_ready(driver: &mut Child, port: u16) -> Result<(), NotReady> {
    let deadline = tokio::time::Instant::now() + DRIVER_READY;
    let mut last = String::from("no answer");
    loop {
        match driver.try_wait() {
            Ok(Some(status)) => return Err(NotReady::Exited(format!("it exited ({status})"))),
            Ok(None) => {}
            Err(e) => return Err(NotReady::Other(format!("could not check on it: {e}"))),
        }
        match tokio::time::timeout_at(deadline, status(port)).await {
            Ok(Ok(body)) if body.contains("\"ready\":true") => return Ok(()),
            Ok(Ok(body)) => last = format!("not ready: {body}"),
            Ok(Err(e)) => last = e,
            Err(_) => {}
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(NotReady::Other(format!(
                "gave up after {DRIVER_READY:?} ({last})"
            )));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The body of `GET /status`.
async fn status(port: u16) -> Result<String, String> {
    let http = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
        .build::<_, String>(HttpConnector::new());
    let uri = format!("http://127.0.0.1:{port}/status")
        .parse()
        .map_err(|e| format!("{e}"))?;
    let response = http.get(uri).await.map_err(|e| e.to_string())?;
    let body = response
        .into_body()
        .collect()
        .await
        .map_err(|e| e.to_string())?
        .to_bytes();
    Ok(String::from_utf8_lossy(&body).split_whitespace().collect())
}

/// Kills `chromedriver` and its process group (the chromium it started), then reaps it.
fn stop(driver: &mut Child) {
    if !matches!(driver.try_wait(), Ok(None)) {
        return;
    }
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", driver.id())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = driver.kill();
    let _ = driver.wait();
}
