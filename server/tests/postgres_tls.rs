//! PostgreSQL over TLS. The test makes its own certificate authority and server certificate, starts a throwaway
//! PostgreSQL that accepts TLS connections only, and connects the way an operator's `DATABASE_URL` says:
//! `sslmode=require` (encrypted), `sslmode=verify-full` with the authority (encrypted and the server checked),
//! and finds that a plain connection and a server certified by another authority are refused.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests: a failure panics with its cause")]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A certificate authority and what it signed, as PEM.
struct Authority {
    certificate: rcgen::Certificate,
    key: rcgen::KeyPair,
}

impl Authority {
    fn new(name: &str) -> Authority {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign, rcgen::KeyUsagePurpose::CrlSign];
        Authority { certificate: params.self_signed(&key).unwrap(), key }
    }

    /// A server certificate for `localhost` and 127.0.0.1: (certificate, key).
    fn server_certificate(&self) -> (String, String) {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(vec!["localhost".to_owned()]).unwrap();
        params.subject_alt_names.push(rcgen::SanType::IpAddress(std::net::Ipv4Addr::LOCALHOST.into()));
        params.distinguished_name.push(rcgen::DnType::CommonName, "localhost");
        let certificate = params.signed_by(&key, &self.certificate, &self.key).unwrap();
        (certificate.pem(), key.serialize_pem())
    }
}

/// A PostgreSQL server of our own, stopped when dropped.
struct Server {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

/// Runs a PostgreSQL program as the `postgres` user when we are root (PostgreSQL refuses to run as root).
fn as_postgres(program: &Path, args: &[&str]) -> std::process::Output {
    let root = Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false);
    let output = if root {
        let line = std::iter::once(program.to_string_lossy().into_owned())
            .chain(args.iter().map(|a| (*a).to_owned()))
            .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
            .collect::<Vec<_>>()
            .join(" ");
        Command::new("su").args(["postgres", "-s", "/bin/sh", "-c", &line]).output().unwrap()
    } else {
        Command::new(program).args(args).output().unwrap()
    };
    assert!(
        output.status.success(),
        "{} {args:?}: {}{}",
        program.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn postgres_bin() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").is_file())
        .collect();
    found.sort_by_key(|bin| {
        bin.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok())
    });
    found.pop().expect(
        "this test starts its own PostgreSQL with TLS and needs its programs (/usr/lib/postgresql/*/bin/initdb): \
         install postgresql (scripts/test does)",
    )
}

impl Server {
    /// Starts a server that accepts TLS connections only, with this certificate.
    fn start(certificate: &str, key: &str) -> Server {
        let bin = postgres_bin();
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        std::fs::write(dir.path().join("server.crt"), certificate).unwrap();
        std::fs::write(dir.path().join("server.key"), key).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(dir.path().join("server.key"), std::fs::Permissions::from_mode(0o600)).unwrap();
        if Command::new("id").arg("-u").output().map(|o| o.stdout == b"0\n").unwrap_or(false) {
            let chown = Command::new("chown").args(["-R", "postgres"]).arg(dir.path()).status().unwrap();
            assert!(chown.success());
        }
        let data_arg = data.to_string_lossy().into_owned();
        as_postgres(&bin.join("initdb"), &["-D", &data_arg, "-A", "trust", "-U", "postgres"]);
        // TLS or nothing, from the network; the socket folder is ours.
        let hba = "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 0.0.0.0/0 reject\n";
        as_postgres(Path::new("/bin/sh"), &["-c", &format!("printf '{hba}' > '{data_arg}/pg_hba.conf'")]);
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let options = format!(
            "-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c ssl=on -c ssl_cert_file={dir}/server.crt -c \
             ssl_key_file={dir}/server.key",
            dir = dir.path().display()
        );
        // With a log file, so that the server holds none of our pipes open.
        let log = dir.path().join("server.log").to_string_lossy().into_owned();
        as_postgres(&bin.join("pg_ctl"), &["-D", &data_arg, "-l", &log, "-o", &options, "-w", "-t", "60", "start"]);
        Server { bin, data, port, _dir: dir }
    }

    fn url(&self, parameters: &str) -> String {
        format!("postgres://postgres@localhost:{}/postgres?{parameters}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.data.to_string_lossy().into_owned();
        let _ = std::panic::catch_unwind(|| {
            as_postgres(&self.bin.join("pg_ctl"), &["-D", &data, "-m", "immediate", "stop"])
        });
    }
}

/// Whether this connection of the pool is encrypted, by the server's own account.
async fn encrypted(db: &app::server::Db) -> bool {
    let app::server::Db::Postgres(pool) = db else { panic!("not PostgreSQL") };
    sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetch_one(pool).await.unwrap()
}

mod postgres {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_database_is_reached_over_tls() {
        let authority = Authority::new("coop-travel test authority");
        let (certificate, key) = authority.server_certificate();
        let server = Server::start(&certificate, &key);
        let dir = tempfile::tempdir().unwrap();
        let ca = dir.path().join("ca.pem");
        std::fs::write(&ca, authority.certificate.pem()).unwrap();

        // Encrypted, certificate not checked.
        let db = app::server::Db::connect(&server.url("sslmode=require")).await.unwrap();
        db.migrate().await.unwrap();
        assert!(encrypted(&db).await);
        db.close().await;

        // Encrypted and the server proven to be who the URL names.
        let verified = server.url(&format!("sslmode=verify-full&sslrootcert={}", ca.display()));
        let db = app::server::Db::connect(&verified).await.unwrap();
        assert!(encrypted(&db).await);
        db.close().await;
        // The binary too, as an operator's DATABASE_URL would have it.
        let migrated =
            Command::new(env!("CARGO_BIN_EXE_coop-travel")).arg("migrate").env("DATABASE_URL", &verified).output();
        let migrated = migrated.unwrap();
        assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));

        // A server this authority did not certify is refused under verify-full…
        let other = dir.path().join("other-ca.pem");
        std::fs::write(&other, Authority::new("some other authority").certificate.pem()).unwrap();
        let impostor = server.url(&format!("sslmode=verify-full&sslrootcert={}", other.display()));
        assert!(
            app::server::Db::connect(&impostor).await.is_err(),
            "a certificate from another authority was accepted"
        );
        // …and this server takes no plain connection.
        assert!(
            app::server::Db::connect(&server.url("sslmode=disable")).await.is_err(),
            "a plain connection was accepted"
        );
    }
}
