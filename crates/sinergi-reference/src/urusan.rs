//! Urusan pemerintahan and the cooperation fields mapped onto them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{ReferenceError, UnknownValue, embedded};

const URUSAN: &str = include_str!("../data/urusan.csv");
const FIELDS: &str = include_str!("../data/fields.csv");

/// Group of an urusan pemerintahan (UU 23/2014).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrusanGroup {
    WajibPelayananDasar,
    WajibNonPelayananDasar,
    Pilihan,
}

impl UrusanGroup {
    pub const ALL: [UrusanGroup; 3] = [
        UrusanGroup::WajibPelayananDasar,
        UrusanGroup::WajibNonPelayananDasar,
        UrusanGroup::Pilihan,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UrusanGroup::WajibPelayananDasar => "wajib_pelayanan_dasar",
            UrusanGroup::WajibNonPelayananDasar => "wajib_non_pelayanan_dasar",
            UrusanGroup::Pilihan => "pilihan",
        }
    }
}

impl fmt::Display for UrusanGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for UrusanGroup {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UrusanGroup::ALL
            .into_iter()
            .find(|group| group.as_str() == s)
            .ok_or_else(|| UnknownValue::new("urusan group", s))
    }
}

/// One urusan pemerintahan; `ordinal` is its 1-based regulatory position.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Urusan {
    pub code: String,
    pub name: String,
    pub group: UrusanGroup,
    pub ordinal: u32,
}

/// The 32 urusan pemerintahan in regulatory order.
pub fn urusan() -> Result<Vec<Urusan>, ReferenceError> {
    const FILE: &str = "urusan.csv";
    let mut out = Vec::with_capacity(32);
    for (ordinal, record) in (1..).zip(embedded::records(FILE, URUSAN, &["code", "name", "group"])?)
    {
        let record = record?;
        let malformed = |problem: String| ReferenceError::Malformed {
            file: FILE,
            line: record.line,
            problem,
        };
        let (code, name) = (record.get(0), record.get(1));
        if !is_urusan_code(code) || name.is_empty() {
            return Err(malformed(format!("bad urusan {code:?} {name:?}")));
        }
        let group = record
            .get(2)
            .parse::<UrusanGroup>()
            .map_err(|e| malformed(e.to_string()))?;
        out.push(Urusan {
            code: code.to_owned(),
            name: name.to_owned(),
            group,
            ordinal,
        });
    }
    Ok(out)
}

/// `d.dd`, e.g. `3.26`.
fn is_urusan_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 4 && b[1] == b'.' && [b[0], b[2], b[3]].iter().all(u8::is_ascii_digit)
}

/// A cooperation field (bidang kerja sama) and the urusan codes it falls under.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CooperationField {
    pub code: String,
    pub name: String,
    pub ordinal: u32,
    pub urusan: Vec<String>,
}

/// Cooperation fields of the founding case, in agreement order.
pub fn cooperation_fields() -> Result<Vec<CooperationField>, ReferenceError> {
    const FILE: &str = "fields.csv";
    let mut out = Vec::new();
    for (ordinal, record) in (1..).zip(embedded::records(
        FILE,
        FIELDS,
        &["code", "name", "urusan"],
    )?) {
        let record = record?;
        let (code, name) = (record.get(0), record.get(1));
        let urusan: Vec<String> = record
            .get(2)
            .split(';')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_owned)
            .collect();
        let valid_code = !code.is_empty()
            && code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid_code || name.is_empty() || !urusan.iter().all(|c| is_urusan_code(c)) {
            return Err(ReferenceError::Malformed {
                file: FILE,
                line: record.line,
                problem: format!("bad field {code:?} {name:?} {urusan:?}"),
            });
        }
        out.push(CooperationField {
            code: code.to_owned(),
            name: name.to_owned(),
            ordinal,
            urusan,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_two_urusan_in_order() {
        let all = urusan().unwrap();
        assert_eq!(all.len(), 32);
        for (i, u) in all.iter().enumerate() {
            assert_eq!(u.ordinal as usize, i + 1);
            // Second part of the code is the ordinal; first part the group.
            assert_eq!(u.code[2..].parse::<usize>().unwrap(), i + 1, "{}", u.code);
            let group_digit = match u.group {
                UrusanGroup::WajibPelayananDasar => "1",
                UrusanGroup::WajibNonPelayananDasar => "2",
                UrusanGroup::Pilihan => "3",
            };
            assert_eq!(&u.code[..1], group_digit, "{}", u.code);
        }
        let count = |g| all.iter().filter(|u| u.group == g).count();
        assert_eq!(count(UrusanGroup::WajibPelayananDasar), 6);
        assert_eq!(count(UrusanGroup::WajibNonPelayananDasar), 18);
        assert_eq!(count(UrusanGroup::Pilihan), 8);
        assert!(all.windows(2).all(|w| w[0].group as u8 <= w[1].group as u8));
        assert_eq!(all[0].name, "Pendidikan");
        assert_eq!(
            all[4].name,
            "Ketenteraman, Ketertiban Umum dan Pelindungan Masyarakat"
        );
        assert_eq!(all[16].name, "Koperasi, Usaha Kecil dan Menengah");
        assert_eq!(all[31].name, "Transmigrasi");
    }

    #[test]
    fn fields_in_order_with_known_urusan() {
        let fields = cooperation_fields().unwrap();
        let codes: Vec<&str> = fields.iter().map(|f| f.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "pariwisata_kebudayaan",
                "umkm",
                "perdagangan",
                "pemberdayaan_masyarakat_desa",
                "kelautan_perikanan",
                "pertanian_peternakan",
                "kehutanan_perkebunan",
                "transmigrasi",
                "pengembangan_sdm",
                "bidang_lain",
            ]
        );
        assert!(fields.iter().zip(1..).all(|(f, n)| f.ordinal == n));
        let all = urusan().unwrap();
        for field in &fields {
            for code in &field.urusan {
                assert!(
                    all.iter().any(|u| &u.code == code),
                    "{}: {code}",
                    field.code
                );
            }
        }
        assert_eq!(fields[0].urusan, ["3.26", "2.22"]);
        assert_eq!(fields[1].name, "Usaha Mikro, Kecil dan Menengah");
        assert_eq!(fields[8].urusan, ["1.01", "2.07"]);
        assert!(fields[9].urusan.is_empty());
    }

    #[test]
    fn group_round_trip() {
        for group in UrusanGroup::ALL {
            assert_eq!(group.as_str().parse::<UrusanGroup>().unwrap(), group);
        }
        assert!("wajib".parse::<UrusanGroup>().is_err());
    }
}
