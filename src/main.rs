//! The `musdes` command line: serve, migrate, village, user, generate, backup.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use musdes::config::Config;
use musdes::domain::account::{self, AccountForm, Role};
use musdes::domain::village::VillageForm;
use musdes::store::accounts::AccountOutcome;
use musdes::store::{DEFAULT_DATABASE_URL, Store, StoreError};
use musdes::web::i18n::Lang;
use musdes::{AppState, demo};

#[derive(Parser)]
#[command(
    name = "musdes",
    version,
    about = "Village development planning (musyawarah desa)"
)]
struct Cli {
    /// sqlite://FILE (created when missing) or postgres://USER:PASS@HOST/DB
    #[arg(long, global = true, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    database_url: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve HTTP until SIGINT/SIGTERM
    Serve {
        /// Address to listen on
        #[arg(long, env = "MUSDES_BIND", default_value = "127.0.0.1:3000")]
        bind: String,
        /// Load the demo village first (once) and print its accounts
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit
    Migrate,
    /// Manage villages
    Village {
        #[command(subcommand)]
        command: VillageCommand,
    },
    /// Manage accounts
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill the database with deterministic, realistic data (villages, groups, proposals,
    /// feedback, meetings with attendance) for benchmarks and demos
    Generate {
        /// Number of villages; with more than one, the first holds a fifth of the proposals
        #[arg(long, default_value_t = 300)]
        villages: usize,
        /// Number of proposals over all villages
        #[arg(long, default_value_t = 100_000)]
        proposals: usize,
        /// The same seed gives the same data
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Also write what was made (villages, the pages worth measuring) as JSON here
        #[arg(long)]
        facts: Option<std::path::PathBuf>,
    },
    /// Write a consistent copy of the whole (SQLite) database while the server runs
    Backup {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Write all of one village's records as JSON (to stdout without --out); lossless, and
    /// the same from either database
    Export {
        /// The village's slug
        #[arg(long)]
        village: String,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Load a village written by `export` into this database, all or nothing
    Import { file: std::path::PathBuf },
    /// Check every seal (signatures, hash chains, sealed records) of every village, or of
    /// one; exits non-zero naming each break
    Verify {
        /// The village's slug
        #[arg(long)]
        village: Option<String>,
    },
    /// The signing key (kept in a file, never in the database)
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
}

#[derive(Subcommand)]
enum KeyCommand {
    /// Print the key file's place and the public keys trusted
    Show,
    /// Sign with a new key from now on; the old one stays trusted for older seals
    Rotate,
}

#[derive(Subcommand)]
enum VillageCommand {
    /// Create a village; prints its slug
    Add(VillageArgs),
}

#[derive(Args)]
struct VillageArgs {
    #[arg(long)]
    slug: String,
    #[arg(long)]
    name: String,
    /// Kemendagri code PP.KK.CC.DDDD
    #[arg(long, default_value = "")]
    code: String,
    #[arg(long, default_value = "")]
    kecamatan: String,
    #[arg(long, default_value = "")]
    kabupaten: String,
    #[arg(long, default_value = "")]
    provinsi: String,
    #[arg(long, default_value = "")]
    population: String,
    #[arg(long, default_value = "")]
    households: String,
    /// Comma-separated: "Dusun I,Dusun II"
    #[arg(long, default_value = "")]
    hamlets: String,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account (password from MUSDES_PASSWORD, else asked), or add a role to an existing one
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, kecamatan, official, facilitator or resident
        #[arg(long)]
        role: String,
        /// The village slug (required for all roles but admin and kecamatan)
        #[arg(long)]
        village: Option<String>,
        /// For --role kecamatan: the kecamatan overseen (matched against the villages')
        #[arg(long)]
        kecamatan: Option<String>,
        /// For --role kecamatan: its kabupaten
        #[arg(long)]
        kabupaten: Option<String>,
    },
}

/// mimalloc serves Rust's allocations: rendering a page is mostly allocating and freeing
/// small strings, and glibc's malloc took a sixth of the CPU under the harness's submission
/// run (measured: logged-in pages 1.2–1.6 times as many requests per second, see
/// `docs/benchmarks.md`). SQLite, which is C, still allocates from glibc.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's options, as `mimalloc.h` numbers them (`mi_option_e`; the crate names only
/// the stable ones).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed goes back to the system at once (`purge_delay` 0, instead of 10 ms later),
/// and arenas are committed as they are used rather than whole: a password hash's 19 MiB
/// block, or a burst of large pages, does not stay resident after it is freed. With the
/// defaults the write run's peak was 81–83 MB; with these, 52 MB (the bound is 80 MB).
fn allocator_settings() {
    // SAFETY: mi_option_set only stores an option's value (an integer mimalloc reads when
    // it purges or reserves memory). It is called first thing in `main`, before any work
    // reaches the runtime's threads, which wait idle until then.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    allocator_settings();
    fixed_mmap_threshold();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MUSDES_LOG")
                .unwrap_or_else(|_| "musdes=info,tower_http=info,warn".into()),
        )
        .with_writer(std::io::stderr)
        .json()
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Hides the password of a database URL in messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

async fn open(url: &str) -> Result<Store, String> {
    let store = Store::connect(url).await.map_err(|e| match e {
        StoreError::Config(m) => m,
        other => format!("cannot open database {}: {other}", redact(url)),
    })?;
    store
        .migrate()
        .await
        .map_err(|e| format!("cannot migrate database {}: {e}", redact(url)))?;
    let keys = musdes::config::load_or_create_keys(&musdes::config::key_path(url))?;
    let store = store.with_keys(keys);
    store
        .backfill_seals()
        .await
        .map_err(|e| format!("cannot seal older records: {e}"))?;
    Ok(store)
}

fn field_errors(errors: &musdes::domain::FieldErrors) -> String {
    errors
        .iter()
        .map(|(f, m)| format!("--{f}: {}", Lang::EN.t(m)))
        .collect::<Vec<_>>()
        .join("; ")
}

async fn run(cli: Cli) -> Result<(), String> {
    let store = open(&cli.database_url).await?;
    match cli.command {
        Command::Migrate => {
            println!("migrations applied ({})", store.backend_name());
        }
        Command::Serve { bind, demo } => {
            if demo {
                let added = demo::load(&store)
                    .await
                    .map_err(|e| format!("cannot load demo data: {e:#}"))?;
                store.sync().await.map_err(|e| e.to_string())?;
                println!(
                    "{}",
                    if added {
                        "demo village loaded"
                    } else {
                        "demo village already present"
                    }
                );
                println!("demo accounts (password: {}):", demo::PASSWORD);
                for (email, _, role) in demo::ACCOUNTS {
                    println!("  {:<12} {email}", role.as_str());
                }
                println!("  {:<12} {}", Role::Kecamatan.as_str(), demo::KECAMATAN.0);
                println!(
                    "  {:<12} {} (signed up by phone, waits for confirmation)",
                    "-",
                    demo::SIGNED_UP.0
                );
            }
            let listener = tokio::net::TcpListener::bind(&bind)
                .await
                .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
            let addr = listener.local_addr().map_err(|e| e.to_string())?;
            println!(
                "musdes is serving on http://{addr}/{}",
                if demo {
                    format!("desa/{}", demo::SLUG)
                } else {
                    String::new()
                }
            );
            let state = AppState::new(store.clone(), Config::from_env());
            let trimmer = tokio::spawn(give_back_freed_memory());
            let (stopped_tx, stopped_rx) = tokio::sync::oneshot::channel::<()>();
            let shutdown = async move {
                musdes::shutdown_signal().await;
                let _ = stopped_tx.send(());
            };
            let server = musdes::serve(listener, state, shutdown);
            tokio::pin!(server);
            // After a stop signal, in-flight requests get a grace period, then we leave.
            let grace = async {
                let _ = stopped_rx.await;
                tokio::time::sleep(musdes::web::layers::SHUTDOWN_GRACE).await;
            };
            tokio::select! {
                r = &mut server => r.map_err(|e| format!("server failed: {e}"))?,
                _ = grace => tracing::warn!("grace period over; stopping with requests still open"),
            }
            trimmer.abort();
            store.close().await;
        }
        Command::Village {
            command: VillageCommand::Add(a),
        } => {
            let form = VillageForm {
                name: a.name,
                slug: a.slug,
                code: a.code,
                kecamatan: a.kecamatan,
                kabupaten: a.kabupaten,
                provinsi: a.provinsi,
                population: a.population,
                households: a.households,
                hamlets: a.hamlets,
                ..VillageForm::default()
            };
            let village = form.validate().map_err(|e| field_errors(&e))?;
            match store.create_village(&village, None).await {
                Ok(v) => println!("{}", v.slug),
                Err(StoreError::Duplicate("code")) => {
                    return Err(format!("a village with code {} already exists", form.code));
                }
                Err(StoreError::Duplicate(_)) => {
                    return Err(format!("a village with slug {} already exists", form.slug));
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    name,
                    role,
                    village,
                    kecamatan,
                    kabupaten,
                },
        } => {
            let exists = store
                .login_record(&musdes::domain::account::LoginName::Email(
                    email.trim().to_lowercase(),
                ))
                .await
                .map_err(|e| e.to_string())?
                .is_some();
            let password = if exists {
                String::new()
            } else {
                match std::env::var("MUSDES_PASSWORD") {
                    Ok(p) => p,
                    Err(_) if std::io::stdin().is_terminal() => {
                        rpassword::prompt_password("password: ")
                            .map_err(|e| format!("cannot read password: {e}"))?
                    }
                    Err(_) => {
                        return Err("no password: set MUSDES_PASSWORD or run on a terminal".into());
                    }
                }
            };
            let form = AccountForm {
                email,
                name,
                password,
                role,
                village: village.unwrap_or_default(),
                kecamatan: kecamatan.unwrap_or_default(),
                kabupaten: kabupaten.unwrap_or_default(),
            };
            let new = form.validate(!exists).map_err(|e| field_errors(&e))?;
            let village_id = match &new.village {
                Some(slug) => Some(
                    store
                        .village_by_slug(slug)
                        .await
                        .map_err(|e| match e {
                            StoreError::NotFound => format!("unknown village {slug:?}"),
                            other => other.to_string(),
                        })?
                        .id,
                ),
                None => None,
            };
            let pw = new.password.clone();
            let hash = tokio::task::spawn_blocking(move || account::hash_password(&pw))
                .await
                .map_err(|e| e.to_string())?;
            let (_, outcome) = store
                .add_account(
                    &new.email,
                    &new.name,
                    &hash,
                    new.role,
                    musdes::store::accounts::Place::of(&new, village_id),
                    None,
                )
                .await
                .map_err(|e| e.to_string())?;
            let what = match outcome {
                AccountOutcome::Created => "account created",
                AccountOutcome::RoleAdded => "role added to the existing account",
                AccountOutcome::AlreadyHeld => "the account already holds this role",
            };
            println!("{}: {what} ({})", new.email.as_str(), new.role.as_str());
        }
        Command::Generate {
            villages,
            proposals,
            seed,
            facts,
        } => {
            if villages == 0 || villages > 100_000 || proposals > 10_000_000 {
                return Err(
                    "--villages must be 1 to 100000 and --proposals at most 10000000".into(),
                );
            }
            let started = std::time::Instant::now();
            let scale = musdes::generate::Scale {
                villages,
                proposals,
                seed,
            };
            let made = musdes::generate::run(&store, scale)
                .await
                .map_err(|e| format!("cannot generate: {e:#}"))?;
            store
                .checkpoint()
                .await
                .map_err(|e| format!("cannot checkpoint the generated data: {e}"))?;
            for (slug, _) in &made.villages {
                println!("{slug}");
            }
            if let Some(path) = facts {
                let json = serde_json::to_string_pretty(&made).map_err(|e| e.to_string())?;
                std::fs::write(&path, json)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
            eprintln!(
                "{} villages, {proposals} proposals, {} feedback entries, {} meetings, {} attendance lines; \
                 each village's RPJM Desa, RKP Desa {} set ({} entries, {} DU-RKP items answered) \
                 and RKP Desa {} drafted, in {:.1} s",
                made.villages.len(),
                made.feedback,
                made.meetings,
                made.attendance,
                made.plan_year,
                made.plan_items,
                made.du_rkp,
                made.plan_year + 1,
                started.elapsed().as_secs_f64()
            );
        }
        Command::Export { village, out } => {
            let doc = store.export_village(&village).await.map_err(|e| match e {
                StoreError::NotFound => format!("no village {village}"),
                other => other.to_string(),
            })?;
            let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            match out {
                Some(path) => std::fs::write(&path, text + "\n")
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
                None => println!("{text}"),
            }
        }
        Command::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let doc: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| format!("{} is not JSON: {e}", file.display()))?;
            let slug = store.import_village(&doc).await.map_err(|e| match e {
                StoreError::Config(m) => m,
                other => other.to_string(),
            })?;
            // The keys that sealed the village are trusted here from now on.
            let path = musdes::config::key_path(&cli.database_url);
            let keys = store.keys().map_err(|e| e.to_string())?;
            musdes::config::write_keys(&path, &keys, false)?;
            println!("{slug}");
        }
        Command::Verify { village } => {
            let (id, what) = match &village {
                Some(slug) => {
                    let v = store
                        .village_by_slug(slug)
                        .await
                        .map_err(|_| format!("no village {slug}"))?;
                    (Some(v.id), format!("village {slug}"))
                }
                None => (None, "every village".to_string()),
            };
            let entries = store.chain(id).await.map_err(|e| e.to_string())?.len();
            let problems = store.verify_seals(id).await.map_err(|e| e.to_string())?;
            println!("checked {entries} seals of {what}");
            if !problems.is_empty() {
                for (v, subject, problem) in &problems {
                    let slug = store
                        .village_by_id(*v)
                        .await
                        .map(|v| v.slug.as_str().to_string())
                        .unwrap_or_else(|_| v.to_string());
                    println!(
                        "BROKEN village {slug}: {subject}: {}",
                        Lang::EN.t(problem.key())
                    );
                }
                return Err(format!("{} seal problem(s) found", problems.len()));
            }
            println!("every signature, chain and sealed record holds");
        }
        Command::Key { command } => {
            let path = musdes::config::key_path(&cli.database_url);
            let keys = store.keys().map_err(|e| e.to_string())?;
            let keys = match command {
                KeyCommand::Show => keys,
                KeyCommand::Rotate => {
                    let rotated = musdes::domain::seal::rotate(&keys);
                    musdes::config::write_keys(&path, &rotated, false)?;
                    rotated
                }
            };
            println!("key file: {}", path.display());
            for (i, k) in keys.trusted().iter().enumerate() {
                println!(
                    "{} {} {}",
                    if i == 0 { "signing" } else { "trusted" },
                    k.key_id,
                    k.encoded()
                );
            }
        }
        Command::Backup { out } => {
            store.backup(&out).await.map_err(|e| match e {
                StoreError::Config(m) => m,
                other => other.to_string(),
            })?;
            println!("{}", out.display());
        }
    }
    // What a command wrote is on disk before it says it is done.
    store.sync().await.map_err(|e| e.to_string())
}

/// For what still allocates from glibc (SQLite). glibc raises its mmap threshold to the
/// size of every large block freed, up to 32 MiB: when it served Rust's allocations too, a
/// password hash's 19 MiB block came from a heap and stayed resident when freed. A fixed threshold keeps large blocks in their own mappings,
/// returned to the system when freed (measured: 64 → 39 MB peak under writes).
///
/// It also gives every thread that allocates at once a heap (arena) of its own, up to
/// eight per core, and each keeps what it freed: after 32 readers rendered the 2.2 MB set
/// RKP Desa at once, some 95 MB stayed resident through the writes that followed. Two
/// arenas kept 81–83 MB (measured with the harness's pages, then its write run).
fn fixed_mmap_threshold() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before any
    // allocation-heavy work and takes the allocator's own lock.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 256 * 1024);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// What a burst of large pages freed stays in glibc's heaps (free, but resident) until
/// the top of a heap is free too, which under steady traffic it never is: after the
/// harness's readers of the 2.2 MB set RKP Desa, 81 MB stayed resident into the write run.
/// Every two seconds `malloc_trim` hands the free pages inside the heaps back to the
/// system (a walk of the free lists: well under a millisecond at this size).
async fn give_back_freed_memory() {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    loop {
        tick.tick().await;
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim takes the allocator's own locks and only returns free pages.
        let _ = tokio::task::spawn_blocking(|| unsafe { libc::malloc_trim(0) }).await;
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_do_not_reach_messages() {
        assert_eq!(
            redact("postgres://musdes:secret@db/musdes"),
            "postgres://musdes:***@db/musdes"
        );
        assert_eq!(redact("sqlite://musdes.db"), "sqlite://musdes.db");
    }
}
