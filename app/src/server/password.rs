//! Password hashing: Argon2id with the OWASP parameters (m = 19 MiB, t = 2, p = 1), off the async runtime.
//!
//! Hashes run on a few threads of their own, one per core, fed by a bounded queue. Each hash takes 19 MiB; run on
//! the runtime's blocking pool, a burst of 32 log-ins ran 32 at once on 32 threads, and the allocator kept every
//! thread's 19 MiB: the server grew to 2.5 GB and stayed there. On a fixed set of threads the memory is used
//! again and again, so it stays at about 19 MiB per core, and a burst waits in the queue; a burst larger than the
//! queue is told to come back (`Busy`, 503) rather than taking the machine down.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, LazyLock, Mutex};

use argon2::{Algorithm, Argon2, Params, PasswordHash, PasswordHasher, PasswordVerifier, Version};

use super::ServiceError;

/// Hashes waiting for a thread, at most.
const QUEUE: usize = 64;

type Job = Box<dyn FnOnce() + Send>;

/// The hashing threads' queue.
static WORKERS: LazyLock<SyncSender<Job>> = LazyLock::new(|| {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let (jobs, queue) = sync_channel::<Job>(QUEUE);
    let queue: Arc<Mutex<Receiver<Job>>> = Arc::new(Mutex::new(queue));
    for i in 0..threads {
        let queue = queue.clone();
        let spawned = std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || {
            loop {
                let job = match queue.lock() {
                    Ok(queue) => queue.recv(),
                    Err(poisoned) => poisoned.into_inner().recv(),
                };
                match job {
                    // A panicking hash must not take the thread with it.
                    Ok(job) => drop(std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))),
                    Err(_) => return,
                }
            }
        });
        if let Err(error) = spawned {
            tracing::error!("cannot start a password-hashing thread: {error}");
        }
    }
    jobs
});

/// Runs `work` on a hashing thread and waits for its result without blocking the runtime.
async fn on_hashing_thread<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, ServiceError> {
    let (done, result) = tokio::sync::oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = done.send(work());
    });
    match WORKERS.try_send(job) {
        Ok(()) => {}
        Err(TrySendError::Full(_)) => {
            tracing::warn!("password hashing queue full: request refused");
            return Err(ServiceError::Busy("the server is busy: try again in a few seconds".into()));
        }
        Err(TrySendError::Disconnected(_)) => return Err(ServiceError::Internal("no password-hashing thread".into())),
    }
    result.await.map_err(|_| ServiceError::Internal("the password-hashing thread gave no answer".into()))
}

fn argon2() -> Result<Argon2<'static>, ServiceError> {
    let params = Params::new(19_456, 2, 1, None).map_err(|e| ServiceError::Internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `password` into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
pub async fn hash(password: String) -> Result<String, ServiceError> {
    on_hashing_thread(move || {
        let hash: Result<PasswordHash, _> = argon2()?.hash_password(password.as_bytes());
        hash.map(|hash| hash.to_string()).map_err(|e| ServiceError::Internal(format!("argon2 hash: {e}")))
    })
    .await?
}

/// Whether `password` matches the stored PHC string.
pub async fn verify(password: String, phc: String) -> Result<bool, ServiceError> {
    on_hashing_thread(move || {
        // A malformed stored hash verifies nothing: it counts as a wrong password.
        Ok(argon2()?.verify_password(password.as_bytes(), phc.as_str()).is_ok())
    })
    .await?
}
