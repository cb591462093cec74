//! The other side hears of it (issue 13): every act that hands the case to the other party
//! or asks something of it — offer sent, reply, a comment on a clause, a text ready to sign,
//! a signature, a DPRD decision, a PKS proposed, an M&E form submitted — notifies the users
//! of that party whose work it is, once, in-app and by e-mail when SMTP is set, with an
//! absolute link to where they act.
//!
//! A notice is written after the act is stored; when it fails the act stands and the failure
//! is logged (the recipients still see the case in "Menunggu tindakan Anda").

use crate::{App, Caller};
use sinergi_domain::case::Case;
use sinergi_domain::region::RegionCode;
use sinergi_store::{ActNotice, Compose, Recipient};

/// What happened, with what the recipients are asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    OfferSent,
    Reply,
    Comment,
    ReadyToSign,
    Signed,
    DprdDecision,
    PksProposed,
    EvaluationSubmitted,
    /// Another step of the path that hands the case on (drafting started, activated, ended).
    Stage,
}

impl Event {
    fn kind(self) -> &'static str {
        match self {
            Self::OfferSent => "offer_sent",
            Self::Reply => "reply",
            Self::Comment => "comment",
            Self::ReadyToSign => "ready_to_sign",
            Self::Signed => "signed",
            Self::DprdDecision => "dprd_decision",
            Self::PksProposed => "pks_proposed",
            Self::EvaluationSubmitted => "evaluation_submitted",
            Self::Stage => "stage",
        }
    }

    /// Whose work it is on the receiving side.
    fn roles(self) -> &'static [&'static str] {
        match self {
            Self::OfferSent => &[
                "admin",
                "tkksd_chair",
                "kepala_daerah",
                "kepala_daerah_staff",
            ],
            Self::Reply | Self::Stage | Self::DprdDecision => &["admin", "tkksd_chair"],
            Self::Comment => &["admin", "tkksd_chair", "tkksd_member"],
            Self::ReadyToSign => &[
                "admin",
                "kepala_daerah",
                "kepala_daerah_staff",
                "authorized_official",
            ],
            Self::Signed => &["admin", "kepala_daerah", "kepala_daerah_staff"],
            Self::PksProposed => &["admin", "opd_implementer", "authorized_official"],
            Self::EvaluationSubmitted => &["admin", "opd_implementer"],
        }
    }

    /// The sentence of the notice: (title, what is asked), in Indonesian — the language of
    /// the letters between governments.
    fn text(self, from: &str, case: &str) -> (String, String) {
        match self {
            Self::OfferSent => (
                format!("Penawaran kerja sama dari {from}"),
                format!(
                    "{from} mengirim penawaran kerja sama \"{case}\". Mohon dikaji oleh TKKSD dan dijawab dengan surat jawaban."
                ),
            ),
            Self::Reply => (
                format!("Jawaban atas penawaran dari {from}"),
                format!("{from} telah menjawab penawaran kerja sama \"{case}\"."),
            ),
            Self::Comment => (
                format!("Komentar pasal dari {from}"),
                format!(
                    "{from} memberi komentar pada rancangan naskah \"{case}\". Mohon ditanggapi."
                ),
            ),
            Self::ReadyToSign => (
                "Naskah siap ditandatangani".to_owned(),
                format!(
                    "Naskah \"{case}\" telah difinalkan oleh {from} dan siap ditandatangani oleh para pihak."
                ),
            ),
            Self::Signed => (
                format!("{from} telah menandatangani"),
                format!("{from} telah menandatangani naskah \"{case}\"."),
            ),
            Self::DprdDecision => (
                format!("Keputusan DPRD {from}"),
                format!("Keputusan DPRD {from} atas kerja sama \"{case}\" telah dicatat."),
            ),
            Self::PksProposed => (
                format!("Rancangan PKS dari {from}"),
                format!(
                    "{from} mengusulkan Perjanjian Kerja Sama di bawah \"{case}\". Mohon dikaji dan dilengkapi."
                ),
            ),
            Self::EvaluationSubmitted => (
                format!("Formulir monev dari {from}"),
                format!(
                    "{from} mengajukan formulir monitoring dan evaluasi kerja sama \"{case}\"."
                ),
            ),
            Self::Stage => (
                format!("Tahap kerja sama diperbarui oleh {from}"),
                format!(
                    "{from} memperbarui tahap kerja sama \"{case}\". Lihat langkah berikutnya pada halaman kerja sama."
                ),
            ),
        }
    }
}

impl App {
    /// Notifies the other parties of `case` (or, with `everyone`, every party, for a text
    /// ready to sign) of an act by the caller. `discriminator` tells this event from others
    /// of its kind (a history id, a comment id, a version); `path` is where to act.
    pub(crate) async fn tell(
        &self,
        who: &Caller,
        case: &Case,
        event: Event,
        discriminator: &str,
        path: &str,
        everyone: bool,
    ) {
        let own = sinergi_domain::authority::own_party(&who.principal, case);
        let regions: Vec<RegionCode> = case
            .parties
            .iter()
            .filter(|p| everyone || Some(p.ordinal) != own.map(|o| o.ordinal))
            .filter_map(|p| p.region.clone())
            .collect();
        let from = own.map_or_else(|| "Sinergi".to_owned(), |p| p.short_name().to_owned());
        let (title, body) = event.text(&from, &case.title);
        let link = format!("{}{path}", self.documents.public_url.trim_end_matches('/'));
        let event_key = format!("{}:{}:{discriminator}", event.kind(), case.id);
        let result = async {
            let mut to = self
                .store
                .recipients(case.id, &regions, event.roles())
                .await?;
            to.retain(|r| Some(r.user_id) != who.principal.user_id);
            let letter = |r: &Recipient| {
                let text = format!(
                    "Yth. {},\n\n{body}\n\nBuka: {link}\n\nDemikian kami sampaikan. Atas perhatian Bapak/Ibu, kami ucapkan terima kasih.\n\nHormat kami,\nSinergi — sistem kerja sama daerah",
                    r.display_name
                );
                (format!("[Sinergi] {title}"), text)
            };
            self.store
                .deliver_act_notice(
                    &ActNotice {
                        case: case.id,
                        kind: event.kind(),
                        event_key: &event_key,
                        title: &title,
                        body: &body,
                        link: &link,
                    },
                    &to,
                    self.email_notices
                        .then_some(&letter as Compose<'_>),
                    self.now(),
                )
                .await
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, event = event.kind(), case = %case.id, "notice of an act not delivered");
        }
    }
}
