//! End to end in a real browser: Debian's chromium through chromedriver, against the app
//! served over HTTP. Never skipped in CI (`CI` set): a missing browser fails there; locally
//! the tests skip with a note when chromium or chromedriver is not installed.

use sinergi_test_support::{Browser, TestApp};

/// A browser, or `None` (skip) when none is installed outside CI.
pub(crate) async fn browser() -> Option<Browser> {
    if !Browser::available() {
        let missing: Vec<String> = [Browser::chromium_path(), Browser::chromedriver_path()]
            .iter()
            .filter(|p| !p.is_file())
            .map(|p| p.display().to_string())
            .collect();
        let missing = missing.join(", ");
        assert!(
            std::env::var("CI").is_err(),
            "browser tests may not be skipped in CI: {missing} missing \
             (apt-get install chromium chromium-driver)"
        );
        eprintln!("skipped: {missing} missing (apt-get install chromium chromium-driver)");
        return None;
    }
    Some(Browser::start().await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_browser_reads_the_founding_case_from_the_api() {
    let Some(browser) = browser().await else {
        return;
    };
    let app = TestApp::sqlite().await;
    app.store.load_founding_case(app.now()).await.unwrap();
    let base = app.serve().await;
    let id = sinergi_domain::demo::FOUNDING_CASE_ID;
    assert_eq!(id.to_string(), "017fb939-1400-7000-8000-000000006251");

    browser.goto(&format!("{base}/api/v1/cases/{id}")).await;
    let source = browser.page_source().await;
    assert!(source.contains("Kalimantan Tengah"), "{source}");
    assert!(source.contains("KB_DITANDATANGANI"), "{source}");
    assert!(browser.current_url().await.starts_with(&base));
    let shot = browser.screenshot("api-founding-case").await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 0);
    browser.close().await;
}
