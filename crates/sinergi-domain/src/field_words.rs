//! The words a person reads for a request's field: a refusal says "Tanggal berakhir wajib
//! diisi", never "Kolom ends_on wajib diisi" (issue 13). The field's code stays in
//! [`crate::FieldError::field`] for programs; only the messages use these words.

/// The field's name in Indonesian and English, e.g. `("Tanggal berakhir", "End date")` for
/// `ends_on`. Indexed fields (`fields[0].label`, `parties[1].region`) are numbered from one;
/// a field that has no words yet keeps its code.
#[must_use]
pub fn words(field: &str) -> (String, String) {
    if let Some((list, rest)) = field.split_once('[')
        && let Some((index, tail)) = rest.split_once(']')
        && let Ok(i) = index.parse::<usize>()
    {
        let (lid, len) = words(list);
        let tail = tail.trim_start_matches('.');
        let n = i + 1;
        if tail.is_empty() {
            return (format!("{lid} ke-{n}"), format!("{len} no. {n}"));
        }
        let (tid, ten) = words(tail);
        return (
            format!("{tid} ({lid} ke-{n})"),
            format!("{ten} ({len} no. {n})"),
        );
    }
    let (id, en) = match field {
        "title" => ("Judul", "Title"),
        "kind" => ("Jenis", "Kind"),
        "starts_on" => ("Tanggal mulai berlaku", "Start date"),
        "ends_on" => ("Tanggal berakhir", "End date"),
        "signed_on" => ("Tanggal penandatanganan", "Date of signing"),
        "date" => ("Tanggal", "Date"),
        "decision_date" => ("Tanggal keputusan", "Decision date"),
        "effective_on" => ("Tanggal berlaku", "Effective date"),
        "place" => ("Tempat", "Place"),
        "subject" => ("Perihal", "Subject"),
        "number" => ("Nomor", "Number"),
        "issued_on" => ("Tanggal surat", "Date of the letter"),
        "grantor" => ("Pemberi kuasa", "Grantor"),
        "grantee" => ("Penerima kuasa", "Grantee"),
        "classification" => ("Kode klasifikasi arsip", "Archive classification code"),
        "unit_code" => ("Kode unit", "Unit code"),
        "abbreviation" => ("Singkatan", "Abbreviation"),
        "letter_date" => ("Tanggal surat", "Letter date"),
        "letter_number" => ("Nomor surat", "Letter number"),
        "purpose" => ("Maksud dan tujuan", "Aim and objectives"),
        "scope" => ("Ruang lingkup", "Scope"),
        "duration" => ("Jangka waktu yang diusulkan", "Proposed duration"),
        "benefits" => ("Manfaat", "Benefits"),
        "financing" => ("Pembiayaan", "Financing"),
        "impact" => ("Analisis dampak dan risiko", "Impact and risk analysis"),
        "plan_alignment" => ("Keselarasan dengan RPJMD/RKPD", "Fit with the RPJMD/RKPD"),
        "pattern" => ("Pola nomor", "Number pattern"),
        "retention_years" => ("Retensi", "Retention"),
        "name" => ("Nama", "Name"),
        "display_name" => ("Nama lengkap", "Full name"),
        "username" => ("Nama pengguna", "User name"),
        "password" => ("Kata sandi", "Password"),
        "roles" | "role" => ("Peran", "Role"),
        "position" => ("Jabatan", "Position"),
        "office" => ("Jenis jabatan", "Office"),
        "nip" => ("NIP", "NIP"),
        "email" => ("Surel", "E-mail"),
        "phone" => ("Telepon", "Phone"),
        "unit" => ("Perangkat daerah (OPD)", "Agency (OPD)"),
        "note" => ("Catatan", "Note"),
        "reason" => ("Alasan", "Reason"),
        "body" => ("Isi", "Text"),
        "party" | "parties" => ("Pihak", "Party"),
        "stage" => ("Tahap", "Stage"),
        "version" => ("Versi", "Version"),
        "updated_at" => ("Waktu perubahan", "Time of change"),
        "status" => ("Status", "Status"),
        "published" => ("Diterbitkan", "Published"),
        "disabled" => ("Nonaktif", "Deactivated"),
        "must_change_password" => ("Kata sandi sementara", "Temporary password"),
        "language" => ("Bahasa", "Language"),
        "official" | "official_id" => ("Pejabat", "Official"),
        "region" => ("Daerah", "Region"),
        "fields" | "field" => ("Bidang", "Field"),
        "label" => ("Nama bidang", "Field name"),
        "code" => ("Kode", "Code"),
        "objectives" => ("Tujuan", "Objectives"),
        "object" => ("Objek kerja sama", "Object of the cooperation"),
        "background" => ("Latar belakang", "Background"),
        "location" => ("Lokasi", "Location"),
        "description" => ("Uraian", "Description"),
        "minutes" => ("Notulen", "Minutes"),
        "changes" => ("Perubahan", "Changes"),
        "rating" => ("Penilaian akhir", "Overall rating"),
        "recommendation" => ("Rekomendasi", "Recommendation"),
        "reviewer" => ("Anggota TKKSD yang mencatat", "Recording TKKSD member"),
        "letter" => ("Surat", "Letter"),
        "file" => ("Berkas", "File"),
        "period" => ("Periode", "Period"),
        "indicator" => ("Indikator", "Indicator"),
        "indicator_unit" => ("Satuan indikator", "Indicator unit"),
        "target" => ("Target", "Target"),
        "value" => ("Nilai", "Value"),
        "amount" => ("Jumlah anggaran", "Amount"),
        "fiscal_year" => ("Tahun anggaran", "Fiscal year"),
        "decree_number" => ("Nomor SK", "Decree number"),
        "document_number" => ("Nomor naskah", "Document number"),
        "srikandi_ref" => ("Nomor agenda Srikandi", "Srikandi reference"),
        "secretariat_unit" => ("Unit sekretariat", "Secretariat unit"),
        "term_start" => ("Awal masa jabatan", "Start of term"),
        "term_end" => ("Akhir masa jabatan", "End of term"),
        "contact.name" => ("Nama narahubung", "Contact name"),
        "contact.position" => ("Jabatan narahubung", "Contact position"),
        "contact.unit" => ("Unit narahubung", "Contact unit"),
        "contact.email" => ("Surel narahubung", "Contact e-mail"),
        "contact.phone" => ("Telepon narahubung", "Contact phone"),
        "dprd.decision_number" => ("Nomor keputusan DPRD", "DPRD decision number"),
        "dprd.justification" => ("Pertimbangan DPRD", "DPRD justification"),
        other => return (other.to_owned(), other.to_owned()),
    };
    (id.to_owned(), en.to_owned())
}

#[cfg(test)]
mod tests {
    use super::words;

    #[test]
    fn a_field_is_named_in_words() {
        assert_eq!(words("ends_on").0, "Tanggal berakhir");
        assert_eq!(words("ends_on").1, "End date");
        assert_eq!(words("fields[0].label").0, "Nama bidang (Bidang ke-1)");
        assert_eq!(words("parties[1]").1, "Party no. 2");
        assert_eq!(words("something_new").0, "something_new");
    }
}
