//! The notice shown once on the page after a form was sent ("Usulan terkirim."): carried
//! in a short-lived cookie set on the redirect and cleared by the page that shows it.
//!
//! Why not the session: keeping it there cost a session write on the POST and another
//! on the GET that showed and removed it, on every form sent. The cookie holds only the
//! notice's message key, and a key is shown only when it is one of ours, so a forged
//! cookie can at most show a stock message.

use std::sync::{Arc, Mutex, PoisonError};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The cookie's name.
pub const COOKIE: &str = "musdes_notice";
/// How long a notice waits for its page.
const KEEP_SECONDS: u32 = 300;

#[derive(Default)]
struct Slot {
    /// The notice the request's cookie carried.
    carried: Option<&'static str>,
    /// What the answer does with the cookie.
    answer: Answer,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum Answer {
    #[default]
    Leave,
    Clear,
    Set(&'static str),
}

/// One request's notice: the one it carried, and the one it leaves for the next page.
#[derive(Clone, Default)]
pub struct Notice(Arc<Mutex<Slot>>);

impl Notice {
    fn slot(&self) -> std::sync::MutexGuard<'_, Slot> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Takes the notice the request carried: shown on this page, and cleared by its answer
    /// (unless the request leaves a new one).
    pub fn take(&self) -> Option<&'static str> {
        let mut slot = self.slot();
        let carried = slot.carried.take();
        if carried.is_some() && slot.answer == Answer::Leave {
            slot.answer = Answer::Clear;
        }
        carried
    }

    /// Leaves `key` for the next page.
    pub fn leave(&self, key: &'static str) {
        self.slot().answer = Answer::Set(key);
    }
}

/// The notice a request's cookie carries, when it names one of our messages.
fn carried(headers: &HeaderMap) -> Option<&'static str> {
    super::cookies::values(headers, COOKIE).find_map(super::i18n::static_key)
}

/// Whether the request carries a notice cookie at all (such a page is this visitor's own).
pub fn present(headers: &HeaderMap) -> bool {
    super::cookies::values(headers, COOKIE).next().is_some()
}

/// Gives each request its [`Notice`], and sets or clears the cookie as the request left it.
pub async fn layer(State(secure): State<bool>, mut request: Request, next: Next) -> Response {
    let notice = Notice::default();
    notice.slot().carried = carried(request.headers());
    request.extensions_mut().insert(notice.clone());
    let mut response = next.run(request).await;
    let answer = notice.slot().answer;
    let secure = if secure { "; Secure" } else { "" };
    let cookie = match answer {
        Answer::Leave => return response,
        Answer::Clear => format!("{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"),
        Answer::Set(key) => {
            format!(
                "{COOKIE}={key}; Path=/; Max-Age={KEEP_SECONDS}; HttpOnly; SameSite=Lax{secure}"
            )
        }
    };
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(cookie: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, cookie.parse().unwrap());
        h
    }

    #[test]
    fn only_our_messages_are_carried() {
        let key = "proposal.submitted_notice";
        assert!(super::super::i18n::static_key(key).is_some());
        assert_eq!(
            carried(&headers(&format!("lang=en; {COOKIE}={key}"))),
            Some(key)
        );
        assert_eq!(
            carried(&headers(&format!("{COOKIE}=<script>alert(1)</script>"))),
            None
        );
        assert!(present(&headers(&format!("{COOKIE}=whatever"))));
        assert!(!present(&headers("lang=en")));
    }

    #[test]
    fn a_shown_notice_is_cleared_unless_a_new_one_is_left() {
        let n = Notice::default();
        n.slot().carried = Some("proposal.submitted_notice");
        assert_eq!(n.take(), Some("proposal.submitted_notice"));
        assert!(n.slot().answer == Answer::Clear);
        assert_eq!(n.take(), None);
        n.leave("proposal.submitted_notice");
        assert!(n.slot().answer == Answer::Set("proposal.submitted_notice"));
        let quiet = Notice::default();
        assert_eq!(quiet.take(), None);
        assert!(quiet.slot().answer == Answer::Leave);
    }
}
