//! Reference data: the Kemendagri region list, aliases, borders, urusan, PDRB categories and
//! cooperation fields — loaded once into an empty database — and the region queries.

use crate::audit::{Change, append_audit};
use crate::{Page, Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::access::Actor;
use sinergi_domain::case::RegionDirectory;
use sinergi_domain::region::{RegionCode, RegionFacts};
use sinergi_reference::{RegionLevel, TimeZone};
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

/// What loading the reference data did.
#[derive(Debug, Clone, Serialize)]
pub struct LoadReport {
    /// False when the data was already there.
    pub loaded: bool,
    pub regions: usize,
    pub wilayah_version: String,
    #[serde(skip)]
    pub took: Duration,
}

/// A region in a list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RegionSummary {
    pub code: String,
    pub name: String,
    #[schema(value_type = String, example = "province")]
    pub level: String,
    pub parent_code: Option<String>,
    #[schema(value_type = String, example = "WIB")]
    pub timezone: String,
}

/// A region with its context.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegionDetail {
    #[serde(flatten)]
    pub region: RegionSummary,
    /// Parents from the province down, excluding the region itself.
    pub ancestors: Vec<RegionSummary>,
    pub children_count: i64,
    pub aliases: Vec<String>,
    /// Regions recorded as sharing a border.
    pub neighbours: Vec<RegionSummary>,
    pub wilayah_version: String,
}

/// Filters of the region list.
#[derive(Debug, Clone, Default)]
pub struct RegionFilter {
    pub level: Option<RegionLevel>,
    pub q: Option<String>,
    pub parent: Option<String>,
    /// Only provinces, regencies and cities.
    pub daerah_only: bool,
    pub limit: i64,
    pub offset: i64,
}

const REGION_COLS: &str = "code, name, level, parent_code, timezone";
const META_WILAYAH: &str = "wilayah_version";

impl Store {
    /// Loads every reference table into an empty database; does nothing when already loaded.
    ///
    /// # Errors
    /// Database errors; corrupt embedded data.
    pub async fn ensure_reference_data(&self) -> Result<LoadReport, StoreError> {
        let started = Instant::now();
        let version = sinergi_reference::wilayah_version();
        let version_text = format!("{} ({})", version.decree, version.enacted_on);
        let existing: Option<String> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT value FROM reference_meta WHERE key = $1")
                .bind(META_WILAYAH)
                .fetch_optional(p)
                .await?
        });
        if let Some(v) = existing {
            self.ensure_borders().await?;
            self.ensure_published_observations(time::OffsetDateTime::UNIX_EPOCH)
                .await?;
            return Ok(LoadReport {
                loaded: false,
                regions: 0,
                wilayah_version: v,
                took: started.elapsed(),
            });
        }
        let regions = sinergi_reference::regions()?;
        let aliases = sinergi_reference::aliases()?;
        let urusan = sinergi_reference::urusan()?;
        let pdrb = sinergi_reference::pdrb_categories()?;
        let fields = sinergi_reference::cooperation_fields()?;
        let mut alias_by_code: HashMap<&str, Vec<sinergi_reference::Alias>> = HashMap::new();
        for a in &aliases {
            alias_by_code
                .entry(a.code.as_str())
                .or_default()
                .push(a.clone());
        }
        let rows: Vec<[String; 7]> = regions
            .iter()
            .map(|r| {
                let keys = sinergi_reference::search_keys_for(
                    r,
                    alias_by_code
                        .get(r.code.as_str())
                        .map_or(&[][..], Vec::as_slice),
                );
                [
                    r.code.clone(),
                    r.parent_code.clone().unwrap_or_default(),
                    r.level.as_str().to_owned(),
                    r.name.clone(),
                    r.timezone.label().to_owned(),
                    keys,
                    version_text.clone(),
                ]
            })
            .collect();
        // The rest of the reference tables, inside the caller's transaction.
        macro_rules! load_catalogues {
            ($tx:expr) => {{ async {
                let mut seen = HashSet::new();
                for a in &aliases {
                    let key = sinergi_reference::search_key(&a.alias);
                    if seen.insert((key.clone(), a.code.clone())) {
                        sqlx::query("INSERT INTO region_aliases (alias, search_key, code) VALUES ($1, $2, $3)")
                            .bind(&a.alias).bind(&key).bind(&a.code)
                            .execute(&mut *$tx).await?;
                    }
                }
                for u in &urusan {
                    sqlx::query("INSERT INTO urusan (code, name, grp, ordinal) VALUES ($1, $2, $3, $4)")
                        .bind(&u.code).bind(&u.name).bind(u.group.as_str()).bind(i32::try_from(u.ordinal).unwrap_or(0))
                        .execute(&mut *$tx).await?;
                }
                for c in &pdrb {
                    sqlx::query("INSERT INTO pdrb_categories (code, name, ordinal) VALUES ($1, $2, $3)")
                        .bind(&c.code).bind(&c.name).bind(i32::try_from(c.ordinal).unwrap_or(0))
                        .execute(&mut *$tx).await?;
                }
                for f in &fields {
                    sqlx::query("INSERT INTO cooperation_fields (code, name, ordinal) VALUES ($1, $2, $3)")
                        .bind(&f.code).bind(&f.name).bind(i32::try_from(f.ordinal).unwrap_or(0))
                        .execute(&mut *$tx).await?;
                    for u in &f.urusan {
                        sqlx::query("INSERT INTO cooperation_field_urusan (field_code, urusan_code) VALUES ($1, $2)")
                            .bind(&f.code).bind(u)
                            .execute(&mut *$tx).await?;
                    }
                }
                sqlx::query("INSERT INTO reference_meta (key, value) VALUES ($1, $2)")
                    .bind(META_WILAYAH).bind(&version_text)
                    .execute(&mut *$tx).await?;
                Ok::<(), $crate::StoreError>(())
            }.await
            }};
        }
        match &self.db {
            crate::Db::Sqlite(p) => {
                // Small multi-row statements: binding many parameters into one statement
                // costs more than linear time, so thousands per statement are slow.
                const BATCH: usize = 64;
                let region_sql = |n: usize| {
                    let mut s = String::from(
                        "INSERT INTO regions (code, parent_code, level, name, timezone, search_key, wilayah_version) VALUES ",
                    );
                    for i in 0..n {
                        let b = i * 7;
                        if i > 0 {
                            s.push(',');
                        }
                        s.push_str(&format!(
                            "(${}, NULLIF(${}, ''), ${}, ${}, ${}, ${}, ${})",
                            b + 1,
                            b + 2,
                            b + 3,
                            b + 4,
                            b + 5,
                            b + 6,
                            b + 7
                        ));
                    }
                    s
                };
                let full_sql = region_sql(BATCH);
                let mut tx = p.begin().await?;
                for chunk in rows.chunks(BATCH) {
                    let sql = if chunk.len() == BATCH {
                        full_sql.clone()
                    } else {
                        region_sql(chunk.len())
                    };
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for row in chunk {
                        for v in row {
                            q = q.bind(v.as_str());
                        }
                    }
                    q.execute(&mut *tx).await?;
                }
                load_catalogues!(tx)?;
                tx.commit().await?;
            }
            crate::Db::Postgres(p) => {
                // One statement per large chunk, the columns passed as arrays.
                let mut tx = p.begin().await?;
                for chunk in rows.chunks(20_000) {
                    let col =
                        |i: usize| chunk.iter().map(|r| r[i].clone()).collect::<Vec<String>>();
                    sqlx::query(
                        "INSERT INTO regions (code, parent_code, level, name, timezone, search_key, wilayah_version) \
                         SELECT code, NULLIF(parent, ''), level, name, tz, key, ver \
                         FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) \
                         AS t(code, parent, level, name, tz, key, ver)",
                    )
                    .bind(col(0)).bind(col(1)).bind(col(2)).bind(col(3)).bind(col(4)).bind(col(5)).bind(col(6))
                    .execute(&mut *tx)
                    .await?;
                }
                load_catalogues!(tx)?;
                tx.commit().await?;
            }
        }
        self.ensure_borders().await?;
        self.ensure_published_observations(time::OffsetDateTime::UNIX_EPOCH)
            .await?;
        Ok(LoadReport {
            loaded: true,
            regions: rows.len(),
            wilayah_version: version_text,
            took: started.elapsed(),
        })
    }

    /// Lists regions.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_regions(&self, f: &RegionFilter) -> Result<Page<RegionSummary>, StoreError> {
        let mut conds: Vec<String> = Vec::new();
        let mut args: Vec<String> = Vec::new();
        if let Some(level) = f.level {
            args.push(level.as_str().to_owned());
            conds.push(format!("level = ${}", args.len()));
        } else if f.daerah_only {
            conds.push("level IN ('province', 'regency', 'city')".to_owned());
        }
        if let Some(parent) = &f.parent {
            args.push(parent.clone());
            conds.push(format!("parent_code = ${}", args.len()));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            let key = sinergi_reference::search_key(q);
            let code_like = q.chars().all(|c| c.is_ascii_digit() || c == '.');
            if code_like {
                args.push(format!("{q}%"));
                conds.push(format!("code LIKE ${}", args.len()));
            } else if key.is_empty() {
                conds.push("1 = 0".to_owned());
            } else {
                args.push(format!("%{key}%"));
                conds.push(format!("search_key LIKE ${}", args.len()));
            }
        }
        let where_sql = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let order = "ORDER BY CASE level WHEN 'province' THEN 0 WHEN 'regency' THEN 1 WHEN 'city' THEN 1 WHEN 'district' THEN 2 ELSE 3 END, code";
        let list_sql = format!(
            "SELECT {REGION_COLS} FROM regions{where_sql} {order} LIMIT ${} OFFSET ${}",
            args.len() + 1,
            args.len() + 2
        );
        let count_sql = format!("SELECT COUNT(*) FROM regions{where_sql}");
        let (items, total) = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, RegionSummary>(sqlx::AssertSqlSafe(list_sql));
            let mut c = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql));
            for a in &args {
                q = q.bind(a.as_str());
                c = c.bind(a.as_str());
            }
            (q.bind(f.limit).bind(f.offset).fetch_all(p).await?, c.fetch_one(p).await?)
        });
        Ok(Page { items, total })
    }

    /// One region with its ancestors, aliases and neighbours.
    ///
    /// # Errors
    /// `region.not_found`; database errors.
    pub async fn get_region(&self, code: &str) -> Result<RegionDetail, StoreError> {
        let code = RegionCode::parse(code)
            .map_err(|_| sinergi_domain::DomainError::not_found("region", code))?;
        let mut chain = vec![code.to_string()];
        let mut c = code.clone();
        while let Some(parent) = c.parent() {
            chain.push(parent.to_owned());
            c = RegionCode::parse(parent)?;
        }
        let placeholders = (1..=chain.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {REGION_COLS} FROM regions WHERE code IN ({placeholders}) ORDER BY LENGTH(code)"
        );
        let (mut found, children_count, aliases, neighbours, version) = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, RegionSummary>(sqlx::AssertSqlSafe(sql));
            for c in &chain {
                q = q.bind(c.as_str());
            }
            let found = q.fetch_all(p).await?;
            let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM regions WHERE parent_code = $1")
                .bind(code.as_str()).fetch_one(p).await?;
            let aliases: Vec<String> = sqlx::query_scalar("SELECT alias FROM region_aliases WHERE code = $1 ORDER BY alias")
                .bind(code.as_str()).fetch_all(p).await?;
            let neighbours = sqlx::query_as::<_, RegionSummary>(
                "SELECT r.code, r.name, r.level, r.parent_code, r.timezone FROM region_borders b \
                 JOIN regions r ON r.code = CASE WHEN b.a = $1 THEN b.b ELSE b.a END \
                 WHERE (b.a = $1 OR b.b = $1) AND b.removed = FALSE ORDER BY r.code",
            ).bind(code.as_str()).fetch_all(p).await?;
            let version: Option<String> = sqlx::query_scalar("SELECT wilayah_version FROM regions WHERE code = $1")
                .bind(code.as_str()).fetch_optional(p).await?;
            (found, children, aliases, neighbours, version)
        });
        let Some(pos) = found.iter().position(|r| r.code == code.as_str()) else {
            return Err(sinergi_domain::DomainError::not_found("region", code).into());
        };
        let region = found.remove(pos);
        Ok(RegionDetail {
            region,
            ancestors: found,
            children_count,
            aliases,
            neighbours,
            wilayah_version: version.unwrap_or_default(),
        })
    }

    /// Loads the shipped land borders when this database has not seen their version: new pairs
    /// are added, pairs the operator added or removed are left as the operator set them.
    ///
    /// # Errors
    /// Database errors; corrupt embedded data.
    pub async fn ensure_borders(&self) -> Result<(), StoreError> {
        const META: &str = "borders_version";
        let seen: Option<String> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT value FROM reference_meta WHERE key = $1")
                .bind(META).fetch_optional(p).await?
        });
        if seen.as_deref() == Some(sinergi_reference::BORDERS_VERSION) {
            return Ok(());
        }
        let borders = sinergi_reference::borders()?;
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            for b in &borders {
                sqlx::query("INSERT INTO region_borders (a, b, note) VALUES ($1, $2, $3) ON CONFLICT (a, b) DO NOTHING")
                    .bind(&b.a).bind(&b.b).bind(&b.note)
                    .execute(&mut *tx).await?;
            }
            sqlx::query("INSERT INTO reference_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .bind(META).bind(sinergi_reference::BORDERS_VERSION)
                .execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// The facts and borders of the given regions, for the domain's checks.
    ///
    /// # Errors
    /// Database errors.
    pub async fn region_directory(&self, codes: &[String]) -> Result<Directory, StoreError> {
        let codes: Vec<String> = codes
            .iter()
            .filter(|c| sinergi_reference::level_of_code(c).is_some())
            .cloned()
            .collect();
        if codes.is_empty() {
            return Ok(Directory::default());
        }
        let ph = (1..=codes.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!("SELECT {REGION_COLS} FROM regions WHERE code IN ({ph})");
        let border_sql = format!(
            "SELECT a, b FROM region_borders WHERE (a IN ({ph}) OR b IN ({ph})) AND removed = FALSE"
        );
        let (rows, borders) = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as::<_, RegionSummary>(sqlx::AssertSqlSafe(sql));
            let mut b = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(border_sql));
            for c in &codes {
                q = q.bind(c.as_str());
                b = b.bind(c.as_str());
            }
            (q.fetch_all(p).await?, b.fetch_all(p).await?)
        });
        let mut dir = Directory::default();
        for r in rows {
            let Ok(code) = RegionCode::parse(&r.code) else {
                continue;
            };
            let level = r.level.parse().unwrap_or(RegionLevel::Village);
            let zone = r.timezone.parse().unwrap_or(TimeZone::Wib);
            dir.facts.insert(
                r.code.clone(),
                (
                    RegionFacts {
                        code,
                        name: r.name,
                        level,
                    },
                    zone,
                ),
            );
        }
        dir.borders = borders.into_iter().collect();
        Ok(dir)
    }
}

/// Region facts for the domain's checks, loaded for a handful of codes.
#[derive(Debug, Default, Clone)]
pub struct Directory {
    facts: HashMap<String, (RegionFacts, TimeZone)>,
    borders: HashSet<(String, String)>,
}

impl Directory {
    /// The time zone of a region.
    #[must_use]
    pub fn zone(&self, code: &RegionCode) -> Option<TimeZone> {
        self.facts.get(code.as_str()).map(|(_, z)| *z)
    }
}

impl RegionDirectory for Directory {
    fn facts(&self, code: &RegionCode) -> Option<RegionFacts> {
        self.facts.get(code.as_str()).map(|(f, _)| f.clone())
    }

    fn bordering(&self, a: &RegionCode, b: &RegionCode) -> bool {
        let (x, y) = if a.as_str() < b.as_str() {
            (a, b)
        } else {
            (b, a)
        };
        self.borders.contains(&(x.to_string(), y.to_string()))
    }
}

/// A shipped or corrected land border.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct BorderRow {
    pub a: String,
    pub b: String,
    pub note: String,
    /// `shipped` (the reference list) or `operator` (a correction).
    pub source: String,
    /// A correction removed it: it does not count as a border.
    pub removed: bool,
}

impl Store {
    /// The borders of a region, corrections included (removed ones flagged).
    ///
    /// # Errors
    /// Database errors.
    pub async fn borders_of(&self, code: &str) -> Result<Vec<BorderRow>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT a, b, note, source, removed FROM region_borders WHERE a = $1 OR b = $1 ORDER BY a, b",
            ).bind(code).fetch_all(p).await?
        }))
    }

    /// An operator's correction of the border list: `present` adds (or restores) the border
    /// of `a` and `b`, otherwise it is removed. Both must be provinces, or both kabupaten/kota.
    /// The correction is audited and kept when a newer shipped list is loaded.
    ///
    /// # Errors
    /// Unknown codes, a pair of different levels, an empty reason; database errors.
    pub async fn correct_border(
        &self,
        a: &str,
        b: &str,
        present: bool,
        note: &str,
        actor: &Actor,
        now: time::OffsetDateTime,
    ) -> Result<BorderRow, StoreError> {
        use sinergi_domain::{DomainError, FieldError};
        let note = note.trim();
        if note.is_empty() {
            return Err(DomainError::Validation(vec![FieldError::new(
                "note",
                "required",
                "Tuliskan dasar koreksi batas (mis. peta Badan Informasi Geospasial, Permendagri batas daerah).",
                "Write the basis of the border correction (e.g. a BIG map, the Permendagri on the boundary).",
            )])
            .into());
        }
        let (a, b) = if a < b { (a, b) } else { (b, a) };
        let levels = (
            sinergi_reference::level_of_code(a),
            sinergi_reference::level_of_code(b),
        );
        let same_kind = matches!(
            levels,
            (Some(RegionLevel::Province), Some(RegionLevel::Province))
                | (
                    Some(RegionLevel::Regency | RegionLevel::City),
                    Some(RegionLevel::Regency | RegionLevel::City)
                )
        );
        if a == b || !same_kind {
            return Err(DomainError::guard(
                "border.invalid_pair",
                format!("{a} dan {b} bukan pasangan yang dapat berbatasan: keduanya provinsi, atau keduanya kabupaten/kota."),
                format!("{a} and {b} are not a pair that can border: both provinces, or both kabupaten/kota."),
            )
            .into());
        }
        for code in [a, b] {
            self.get_region(code).await?;
        }
        let before: Option<BorderRow> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT a, b, note, source, removed FROM region_borders WHERE a = $1 AND b = $2")
                .bind(a).bind(b).fetch_optional(p).await?
        });
        let after = BorderRow {
            a: a.to_owned(),
            b: b.to_owned(),
            note: note.to_owned(),
            source: "operator".to_owned(),
            removed: !present,
        };
        let action = if present {
            "border.add"
        } else {
            "border.remove"
        };
        let mut change = Change::new(action, "region_border", format!("{a}/{b}")).after(&after);
        if let Some(before) = &before {
            change = change.before(before);
        }
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO region_borders (a, b, note, source, removed) VALUES ($1, $2, $3, 'operator', $4) \
                 ON CONFLICT (a, b) DO UPDATE SET note = excluded.note, source = 'operator', removed = excluded.removed",
            )
            .bind(a).bind(b).bind(note).bind(!present)
            .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(after)
    }
}
