//! Sinergi's application layer (ADR 0010): each use case — open a case, take a step, record
//! a party's DPRD decision, sign, comment, upload a scan, … — is one function here that loads
//! what it needs, asks the domain whose act it is and whether the caller may do it
//! (`sinergi_domain::authority`), and writes through the store. The JSON handlers, the page
//! handlers and the command line are thin doors over these functions, so no check is
//! written twice.
//!
//! ```text
//! sinergi-web (api/, pages/) ─┐
//! sinergi (CLI)  ─────────────┼─▶ sinergi-app ─▶ sinergi-store ─▶ sinergi-domain
//! ```

mod accounts;
mod agreements;
mod cases;
mod central_approvals;
mod disputes;
mod documents;
mod error;
mod inbox;
mod kajian;
mod kak;
mod letters;
mod monitoring;
mod notices;
mod numbering;
mod opd;
mod register_import;
mod reports;
mod settings;

pub use disputes::DisputeStep;
pub use documents::{DocTarget, Signed, document_kind};
pub use error::AppError;
pub use inbox::{Awaited, AwaitingCase};
pub use numbering::numbered_kind;
pub use register_import::{
    ColumnView, ImportProgress, RegisterReport, RegisterRequest, ReportCounts, ReportRow, RowStatus,
};
pub use settings::DocumentSettings;

use sinergi_domain::access::{Actor, Principal, Role};
use sinergi_domain::case::Case;
use sinergi_domain::clock::Clock;
use sinergi_domain::official::Official;
use sinergi_store::{CaseAccess, Store};
use std::sync::Arc;
use time::OffsetDateTime;

/// What every use case works with: the store, the clock, the document settings.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub clock: Arc<dyn Clock>,
    pub documents: Arc<DocumentSettings>,
    /// Notices of acts also go out by e-mail (SMTP is configured for the worker).
    pub email_notices: bool,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App").finish_non_exhaustive()
    }
}

/// Who asks: the signed-in principal (or the operator, or Sinergi itself) and the request id
/// that the audit log records.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub request_id: Option<String>,
}

impl Caller {
    #[must_use]
    pub fn new(principal: Principal, request_id: Option<String>) -> Self {
        Self {
            principal,
            request_id,
        }
    }

    /// The actor of a change made for this caller.
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor::of(&self.principal, self.request_id.clone())
    }

    /// The actor when the change is made for an official: staff acting "atas nama" the
    /// kepala daerah are recorded with the official they actually acted for.
    #[must_use]
    pub fn actor_for(&self, official: Option<&Official>) -> Actor {
        let mut a = self.actor();
        if let Some(o) = official
            && self.principal.has(Role::KepalaDaerahStaff)
        {
            let name = format!("{} {}", o.title(), o.name);
            a.label = format!("{} a.n. {name}", self.principal.username);
            a.on_behalf_of = Some(name);
        }
        a
    }

    #[must_use]
    pub fn is_operator(&self) -> bool {
        self.principal.has(Role::Operator)
    }
}

impl App {
    #[must_use]
    pub fn new(store: Store, clock: Arc<dyn Clock>, documents: Arc<DocumentSettings>) -> Self {
        Self {
            store,
            clock,
            documents,
            email_notices: false,
        }
    }

    fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// A case the principal may read (published, or its party — the partner once the offer
    /// reached it — or its overseer); otherwise it does not exist for them.
    ///
    /// # Errors
    /// `case.not_found`; database errors.
    pub async fn readable_case(
        &self,
        principal: &sinergi_domain::access::Principal,
        id: sinergi_domain::ids::CaseId,
    ) -> Result<Case, AppError> {
        let who = Caller::new(principal.clone(), None);
        Ok(self.case_for(id, &who).await?.0)
    }

    /// A case with what the permission check needs to know about it.
    async fn case_for(
        &self,
        id: sinergi_domain::ids::CaseId,
        who: &Caller,
    ) -> Result<(Case, bool), AppError> {
        let case = self.store.get_case(id).await?;
        let access: CaseAccess = self.store.case_access(id).await?.unwrap_or_default();
        let unit = access.involves_unit(&who.principal);
        let rel = sinergi_domain::authority::relation(&who.principal, &case);
        if !sinergi_domain::authority::may_read(
            &who.principal,
            rel,
            case.published,
            case.offered,
            unit,
        ) {
            return Err(sinergi_domain::DomainError::not_found("case", id).into());
        }
        Ok((case, unit))
    }
}
