//! What every page needs: the reader's language, who is logged in, the CSRF token, a notice.

use axum::extract::{FromRef, FromRequestParts, OriginalUri};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use tower_sessions::Session;
use uuid::Uuid;

use super::error::AppError;
use super::i18n::Lang;
use super::{AppState, csrf};
use crate::domain::access::{self, Action};
use crate::domain::account::Role;
use crate::store::Store;
use crate::store::accounts::Membership;

/// The person behind the request.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub is_admin: bool,
    pub memberships: Vec<Membership>,
}

impl Viewer {
    /// This person as the store records who did a write.
    pub fn actor(&self) -> crate::store::Actor {
        crate::store::Actor {
            id: self.id,
            name: self.name.clone(),
        }
    }

    /// The roles this person holds in one village.
    pub fn roles_in(&self, village: Uuid) -> Vec<Role> {
        self.memberships
            .iter()
            .filter(|m| m.village_id == village)
            .filter_map(|m| Role::parse(&m.role))
            .collect()
    }
}

/// The context of one request: built once per request by the extractor below.
#[derive(Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub viewer: Option<Viewer>,
    /// Empty for anonymous readers until a page with a form asks for one.
    pub csrf: String,
    pub notice: Option<&'static str>,
    /// Where a notice for the next page is left (see [`super::notice`]).
    pub notices: super::notice::Notice,
    pub path: String,
    pub session: Session,
    /// An anonymous visitor's form token (see [`csrf::FORM_COOKIE`]).
    pub form_token: csrf::FormToken,
    /// The installation's public address, when configured: shared links and Open Graph
    /// tags carry it (never the request's own Host, which a cached page would keep).
    pub public_url: Option<std::sync::Arc<str>>,
}

pub const SESSION_USER: &str = crate::store::sessions::USER_KEY;
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "musdes_session";
/// The random key of [`Ctx::respondent`].
const SESSION_RESPONDENT: &str = "respondent";
const SESSION_TOUCHED: &str = "touched";

/// The language asked for: `?lang=` first, then the `lang` cookie, then Bahasa Indonesia.
pub fn lang_of(query: Option<&str>, headers: &HeaderMap) -> Lang {
    let from_query = query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(&v))
    });
    from_query
        .or_else(|| super::cookies::values(headers, "lang").find_map(Lang::parse))
        .unwrap_or_default()
}

impl<S> FromRequestParts<S> for Ctx
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let session = Session::from_request_parts(parts, &state)
            .await
            .map_err(|(_, m)| AppError::Internal(anyhow::anyhow!("session layer missing: {m}")))?;
        let lang = lang_of(parts.uri.query(), &parts.headers);
        let viewer = load_viewer(&session, &state.store).await?;
        let csrf = if viewer.is_some() {
            csrf::token(&session).await?
        } else {
            String::new()
        };
        let notices = parts
            .extensions
            .get::<super::notice::Notice>()
            .cloned()
            .unwrap_or_default();
        let notice = notices.take();
        // Inside nested routers the URI is shortened; the original is what the reader typed.
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path(), |u| u.0.path())
            .to_string();
        if let Some(v) = &viewer {
            touch(&session).await?;
            tracing::Span::current().record("user", tracing::field::display(v.id));
        }
        let form_token = parts
            .extensions
            .get::<csrf::FormToken>()
            .cloned()
            .unwrap_or_default();
        let public_url = state.config.public_url.as_deref().map(std::sync::Arc::from);
        Ok(Ctx {
            lang,
            viewer,
            csrf,
            notice,
            notices,
            path,
            session,
            form_token,
            public_url,
        })
    }
}

/// Keeps an active session alive: its idle expiry moves on at most every five minutes,
/// so a busy reader does not cost a database write per page.
async fn touch(session: &Session) -> Result<(), tower_sessions::session::Error> {
    let now = chrono::Utc::now().timestamp();
    let last = session.get::<i64>(SESSION_TOUCHED).await?.unwrap_or(0);
    if now - last > 300 {
        session.insert(SESSION_TOUCHED, now).await?;
    }
    Ok(())
}

async fn load_viewer(session: &Session, store: &Store) -> Result<Option<Viewer>, AppError> {
    let Some(id) = session.get::<Uuid>(SESSION_USER).await? else {
        return Ok(None);
    };
    let (user, memberships) = match store.user_with_memberships(id).await {
        Ok((u, m)) if !u.disabled => (u, m),
        // A deleted or disabled account ends its sessions at their next request.
        Ok(_) | Err(crate::store::StoreError::NotFound) => {
            session.flush().await?;
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    Ok(Some(Viewer {
        id,
        name: user.name,
        email: user.email,
        is_admin: user.is_admin,
        memberships,
    }))
}

impl Ctx {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    /// A CSRF token for a form on a page an anonymous reader may see (login, submission).
    /// A fresh one-time submission key, for one form (see [`csrf::ONCE_FIELD`]).
    pub fn once(&self) -> String {
        csrf::once_key()
    }

    /// Makes sure the page's forms carry a token: the session's once the visitor is logged
    /// in or the session already holds one, else the anonymous form cookie's — so a visitor
    /// who only opens a form stores nothing.
    pub async fn ensure_csrf(&mut self) -> Result<(), AppError> {
        if self.csrf.is_empty() {
            self.csrf = match self.session.get::<String>(csrf::SESSION_KEY).await? {
                Some(t) => t,
                None if self.viewer.is_none() => self.form_token.get(),
                None => csrf::token(&self.session).await?,
            };
        }
        Ok(())
    }

    /// Who answers an anonymous form (a meeting's rating, a survey) so that a person
    /// answers once: the account when logged in (`user:<id>`), otherwise a random key kept
    /// in this browser's session (`browser:<key>`).
    pub async fn respondent(&self) -> Result<String, AppError> {
        if let Some(v) = &self.viewer {
            return Ok(format!("user:{}", v.id));
        }
        let key = match self.session.get::<String>(SESSION_RESPONDENT).await? {
            Some(k) => k,
            None => {
                let k = Uuid::new_v4().to_string();
                self.session.insert(SESSION_RESPONDENT, &k).await?;
                k
            }
        };
        Ok(format!("browser:{key}"))
    }

    /// [`Ctx::respondent`] when this visitor has one already; `None` for a browser that
    /// never answered (a page view does not give it a key, or a session).
    pub async fn known_respondent(&self) -> Result<Option<String>, AppError> {
        if let Some(v) = &self.viewer {
            return Ok(Some(format!("user:{}", v.id)));
        }
        let key = self.session.get::<String>(SESSION_RESPONDENT).await?;
        Ok(key.map(|k| format!("browser:{k}")))
    }

    /// A notice shown once on the next page (e.g. "Saved.").
    pub fn flash(&self, key: &'static str) {
        self.notices.leave(key);
    }

    /// The one authorization check every handler passes through: may this person do
    /// `action` in `village` (or installation-wide when `village` is `None`)?
    /// Not logged in → login page (then back here); logged in but not allowed → 403.
    pub fn authorize(&self, action: Action, village: Option<Uuid>) -> Result<&Viewer, AppError> {
        let Some(viewer) = &self.viewer else {
            return Err(AppError::LoginRequired {
                next: self.path.clone(),
            });
        };
        let roles = village.map(|v| viewer.roles_in(v)).unwrap_or_default();
        if access::allowed(action, viewer.is_admin, &roles) {
            Ok(viewer)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Whether the person may do `action`, for showing or hiding links and buttons.
    pub fn may(&self, action: Action, village: Option<Uuid>) -> bool {
        self.viewer.as_ref().is_some_and(|v| {
            let roles = village.map(|id| v.roles_in(id)).unwrap_or_default();
            access::allowed(action, v.is_admin, &roles)
        })
    }

    /// The link that shows this page in another language.
    pub fn switch_href(&self, to: &Lang) -> String {
        format!("{}?lang={}", self.path, to.code())
    }

    /// Whether the person oversees villages, as a kecamatan or as the installation's admin
    /// (for the link to the planning overview).
    pub fn oversees(&self) -> bool {
        self.viewer
            .as_ref()
            .is_some_and(|v| v.is_admin || v.memberships.iter().any(|m| m.role == "kecamatan"))
    }

    pub fn is_admin(&self) -> bool {
        self.viewer.as_ref().is_some_and(|v| v.is_admin)
    }

    pub fn role_label(&self, role: &str) -> &'static str {
        self.tk("role", role)
    }

    /// A catalogue sentence with its numbers filled in by name (see [`Lang::format`]).
    pub fn format(&self, key: &str, args: &[(&str, i64)]) -> String {
        self.lang.format(key, args)
    }

    /// A count and the word it counts, in the plural form the language wants.
    pub fn count(&self, key: &str, n: impl Count) -> String {
        self.lang.count(key, n.count())
    }

    /// `path` as a full address for sharing, when the installation's address is known.
    pub fn full_url(&self, path: &str) -> Option<String> {
        self.public_url.as_ref().map(|base| format!("{base}{path}"))
    }

    /// A "Bagikan ke WhatsApp" link: WhatsApp opens with `text` ready to send to a chat or
    /// a group, and the page's full address after it when known.
    pub fn whatsapp_href(&self, text: &str) -> String {
        let text = match self.full_url(&self.path) {
            Some(url) => format!("{text}\n{url}"),
            None => text.to_string(),
        };
        format!(
            "https://wa.me/?text={}",
            percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
        )
    }

    /// A number grouped by thousands the reader's way: `3.018`, `3,018`.
    /// A calendar day in the visitor's language: `23 November 2026`.
    pub fn day(&self, d: &chrono::NaiveDate) -> String {
        super::filters::day(self.lang, d)
    }

    pub fn number(&self, n: impl Count) -> String {
        self.lang.number(n.count())
    }

    /// The label of a stored code: `tk("kind", "tani")` looks up `kind.tani`.
    pub fn tk(&self, prefix: &str, code: impl std::fmt::Display) -> &'static str {
        self.lang.t(&format!("{prefix}.{code}"))
    }
}

/// A number a page counts with, whatever integer type (or reference) it arrives as.
pub trait Count {
    fn count(&self) -> i64;
}

impl<T: Count> Count for &T {
    fn count(&self) -> i64 {
        (**self).count()
    }
}

macro_rules! count_as_i64 {
    ($($t:ty),+) => {$(
        impl Count for $t {
            fn count(&self) -> i64 {
                i64::try_from(*self).unwrap_or(i64::MAX)
            }
        }
    )+};
}
count_as_i64!(i64, i32, u32, usize);
