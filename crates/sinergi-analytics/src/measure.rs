//! A computed figure that is either a finite number or undefined with a stated reason.
//!
//! The analytics never emit NaN or infinity: every place where a formula would divide by zero
//! (or overflow) yields [`Measure::Undefined`] carrying an [`Undefined`] reason instead. In JSON an
//! undefined measure is `null`; in text and on pages the reason is shown.

use std::fmt;

use serde::{Serialize, Serializer};

/// Why a measure has no value. Each reason has a stable [`code`](Undefined::code) and an
/// Indonesian [`message`](Undefined::message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Undefined {
    /// The reference total `E` is zero in the year used (nothing to compare with).
    ZeroReferenceTotal,
    /// The region total `E_j` is zero in the year used, so its sector shares are undefined.
    ZeroRegionTotal,
    /// The reference value of the sector `E_i` is zero, so the reference share `S_i` is zero
    /// and the LQ divides by zero.
    ZeroReferenceSector,
    /// The region's value of the sector is zero in a base year: its growth rate is undefined.
    ZeroBaseValue,
    /// The region total is zero in a base year: the region's growth rate is undefined.
    ZeroRegionBase,
    /// The reference value of the sector is zero in a base year: `G_i` is undefined.
    ZeroReferenceSectorBase,
    /// The reference total is zero in a base year: `G` is undefined.
    ZeroReferenceBase,
    /// A growth factor `1 + ḡ` that stands in a denominator is zero (the series fell to zero).
    ZeroGrowthFactor,
    /// The inputs of a vector formula have different lengths.
    LengthMismatch,
    /// The input is empty (no sectors, or fewer than two years for a growth measure).
    EmptyInput,
    /// The arithmetic overflowed; the value would not be a finite number.
    NotFinite,
    /// A region or sector position outside the analysis.
    OutOfRange,
}

impl Undefined {
    /// Stable machine code, e.g. `zero_region_total`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::ZeroReferenceTotal => "zero_reference_total",
            Self::ZeroRegionTotal => "zero_region_total",
            Self::ZeroReferenceSector => "zero_reference_sector",
            Self::ZeroBaseValue => "zero_base_value",
            Self::ZeroRegionBase => "zero_region_base",
            Self::ZeroReferenceSectorBase => "zero_reference_sector_base",
            Self::ZeroReferenceBase => "zero_reference_base",
            Self::ZeroGrowthFactor => "zero_growth_factor",
            Self::LengthMismatch => "length_mismatch",
            Self::EmptyInput => "empty_input",
            Self::NotFinite => "not_finite",
            Self::OutOfRange => "out_of_range",
        }
    }

    /// The reason in Indonesian, one short clause.
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::ZeroReferenceTotal => "total acuan bernilai nol",
            Self::ZeroRegionTotal => {
                "total wilayah bernilai nol sehingga pangsa sektor tidak terdefinisi"
            }
            Self::ZeroReferenceSector => {
                "nilai sektor pada acuan nol sehingga pangsa acuan sektor nol"
            }
            Self::ZeroBaseValue => {
                "nilai sektor wilayah pada tahun dasar nol sehingga laju pertumbuhannya tidak terdefinisi"
            }
            Self::ZeroRegionBase => {
                "total wilayah pada tahun dasar nol sehingga laju pertumbuhannya tidak terdefinisi"
            }
            Self::ZeroReferenceSectorBase => {
                "nilai sektor acuan pada tahun dasar nol sehingga laju pertumbuhannya tidak terdefinisi"
            }
            Self::ZeroReferenceBase => {
                "total acuan pada tahun dasar nol sehingga laju pertumbuhannya tidak terdefinisi"
            }
            Self::ZeroGrowthFactor => {
                "faktor pertumbuhan (1 + rata-rata laju) bernilai nol pada penyebut"
            }
            Self::LengthMismatch => "panjang masukan tidak sama",
            Self::EmptyInput => "masukan kosong",
            Self::NotFinite => "hasil perhitungan tidak terhingga",
            Self::OutOfRange => "posisi wilayah atau sektor di luar jangkauan",
        }
    }
}

impl fmt::Display for Undefined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A value, or the reason there is none. `Measure<f64>` built by this crate never holds a
/// non-finite number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure<T = f64> {
    /// The computed value.
    Value(T),
    /// No value; the reason says why.
    Undefined(Undefined),
}

impl<T> Measure<T> {
    /// The value, if defined.
    #[must_use]
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Undefined(_) => None,
        }
    }

    /// The value, if defined, by value.
    #[must_use]
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(v) => Some(v),
            Self::Undefined(_) => None,
        }
    }

    /// The reason, if undefined.
    #[must_use]
    pub fn reason(&self) -> Option<Undefined> {
        match self {
            Self::Value(_) => None,
            Self::Undefined(u) => Some(*u),
        }
    }

    /// Whether there is a value.
    #[must_use]
    pub fn is_defined(&self) -> bool {
        matches!(self, Self::Value(_))
    }

    /// Transforms the value, keeping the reason of an undefined measure.
    #[must_use]
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Measure<U> {
        match self {
            Self::Value(v) => Measure::Value(f(v)),
            Self::Undefined(u) => Measure::Undefined(u),
        }
    }

    /// As `Result`, for use with `?`.
    ///
    /// # Errors
    /// The reason, when the measure is undefined.
    pub fn into_result(self) -> Result<T, Undefined> {
        match self {
            Self::Value(v) => Ok(v),
            Self::Undefined(u) => Err(u),
        }
    }
}

impl Measure<f64> {
    /// `Value(v)` when `v` is finite, else `Undefined(NotFinite)`.
    #[must_use]
    pub fn finite(v: f64) -> Self {
        if v.is_finite() {
            Self::Value(v)
        } else {
            Self::Undefined(Undefined::NotFinite)
        }
    }

    /// The number, if defined.
    #[must_use]
    pub fn get(&self) -> Option<f64> {
        match self {
            Self::Value(v) => Some(*v),
            Self::Undefined(_) => None,
        }
    }
}

impl<T> From<Result<T, Undefined>> for Measure<T> {
    fn from(r: Result<T, Undefined>) -> Self {
        match r {
            Ok(v) => Self::Value(v),
            Err(u) => Self::Undefined(u),
        }
    }
}

/// A defined measure serializes as its value, an undefined one as `null`.
impl<T: Serialize> Serialize for Measure<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(v) => v.serialize(serializer),
            Self::Undefined(_) => serializer.serialize_none(),
        }
    }
}

/// `Ok(x)` unless `x` is zero.
pub(crate) fn nonzero(x: f64, reason: Undefined) -> Result<f64, Undefined> {
    if x == 0.0 { Err(reason) } else { Ok(x) }
}

/// `Ok(x)` when `x` is finite.
pub(crate) fn finite(x: f64) -> Result<f64, Undefined> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Undefined::NotFinite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_value_or_null() {
        let v: Measure = Measure::Value(1.5);
        let u: Measure = Measure::Undefined(Undefined::ZeroRegionTotal);
        assert_eq!(serde_json::to_string(&v).unwrap(), "1.5");
        assert_eq!(serde_json::to_string(&u).unwrap(), "null");
    }

    #[test]
    fn finite_rejects_nan_and_inf() {
        assert_eq!(
            Measure::finite(f64::NAN).reason(),
            Some(Undefined::NotFinite)
        );
        assert_eq!(
            Measure::finite(f64::INFINITY).reason(),
            Some(Undefined::NotFinite)
        );
        assert_eq!(Measure::finite(2.0).get(), Some(2.0));
    }

    #[test]
    fn codes_are_distinct() {
        let all = [
            Undefined::ZeroReferenceTotal,
            Undefined::ZeroRegionTotal,
            Undefined::ZeroReferenceSector,
            Undefined::ZeroBaseValue,
            Undefined::ZeroRegionBase,
            Undefined::ZeroReferenceSectorBase,
            Undefined::ZeroReferenceBase,
            Undefined::ZeroGrowthFactor,
            Undefined::LengthMismatch,
            Undefined::EmptyInput,
            Undefined::NotFinite,
            Undefined::OutOfRange,
        ];
        let mut codes: Vec<_> = all.iter().map(|u| u.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
