//! The JSON document of `sinergi analyze` (analytics.md §4): named matrices and vectors that
//! serialize in the analysis's order.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::analysis::Analysis;
use crate::formulas::{DlqClass, KlassenQuadrant, ShiftShare};
use crate::measure::Measure;
use crate::panel::ReferenceKind;

/// A matrix with named rows and columns that serializes as `{row: {column: value}}` in row and
/// column order. Pair matrices leave out the diagonal (a region is not its own partner).
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledMatrix<T> {
    rows: Vec<String>,
    columns: Vec<String>,
    values: Vec<T>,
    skip_diagonal: bool,
}

impl<T> LabeledMatrix<T> {
    fn new(rows: Vec<String>, columns: Vec<String>, values: Vec<T>, skip_diagonal: bool) -> Self {
        Self {
            rows,
            columns,
            values,
            skip_diagonal,
        }
    }

    /// Row names.
    #[must_use]
    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    /// Column names.
    #[must_use]
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// By positions (`None` outside, and on the diagonal of a pair matrix).
    #[must_use]
    pub fn at(&self, row: usize, column: usize) -> Option<&T> {
        if row >= self.rows.len()
            || column >= self.columns.len()
            || (self.skip_diagonal && row == column)
        {
            return None;
        }
        self.values.get(row * self.columns.len() + column)
    }

    /// By names.
    #[must_use]
    pub fn get(&self, row: &str, column: &str) -> Option<&T> {
        let r = self.rows.iter().position(|x| x == row)?;
        let c = self.columns.iter().position(|x| x == column)?;
        self.at(r, c)
    }
}

struct RowView<'a, T> {
    matrix: &'a LabeledMatrix<T>,
    row: usize,
}

impl<T: Serialize> Serialize for RowView<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let m = self.matrix;
        let len = m.columns.len() - usize::from(m.skip_diagonal && self.row < m.columns.len());
        let mut map = serializer.serialize_map(Some(len))?;
        for (c, name) in m.columns.iter().enumerate() {
            if let Some(v) = m.at(self.row, c) {
                map.serialize_entry(name, v)?;
            }
        }
        map.end()
    }
}

impl<T: Serialize> Serialize for LabeledMatrix<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.rows.len()))?;
        for (row, name) in self.rows.iter().enumerate() {
            map.serialize_entry(name, &RowView { matrix: self, row })?;
        }
        map.end()
    }
}

/// A vector with named entries that serializes as `{label: value}` in order.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledVector<T> {
    labels: Vec<String>,
    values: Vec<T>,
}

impl<T> LabeledVector<T> {
    /// Labels.
    #[must_use]
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// By position.
    #[must_use]
    pub fn at(&self, index: usize) -> Option<&T> {
        self.values.get(index)
    }

    /// By name.
    #[must_use]
    pub fn get(&self, label: &str) -> Option<&T> {
        self.labels
            .iter()
            .position(|x| x == label)
            .and_then(|i| self.values.get(i))
    }
}

impl<T: Serialize> Serialize for LabeledVector<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.labels.len()))?;
        for (name, v) in self.labels.iter().zip(&self.values) {
            map.serialize_entry(name, v)?;
        }
        map.end()
    }
}

/// The JSON document of `sinergi analyze` (keys exactly as analytics.md §4; undefined values
/// and the growth measures when `start == end` are `null`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalyzeOutput {
    /// Start year.
    pub start: i32,
    /// End year.
    pub end: i32,
    /// Regions in file order (first appearance).
    pub regions: Vec<String>,
    /// Sectors in file order (first appearance).
    pub sectors: Vec<String>,
    /// LQ at the end year, `{region: {sector: value}}`.
    pub lq: LabeledMatrix<Measure>,
    /// LQ at the start year.
    pub lq_start: LabeledMatrix<Measure>,
    /// Hoover specialisation at the end year, `{region: value}`.
    pub hoover: LabeledVector<Measure>,
    /// Dynamic LQ start → end.
    pub dlq: Option<LabeledMatrix<Measure>>,
    /// SLQ × DLQ class.
    pub dlq_class: Option<LabeledMatrix<Measure<DlqClass>>>,
    /// Sectoral Klassen quadrant.
    pub klassen: Option<LabeledMatrix<Measure<KlassenQuadrant>>>,
    /// Shift-share `{region: {sector: {"ns", "im", "rs"}}}`.
    pub shift_share: Option<LabeledMatrix<Measure<ShiftShare>>>,
    /// `C(supplier → recipient)`, `{supplier: {recipient: value}}`, end year.
    pub complementarity: LabeledMatrix<Measure>,
    /// Mutual score, symmetric.
    pub mutual: LabeledMatrix<Measure>,
    /// Structural similarity `1 − K/2`, symmetric.
    pub similarity: LabeledMatrix<Measure>,
    /// What the regions were compared with (not part of the JSON).
    #[serde(skip)]
    pub reference: ReferenceKind,
}

impl AnalyzeOutput {
    /// Builds the document from an analysis.
    #[must_use]
    pub fn from_analysis(a: &Analysis) -> Self {
        let regions = a.regions.clone();
        let sectors = a.sectors.clone();
        fn rs<T: Clone>(regions: &[String], sectors: &[String], values: &[T]) -> LabeledMatrix<T> {
            LabeledMatrix::new(regions.to_vec(), sectors.to_vec(), values.to_vec(), false)
        }
        let n = regions.len();
        let pairs = |f: &dyn Fn(usize, usize) -> Measure| {
            let mut values = Vec::with_capacity(n * n);
            for x in 0..n {
                for y in 0..n {
                    values.push(f(x, y));
                }
            }
            LabeledMatrix::new(regions.clone(), regions.clone(), values, true)
        };
        let growth = a.growth.as_ref();
        Self {
            start: a.start,
            end: a.end,
            lq: rs(&regions, &sectors, &a.lq_end),
            lq_start: rs(&regions, &sectors, &a.lq_start),
            hoover: LabeledVector {
                labels: regions.clone(),
                values: a.hoover.clone(),
            },
            dlq: growth.map(|g| rs(&regions, &sectors, &g.dlq)),
            dlq_class: growth.map(|g| rs(&regions, &sectors, &g.dlq_class)),
            klassen: growth.map(|g| rs(&regions, &sectors, &g.klassen)),
            shift_share: growth.map(|g| rs(&regions, &sectors, &g.shift_share)),
            complementarity: pairs(&|x, y| a.complementarity_score(x, y)),
            mutual: pairs(&|x, y| a.mutual(x, y)),
            similarity: pairs(&|x, y| a.similarity(x, y)),
            reference: a.reference.clone(),
            regions,
            sectors,
        }
    }
}
