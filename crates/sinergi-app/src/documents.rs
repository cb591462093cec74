//! Agreement documents: drafting (shared), comments (each party's own), finalising, and the
//! evidence of signing — an electronic signature made by the signatory's own account, or a
//! wet-ink scan whose checklist the party's own admin validated. When the last party's
//! evidence arrives, the KB (or the PKS, the addendum) is signed: the stage follows from the
//! evidence.

use crate::notices::Event;
use crate::{App, AppError, Caller};
use sinergi_documents::DocumentKind;
use sinergi_domain::DomainError;
use sinergi_domain::access::Role;
use sinergi_domain::agreement::{
    AgreementAction, AgreementKind, AgreementStatus, AgreementTransitionRequest, instrument,
};
use sinergi_domain::authority::{self, Acting};
use sinergi_domain::case::{Case, Stage};
use sinergi_domain::ids::{AgreementId, CaseId, OfficialId};
use sinergi_domain::official::{Instrument, may_sign};
use sinergi_domain::workflow::{Action, TransitionRequest};
use sinergi_store::{
    CommentInfo, DocRef, DraftInfo, DraftOp, SignatureInfo, VersionInfo, WetInkInfo,
};
use uuid::Uuid;

/// Which document a request is about: the case, the kind, and for a PKS or an addendum the
/// agreement (optional when the case has exactly one of that kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocTarget {
    pub case_id: CaseId,
    pub kind: DocumentKind,
    pub agreement: Option<AgreementId>,
}

impl DocTarget {
    /// The document page's path, with `#anchor`.
    #[must_use]
    pub fn page(&self, anchor: &str) -> String {
        let query = self
            .agreement
            .map_or_else(String::new, |a| format!("?agreement={a}"));
        format!(
            "/kerja-sama/{}/dokumen/{}{query}#{anchor}",
            self.case_id,
            self.kind.as_str()
        )
    }
}

/// What signing (or validating a scan) came to.
#[derive(Debug, Clone)]
pub struct Signed<T> {
    pub record: T,
    /// The stage the case (or the status the agreement) reached because every party has
    /// now signed, when it moved.
    pub advanced: Option<String>,
    /// Why it did not move yet although every party signed (e.g. a number still missing).
    pub pending: Option<DomainError>,
}

/// The kind a request names (`kb`, `pks`, `addendum`, `penawaran`, `berita-acara`).
///
/// # Errors
/// `document.unknown_kind`, naming the kinds there are.
pub fn document_kind(s: &str) -> Result<DocumentKind, AppError> {
    DocumentKind::parse(s).ok_or_else(|| {
        DomainError::guard(
            "document.unknown_kind",
            format!(
                "Jenis naskah tidak dikenal: {s} (kb, pks, addendum, penawaran, berita-acara)."
            ),
            format!("Unknown document kind: {s} (kb, pks, addendum, penawaran, berita-acara)."),
        )
        .into()
    })
}

impl App {
    /// The stored document a target names. A PKS or an addendum is the text of one agreement:
    /// the one named, or the case's only one of that kind (with none yet, the template filled
    /// from the case, which can be read but not drafted).
    ///
    /// # Errors
    /// `document.agreement_choice` when it has several and none was named,
    /// `agreement.not_found` for another case's agreement.
    pub async fn doc_ref(&self, t: DocTarget) -> Result<DocRef, AppError> {
        if !matches!(t.kind, DocumentKind::Pks | DocumentKind::Addendum) {
            return Ok(DocRef::of_case(t.case_id, t.kind));
        }
        let wanted = t.kind.agreement_kind();
        let agreements = self.store.list_agreements(t.case_id).await?;
        let of_kind: Vec<_> = agreements
            .iter()
            .filter(|a| Some(a.kind) == wanted)
            .collect();
        let chosen = match t.agreement {
            Some(id) => of_kind
                .iter()
                .find(|a| a.id == id)
                .map(|a| a.id)
                .ok_or_else(|| DomainError::not_found("agreement", id))?,
            None => match of_kind.as_slice() {
                [one] => one.id,
                // No agreement of that kind yet: the template filled from the case, to read.
                [] => return Ok(DocRef::of_case(t.case_id, t.kind)),
                _ => {
                    return Err(DomainError::guard(
                        "document.agreement_choice",
                        format!(
                            "Kerja sama ini memiliki beberapa {}; pilih naskah yang dimaksud (parameter agreement).",
                            t.kind.label_id()
                        ),
                        format!(
                            "This case has several documents of kind {}; choose one (the agreement parameter).",
                            t.kind.as_str()
                        ),
                    )
                    .into());
                }
            },
        };
        Ok(DocRef {
            case_id: t.case_id,
            kind: t.kind,
            agreement: Some(chosen),
        })
    }

    /// The redline between two versions of a document: per clause, inserted and deleted words.
    ///
    /// # Errors
    /// An unknown version; database errors.
    pub async fn redline(
        &self,
        doc: DocRef,
        from: i64,
        to: i64,
    ) -> Result<Vec<sinergi_documents::redline::ClauseDiff>, AppError> {
        let versions = self
            .store
            .document_draft(doc)
            .await?
            .map(|(_, v)| v)
            .unwrap_or_default();
        let pick = |n: i64| {
            versions
                .iter()
                .find(|v| v.number == n)
                .map(VersionInfo::draft)
                .ok_or_else(|| AppError::from(DomainError::not_found("document_version", n)))
        };
        Ok(sinergi_documents::redline::redline(
            &pick(from)?,
            &pick(to)?,
        ))
    }

    async fn shared_doc(&self, who: &Caller, t: DocTarget) -> Result<(Case, DocRef), AppError> {
        let (case, unit) = self.case_for(t.case_id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_shared_content(),
            unit,
            None,
        )?;
        Ok((case, self.doc_ref(t).await?))
    }

    /// Starts a draft from its template (either party).
    ///
    /// # Errors
    /// The caller may not edit; a draft exists already.
    pub async fn start_draft(
        &self,
        who: &Caller,
        t: DocTarget,
    ) -> Result<(DraftInfo, VersionInfo), AppError> {
        let (_, doc) = self.shared_doc(who, t).await?;
        if matches!(doc.kind, DocumentKind::Pks | DocumentKind::Addendum) && doc.agreement.is_none()
        {
            return Err(DomainError::guard(
                "document.agreement_required",
                format!(
                    "Buat dahulu {} pada halaman kerja sama (data naskah: bidang, jangka waktu), lalu susun teksnya di sini.",
                    doc.kind.label_id()
                ),
                format!(
                    "First create the {} on the case page (its fields and term), then draft its text here.",
                    doc.kind.label_id()
                ),
            )
            .into());
        }
        Ok(self
            .store
            .start_document_draft(doc, &who.actor(), self.now())
            .await?)
    }

    /// Changes a clause: a new version (either party).
    ///
    /// # Errors
    /// The caller may not edit; a stale version; a locked (signed) text.
    pub async fn edit_draft(
        &self,
        who: &Caller,
        t: DocTarget,
        expected_version: i64,
        op: &DraftOp,
        note: Option<&str>,
    ) -> Result<VersionInfo, AppError> {
        let (_, doc) = self.shared_doc(who, t).await?;
        Ok(self
            .store
            .edit_document_draft(doc, expected_version, op, note, &who.actor(), self.now())
            .await?)
    }

    /// Comments on a clause for the caller's own party (`party` may only name it; the
    /// operator names the party it records for).
    ///
    /// # Errors
    /// `auth.not_your_act` for a comment on behalf of another party; an unknown clause.
    pub async fn comment(
        &self,
        who: &Caller,
        t: DocTarget,
        version: i64,
        clause_key: &str,
        party: Option<u16>,
        body: &str,
    ) -> Result<CommentInfo, AppError> {
        let (case, unit) = self.case_for(t.case_id, who).await?;
        let own = authority::own_party(&who.principal, &case).map(|p| p.ordinal);
        let Some(ordinal) = party.or(own) else {
            return Err(
                DomainError::Validation(vec![sinergi_domain::FieldError::required(
                    "party_ordinal",
                )])
                .into(),
            );
        };
        if case.party(ordinal).is_none() {
            return Err(DomainError::guard(
                "document.unknown_party",
                format!("Pihak nomor {ordinal} tidak ada dalam kerja sama ini."),
                format!("There is no party number {ordinal} in this case."),
            )
            .into());
        }
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_comment(ordinal),
            unit,
            None,
        )?;
        let doc = self.doc_ref(t).await?;
        let info = self
            .store
            .comment_document(
                doc,
                version,
                clause_key,
                i64::from(ordinal),
                body,
                &who.actor(),
                self.now(),
            )
            .await?;
        self.tell(
            who,
            &case,
            Event::Comment,
            &info.id.to_string(),
            &t.page("komentar"),
            false,
        )
        .await;
        Ok(info)
    }

    /// Finalises the latest version: the text the parties sign (either party's secretariat).
    ///
    /// # Errors
    /// The caller may not take steps; a stale version; missing sections.
    pub async fn finalize(
        &self,
        who: &Caller,
        t: DocTarget,
        expected_version: i64,
    ) -> Result<VersionInfo, AppError> {
        let (case, unit) = self.case_for(t.case_id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_agreement_step(&AgreementAction::Finalize),
            unit,
            None,
        )?;
        let doc = self.doc_ref(t).await?;
        let version = self
            .store
            .finalize_document(
                doc,
                expected_version,
                &self.documents.context(),
                &who.actor(),
                self.now(),
            )
            .await?;
        self.tell(
            who,
            &case,
            Event::ReadyToSign,
            &format!(
                "{}:{}:{}",
                t.kind.as_str(),
                doc.agreement.map(|a| a.to_string()).unwrap_or_default(),
                version.number
            ),
            &t.page("tanda-tangan"),
            true,
        )
        .await;
        Ok(version)
    }

    /// Signs the final PDF electronically as `official`: only that official's own account
    /// (linked to the official record) may; staff and admins prepare, they never sign for
    /// them. The signatory rule decides what the official may sign. When this was the last
    /// party's evidence, the document is signed and the case (or agreement) moves on.
    ///
    /// # Errors
    /// `document.sign_own_account_only`; the signatory rule's refusals; a different file; a
    /// party that signed already.
    pub async fn sign(
        &self,
        who: &Caller,
        t: DocTarget,
        official: OfficialId,
        sha256: &str,
    ) -> Result<Signed<SignatureInfo>, AppError> {
        let ctx = self.documents.signing_context()?;
        let (case, unit) = self.case_for(t.case_id, who).await?;
        let o = self
            .store
            .find_official(official)
            .await?
            .ok_or_else(|| DomainError::not_found("official", official))?;
        let Some(party) = case
            .parties
            .iter()
            .find(|p| p.region.as_ref() == Some(&o.region))
        else {
            return Err(DomainError::guard(
                "document.signatory_not_a_party",
                format!("{} bukan pejabat salah satu pihak.", o.name),
                format!("{} is not an official of any party.", o.name),
            )
            .into());
        };
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_signature(party.ordinal),
            unit,
            None,
        )?;
        let own_account = who.principal.official == Some(o.id.0)
            && (who.principal.has(Role::KepalaDaerah)
                || who.principal.has(Role::AuthorizedOfficial));
        if !own_account {
            return Err(DomainError::guard(
                "document.sign_own_account_only",
                format!(
                    "Tanda tangan elektronik {} dibuat melalui akun {} sendiri (akun yang ditautkan admin ke data pejabatnya). Staf dan admin menyiapkan naskah, tetapi tidak menandatangani atas nama pejabat; tanpa akun itu, gunakan pindaian naskah bertanda tangan basah.",
                    o.name, o.name
                ),
                format!(
                    "The electronic signature of {} is made through {}'s own account (the account the admin linked to the official's record). Staff and admins prepare the document but never sign for the official; without that account, use a wet-ink scan.",
                    o.name, o.name
                ),
            )
            .into());
        }
        let doc = self.doc_ref(t).await?;
        let rules = self.store.rules_of_case(&case).await?;
        let agreements = self.store.list_agreements(case.id).await?;
        let agreement = doc
            .agreement
            .and_then(|id| agreements.iter().find(|a| a.id == id))
            .or_else(|| {
                doc.kind
                    .agreement_kind()
                    .and_then(|k| agreements.iter().find(|a| a.kind == k))
            });
        let what = match doc.kind {
            DocumentKind::Penawaran => Instrument::Penawaran,
            DocumentKind::BeritaAcara => Instrument::Other,
            k => {
                let parent = agreement
                    .and_then(|a| a.parent)
                    .and_then(|p| agreements.iter().find(|a| a.id == p))
                    .map(|p| p.kind);
                instrument(k.agreement_kind().unwrap_or(AgreementKind::Kb), parent)
            }
        };
        // A surat kuasa counts only when one recorded for this document covers this official.
        let powers = match agreement {
            Some(a) => self.store.powers_of_attorney(a.id).await?,
            None => Vec::new(),
        };
        let today = sinergi_domain::clock::today(self.now());
        let power = agreement.is_some_and(|a| {
            a.parties
                .iter()
                .find(|p| p.ordinal == party.ordinal)
                .is_some_and(|p| {
                    p.signatory == Some(o.id)
                        && p.power_of_attorney.as_deref().is_some_and(|k| {
                            sinergi_domain::power_of_attorney::find(
                                &powers,
                                a.id,
                                &o.region,
                                k,
                                Some(o.id),
                                today,
                            )
                            .is_ok()
                        })
                })
        });
        may_sign(what, &o, power, &rules)?;
        let record = self
            .store
            .sign_document(
                doc,
                &o,
                party.ordinal,
                sha256,
                &ctx,
                &who.actor(),
                self.now(),
            )
            .await?;
        let acting = Acting {
            party: Some(party.ordinal),
            operator: false,
        };
        let (advanced, pending) = self.advance_after_signing(who, doc, &acting).await?;
        self.tell(
            who,
            &case,
            Event::Signed,
            &format!(
                "{}:{}:{}",
                t.kind.as_str(),
                doc.agreement.map(|a| a.to_string()).unwrap_or_default(),
                party.ordinal
            ),
            &t.page("tanda-tangan"),
            false,
        )
        .await;
        Ok(Signed {
            record,
            advanced,
            pending,
        })
    }

    /// Uploads the caller's own party's wet-ink scan of the final text with its checklist.
    ///
    /// # Errors
    /// `auth.not_your_act` for another party's scan; a wrong or oversized file; no final text.
    #[allow(clippy::too_many_arguments, reason = "the request's parts")]
    pub async fn upload_scan(
        &self,
        who: &Caller,
        t: DocTarget,
        party: Option<u16>,
        bytes: &[u8],
        file_name: Option<&str>,
        checklist: (bool, bool, bool),
    ) -> Result<WetInkInfo, AppError> {
        let (case, unit) = self.case_for(t.case_id, who).await?;
        let own = authority::own_party(&who.principal, &case).map(|p| p.ordinal);
        let Some(ordinal) = party.or(own) else {
            return Err(
                DomainError::Validation(vec![sinergi_domain::FieldError::required("party")]).into(),
            );
        };
        if case.party(ordinal).is_none() {
            return Err(DomainError::not_found("party", ordinal).into());
        }
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_scan(ordinal, false),
            unit,
            None,
        )?;
        let doc = self.doc_ref(t).await?;
        Ok(self
            .store
            .upload_wet_ink(
                doc,
                ordinal,
                bytes,
                file_name,
                checklist,
                &self.documents.context(),
                &who.actor(),
                self.now(),
            )
            .await?)
    }

    /// The party's own admin validates its wet-ink scan against the checklist. When this was
    /// the last party's evidence, the document is signed and the case (or agreement) moves.
    ///
    /// # Errors
    /// `auth.not_your_act` for another party's scan; `auth.forbidden` for anyone but an
    /// admin; an incomplete checklist.
    pub async fn validate_scan(
        &self,
        who: &Caller,
        t: DocTarget,
        scan: Uuid,
    ) -> Result<Signed<WetInkInfo>, AppError> {
        let (case, unit) = self.case_for(t.case_id, who).await?;
        let doc = self.doc_ref(t).await?;
        let scans = self.store.wet_ink_scans(doc).await?;
        let s = scans
            .iter()
            .find(|s| s.id == scan)
            .ok_or_else(|| DomainError::not_found("wet_ink_scan", scan))?;
        let ordinal = s
            .party_ordinal
            .and_then(|o| u16::try_from(o).ok())
            .unwrap_or(1);
        let acting = authority::authorize(
            &who.principal,
            &case,
            &authority::of_scan(ordinal, true),
            unit,
            None,
        )?;
        if !(who.principal.has(Role::Admin) || who.is_operator()) {
            return Err(DomainError::guard(
                "document.scan_validated_by_admin",
                "Daftar periksa pindaian divalidasi oleh admin Bagian Kerja Sama pihak itu sendiri.",
                "The scan's checklist is validated by the party's own cooperation office admin.",
            )
            .into());
        }
        let record = self
            .store
            .validate_wet_ink(doc, scan, &who.actor(), self.now())
            .await?;
        let acting = Acting {
            party: acting.party.or(Some(ordinal)),
            ..acting
        };
        let (advanced, pending) = self.advance_after_signing(who, doc, &acting).await?;
        self.tell(
            who,
            &case,
            Event::Signed,
            &format!(
                "{}:{}:{ordinal}",
                t.kind.as_str(),
                doc.agreement.map(|a| a.to_string()).unwrap_or_default()
            ),
            &t.page("tanda-tangan"),
            false,
        )
        .await;
        Ok(Signed {
            record,
            advanced,
            pending,
        })
    }

    /// Once every party's evidence is on the final text, signs the KB (the case moves to
    /// KB_DITANDATANGANI) or the PKS / addendum. A refusal (e.g. a number still missing) is
    /// not an error here: it is returned as `pending` for the page to show.
    async fn advance_after_signing(
        &self,
        who: &Caller,
        doc: DocRef,
        acting: &Acting,
    ) -> Result<(Option<String>, Option<DomainError>), AppError> {
        let Some(text) = self.store.final_text(doc).await? else {
            return Ok((None, None));
        };
        let case = self.store.get_case(doc.case_id).await?;
        let all_signed = case
            .government_parties()
            .all(|p| text.of(p.ordinal).is_some());
        if !all_signed {
            return Ok((None, None));
        }
        match doc.kind {
            DocumentKind::Kb if case.stage == Stage::KbFinal => {
                let req = TransitionRequest {
                    kajian: None,
                    expected_version: case.version,
                    note: Some(
                        "Semua pihak telah menandatangani naskah final; tercatat dari bukti tanda tangan."
                            .to_owned(),
                    ),
                    action: Action::SignKb,
                };
                let actor = self.step_actor(who, &case, &req.action, acting).await?;
                match self
                    .store
                    .transition(case.id, &req, acting, &actor, self.now())
                    .await
                {
                    Ok((c, _)) => Ok((Some(c.stage.as_str().to_owned()), None)),
                    Err(sinergi_store::StoreError::Domain(d)) => Ok((None, Some(d))),
                    Err(e) => Err(e.into()),
                }
            }
            DocumentKind::Pks | DocumentKind::Addendum => {
                let Some(id) = doc.agreement else {
                    return Ok((None, None));
                };
                let a = self.store.get_agreement(case.id, id).await?;
                let ready = match a.kind {
                    AgreementKind::Pks => a.status == AgreementStatus::MenungguTtd,
                    _ => a.status == AgreementStatus::Final,
                };
                if !ready {
                    return Ok((None, None));
                }
                let req = AgreementTransitionRequest {
                    expected_version: a.version,
                    note: Some("Semua pihak telah menandatangani naskah final.".to_owned()),
                    action: AgreementAction::Sign,
                };
                match self
                    .store
                    .transition_agreement(case.id, id, &req, true, &who.actor(), self.now())
                    .await
                {
                    Ok(a) => Ok((Some(a.status.as_str().to_owned()), None)),
                    Err(sinergi_store::StoreError::Domain(d)) => Ok((None, Some(d))),
                    Err(e) => Err(e.into()),
                }
            }
            _ => Ok((None, None)),
        }
    }
}
