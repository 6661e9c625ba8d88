//! Behind a reverse proxy: who the client really is.
//!
//! A co-op puts the server behind Caddy or nginx, which terminates TLS and connects from its own address. The
//! proxy says who its client was in `X-Forwarded-For` and how it was reached in `X-Forwarded-Proto`, but anybody
//! can send those headers, so they are believed only from the addresses in `TRUSTED_PROXIES`. Every request gets
//! a [`ClientAddr`]: the rate limits key on it ([`ClientKey`]), the request's log span names it, and the
//! same-origin check reads its scheme.

use std::net::{IpAddr, Ipv6Addr};
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use tower_governor::GovernorError;
use tower_governor::key_extractor::KeyExtractor;

/// The proxies whose forwarding headers are believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Arc<Vec<IpNet>>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        TrustedProxies(Arc::new(networks))
    }

    /// One entry of `TRUSTED_PROXIES`: an address (`10.0.0.2`, `::1`) or a range (`10.0.0.0/8`, `fd00::/8`).
    pub fn parse_entry(text: &str) -> Result<IpNet, String> {
        let text = text.trim();
        text.parse::<IpNet>()
            .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
            .map_err(|_| format!("{text:?} is neither an IP address nor a CIDR range such as 10.0.0.0/8"))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|network| network.contains(&ip))
    }
}

/// Who sent a request, as far as we can believe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr {
    /// The client's address: the peer, or the first untrusted hop its trusted proxies named.
    pub ip: IpAddr,
    /// Whether the client reached the proxy over HTTPS, when a trusted proxy said so.
    pub forwarded_https: Option<bool>,
}

impl ClientAddr {
    /// Reads the forwarding headers only when `peer` is a trusted proxy. `X-Forwarded-For` is read from the right
    /// (each proxy appends the address it saw): the client is the first hop that is not itself a trusted proxy.
    /// A hop that is not an address ends the walk, and the last trusted hop counts as the client.
    pub fn of(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> Self {
        let peer = canonical(peer);
        if !trusted.trusts(peer) {
            return ClientAddr { ip: peer, forwarded_https: None };
        }
        let hops: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        let mut ip = peer;
        for hop in hops.iter().rev() {
            match parse_hop(hop) {
                Some(hop) => {
                    ip = hop;
                    if !trusted.trusts(hop) {
                        break;
                    }
                }
                None => break,
            }
        }
        let forwarded_https = headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.split(',').next())
            .map(|scheme| scheme.trim().eq_ignore_ascii_case("https"));
        ClientAddr { ip, forwarded_https }
    }
}

/// An `X-Forwarded-For` entry: `203.0.113.7`, `2001:db8::1`, `[2001:db8::1]:4711` or `203.0.113.7:4711`.
fn parse_hop(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    text.parse::<std::net::SocketAddr>().ok().map(|addr| canonical(addr.ip()))
}

/// IPv4 addresses that arrive mapped into IPv6 (`::ffff:10.0.0.2`, from a dual-stack socket) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Puts the request's [`ClientAddr`] in its extensions; outermost, so that the log span and everything inside
/// can read it. A request without a peer address (none in production: `serve.rs` always adds it) counts as
/// coming from the unspecified address.
pub async fn client_address(State(trusted): State<TrustedProxies>, mut request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map_or(IpAddr::V6(Ipv6Addr::UNSPECIFIED), |ConnectInfo(addr)| addr.ip());
    let client = ClientAddr::of(peer, request.headers(), &trusted);
    request.extensions_mut().insert(client);
    next.run(request).await
}

/// The rate limits' key: the client's address, and for IPv6 its /64 network, since one household or one phone
/// gets a whole /64 to pick addresses from.
#[derive(Debug, Clone, Copy)]
pub struct ClientKey;

impl KeyExtractor for ClientKey {
    type Key = IpAddr;

    fn extract<T>(&self, request: &axum::http::Request<T>) -> Result<IpAddr, GovernorError> {
        let client = request.extensions().get::<ClientAddr>().ok_or(GovernorError::UnableToExtractKey)?;
        Ok(match client.ip {
            IpAddr::V6(v6) => {
                let segments = v6.segments();
                IpAddr::V6(Ipv6Addr::new(segments[0], segments[1], segments[2], segments[3], 0, 0, 0, 0))
            }
            v4 => v4,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trusted(entries: &[&str]) -> TrustedProxies {
        TrustedProxies::new(
            entries.iter().map(|e| TrustedProxies::parse_entry(e).unwrap_or_else(|e| panic!("{e}"))).collect(),
        )
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, axum::http::HeaderValue::from_static(value));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or_else(|_| panic!("{text}"))
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let spoofed = headers(&[("x-forwarded-for", "198.51.100.1"), ("x-forwarded-proto", "https")]);
        let client = ClientAddr::of(ip("203.0.113.9"), &spoofed, &trusted(&["10.0.0.0/8"]));
        assert_eq!(client, ClientAddr { ip: ip("203.0.113.9"), forwarded_https: None });
        let nobody_trusted = ClientAddr::of(ip("10.0.0.2"), &spoofed, &TrustedProxies::default());
        assert_eq!(nobody_trusted.ip, ip("10.0.0.2"));
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let forwarded = headers(&[("x-forwarded-for", "198.51.100.1"), ("x-forwarded-proto", "https")]);
        let client = ClientAddr::of(ip("10.0.0.2"), &forwarded, &trusted(&["10.0.0.2"]));
        assert_eq!(client, ClientAddr { ip: ip("198.51.100.1"), forwarded_https: Some(true) });
    }

    #[test]
    fn the_client_is_the_rightmost_untrusted_hop() {
        // The client wrote a fake first hop; our proxy appended the address it really saw.
        let forwarded = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.1"), ("x-forwarded-for", "10.1.1.1")]);
        let client = ClientAddr::of(ip("10.0.0.2"), &forwarded, &trusted(&["10.0.0.0/8"]));
        assert_eq!(client.ip, ip("198.51.100.1"));
        // Garbage stops the walk at the last trusted hop.
        let garbage = headers(&[("x-forwarded-for", "1.2.3.4, not-an-address")]);
        assert_eq!(ClientAddr::of(ip("10.0.0.2"), &garbage, &trusted(&["10.0.0.0/8"])).ip, ip("10.0.0.2"));
    }

    #[test]
    fn mapped_addresses_and_ports_are_understood() {
        let forwarded = headers(&[("x-forwarded-for", "[2001:db8::7]:4711")]);
        let client = ClientAddr::of(ip("::ffff:127.0.0.1"), &forwarded, &trusted(&["127.0.0.1"]));
        assert_eq!(client.ip, ip("2001:db8::7"));
    }

    #[test]
    fn entries_are_addresses_or_ranges() {
        assert!(TrustedProxies::parse_entry("10.0.0.0/8").is_ok());
        assert!(TrustedProxies::parse_entry(" ::1 ").is_ok());
        let error = TrustedProxies::parse_entry("proxy.local").unwrap_err();
        assert!(error.contains("CIDR"), "{error}");
    }
}
