//! `coop-travel load`: mixed traffic against a running server (issue #16), the way its visitors load it.
//!
//! Many keep-alive connections send requests back to back for a while (a closed loop): pages and API reads,
//! anonymous and logged in, and a few writes, in fixed proportions (`MIX`). It prints requests per second,
//! latency percentiles overall and per kind of request, every status class, the connections the server dropped
//! without an answer, and the server's memory before and after (with `--server-pid`). `scripts/bench-load` starts
//! a release build on each database and runs this against it; the figures are in docs/BENCHMARKS.md.
#![expect(clippy::print_stdout, reason = "the benchmark's report is its output")]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::bench::percentile;
use crate::http1::{Answer, HttpConn};

/// Targets of issue #16 for the mixed run.
const TARGET_P99_MS: f64 = 200.0;
/// An answer that takes longer than this counts as a timeout (the connection is then given up).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const WARM_UP: Duration = Duration::from_secs(5);

/// What the traffic is made of, in parts per hundred.
const MIX: [(Kind, u32); 13] = [
    (Kind::HomePage, 14),
    (Kind::SearchPage, 10),
    (Kind::OfferPage, 10),
    (Kind::CoopPage, 5),
    (Kind::MyStaysPage, 5),
    (Kind::CoopsApi, 10),
    (Kind::SearchApi, 10),
    (Kind::OfferApi, 10),
    (Kind::PlacesApi, 5),
    (Kind::MyStaysApi, 8),
    (Kind::NotificationsApi, 5),
    (Kind::InboxApi, 5),
    (Kind::MarkReadWrite, 3),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    HomePage,
    SearchPage,
    OfferPage,
    CoopPage,
    MyStaysPage,
    CoopsApi,
    SearchApi,
    OfferApi,
    PlacesApi,
    MyStaysApi,
    NotificationsApi,
    InboxApi,
    MarkReadWrite,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::HomePage => "page /",
            Kind::SearchPage => "page /search",
            Kind::OfferPage => "page /offers/{id}",
            Kind::CoopPage => "page /coops/{slug}",
            Kind::MyStaysPage => "page /stays (logged in)",
            Kind::CoopsApi => "GET /api/coops/list",
            Kind::SearchApi => "GET /api/search/offers",
            Kind::OfferApi => "GET /api/offers/get",
            Kind::PlacesApi => "GET /api/places/suggest",
            Kind::MyStaysApi => "GET /api/stays/mine",
            Kind::NotificationsApi => "GET /api/notifications/list",
            Kind::InboxApi => "GET /api/stays/inbox",
            Kind::MarkReadWrite => "POST /api/notifications/read",
        }
    }
}

/// `coop-travel load`: mixed traffic against a running server (issue #16); prints req/s, p50/p99, 5xx, dropped
/// connections and the server's memory.
#[derive(Debug, clap::Args)]
pub struct Options {
    /// The server, HOST:PORT.
    #[arg(long, default_value = "127.0.0.1:3000")]
    addr: SocketAddr,
    /// Keep-alive connections.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u16).range(1..=10_000))]
    connections: u16,
    /// Length of the measured run in seconds (a 5 s warm-up comes first).
    #[arg(long, default_value_t = 60.0, value_parser = crate::bench::parse_seconds)]
    seconds: f64,
    /// The server's process id, to read its memory (RSS) before and after.
    #[arg(long)]
    server_pid: Option<u32>,
    /// Demo accounts to log in as, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "traveller@demo.coop,viajera@demo.coop,host@demo.coop")]
    accounts: Vec<String>,
    /// Their password.
    #[arg(long, default_value = "coop-travel-demo")]
    password: String,
    /// The server's calendar day, if it runs on a fixed one (YYYY-MM-DD), for the dates of the requests.
    #[arg(long, env = "COOP_TRAVEL_TODAY")]
    today: Option<NaiveDate>,
}

/// One request of the mix, ready to send.
struct Request {
    kind: Kind,
    method: &'static str,
    path: String,
    /// Extra header lines (`Accept`, `Origin`, …).
    headers: String,
    body: Vec<u8>,
    /// Sent with the connection's session cookie.
    logged_in: bool,
}

/// What one connection saw.
#[derive(Default)]
struct Tally {
    /// Milliseconds of every answered request, by kind.
    latencies: BTreeMap<Kind, Vec<f64>>,
    /// Answers by status class (2, 3, 4, 5).
    classes: [u64; 6],
    /// Answers with a 5xx, by kind.
    server_errors: BTreeMap<Kind, u64>,
    /// Requests sent on an open connection that got no answer: the server closed or reset it.
    dropped: u64,
    /// No answer within `REQUEST_TIMEOUT`.
    timeouts: u64,
    /// Answers that said `Connection: close` (a new connection follows).
    closed_by_server: u64,
    connect_errors: u64,
    first_problem: Option<String>,
}

impl Tally {
    fn merge(&mut self, other: Tally) {
        for (kind, mut times) in other.latencies {
            self.latencies.entry(kind).or_default().append(&mut times);
        }
        for (class, count) in other.classes.iter().enumerate() {
            self.classes[class] += count;
        }
        for (kind, count) in other.server_errors {
            *self.server_errors.entry(kind).or_default() += count;
        }
        self.dropped += other.dropped;
        self.timeouts += other.timeouts;
        self.closed_by_server += other.closed_by_server;
        self.connect_errors += other.connect_errors;
        self.first_problem = self.first_problem.take().or(other.first_problem);
    }

    fn note(&mut self, problem: impl FnOnce() -> String) {
        if self.first_problem.is_none() {
            self.first_problem = Some(problem());
        }
    }
}

pub async fn run(options: Options) -> Result<(), String> {
    let today = options.today.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let (offers, coops) = discover(options.addr).await?;
    let mut cookies = Vec::new();
    for account in &options.accounts {
        cookies.push(log_in(options.addr, account, &options.password).await?);
    }
    let requests = Arc::new(mix(options.addr, today, &offers, &coops));
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    println!(
        "# Mixed load: {} connections for {} s against {} ({} offers, {} co-ops, {} accounts; {cores} cores shared \
         with this generator)",
        options.connections,
        options.seconds,
        options.addr,
        offers.len(),
        coops.len(),
        cookies.len()
    );
    let rss_before = options.server_pid.and_then(memory);
    // A warm-up at the same concurrency: connections opened, caches and pools filled. Not counted.
    let _ = drive_all(&options, &requests, &cookies, WARM_UP).await;
    let rss_warm = options.server_pid.and_then(memory);

    let duration = Duration::from_secs_f64(options.seconds);
    let started = Instant::now();
    let tally = drive_all(&options, &requests, &cookies, duration).await;
    let elapsed = started.elapsed().as_secs_f64();
    let rss_after = options.server_pid.and_then(memory);
    tokio::time::sleep(Duration::from_secs(10)).await;
    let rss_idle = options.server_pid.and_then(memory);

    report(&tally, elapsed);
    if let Some(pid) = options.server_pid {
        let show = |m: Option<Memory>| m.map_or("?".to_owned(), |m| format!("{:.1} MB", m.rss_kb as f64 / 1024.0));
        println!(
            "\nserver memory (pid {pid}): RSS before {}, after the warm-up {}, after the run {}, 10 s later {}; peak {}",
            show(rss_before),
            show(rss_warm),
            show(rss_after),
            show(rss_idle),
            rss_idle.map_or("?".to_owned(), |m| format!("{:.1} MB", m.peak_kb as f64 / 1024.0)),
        );
    }
    Ok(())
}

/// The published offers and listed co-ops, from the directory.
async fn discover(addr: SocketAddr) -> Result<(Vec<i64>, Vec<String>), String> {
    let mut conn = HttpConn::connect(addr).await.map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let (status, body) = conn.get("/api/coops/list", false).await.map_err(|e| format!("/api/coops/list: {e}"))?;
    if status != 200 {
        return Err(format!("/api/coops/list answered {status}: {}", String::from_utf8_lossy(&body)));
    }
    let directory: serde_json::Value =
        serde_json::from_slice(&body).map_err(|e| format!("/api/coops/list: not JSON: {e}"))?;
    let coops = directory["coops"].as_array().cloned().unwrap_or_default();
    let slugs: Vec<String> = coops.iter().filter_map(|c| c["slug"].as_str().map(str::to_owned)).collect();
    let offers: Vec<i64> = coops
        .iter()
        .flat_map(|c| c["offers"].as_array().cloned().unwrap_or_default())
        .filter_map(|o| o["id"].as_i64())
        .collect();
    if slugs.is_empty() || offers.is_empty() {
        return Err("the server lists no co-ops or offers: seed it first (coop-travel seed-demo)".into());
    }
    Ok((offers, slugs))
}

/// Logs in and returns the session cookie (`name=value`).
async fn log_in(addr: SocketAddr, email: &str, password: &str) -> Result<String, String> {
    let mut conn = HttpConn::connect(addr).await.map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    let body: String = form_urlencoded::Serializer::new(String::new())
        .append_pair("email", email)
        .append_pair("password", password)
        .finish();
    let headers = format!(
        "Accept: application/json\r\nOrigin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    );
    let answer =
        conn.send("POST", "/api/auth/login", &headers, body.as_bytes()).await.map_err(|e| format!("log-in: {e}"))?;
    if answer.status != 200 {
        return Err(format!("log-in as {email} answered {}: {}", answer.status, String::from_utf8_lossy(&answer.body)));
    }
    session_cookie(&answer).ok_or_else(|| format!("log-in as {email} set no session cookie"))
}

fn session_cookie(answer: &Answer) -> Option<String> {
    answer
        .headers_named("set-cookie")
        .filter_map(|cookie| cookie.split(';').next())
        .find(|pair| pair.contains("ct_session="))
        .map(str::to_owned)
}

/// The requests of `MIX`, each repeated by its weight and shuffled (seeded: every run sends the same sequence).
fn mix(addr: SocketAddr, today: NaiveDate, offers: &[i64], coops: &[String]) -> Vec<Request> {
    let check_in = today + chrono::Days::new(21);
    let check_out = today + chrono::Days::new(24);
    let html = "Accept: text/html,application/xhtml+xml\r\nAccept-Encoding: br, gzip\r\n".to_owned();
    let json = "Accept: application/json\r\nAccept-Encoding: br, gzip\r\n".to_owned();
    let places = ["bue", "rosario", "barcelona", "córdoba, ar", "montevideo", "sao paulo", "madrid", "mex"];
    let cities =
        [(-34.6037, -58.3816, "Buenos Aires"), (-32.9468, -60.6393, "Rosario"), (41.3874, 2.1686, "Barcelona")];
    let mut requests = Vec::new();
    for (kind, weight) in MIX {
        for n in 0..weight as usize {
            let offer = offers[n % offers.len()];
            let coop = &coops[n % coops.len()];
            let (lat, lon, city) = cities[n % cities.len()];
            let get = |path: String, headers: &str, logged_in: bool| Request {
                kind,
                method: "GET",
                path,
                headers: headers.to_owned(),
                body: Vec::new(),
                logged_in,
            };
            requests.push(match kind {
                Kind::HomePage => get("/".into(), &html, false),
                Kind::SearchPage => get(
                    format!(
                        "/search?place={}&lat={lat}&lon={lon}&radius=50&check_in={check_in}&check_out={check_out}&guests=1",
                        city.replace(' ', "+")
                    ),
                    &html,
                    false,
                ),
                Kind::OfferPage => get(format!("/offers/{offer}"), &html, false),
                Kind::CoopPage => get(format!("/coops/{coop}"), &html, false),
                Kind::MyStaysPage => get("/stays".into(), &html, true),
                Kind::CoopsApi => get("/api/coops/list".into(), &json, false),
                Kind::SearchApi => get(
                    format!(
                        "/api/search/offers?lat={lat}&lon={lon}&radius_km=100&check_in={check_in}&check_out={check_out}&guests=1"
                    ),
                    &json,
                    false,
                ),
                Kind::OfferApi => get(format!("/api/offers/get?id={offer}"), &json, false),
                Kind::PlacesApi => {
                    let q: String = form_urlencoded::byte_serialize(places[n % places.len()].as_bytes()).collect();
                    get(format!("/api/places/suggest?q={q}"), &json, false)
                }
                Kind::MyStaysApi => get("/api/stays/mine".into(), &json, true),
                Kind::NotificationsApi => get("/api/notifications/list".into(), &json, true),
                Kind::InboxApi => get("/api/stays/inbox".into(), &json, true),
                Kind::MarkReadWrite => Request {
                    kind,
                    method: "POST",
                    path: "/api/notifications/read".into(),
                    headers: format!(
                        "{json}Origin: http://{addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    ),
                    body: Vec::new(),
                    logged_in: true,
                },
            });
        }
    }
    requests.shuffle(&mut StdRng::seed_from_u64(16));
    requests
}

async fn drive_all(options: &Options, requests: &Arc<Vec<Request>>, cookies: &[String], duration: Duration) -> Tally {
    let deadline = Instant::now() + duration;
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..usize::from(options.connections) {
        let requests = requests.clone();
        let cookie = cookies[client % cookies.len()].clone();
        let start = client * requests.len() / usize::from(options.connections);
        clients.spawn(drive(options.addr, requests, cookie, start, deadline));
    }
    let mut total = Tally::default();
    while let Some(result) = clients.join_next().await {
        match result {
            Ok(tally) => total.merge(tally),
            Err(error) => total.note(|| format!("a client task failed: {error}")),
        }
    }
    total
}

/// One keep-alive connection sending requests back to back until `deadline`.
async fn drive(
    addr: SocketAddr,
    requests: Arc<Vec<Request>>,
    cookie: String,
    mut next: usize,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let cookie_line = format!("Cookie: {cookie}\r\n");
    let mut conn: Option<HttpConn> = None;
    while Instant::now() < deadline {
        let Some(c) = conn.as_mut() else {
            match HttpConn::connect(addr).await {
                Ok(c) => conn = Some(c),
                Err(error) => {
                    tally.connect_errors += 1;
                    tally.note(|| format!("connect: {error}"));
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            }
            continue;
        };
        let request = &requests[next % requests.len()];
        next += 1;
        let headers =
            if request.logged_in { format!("{}{cookie_line}", request.headers) } else { request.headers.clone() };
        let started = Instant::now();
        match tokio::time::timeout(REQUEST_TIMEOUT, c.send(request.method, &request.path, &headers, &request.body))
            .await
        {
            Ok(Ok(answer)) => {
                let ms = started.elapsed().as_secs_f64() * 1e3;
                tally.latencies.entry(request.kind).or_default().push(ms);
                let class = usize::from(answer.status / 100).min(5);
                tally.classes[class] += 1;
                if answer.status >= 500 {
                    *tally.server_errors.entry(request.kind).or_default() += 1;
                    tally.note(|| {
                        format!("{} for {}: {}", answer.status, request.path, String::from_utf8_lossy(&answer.body))
                    });
                }
                if answer.closing {
                    tally.closed_by_server += 1;
                    conn = None;
                }
            }
            Ok(Err(error)) => {
                tally.dropped += 1;
                tally.note(|| format!("{} {}: no answer: {error}", request.method, request.path));
                conn = None;
            }
            Err(_) => {
                tally.timeouts += 1;
                tally.note(|| format!("{} {}: no answer within {REQUEST_TIMEOUT:?}", request.method, request.path));
                conn = None;
            }
        }
    }
    tally
}

fn report(tally: &Tally, elapsed: f64) {
    let mut all: Vec<f64> = tally.latencies.values().flatten().copied().collect();
    all.sort_by(f64::total_cmp);
    let answered = all.len();
    println!("\n| request | share | answers | p50 ms | p99 ms | max ms | 5xx |");
    println!("|---|---|---|---|---|---|---|");
    for (kind, times) in &tally.latencies {
        let mut times = times.clone();
        times.sort_by(f64::total_cmp);
        println!(
            "| {} | {:.0} % | {} | {:.1} | {:.1} | {:.1} | {} |",
            kind.label(),
            100.0 * times.len() as f64 / answered.max(1) as f64,
            times.len(),
            percentile(&times, 0.50),
            percentile(&times, 0.99),
            times.last().copied().unwrap_or_default(),
            tally.server_errors.get(kind).copied().unwrap_or(0),
        );
    }
    let (p50, p90, p99) = (percentile(&all, 0.50), percentile(&all, 0.90), percentile(&all, 0.99));
    println!(
        "\n{answered} answers in {elapsed:.1} s: {:.0} req/s; latency p50 {p50:.1} ms, p90 {p90:.1} ms, p99 {p99:.1} ms, \
         max {:.1} ms",
        answered as f64 / elapsed,
        all.last().copied().unwrap_or_default()
    );
    println!(
        "statuses: 2xx {}, 3xx {}, 4xx {}, 5xx {}; dropped connections {}, timeouts {}, answers with Connection: close \
         {}, failed connects {}",
        tally.classes[2],
        tally.classes[3],
        tally.classes[4],
        tally.classes[5],
        tally.dropped,
        tally.timeouts,
        tally.closed_by_server,
        tally.connect_errors
    );
    if let Some(problem) = &tally.first_problem {
        println!("first problem: {problem}");
    }
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    println!("\nTargets:");
    println!("- 0 dropped connections and 0 timeouts: {}", met(tally.dropped == 0 && tally.timeouts == 0));
    println!("- 0 answers 5xx: {}", met(tally.classes[5] == 0));
    println!("- p99 ≤ {TARGET_P99_MS} ms: {}", met(p99 <= TARGET_P99_MS));
}

#[derive(Clone, Copy)]
struct Memory {
    rss_kb: u64,
    peak_kb: u64,
}

/// The process's resident memory now and at its peak, from `/proc` (Linux).
fn memory(pid: u32) -> Option<Memory> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status.lines().find_map(|line| line.strip_prefix(name)?.trim().trim_end_matches(" kB").trim().parse().ok())
    };
    Some(Memory { rss_kb: field("VmRSS:")?, peak_kb: field("VmHWM:")? })
}
