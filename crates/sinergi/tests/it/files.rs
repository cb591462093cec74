//! The file store on S3-compatible object storage: a real S3 server (moto) behind the
//! production client, with the same guarantees as local disk — content addressing, nothing
//! overwritten, damaged objects refused — and the documents flow running on it unchanged.

use crate::on_both;
use serde_json::json;
use sinergi_domain::demo::FOUNDING_CASE_ID;
use sinergi_store::{FileStore, S3FileStore, S3Settings};
use sinergi_test_support::{S3Server, TOKEN};
use std::sync::Arc;
use std::time::Duration;

const BUCKET: &str = "sinergi-berkas";

fn s3_store(endpoint: String) -> S3FileStore {
    S3FileStore::new(&S3Settings {
        endpoint: Some(endpoint),
        bucket: BUCKET.into(),
        region: "us-east-1".into(),
        access_key_id: sinergi_test_support::s3_server::ACCESS_KEY.into(),
        secret_access_key: "rahasia-uji".to_owned().into(),
        prefix: "/berkas/".into(),
        allow_http: true,
        timeout: Duration::from_secs(5),
    })
    .unwrap()
}

on_both! {
    async fn files_live_in_s3_compatible_storage_when_configured(app: TestApp) {
        let mut app = app;
        let server = S3Server::start().await;
        server.create_bucket(BUCKET);
        let s3 = s3_store(server.endpoint());

        // Content addressing, through the production client.
        let sha = s3.put(b"isi berkas").await.unwrap();
        assert_eq!(sha, sinergi_store::files::sha256_hex(b"isi berkas"));
        assert_eq!(s3.put(b"isi berkas").await.unwrap(), sha, "the same bytes, the same object");
        assert_eq!(s3.get(&sha).await.unwrap().unwrap(), b"isi berkas");
        assert_eq!(server.keys(BUCKET), vec![format!("berkas/{}/{}", &sha[..2], &sha[2..])]);
        assert!(s3.get(&sinergi_store::files::sha256_hex(b"lain")).await.unwrap().is_none());
        assert!(s3.get("../../rahasia").await.unwrap().is_none(), "only hashes name objects");

        // The documents flow, unchanged, on the bucket.
        app.use_file_store(Arc::new(s3));
        app.store.load_founding_case(app.now()).await.unwrap();
        let base = format!("/api/v1/cases/{FOUNDING_CASE_ID}/documents/kb");
        app.post(&base, &json!({})).await.assert_status(StatusCode::CREATED);
        let fin = app.post(&format!("{base}/finalize"), &json!({ "expected_version": 1 })).await;
        fin.assert_status(StatusCode::OK);
        let pdf_sha = fin.json()["pdf_sha256"].as_str().unwrap().to_owned();
        assert!(server.keys(BUCKET).contains(&format!("berkas/{}/{}", &pdf_sha[..2], &pdf_sha[2..])));
        let pdf = app.get_staff(&format!("{base}/pdf")).await;
        pdf.assert_status(StatusCode::OK);
        assert_eq!(sinergi_store::files::sha256_hex(&pdf.body), pdf_sha);
        let auth = format!("Bearer {TOKEN}");
        let scan = app.request(axum::http::Method::POST, &format!("{base}/wet-ink?party=1&file_name=scan.png&paraf=true&meterai=true&stempel=true"),
            Some(sinergi_test_support::PNG.to_vec()), &[("authorization", &auth), ("content-type", "image/png")]).await;
        scan.assert_status(StatusCode::CREATED);
        let png_sha = sinergi_store::files::sha256_hex(sinergi_test_support::PNG);
        assert!(server.keys(BUCKET).contains(&format!("berkas/{}/{}", &png_sha[..2], &png_sha[2..])));

        // An object altered behind Sinergi's back is refused, not served.
        server.overwrite(BUCKET, &format!("berkas/{}/{}", &pdf_sha[..2], &pdf_sha[2..]), b"%PDF-1.7 palsu");
        let damaged = app.get_staff(&format!("{base}/pdf")).await;
        assert!(damaged.status.is_server_error(), "{}", damaged.status);
        assert_ne!(damaged.body, b"%PDF-1.7 palsu");

        // Storage down: the upload is refused with an error and nothing is recorded.
        drop(server);
        app.use_file_store(Arc::new(s3_store(format!("http://127.0.0.1:{}", free_port()))));
        let down = app.request(axum::http::Method::POST, &format!("{base}/wet-ink?party=1&file_name=scan2.png&paraf=true"),
            Some(sinergi_test_support::PNG.to_vec()), &[("authorization", &auth), ("content-type", "image/png")]).await;
        assert!(down.status.is_server_error(), "{}", down.status);
        assert_eq!(app.get_staff(&base).await.json()["wet_ink"].as_array().unwrap().len(), 1, "nothing recorded");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
