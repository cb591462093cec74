//! Electronic signatures: one sealed Ed25519 key per official, the signed statement, and the
//! public verification of a final document by its code or its file.

use super::{DocRef, DocumentContext, SigRow, SignatureInfo, VerificationReport, random, refuse};
use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_documents::DocumentKind;
use sinergi_documents::sign::{self, Ed25519Signer, Signer as _, Statement};
use sinergi_domain::access::Actor;
use sinergi_domain::ids::CaseId;
use sinergi_domain::official::Official;
use time::OffsetDateTime;
use uuid::Uuid;

impl Store {
    /// Records the electronic signature of `official` for party `party` on the final PDF.
    /// The caller presents the SHA-256 of the file it signs; a different file is refused.
    /// Who may sign (the official's own account, the signatory rule) is the application
    /// layer's check, made before this is called.
    ///
    /// # Errors
    /// No final version; a different file; a party already signed.
    #[allow(
        clippy::too_many_arguments,
        reason = "the request's parts plus actor and time"
    )]
    pub async fn sign_document(
        &self,
        doc: DocRef,
        official: &Official,
        party: u16,
        presented_sha256: &str,
        ctx: &DocumentContext<'_>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<SignatureInfo, StoreError> {
        let case_id = doc.case_id;
        let kind = doc.kind;
        let (d, v) = self.final_version(doc).await?;
        let (Some(sha), Some(code)) = (v.pdf_sha256.clone(), v.verification_code.clone()) else {
            return Err(StoreError::Inconsistent("final version without file"));
        };
        if !presented_sha256.eq_ignore_ascii_case(sha.as_str()) {
            return Err(refuse(
                "document.signature_other_file",
                format!(
                    "Tanda tangan ditolak: berkas yang ditandatangani (SHA-256 {presented_sha256}) bukan naskah final versi {} (SHA-256 {sha}).",
                    v.number
                ),
                format!(
                    "Signature refused: the signed file (SHA-256 {presented_sha256}) is not the final version {} (SHA-256 {sha}).",
                    v.number
                ),
            ));
        }
        let role = sinergi_domain::case::party_role(party);
        let key = self.signing_key(official, ctx, now).await?;
        let statement = Statement {
            sha256: sha.clone(),
            code: code.clone(),
            signer: official.id.to_string(),
            name: official.name.clone(),
            capacity: format!("{} — {role}", official.title()),
            signed_at: now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        };
        let signature = key.1.sign(&statement)?;
        let info = SignatureInfo {
            party_ordinal: i64::from(party),
            official_id: official.id.0,
            signer_name: official.name.clone(),
            capacity: statement.capacity.clone(),
            scheme: key.1.scheme().to_owned(),
            signed_at: now,
            public_key: sign::hex(&key.1.public_key()),
            valid: true,
        };
        let mut h = HistoryEntry::new(case_id, actor, "document_signed", now);
        h.details = serde_json::json!({ "kind": kind, "version": v.number, "official": official.id, "party": party, "sha256": sha });
        let res: Result<(), StoreError> = on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let ins = sqlx::query("INSERT INTO document_signatures (id, draft_id, version, party_ordinal, official_id, key_id, scheme, pdf_sha256, code, signer_name, capacity, signed_at, signature, user_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
                .bind(Uuid::now_v7()).bind(d.id).bind(v.number).bind(i64::from(party)).bind(official.id.0).bind(key.0)
                .bind(key.1.scheme()).bind(&sha).bind(&code).bind(&official.name).bind(&statement.capacity).bind(now).bind(&signature)
                .bind(actor.user_id)
                .execute(&mut *tx).await;
            match ins {
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(refuse(
                    "document.party_already_signed",
                    format!("{role} sudah menandatangani versi {}.", v.number),
                    format!("{role} has already signed version {}.", v.number),
                )),
                Err(e) => Err(e.into()),
                Ok(_) => {
                    insert_history!(tx, &h)?;
                    append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
                    tx.commit().await?;
                    Ok(())
                }
            }
        });
        res?;
        Ok(info)
    }

    /// The official's signing key, generated (and stored sealed) on first use.
    pub(super) async fn signing_key(
        &self,
        official: &Official,
        ctx: &DocumentContext<'_>,
        now: OffsetDateTime,
    ) -> Result<(Uuid, Ed25519Signer), StoreError> {
        #[derive(sqlx::FromRow)]
        struct KeyRow {
            id: Uuid,
            sealed_private: Vec<u8>,
        }
        let row: Option<KeyRow> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, sealed_private FROM signing_keys WHERE official_id = $1").bind(official.id.0).fetch_optional(p).await?
        });
        if let Some(r) = row {
            let s =
                Ed25519Signer::unseal(ctx.signing_secret, &r.id.to_string(), &r.sealed_private)?;
            return Ok((r.id, s));
        }
        let id = Uuid::now_v7();
        let signer = Ed25519Signer::from_seed(random());
        let sealed = signer.seal(ctx.signing_secret, &id.to_string(), random());
        on_pool!(&self.db, p => {
            sqlx::query("INSERT INTO signing_keys (id, official_id, scheme, public_key, sealed_private, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (official_id) DO NOTHING")
                .bind(id).bind(official.id.0).bind(sign::ED25519).bind(signer.public_key()).bind(&sealed).bind(now)
                .execute(p).await?;
        });
        // A concurrent first signature may have stored its key first: use the stored one.
        Box::pin(self.signing_key_existing(official, ctx)).await
    }

    pub(super) async fn signing_key_existing(
        &self,
        official: &Official,
        ctx: &DocumentContext<'_>,
    ) -> Result<(Uuid, Ed25519Signer), StoreError> {
        let (id, sealed): (Uuid, Vec<u8>) = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, sealed_private FROM signing_keys WHERE official_id = $1").bind(official.id.0).fetch_one(p).await?
        });
        let s = Ed25519Signer::unseal(ctx.signing_secret, &id.to_string(), &sealed)?;
        Ok((id, s))
    }

    /// Verifies a final document by its code, or by the SHA-256 of a presented file. When a
    /// file is presented with a code, says whether it is byte for byte the issued file.
    ///
    /// # Errors
    /// Database errors. An unknown code or hash is `Ok(None)`.
    pub async fn verify_document(
        &self,
        code: Option<&str>,
        presented_sha256: Option<&str>,
    ) -> Result<Option<VerificationReport>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Found {
            draft_id: Uuid,
            case_id: Uuid,
            kind: String,
            number: i64,
            pdf_sha256: String,
            verification_code: String,
        }
        let code = code.map(sign::normalize_code);
        let found: Option<Found> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT v.draft_id, d.case_id, d.kind, v.number, v.pdf_sha256, v.verification_code FROM document_versions v \
                 JOIN document_drafts d ON d.id = v.draft_id \
                 WHERE v.final = $1 AND (v.verification_code = $2 OR v.pdf_sha256 = $3)",
            )
            .bind(true).bind(code.as_deref().unwrap_or("-")).bind(presented_sha256.unwrap_or("-"))
            .fetch_optional(p).await?
        });
        let Some(f) = found else { return Ok(None) };
        let kind = DocumentKind::parse(&f.kind)
            .ok_or_else(|| crate::rows::corrupt("document kind", &f.kind))?;
        let sigs: Vec<SigRow> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT s.party_ordinal, s.official_id, s.signer_name, s.capacity, s.scheme, s.signed_at, s.pdf_sha256, s.code, s.signature, k.public_key \
                 FROM document_signatures s JOIN signing_keys k ON k.id = s.key_id WHERE s.draft_id = $1 AND s.version = $2 ORDER BY s.party_ordinal",
            )
            .bind(f.draft_id).bind(f.number).fetch_all(p).await?
        });
        let case = self.get_case(CaseId(f.case_id)).await?;
        let title = self
            .list_agreements(case.id)
            .await?
            .into_iter()
            .rev()
            .find(|a| kind.agreement_kind() == Some(a.kind))
            .map_or_else(
                || format!("{} — {}", kind.label_id(), case.title),
                |a| a.title,
            );
        let signatures = sigs
            .into_iter()
            .map(|s| {
                let statement = Statement {
                    sha256: s.pdf_sha256.clone(),
                    code: s.code.clone(),
                    signer: s.official_id.to_string(),
                    name: s.signer_name.clone(),
                    capacity: s.capacity.clone(),
                    signed_at: s
                        .signed_at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                };
                SignatureInfo {
                    party_ordinal: s.party_ordinal,
                    official_id: s.official_id,
                    signer_name: s.signer_name,
                    capacity: s.capacity,
                    scheme: s.scheme,
                    signed_at: s.signed_at,
                    public_key: sign::hex(&s.public_key),
                    valid: s.pdf_sha256 == f.pdf_sha256
                        && sign::verify(&s.public_key, &statement, &s.signature),
                }
            })
            .collect();
        Ok(Some(VerificationReport {
            code: f.verification_code,
            case_id: CaseId(f.case_id),
            kind,
            version: f.number,
            title,
            file_unchanged: presented_sha256.map(|h| h.eq_ignore_ascii_case(&f.pdf_sha256)),
            pdf_sha256: f.pdf_sha256,
            signatures,
        }))
    }
}
