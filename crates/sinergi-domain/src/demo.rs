//! The founding case — Kalimantan Tengah and Bali, March 2022 — exactly as the published
//! sources give it (founding-case.md). Nothing here is invented: the agreement numbers, the
//! meeting times and the officials' terms were not published and stay empty.

use crate::case::{Contact, FieldInput, NewCaseInput, PartyInput};
use crate::ids::CaseId;
use crate::meeting::{MeetingKind, NewMeetingInput, NextStep, Participant};
use crate::official::{ActingStatus, NewOfficialInput, OfficeKind, TkksdPosition};
use crate::region::RegionCode;
use time::Date;
use time::macros::date;
use uuid::Uuid;

/// The founding case's fixed id, so links to it are stable across installations.
pub const FOUNDING_CASE_ID: CaseId =
    CaseId(Uuid::from_u128(0x017f_b939_1400_7000_8000_0000_0000_6251));

/// Keys of the founding case's officials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    GubernurKalteng,
    SekdaKalteng,
    GubernurBali,
    SekdaBali,
}

/// An official of the demo, with the key the rest of the demo refers to.
pub struct DemoOfficial {
    pub who: Who,
    pub region: &'static str,
    pub input: NewOfficialInput,
}

/// A demo meeting whose participants are officials of the demo.
pub struct DemoMeeting {
    pub input: NewMeetingInput,
    pub participants: Vec<Who>,
}

/// The whole founding case as inputs to the ordinary operations.
pub struct FoundingCase {
    pub officials: Vec<DemoOfficial>,
    /// Per region, the TKKSD chair (the Sekda chairs the TKKSD by law).
    pub tkksd_chairs: Vec<(&'static str, Who, TkksdPosition)>,
    pub case: NewCaseInput,
    pub meetings: Vec<DemoMeeting>,
    pub kb_title: &'static str,
    pub kb_place: &'static str,
    pub kb_signed_on: Date,
    /// Signatory per party ordinal.
    pub kb_signatories: Vec<(u16, Who)>,
    pub record_note: &'static str,
}

fn official(
    name: &str,
    position: &str,
    office: OfficeKind,
    acting: ActingStatus,
) -> NewOfficialInput {
    NewOfficialInput {
        name: name.to_owned(),
        position: position.to_owned(),
        office,
        acting,
        unit: None,
        nip: None,
        email: None,
        phone: None,
        term_start: None,
        term_end: None,
    }
}

fn field(code: &str, priority: bool) -> FieldInput {
    FieldInput {
        code: Some(code.to_owned()),
        label: None,
        priority,
        urusan: None,
    }
}

const TITLE: &str = "Kesepakatan Bersama antara Pemerintah Provinsi Kalimantan Tengah dan Pemerintah Provinsi Bali tentang Kerja Sama Pembangunan dan Pengembangan Potensi Daerah";

/// The founding case.
#[must_use]
pub fn founding_case() -> FoundingCase {
    let officials = vec![
        DemoOfficial {
            who: Who::GubernurKalteng,
            region: "62",
            input: official(
                "Sugianto Sabran",
                "Gubernur Kalimantan Tengah",
                OfficeKind::KepalaDaerah,
                ActingStatus::Definitif,
            ),
        },
        DemoOfficial {
            who: Who::SekdaKalteng,
            region: "62",
            input: official(
                "Nuryakin",
                "Sekretaris Daerah Provinsi Kalimantan Tengah",
                OfficeKind::Sekda,
                ActingStatus::Pj,
            ),
        },
        DemoOfficial {
            who: Who::GubernurBali,
            region: "51",
            input: official(
                "Wayan Koster",
                "Gubernur Bali",
                OfficeKind::KepalaDaerah,
                ActingStatus::Definitif,
            ),
        },
        DemoOfficial {
            who: Who::SekdaBali,
            region: "51",
            input: official(
                "Dewa Made Indra",
                "Sekretaris Daerah Provinsi Bali",
                OfficeKind::Sekda,
                ActingStatus::Definitif,
            ),
        },
    ];
    let case = NewCaseInput {
        title: TITLE.to_owned(),
        kind: crate::case::CaseKind::KsddSukarela,
        direction: crate::case::Direction::Keluar,
        object: Some("Peningkatan pembangunan dan pengembangan potensi daerah di kedua provinsi".to_owned()),
        background: Some(
            "Kedua provinsi masing-masing memiliki kelebihan dan kekurangan sehingga perlu saling mengisi, \
             berdasarkan karakteristik dan potensi bersama masing-masing provinsi, untuk kepentingan bersama. \
             Transmigran asal Bali telah bermukim di Kalimantan Tengah sejak 1961. \
             Kalimantan Tengah dan Bali tidak berbatasan, sehingga kerja sama ini merupakan Kerja Sama Sukarela."
                .to_owned(),
        ),
        parties: vec![
            PartyInput {
                region: Some("62".to_owned()),
                name: None,
                contact: Contact {
                    unit: Some(
                        "Bagian Kerja Sama, Biro Pemerintahan dan Otonomi Daerah, Sekretariat Daerah Provinsi Kalimantan Tengah"
                            .to_owned(),
                    ),
                    ..Contact::default()
                },
            },
            PartyInput { region: Some("51".to_owned()), name: None, contact: Contact::default() },
        ],
        fields: vec![
            field("pariwisata_kebudayaan", true),
            field("umkm", false),
            field("perdagangan", false),
            field("pemberdayaan_masyarakat_desa", false),
            field("kelautan_perikanan", false),
            field("pertanian_peternakan", false),
            field("kehutanan_perkebunan", false),
            field("transmigrasi", false),
            field("pengembangan_sdm", false),
            field("bidang_lain", false),
        ],
        objectives: vec![
            "Menyinergikan program kedua daerah dan mengoptimalkan sumber daya yang dimiliki masing-masing daerah".to_owned(),
            "Meningkatkan kemakmuran dan kesejahteraan masyarakat kedua daerah".to_owned(),
            "Saling mengisi berdasarkan karakteristik dan potensi masing-masing provinsi, untuk kepentingan bersama".to_owned(),
        ],
        sources: vec![
            "https://kaltengtimes.co.id/berita-11065/11065".to_owned(),
            "https://beritasampit.co.id/2022/03/25/pemprov-kalteng-jalin-kerja-sama-dengan-bali-upaya-kembangkan-potensi-daerah/".to_owned(),
            "https://kalteng.inews.id/berita/gubernur-kalteng-dan-bali-jalin-kerja-sama-pembangunan-dan-pengembangan-potensi-daerah".to_owned(),
            "https://kaltenghits.com/kalteng-dan-bali-sepakati-kerja-sama-pengembangan-potensi-daerah".to_owned(),
        ],
        published: true,
        fictional: false,
        predecessor: None,
    };
    let penjajakan = NewMeetingInput {
        kind: MeetingKind::Penjajakan,
        title: Some("Penjajakan kerja sama Kalimantan Tengah – Bali".to_owned()),
        date: date!(2022 - 03 - 24),
        start_time: None,
        end_time: None,
        host_region: Some("51".to_owned()),
        place: "Kantor Gubernur Bali, Denpasar".to_owned(),
        participants: vec![],
        agenda: vec!["Penjajakan rencana kerja sama pembangunan dan pengembangan potensi daerah".to_owned()],
        minutes: Some(
            "Pj. Sekda Kalimantan Tengah Nuryakin bertemu Sekda Bali Dewa Made Indra. Kesepakatan masih dalam \
             tahap penjajakan; penandatanganan akan dilakukan apabila para pihak sepakat atas substansinya."
                .to_owned(),
        ),
        outcomes: vec![
            "Pemerintah Provinsi Bali menyambut baik rencana kerja sama.".to_owned(),
            "Kedua pihak sepakat mengkaji konsep yang telah disiapkan Pemerintah Provinsi Kalimantan Tengah.".to_owned(),
            "Kedua pihak sepakat mempertajam ruang lingkup agar kerja sama berjalan efektif dan bermanfaat bagi kedua daerah.".to_owned(),
        ],
        next_steps: vec![NextStep {
            text: "Gubernur Kalimantan Tengah berkunjung ke Gubernur Bali untuk membahas dan menandatangani Kesepakatan Bersama".to_owned(),
            due_on: Some(date!(2022 - 03 - 26)),
        }],
    };
    let signing = NewMeetingInput {
        kind: MeetingKind::Penandatanganan,
        title: Some("Penandatanganan Kesepakatan Bersama Kalimantan Tengah – Bali".to_owned()),
        date: date!(2022 - 03 - 26),
        start_time: None,
        end_time: None,
        host_region: Some("51".to_owned()),
        place: "Gedung Gajah, Rumah Jabatan Gubernur Bali, Denpasar".to_owned(),
        participants: vec![],
        agenda: vec!["Kunjungan Gubernur Kalimantan Tengah kepada Gubernur Bali dan penandatanganan Kesepakatan Bersama".to_owned()],
        minutes: None,
        outcomes: vec![
            "Gubernur Kalimantan Tengah dan Gubernur Bali menandatangani Kesepakatan Bersama tentang Kerja Sama Pembangunan dan Pengembangan Potensi Daerah.".to_owned(),
        ],
        next_steps: vec![],
    };
    FoundingCase {
        officials,
        tkksd_chairs: vec![
            ("62", Who::SekdaKalteng, TkksdPosition::Ketua),
            ("51", Who::SekdaBali, TkksdPosition::Ketua),
        ],
        case,
        meetings: vec![
            DemoMeeting {
                input: penjajakan,
                participants: vec![Who::SekdaKalteng, Who::SekdaBali],
            },
            DemoMeeting {
                input: signing,
                participants: vec![Who::GubernurKalteng, Who::GubernurBali],
            },
        ],
        kb_title: TITLE,
        kb_place: "Gedung Gajah, Rumah Jabatan Gubernur Bali, Denpasar",
        kb_signed_on: date!(2022 - 03 - 26),
        kb_signatories: vec![(1, Who::GubernurKalteng), (2, Who::GubernurBali)],
        record_note: "Dicatat dari pemberitaan (Antara, dimuat ulang media daerah 25–26 Maret 2022): \
                      Gubernur Kalimantan Tengah dan Gubernur Bali menandatangani Kesepakatan Bersama pada \
                      26 Maret 2022 di Gedung Gajah, Denpasar. Nomor naskah tidak dipublikasikan.",
    }
}

/// Participant record of a demo official.
#[must_use]
pub fn participant(o: &DemoOfficial, id: crate::ids::OfficialId) -> Participant {
    Participant {
        name: o.input.name.clone(),
        position: format!("{}{}", o.input.acting.prefix(), o.input.position),
        region: RegionCode::parse(o.region).ok(),
        official: Some(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_founding_case_keeps_the_published_facts() {
        let f = founding_case();
        assert_eq!(f.case.fields.len(), 10);
        assert!(f.case.fields[0].priority);
        assert!(f.case.fields[1..].iter().all(|x| !x.priority));
        assert_eq!(f.kb_signed_on, date!(2022 - 03 - 26));
        let nuryakin = f
            .officials
            .iter()
            .find(|o| o.who == Who::SekdaKalteng)
            .unwrap();
        assert_eq!(nuryakin.input.acting, ActingStatus::Pj);
        assert_eq!(
            FOUNDING_CASE_ID.to_string(),
            "017fb939-1400-7000-8000-000000006251"
        );
    }
}
