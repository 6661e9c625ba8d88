//! The accept loop's timeouts, over a real socket: a client that never finishes its request headers is cut off,
//! and one that does is answered with the peer address known to the handlers.

#![allow(clippy::unwrap_used, reason = "tests: a failure panics with its cause")]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn listening(header_read_timeout: Duration) -> SocketAddr {
    let router = Router::new()
        .route("/peer", get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.ip().to_string() }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server::serve::serve_with(listener, router, std::future::pending(), header_read_timeout));
    addr
}

#[tokio::test]
async fn a_half_sent_request_is_cut_off_after_the_header_timeout() {
    let addr = listening(Duration::from_millis(500)).await;
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    socket.write_all(b"GET /peer HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    let started = Instant::now();
    let mut buffer = Vec::new();
    // The server closes the connection (perhaps after a 408); reading ends instead of waiting forever.
    let read = tokio::time::timeout(Duration::from_secs(10), socket.read_to_end(&mut buffer)).await;
    assert!(read.is_ok(), "the half-sent request was still held after 10 s");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_whole_request_is_answered_with_the_peer_address() {
    let addr = listening(Duration::from_millis(500)).await;
    let mut socket = tokio::net::TcpStream::connect(addr).await.unwrap();
    socket.write_all(b"GET /peer HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("127.0.0.1"), "{answer}");
}
