//! Erasing a person's data when they delete their account: everything personal goes; the stays, messages and
//! audit events that co-ops and networks keep as their records stay, with the account as "a former member".

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::UserId;
use crate::server::{StoreError, Tx, db::run};

use crate::domain::account::FORMER_MEMBER;

/// The co-ops where `user` is the only host admin (they must hand the role over first).
pub async fn coops_only_hosted_by(tx: &mut Tx, user: UserId) -> Result<Vec<String>, StoreError> {
    const SQL: &str = "SELECT c.name FROM coop_members m JOIN coops c ON c.coop_id = m.coop_id \
                       WHERE m.user_id = $1 AND m.role = 'host_admin' AND NOT EXISTS (SELECT 1 FROM coop_members o \
                         WHERE o.coop_id = m.coop_id AND o.role = 'host_admin' AND o.user_id <> $1) ORDER BY c.name";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).fetch_all(&mut *c).await)?)
}

/// How many of `user`'s requests are still under way on `today` (asked, accepted, or confirmed and not over).
pub async fn stays_in_progress(tx: &mut Tx, user: UserId, today: NaiveDate) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM stay_requests WHERE traveller_id = $1 \
                       AND (status IN ('requested', 'accepted') OR (status = 'confirmed' AND check_out > $2))";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).bind(today).fetch_one(&mut *c).await)?)
}

/// Erases `user`'s personal data (see the module's text); `throttle_subjects` are their rows in `throttles`.
pub async fn erase(
    tx: &mut Tx,
    user: UserId,
    display_name: &str,
    throttle_subjects: &[String],
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let address = format!("deleted-{user}@deleted.invalid");
    const USER: &str = "UPDATE users SET email = $1, display_name = $2, password_hash = '!', locale = 'en', \
                        ical_token = NULL, session_key = $3, bio = '', languages = '', skills = '', email_verified_at = NULL, is_admin = $4, \
                        deleted_at = $5, updated_at = $5 WHERE user_id = $6";
    let key = format!("deleted-{}", at.timestamp_micros());
    let no = false;
    run!(tx, |c| sqlx::query(USER)
        .bind(&address)
        .bind(FORMER_MEMBER)
        .bind(&key)
        .bind(no)
        .bind(at)
        .bind(user)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    for sql in [
        "DELETE FROM coop_members WHERE user_id = $1",
        "DELETE FROM network_coordinators WHERE user_id = $1",
        "DELETE FROM notifications WHERE user_id = $1",
        "DELETE FROM email_verifications WHERE user_id = $1",
        "DELETE FROM email_preferences WHERE user_id = $1",
        "UPDATE stay_requests SET trip_id = NULL WHERE traveller_id = $1",
        "DELETE FROM trips WHERE traveller_id = $1",
        // Their words after a stay, and what hosts wrote about them: a reference is about a person.
        "DELETE FROM stay_references WHERE author_id = $1",
        "DELETE FROM stay_references WHERE side = 'host' AND stay_request_id IN \
           (SELECT stay_request_id FROM stay_requests WHERE traveller_id = $1)",
        // Letters inviting them (their verification pages then say no such letter exists), and their name as the
        // signer of letters they issued for their co-op.
        "DELETE FROM invitation_letters WHERE stay_request_id IN \
           (SELECT stay_request_id FROM stay_requests WHERE traveller_id = $1)",
        "UPDATE invitation_letters SET signer_name = '' WHERE issued_by = $1",
        // Their blocks end with them; reports they made stay for the moderators, without their name.
        "DELETE FROM blocks WHERE blocker_id = $1 OR blocked_id = $1",
        "DELETE FROM daily_counts WHERE user_id = $1",
        "UPDATE reports SET reporter_id = NULL WHERE reporter_id = $1",
    ] {
        run!(tx, |c| sqlx::query(sql).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    // Other people's notifications that name the person ("… asks to stay") keep their sense, not the name.
    const MENTIONS: &str = "UPDATE notifications SET body = REPLACE(body, $1, $2) WHERE body LIKE $3";
    let pattern = format!("%{display_name}%");
    run!(tx, |c| sqlx::query(MENTIONS)
        .bind(display_name)
        .bind(FORMER_MEMBER)
        .bind(&pattern)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    // Audit notes that name the person (a coordinator's appointment notes their name).
    const NOTES: &str = "UPDATE audit_events SET note = '' WHERE note = $1 AND (subject_id = $2 OR actor_id = $2)";
    run!(tx, |c| sqlx::query(NOTES).bind(display_name).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    for subject in throttle_subjects {
        const THROTTLE: &str = "DELETE FROM throttles WHERE subject = $1";
        run!(tx, |c| sqlx::query(THROTTLE).bind(subject).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}
