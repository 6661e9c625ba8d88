//! Password hashing: Argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1), always off the async runtime.

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use super::ServiceError;

fn argon2() -> Result<Argon2<'static>, ServiceError> {
    let params = Params::new(19_456, 2, 1, None).map_err(|e| ServiceError::Internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `password` into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) on a blocking thread.
pub async fn hash(password: String) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let hash: Result<PasswordHash, _> = argon2()?.hash_password(password.as_bytes());
        hash.map(|hash| hash.to_string()).map_err(|e| ServiceError::Internal(format!("argon2 hash: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("hashing task: {e}")))?
}

/// Whether `password` matches the stored PHC string, checked on a blocking thread.
pub async fn verify(password: String, phc: String) -> Result<bool, ServiceError> {
    tokio::task::spawn_blocking(move || {
        // A malformed stored hash verifies nothing: it counts as a wrong password.
        Ok(argon2()?.verify_password(password.as_bytes(), phc.as_str()).is_ok())
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("verifying task: {e}")))?
}
