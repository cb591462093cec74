//! Letters: each party records the letters it sends (its offer, its reply, its notice), and
//! may correct, withdraw or mark sent its own letter until it is sent.

use crate::{App, AppError, Caller};
use sinergi_domain::DomainError;
use sinergi_domain::authority;
use sinergi_domain::case::Case;
use sinergi_domain::ids::{CaseId, LetterId};
use sinergi_domain::letter::{Letter, NewLetterInput};
use sinergi_store::LetterChange;
use time::OffsetDateTime;

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
        authorize_sender(who, &case, unit, input.from_region.as_deref())?;
        Ok(self
            .store
            .add_letter(id, &input, &who.actor(), self.now())
            .await?)
    }

    /// Corrects a letter the caller's party recorded and has not sent yet; the correction is
    /// checked as a new letter is, and `expected_version` must be the letter's version.
    ///
    /// # Errors
    /// `auth.not_your_act` for another party's letter (or a correction naming another
    /// sender); `letter.already_sent`, `letter.withdrawn`, a version conflict; the domain's
    /// refusals of the letter itself.
    pub async fn correct_letter(
        &self,
        who: &Caller,
        id: CaseId,
        letter: LetterId,
        input: &NewLetterInput,
        expected_version: i64,
    ) -> Result<Letter, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let before = self.store.get_letter(id, letter).await?;
        authorize_sender(who, &case, unit, sender_of(&before).as_deref())?;
        let mut input = input.clone();
        if input
            .from_region
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
        {
            input.from_region = sender_of(&before);
        }
        authorize_sender(who, &case, unit, input.from_region.as_deref())?;
        // The domain asks the region of the signatory the correction names, if any.
        let signer = match input.signatory {
            Some(s) => self.store.find_official(s).await?,
            None => None,
        };
        let next = before.corrected(&input, expected_version, &case, |o| {
            signer
                .as_ref()
                .filter(|x| x.id == o)
                .map(|x| x.region.clone())
        })?;
        self.store
            .write_letter(
                &before,
                &next,
                LetterChange::Correct,
                &who.actor(),
                self.now(),
            )
            .await?;
        Ok(next)
    }

    /// Withdraws a letter the caller's party recorded and has not sent yet; it then serves
    /// no act.
    ///
    /// # Errors
    /// As [`App::correct_letter`].
    pub async fn withdraw_letter(
        &self,
        who: &Caller,
        id: CaseId,
        letter: LetterId,
        expected_version: i64,
    ) -> Result<Letter, AppError> {
        self.change_letter(who, (id, letter), LetterChange::Withdraw, |l, now| {
            l.withdrawn(expected_version, now)
        })
        .await
    }

    /// Marks sent a letter the caller's party recorded that no act sends (an invitation, a
    /// DPRD request); from then on it can no longer be corrected or withdrawn.
    ///
    /// # Errors
    /// As [`App::correct_letter`].
    pub async fn mark_letter_sent(
        &self,
        who: &Caller,
        id: CaseId,
        letter: LetterId,
        expected_version: i64,
    ) -> Result<Letter, AppError> {
        self.change_letter(who, (id, letter), LetterChange::MarkSent, |l, now| {
            l.marked_sent(expected_version, now)
        })
        .await
    }

    /// A change of one letter by its sender: load it, check the caller acts for its sender,
    /// let the domain make the next letter at one instant, write it with that instant.
    async fn change_letter(
        &self,
        who: &Caller,
        (id, letter): (CaseId, LetterId),
        change: LetterChange,
        next_of: impl FnOnce(&Letter, OffsetDateTime) -> Result<Letter, DomainError>,
    ) -> Result<Letter, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let before = self.store.get_letter(id, letter).await?;
        authorize_sender(who, &case, unit, sender_of(&before).as_deref())?;
        let now = self.now();
        let next = next_of(&before, now)?;
        self.store
            .write_letter(&before, &next, change, &who.actor(), now)
            .await?;
        Ok(next)
    }
}

fn sender_of(l: &Letter) -> Option<String> {
    l.from_region.as_ref().map(ToString::to_string)
}

/// The caller may act for the letter's sender: its own party's letter (the operator: any).
/// Without a known sender, the domain names the unknown region; the role still counts.
fn authorize_sender(
    who: &Caller,
    case: &Case,
    unit: bool,
    from_region: Option<&str>,
) -> Result<(), AppError> {
    let sender = from_region.and_then(|r| {
        case.parties
            .iter()
            .find(|p| p.region.as_ref().is_some_and(|c| c.as_str() == r.trim()))
    });
    let act = match sender {
        Some(p) => authority::of_letter(p.ordinal),
        None => authority::of_shared_content(),
    };
    authority::authorize(&who.principal, case, &act, unit, None)?;
    Ok(())
}
