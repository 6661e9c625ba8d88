//! Many page loads at once through the real router, on both databases: every one is answered 200. Under load a
//! page used to panic while its `<title>` was written (a reactive read after the render's owner was gone), and the
//! connection was dropped without an answer.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

mod common;
#[path = "../../app/tests/support/mod.rs"]
mod support;

use app::server::Db;
use app::server::seed::seed_demo;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};

on_both_databases!(thousands_of_concurrent_page_loads_are_all_answered);

const LOADS: usize = 2_000;
const AT_ONCE: usize = 50;

async fn thousands_of_concurrent_page_loads_are_all_answered(db: Db) {
    seed_demo(&db, common::today()).await.unwrap();
    let app = common::router(db).await;
    let check_in = common::today_plus(40);
    let check_out = common::today_plus(42);
    let search =
        format!("/search?place=Buenos+Aires&lat=-34.6&lon=-58.4&radius=100&check_in={check_in}&check_out={check_out}");
    let pages = ["/".to_owned(), search, "/login".to_owned(), "/coops/telar-sur".to_owned()];
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(AT_ONCE));
    let mut loads = Vec::with_capacity(LOADS);
    for i in 0..LOADS {
        let (app, path, semaphore) = (app.clone(), pages[i % pages.len()].clone(), semaphore.clone());
        loads.push(tokio::spawn(async move {
            let _permit = semaphore.acquire_owned().await.unwrap();
            let request = Request::get(&path).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap();
            let response = common::send(&app, request).await;
            (path, response.status, response.body.contains("<title>"))
        }));
    }
    let mut failures = Vec::new();
    for load in loads {
        match load.await {
            Ok((_, StatusCode::OK, true)) => {}
            Ok((path, status, titled)) => failures.push(format!("{path}: {status}, title: {titled}")),
            Err(error) => failures.push(format!("the load panicked: {error}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {LOADS} page loads failed, e.g. {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
}
