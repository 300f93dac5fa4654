//! Residents' own accounts: signing up with a phone number, the request staff confirm,
//! one-time password reset codes, and the tracking codes of anonymous proposals.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{OrStale, Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::account::{NewResident, Role};

/// A sign-up waiting for a facilitator or an official of the village.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResidentRequest {
    pub id: Uuid,
    pub user_id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hamlet: String,
    pub created_at: DateTime<Utc>,
}

/// A resident of the village, with the dusun they gave when they signed up (none for an
/// account an admin made).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Resident {
    pub user_id: Uuid,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hamlet: Option<String>,
}

/// What became of a password reset code typed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redeemed {
    /// The password is changed and every session of the account ended.
    Done(Uuid),
    /// No such code for this account.
    Unknown,
    /// The code was already used.
    Used,
    /// The code is past its time.
    Expired,
}

/// Whether an official of a village may issue a reset code for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetRefused {
    /// Not a resident of this village (nor asking to be one).
    NotHere,
    /// The account holds more than a resident's role somewhere: only the admin resets it.
    Staff,
}

impl super::Store {
    /// Creates the account (phone as the log-in name) and its request to be a resident of
    /// the village, in one transaction. A phone or e-mail already used is
    /// [`StoreError::Duplicate`] naming the field.
    pub async fn sign_up(
        &self,
        village: Uuid,
        r: &NewResident,
        password_hash: &str,
    ) -> Result<Uuid> {
        let at = now();
        let id = new_id();
        change!(self, |tx| {
            sqlx::query(
                "INSERT INTO users (id, email, phone, name, password_hash, is_admin, disabled, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, FALSE, FALSE, $6, $6)",
            )
            .bind(id)
            .bind(r.email.as_ref().map(|e| e.as_str()))
            .bind(r.phone.as_str())
            .bind(&r.name)
            .bind(password_hash)
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| duplicate_on(e, &["phone", "email"]))?;
            sqlx::query(
                "INSERT INTO resident_requests (id, user_id, village_id, hamlet, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(new_id())
            .bind(id)
            .bind(village)
            .bind(&r.hamlet)
            .bind(at)
            .execute(&mut *tx)
            .await?;
            let after = serde_json::json!({ "name": r.name, "hamlet": r.hamlet, "requested_role": "resident" });
            let entry = audit::entry!(actor: Some(id), village: Some(village), entity: "user",
                id: id.to_string(), action: "sign_up", before: None, after: Some(after));
            (id, entry)
        })
    }

    /// Sign-ups of the village nobody has decided on yet, oldest first.
    pub async fn resident_requests(&self, village: Uuid) -> Result<Vec<ResidentRequest>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT r.id, r.user_id, u.name, u.phone, u.email, r.hamlet, r.created_at \
                 FROM resident_requests r JOIN users u ON u.id = r.user_id \
                 WHERE r.village_id = $1 AND r.decided_at IS NULL ORDER BY r.created_at, r.id",
            )
            .bind(village)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Whether the person has asked to be a resident of the village and waits.
    pub async fn awaits_confirmation(&self, user: Uuid, village: Uuid) -> Result<bool> {
        let n: i64 = read!(self, |pool| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM resident_requests \
                 WHERE user_id = $1 AND village_id = $2 AND decided_at IS NULL",
            )
            .bind(user)
            .bind(village)
            .fetch_one(pool)
            .await?
        });
        Ok(n > 0)
    }

    /// Confirms (the resident role is granted) or refuses a sign-up. One already decided
    /// is [`StoreError::Stale`]; one of another village [`StoreError::NotFound`].
    pub async fn decide_resident_request(
        &self,
        village: Uuid,
        request: Uuid,
        accept: bool,
        actor: Uuid,
    ) -> Result<()> {
        let at = now();
        change!(self, |tx| {
            let row: Option<(Uuid, Option<DateTime<Utc>>)> = sqlx::query_as(
                "SELECT user_id, decided_at FROM resident_requests WHERE id = $1 AND village_id = $2",
            )
            .bind(request)
            .bind(village)
            .fetch_optional(&mut *tx)
            .await?;
            let (user, decided) = row.ok_or(StoreError::NotFound)?;
            if decided.is_some() {
                return Err(StoreError::Stale);
            }
            sqlx::query(
                "UPDATE resident_requests SET decided_at = $1, decided_by = $2, accepted = $3 \
                 WHERE id = $4 AND decided_at IS NULL",
            )
            .bind(at)
            .bind(actor)
            .bind(accept)
            .bind(request)
            .execute(&mut *tx)
            .await?
            .or_stale()?;
            if accept {
                sqlx::query(
                    "INSERT INTO memberships (user_id, village_id, role, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(user)
                .bind(village)
                .bind(Role::Resident.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?;
            }
            let action = if accept {
                "grant_role"
            } else {
                "refuse_sign_up"
            };
            let after =
                serde_json::json!({ "role": "resident", "village": village, "request": request });
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "user",
                id: user.to_string(), action: action, before: None, after: Some(after));
            ((), entry)
        })
    }

    /// The village's residents, by name.
    pub async fn residents(&self, village: Uuid) -> Result<Vec<Resident>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT u.id AS user_id, u.name, u.phone, u.email, \
                 (SELECT r.hamlet FROM resident_requests r WHERE r.user_id = u.id AND r.village_id = m.village_id \
                  AND r.accepted ORDER BY r.decided_at DESC LIMIT 1) AS hamlet \
                 FROM memberships m JOIN users u ON u.id = m.user_id \
                 WHERE m.village_id = $1 AND m.role = 'resident' AND NOT u.disabled \
                 ORDER BY u.name, u.id",
            )
            .bind(village)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Stores a new reset code for a resident of the village (any older unused one stops
    /// working), valid until `expires`. Staff accounts and people of other villages are
    /// refused.
    pub async fn issue_reset_code(
        &self,
        village: Uuid,
        user: Uuid,
        code_hash: &str,
        expires: DateTime<Utc>,
        actor: Uuid,
    ) -> Result<std::result::Result<(), ResetRefused>> {
        let at = now();
        change!(self, |tx| {
            let here: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND village_id = $2) \
                 + (SELECT COUNT(*) FROM resident_requests WHERE user_id = $1 AND village_id = $2 AND decided_at IS NULL)",
            )
            .bind(user)
            .bind(village)
            .fetch_one(&mut *tx)
            .await?;
            if here == 0 {
                return Ok(Err(ResetRefused::NotHere));
            }
            let above: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM memberships WHERE user_id = $1 AND role <> 'resident') \
                 + (SELECT COUNT(*) FROM oversight WHERE user_id = $1) \
                 + (SELECT COUNT(*) FROM users WHERE id = $1 AND is_admin)",
            )
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
            if above > 0 {
                return Ok(Err(ResetRefused::Staff));
            }
            sqlx::query("DELETE FROM reset_codes WHERE user_id = $1 AND used_at IS NULL")
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO reset_codes (id, user_id, code_hash, issued_by, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id())
            .bind(user)
            .bind(code_hash)
            .bind(actor)
            .bind(at)
            .bind(expires)
            .execute(&mut *tx)
            .await?;
            let entry = audit::entry!(actor: Some(actor), village: Some(village), entity: "user",
                id: user.to_string(), action: "issue_reset_code", before: None,
                after: Some(serde_json::json!({ "expires_at": expires })));
            (Ok(()), entry)
        })
    }

    /// Sets a new password with a reset code issued for the account `login` names
    /// (`phone` or `email` column). A code works once and until it expires; using it ends
    /// every session of the account.
    pub async fn redeem_reset_code(
        &self,
        login: &crate::domain::account::LoginName,
        code_hash: &str,
        password_hash: &str,
    ) -> Result<Redeemed> {
        use crate::domain::account::LoginName;
        let at = now();
        let (column, key) = match login {
            LoginName::Email(e) => ("email", e.as_str()),
            LoginName::Phone(p) => ("phone", p.as_str()),
        };
        let sql = format!(
            "SELECT c.id, c.user_id, c.expires_at, c.used_at FROM reset_codes c JOIN users u ON u.id = c.user_id \
             WHERE c.code_hash = $1 AND u.{column} = $2 AND NOT u.disabled"
        );
        change!(self, |tx| {
            type Row = (Uuid, Uuid, DateTime<Utc>, Option<DateTime<Utc>>);
            let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()))
                .bind(code_hash)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await?;
            let Some((code, user, expires, used)) = row else {
                return Ok(Redeemed::Unknown);
            };
            if used.is_some() {
                return Ok(Redeemed::Used);
            }
            if expires <= at {
                return Ok(Redeemed::Expired);
            }
            sqlx::query("UPDATE reset_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
                .bind(at)
                .bind(code)
                .execute(&mut *tx)
                .await?
                .or_stale()?;
            sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                .bind(password_hash)
                .bind(at)
                .bind(user)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user)
                .execute(&mut *tx)
                .await?;
            let entry = audit::entry!(actor: Some(user), village: None, entity: "user",
                id: user.to_string(), action: "reset_password", before: None, after: None);
            (Redeemed::Done(user), entry)
        })
    }

    /// The village and number of the proposal a tracking code belongs to.
    pub async fn proposal_by_tracking(&self, code_hash: &str) -> Result<Option<(String, String)>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT v.slug, p.number FROM proposals p JOIN villages v ON v.id = p.village_id \
                 WHERE p.tracking_hash = $1",
            )
            .bind(code_hash)
            .fetch_optional(pool)
            .await?
        }))
    }
}
