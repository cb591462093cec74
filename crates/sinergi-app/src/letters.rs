//! Letters: each party records the letters it sends (its offer, its reply, its notice).

use crate::{App, AppError, Caller};
use sinergi_domain::authority;
use sinergi_domain::ids::CaseId;
use sinergi_domain::letter::{Letter, NewLetterInput};

impl App {
    /// Records a letter sent by the caller's own party. A user's letter is from their own
    /// region (the sender defaults to it); only the operator records letters of any party.
    ///
    /// # Errors
    /// `auth.not_your_act` for a letter from another party; the domain's refusals.
    pub async fn add_letter(
        &self,
        who: &Caller,
        id: CaseId,
        input: &NewLetterInput,
    ) -> Result<Letter, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let mut input = input.clone();
        let own = authority::own_party(&who.principal, &case);
        if input
            .from_region
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            input.from_region = own.and_then(|p| p.region.as_ref().map(ToString::to_string));
        }
        let sender = input.from_region.as_deref().and_then(|r| {
            case.parties
                .iter()
                .find(|p| p.region.as_ref().is_some_and(|c| c.as_str() == r.trim()))
        });
        match sender {
            Some(p) => {
                authority::authorize(
                    &who.principal,
                    &case,
                    &authority::of_letter(p.ordinal),
                    unit,
                    None,
                )?;
            }
            // No known sender: the domain names the unknown region; the role still counts.
            None => {
                authority::authorize(
                    &who.principal,
                    &case,
                    &authority::of_shared_content(),
                    unit,
                    None,
                )?;
            }
        }
        Ok(self
            .store
            .add_letter(id, &input, &who.actor(), self.now())
            .await?)
    }
}
