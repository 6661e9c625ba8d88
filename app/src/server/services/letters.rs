//! Invitation letters: a host admin issues one for a confirmed stay, in the traveller's language or another; the
//! traveller and the host admins download it as a PDF; anyone holding it opens its address to see that it is
//! genuine and whether it still stands. A letter keeps what it said when it was issued: the verification page
//! shows exactly that, and no more (not the address once the letter no longer stands).

use chrono::{DateTime, Utc};
use rand::Rng;

use crate::domain::notice::{Audience, Topic, kind};
use crate::domain::{CountryCode, Purpose, StayRequestId, StayStatus};
use crate::error::Refusal;
use crate::server::auth::SessionUser;
use crate::server::authz::{self, Actor};
use crate::server::store::audit::{self, Subject};
use crate::server::store::letters::{self, LetterRow, NewLetter};
use crate::server::store::notifications::{self, NewNotice};
use crate::server::store::stays::{self, StayDetailRow};
use crate::server::store::users;
use crate::server::{Db, ServiceError, StoreError, Tx};
use crate::views::letters::{LANGUAGES, LetterCheck, LetterFacts, LetterLink, LetterState, StayLetters};

/// The letters of a token: no vowel-like look-alikes (no i, l, o, 1), 32 of them, so 20 make 100 random bits.
const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz023456789";
const TOKEN_LENGTH: usize = 20;

fn token() -> String {
    let mut bytes = [0_u8; TOKEN_LENGTH];
    rand::rng().fill(&mut bytes);
    // 256 is a multiple of 32: every letter is as likely.
    bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect()
}

/// Whether `raw` could be a token at all (read before any query: a wrong one is simply not found).
fn well_formed(raw: &str) -> bool {
    raw.len() == TOKEN_LENGTH && raw.bytes().all(|b| ALPHABET.contains(&b))
}

/// The letter's public address.
pub fn address(site: &str, token: &str) -> String {
    format!("{}/letters/{token}", site.trim_end_matches('/'))
}

fn state(row: &LetterRow) -> LetterState {
    if row.revoked_at.is_some() {
        LetterState::Withdrawn
    } else if matches!(row.stay_status.as_str(), "confirmed" | "completed") {
        LetterState::Valid
    } else {
        LetterState::StayCancelled
    }
}

fn facts(row: &LetterRow, with_address: bool) -> Result<LetterFacts, ServiceError> {
    Ok(LetterFacts {
        traveller_name: row.traveller_name.clone(),
        traveller_coop: row.traveller_coop.clone(),
        host_coop: row.host_coop.clone(),
        host_city: row.host_city.clone(),
        host_country: CountryCode::parse(&row.host_country)?,
        network_name: row.network_name.clone(),
        check_in: row.check_in,
        check_out: row.check_out,
        nights: (row.check_out - row.check_in).num_days(),
        purpose: Purpose::parse(&row.purpose)?,
        address: with_address.then(|| row.address.clone()),
        signer_name: row.signer_name.clone(),
        issued_at: row.issued_at,
        language: row.language.clone(),
    })
}

/// The stay `id` for a host admin of its host co-op. Its traveller and its network's coordinators, who read the
/// stay, are refused; anyone else does not learn that it exists.
async fn hosted(tx: &mut Tx, user: &SessionUser, id: StayRequestId) -> Result<StayDetailRow, ServiceError> {
    let row = stays::find(tx, id).await?.ok_or(ServiceError::NotFound)?;
    if authz::hosts(tx, user, row.host_coop_id).await? {
        return Ok(row);
    }
    let reads = row.traveller_id == user.id || user.is_admin || authz::coordinates(tx, user, row.network_id).await?;
    Err(if reads { ServiceError::Forbidden } else { ServiceError::NotFound })
}

/// A host admin issues the letter of a confirmed stay in `language_raw` (`en`, `es`, `pt`), signed with their
/// name; the traveller is told. Issuing again in the same language gives the letter already in force. Returns
/// its token.
pub async fn issue(
    db: &Db,
    actor: &Actor,
    id: StayRequestId,
    language_raw: &str,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    let user = actor.require_user()?;
    let language = language_raw.trim();
    if !LANGUAGES.contains(&language) {
        return Err(ServiceError::Invalid(Refusal::LetterLanguage { value: language_raw.chars().take(20).collect() }));
    }
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, user, id).await?;
    if StayStatus::parse(&row.status)? != StayStatus::Confirmed {
        return Err(ServiceError::Invalid(Refusal::LetterNeedsConfirmedStay));
    }
    let in_force = letters::of_stay(&mut tx, id).await?;
    if let Some(letter) = in_force.iter().find(|l| l.language == language && l.revoked_at.is_none()) {
        return Ok(letter.token.clone());
    }
    let token = token();
    let new = NewLetter {
        token: &token,
        stay: id,
        language,
        issued_by: user.id,
        issued_at: now,
        traveller_name: &row.traveller_name,
        traveller_coop: &row.traveller_coop_name,
        host_coop: &row.host_coop_name,
        host_city: &row.host_city,
        host_country: &row.host_country,
        network_name: &row.network_name,
        check_in: row.check_in,
        check_out: row.check_out,
        purpose: &row.purpose,
        address: &row.address,
        signer_name: &user.display_name,
    };
    match letters::insert(&mut tx, &new).await {
        Ok(()) => {}
        // Two issues at once: the other one's letter is the one in force.
        Err(StoreError::Conflict(_)) => return Err(ServiceError::Conflict(Refusal::RequestChanged)),
        Err(StoreError::Invariant(_)) => return Err(ServiceError::Invalid(Refusal::LetterNeedsConfirmedStay)),
        Err(other) => return Err(other.into()),
    }
    let subject = Subject { network: Some(row.network_id), coop: Some(row.host_coop_id), user: Some(row.traveller_id) };
    audit::record(&mut tx, Some(user.id), "letter_issued", subject, language).await?;
    if row.traveller_id != user.id {
        let notice = NewNotice {
            kind: kind::LETTER_ISSUED,
            topic: Topic::Stays,
            request: Some(id),
            event: None,
            message: None,
            network: None,
            coop: None,
            actor: Some(user.id),
            body: "",
        };
        notifications::notify(&mut tx, &[(row.traveller_id, Audience::Traveller)], &notice).await?;
    }
    tx.commit().await?;
    tracing::info!(stay_request_id = %id, user_id = %user.id, language, "invitation letter issued");
    Ok(token)
}

/// A host admin withdraws a letter of their stay, with an optional note (shown on the stay's page only). Its
/// verification page then says it is no longer valid.
pub async fn withdraw(
    db: &Db,
    actor: &Actor,
    id: StayRequestId,
    token: &str,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let user = actor.require_user()?;
    let note = crate::domain::account::bounded_text(note, "note", 0, 500)?;
    let mut tx = db.begin_write().await?;
    let row = hosted(&mut tx, user, id).await?;
    let letter = match well_formed(token) {
        true => letters::by_token(&mut tx, token).await?.filter(|l| l.stay_request_id == id),
        false => None,
    };
    let letter = letter.ok_or(ServiceError::NotFound)?;
    if letters::revoke(&mut tx, &letter.token, now, &note).await? {
        let subject =
            Subject { network: Some(row.network_id), coop: Some(row.host_coop_id), user: Some(row.traveller_id) };
        audit::record(&mut tx, Some(user.id), "letter_withdrawn", subject, &note).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The letters of a stay for its page (the caller already may read the stay): its traveller, the host admins and
/// the network's coordinators see them; the host admins (`host`, as the stay's page found) may issue one while
/// the stay is confirmed.
pub async fn of_stay(tx: &mut Tx, row: &StayDetailRow, host: bool) -> Result<StayLetters, ServiceError> {
    let traveller_language = match users::find_by_id(tx, row.traveller_id).await? {
        Some(traveller) if LANGUAGES.contains(&traveller.locale.as_str()) => traveller.locale,
        _ => "en".to_owned(),
    };
    let letters = letters::of_stay(tx, row.stay_request_id)
        .await?
        .into_iter()
        .map(|l| LetterLink {
            state: state(&l),
            token: l.token,
            language: l.language,
            issued_at: l.issued_at,
            revoked_note: l.revoked_note,
        })
        .collect();
    Ok(StayLetters { letters, may_issue: host && row.status == StayStatus::Confirmed.as_str(), traveller_language })
}

/// A letter as a PDF for its stay's traveller, host admins and coordinators, while it stands: the file's name
/// and bytes. The verification address printed on it starts with `site`.
pub async fn pdf(
    db: &Db,
    actor: &Actor,
    id: StayRequestId,
    token: &str,
    site: &str,
) -> Result<(String, Vec<u8>), ServiceError> {
    let user = actor.require_user()?;
    if !well_formed(token) {
        return Err(ServiceError::NotFound);
    }
    let mut tx = db.begin_read().await?;
    let row = stays::find(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    let reads = row.traveller_id == user.id
        || user.is_admin
        || authz::hosts(&mut tx, user, row.host_coop_id).await?
        || authz::coordinates(&mut tx, user, row.network_id).await?;
    let letter = letters::by_token(&mut tx, token).await?.filter(|l| l.stay_request_id == id);
    tx.commit().await?;
    let letter = letter.filter(|_| reads).ok_or(ServiceError::NotFound)?;
    if state(&letter) != LetterState::Valid {
        return Err(ServiceError::Invalid(Refusal::LetterNeedsConfirmedStay));
    }
    let words = crate::server::letter::words(&facts(&letter, true)?, &address(site, token), token);
    // Setting the page and subsetting the font take a few milliseconds of CPU: off the async workers.
    let bytes = tokio::task::spawn_blocking(move || crate::server::letter::render(&words))
        .await
        .map_err(|error| ServiceError::Internal(format!("the letter's renderer stopped: {error}")))?
        .map_err(ServiceError::Internal)?;
    let name = format!("invitation-{}-{}.pdf", id.0, letter.language);
    Ok((name, bytes))
}

/// Anyone holding a letter checks it at its address: what it says, and whether it still stands. Once it no
/// longer does, the page leaves out the stay's address.
pub async fn check(db: &Db, token: &str) -> Result<LetterCheck, ServiceError> {
    if !well_formed(token) {
        return Err(ServiceError::NotFound);
    }
    let mut tx = db.reader().await?;
    let letter = letters::by_token(&mut tx, token).await?.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    let state = state(&letter);
    Ok(LetterCheck {
        reference: crate::server::letter::grouped(&letter.token),
        state,
        revoked_at: letter.revoked_at,
        facts: facts(&letter, state == LetterState::Valid)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_twenty_letters_of_the_alphabet_and_differ() {
        let (a, b) = (token(), token());
        assert!(well_formed(&a) && well_formed(&b));
        assert_ne!(a, b);
        assert!(!well_formed("short"));
        assert!(!well_formed("ABCDEFGHJKMNPQRSTUVW"));
        assert!(!well_formed("abcdefghjkmnpqrstuv/"));
    }
}
