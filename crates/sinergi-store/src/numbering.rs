//! Numbering rules, running counts and the number register (issue 22; domain.md §13.1).
//!
//! A number is issued in one transaction with its register entry, the agreement's party
//! number, a history line and an audit entry. The running count is one upsert
//! (`… ON CONFLICT DO UPDATE SET last = last + 1 RETURNING last`): on PostgreSQL the counter
//! row stays locked until the transaction ends, on SQLite the writer holds the database, so
//! two documents finalised at once get two numbers. Counters are taken in region order, so
//! two bilateral documents finalised at once never wait on each other in a circle. The
//! register's unique keys make a number, a running number and a party's number on one
//! document each exist once; a rolled-back issue gives its count back, an issued number is
//! never given again.

use crate::agreements::update_agreement;
use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{AgreementId, CaseId};
use sinergi_domain::numbering::{NumberedKind, NumberingRule};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A region's rule for one kind of document, as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct NumberingRuleRow {
    pub region_code: String,
    /// `kb`, `pks` or `addendum`.
    pub kind: String,
    /// Kode Klasifikasi Arsip (Permendagri 83/2022).
    pub classification: String,
    pub unit_code: String,
    pub pattern: String,
    pub yearly_reset: bool,
    /// Years kept after the term ends (Jadwal Retensi Arsip).
    pub retention_years: Option<i32>,
    pub updated_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: OffsetDateTime,
}

impl NumberingRuleRow {
    /// The rule the row holds.
    #[must_use]
    pub fn rule(&self) -> Option<NumberingRule> {
        Some(NumberingRule {
            kind: NumberedKind::parse(&self.kind)?,
            classification: self.classification.clone(),
            unit_code: self.unit_code.clone(),
            pattern: self.pattern.clone(),
            yearly_reset: self.yearly_reset,
            retention_years: self.retention_years.and_then(|y| u16::try_from(y).ok()),
        })
    }
}

/// One number a region issued: its register entry, which is also the document's archive
/// metadata in that region (klasifikasi, kept until).
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct RegisterEntry {
    pub id: Uuid,
    pub region_code: String,
    pub kind: String,
    /// The register book: klasifikasi/unit.
    pub book: String,
    pub year: i32,
    /// The running number in the book.
    pub seq: i64,
    pub number: String,
    pub classification: String,
    /// The last year the document is kept, when the region set a retention.
    pub retained_until: Option<i32>,
    pub case_id: Uuid,
    /// The KB, PKS or addendum numbered (none for a letter).
    pub agreement_id: Option<Uuid>,
    /// The letter numbered (none for an agreement).
    pub letter_id: Option<Uuid>,
    pub party_ordinal: i32,
    pub issued_on: Date,
    pub issued_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub issued_at: OffsetDateTime,
}

const RULE_COLS: &str = "region_code, kind, classification, unit_code, pattern, yearly_reset, retention_years, updated_by, updated_at";
const ENTRY_COLS: &str = "id, region_code, kind, book, year, seq, number, classification, retained_until, case_id, agreement_id, \
                          letter_id, party_ordinal, issued_on, issued_by, issued_at";

/// Takes the next running number of `$rule`'s book for the template entry `$e` (its id,
/// number, seq and book filled here) inside the caller's transaction, and registers it.
/// A number a changed pattern printed before is skipped, never repeated. Evaluates to
/// `Some(entry)`, or `None` when the document's own unique key (its party, its letter) was
/// registered meanwhile by another transaction.
macro_rules! allocate_number {
    ($tx:expr, $rule:expr, $today:expr, $e:expr) => {{ async {
        let rule: &sinergi_domain::numbering::NumberingRule = $rule;
        let today: time::Date = $today;
        let mut e: $crate::numbering::RegisterEntry = $e;
        e.book = rule.book();
        let year = rule.counter_year(today);
        for _ in 0..$crate::numbering::MAX_SKIPS {
            let (seq,): (i64,) = sqlx::query_as(
                "INSERT INTO number_counters (region_code, book, year, last) VALUES ($1, $2, $3, 1) \
                 ON CONFLICT (region_code, book, year) DO UPDATE SET last = number_counters.last + 1 RETURNING last")
                .bind(&e.region_code).bind(&e.book).bind(year).fetch_one(&mut *$tx).await?;
            e.id = uuid::Uuid::now_v7();
            e.seq = seq;
            e.number = rule.format(seq, today);
            let n = sqlx::query(
                "INSERT INTO number_register (id, region_code, kind, book, year, seq, number, classification, retained_until, \
                 case_id, agreement_id, letter_id, party_ordinal, issued_on, issued_by, issued_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) ON CONFLICT DO NOTHING")
                .bind(e.id).bind(&e.region_code).bind(&e.kind).bind(&e.book).bind(e.year).bind(e.seq).bind(&e.number)
                .bind(&e.classification).bind(e.retained_until).bind(e.case_id).bind(e.agreement_id).bind(e.letter_id)
                .bind(e.party_ordinal).bind(e.issued_on).bind(&e.issued_by).bind(e.issued_at)
                .execute(&mut *$tx).await?.rows_affected();
            if n == 1 {
                return Ok::<Option<$crate::numbering::RegisterEntry>, $crate::StoreError>(Some(e));
            }
            let taken: Option<(uuid::Uuid,)> = sqlx::query_as(
                "SELECT id FROM number_register WHERE (agreement_id = $1 AND party_ordinal = $2) OR letter_id = $3")
                .bind(e.agreement_id).bind(e.party_ordinal).bind(e.letter_id).fetch_optional(&mut *$tx).await?;
            if taken.is_some() {
                return Ok(None);
            }
        }
        Err($crate::StoreError::Inconsistent("no free running number in the register book"))
    }.await
    }};
}
pub(crate) use allocate_number;

/// A register entry to be numbered: everything but its id, book, running number and text.
pub(crate) fn entry_for(
    region: &str,
    kind: NumberedKind,
    rule: &NumberingRule,
    (case_id, party): (Uuid, u16),
    (today, ends_on): (Date, Option<Date>),
    actor: &Actor,
    now: OffsetDateTime,
) -> RegisterEntry {
    RegisterEntry {
        id: Uuid::nil(),
        region_code: region.to_owned(),
        kind: kind.as_str().to_owned(),
        book: String::new(),
        year: today.year(),
        seq: 0,
        number: String::new(),
        classification: rule.classification.clone(),
        retained_until: rule.retained_until(today, ends_on),
        case_id,
        agreement_id: None,
        letter_id: None,
        party_ordinal: i32::from(party),
        issued_on: today,
        issued_by: actor.label.clone(),
        issued_at: now,
    }
}

/// How many running numbers issuing tries past ones a changed pattern already printed.
pub(crate) const MAX_SKIPS: usize = 1000;

impl Store {
    /// Sets the region's rule for one kind (replacing the one before); audited with both.
    /// Numbers already issued keep their text; the running count continues per book.
    ///
    /// # Errors
    /// An unknown region; database errors.
    pub async fn set_numbering_rule(
        &self,
        region: &str,
        rule: &NumberingRule,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<NumberingRuleRow, StoreError> {
        self.get_region(region).await?;
        let before = self.numbering_rule(region, rule.kind).await?;
        let row = NumberingRuleRow {
            region_code: region.to_owned(),
            kind: rule.kind.as_str().to_owned(),
            classification: rule.classification.clone(),
            unit_code: rule.unit_code.clone(),
            pattern: rule.pattern.clone(),
            yearly_reset: rule.yearly_reset,
            retention_years: rule.retention_years.map(i32::from),
            updated_by: actor.label.clone(),
            updated_at: now,
        };
        let mut change = Change::new(
            "numbering.rule_set",
            "numbering_rule",
            format!("{region}/{}", row.kind),
        )
        .after(&row);
        if let Some(b) = &before {
            change = change.before(b);
        }
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO numbering_rules (region_code, kind, classification, unit_code, pattern, yearly_reset, retention_years, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (region_code, kind) DO UPDATE SET classification = excluded.classification, unit_code = excluded.unit_code, \
                 pattern = excluded.pattern, yearly_reset = excluded.yearly_reset, retention_years = excluded.retention_years, \
                 updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(&row.region_code).bind(&row.kind).bind(&row.classification).bind(&row.unit_code).bind(&row.pattern)
            .bind(row.yearly_reset).bind(row.retention_years).bind(&row.updated_by).bind(row.updated_at)
            .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(row)
    }

    /// The region's rule for `kind`, if it set one.
    ///
    /// # Errors
    /// Database errors.
    pub async fn numbering_rule(
        &self,
        region: &str,
        kind: NumberedKind,
    ) -> Result<Option<NumberingRuleRow>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {RULE_COLS} FROM numbering_rules WHERE region_code = $1 AND kind = $2")))
                .bind(region).bind(kind.as_str()).fetch_optional(p).await?
        }))
    }

    /// The region's rules, by kind.
    ///
    /// # Errors
    /// Database errors.
    pub async fn numbering_rules(&self, region: &str) -> Result<Vec<NumberingRuleRow>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {RULE_COLS} FROM numbering_rules WHERE region_code = $1 ORDER BY kind")))
                .bind(region).fetch_all(p).await?
        }))
    }

    /// The numbers the region issued, newest first (at most 500), in one year or all.
    ///
    /// # Errors
    /// Database errors.
    pub async fn number_register(
        &self,
        region: &str,
        year: Option<i32>,
    ) -> Result<Vec<RegisterEntry>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            match year {
                Some(y) => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT {ENTRY_COLS} FROM number_register WHERE region_code = $1 AND year = $2 ORDER BY issued_at DESC, seq DESC LIMIT 500")))
                    .bind(region).bind(y).fetch_all(p).await?,
                None => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT {ENTRY_COLS} FROM number_register WHERE region_code = $1 ORDER BY issued_at DESC, seq DESC LIMIT 500")))
                    .bind(region).fetch_all(p).await?,
            }
        }))
    }

    /// The register entries of one document: each party's number and archive metadata.
    ///
    /// # Errors
    /// Database errors.
    pub async fn agreement_register(
        &self,
        agreement: AgreementId,
    ) -> Result<Vec<RegisterEntry>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ENTRY_COLS} FROM number_register WHERE agreement_id = $1 ORDER BY party_ordinal")))
                .bind(agreement.0).fetch_all(p).await?
        }))
    }

    /// Gives every party of the agreement that has no number yet (and did not declare it
    /// unpublished) the next number of its own region's rule for the kind; a party whose
    /// region set no rule keeps typing its number. A party this document was numbered for
    /// before gets the same number back. Returns the entries issued or found.
    ///
    /// # Errors
    /// A stale agreement (changed meanwhile); database errors.
    pub async fn issue_numbers(
        &self,
        case_id: CaseId,
        agreement_id: AgreementId,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Vec<RegisterEntry>, StoreError> {
        let current = self.get_agreement(case_id, agreement_id).await?;
        let kind = NumberedKind::of_agreement(current.kind);
        let mut wanted = Vec::new();
        for p in current
            .parties
            .iter()
            .filter(|p| p.number.is_none() && !p.number_unpublished)
        {
            let Some(region) = &p.region else { continue };
            if let Some(rule) = self
                .numbering_rule(region.as_str(), kind)
                .await?
                .and_then(|r| r.rule())
            {
                wanted.push((region.to_string(), p.ordinal, rule));
            }
        }
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        // One lock order for every transaction: by region, then party.
        wanted.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        let today = crate::cases::today(now);
        let mut next = current.clone();
        let mut issued = Vec::new();
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            // Write first: the agreement's row is held (PostgreSQL) and the database's write
            // lock taken (SQLite, which waits for it here instead of failing on a later
            // upgrade from reading to writing).
            sqlx::query("UPDATE agreements SET updated_at = updated_at WHERE id = $1")
                .bind(agreement_id.0).execute(&mut *tx).await?;
            for (region, ordinal, rule) in &wanted {
                let ord = i32::from(*ordinal);
                let found: Option<RegisterEntry> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT {ENTRY_COLS} FROM number_register WHERE agreement_id = $1 AND party_ordinal = $2")))
                    .bind(agreement_id.0).bind(ord).fetch_optional(&mut *tx).await?;
                let entry = if let Some(e) = found { e } else {
                    let mut e = entry_for(region, kind, rule, (case_id.0, *ordinal), (today, current.ends_on), actor, now);
                    e.agreement_id = Some(agreement_id.0);
                    match allocate_number!(tx, rule, today, e)? {
                        Some(e) => e,
                        // The same party numbered by a finalisation that committed meanwhile.
                        None => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                            "SELECT {ENTRY_COLS} FROM number_register WHERE agreement_id = $1 AND party_ordinal = $2")))
                            .bind(agreement_id.0).bind(ord).fetch_one(&mut *tx).await?,
                    }
                };
                if let Some(party) = next.parties.iter_mut().find(|x| x.ordinal == *ordinal) {
                    party.number = Some(entry.number.clone());
                }
                issued.push(entry);
            }
            next.version = current.version + 1;
            next.updated_at = now;
            update_agreement!(tx, &next, current.version)?;
            let mut h = HistoryEntry::new(case_id, actor, "numbers_issued", now);
            h.details = serde_json::json!({
                "agreement": agreement_id, "kind": kind,
                "numbers": issued.iter().map(|e| serde_json::json!({"region": e.region_code, "party": e.party_ordinal, "number": e.number})).collect::<Vec<_>>(),
            });
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new("numbering.issued", "agreement", agreement_id).case(case_id.0).before(&current).after(&next))?;
            tx.commit().await?;
        });
        Ok(issued)
    }
}
