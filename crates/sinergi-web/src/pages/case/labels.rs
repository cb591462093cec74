//! The words the case page shows for codes: meeting kinds, history actions, stages, note kinds.

use sinergi_domain::Lang;
use sinergi_domain::case::{Stage, TerminationReason};
use sinergi_domain::meeting::MeetingKind;

pub(crate) fn yes_no(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "ya",
        Some(false) => "tidak",
        None => "",
    }
}

pub(crate) fn kind_label(k: MeetingKind, lang: Lang) -> &'static str {
    match k {
        MeetingKind::Penjajakan => lang.pick("Penjajakan", "Exploration"),
        MeetingKind::KajianTkksd => lang.pick("Kajian TKKSD", "TKKSD review"),
        MeetingKind::Negosiasi => lang.pick("Pembahasan naskah", "Negotiation"),
        MeetingKind::Penandatanganan => lang.pick("Penandatanganan", "Signing ceremony"),
        MeetingKind::Koordinasi => lang.pick("Koordinasi", "Coordination"),
        MeetingKind::Monitoring => {
            lang.pick("Monitoring dan evaluasi", "Monitoring and evaluation")
        }
        MeetingKind::Lainnya => lang.pick("Pertemuan", "Meeting"),
    }
}

pub(crate) fn action_label(a: &str, lang: Lang) -> String {
    let (id, en) = match a {
        "create" => ("Kerja sama dibuka", "Case opened"),
        "submit" => ("Diajukan ke TKKSD", "Submitted to the TKKSD"),
        "start_review" => ("Kajian TKKSD dimulai", "TKKSD review started"),
        "recommend" => ("Rekomendasi TKKSD", "TKKSD recommendation"),
        "resubmit" => ("Diajukan kembali", "Resubmitted"),
        "kak_saved" => ("KAK disimpan", "KAK saved"),
        "central_approval" => (
            "Jawaban pemerintah pusat dicatat",
            "Central government's answer recorded",
        ),
        "telaahan_attached" => ("Telaahan staf dilampirkan", "Staff study attached"),
        "numbers_issued" => (
            "Nomor naskah diberikan dari register",
            "Document numbers issued from the register",
        ),
        "send_offer" => ("Penawaran dikirim", "Offer sent"),
        "mark_offer_delivered" => ("Penawaran diterima mitra", "Offer delivered"),
        "record_reply" => ("Jawaban mitra dicatat", "Partner's reply recorded"),
        "start_drafting" => ("Penyusunan KB dimulai", "Drafting started"),
        "finalize_kb" => ("Naskah KB final", "KB final"),
        "reopen_kb" => ("Naskah KB dibuka kembali", "KB reopened"),
        "sign_kb" => ("KB ditandatangani", "KB signed"),
        "record_signed" => ("KB yang telah ditandatangani dicatat", "Signed KB recorded"),
        "raise_dispute" => ("Perselisihan diajukan", "Dispute raised"),
        "escalate_dispute" => (
            "Perselisihan diajukan ke forum penyelesaian",
            "Dispute taken to the settlement forum",
        ),
        "resolve_dispute" => ("Perselisihan diselesaikan", "Dispute settled"),
        "import_record" => (
            "Dicatat dari register lama (impor)",
            "Recorded from the earlier register (import)",
        ),
        "activate" => ("Pemeriksaan persetujuan DPRD", "DPRD gate checked"),
        "record_dprd_decision" => ("Keputusan DPRD dicatat", "DPRD decision recorded"),
        "end" => ("Kerja sama berakhir", "Cooperation ended"),
        "terminate_early" => ("Diakhiri lebih awal", "Terminated early"),
        "cancel" => ("Dibatalkan", "Cancelled"),
        "add_meeting" => ("Pertemuan dicatat", "Meeting recorded"),
        "add_letter" => ("Surat dicatat", "Letter recorded"),
        "correct_letter" => ("Surat diperbaiki", "Letter corrected"),
        "withdraw_letter" => ("Surat ditarik", "Letter withdrawn"),
        "send_letter" => ("Surat ditandai terkirim", "Letter marked sent"),
        "update" => ("Isi kerja sama diubah", "Case content changed"),
        "update_party" => ("Data pihak diubah", "Party record changed"),
        "create_agreement" => ("Naskah dibuat", "Document created"),
        "update_agreement" => ("Naskah diubah", "Document changed"),
        "add_unit" => ("Perangkat daerah ditambahkan", "Agency added"),
        "document_draft_started" | "draft_started" => (
            "Draf naskah dimulai dari templat",
            "Draft started from the template",
        ),
        "document_edited" | "edited" => ("Pasal naskah diubah", "Clause changed"),
        "document_finalized" | "finalized" => ("Naskah difinalkan", "Text finalised"),
        "document_signed" | "signed" => (
            "Naskah ditandatangani secara elektronik",
            "Signed electronically",
        ),
        "document_wet_ink_uploaded" | "wet_ink_uploaded" => (
            "Pindaian tanda tangan basah diunggah",
            "Wet-ink scan uploaded",
        ),
        "document_wet_ink_validated" | "wet_ink_validated" => (
            "Pindaian tanda tangan basah disahkan",
            "Wet-ink scan validated",
        ),
        "comment" => ("Komentar atas pasal", "Comment on a clause"),
        "add_activity" => (
            "Kegiatan rencana kerja ditambahkan",
            "Work plan activity added",
        ),
        "add_realisation" => ("Realisasi dicatat", "Realisation recorded"),
        "add_evidence" => ("Bukti realisasi diunggah", "Evidence uploaded"),
        "add_programme" => (
            "Program RPJMD/RKPD ditautkan",
            "RPJMD/RKPD programme linked",
        ),
        "save_evaluation" => ("Formulir monev disimpan", "M&E form saved"),
        "submit_evaluation" => ("Formulir monev diajukan", "M&E form submitted"),
        "review_evaluation" => ("Formulir monev direviu", "M&E form reviewed"),
        "submit_review" => ("PKS diajukan ke kajian TKKSD", "PKS submitted to the TKKSD"),
        "revise" => (
            "PKS dikembalikan untuk perbaikan",
            "PKS returned for revision",
        ),
        "reject" => ("PKS ditolak", "PKS rejected"),
        "finalize" => (
            "PKS disetujui sebagai naskah final",
            "PKS approved as final",
        ),
        "request_signature" => (
            "PKS disiapkan untuk ditandatangani",
            "PKS sent for signature",
        ),
        "sign" => ("Naskah ditandatangani", "Signed"),
        "start_implementation" => ("Pelaksanaan PKS dimulai", "PKS implementation started"),
        "finish" => ("PKS selesai", "PKS completed"),
        "revoke" => ("PKS dicabut", "PKS revoked"),
        other => return other.replace('_', " "),
    };
    lang.pick(id, en).to_owned()
}

pub(crate) fn stage_label(s: &str, lang: Lang) -> String {
    Stage::parse(s).map_or_else(
        || s.to_owned(),
        |st| lang.pick(st.label_id(), st.label_en()).to_owned(),
    )
}

pub(crate) const REASONS: [TerminationReason; 9] = [
    TerminationReason::JangkaWaktuHabis,
    TerminationReason::KesepakatanParaPihak,
    TerminationReason::TujuanTercapai,
    TerminationReason::KeadaanKahar,
    TerminationReason::Wanprestasi,
    TerminationReason::DigantiPerjanjianBaru,
    TerminationReason::PerubahanKebijakan,
    TerminationReason::ObjekMusnah,
    TerminationReason::MerugikanKepentinganNasional,
];

pub(crate) fn note_kind(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "tkksd_review" => lang.pick("Telaahan TKKSD", "TKKSD review"),
        "dprd_paper" => lang.pick("Dokumen DPRD", "DPRD paper"),
        _ => lang.pick("Catatan internal", "Internal note"),
    }
}

/// The words for a document's status (never its code).
pub(crate) fn agreement_status(
    s: sinergi_domain::agreement::AgreementStatus,
    lang: Lang,
) -> &'static str {
    use sinergi_domain::agreement::AgreementStatus as S;
    match s {
        S::Penyusunan => lang.pick("Penyusunan", "Drafting"),
        S::KajianTkksd => lang.pick("Kajian TKKSD", "TKKSD review"),
        S::Final => lang.pick("Final", "Final"),
        S::MenungguTtd => lang.pick("Menunggu tanda tangan", "Awaiting signatures"),
        S::Ditandatangani => lang.pick("Ditandatangani", "Signed"),
        S::Pelaksanaan => lang.pick("Dilaksanakan", "In implementation"),
        S::Selesai => lang.pick("Selesai", "Completed"),
        S::Dicabut => lang.pick("Dicabut", "Revoked"),
        S::Ditolak => lang.pick("Ditolak", "Rejected"),
    }
}

/// The steps a PKS may take from its status, as (form value, button label).
pub(crate) fn pks_steps(
    s: sinergi_domain::agreement::AgreementStatus,
    lang: Lang,
) -> Vec<(&'static str, &'static str)> {
    use sinergi_domain::agreement::AgreementStatus as S;
    match s {
        S::Penyusunan => vec![(
            "submit_review",
            lang.pick("Ajukan ke kajian TKKSD", "Submit to the TKKSD review"),
        )],
        S::KajianTkksd => vec![
            (
                "finalize",
                lang.pick("Setujui sebagai naskah final", "Approve as final"),
            ),
            (
                "revise",
                lang.pick("Kembalikan untuk perbaikan", "Return for revision"),
            ),
        ],
        S::Final => vec![(
            "request_signature",
            lang.pick("Siapkan untuk ditandatangani", "Send for signature"),
        )],
        S::Ditandatangani => vec![(
            "start_implementation",
            lang.pick("Mulai pelaksanaan", "Start implementation"),
        )],
        _ => Vec::new(),
    }
}

/// The words for a reason a cooperation ends.
pub(crate) fn reason_label(r: TerminationReason, lang: Lang) -> &'static str {
    match r {
        TerminationReason::JangkaWaktuHabis => lang.pick("Jangka waktu habis", "The term ended"),
        TerminationReason::KesepakatanParaPihak => {
            lang.pick("Kesepakatan para pihak", "Agreement of the parties")
        }
        TerminationReason::TujuanTercapai => {
            lang.pick("Tujuan telah tercapai", "The objectives were met")
        }
        TerminationReason::KeadaanKahar => {
            lang.pick("Keadaan kahar (force majeure)", "Force majeure")
        }
        TerminationReason::Wanprestasi => {
            lang.pick("Salah satu pihak wanprestasi", "A party defaulted")
        }
        TerminationReason::DigantiPerjanjianBaru => lang.pick(
            "Diganti dengan perjanjian baru",
            "Replaced by a new agreement",
        ),
        TerminationReason::PerubahanKebijakan => lang.pick(
            "Perubahan kebijakan pemerintah",
            "A change of government policy",
        ),
        TerminationReason::ObjekMusnah => {
            lang.pick("Objek kerja sama musnah", "The object no longer exists")
        }
        TerminationReason::MerugikanKepentinganNasional => lang.pick(
            "Merugikan kepentingan nasional",
            "Harms the national interest",
        ),
    }
}

/// The words for an audit entry's action (`case.update_party`, `user.create`, …).
pub(crate) fn audit_action(action: &str, lang: Lang) -> String {
    let (kind, verb) = action.split_once('.').unwrap_or(("", action));
    let (id, en) = match (kind, verb) {
        // An agreement's own creation and change (the case's "create" is the case opening).
        ("agreement", "create") => ("Naskah dibuat", "Document created"),
        ("agreement", "update") => ("Naskah diubah", "Document changed"),
        ("case" | "document" | "monitoring" | "agreement", v) => return action_label(v, lang),
        ("meeting", "create") => ("Pertemuan dicatat", "Meeting recorded"),
        ("letter", "create") => ("Surat dicatat", "Letter recorded"),
        ("letter", "update") => ("Surat diperbaiki", "Letter corrected"),
        ("letter", "withdraw") => ("Surat ditarik", "Letter withdrawn"),
        ("letter", "send") => ("Surat ditandai terkirim", "Letter marked sent"),
        ("note", "create") => ("Catatan internal ditulis", "Internal note written"),
        ("note", "share") => (
            "Catatan dibagikan kepada mitra",
            "Note shared with the partner",
        ),
        ("official", "create") => ("Pejabat dicatat", "Official recorded"),
        ("tkksd", "create") => ("TKKSD dibentuk", "TKKSD formed"),
        ("observations", "import") => ("Data potensi diimpor", "Potential data imported"),
        ("session", "sign_in") => ("Masuk", "Signed in"),
        ("session", "sign_in_oidc") => ("Masuk melalui SSO", "Signed in through SSO"),
        ("session", "sign_out") => ("Keluar", "Signed out"),
        ("session", "sign_out_everywhere") => {
            ("Keluar dari semua perangkat", "Signed out everywhere")
        }
        ("token", "create") => ("Token API dibuat", "API token created"),
        ("token", "revoke") => ("Token API dicabut", "API token revoked"),
        ("user", "create") => ("Akun dibuat", "Account created"),
        ("user", "update") => ("Akun diubah", "Account changed"),
        ("user", "deactivate") => ("Akun dinonaktifkan", "Account deactivated"),
        ("user", "reactivate") => ("Akun diaktifkan kembali", "Account reactivated"),
        ("user", "reset_password") => ("Kata sandi diatur ulang", "Password reset"),
        ("user", "change_password") => ("Kata sandi diganti", "Password changed"),
        ("user", "set_language") => ("Bahasa diubah", "Language changed"),
        ("user", "link_official") => ("Akun ditautkan ke pejabat", "Account linked to an official"),
        ("user", "link_oidc") => ("Akun ditautkan ke SSO", "Account linked to SSO"),
        ("user", "unlink_oidc") => ("Tautan SSO dilepas", "SSO link removed"),
        ("user", "locked") => ("Akun dikunci sementara", "Account locked for a while"),
        _ => return action.replace(['_', '.'], " "),
    };
    lang.pick(id, en).to_owned()
}

/// The words for an audit entry's subject kind.
pub(crate) fn subject_kind(kind: &str, lang: Lang) -> &str {
    match kind {
        "case" => lang.pick("Kerja sama", "Cooperation"),
        "agreement" => lang.pick("Naskah", "Document"),
        "meeting" => lang.pick("Pertemuan", "Meeting"),
        "letter" => lang.pick("Surat", "Letter"),
        "note" => lang.pick("Catatan", "Note"),
        "official" => lang.pick("Pejabat", "Official"),
        "tkksd" => "TKKSD",
        "observation_batch" => lang.pick("Data potensi", "Potential data"),
        "user" => lang.pick("Akun", "Account"),
        "token" => lang.pick("Token API", "API token"),
        other => other,
    }
}

/// The kind of a letter, in words.
pub(crate) fn letter_kind(k: sinergi_domain::letter::LetterKind, lang: Lang) -> &'static str {
    use sinergi_domain::letter::LetterKind as K;
    match k {
        K::Inisiasi => lang.pick("Surat inisiasi", "Initiation letter"),
        K::Penawaran => lang.pick("Surat penawaran", "Offer letter"),
        K::Jawaban => lang.pick("Surat jawaban", "Reply letter"),
        K::PermohonanPersetujuanDprd => {
            lang.pick("Permohonan persetujuan DPRD", "Request for DPRD approval")
        }
        K::PemberitahuanPengakhiran => lang.pick("Pemberitahuan pengakhiran", "Termination notice"),
        K::Undangan => lang.pick("Undangan", "Invitation"),
        K::Lainnya => lang.pick("Surat lainnya", "Other letter"),
    }
}
