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
        "send_offer" => ("Penawaran dikirim", "Offer sent"),
        "mark_offer_delivered" => ("Penawaran diterima mitra", "Offer delivered"),
        "record_reply" => ("Jawaban mitra dicatat", "Partner's reply recorded"),
        "start_drafting" => ("Penyusunan KB dimulai", "Drafting started"),
        "finalize_kb" => ("Naskah KB final", "KB final"),
        "reopen_kb" => ("Naskah KB dibuka kembali", "KB reopened"),
        "sign_kb" => ("KB ditandatangani", "KB signed"),
        "record_signed" => ("KB yang telah ditandatangani dicatat", "Signed KB recorded"),
        "activate" => ("Pemeriksaan persetujuan DPRD", "DPRD gate checked"),
        "record_dprd_decision" => ("Keputusan DPRD dicatat", "DPRD decision recorded"),
        "end" => ("Kerja sama berakhir", "Cooperation ended"),
        "terminate_early" => ("Diakhiri lebih awal", "Terminated early"),
        "cancel" => ("Dibatalkan", "Cancelled"),
        "add_meeting" => ("Pertemuan dicatat", "Meeting recorded"),
        "add_letter" => ("Surat dicatat", "Letter recorded"),
        "update" => ("Isi kerja sama diubah", "Case content changed"),
        "update_party" => ("Data pihak diubah", "Party record changed"),
        "create_agreement" => ("Naskah dibuat", "Document created"),
        "update_agreement" => ("Naskah diubah", "Document changed"),
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
