use musdes::domain::account::{Email, Role};
use musdes::domain::village::VillageForm;
use musdes::store::{Store, StoreError};

use crate::common::{Backend, TestApp};
use rstest::rstest;

fn form(slug: &str) -> musdes::domain::village::NewVillage {
    VillageForm {
        name: format!("Desa {slug}"),
        slug: slug.into(),
        hamlets: "A, B, C".into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}
#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn many_writers_at_once_all_succeed_without_database_is_locked(#[case] backend: Backend) {
    let Some(app) = TestApp::new(backend).await else {
        return;
    };

    // Two stores on one database: like the server and a command run beside it.
    let other = Store::connect(&app.url).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = if i % 2 == 0 {
            app.store.clone()
        } else {
            other.clone()
        };
        tasks.push(tokio::spawn(async move {
            let v = store
                .create_village(&form(&format!("desa-{i}")), None)
                .await?;
            let email = Email::parse(&format!("warga{i}@desa.id")).unwrap();
            store
                .add_account(
                    &email,
                    "Warga",
                    "x",
                    Role::Resident,
                    Some(v.id).into(),
                    None,
                )
                .await?;
            Ok::<_, StoreError>(())
        }));
    }
    for t in tasks {
        t.await.unwrap().unwrap();
    }
    assert_eq!(app.store.count_villages().await.unwrap(), 40);
    assert_eq!(app.store.list_users(100, 0).await.unwrap().len(), 40);
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn a_failed_transaction_leaves_nothing_half_written(#[case] backend: Backend) {
    let Some(app) = TestApp::new(backend).await else {
        return;
    };

    app.store
        .create_village(&form("sukamaju"), None)
        .await
        .unwrap();
    // Same slug: the insert fails, and neither hamlets nor an audit entry remain.
    let mut again = form("sukamaju");
    again.hamlets = musdes::domain::village::parse_hamlets("X, Y").unwrap();
    assert!(matches!(
        app.store.create_village(&again, None).await,
        Err(StoreError::Duplicate("slug"))
    ));
    let v = app.store.village_by_slug("sukamaju").await.unwrap();
    assert_eq!(v.hamlets, ["A", "B", "C"]);
    assert_eq!(
        app.store
            .audit_for("village", &v.id.to_string())
            .await
            .unwrap()
            .len(),
        1
    );
}

#[rstest]
#[case::sqlite(Backend::Sqlite)]
#[case::postgres(Backend::Postgres)]
#[tokio::test]

async fn times_and_ids_round_trip_identically_on_both_backends(#[case] backend: Backend) {
    let Some(app) = TestApp::new(backend).await else {
        return;
    };

    let v = app
        .store
        .create_village(&form("sukamaju"), None)
        .await
        .unwrap();
    let again = app.store.village_by_id(v.id).await.unwrap();
    assert_eq!(again.id, v.id);
    let audit = app
        .store
        .audit_for("village", &v.id.to_string())
        .await
        .unwrap();
    let age = musdes::store::now() - audit[0].at;
    assert!(
        age >= chrono::Duration::zero() && age < chrono::Duration::seconds(30),
        "{age}"
    );
}

/// Brings the database at `url` to migration `upto`, writes a village with a draft plan for
/// 2027 and its criterion, and returns (village, plan).
macro_rules! plan_at_schema {
    ($pool:expr, $migrator:expr, $upto:expr) => {{
        let mut migrator = $migrator;
        migrator.migrations = std::borrow::Cow::Owned(
            migrator.migrations.iter().filter(|m| m.version <= $upto).cloned().collect(),
        );
        migrator.run(&$pool).await.unwrap();
        let (village, plan) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        let at = chrono::Utc::now();
        sqlx::query("INSERT INTO villages (id, slug, name, created_at, updated_at) VALUES ($1, 'lama', 'Desa Lama', $2, $2)")
            .bind(village).bind(at).execute(&$pool).await.unwrap();
        sqlx::query("INSERT INTO plans (id, village_id, year, status, version, created_at, updated_at) VALUES ($1, $2, 2027, 'draft', 3, $3, $3)")
            .bind(plan).bind(village).bind(at).execute(&$pool).await.unwrap();
        sqlx::query("INSERT INTO plan_criteria (id, plan_id, position, name, weight, max_score) VALUES ($1, $2, 0, 'Mendesak', 60, 5)")
            .bind(uuid::Uuid::new_v4()).bind(plan).execute(&$pool).await.unwrap();
        (village, plan)
    }};
}

/// After the upgrade: the plan is revision 0 of its year, its criterion survived the
/// rebuild of `plans` (no cascade), and an amendment of the same year can stand beside it.
async fn upgraded_plan_is_whole(url: &str, village: uuid::Uuid, plan: uuid::Uuid) {
    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    let stored = store.plan(village, 2027).await.unwrap();
    assert_eq!((stored.id, stored.revision, stored.version), (plan, 0, 3));
    assert_eq!(
        stored.plan.criteria.len(),
        1,
        "the criterion survived the table's rebuild"
    );
    assert_eq!(stored.plan.criteria[0].name, "Mendesak");
    assert_eq!(store.row_counts().await.unwrap()["plan_criteria"], 1);
}

#[tokio::test]
async fn a_database_from_before_amendments_keeps_its_plans_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("old.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("PRAGMA foreign_keys = ON")
        .execute(&pool)
        .await
        .unwrap();
    let (village, plan) = plan_at_schema!(pool, sqlx::migrate!("migrations/sqlite"), 25);
    pool.close().await;
    upgraded_plan_is_whole(&url, village, plan).await;
}

#[tokio::test]
async fn a_database_from_before_amendments_keeps_its_plans_postgres() {
    let Some((url, _, _)) = crate::common::fresh_postgres_database().await else {
        return;
    };
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let (village, plan) = plan_at_schema!(pool, sqlx::migrate!("migrations/postgres"), 25);
    pool.close().await;
    upgraded_plan_is_whole(&url, village, plan).await;
}
