//! Secrets: invite and session tokens (128 random bits, kept only as SHA-256 hashes), the admin
//! password (Argon2id), constant-time comparison and the login rate limit.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token's SHA-256: what the database keeps.
pub type TokenHash = [u8; 32];

/// 128 random bits from the operating system, as 32 hex digits.
pub fn new_token() -> String {
    let mut b = [0u8; 16];
    // The operating system's generator fails only on a broken system; no token is better
    // than a guessable one.
    if getrandom::fill(&mut b).is_err() {
        panic!("操作系统的随机数生成器不可用");
    }
    hex(&b)
}

pub fn hex(b: &[u8]) -> String {
    use std::fmt::Write;
    b.iter()
        .fold(String::with_capacity(b.len() * 2), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}

/// A token as it may appear in a URL or cookie: exactly 32 lower-case hex digits.
pub fn parse_token(s: &str) -> Option<String> {
    (s.len() == 32
        && s.bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)))
    .then(|| s.to_string())
}

pub fn hash_token(token: &str) -> TokenHash {
    Sha256::digest(token.as_bytes()).into()
}

/// The content hash of an upload (file name in the store).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Compares two byte strings in time that depends on their length only.
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y));
    // Keep the compiler from turning the fold into an early exit.
    std::hint::black_box(diff) == 0
}

/// The PHC string of an Argon2id hash of the password (a fresh random salt).
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| e.to_string())?;
    argon2::Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), phc)
        .is_ok()
}

/// Failed logins allowed per address within [`WINDOW`].
pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(10 * 60);

/// Failed logins per client address: after [`MAX_FAILURES`] in [`WINDOW`] the address waits.
#[derive(Default)]
pub struct RateLimit {
    failures: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl RateLimit {
    /// How long the address must still wait, if it must.
    pub fn blocked(&self, ip: IpAddr) -> Option<Duration> {
        let map = self.failures.lock().ok()?;
        let (n, since) = map.get(&ip)?;
        let waited = since.elapsed();
        (*n >= MAX_FAILURES && waited < WINDOW).then(|| WINDOW - waited)
    }

    pub fn failed(&self, ip: IpAddr) {
        if let Ok(mut map) = self.failures.lock() {
            // A map that only grows would be a way to fill memory: old entries go.
            if map.len() > 10_000 {
                map.retain(|_, (_, t)| t.elapsed() < WINDOW);
            }
            let e = map.entry(ip).or_insert((0, Instant::now()));
            if e.1.elapsed() >= WINDOW {
                *e = (0, Instant::now());
            }
            e.0 += 1;
        }
    }

    pub fn succeeded(&self, ip: IpAddr) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&ip);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_128_bits_of_hex_and_differ() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.len(), 32);
        assert!(parse_token(&a).is_some());
        assert_ne!(a, b);
        assert!(parse_token("../../etc/passwd").is_none());
        assert!(parse_token(&a.to_uppercase()).is_none());
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("正确的密码").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("正确的密码", &h));
        assert!(!verify_password("错误的密码", &h));
    }

    #[test]
    fn constant_time_comparison_is_equality() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }

    #[test]
    fn the_sixth_failure_waits() {
        let r = RateLimit::default();
        let ip: IpAddr = [127, 0, 0, 1].into();
        for _ in 0..MAX_FAILURES - 1 {
            r.failed(ip);
        }
        assert!(r.blocked(ip).is_none());
        r.failed(ip);
        assert!(r.blocked(ip).is_some());
        r.succeeded(ip);
        assert!(r.blocked(ip).is_none());
    }
}
