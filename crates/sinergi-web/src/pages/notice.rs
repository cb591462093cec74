//! What a completed form says: every page form that succeeds redirects with `?ok=<key>`, and
//! the page chrome shows the key's sentence above the content (`role="status"`), so each
//! action tells its user what happened — in the user's language, never as a code.

use sinergi_domain::Lang;

/// The sentence of a completed form, by its key; `None` for an unknown key (nothing shown).
#[must_use]
pub fn text(key: &str, lang: Lang) -> Option<&'static str> {
    let (id, en) = match key {
        // The case and its steps.
        "dibuat" => (
            "Kerja sama dibuat. Langkah berikutnya tampil di bagian atas halaman.",
            "Cooperation created. The next steps are shown at the top of the page.",
        ),
        "transisi" => (
            "Tahap kerja sama diperbarui; pihak lain diberi tahu bila giliran mereka.",
            "Stage updated; the other party is notified when it is their turn.",
        ),
        "pertemuan" => ("Pertemuan dicatat.", "Meeting recorded."),
        "surat" => ("Surat dicatat.", "Letter recorded."),
        "surat_ubah" => ("Surat diperbaiki.", "Letter corrected."),
        "surat_tarik" => ("Surat ditarik.", "Letter withdrawn."),
        "surat_kirim" => ("Surat ditandai terkirim.", "Letter marked sent."),
        "naskah" => ("Data naskah disimpan.", "Agreement details saved."),
        "pks" => (
            "Rancangan PKS dibuat; pihak lain diberi tahu. Isi data penandatanganan pihak Anda, lalu ajukan ke kajian TKKSD.",
            "PKS draft created; the other party is notified. Enter your side's signing data, then submit it to the TKKSD review.",
        ),
        "pks_langkah" => ("Status PKS diperbarui.", "PKS status updated."),
        "persetujuan_pusat" => (
            "Jawaban pemerintah pusat dicatat.",
            "The central government's answer is recorded.",
        ),
        "telaahan" => (
            "Telaahan staf dilampirkan pada kajian.",
            "Staff study attached to the review.",
        ),
        "kak" => (
            "KAK disimpan sebagai versi baru.",
            "KAK saved as a new version.",
        ),
        "surat_kuasa" => (
            "Surat kuasa dicatat; pejabat yang diberi kuasa kini dapat dipilih sebagai penanda tangan PKS ini.",
            "Power of attorney recorded; the authorised official may now be chosen to sign this PKS.",
        ),
        "dprd" => (
            "Penilaian/keputusan DPRD pihak Anda dicatat.",
            "Your party's DPRD assessment/decision recorded.",
        ),
        "pihak" => ("Catatan pihak Anda disimpan.", "Your party's record saved."),
        "perselisihan" => (
            "Perselisihan dicatat; penyelesaiannya dimulai dengan musyawarah.",
            "Dispute recorded; its settlement starts with consultation.",
        ),
        "perselisihan_langkah" => ("Perselisihan diperbarui.", "Dispute updated."),
        "catatan" => ("Catatan disimpan.", "Note saved."),
        "dibagikan" => (
            "Catatan dibagikan kepada mitra.",
            "Note shared with the partner.",
        ),
        // Documents.
        "dokumen_mulai" => (
            "Draf naskah dibuat dari templat.",
            "Draft created from the template.",
        ),
        "dokumen_ubah" => ("Pasal disimpan.", "Clause saved."),
        "komentar" => (
            "Komentar dikirim; pihak lain diberi tahu.",
            "Comment sent; the other party is notified.",
        ),
        "final" => (
            "Naskah difinalkan dan siap ditandatangani; kedua pihak diberi tahu.",
            "Text finalised and ready to sign; both parties are notified.",
        ),
        "ttd" => (
            "Tanda tangan dicatat; pihak lain diberi tahu.",
            "Signature recorded; the other party is notified.",
        ),
        "pindaian" => (
            "Pindaian diunggah; menunggu pengesahan.",
            "Scan uploaded; awaiting validation.",
        ),
        "sahkan" => ("Pindaian disahkan.", "Scan validated."),
        // Monitoring.
        "kegiatan" => ("Kegiatan ditambahkan.", "Activity added."),
        "realisasi" => ("Realisasi dicatat.", "Realisation recorded."),
        "program" => ("Program ditautkan.", "Programme linked."),
        "monev" => (
            "Formulir monev disimpan sebagai draf.",
            "M&E form saved as a draft.",
        ),
        "status" => ("Status formulir diperbarui.", "Form status updated."),
        "bukti" => ("Berkas bukti disimpan.", "Evidence file stored."),
        // The region.
        "pejabat" => ("Pejabat disimpan.", "Official saved."),
        "laporan_kirim" => (
            "Pengiriman laporan dicatat.",
            "The report is recorded as sent.",
        ),
        "opd" => (
            "Perangkat daerah ditambahkan ke daftar.",
            "Agency added to the list.",
        ),
        "penomoran" => (
            "Aturan penomoran disimpan; naskah yang difinalkan berikutnya mendapat nomor dari register ini.",
            "Numbering rule saved; the next document finalised gets its number from this register.",
        ),
        "register_impor" => (
            "Register diimpor: setiap baris yang diterima kini menjadi kasus atau masuk ke kasus KB-nya, dengan catatan asal impornya.",
            "Register imported: every accepted row is now a case or joins its KB's case, with a note of where it came from.",
        ),
        "naskah_lama" => (
            "Kesepakatan lama dicatat sebagai kasus dengan tahap menurut tanggalnya.",
            "The earlier agreement is recorded as a case, at the stage its dates give.",
        ),
        "register_kosong" => (
            "Tidak ada yang baru untuk diimpor dari berkas ini.",
            "Nothing new to import from this file.",
        ),
        "tkksd" => ("TKKSD disimpan.", "TKKSD saved."),
        "akun_dibuat" => (
            "Akun dibuat. Berikan nama pengguna dan kata sandinya kepada pemiliknya secara langsung.",
            "Account created. Give its user name and password to its owner in person.",
        ),
        "akun_diubah" => ("Akun diperbarui.", "Account updated."),
        "akun_nonaktif" => (
            "Akun dinonaktifkan; sesi masuknya diakhiri.",
            "Account deactivated; its sessions ended.",
        ),
        "akun_aktif" => ("Akun diaktifkan kembali.", "Account reactivated."),
        // One's own account.
        "sandi" => ("Kata sandi diganti.", "Password changed."),
        "ganti_sandi" => (
            "Anda masuk dengan kata sandi sementara dari admin. Ganti kata sandi Anda sekarang, di bawah.",
            "You signed in with a temporary password from your admin. Change your password now, below.",
        ),
        "dibaca" => (
            "Notifikasi ditandai sudah dibaca.",
            "Notification marked as read.",
        ),
        _ => return None,
    };
    Some(lang.pick(id, en))
}

/// The `ok` key in a query string, when there is one.
#[must_use]
pub fn key_of(query: &str) -> Option<&str> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("ok="))
        .filter(|k| !k.is_empty())
}

/// `path` with `?ok=key` (or `&ok=key`) before its fragment.
#[must_use]
pub fn with(path: &str, key: &str) -> String {
    let (base, frag) = path
        .split_once('#')
        .map_or((path, None), |(b, f)| (b, Some(f)));
    let sep = if base.contains('?') { '&' } else { '?' };
    match frag {
        Some(f) => format!("{base}{sep}ok={key}#{f}"),
        None => format!("{base}{sep}ok={key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_goes_before_the_fragment() {
        assert_eq!(
            with("/kerja-sama/1#surat", "surat"),
            "/kerja-sama/1?ok=surat#surat"
        );
        assert_eq!(with("/a?x=1", "b"), "/a?x=1&ok=b");
        assert_eq!(key_of("lang=en&ok=surat"), Some("surat"));
        assert!(text("surat", Lang::Id).is_some());
        assert!(text("nope", Lang::Id).is_none());
    }
}
