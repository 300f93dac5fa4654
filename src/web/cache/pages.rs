//! A short-lived cache of the pages anonymous readers get. In the Musrenbang weeks many
//! phones open the same village portal and lists at once; within a couple of seconds they
//! all get the same bytes, so each page is rendered once and served from memory to the
//! others.
//!
//! What is never cached: anything but a GET answered 200; a request carrying a session
//! (a logged-in user, or a visitor with a form or a notice of their own); a response that
//! sets a cookie or holds a form's CSRF token or one-time key. The layer sits outside the
//! session layer, so it sees the answer as it leaves, cookies included. A successful POST
//! in a village makes every cached page of that village stale at once on this server (and
//! any other POST every page; see [`super::forget_on_change`]); other servers on the same
//! database serve at most `MUSDES_PAGE_CACHE_SECONDS` old pages.
//!
//! A stale page is made again by the first reader who asks for it after the change; the
//! readers who ask while that one request makes it are served the page as it was (at
//! most `MUSDES_PAGE_CACHE_SECONDS` old, as another server's), not each a render of
//! their own: under a stream of submissions the village portal is rendered once at a
//! time, not once per reader.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;

/// Bodies above this are not kept.
const LARGEST_PAGE: usize = 512 * 1024;
/// The memory all kept pages may take together.
const CAPACITY_BYTES: u64 = 8 * 1024 * 1024;

/// A kept page: the generations it was made in, its headers and body, and the body
/// compressed once with gzip (when it is text) for every reader who accepts that.
type Kept = ((u64, u64), HeaderMap, Bytes, Option<Bytes>);

/// Cheap to clone (one reference count): the middleware takes a copy per request.
#[derive(Clone)]
pub struct PageCache(Arc<Pages>);

impl std::ops::Deref for PageCache {
    type Target = Pages;

    fn deref(&self) -> &Pages {
        &self.0
    }
}

/// What a [`PageCache`] holds.
pub struct Pages {
    /// One entry per page and language: a page made before a change is replaced, not
    /// kept beside the new one.
    pages: moka::future::Cache<String, Kept>,
    /// Bumped by every successful POST in a village.
    villages: Arc<Mutex<HashMap<String, u64>>>,
    /// Bumped by every successful POST elsewhere (administration).
    everything: Arc<AtomicU64>,
    /// The pages being made again after a change, each by one request.
    making: Arc<Mutex<HashSet<String>>>,
    enabled: bool,
}

/// One request making a page again; others meanwhile are served the page as it was.
/// Let go when dropped, however the request ends.
struct Making {
    key: String,
    making: Arc<Mutex<HashSet<String>>>,
}

impl Making {
    /// `None` when another request is already making `key`.
    fn take(cache: &PageCache, key: &str) -> Option<Making> {
        let mut making = cache.making.lock().ok()?;
        making.insert(key.to_string()).then(|| Making {
            key: key.to_string(),
            making: cache.making.clone(),
        })
    }
}

impl Drop for Making {
    fn drop(&mut self) {
        if let Ok(mut making) = self.making.lock() {
            making.remove(&self.key);
        }
    }
}

impl PageCache {
    /// Pages live `ttl`; zero turns the cache off.
    pub fn new(ttl: Duration) -> PageCache {
        PageCache(Arc::new(Pages {
            pages: moka::future::Cache::builder()
                .max_capacity(if ttl.is_zero() { 0 } else { CAPACITY_BYTES })
                .weigher(|key: &String, (_, headers, body, packed): &Kept| {
                    let packed = packed.as_ref().map_or(0, Bytes::len);
                    let bytes = key.len() + body.len() + packed + headers.len() * 64;
                    u32::try_from(bytes).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl.max(Duration::from_millis(1)))
                .build(),
            villages: Arc::default(),
            everything: Arc::default(),
            making: Arc::default(),
            enabled: !ttl.is_zero(),
        }))
    }

    fn generation(&self, village: Option<&str>) -> (u64, u64) {
        let village = village.map_or(0, |slug| {
            self.villages
                .lock()
                .map_or(0, |m| m.get(slug).copied().unwrap_or(0))
        });
        (self.everything.load(Ordering::Acquire), village)
    }

    pub(super) fn changed(&self, village: Option<&str>) {
        match village {
            Some(slug) => {
                if let Ok(mut m) = self.villages.lock() {
                    *m.entry(slug.to_string()).or_default() += 1;
                }
            }
            None => {
                self.everything.fetch_add(1, Ordering::AcqRel);
            }
        }
    }
}

/// The village a path belongs to: `/desa/{slug}/…` and `/api/v1/desa/{slug}/…`.
pub fn village_of(path: &str) -> Option<&str> {
    let rest = path
        .strip_prefix("/desa/")
        .or_else(|| path.strip_prefix("/api/v1/desa/"))?;
    rest.split('/').next().filter(|s| !s.is_empty())
}

/// Whether a request may be answered from (and its answer kept in) the cache.
fn cacheable(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    // A session, or a notice waiting for this visitor's next page: either makes it theirs.
    let personal = super::super::notice::present(headers)
        || super::super::cookies::values(headers, super::super::page::SESSION_COOKIE)
            .next()
            .is_some();
    method == Method::GET
        && !personal
        && (path == "/" || path.starts_with("/desa/") || path.starts_with("/api/v1/"))
}

/// Whether a page carries a value bound to one visitor's session: a form's CSRF token or
/// its one-time submission key. Such a page is that visitor's alone, even when no cookie
/// was set with it.
fn personal(body: &[u8]) -> bool {
    let has = |needle: &str| memchr::memmem::find(body, needle.as_bytes()).is_some();
    has(&format!("name=\"{}\"", super::super::csrf::FIELD))
        || has(&format!("name=\"{}\"", super::super::csrf::ONCE_FIELD))
}

pub async fn layer(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    if !cache.enabled {
        return next.run(request).await;
    }
    let path = request.uri().path().to_string();
    let village = village_of(&path).map(str::to_string);
    if !cacheable(request.method(), &path, request.headers()) {
        return next.run(request).await;
    }
    let generation = cache.generation(village.as_deref());
    let lang = super::super::page::lang_of(request.uri().query(), request.headers());
    let key = format!(
        "{}:{}",
        lang.code(),
        request
            .uri()
            .path_and_query()
            .map_or(path.as_str(), |p| p.as_str())
    );
    let gzip = accepts_gzip(request.headers());
    let mut _making = None;
    if let Some((made, headers, body, packed)) = cache.pages.get(&key).await {
        // Current; or made before a change while another request makes it again: the
        // readers who come meanwhile get it as it was a moment ago (as they would from
        // another server), and the page is made once, not once per reader.
        _making = (made != generation)
            .then(|| Making::take(&cache, &key))
            .flatten();
        if made == generation || _making.is_none() {
            return answer(headers, body, packed, gzip);
        }
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK || response.headers().contains_key(header::SET_COOKIE) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match body.collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            tracing::warn!(error = %e, "page body could not be read");
            return Response::from_parts(parts, Body::empty());
        }
    };
    if body.len() > LARGEST_PAGE || personal(&body) {
        return Response::from_parts(parts, Body::from(body));
    }
    let packed = compressible(&parts.headers)
        .then(|| packed(&body))
        .flatten();
    cache
        .pages
        .insert(
            key,
            (
                generation,
                parts.headers.clone(),
                body.clone(),
                packed.clone(),
            ),
        )
        .await;
    answer(parts.headers, body, packed, gzip)
}

/// A kept page as one reader gets it: compressed already when they accept gzip (the
/// compression layer outside leaves an encoded answer alone), else as it is.
fn answer(mut headers: HeaderMap, body: Bytes, packed: Option<Bytes>, gzip: bool) -> Response {
    headers.append(
        header::VARY,
        header::HeaderValue::from_static("accept-encoding"),
    );
    let body = match packed {
        Some(packed) if gzip => {
            headers.remove(header::CONTENT_LENGTH);
            headers.remove(header::ACCEPT_RANGES);
            headers.insert(
                header::CONTENT_ENCODING,
                header::HeaderValue::from_static("gzip"),
            );
            packed
        }
        _ => body,
    };
    let mut response = Response::new(Body::from(body));
    *response.headers_mut() = headers;
    response
}

/// Whether the request's `Accept-Encoding` takes gzip (`gzip` or `*`, at a weight above
/// zero, and not refused by name).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    let mut named = None;
    let mut any = None;
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim();
            let weight = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if coding.eq_ignore_ascii_case("gzip") || coding.eq_ignore_ascii_case("x-gzip") {
                named = Some(weight > 0.0);
            } else if coding == "*" {
                any = Some(weight > 0.0);
            }
        }
    }
    named.or(any).unwrap_or(false)
}

/// Text worth compressing: HTML, JSON, CSV, XML and SVG; not spreadsheets or images,
/// which are compressed already.
fn compressible(headers: &HeaderMap) -> bool {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    !headers.contains_key(header::CONTENT_ENCODING)
        && (kind.starts_with("text/")
            || kind.starts_with("application/json")
            || kind.contains("xml"))
}

/// `body` compressed with gzip at the default level; `None` should the encoder fail.
fn packed(body: &[u8]) -> Option<Bytes> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::default(),
    );
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_belong_to_their_village() {
        assert_eq!(village_of("/desa/sukamaju"), Some("sukamaju"));
        assert_eq!(
            village_of("/desa/sukamaju/usulan/2026-001"),
            Some("sukamaju")
        );
        assert_eq!(village_of("/api/v1/desa/sukamaju/usulan"), Some("sukamaju"));
        assert_eq!(village_of("/desa/"), None);
        assert_eq!(village_of("/admin/desa"), None);
        assert_eq!(village_of("/"), None);
    }

    #[test]
    fn only_anonymous_gets_of_public_pages_are_kept() {
        let none = HeaderMap::new();
        assert!(cacheable(&Method::GET, "/desa/sukamaju/usulan", &none));
        assert!(cacheable(&Method::GET, "/api/v1/desa/sukamaju", &none));
        assert!(!cacheable(&Method::POST, "/desa/sukamaju/usulan", &none));
        assert!(!cacheable(&Method::GET, "/admin/desa", &none));
        assert!(!cacheable(&Method::GET, "/static/app.css", &none));
        let mut with_session = HeaderMap::new();
        with_session.insert(
            header::COOKIE,
            format!("lang=en; {}=abc", crate::web::page::SESSION_COOKIE)
                .parse()
                .unwrap(),
        );
        assert!(!cacheable(&Method::GET, "/desa/sukamaju", &with_session));
        let mut with_notice = HeaderMap::new();
        with_notice.insert(
            header::COOKIE,
            format!("{}=proposal.submitted_notice", crate::web::notice::COOKIE)
                .parse()
                .unwrap(),
        );
        assert!(!cacheable(&Method::GET, "/desa/sukamaju", &with_notice));
        let mut lang_only = HeaderMap::new();
        lang_only.insert(header::COOKIE, "lang=en".parse().unwrap());
        assert!(cacheable(&Method::GET, "/desa/sukamaju", &lang_only));
    }

    #[test]
    fn a_page_with_a_visitors_form_is_personal() {
        assert!(personal(
            b"<input type=\"hidden\" name=\"csrf_token\" value=\"T\">"
        ));
        assert!(personal(
            b"<input type=\"hidden\" name=\"kunci_kirim\" value=\"K\">"
        ));
        assert!(!personal(b"<form method=\"get\"><input name=\"q\"></form>"));
    }

    #[tokio::test]
    async fn a_stale_page_is_made_once_while_its_other_readers_get_it_as_it_was() {
        use std::sync::atomic::AtomicUsize;
        use tower::ServiceExt;
        let cache = PageCache::new(Duration::from_secs(60));
        let renders = Arc::new(AtomicUsize::new(0));
        let counted = renders.clone();
        let app = axum::Router::new()
            .route(
                "/desa/a",
                axum::routing::get(move || {
                    let n = counted.fetch_add(1, Ordering::SeqCst) + 1;
                    async move {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        format!("render {n}")
                    }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(cache.clone(), layer));
        let read = |app: axum::Router| async move {
            let response = app
                .oneshot(Request::get("/desa/a").body(Body::empty()).unwrap())
                .await
                .unwrap();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            String::from_utf8(body.to_vec()).unwrap()
        };
        assert_eq!(read(app.clone()).await, "render 1");
        assert_eq!(read(app.clone()).await, "render 1");
        cache.changed(Some("a"));
        let readers: Vec<_> = (0..8).map(|_| tokio::spawn(read(app.clone()))).collect();
        let mut bodies = Vec::new();
        for r in readers {
            bodies.push(r.await.unwrap());
        }
        // One reader made the page again; the seven others got it as it was.
        assert_eq!(renders.load(Ordering::SeqCst), 2);
        assert_eq!(bodies.iter().filter(|b| *b == "render 2").count(), 1);
        assert_eq!(bodies.iter().filter(|b| *b == "render 1").count(), 7);
        // Made, it is everyone's.
        assert_eq!(read(app.clone()).await, "render 2");
        // The first reader after a change, alone, waits for the page made anew.
        cache.changed(Some("a"));
        assert_eq!(read(app).await, "render 3");
    }

    #[test]
    fn gzip_is_given_to_whoever_accepts_it() {
        let asked = |value: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, value.parse().unwrap());
            accepts_gzip(&h)
        };
        assert!(asked("gzip"));
        assert!(asked("gzip, deflate, br, zstd"));
        assert!(asked("br;q=1.0, GZIP;q=0.5"));
        assert!(asked("*"));
        assert!(!asked("br"));
        assert!(!asked("gzip;q=0"));
        assert!(!asked("gzip; q=0.0, *"));
        assert!(!asked("identity"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[tokio::test]
    async fn a_kept_page_is_compressed_once_and_served_so_to_every_reader_who_accepts_it() {
        use flate2::read::GzDecoder;
        use std::io::Read;
        use std::sync::atomic::AtomicUsize;
        use tower::ServiceExt;
        let cache = PageCache::new(Duration::from_secs(60));
        let renders = Arc::new(AtomicUsize::new(0));
        let counted = renders.clone();
        let page = "<p>Usulan warga</p>".repeat(200);
        let text = page.clone();
        let app = axum::Router::new()
            .route(
                "/desa/a",
                axum::routing::get(move || {
                    counted.fetch_add(1, Ordering::SeqCst);
                    let text = text.clone();
                    async move { axum::response::Html(text) }
                }),
            )
            .layer(axum::middleware::from_fn_with_state(cache.clone(), layer));
        let read = |app: axum::Router, encoding: Option<&'static str>| async move {
            let mut request = Request::get("/desa/a");
            if let Some(e) = encoding {
                request = request.header(header::ACCEPT_ENCODING, e);
            }
            let response = app
                .oneshot(request.body(Body::empty()).unwrap())
                .await
                .unwrap();
            let headers = response.headers().clone();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            (headers, body)
        };
        for _ in 0..3 {
            let (headers, body) = read(app.clone(), Some("gzip, br")).await;
            assert_eq!(headers[header::CONTENT_ENCODING], "gzip");
            assert_eq!(headers[header::VARY], "accept-encoding");
            assert!(body.len() < page.len() / 4);
            let mut unpacked = String::new();
            GzDecoder::new(&body[..])
                .read_to_string(&mut unpacked)
                .unwrap();
            assert_eq!(unpacked, page);
        }
        let (headers, body) = read(app.clone(), None).await;
        assert!(!headers.contains_key(header::CONTENT_ENCODING));
        assert_eq!(headers[header::VARY], "accept-encoding");
        assert_eq!(body, page.as_bytes());
        assert_eq!(renders.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_post_in_one_village_leaves_the_others_cached() {
        let cache = PageCache::new(Duration::from_secs(2));
        let before = (cache.generation(Some("a")), cache.generation(Some("b")));
        cache.changed(Some("a"));
        assert_ne!(cache.generation(Some("a")), before.0);
        assert_eq!(cache.generation(Some("b")), before.1);
        cache.changed(None);
        assert_ne!(cache.generation(Some("b")), before.1);
    }
}
