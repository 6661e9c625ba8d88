//! `coop-travel bench`: the search benchmark of issue #6.
//!
//! For each database and size it generates a fresh synthetic network (co-ops and offers around Zipf-weighted
//! cities, 365 calendar nights per offer written by the database itself), then measures the search service's
//! latency on a fixed seeded mix, prints the query plan, and compares the throughput of the real router's search
//! endpoint with an axum hello-world served by the same process. Everything is seeded, so two runs search the same
//! data with the same queries. Results are recorded in docs/BENCHMARKS.md.
#![expect(clippy::print_stdout, reason = "the benchmark's report is its output")]

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use app::server::services::search::{self, Query};
use app::server::{AppState, Backend, Db};
use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::http1::HttpConn;

/// The performance targets.
const TARGET_P95_MS: f64 = 20.0;
const TARGET_GROWTH: f64 = 3.0;
const TARGET_THROUGHPUT_SHARE: f64 = 0.25;

/// Cities offers cluster around, and the Zipf exponent of their sizes (1: the classic rank-size rule).
const CITIES: usize = 3000;
const ZIPF_EXPONENT: f64 = 1.0;
/// Offers per co-op.
const OFFERS_PER_COOP: usize = 4;
/// First night of every calendar; calendars run for `NIGHTS` nights.
const FIRST_NIGHT: (i32, u32, u32) = (2027, 1, 1);
const NIGHTS: i64 = 365;
const TIMESTAMP: &str = "2026-12-01T00:00:00Z";
/// Rows per INSERT of co-ops, memberships and offers; offers per INSERT … SELECT of calendar nights.
const ROWS_PER_INSERT: usize = 1000;
const OFFERS_PER_CALENDAR_INSERT: usize = 2000;
/// Concurrent keep-alive connections of the load generator.
const CONNECTIONS: usize = 32;
const WARM_UP_SEARCHES: usize = 200;

/// Rough land rectangles (lat, lat, lon, lon), their share of cities and a country code for their co-ops.
const REGIONS: [(f64, f64, f64, f64, f64, &str); 7] = [
    (36.0, 60.0, -10.0, 30.0, 25.0, "FR"),
    (25.0, 50.0, -123.0, -70.0, 18.0, "US"),
    (-35.0, 20.0, -80.0, -40.0, 15.0, "BR"),
    (-30.0, 30.0, -15.0, 40.0, 12.0, "KE"),
    (8.0, 35.0, 35.0, 90.0, 12.0, "IN"),
    (22.0, 45.0, 100.0, 140.0, 12.0, "JP"),
    (-38.0, -12.0, 115.0, 153.0, 6.0, "AU"),
];
const KINDS: [(&str, u32); 5] = [("room", 40), ("bed", 25), ("couch", 15), ("desk", 10), ("visit", 10)];
/// Search radii (km) and how often each is asked for.
const RADII: [(f64, u32); 4] = [(10.0, 30), (25.0, 35), (50.0, 25), (200.0, 10)];

/// `coop-travel bench`: generate synthetic networks and benchmark search (issue #6).
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Offers per generated database, comma-separated (1_000 or 1000).
    #[arg(long, value_delimiter = ',', value_parser = parse_size, default_value = "1000,10000,100000")]
    sizes: Vec<usize>,
    /// Databases to generate, comma-separated.
    #[arg(long, value_delimiter = ',', value_parser = parse_backend, default_value = "sqlite,postgres")]
    databases: Vec<Backend>,
    /// PostgreSQL server to create coop_travel_bench_<size> on.
    #[arg(long, env = "BENCH_POSTGRES_URL", default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    postgres_url: String,
    /// Searches timed per size.
    #[arg(long, default_value_t = 1000, value_parser = parse_searches)]
    searches: usize,
    /// Length of each throughput run, in seconds.
    #[arg(long, default_value_t = 5.0, value_parser = parse_seconds)]
    seconds: f64,
    /// Keep the generated databases.
    #[arg(long)]
    keep: bool,
    /// Instead of searching: render this many invitation letters per language and print how long each took.
    #[arg(long)]
    letters: Option<usize>,
}

fn parse_backend(text: &str) -> Result<Backend, String> {
    match text.trim() {
        "sqlite" => Ok(Backend::Sqlite),
        "postgres" => Ok(Backend::Postgres),
        _ => Err("sqlite or postgres".into()),
    }
}

fn parse_searches(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=1_000_000).contains(&n) => Ok(n),
        _ => Err("a whole number of searches from 1 to 1000000".into()),
    }
}

fn parse_size(text: &str) -> Result<usize, String> {
    match text.trim().replace('_', "").parse::<usize>() {
        Ok(size) if size > 0 => Ok(size),
        _ => Err("a whole number of offers, at least 1".into()),
    }
}

/// Seconds of a measured run: more than zero, at most an hour.
pub fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(seconds) if seconds > 0.0 && seconds <= 3600.0 => Ok(seconds),
        _ => Err("a number of seconds above 0 and at most 3600".into()),
    }
}

/// What one database at one size measured.
struct Measured {
    backend: Backend,
    offers: usize,
    load: Duration,
    bytes: i64,
    p50: f64,
    p95: f64,
    p99: f64,
    mean: f64,
    hits: f64,
    search_rps: f64,
    hello_rps: f64,
    errors: u64,
}

pub async fn run(mut options: Options) -> Result<(), String> {
    if let Some(count) = options.letters {
        return letters(count.max(1));
    }
    options.sizes.sort_unstable();
    options.sizes.dedup();
    let world = World::new();
    let searches = search_mix(&world, options.searches, 66);
    let warm_up = search_mix(&world, WARM_UP_SEARCHES.min(options.searches), 67);
    println!(
        "# Search benchmark: sizes {:?}, databases {:?}, {} searches, {} s throughput runs, {} connections, {} cores",
        options.sizes,
        options.databases,
        options.searches,
        options.seconds,
        CONNECTIONS,
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    let dir = std::env::temp_dir().join(format!("coop-travel-bench-{}", std::process::id()));
    let mut results = Vec::new();
    for &backend in &options.databases {
        for &size in &options.sizes {
            let (db, place) = create_database(backend, size, &options.postgres_url, &dir).await?;
            let outcome = measure(&db, backend, size, &world, &searches, &warm_up, options.seconds).await;
            db.close().await;
            if options.keep {
                println!("kept {place}");
            } else {
                drop_database(backend, size, &options.postgres_url, &dir).await?;
            }
            results.push(outcome?);
        }
    }
    if !options.keep {
        let _ = std::fs::remove_dir(&dir);
    }
    summary(&results);
    Ok(())
}

async fn measure(
    db: &Db,
    backend: Backend,
    size: usize,
    world: &World,
    searches: &[Query],
    warm_up: &[Query],
    seconds: f64,
) -> Result<Measured, String> {
    println!("\n## {backend:?}, {size} offers");
    let load = generate(db, world, size).await?;
    let bytes = database_bytes(db).await?;
    println!(
        "loaded {size} offers and {} nights in {:.1} s; database {:.1} MB",
        size as i64 * NIGHTS,
        load.as_secs_f64(),
        bytes as f64 / 1e6
    );

    for query in warm_up {
        search::search(db, query).await.map_err(|e| format!("search failed: {e}"))?;
    }
    let mut times = Vec::with_capacity(searches.len());
    let mut by_radius: Vec<(f64, Vec<f64>)> = RADII.iter().map(|(r, _)| (*r, Vec::new())).collect();
    let (mut hits, mut more) = (0usize, 0usize);
    for query in searches {
        let started = Instant::now();
        let results = search::search(db, query).await.map_err(|e| format!("search failed: {e}"))?;
        let ms = started.elapsed().as_secs_f64() * 1e3;
        times.push(ms);
        if let Some((_, bucket)) = by_radius.iter_mut().find(|(r, _)| *r == query.radius_km) {
            bucket.push(ms);
        }
        hits += results.hits.len();
        more += usize::from(results.more);
    }
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    times.sort_by(f64::total_cmp);
    let (p50, p95, p99) = (percentile(&times, 0.50), percentile(&times, 0.95), percentile(&times, 0.99));
    println!(
        "latency over {} searches: p50 {p50:.2} ms, p95 {p95:.2} ms, p99 {p99:.2} ms, mean {mean:.2} ms, max {:.1} ms",
        times.len(),
        times.last().copied().unwrap_or_default()
    );
    let mut line = String::from("  p95 by radius:");
    for (radius, bucket) in &mut by_radius {
        bucket.sort_by(f64::total_cmp);
        let _ = write!(line, " {radius} km {:.2} ms (n={})", percentile(bucket, 0.95), bucket.len());
    }
    println!("{line}");
    println!(
        "  hits per page: {:.1} on average; {:.0} % of searches have more than one page",
        hits as f64 / searches.len() as f64,
        100.0 * more as f64 / searches.len() as f64
    );

    explain(db, world).await?;
    let (search_rps, hello_rps, errors) = throughput(db, searches, seconds).await?;
    Ok(Measured {
        backend,
        offers: size,
        load,
        bytes,
        p50,
        p95,
        p99,
        mean,
        hits: hits as f64 / searches.len() as f64,
        search_rps,
        hello_rps,
        errors,
    })
}

/// The `q` quantile of sorted samples (nearest rank); shared with the mixed-load generator.
pub(crate) fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

// ----- the synthetic world -----

struct City {
    lat: f64,
    lon: f64,
    country: &'static str,
    /// Standard deviation of the distance of its co-ops from the centre: big cities sprawl.
    sprawl_km: f64,
}

struct World {
    cities: Vec<City>,
    /// Cumulative Zipf weights of `cities`, for drawing a city by size.
    cumulative: Vec<f64>,
}

impl World {
    fn new() -> World {
        let mut rng = StdRng::seed_from_u64(6);
        let mut cities = Vec::with_capacity(CITIES);
        let mut cumulative = Vec::with_capacity(CITIES);
        let mut total = 0.0;
        for rank in 0..CITIES {
            let weight = 1.0 / ((rank + 1) as f64).powf(ZIPF_EXPONENT);
            let (lat, lon, country) = land_point(&mut rng);
            cities.push(City { lat, lon, country, sprawl_km: 2.0 + 10.0 * weight.sqrt() });
            total += weight;
            cumulative.push(total);
        }
        World { cities, cumulative }
    }

    fn city(&self, rng: &mut StdRng) -> &City {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.random::<f64>() * total;
        let index = self.cumulative.partition_point(|c| *c < x).min(self.cities.len() - 1);
        &self.cities[index]
    }
}

fn weighted<T: Copy>(rng: &mut StdRng, choices: &[(T, u32)]) -> T {
    let total: u32 = choices.iter().map(|(_, w)| w).sum();
    let mut x = rng.random_range(0..total);
    for (choice, weight) in choices {
        if x < *weight {
            return *choice;
        }
        x -= weight;
    }
    choices[0].0
}

fn land_point(rng: &mut StdRng) -> (f64, f64, &'static str) {
    let regions: Vec<(usize, u32)> = REGIONS.iter().enumerate().map(|(i, r)| (i, r.4 as u32)).collect();
    let (lat0, lat1, lon0, lon1, _, country) = REGIONS[weighted(rng, &regions)];
    (rng.random_range(lat0..lat1), rng.random_range(lon0..lon1), country)
}

/// A point about `sigma_km` (normal in each direction) from (`lat`, `lon`).
fn scatter(rng: &mut StdRng, lat: f64, lon: f64, sigma_km: f64) -> (f64, f64) {
    let r = (-2.0 * (1.0 - rng.random::<f64>()).ln()).sqrt() * sigma_km;
    let theta = rng.random::<f64>() * std::f64::consts::TAU;
    let lat2 = (lat + r * theta.sin() / 111.2).clamp(-89.0, 89.0);
    let mut lon2 = lon + r * theta.cos() / (111.2 * lat2.to_radians().cos());
    if lon2 > 180.0 {
        lon2 -= 360.0;
    } else if lon2 < -180.0 {
        lon2 += 360.0;
    }
    (lat2, lon2)
}

fn first_night() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_NIGHT.0, FIRST_NIGHT.1, FIRST_NIGHT.2).unwrap_or_default()
}

/// The fixed search mix: centres drawn like the co-ops (busy cities) 85 % of the time and anywhere on land
/// otherwise, radii from `RADII`, 1–14 nights within the calendar year, 1–3 guests.
fn search_mix(world: &World, count: usize, seed: u64) -> Vec<Query> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|_| {
            let (lat, lon) = if rng.random::<f64>() < 0.85 {
                let city = world.city(&mut rng);
                scatter(&mut rng, city.lat, city.lon, city.sprawl_km)
            } else {
                let (lat, lon, _) = land_point(&mut rng);
                (lat, lon)
            };
            let nights = rng.random_range(1..=14);
            let check_in = first_night() + chrono::Days::new(rng.random_range(0..(NIGHTS - nights)) as u64);
            Query {
                lat,
                lon,
                radius_km: weighted(&mut rng, &RADII),
                check_in,
                check_out: check_in + chrono::Days::new(nights as u64),
                guests: rng.random_range(1..=3),
                kinds: String::new(),
                language: String::new(),
                page: 0,
                brought: Vec::new(),
                only_matching: false,
                apart_from: Vec::new(),
            }
        })
        .collect()
}

// ----- databases and data -----

async fn create_database(
    backend: Backend,
    size: usize,
    postgres_url: &str,
    dir: &std::path::Path,
) -> Result<(Db, String), String> {
    drop_database(backend, size, postgres_url, dir).await?;
    let url = match backend {
        Backend::Sqlite => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            format!("sqlite://{}", sqlite_path(dir, size).display())
        }
        Backend::Postgres => {
            let admin = Db::connect(postgres_url).await.map_err(|e| format!("{postgres_url}: {e}"))?;
            execute(&admin, &format!("CREATE DATABASE coop_travel_bench_{size}")).await?;
            admin.close().await;
            app::server::db::with_database(postgres_url, &format!("coop_travel_bench_{size}"))
        }
    };
    let db = Db::connect(&url).await.map_err(|e| format!("{url}: {e}"))?;
    db.migrate().await.map_err(|e| format!("migrating {url}: {e}"))?;
    Ok((db, url))
}

fn sqlite_path(dir: &std::path::Path, size: usize) -> PathBuf {
    dir.join(format!("bench-{size}.db"))
}

async fn drop_database(backend: Backend, size: usize, postgres_url: &str, dir: &std::path::Path) -> Result<(), String> {
    match backend {
        Backend::Sqlite => {
            let path = sqlite_path(dir, size);
            for suffix in ["", "-wal", "-shm"] {
                let mut file = path.clone().into_os_string();
                file.push(suffix);
                let _ = std::fs::remove_file(file);
            }
        }
        Backend::Postgres => {
            let admin = Db::connect(postgres_url).await.map_err(|e| format!("{postgres_url}: {e}"))?;
            execute(&admin, &format!("DROP DATABASE IF EXISTS coop_travel_bench_{size} WITH (FORCE)")).await?;
            admin.close().await;
        }
    }
    Ok(())
}

/// Runs statements (no parameters) on any connection of the pool.
async fn execute(db: &Db, sql: &str) -> Result<(), String> {
    match db {
        Db::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        Db::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
    }
    .map_err(|e| format!("{e} in {}", sql.chars().take(200).collect::<String>()))
}

/// One connection kept for the whole load, so its bulk-load settings apply to every statement.
enum Loader {
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
}

impl Loader {
    async fn execute(&mut self, sql: &str) -> Result<(), String> {
        match self {
            Loader::Sqlite(conn) => sqlx::raw_sql(sql).execute(&mut **conn).await.map(drop),
            Loader::Postgres(conn) => sqlx::raw_sql(sql).execute(&mut **conn).await.map(drop),
        }
        .map_err(|e| format!("{e} in {}", sql.chars().take(200).collect::<String>()))
    }

    /// Closes the connection, so that the pool's next one has the normal settings again.
    async fn close(self) -> Result<(), String> {
        match self {
            Loader::Sqlite(conn) => conn.close().await,
            Loader::Postgres(conn) => conn.close().await,
        }
        .map_err(|e| e.to_string())
    }
}

/// Writes one network, its verified co-ops and published offers, and 365 nights per offer; then ANALYZE.
/// Foreign-key checks are off while loading (the generator writes consistent rows); CHECK constraints stay on.
async fn generate(db: &Db, world: &World, size: usize) -> Result<Duration, String> {
    let started = Instant::now();
    let (mut loader, identity) = match db {
        Db::Sqlite(pool) => (Loader::Sqlite(pool.acquire().await.map_err(|e| e.to_string())?), ""),
        Db::Postgres(pool) => {
            (Loader::Postgres(pool.acquire().await.map_err(|e| e.to_string())?), " OVERRIDING SYSTEM VALUE")
        }
    };
    match db.backend() {
        Backend::Sqlite => {
            loader.execute("PRAGMA foreign_keys = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144").await?;
        }
        Backend::Postgres => {
            loader.execute("SET session_replication_role = replica; SET synchronous_commit = off").await?;
        }
    }
    loader
        .execute(&format!(
            "INSERT INTO networks (network_id, slug, name, created_at, updated_at){identity} \
             VALUES (1, 'bench', 'Benchmark network', '{TIMESTAMP}', '{TIMESTAMP}')"
        ))
        .await?;

    let mut rng = StdRng::seed_from_u64(600 + size as u64);
    let coops = size.div_ceil(OFFERS_PER_COOP);
    let mut coop_rows = Vec::with_capacity(coops);
    let mut member_rows = Vec::with_capacity(coops);
    let mut offer_rows = Vec::with_capacity(size);
    for coop in 1..=coops {
        let city = world.city(&mut rng);
        let (lat, lon) = scatter(&mut rng, city.lat, city.lon, city.sprawl_km);
        let (public_lat, public_lon) = scatter(&mut rng, lat, lon, 0.7);
        coop_rows.push(format!(
            "({coop}, 'coop-{coop}', 'Co-op {coop}', '{}', 'City {:.2}', {lat:.6}, {lon:.6}, {public_lat:.6}, \
             {public_lon:.6}, '{TIMESTAMP}', '{TIMESTAMP}')",
            city.country, city.lat
        ));
        member_rows.push(format!("(1, {coop}, 'verified', '{TIMESTAMP}', '{TIMESTAMP}')"));
        let first = (coop - 1) * OFFERS_PER_COOP + 1;
        for offer in first..(first + OFFERS_PER_COOP).min(size + 1) {
            let kind = weighted(&mut rng, &KINDS);
            let (offer_lat, offer_lon) = scatter(&mut rng, lat, lon, 0.7);
            offer_rows.push(format!(
                "({offer}, {coop}, '{kind}', '{kind} {offer}', {}, {offer_lat:.6}, {offer_lon:.6}, 'published', \
                 '{TIMESTAMP}', '{TIMESTAMP}')",
                rng.random_range(1..=4)
            ));
        }
    }
    for (table, columns, rows) in [
        (
            "coops",
            "coop_id, slug, name, country, city, lat, lon, public_lat, public_lon, created_at, updated_at",
            &coop_rows,
        ),
        ("network_memberships", "network_id, coop_id, status, created_at, updated_at", &member_rows),
        (
            "offers",
            "offer_id, coop_id, kind, title, default_capacity, public_lat, public_lon, status, created_at, updated_at",
            &offer_rows,
        ),
    ] {
        let identity = if table == "network_memberships" { "" } else { identity };
        loader.execute("BEGIN").await?;
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            loader.execute(&format!("INSERT INTO {table} ({columns}){identity} VALUES {}", chunk.join(","))).await?;
        }
        loader.execute("COMMIT").await?;
    }
    let base = started.elapsed();

    // Calendars: written by the database from offers × days. `h` is a cheap per-night hash (0–99): 6 % of nights
    // are blocked, 18 % partly or fully reserved; `w` blocks about one week in eighteen per offer.
    let (days, night) = match db.backend() {
        Backend::Sqlite => (
            "WITH RECURSIVE d(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM d WHERE i < 364)",
            format!("date('{}', '+' || i || ' days')", first_night()),
        ),
        Backend::Postgres => ("WITH d(i) AS (SELECT generate_series(0, 364))", format!("DATE '{}' + i", first_night())),
    };
    for first in (1..=size).step_by(OFFERS_PER_CALENDAR_INSERT) {
        let last = (first + OFFERS_PER_CALENDAR_INSERT - 1).min(size);
        loader
            .execute(&format!(
                "{days}, g AS (SELECT o.offer_id, o.default_capacity AS cap, d.i, \
                   ((o.offer_id * 7919 + d.i * 104729 + o.offer_id * d.i * 31) % 1009) % 100 AS h, \
                   (o.offer_id * 131 + (d.i / 7) * 977) % 18 AS w \
                 FROM offers o CROSS JOIN d WHERE o.offer_id BETWEEN {first} AND {last}) \
                 INSERT INTO calendar_nights (offer_id, night, capacity, reserved, updated_at) \
                 SELECT offer_id, {night}, \
                   CASE WHEN w = 0 OR h < 6 THEN 0 ELSE cap END, \
                   CASE WHEN w = 0 OR h < 6 THEN 0 WHEN h >= 82 THEN 1 + (h % cap) ELSE 0 END, '{TIMESTAMP}' \
                 FROM g ORDER BY offer_id, i"
            ))
            .await?;
    }
    let calendar = started.elapsed() - base;
    match db.backend() {
        Backend::Sqlite => {
            // analysis_limit as PRAGMA optimize would use it: a full ANALYZE of 36 M rows takes minutes.
            loader.execute("PRAGMA foreign_keys = ON; PRAGMA analysis_limit = 10000; ANALYZE").await?;
            loader.execute("PRAGMA wal_checkpoint(TRUNCATE)").await?;
        }
        // VACUUM as autovacuum would after a bulk insert: sets the visibility map (index-only scans) and keeps
        // autovacuum from starting in the middle of the measurements.
        // VACUUM runs alone: a multi-statement string would be one transaction, and VACUUM refuses those.
        Backend::Postgres => {
            loader.execute("SET session_replication_role = origin").await?;
            loader.execute("VACUUM (ANALYZE)").await?;
        }
    }
    loader.close().await?;
    let total = started.elapsed();
    println!(
        "  load: co-ops and offers {:.1} s, calendar {:.1} s, ANALYZE{} {:.1} s",
        base.as_secs_f64(),
        calendar.as_secs_f64(),
        if db.backend() == Backend::Postgres { "/VACUUM" } else { "" },
        (total - base - calendar).as_secs_f64()
    );
    Ok(total)
}

async fn database_bytes(db: &Db) -> Result<i64, String> {
    match db {
        Db::Sqlite(pool) => {
            sqlx::query_scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
                .fetch_one(pool)
                .await
        }
        Db::Postgres(pool) => sqlx::query_scalar("SELECT pg_database_size(current_database())").fetch_one(pool).await,
    }
    .map_err(|e| e.to_string())
}

// ----- query plan -----

/// The plan of the search's two steps for a representative search: the biggest city, 25 km, a week in June,
/// 2 guests (PostgreSQL's with ANALYZE and BUFFERS: what it did, not only what it meant to do).
async fn explain(db: &Db, world: &World) -> Result<(), String> {
    let city = &world.cities[0];
    let check_in = NaiveDate::from_ymd_opt(2027, 6, 7).unwrap_or_default();
    let query = Query {
        lat: city.lat,
        lon: city.lon,
        radius_km: 25.0,
        check_in,
        check_out: check_in + chrono::Days::new(7),
        guests: 2,
        kinds: String::new(),
        language: String::new(),
        page: 0,
        brought: Vec::new(),
        only_matching: false,
        apart_from: Vec::new(),
    };
    println!(
        "  plan (25 km around the biggest city at {:.2}, {:.2}, 7 nights from {check_in}, 2 guests):",
        city.lat, city.lon
    );
    let plan = search::explain(db, &query, true).await.map_err(|e| format!("explain failed: {e}"))?;
    for line in plan.lines() {
        println!("    {line}");
    }
    Ok(())
}

// ----- throughput -----

/// Requests per second of the search endpoint (real router, sessions and all middleware) and of a hello-world
/// route, both served by this process on this runtime, each driven alone by `CONNECTIONS` keep-alive connections.
async fn throughput(db: &Db, searches: &[Query], seconds: f64) -> Result<(f64, f64, u64), String> {
    let mut conf = leptos::config::get_configuration(None).map_err(|e| format!("leptos configuration: {e}"))?;
    if conf.leptos_options.output_name.is_empty() {
        conf.leptos_options.output_name = "coop-travel".into();
    }
    let state = AppState {
        db: db.clone(),
        sessions_db: db.clone(),
        leptos_options: conf.leptos_options,
        clock: app::server::Clock::System,
        public_url: "http://127.0.0.1".into(),
        limits: app::server::services::safety::Limits::OFF,
    };
    server::router::prepare_sessions(&state).await?;
    let app = server::router::router(state, &server::router::HttpConfig::default());
    let hello = axum::Router::new().route("/", axum::routing::get(|| async { "Hello, World!" }));
    let (app_addr, stop_app) = serve(app).await?;
    let (hello_addr, stop_hello) = serve(hello).await?;

    let paths: Vec<String> = searches
        .iter()
        .map(|q| {
            format!(
                "/api/search/offers?lat={:.5}&lon={:.5}&radius_km={}&check_in={}&check_out={}&guests={}",
                q.lat, q.lon, q.radius_km, q.check_in, q.check_out, q.guests
            )
        })
        .collect();
    // One request first, so a broken endpoint stops the run with its answer instead of a count of errors.
    let mut probe = HttpConn::connect(app_addr).await.map_err(|e| e.to_string())?;
    let (status, body) = probe.get(&paths[0], true).await.map_err(|e| format!("search endpoint: {e}"))?;
    if status != 200 {
        return Err(format!("search endpoint answered {status}: {}", String::from_utf8_lossy(&body)));
    }
    drop(probe);

    let duration = Duration::from_secs_f64(seconds);
    let paths = Arc::new(paths);
    let hello_load = load(hello_addr, Arc::new(vec!["/".to_owned()]), true, duration).await;
    let search_load = load(app_addr, paths.clone(), true, duration).await;
    // Where the time goes: the same searches without compression, and the router's middleware alone.
    let plain_load = load(app_addr, paths, false, duration).await;
    let health_load = load(app_addr, Arc::new(vec!["/healthz".to_owned()]), true, duration).await;
    let _ = stop_app.send(());
    let _ = stop_hello.send(());
    let ratio = search_load.rps / hello_load.rps.max(f64::MIN_POSITIVE);
    println!(
        "  throughput ({CONNECTIONS} connections, {seconds} s each): search {:.0} req/s, hello-world {:.0} req/s, \
         ratio {:.2} %; errors: search {}, hello {}",
        search_load.rps,
        hello_load.rps,
        100.0 * ratio,
        search_load.errors,
        hello_load.errors
    );
    println!(
        "  for comparison: search without Accept-Encoding {:.0} req/s, /healthz through the app's router {:.0} req/s; \
         errors {}",
        plain_load.rps,
        health_load.rps,
        plain_load.errors + health_load.errors
    );
    if let Some(error) = search_load.first_error.or(hello_load.first_error) {
        println!("  first error: {error}");
    }
    Ok((search_load.rps, hello_load.rps, search_load.errors + hello_load.errors))
}

async fn serve(app: axum::Router) -> Result<(SocketAddr, tokio::sync::oneshot::Sender<()>), String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(error) = served {
            tracing::error!("benchmark server: {error}");
        }
    });
    Ok((addr, stop))
}

struct Load {
    rps: f64,
    errors: u64,
    first_error: Option<String>,
}

async fn load(addr: SocketAddr, paths: Arc<Vec<String>>, compressed: bool, duration: Duration) -> Load {
    let started = Instant::now();
    let deadline = started + duration;
    let mut clients = tokio::task::JoinSet::new();
    for client in 0..CONNECTIONS {
        let paths = paths.clone();
        let start = client * paths.len() / CONNECTIONS;
        clients.spawn(drive(addr, paths, start, compressed, deadline));
    }
    let (mut ok, mut errors, mut first_error) = (0u64, 0u64, None);
    while let Some(result) = clients.join_next().await {
        match result {
            Ok((o, e, error)) => {
                ok += o;
                errors += e;
                first_error = first_error.or(error);
            }
            Err(error) => {
                errors += 1;
                first_error = first_error.or(Some(error.to_string()));
            }
        }
    }
    Load { rps: ok as f64 / started.elapsed().as_secs_f64(), errors, first_error }
}

/// One keep-alive connection sending requests back to back until `deadline`: (200s, others, first other).
async fn drive(
    addr: SocketAddr,
    paths: Arc<Vec<String>>,
    mut next: usize,
    compressed: bool,
    deadline: Instant,
) -> (u64, u64, Option<String>) {
    let (mut ok, mut errors, mut first_error) = (0, 0, None);
    let mut conn = None;
    while Instant::now() < deadline {
        if conn.is_none() {
            match HttpConn::connect(addr).await {
                Ok(c) => conn = Some(c),
                Err(error) => {
                    errors += 1;
                    first_error = first_error.or(Some(format!("connect: {error}")));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let Some(c) = conn.as_mut() else { continue };
        let path = &paths[next % paths.len()];
        next += 1;
        match c.get(path, compressed).await {
            Ok((200, _)) => ok += 1,
            Ok((status, body)) => {
                errors += 1;
                first_error =
                    first_error.or_else(|| Some(format!("{status} for {path}: {}", String::from_utf8_lossy(&body))));
            }
            Err(error) => {
                errors += 1;
                first_error = first_error.or_else(|| Some(format!("{path}: {error}")));
                conn = None;
            }
        }
    }
    (ok, errors, first_error)
}

// ----- summary -----

fn met(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

fn summary(results: &[Measured]) {
    println!("\n## Summary\n");
    println!(
        "| database | offers | load | size | p50 ms | p95 ms | p99 ms | mean ms | hits/page | search req/s | hello req/s | ratio | errors |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in results {
        println!(
            "| {:?} | {} | {:.1} s | {:.0} MB | {:.2} | {:.2} | {:.2} | {:.2} | {:.1} | {:.0} | {:.0} | {:.2} % | {} |",
            r.backend,
            r.offers,
            r.load.as_secs_f64(),
            r.bytes as f64 / 1e6,
            r.p50,
            r.p95,
            r.p99,
            r.mean,
            r.hits,
            r.search_rps,
            r.hello_rps,
            100.0 * r.search_rps / r.hello_rps.max(f64::MIN_POSITIVE),
            r.errors
        );
    }
    println!("\nTargets:");
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let rows: Vec<&Measured> = results.iter().filter(|r| r.backend == backend).collect();
        let (Some(smallest), Some(largest)) = (rows.first(), rows.last()) else { continue };
        println!(
            "- {backend:?}: p95 at {} offers {:.2} ms (target ≤ {TARGET_P95_MS} ms at 100000): {}",
            largest.offers,
            largest.p95,
            if largest.offers == 100_000 { met(largest.p95 <= TARGET_P95_MS) } else { "not measured at 100000" }
        );
        if rows.len() > 1 {
            let growth = largest.p95 / smallest.p95.max(f64::MIN_POSITIVE);
            println!(
                "- {backend:?}: p95 growth {}→{} offers {growth:.1}× (target ≤ {TARGET_GROWTH}×): {}",
                smallest.offers,
                largest.offers,
                met(growth <= TARGET_GROWTH)
            );
        }
        let share = largest.search_rps / largest.hello_rps.max(f64::MIN_POSITIVE);
        println!(
            "- {backend:?}: throughput at {} offers {:.2} % of hello-world (target ≥ {:.0} %): {}",
            largest.offers,
            100.0 * share,
            100.0 * TARGET_THROUGHPUT_SHARE,
            met(share >= TARGET_THROUGHPUT_SHARE)
        );
    }
}

/// Renders `count` invitation letters in each language (what each PDF download costs the CPU) and prints the
/// milliseconds per letter (median, 95th percentile, worst) and the file's size.
fn letters(count: usize) -> Result<(), String> {
    use app::domain::{CountryCode, Purpose};
    use app::views::letters::{LANGUAGES, LetterFacts};
    println!("# Invitation letters: {count} per language, one thread");
    println!("| language | median ms | p95 ms | max ms | PDF bytes |");
    println!("|---|---|---|---|---|");
    for language in LANGUAGES {
        let facts = LetterFacts {
            traveller_name: "Lucía Fernández Quiroga".into(),
            traveller_coop: "Ribera Software Cooperativa de Trabajo".into(),
            host_coop: "Diagonal Libre Cooperativa".into(),
            host_city: "La Plata".into(),
            host_country: CountryCode::parse("AR").map_err(|e| e.to_string())?,
            network_name: "FACTTIC".into(),
            check_in: NaiveDate::from_ymd_opt(2027, 4, 15).ok_or("date")?,
            check_out: NaiveDate::from_ymd_opt(2027, 4, 17).ok_or("date")?,
            nights: 2,
            purpose: Purpose::Learning,
            address: Some("Diagonal de los Tilos 1043, La Plata, Buenos Aires".into()),
            signer_name: "Martina Ocampo".into(),
            issued_at: chrono::Utc::now(),
            language: language.into(),
        };
        let words = app::server::letter::words(
            &facts,
            "https://travel.example/letters/k7qmx2ab9cdefgh3jkmn",
            "k7qmx2ab9cdefgh3jkmn",
        );
        let mut times = Vec::with_capacity(count);
        let mut size = 0;
        for _ in 0..count {
            let start = Instant::now();
            size = app::server::letter::render(&words)?.len();
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        let (median, p95, max) = (percentile(&times, 0.50), percentile(&times, 0.95), percentile(&times, 1.0));
        println!("| {language} | {median:.2} | {p95:.2} | {max:.2} | {size} |");
    }
    Ok(())
}
