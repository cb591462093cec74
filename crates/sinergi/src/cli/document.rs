//! `sinergi document render` and `sinergi verify`.

use crate::settings::Settings;
use anyhow::Context as _;
use secrecy::ExposeSecret as _;
use sinergi_documents::DocumentKind;
use sinergi_domain::ids::CaseId;
use sinergi_store::{FileStore, LocalFileStore, S3FileStore, S3Settings, Store};
use sinergi_web::DocumentSettings;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// The document settings of the server and the commands, from the typed settings.
///
/// # Errors
/// An unknown file backend.
pub fn document_settings(settings: &Settings) -> anyhow::Result<DocumentSettings> {
    let d = &settings.documents;
    let files: Arc<dyn FileStore> = match d.file_backend.as_str() {
        "local" => Arc::new(LocalFileStore::new(
            d.files_dir
                .clone()
                .unwrap_or_else(|| settings.data_dir.join("files")),
        )),
        "s3" => {
            let Some(s3) = &d.s3 else {
                anyhow::bail!(
                    "documents.file_backend = \"s3\" memerlukan bagian [documents.s3] (bucket, access_key_id, secret_access_key, endpoint) — the s3 backend needs a [documents.s3] section"
                );
            };
            Arc::new(
                S3FileStore::new(&S3Settings {
                    endpoint: s3.endpoint.clone(),
                    bucket: s3.bucket.clone(),
                    region: s3.region.clone(),
                    access_key_id: s3.access_key_id.clone(),
                    secret_access_key: secrecy::SecretString::from(
                        s3.secret_access_key.expose_secret().to_owned(),
                    ),
                    prefix: s3.prefix.clone(),
                    allow_http: s3.allow_http,
                    timeout: std::time::Duration::from_secs(s3.timeout_seconds.max(1)),
                })
                .map_err(|e| anyhow::anyhow!("[documents.s3] tidak valid (invalid): {e}"))?,
            )
        }
        other => anyhow::bail!(
            "documents.file_backend tidak dikenal: {other} (unknown file backend; use \"local\" or \"s3\")"
        ),
    };
    Ok(DocumentSettings {
        files,
        max_upload_bytes: d.max_upload_bytes,
        upload_limits: settings.limits.upload(d.max_upload_bytes),
        public_url: d.public_url.clone(),
        signing_secret: d
            .signing_secret
            .as_ref()
            .map(|s| secrecy::SecretString::from(s.expose_secret().to_owned())),
    })
}

/// Renders the document of `kind` of a case to `output` (.pdf or .docx).
pub async fn render(
    store: &Store,
    settings: &Settings,
    case: &str,
    kind: &str,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    let kind = DocumentKind::parse(kind).with_context(|| {
        format!(
            "jenis naskah tidak dikenal: {kind} (use kb, pks, addendum, penawaran or berita-acara)"
        )
    })?;
    let case_id: CaseId = case
        .parse::<uuid::Uuid>()
        .map(CaseId)
        .with_context(|| format!("ID kerja sama tidak valid: {case}"))?;
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let docs = Arc::new(document_settings(settings)?);
    let app = sinergi_app::App::new(
        store.clone(),
        Arc::new(sinergi_domain::clock::SystemClock),
        docs.clone(),
    );
    let doc = app
        .doc_ref(sinergi_app::DocTarget {
            case_id,
            kind,
            agreement: None,
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = match ext.as_deref() {
        Some("pdf") => store
            .document_pdf(doc, &docs.context())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?,
        Some("docx") => {
            let doc = store
                .build_document(doc, &docs.public_url)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            sinergi_documents::docx::render(&doc)?
        }
        _ => anyhow::bail!(
            "berkas keluaran harus berakhiran .pdf atau .docx: {} (output must end in .pdf or .docx)",
            output.display()
        ),
    };
    std::fs::write(output, &bytes)
        .with_context(|| format!("menulis {} (writing)", output.display()))?;
    println!(
        "{} ditulis: {} ({} bita).",
        kind.label_id(),
        output.display(),
        bytes.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Finds the verification code a final PDF carries in its metadata, if readable.
fn embedded_code(bytes: &[u8]) -> Option<String> {
    let marker = b"kode-verifikasi:";
    let at = bytes.windows(marker.len()).position(|w| w == marker)? + marker.len();
    let code: String = bytes[at..]
        .iter()
        .take(19)
        .map(|b| char::from(*b))
        .collect();
    (code.len() == 19 && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some(code)
}

/// Verifies a PDF: who signed, when, in what capacity, and whether the file is unchanged.
/// Exit code 0 only for an unchanged file with every signature valid.
pub async fn verify(store: &Store, file: &Path, code: Option<&str>) -> anyhow::Result<ExitCode> {
    let bytes =
        std::fs::read(file).with_context(|| format!("membaca {} (reading)", file.display()))?;
    let sha = sinergi_documents::sign::sha256_hex(&bytes);
    let code = code.map(str::to_owned).or_else(|| embedded_code(&bytes));
    let report = store
        .verify_document(code.as_deref(), Some(&sha))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let Some(r) = report else {
        println!(
            "TIDAK DIKENAL: berkas ini (SHA-256 {sha}) bukan naskah final yang diterbitkan Sinergi."
        );
        println!("UNKNOWN: this file is not a final document issued by Sinergi.");
        return Ok(ExitCode::from(2));
    };
    println!("Naskah   : {} (versi {})", r.title, r.version);
    println!("Kode     : {}", r.code);
    println!("SHA-256  : {} (diterbitkan / issued)", r.pdf_sha256);
    let unchanged = r.file_unchanged == Some(true);
    if unchanged {
        println!("Berkas   : UTUH — sama persis dengan naskah yang diterbitkan (unchanged).");
    } else {
        println!(
            "Berkas   : BERUBAH — SHA-256 berkas ini {sha} berbeda dari yang diterbitkan (CHANGED)."
        );
    }
    if r.signatures.is_empty() {
        println!("Tanda tangan elektronik: belum ada (no electronic signatures yet).");
    }
    for s in &r.signatures {
        println!(
            "Ditandatangani: {} — {} — {} UTC — {} ({})",
            s.signer_name,
            s.capacity,
            s.signed_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            if s.valid {
                "SAH / valid"
            } else {
                "TIDAK SAH / invalid"
            },
            s.scheme
        );
    }
    let ok = unchanged && r.signatures.iter().all(|s| s.valid);
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_the_embedded_code() {
        assert_eq!(
            super::embedded_code(b"xx kode-verifikasi:ABCD-EFGH-JKMN-PQRS) yy").as_deref(),
            Some("ABCD-EFGH-JKMN-PQRS")
        );
        assert_eq!(super::embedded_code(b"nothing"), None);
    }
}
