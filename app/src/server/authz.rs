//! Who may do what. Every service that reads or changes something not public starts here; the server function
//! only passes the session's user along. Admins may do everything a host admin or coordinator may.

use crate::domain::{CoopId, NetworkId};
use crate::server::auth::SessionUser;
use crate::server::db::run;
use crate::server::{ServiceError, StoreError, Tx};

/// The caller of a service: a logged-in user, or nobody.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user: Option<SessionUser>,
}

impl Actor {
    pub fn anonymous() -> Self {
        Actor { user: None }
    }

    pub fn user(user: SessionUser) -> Self {
        Actor { user: Some(user) }
    }

    /// The logged-in user, or `Unauthorized`.
    pub fn require_user(&self) -> Result<&SessionUser, ServiceError> {
        self.user.as_ref().ok_or(ServiceError::Unauthorized)
    }

    /// An instance admin, or `Forbidden` (`Unauthorized` when nobody is logged in).
    pub fn require_admin(&self) -> Result<&SessionUser, ServiceError> {
        let user = self.require_user()?;
        if user.is_admin { Ok(user) } else { Err(ServiceError::Forbidden) }
    }
}

/// The caller's role in a co-op, if a member.
pub async fn coop_role(tx: &mut Tx, user: &SessionUser, coop: CoopId) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT role FROM coop_members WHERE coop_id = $1 AND user_id = $2";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(coop).bind(user.id).fetch_optional(&mut *c).await)?)
}

/// Whether the caller is one of `coop`'s own host admins (an instance admin is not, unless a member).
pub async fn hosts(tx: &mut Tx, user: &SessionUser, coop: CoopId) -> Result<bool, StoreError> {
    Ok(coop_role(tx, user, coop).await?.as_deref() == Some("host_admin"))
}

/// A host admin of `coop` (or an instance admin), or `Forbidden`.
pub async fn require_coop_admin<'a>(
    tx: &mut Tx,
    actor: &'a Actor,
    coop: CoopId,
) -> Result<&'a SessionUser, ServiceError> {
    let user = actor.require_user()?;
    if user.is_admin || hosts(tx, user, coop).await? { Ok(user) } else { Err(ServiceError::Forbidden) }
}

/// Whether the user coordinates `network`.
pub async fn coordinates(tx: &mut Tx, user: &SessionUser, network: NetworkId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM network_coordinators WHERE network_id = $1 AND user_id = $2";
    let n: i64 = run!(tx, |c| sqlx::query_scalar(SQL).bind(network).bind(user.id).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

/// A coordinator of `network` (or an instance admin), or `Forbidden`.
pub async fn require_coordinator<'a>(
    tx: &mut Tx,
    actor: &'a Actor,
    network: NetworkId,
) -> Result<&'a SessionUser, ServiceError> {
    let user = actor.require_user()?;
    if user.is_admin || coordinates(tx, user, network).await? { Ok(user) } else { Err(ServiceError::Forbidden) }
}
