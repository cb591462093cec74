//! Every route with the permission it needs and what it acts on. The authorisation layer
//! refuses a route that is not listed here, and a test walks this table × every role ×
//! every relation (see `docs/permissions.md`).

use sinergi_domain::access::Perm;

/// What a route acts on, which decides the caller's relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing in particular (public pages, one's own account).
    Nothing,
    /// The case in the `{id}` path parameter.
    Case,
    /// One party's record of the case: `{id}` and `{ordinal}`. Any party of the case passes
    /// the route; the application layer checks that the record is the caller's own party's.
    CaseParty,
    /// The caller's own side of the case `{id}` (private notes).
    CaseOwnSide,
    /// The region in the `{code}` path parameter.
    Region,
    /// A new case: the caller's own region (checked against the parties by the handler).
    NewCase,
    /// The user in the `{uid}` path parameter.
    User,
}

/// One route's policy.
#[derive(Debug, Clone, Copy)]
pub struct RoutePolicy {
    pub method: &'static str,
    pub path: &'static str,
    pub perm: Perm,
    pub target: Target,
}

const fn r(method: &'static str, path: &'static str, perm: Perm, target: Target) -> RoutePolicy {
    RoutePolicy {
        method,
        path,
        perm,
        target,
    }
}

use Perm::{
    Account, AgreementSign, AuditRead, CaseCreate, CaseEdit, CaseRead, CaseTransition, DataImport,
    Evaluate, InternalRead, NoteRead, NoteWrite, PartyEdit, PublicRead, ReferenceManage,
    RegionManage, RegisterImport, ReportRead, UserManage,
};
use Target::{Case, CaseOwnSide, CaseParty, NewCase, Nothing, Region, User};

/// The table. Keep it in the order of the routers.
pub const ROUTES: &[RoutePolicy] = &[
    // API: public reference data.
    r("GET", "/health", PublicRead, Nothing),
    r("GET", "/ready", PublicRead, Nothing),
    r("GET", "/api/v1/openapi.json", PublicRead, Nothing),
    r("GET", "/api/v1/regions", PublicRead, Nothing),
    r("GET", "/api/v1/regions/{code}", PublicRead, Nothing),
    r(
        "GET",
        "/api/v1/regions/{code}/officials",
        PublicRead,
        Nothing,
    ),
    r(
        "POST",
        "/api/v1/regions/{code}/officials",
        RegionManage,
        Region,
    ),
    r("GET", "/api/v1/regions/{code}/tkksd", PublicRead, Nothing),
    r("POST", "/api/v1/regions/{code}/tkksd", RegionManage, Region),
    r("GET", "/api/v1/regions/{code}/users", UserManage, Region),
    r("POST", "/api/v1/regions/{code}/users", UserManage, Region),
    r("GET", "/api/v1/reference/urusan", PublicRead, Nothing),
    r("GET", "/api/v1/reference/fields", PublicRead, Nothing),
    r(
        "GET",
        "/api/v1/reference/pdrb-categories",
        PublicRead,
        Nothing,
    ),
    r("GET", "/api/v1/rule-sets", PublicRead, Nothing),
    r("POST", "/api/v1/rule-sets", ReferenceManage, Nothing),
    // API: cases.
    r("GET", "/api/v1/cases", PublicRead, Nothing),
    r("POST", "/api/v1/cases", CaseCreate, NewCase),
    r("GET", "/api/v1/cases/{id}", CaseRead, Case),
    r("PATCH", "/api/v1/cases/{id}", CaseEdit, Case),
    r(
        "PATCH",
        "/api/v1/cases/{id}/parties/{ordinal}",
        PartyEdit,
        CaseParty,
    ),
    r("GET", "/api/v1/cases/{id}/kak", CaseRead, Case),
    r(
        "GET",
        "/api/v1/cases/{id}/central-approvals",
        CaseRead,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/central-approvals",
        CaseEdit,
        Case,
    ),
    r("GET", "/api/v1/cases/{id}/kajian", CaseRead, Case),
    r(
        "POST",
        "/api/v1/cases/{id}/kajian/{kajian_id}/telaahan",
        CaseEdit,
        Case,
    ),
    r(
        "GET",
        "/api/v1/cases/{id}/kajian/{kajian_id}/telaahan-file",
        CaseRead,
        Case,
    ),
    r(
        "PUT",
        "/api/v1/cases/{id}/parties/{ordinal}/kak",
        CaseEdit,
        CaseParty,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/transitions",
        CaseTransition,
        Case,
    ),
    r("GET", "/api/v1/cases/{id}/history", CaseRead, Case),
    r("GET", "/api/v1/cases/{id}/meetings", CaseRead, Case),
    r("POST", "/api/v1/cases/{id}/meetings", CaseEdit, Case),
    r(
        "GET",
        "/api/v1/cases/{id}/meetings/{meeting_id}",
        CaseRead,
        Case,
    ),
    r("GET", "/api/v1/cases/{id}/letters", CaseRead, Case),
    r("POST", "/api/v1/cases/{id}/letters", CaseEdit, Case),
    r(
        "PATCH",
        "/api/v1/cases/{id}/letters/{letter_id}",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/letters/{letter_id}/withdraw",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/letters/{letter_id}/send",
        CaseEdit,
        Case,
    ),
    r("GET", "/api/v1/cases/{id}/agreements", CaseRead, Case),
    r("POST", "/api/v1/cases/{id}/agreements", CaseEdit, Case),
    r(
        "GET",
        "/api/v1/cases/{id}/agreements/{agreement_id}",
        CaseRead,
        Case,
    ),
    r(
        "PATCH",
        "/api/v1/cases/{id}/agreements/{agreement_id}",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/agreements/{agreement_id}/transitions",
        CaseTransition,
        Case,
    ),
    r(
        "GET",
        "/api/v1/cases/{id}/agreements/{agreement_id}/powers-of-attorney",
        CaseRead,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/agreements/{agreement_id}/powers-of-attorney",
        CaseEdit,
        Case,
    ),
    r("GET", "/api/v1/cases/{id}/notes", NoteRead, CaseOwnSide),
    r("POST", "/api/v1/cases/{id}/notes", NoteWrite, CaseOwnSide),
    r(
        "POST",
        "/api/v1/cases/{id}/notes/{note_id}/share",
        NoteWrite,
        CaseOwnSide,
    ),
    r("POST", "/api/v1/cases/{id}/units", CaseEdit, Case),
    r("GET", "/api/v1/cases/{id}/audit", AuditRead, Case),
    // API: regional potential (issue 6).
    r(
        "GET",
        "/api/v1/regions/{code}/potential",
        PublicRead,
        Nothing,
    ),
    r(
        "GET",
        "/api/v1/regions/{code}/partners",
        PublicRead,
        Nothing,
    ),
    r(
        "GET",
        "/api/v1/regions/{code}/partners/{partner}",
        PublicRead,
        Nothing,
    ),
    r("GET", "/api/v1/cases/{id}/scope-check", CaseRead, Case),
    r("POST", "/api/v1/observations/imports", DataImport, Nothing),
    r("POST", "/api/v1/cases/imports", RegisterImport, Nothing),
    r("GET", "/api/v1/cases/{id}/disputes", CaseRead, Case),
    r("POST", "/api/v1/cases/{id}/disputes", CaseEdit, Case),
    r(
        "POST",
        "/api/v1/cases/{id}/disputes/{dispute}/steps",
        CaseEdit,
        Case,
    ),
    r("GET", "/api/v1/regions/{code}/borders", PublicRead, Nothing),
    r("PUT", "/api/v1/borders/{a}/{b}", ReferenceManage, Nothing),
    r(
        "GET",
        "/api/v1/regions/{code}/report-submissions",
        ReportRead,
        Region,
    ),
    r(
        "POST",
        "/api/v1/regions/{code}/report-submissions",
        RegionManage,
        Region,
    ),
    r("GET", "/api/v1/regions/{code}/units", PublicRead, Nothing),
    r("POST", "/api/v1/regions/{code}/units", RegionManage, Region),
    r(
        "GET",
        "/api/v1/regions/{code}/numbering",
        ReportRead,
        Region,
    ),
    r(
        "PUT",
        "/api/v1/regions/{code}/numbering-rules/{kind}",
        RegionManage,
        Region,
    ),
    r("POST", "/api/v1/cases/legacy", RegisterImport, Nothing),
    r(
        "POST",
        "/wilayah/{code}/naskah-lama",
        RegisterImport,
        Region,
    ),
    r("GET", "/api/v1/observations/batches", PublicRead, Nothing),
    // API: agreement documents (issue 5).
    r("GET", "/api/v1/cases/{id}/documents/{kind}", CaseRead, Case),
    r(
        "POST",
        "/api/v1/cases/{id}/documents/{kind}",
        CaseEdit,
        Case,
    ),
    r(
        "GET",
        "/api/v1/cases/{id}/documents/{kind}/pdf",
        CaseRead,
        Case,
    ),
    r(
        "GET",
        "/api/v1/cases/{id}/documents/{kind}/docx",
        CaseRead,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/documents/{kind}/edits",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/documents/{kind}/comments",
        CaseEdit,
        Case,
    ),
    r(
        "GET",
        "/api/v1/cases/{id}/documents/{kind}/redline",
        CaseRead,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/documents/{kind}/finalize",
        CaseTransition,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/documents/{kind}/signatures",
        AgreementSign,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/documents/{kind}/wet-ink",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/documents/{kind}/wet-ink/{scan}/validate",
        CaseTransition,
        Case,
    ),
    r("GET", "/api/v1/verifikasi/{code}", PublicRead, Nothing),
    // API: implementation and monitoring (issue 7).
    r("GET", "/api/v1/cases/{id}/work-plan", CaseRead, Case),
    r("GET", "/api/v1/cases/{id}/activities", CaseRead, Case),
    r("POST", "/api/v1/cases/{id}/activities", CaseEdit, Case),
    r(
        "POST",
        "/api/v1/cases/{id}/activities/{activity_id}/realisations",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/api/v1/cases/{id}/realisations/{realisation_id}/evidence",
        CaseEdit,
        Case,
    ),
    r(
        "GET",
        "/api/v1/cases/{id}/evidence/{evidence_id}",
        InternalRead,
        Case,
    ),
    r("GET", "/api/v1/cases/{id}/programmes", CaseRead, Case),
    r("POST", "/api/v1/cases/{id}/programmes", CaseEdit, Case),
    r("GET", "/api/v1/cases/{id}/evaluations", InternalRead, Case),
    r("POST", "/api/v1/cases/{id}/evaluations", Evaluate, Case),
    r(
        "POST",
        "/api/v1/cases/{id}/evaluations/{evaluation_id}/steps",
        Evaluate,
        Case,
    ),
    r("GET", "/api/v1/me/notifications", Account, Nothing),
    r(
        "POST",
        "/api/v1/me/notifications/{notification_id}/read",
        Account,
        Nothing,
    ),
    r("POST", "/api/v1/me/calendar-feed", Account, Nothing),
    r(
        "GET",
        "/api/v1/regions/{code}/calendar.ics",
        PublicRead,
        Nothing,
    ),
    r(
        "GET",
        "/api/v1/calendar/{token}/sinergi.ics",
        PublicRead,
        Nothing,
    ),
    r(
        "GET",
        "/api/v1/regions/{code}/reports/{kind}",
        ReportRead,
        Region,
    ),
    // API: one's own account.
    r("GET", "/api/v1/me", Account, Nothing),
    r("POST", "/api/v1/me/password", Account, Nothing),
    r("POST", "/api/v1/me/sign-out-everywhere", Account, Nothing),
    r("GET", "/api/v1/me/tokens", Account, Nothing),
    r("POST", "/api/v1/me/tokens", Account, Nothing),
    r("DELETE", "/api/v1/me/tokens/{name}", Account, Nothing),
    r("GET", "/api/v1/me/audit", Account, Nothing),
    r("GET", "/api/v1/users/{uid}/audit", AuditRead, User),
    r("PATCH", "/api/v1/users/{uid}", UserManage, User),
    r(
        "POST",
        "/api/v1/users/{uid}/password-reset",
        UserManage,
        User,
    ),
    // Pages.
    r("GET", "/", PublicRead, Nothing),
    r("GET", "/kerja-sama", PublicRead, Nothing),
    r("POST", "/kerja-sama", CaseCreate, NewCase),
    r("GET", "/kerja-sama/baru", CaseCreate, NewCase),
    r("GET", "/kerja-sama/{id}", CaseRead, Case),
    r("POST", "/kerja-sama/{id}/pertemuan", CaseEdit, Case),
    r("POST", "/kerja-sama/{id}/transisi", CaseTransition, Case),
    r("POST", "/kerja-sama/{id}/surat", CaseEdit, Case),
    r("POST", "/kerja-sama/{id}/perselisihan", CaseEdit, Case),
    r(
        "POST",
        "/kerja-sama/{id}/perselisihan/{dispute}/{act}",
        CaseEdit,
        Case,
    ),
    r("POST", "/kerja-sama/{id}/surat/{letter}", CaseEdit, Case),
    r(
        "POST",
        "/kerja-sama/{id}/surat/{letter}/{act}",
        CaseEdit,
        Case,
    ),
    r("POST", "/kerja-sama/{id}/naskah", CaseEdit, Case),
    r("POST", "/kerja-sama/{id}/naskah/{aid}", CaseEdit, Case),
    r(
        "POST",
        "/kerja-sama/{id}/naskah/{aid}/langkah",
        CaseTransition,
        Case,
    ),
    r("POST", "/kerja-sama/{id}/kak", CaseEdit, Case),
    r("POST", "/kerja-sama/{id}/persetujuan-pusat", CaseEdit, Case),
    r(
        "GET",
        "/kerja-sama/{id}/kajian/{kajian}/telaahan",
        CaseRead,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/kajian/{kajian}/telaahan",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/naskah/{aid}/surat-kuasa",
        CaseEdit,
        Case,
    ),
    r("POST", "/kerja-sama/{id}/pks", CaseEdit, Case),
    r("POST", "/kerja-sama/{id}/catatan", NoteWrite, CaseOwnSide),
    r(
        "POST",
        "/kerja-sama/{id}/catatan/{note_id}/bagikan",
        NoteWrite,
        CaseOwnSide,
    ),
    r("GET", "/kerja-sama/{id}/audit", AuditRead, Case),
    r("GET", "/wilayah/{code}", PublicRead, Nothing),
    r("POST", "/wilayah/{code}/pejabat", RegionManage, Region),
    r("POST", "/wilayah/{code}/tkksd", RegionManage, Region),
    // A region's accounts: any admin reaches the page; the application layer says whose
    // accounts these are when they are another government's (issue 13).
    r(
        "GET",
        "/wilayah/{code}/impor-register",
        RegisterImport,
        Region,
    ),
    r(
        "POST",
        "/wilayah/{code}/impor-register",
        RegisterImport,
        Region,
    ),
    r(
        "GET",
        "/wilayah/{code}/impor-register/{sha}",
        RegisterImport,
        Region,
    ),
    r(
        "POST",
        "/wilayah/{code}/impor-register/{sha}",
        RegisterImport,
        Region,
    ),
    r(
        "GET",
        "/wilayah/{code}/impor-register/{sha}/proses/{run}",
        RegisterImport,
        Region,
    ),
    r(
        "POST",
        "/wilayah/{code}/laporan-terkirim",
        RegionManage,
        Region,
    ),
    r("POST", "/wilayah/{code}/penomoran", RegionManage, Region),
    r("POST", "/wilayah/{code}/opd", RegionManage, Region),
    r("GET", "/wilayah/{code}/pengguna", UserManage, Nothing),
    r("POST", "/wilayah/{code}/pengguna", UserManage, Nothing),
    r(
        "POST",
        "/wilayah/{code}/pengguna/{uid}",
        UserManage,
        Nothing,
    ),
    r(
        "POST",
        "/wilayah/{code}/pengguna/{uid}/status",
        UserManage,
        Nothing,
    ),
    r(
        "POST",
        "/wilayah/{code}/pengguna/{uid}/sandi",
        UserManage,
        Nothing,
    ),
    r("GET", "/kerja-sama/{id}/pemantauan", CaseRead, Case),
    r(
        "POST",
        "/kerja-sama/{id}/pemantauan/kegiatan",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/pemantauan/realisasi",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/pemantauan/realisasi/{rid}/bukti",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/pemantauan/program",
        CaseEdit,
        Case,
    ),
    r("POST", "/kerja-sama/{id}/pemantauan/monev", Evaluate, Case),
    r(
        "POST",
        "/kerja-sama/{id}/pemantauan/monev/{eid}",
        Evaluate,
        Case,
    ),
    r("GET", "/notifikasi", Account, Nothing),
    r("POST", "/notifikasi/{nid}/baca", Account, Nothing),
    r("GET", "/kerja-sama/{id}/dokumen/{kind}", CaseRead, Case),
    r("GET", "/verifikasi/{code}", PublicRead, Nothing),
    r("GET", "/wilayah/{code}/potensi", PublicRead, Nothing),
    r("GET", "/wilayah/{code}/cari-mitra", PublicRead, Nothing),
    r(
        "GET",
        "/wilayah/{code}/mitra/{partner}",
        PublicRead,
        Nothing,
    ),
    r("GET", "/bahasa", PublicRead, Nothing),
    r("GET", "/masuk", PublicRead, Nothing),
    r("POST", "/masuk", PublicRead, Nothing),
    r("GET", "/masuk/sso", PublicRead, Nothing),
    r("GET", "/masuk/sso/kembali", PublicRead, Nothing),
    r(
        "POST",
        "/kerja-sama/{id}/pihak/{ordinal}/dprd",
        PartyEdit,
        CaseParty,
    ),
    // Pages: the document forms (issue 5), with the permissions of their API routes.
    r(
        "POST",
        "/kerja-sama/{id}/dokumen/{kind}/mulai",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/dokumen/{kind}/ubah",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/dokumen/{kind}/komentar",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/dokumen/{kind}/final",
        CaseTransition,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/dokumen/{kind}/tanda-tangan",
        AgreementSign,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/dokumen/{kind}/pindaian",
        CaseEdit,
        Case,
    ),
    r(
        "POST",
        "/kerja-sama/{id}/dokumen/{kind}/pindaian/{scan}/sahkan",
        CaseTransition,
        Case,
    ),
    r("POST", "/keluar", Account, Nothing),
    r("GET", "/akun", Account, Nothing),
    r("POST", "/akun/sandi", Account, Nothing),
    r("POST", "/akun/bahasa", Account, Nothing),
    r("POST", "/akun/keluar-semua", Account, Nothing),
    r("POST", "/akun/token", Account, Nothing),
    r("POST", "/akun/token/{name}/cabut", Account, Nothing),
    r("GET", "/static/sinergi.css", PublicRead, Nothing),
];

/// The policy of a matched route.
#[must_use]
pub fn lookup(method: &str, path: &str) -> Option<&'static RoutePolicy> {
    let method = if method == "HEAD" { "GET" } else { method };
    ROUTES.iter().find(|r| r.method == method && r.path == path)
}
