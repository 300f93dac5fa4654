use musdes::domain::account::{Email, Role};
use musdes::domain::village::VillageForm;
use musdes::store::{Store, StoreError};

use crate::common::dual;

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

dual! {
    async fn many_writers_at_once_all_succeed_without_database_is_locked(app) {
        // Two stores on one database: like the server and a command run beside it.
        let other = Store::connect(&app.url).await.unwrap();
        let mut tasks = Vec::new();
        for i in 0..40 {
            let store = if i % 2 == 0 { app.store.clone() } else { other.clone() };
            tasks.push(tokio::spawn(async move {
                let v = store.create_village(&form(&format!("desa-{i}")), None).await?;
                let email = Email::parse(&format!("warga{i}@desa.id")).unwrap();
                store.add_account(&email, "Warga", "x", Role::Resident, Some(v.id).into(), None).await?;
                Ok::<_, StoreError>(())
            }));
        }
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(app.store.count_villages().await.unwrap(), 40);
        assert_eq!(app.store.list_users(100, 0).await.unwrap().len(), 40);
    }

    async fn a_failed_transaction_leaves_nothing_half_written(app) {
        app.store.create_village(&form("sukamaju"), None).await.unwrap();
        // Same slug: the insert fails, and neither hamlets nor an audit entry remain.
        let mut again = form("sukamaju");
        again.hamlets = musdes::domain::village::parse_hamlets("X, Y").unwrap();
        assert!(matches!(app.store.create_village(&again, None).await, Err(StoreError::Duplicate("slug"))));
        let v = app.store.village_by_slug("sukamaju").await.unwrap();
        assert_eq!(v.hamlets, ["A", "B", "C"]);
        assert_eq!(app.store.audit_for("village", &v.id.to_string()).await.unwrap().len(), 1);
    }

    async fn times_and_ids_round_trip_identically_on_both_backends(app) {
        let v = app.store.create_village(&form("sukamaju"), None).await.unwrap();
        let again = app.store.village_by_id(v.id).await.unwrap();
        assert_eq!(again.id, v.id);
        let audit = app.store.audit_for("village", &v.id.to_string()).await.unwrap();
        let age = musdes::store::now() - audit[0].at;
        assert!(age >= chrono::Duration::zero() && age < chrono::Duration::seconds(30), "{age}");
    }
}
