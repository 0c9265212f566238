//! Which servers a download may reach, and which redirects it may follow.
//!
//! A deck read from a URL is written by someone else: its links must not make deckconv a
//! proxy into the user's own machine or network (SSRF: a router's admin page, a cloud
//! metadata service at 169.254.169.254). Such a deck may reach public addresses only,
//! unless the user allows the local network. The rule is enforced where it cannot be
//! bypassed: the literal host of every URL and every redirect target is checked before any
//! request, and host names go through [`PublicResolver`], whose filtered answer is the very
//! list of addresses reqwest connects to, so a name that resolves (or re-resolves, DNS
//! rebinding) to 127.0.0.1 reaches nothing.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::redirect::{Attempt, Policy};
use url::Url;

/// Redirects followed before a chain counts as a loop (reqwest's own default).
pub(crate) const MAX_REDIRECTS: usize = 10;

/// Which addresses a download may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Anything: the deck came from this machine (a file, a folder, stdin).
    Anywhere,
    /// Public addresses only: the deck came from a URL.
    PublicOnly,
}

/// A host deckconv refused to connect to under [`Reach::PublicOnly`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{host}{}", resolved_to(address))]
pub struct NotPublic {
    /// The host as written in the URL.
    pub host: String,
    /// The local-network address a host name resolved to (`None`: the host is an address).
    pub address: Option<IpAddr>,
}

fn resolved_to(address: &Option<IpAddr>) -> String {
    match address {
        Some(ip) => format!(" (resolves to {ip})"),
        None => String::new(),
    }
}

/// A redirect deckconv did not follow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RedirectRefused {
    #[error("too many redirects (more than {MAX_REDIRECTS}; a redirect loop?)")]
    TooMany,
    #[error("redirect from https to plain http refused ({to})")]
    Downgrade { to: String },
    #[error("redirect to a {scheme}: URL refused ({to})")]
    Scheme { scheme: String, to: String },
    #[error("redirect to a local-network address refused: {0}")]
    NotPublic(NotPublic),
}

/// Whether `ip` is an address on the public Internet: not loopback, private, link-local,
/// shared (CGNAT), unspecified, multicast, broadcast, documentation, benchmarking or
/// reserved, and, for IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64,
/// 6to4), not carrying such an address either.
///
/// std's `IpAddr::is_global` would be this, but is unstable (rust-lang/rust#27709); the
/// stable predicates cover most ranges and the rest are listed from IANA's special-purpose
/// address registries.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let special = ip.is_unspecified()
        || a == 0 // 0.0.0.0/8, "this network"
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local() // 169.254/16, cloud metadata services
        || (a == 100 && (b & 0xc0) == 64) // 100.64/10, shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // 192.0.0/24, IETF protocol assignments
        || ip.is_documentation()
        || (a == 198 && (b & 0xfe) == 18) // 198.18/15, benchmarking
        || ip.is_multicast()
        || a >= 240; // 240/4 reserved, and the broadcast address
    !special
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let segments = ip.segments();
    if let Some(v4) = embedded_v4(ip) {
        return is_public_v4(v4);
    }
    let special = ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || ip.is_unique_local() // fc00::/7
        || ip.is_unicast_link_local() // fe80::/10
        || (segments[0] & 0xffc0) == 0xfec0 // fec0::/10, deprecated site-local
        || (segments[0] == 0x2001 && segments[1] == 0x0db8) // documentation
        || (segments[0] == 0x2001 && segments[1] == 0) // Teredo: hides where it leads
        || (segments[0] == 0x0100 && segments[1..4] == [0, 0, 0]); // 100::/64, discard
    !special
}

/// The IPv4 address an IPv6 address stands for, where a router or the host's own stack
/// would deliver it there: IPv4-mapped (`::ffff:127.0.0.1`), IPv4-compatible (`::127.0.0.1`),
/// NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    // `::` and `::1` are not IPv4-compatible addresses; they are checked as IPv6.
    if s[..6] == [0; 6] && !(s[6] == 0 && s[7] <= 1) {
        return Some(low(s[6], s[7]));
    }
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some(low(s[6], s[7]));
    }
    if s[0] == 0x2002 {
        return Some(low(s[1], s[2]));
    }
    None
}

/// Refuse `url` before any connection if its host is an address that is not public, or a
/// name that by definition is this machine (`localhost`, `*.localhost`, RFC 6761).
pub(crate) fn check_url(url: &Url) -> Result<(), NotPublic> {
    let refuse = || NotPublic {
        host: url.host_str().unwrap_or_default().to_string(),
        address: None,
    };
    match url.host() {
        Some(url::Host::Ipv4(ip)) if !is_public_v4(ip) => Err(refuse()),
        Some(url::Host::Ipv6(ip)) if !is_public_v6(ip) => Err(refuse()),
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name == "localhost" || name.ends_with(".localhost") {
                Err(refuse())
            } else {
                Ok(())
            }
        }
        _ => Ok(()),
    }
}

/// The redirect policy of every client: at most [`MAX_REDIRECTS`], never from https down to
/// http (the image would travel unprotected and could be swapped on the way), never to a
/// scheme other than http(s), and under [`Reach::PublicOnly`] never to a literal address
/// that is not public (names are filtered by [`PublicResolver`] when connecting).
pub(crate) fn redirect_policy(reach: Reach) -> Policy {
    Policy::custom(move |attempt: Attempt| {
        match judge_redirect(attempt.url(), attempt.previous(), reach) {
            Ok(()) => attempt.follow(),
            Err(refused) => attempt.error(refused),
        }
    })
}

fn judge_redirect(to: &Url, previous: &[Url], reach: Reach) -> Result<(), RedirectRefused> {
    // `previous` starts with the URL first asked for, which is no redirect.
    if previous.len() > MAX_REDIRECTS {
        return Err(RedirectRefused::TooMany);
    }
    let from_https = previous.last().is_some_and(|from| from.scheme() == "https");
    match to.scheme() {
        "https" => {}
        "http" if from_https => return Err(RedirectRefused::Downgrade { to: to.to_string() }),
        "http" => {}
        other => {
            return Err(RedirectRefused::Scheme {
                scheme: other.to_string(),
                to: to.to_string(),
            })
        }
    }
    if reach == Reach::PublicOnly {
        check_url(to).map_err(RedirectRefused::NotPublic)?;
    }
    Ok(())
}

/// The system resolver, keeping only public addresses. Host names of the proxies configured
/// in the environment are resolved unfiltered: the user chose them, and a proxy on the
/// local network is common. (Through a proxy, the proxy resolves the target's name; the
/// literal-address and redirect checks still apply.)
pub(crate) struct PublicResolver {
    proxies: HashSet<String>,
}

impl PublicResolver {
    pub fn from_env() -> Self {
        let proxies = [
            "HTTP_PROXY",
            "http_proxy",
            "HTTPS_PROXY",
            "https_proxy",
            "ALL_PROXY",
            "all_proxy",
        ]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .filter_map(|value| {
            // reqwest reads a proxy without a scheme as http://.
            let value = value.trim();
            Url::parse(value)
                .ok()
                .filter(|u| u.has_host())
                .or_else(|| Url::parse(&format!("http://{value}")).ok())
        })
        .filter_map(|url| url.host_str().map(|h| h.to_ascii_lowercase()))
        .collect();
        PublicResolver { proxies }
    }
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        let filtered = !self.proxies.contains(&host.to_ascii_lowercase());
        Box::pin(async move {
            // getaddrinfo blocks; on tokio's blocking pool it does not hold up the other
            // downloads sharing the client's runtime thread.
            let lookup = host.clone();
            let addrs: Vec<SocketAddr> =
                tokio::task::spawn_blocking(move || (lookup.as_str(), 0).to_socket_addrs())
                    .await??
                    .collect();
            if !filtered {
                return Ok(Box::new(addrs.into_iter()) as Addrs);
            }
            let (public, local): (Vec<_>, Vec<_>) =
                addrs.into_iter().partition(|a| is_public(a.ip()));
            match local.first() {
                Some(first) if public.is_empty() => Err(Box::new(NotPublic {
                    host,
                    address: Some(first.ip()),
                }) as _),
                _ => Ok(Box::new(public.into_iter()) as Addrs),
            }
        })
    }
}

/// The first [`NotPublic`] or [`RedirectRefused`] among an error's causes.
pub(crate) fn refusal(e: &(dyn std::error::Error + 'static)) -> Option<Refusal> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(error) = cause {
        if let Some(not_public) = error.downcast_ref::<NotPublic>() {
            return Some(Refusal::NotPublic(not_public.clone()));
        }
        if let Some(redirect) = error.downcast_ref::<RedirectRefused>() {
            return Some(match redirect {
                RedirectRefused::NotPublic(not_public) => Refusal::NotPublic(not_public.clone()),
                other => Refusal::Redirect(other.clone()),
            });
        }
        cause = error.source();
    }
    None
}

pub(crate) enum Refusal {
    NotPublic(NotPublic),
    Redirect(RedirectRefused),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(s: &str) -> bool {
        is_public(s.parse().unwrap())
    }

    #[test]
    fn local_network_addresses_are_not_public() {
        for local in [
            "127.0.0.1",
            "127.1.2.3",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "0.1.2.3",
            "255.255.255.255",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.2.1",
            "198.18.0.1",
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
            "2002:a9fe:a9fe::1",
            "2001:db8::1",
            "2001::1",
        ] {
            assert!(!public(local), "{local} counted as public");
        }
    }

    #[test]
    fn public_addresses_are_public() {
        for global in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.0.1",
            "172.32.0.1",
            "169.253.0.1",
            "2606:4700::1111",
            "2a00:1450:4001::1",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(public(global), "{global} counted as local");
        }
    }

    #[test]
    fn literal_hosts_are_checked_before_any_request() {
        let check = |u: &str| check_url(&Url::parse(u).unwrap());
        assert!(check("https://example.com/a.png").is_ok());
        assert!(check("http://8.8.8.8/a.png").is_ok());
        for local in [
            "http://127.0.0.1:8080/a.png",
            "http://10.0.0.1/a.png",
            "http://169.254.169.254/latest/meta-data/",
            "http://[::1]/a.png",
            "http://[::ffff:7f00:1]/a.png",
            "http://localhost/a.png",
            "http://LocalHost./a.png",
            "http://app.localhost/a.png",
            // The URL parser reads these forms as the IPv4 address they spell.
            "http://2130706433/a.png",
            "http://0x7f.1/a.png",
            "http://017700000001/a.png",
        ] {
            assert!(check(local).is_err(), "{local} allowed");
        }
    }

    #[test]
    fn redirects_are_judged() {
        let url = |u: &str| Url::parse(u).unwrap();
        let from = [url("https://example.com/a.png")];
        let judge = |to: &str, reach| judge_redirect(&url(to), &from, reach);
        assert_eq!(
            judge("https://cdn.example.com/a.png", Reach::PublicOnly),
            Ok(())
        );
        assert!(matches!(
            judge("http://example.com/a.png", Reach::Anywhere),
            Err(RedirectRefused::Downgrade { .. })
        ));
        assert!(matches!(
            judge("ftp://example.com/a.png", Reach::Anywhere),
            Err(RedirectRefused::Scheme { .. })
        ));
        assert!(matches!(
            judge("https://127.0.0.1/a.png", Reach::PublicOnly),
            Err(RedirectRefused::NotPublic(_))
        ));
        assert_eq!(judge("https://127.0.0.1/a.png", Reach::Anywhere), Ok(()));
        let plain = [url("http://example.com/a.png")];
        assert_eq!(
            judge_redirect(&url("http://example.com/b.png"), &plain, Reach::Anywhere),
            Ok(())
        );
        let chain: Vec<Url> = (0..=MAX_REDIRECTS)
            .map(|i| url(&format!("https://example.com/{i}")))
            .collect();
        assert_eq!(
            judge_redirect(&url("https://example.com/x"), &chain, Reach::Anywhere),
            Err(RedirectRefused::TooMany)
        );
    }
}
