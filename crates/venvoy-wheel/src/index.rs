//! A package index's simple API (PEP 503 HTML, PEP 691 JSON): the files of a
//! project, and downloading one with its SHA-256 checked.
//!
//! The caller hands in everything taken from the environment (the index URL,
//! the proxy and `NO_PROXY`); nothing here reads environment variables.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::SeedError;
use crate::hash::hex;

/// Where the index is and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexConfig {
    /// The simple API root, e.g. `https://pypi.org/simple` (pip's `PIP_INDEX_URL`).
    pub url: String,
    /// A proxy URL (`https_proxy`), used for every host not in `no_proxy`.
    pub proxy: Option<String>,
    /// Hosts reached directly (`NO_PROXY`): exact names, or `.suffix`/`suffix` domains; `*` means all.
    pub no_proxy: Vec<String>,
    /// How long connecting may take.
    pub connect_timeout: Duration,
    /// How long one request (including a download) may take.
    pub timeout: Duration,
    /// The `User-Agent` header.
    pub user_agent: String,
    /// A PEM bundle of the certificate authorities to trust (pip's `cert`,
    /// `SSL_CERT_FILE`, the system bundle); `None` trusts the Mozilla roots
    /// built into venvoy.
    pub ca_bundle: Option<PathBuf>,
}

impl IndexConfig {
    /// PyPI, without a proxy.
    pub fn pypi(user_agent: impl Into<String>) -> Self {
        Self {
            url: "https://pypi.org/simple".into(),
            proxy: None,
            no_proxy: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(300),
            user_agent: user_agent.into(),
            ca_bundle: None,
        }
    }
}

/// One file a project page lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexFile {
    /// The file name, e.g. `pip-24.2-py3-none-any.whl`.
    pub filename: String,
    /// Where to download it (absolute).
    pub url: String,
    /// The SHA-256 the index gives, lowercase hex.
    pub sha256: Option<String>,
    /// Its `Requires-Python`.
    pub requires_python: Option<String>,
    /// Whether it is yanked (PEP 592).
    pub yanked: bool,
}

/// A client of one index.
#[derive(Debug)]
pub struct Index {
    config: IndexConfig,
    direct: ureq::Agent,
    proxied: Option<ureq::Agent>,
}

const ACCEPT: &str =
    "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01";

impl Index {
    /// A client for `config`; fails on a URL or proxy that cannot be used.
    pub fn new(config: IndexConfig) -> Result<Self, SeedError> {
        if split_url(&config.url).is_none() {
            return Err(SeedError::Config { what: "index URL", value: config.url });
        }
        let mut tls = ureq::tls::TlsConfig::builder();
        if let Some(bundle) = &config.ca_bundle {
            let pem =
                std::fs::read(bundle).map_err(SeedError::io("cannot read the certificate bundle", bundle))?;
            let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&pem)
                .filter_map(|item| match item {
                    Ok(ureq::tls::PemItem::Certificate(cert)) => Some(cert),
                    _ => None,
                })
                .collect();
            if certs.is_empty() {
                return Err(SeedError::Config {
                    what: "certificate bundle",
                    value: bundle.display().to_string(),
                });
            }
            tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&certs));
        }
        let tls = tls.build();
        let agent = |proxy: Option<ureq::Proxy>| -> ureq::Agent {
            ureq::Agent::config_builder()
                .tls_config(tls.clone())
                .proxy(proxy)
                .http_status_as_error(false)
                .timeout_connect(Some(config.connect_timeout))
                .timeout_global(Some(config.timeout))
                .user_agent(config.user_agent.as_str())
                .build()
                .into()
        };
        let proxied = match &config.proxy {
            Some(p) => {
                let proxy =
                    ureq::Proxy::new(p).map_err(|_| SeedError::Config { what: "proxy", value: p.clone() })?;
                Some(agent(Some(proxy)))
            }
            None => None,
        };
        let direct = agent(None);
        Ok(Self { config, direct, proxied })
    }

    /// The project page URL of `name` (PEP 503 normalised).
    pub fn project_url(&self, name: &str) -> String {
        format!("{}/{}/", self.config.url.trim_end_matches('/'), venvoy_dist::normalize_name(name))
    }

    fn agent_for(&self, url: &str) -> &ureq::Agent {
        let host = split_url(url).map(|(_, host, _)| host).unwrap_or_default();
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
        match &self.proxied {
            Some(agent) if !bypasses_proxy(&host, &self.config.no_proxy) => agent,
            _ => &self.direct,
        }
    }

    fn get(&self, url: &str, accept: Option<&str>) -> Result<ureq::http::Response<ureq::Body>, SeedError> {
        let mut request = self.agent_for(url).get(url);
        if let Some(accept) = accept {
            request = request.header("Accept", accept);
        }
        let response =
            request.call().map_err(|e| SeedError::Http { url: url.to_string(), source: Box::new(e) })?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            return Err(SeedError::Status { url: url.to_string(), status });
        }
        Ok(response)
    }

    /// Every file the project page of `name` lists.
    pub fn files(&self, name: &str) -> Result<Vec<IndexFile>, SeedError> {
        let url = self.project_url(name);
        tracing::debug!("fetching {url}");
        let mut response = self.get(&url, Some(ACCEPT))?;
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_ascii_lowercase();
        let body = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| SeedError::Http { url: url.clone(), source: Box::new(e) })?;
        if content_type.contains("json") { parse_json(&body, &url) } else { Ok(parse_html(&body, &url)) }
    }

    /// Download `file` into `out`, reporting bytes as they arrive, and check
    /// its SHA-256 against the index's. Returns the byte count.
    pub fn download(
        &self,
        file: &IndexFile,
        out: &mut dyn Write,
        on_bytes: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<u64, SeedError> {
        let Some(expected) = &file.sha256 else {
            return Err(SeedError::NoHash { url: file.url.clone() });
        };
        tracing::debug!("downloading {}", file.url);
        let mut response = self.get(&file.url, None)?;
        let total = response.body().content_length();
        let http_err = |e: std::io::Error| SeedError::Http {
            url: file.url.clone(),
            source: Box::new(ureq::Error::Io(e)),
        };
        let mut reader = response.body_mut().with_config().limit(1024 * 1024 * 1024).reader();
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 64 * 1024];
        let mut done = 0u64;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(http_err(e)),
            };
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).map_err(|source| SeedError::Io {
                action: "cannot write the download of",
                path: file.filename.clone().into(),
                source,
            })?;
            done += n as u64;
            on_bytes(done, total);
        }
        let actual = hex(&hasher.finalize());
        if !actual.eq_ignore_ascii_case(expected) {
            return Err(SeedError::HashMismatch {
                url: file.url.clone(),
                expected: expected.clone(),
                actual,
            });
        }
        Ok(done)
    }
}

/// Whether `host` is reached without the proxy.
fn bypasses_proxy(host: &str, no_proxy: &[String]) -> bool {
    no_proxy.iter().map(|e| e.trim().to_ascii_lowercase()).any(|entry| {
        let entry = entry.split(':').next().unwrap_or_default().to_string();
        if entry == "*" {
            return true;
        }
        let suffix = entry.trim_start_matches('.');
        !suffix.is_empty() && (host == suffix || host.ends_with(&format!(".{suffix}")))
    })
}

/// `scheme://authority/path...` split into its parts; `None` unless http(s).
fn split_url(url: &str) -> Option<(&str, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    (!authority.is_empty()).then_some((scheme, authority, path))
}

/// Resolve `href` against the page at `base` (RFC 3986, for the forms indexes use).
fn resolve(base: &str, href: &str) -> String {
    if split_url(href).is_some() {
        return href.to_string();
    }
    let Some((scheme, authority, path)) = split_url(base) else { return href.to_string() };
    if let Some(rest) = href.strip_prefix("//") {
        return format!("{scheme}://{rest}");
    }
    let (href_path, tail) = match href.find(['?', '#']) {
        Some(i) => href.split_at(i),
        None => (href, ""),
    };
    let joined = if href_path.starts_with('/') {
        href_path.to_string()
    } else {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
        format!("{dir}{href_path}")
    };
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = joined.split('/').collect();
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                if segments.len() > 1 {
                    segments.pop();
                }
            }
            s => segments.push(s),
        }
        if i + 1 == parts.len() && (*seg == "." || *seg == "..") {
            segments.push("");
        }
    }
    format!("{scheme}://{authority}{}{tail}", segments.join("/"))
}

/// A PEP 691 JSON project page.
fn parse_json(body: &str, url: &str) -> Result<Vec<IndexFile>, SeedError> {
    #[derive(serde::Deserialize)]
    struct Page {
        files: Vec<File>,
    }
    #[derive(serde::Deserialize)]
    struct File {
        filename: String,
        url: String,
        #[serde(default)]
        hashes: std::collections::HashMap<String, String>,
        #[serde(rename = "requires-python", default)]
        requires_python: Option<String>,
        #[serde(default)]
        yanked: serde_json::Value,
    }
    let page: Page = serde_json::from_str(body)
        .map_err(|e| SeedError::Page { url: url.to_string(), reason: e.to_string() })?;
    Ok(page
        .files
        .into_iter()
        .map(|f| IndexFile {
            url: resolve(url, &f.url),
            sha256: f.hashes.get("sha256").map(|h| h.to_ascii_lowercase()),
            requires_python: f.requires_python.filter(|r| !r.trim().is_empty()),
            yanked: match f.yanked {
                serde_json::Value::Bool(b) => b,
                serde_json::Value::String(_) => true,
                _ => false,
            },
            filename: f.filename,
        })
        .collect())
}

/// A PEP 503 HTML project page: every `<a>` with its `href` (hash in the
/// fragment), `data-requires-python` and `data-yanked`.
fn parse_html(body: &str, url: &str) -> Vec<IndexFile> {
    let lower = body.to_ascii_lowercase();
    let mut files = Vec::new();
    let mut at = 0;
    while let Some(start) = lower[at..].find("<a").map(|i| at + i) {
        let after = start + 2;
        if !lower[after..].starts_with(|c: char| c.is_ascii_whitespace()) {
            at = after;
            continue;
        }
        let Some(tag_end) = lower[after..].find('>').map(|i| after + i) else { break };
        let close = lower[tag_end..].find("</a").map_or(lower.len(), |i| tag_end + i);
        let attrs = attributes(&body[after..tag_end]);
        let text = unescape(body[tag_end + 1..close].trim());
        at = close;
        let get = |name: &str| attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let Some(href) = get("href") else { continue };
        let (link, fragment) = href.split_once('#').unwrap_or((&href, ""));
        let sha256 = fragment.strip_prefix("sha256=").map(str::to_ascii_lowercase);
        let filename =
            if text.is_empty() { link.rsplit('/').next().unwrap_or_default().to_string() } else { text };
        files.push(IndexFile {
            filename,
            url: resolve(url, link),
            sha256,
            requires_python: get("data-requires-python").filter(|r| !r.trim().is_empty()),
            yanked: get("data-yanked").is_some(),
        });
    }
    files
}

/// The attributes of a tag, names lowercased, values unescaped.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start();
    while !rest.is_empty() {
        let name_end =
            rest.find(|c: char| c == '=' || c.is_ascii_whitespace() || c == '/').unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after_eq) = rest.strip_prefix('=') {
            let after_eq = after_eq.trim_start();
            let (v, r) = match after_eq.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let inner = &after_eq[1..];
                    let end = inner.find(q).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or_default())
                }
                _ => {
                    let end = after_eq.find(|c: char| c.is_ascii_whitespace()).unwrap_or(after_eq.len());
                    after_eq.split_at(end)
                }
            };
            value = unescape(v);
            rest = r;
        } else if name.is_empty() {
            rest = rest.get(1..).unwrap_or_default();
        }
        if !name.is_empty() {
            out.push((name, value));
        }
        rest = rest.trim_start();
    }
    out
}

/// The HTML character references indexes use.
fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => {
                u32::from_str_radix(&e[2..], 16).ok().and_then(char::from_u32)
            }
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links() {
        let page = "https://example.org/simple/pip/";
        assert_eq!(resolve(page, "https://files.example/p.whl"), "https://files.example/p.whl");
        assert_eq!(
            resolve(page, "/packages/p.whl#sha256=ab"),
            "https://example.org/packages/p.whl#sha256=ab"
        );
        assert_eq!(resolve(page, "../../packages/p.whl"), "https://example.org/packages/p.whl");
        assert_eq!(resolve(page, "p.whl"), "https://example.org/simple/pip/p.whl");
        assert_eq!(resolve(page, "//cdn.example/p.whl"), "https://cdn.example/p.whl");
    }

    #[test]
    fn parses_pep_503_html() {
        let html = r#"<!DOCTYPE html><html><body>
            <a href="../../packages/pip-24.0-py3-none-any.whl#sha256=ABC" data-requires-python="&gt;=3.7">pip-24.0-py3-none-any.whl</a><br/>
            <A HREF='/x/pip-1.0.tar.gz' data-yanked="">pip-1.0.tar.gz</A>
            <abbr>not a link</abbr>
        </body></html>"#;
        let files = parse_html(html, "https://example.org/simple/pip/");
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].filename, "pip-24.0-py3-none-any.whl");
        assert_eq!(files[0].url, "https://example.org/packages/pip-24.0-py3-none-any.whl");
        assert_eq!(files[0].sha256.as_deref(), Some("abc"));
        assert_eq!(files[0].requires_python.as_deref(), Some(">=3.7"));
        assert!(!files[0].yanked);
        assert!(files[1].yanked);
        assert_eq!(files[1].url, "https://example.org/x/pip-1.0.tar.gz");
    }

    #[test]
    fn parses_pep_691_json() {
        let json = r#"{"meta":{"api-version":"1.1"},"name":"pip","files":[
            {"filename":"pip-24.0-py3-none-any.whl","url":"https://f.example/pip-24.0-py3-none-any.whl",
             "hashes":{"sha256":"AA"},"requires-python":">=3.7","yanked":false},
            {"filename":"pip-9.whl","url":"/p/pip-9.whl","hashes":{},"yanked":"broken"}]}"#;
        let files = parse_json(json, "https://example.org/simple/pip/").unwrap();
        assert_eq!(files[0].sha256.as_deref(), Some("aa"));
        assert_eq!(files[0].requires_python.as_deref(), Some(">=3.7"));
        assert!(files[1].yanked);
        assert_eq!(files[1].url, "https://example.org/p/pip-9.whl");
        assert!(parse_json("{", "u").is_err());
    }

    #[test]
    fn no_proxy_matching() {
        let list = vec![".example.org".to_string(), "localhost:8080".to_string()];
        assert!(bypasses_proxy("pypi.example.org", &list));
        assert!(bypasses_proxy("example.org", &list));
        assert!(bypasses_proxy("localhost", &list));
        assert!(!bypasses_proxy("pypi.org", &list));
        assert!(bypasses_proxy("pypi.org", &["*".to_string()]));
    }
}
