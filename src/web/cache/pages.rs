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

/// A kept page: the generations it was made in, its headers and body.
type Kept = ((u64, u64), HeaderMap, Bytes);

#[derive(Clone)]
pub struct PageCache {
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
        PageCache {
            pages: moka::future::Cache::builder()
                .max_capacity(if ttl.is_zero() { 0 } else { CAPACITY_BYTES })
                .weigher(|key: &String, (_, headers, body): &Kept| {
                    let bytes = key.len() + body.len() + headers.len() * 64;
                    u32::try_from(bytes).unwrap_or(u32::MAX)
                })
                .time_to_live(ttl.max(Duration::from_millis(1)))
                .build(),
            villages: Arc::default(),
            everything: Arc::default(),
            making: Arc::default(),
            enabled: !ttl.is_zero(),
        }
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
    let mut _making = None;
    if let Some((made, headers, body)) = cache.pages.get(&key).await {
        // Current; or made before a change while another request makes it again: the
        // readers who come meanwhile get it as it was a moment ago (as they would from
        // another server), and the page is made once, not once per reader.
        _making = (made != generation)
            .then(|| Making::take(&cache, &key))
            .flatten();
        if made == generation || _making.is_none() {
            let mut response = Response::new(Body::from(body));
            *response.headers_mut() = headers;
            return response;
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
    if body.len() <= LARGEST_PAGE && !personal(&body) {
        cache
            .pages
            .insert(key, (generation, parts.headers.clone(), body.clone()))
            .await;
    }
    Response::from_parts(parts, Body::from(body))
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
