//! Accounts and the roles they hold in villages.

use uuid::Uuid;

use super::{Result, StoreError, audit, change, duplicate_on, new_id, now, read};
use crate::domain::account::{Email, LoginName, Role};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct User {
    pub id: Uuid,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: String,
    pub is_admin: bool,
    pub disabled: bool,
}

/// A row of [`Store::user_with_memberships`]: the person, and one role or none.
#[derive(sqlx::FromRow)]
struct UserRole {
    #[sqlx(flatten)]
    user: User,
    village_id: Option<Uuid>,
    slug: Option<String>,
    village_name: Option<String>,
    role: Option<String>,
}

/// What login needs to know about an e-mail address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LoginRecord {
    pub id: Uuid,
    pub password_hash: String,
    pub disabled: bool,
}

/// One role of one person in one village.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Membership {
    pub village_id: Uuid,
    pub slug: String,
    pub village_name: String,
    pub role: String,
}

#[derive(sqlx::FromRow)]
struct PageMembership {
    user_id: Uuid,
    #[sqlx(flatten)]
    membership: Membership,
}

/// Where a role is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place<'a> {
    /// The installation (the admin).
    Installation,
    Village(Uuid),
    /// Every village of a kecamatan of a kabupaten (the kecamatan role).
    Area {
        kecamatan: &'a str,
        kabupaten: &'a str,
    },
}

impl Place<'_> {
    /// The village, for a role held in one.
    pub fn village(self) -> Option<Uuid> {
        match self {
            Place::Village(v) => Some(v),
            _ => None,
        }
    }
}

impl From<Option<Uuid>> for Place<'_> {
    fn from(village: Option<Uuid>) -> Self {
        village.map_or(Place::Installation, Place::Village)
    }
}

impl<'a> Place<'a> {
    /// Where a new account's role is held: its area, else the village found for its slug.
    pub fn of(new: &'a crate::domain::account::NewAccount, village: Option<Uuid>) -> Place<'a> {
        match &new.area {
            Some((kecamatan, kabupaten)) => Place::Area {
                kecamatan,
                kabupaten,
            },
            None => village.into(),
        }
    }
}

/// What `add_account` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountOutcome {
    Created,
    RoleAdded,
    AlreadyHeld,
}

impl super::Store {
    /// Creates the account, or adds the role to the account that has this e-mail.
    /// `password_hash` is only used when the account is new.
    pub async fn add_account(
        &self,
        email: &Email,
        name: &str,
        password_hash: &str,
        role: Role,
        place: Place<'_>,
        actor: Option<Uuid>,
    ) -> Result<(Uuid, AccountOutcome)> {
        let at = now();
        let village = place.village();
        change!(self, |tx| {
            let existing: Option<(Uuid, bool)> =
                sqlx::query_as("SELECT id, is_admin FROM users WHERE email = $1")
                    .bind(email.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            let (id, mut outcome) = match existing {
                Some((id, _)) => (id, AccountOutcome::RoleAdded),
                None => {
                    let id = new_id();
                    sqlx::query(
                        "INSERT INTO users (id, email, name, password_hash, is_admin, disabled, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, FALSE, FALSE, $5, $5)",
                    )
                    .bind(id)
                    .bind(email.as_str())
                    .bind(name)
                    .bind(password_hash)
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| duplicate_on(e, &["email"]))?;
                    (id, AccountOutcome::Created)
                }
            };
            let added = match (role, place) {
                (Role::Admin, _) => sqlx::query("UPDATE users SET is_admin = TRUE, updated_at = $1 WHERE id = $2 AND NOT is_admin")
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
                (Role::Kecamatan, Place::Area { kecamatan, kabupaten }) => sqlx::query(
                    "INSERT INTO oversight (user_id, kecamatan, kabupaten, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(kecamatan.trim())
                .bind(kabupaten.trim())
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
                (Role::Kecamatan, _) => return Err(StoreError::Config("the kecamatan role needs a kecamatan and a kabupaten".into())),
                (_, Place::Village(village)) => sqlx::query(
                    "INSERT INTO memberships (user_id, village_id, role, created_at) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(village)
                .bind(role.as_str())
                .bind(at)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
                (_, _) => return Err(StoreError::Config("this role needs a village".into())),
            };
            if added == 0 && outcome == AccountOutcome::RoleAdded {
                outcome = AccountOutcome::AlreadyHeld;
            }
            let area = match place {
                Place::Area {
                    kecamatan,
                    kabupaten,
                } => Some((kecamatan, kabupaten)),
                _ => None,
            };
            let after = serde_json::json!({ "email": email.as_str(), "role": role.as_str(), "village": village, "area": area });
            let action = if outcome == AccountOutcome::Created {
                "create"
            } else {
                "grant_role"
            };
            let entry = audit::entry!(actor: actor, village: village, entity: "user", id: id.to_string(),
                action: action, before: None, after: Some(after));
            ((id, outcome), entry)
        })
    }

    /// Takes a role away (for `admin`, the installation-wide flag).
    pub async fn revoke_role(
        &self,
        user: Uuid,
        role: Role,
        village: Option<Uuid>,
        actor: Uuid,
    ) -> Result<()> {
        change!(self, |tx| {
            let removed = match (role, village) {
                (Role::Admin, _) => sqlx::query(
                    "UPDATE users SET is_admin = FALSE, updated_at = $1 WHERE id = $2 AND is_admin",
                )
                .bind(now())
                .bind(user)
                .execute(&mut *tx)
                .await?
                .rows_affected(),
                // The whole area: its villages are listed one by one, but held as one.
                (Role::Kecamatan, _) => sqlx::query("DELETE FROM oversight WHERE user_id = $1")
                    .bind(user)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected(),
                (_, Some(village)) => sqlx::query(
                    "DELETE FROM memberships WHERE user_id = $1 AND village_id = $2 AND role = $3",
                )
                .bind(user)
                .bind(village)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected(),
                (_, None) => 0,
            };
            if removed == 0 {
                return Err(StoreError::NotFound);
            }
            let before = serde_json::json!({ "role": role.as_str(), "village": village });
            let entry = audit::entry!(actor: Some(actor), village: village, entity: "user",
                id: user.to_string(), action: "revoke_role", before: Some(before), after: None);
            ((), entry)
        })
    }

    /// The account a log-in name (e-mail or phone number) belongs to.
    pub async fn login_record(&self, login: &LoginName) -> Result<Option<LoginRecord>> {
        let sql = match login {
            LoginName::Email(_) => "SELECT id, password_hash, disabled FROM users WHERE email = $1",
            LoginName::Phone(_) => "SELECT id, password_hash, disabled FROM users WHERE phone = $1",
        };
        Ok(read!(self, |pool| {
            sqlx::query_as(sql)
                .bind(login.key())
                .fetch_optional(pool)
                .await
        })?)
    }

    pub async fn user(&self, id: Uuid) -> Result<User> {
        let user: Option<User> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, email, phone, name, is_admin, disabled FROM users WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        user.ok_or(StoreError::NotFound)
    }

    pub async fn user_by_email(&self, email: &str) -> Result<User> {
        let user: Option<User> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT id, email, phone, name, is_admin, disabled FROM users WHERE email = $1",
            )
            .bind(email.trim().to_lowercase())
            .fetch_optional(pool)
            .await
        })?;
        user.ok_or(StoreError::NotFound)
    }

    /// Every village role of one person: those held in a village, and `kecamatan` in each
    /// village of an area the person oversees.
    pub async fn memberships(&self, user: Uuid) -> Result<Vec<Membership>> {
        Ok(read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.village_id, v.slug, v.name AS village_name, m.role FROM memberships m \
                 JOIN villages v ON v.id = m.village_id WHERE m.user_id = $1 \
                 UNION ALL SELECT v.id, v.slug, v.name, 'kecamatan' FROM oversight o \
                 JOIN villages v ON lower(v.kecamatan) = lower(o.kecamatan) AND lower(v.kabupaten) = lower(o.kabupaten) \
                 WHERE o.user_id = $1 ORDER BY 3, 4",
            )
            .bind(user)
            .fetch_all(pool)
            .await
        })?)
    }

    /// One person and every village role they hold (as [`Store::memberships`]), in one
    /// statement: what each logged-in request reads.
    pub async fn user_with_memberships(&self, id: Uuid) -> Result<(User, Vec<Membership>)> {
        let rows: Vec<UserRole> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT u.id, u.email, u.phone, u.name, u.is_admin, u.disabled, \
                 r.village_id, r.slug, r.village_name, r.role FROM users u LEFT JOIN ( \
                 SELECT m.village_id, v.slug, v.name AS village_name, m.role FROM memberships m \
                 JOIN villages v ON v.id = m.village_id WHERE m.user_id = $1 \
                 UNION ALL SELECT v.id, v.slug, v.name, 'kecamatan' FROM oversight o \
                 JOIN villages v ON lower(v.kecamatan) = lower(o.kecamatan) AND lower(v.kabupaten) = lower(o.kabupaten) \
                 WHERE o.user_id = $1) r ON 1 = 1 WHERE u.id = $1 ORDER BY r.village_name, r.role",
            )
            .bind(id)
            .fetch_all(pool)
            .await
        })?;
        let mut rows = rows.into_iter().peekable();
        let user = rows.peek().ok_or(StoreError::NotFound)?.user.clone();
        let memberships = rows
            .filter_map(|r| {
                Some(Membership {
                    village_id: r.village_id?,
                    slug: r.slug?,
                    village_name: r.village_name?,
                    role: r.role?,
                })
            })
            .collect();
        Ok((user, memberships))
    }

    /// Accounts by e-mail, a page at a time.
    pub async fn list_users(&self, limit: i64, offset: i64) -> Result<Vec<User>> {
        Ok(read!(self, |pool| {
            sqlx::query_as("SELECT id, email, phone, name, is_admin, disabled FROM users ORDER BY COALESCE(email, phone), id LIMIT $1 OFFSET $2")
                .bind(limit)
                .bind(offset)
                .fetch_all(pool)
                .await
        })?)
    }

    /// The roles of the accounts on one page of [`Store::list_users`], in one query.
    pub async fn memberships_page(
        &self,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(Uuid, Membership)>> {
        let rows: Vec<PageMembership> = read!(self, |pool| {
            sqlx::query_as(
                "SELECT m.user_id, m.village_id, v.slug, v.name AS village_name, m.role FROM memberships m \
                 JOIN villages v ON v.id = m.village_id \
                 WHERE m.user_id IN (SELECT id FROM users ORDER BY COALESCE(email, phone), id LIMIT $1 OFFSET $2) \
                 UNION ALL SELECT o.user_id, v.id, v.slug, v.name, 'kecamatan' FROM oversight o \
                 JOIN villages v ON lower(v.kecamatan) = lower(o.kecamatan) AND lower(v.kabupaten) = lower(o.kabupaten) \
                 WHERE o.user_id IN (SELECT id FROM users ORDER BY COALESCE(email, phone), id LIMIT $1 OFFSET $2) \
                 ORDER BY 4, 5",
            )
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| (r.user_id, r.membership))
            .collect())
    }

    pub async fn set_password(&self, user: Uuid, password_hash: &str) -> Result<()> {
        change!(self, |tx| {
            let n =
                sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
                    .bind(password_hash)
                    .bind(now())
                    .bind(user)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            let entry = audit::entry!(actor: Some(user), village: None, entity: "user",
                id: user.to_string(), action: "set_password", before: None, after: None);
            ((), entry)
        })
    }
}
