//! Regional potential analytics for Sinergi (analytics.md): location quotients, dynamic LQ
//! and its classes, shift-share, Esteban-Marquillas, Klassen, Hoover, Krugman similarity and
//! the complementarity scores that rank cooperation partners.
//!
//! The crate is pure: no I/O, no clock. Callers pass observations (or CSV bytes or text, for
//! the `sinergi analyze` contract of §4, read through `sinergi_reference::csv`) and get
//! numbers back.
//!
//! * [`Panel`] — a dense region × sector × year matrix built from [`Observation`]s, with typed
//!   errors naming what is missing or wrong; regions and sectors in first-seen order.
//! * [`analyze`] — every measure of §2 for one period, as an [`Analysis`].
//! * [`partner_ranking`], [`pair_detail`] — the partner finder and the pair page.
//! * [`select_complete`], [`comparison`] — the honest comparison set: which regions and years,
//!   real data before synthetic, structure on ADHB and growth on ADHK when complete there.
//! * [`analyze_csv_bytes`], [`analyze_csv`], [`render_text`] — the command-line contract.
//! * [`formulas`] — the same formulas on plain slices (and the published examples in tests).
//!
//! Every figure is a [`Measure`]: a finite number or `Undefined` with a reason (zero total,
//! zero base-year value, …). No NaN or infinity ever leaves the crate.
//!
//! Conventions decided where the specification leaves room:
//! * The reference is the sum of the panel's regions unless one is set explicitly
//!   ([`Panel::with_reference`], [`Panel::with_reference_region`]).
//! * Years used must be contiguous (annual growth rates need consecutive years).
//! * `sup = max(0, 1 − 1/LQ)` is 0 for `LQ = 0` (nothing to supply); a sector whose reference
//!   share is 0 contributes 0 to complementarity (its weight `S_i` is 0).
//! * Shift-share of a sector that is zero in the base year is defined (`NS = IM = 0`,
//!   `RS` = the whole change); DLQ, Klassen and Esteban-Marquillas of such a cell are undefined.
//! * Pair maps leave out the diagonal (a region is not its own partner).

pub mod analysis;
pub mod cli;
pub mod comparison;
pub mod complementarity;
pub mod csv;
pub mod formulas;
pub mod measure;
pub mod panel;
pub mod select;
pub mod synthetic;

pub use analysis::{Analysis, AnalysisError, AnalysisOptions, GrowthMeasures, analyze};
pub use cli::{
    AnalyzeError, AnalyzeErrorKind, AnalyzeOutput, LabeledMatrix, LabeledVector, ParsedCsv,
    analyze_csv, analyze_csv_bytes, parse_observations_bytes, parse_observations_csv, render_text,
};
pub use comparison::{
    CompareError, Compared, DataSet, PriceBasis, STRUCTURE_BASIS, compare_structure,
    does_not_suffice, first_data_set, next_data_set,
};
pub use complementarity::{
    ComplementarityBase, PairDetail, PairScores, PartnerScore, RankBy, SectorContribution,
    pair_detail, partner_ranking, partner_ranking_by,
};
pub use csv::observations_to_csv;
pub use formulas::{
    DlqClass, EstebanMarquillas, GrowthMean, KlassenQuadrant, ShiftShare, michaely_complementarity,
};
pub use measure::{Measure, Undefined};
pub use panel::{NameField, Observation, Panel, PanelError, ReferenceKind};
pub use select::{Excluded, SelectError, Selection, select_complete};
pub use synthetic::synthetic_panel;
