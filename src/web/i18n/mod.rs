//! Languages and the translation catalogue: every user-visible sentence lives here, in
//! Bahasa Indonesia (the default) and English.

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim() {
            "id" => Some(Lang::Id),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }

    /// Looks a key up; an unknown key shows itself, so a gap is visible, never a crash.
    pub fn t(self, key: &str) -> &'static str {
        match CATALOGUE.get(key) {
            Some((id, en)) => match self {
                Lang::Id => id,
                Lang::En => en,
            },
            None => {
                tracing::warn!(key, "missing translation");
                "?"
            }
        }
    }
}

mod ladder;
mod meetings;
mod network;
mod plan;
mod stats;

/// Every part of the catalogue: the core below, and one file per larger feature.
fn all_entries() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    ENTRIES
        .iter()
        .chain(meetings::ENTRIES)
        .chain(ladder::ENTRIES)
        .chain(stats::ENTRIES)
        .chain(network::ENTRIES)
        .chain(plan::ENTRIES)
}

static CATALOGUE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| all_entries().map(|(k, id, en)| (*k, (*id, *en))).collect());

/// The catalogue's own copy of `key`, for keys kept across requests (a one-time notice).
pub fn static_key(key: &str) -> Option<&'static str> {
    CATALOGUE.get_key_value(key).map(|(k, _)| *k)
}

/// (key, Bahasa Indonesia, English)
pub const ENTRIES: &[(&str, &str, &str)] = &[
    // Layout
    ("app.name", "musdes", "musdes"),
    (
        "app.tagline",
        "Perencanaan pembangunan desa bersama warga",
        "Village development planning with residents",
    ),
    ("nav.skip", "Lewati ke isi halaman", "Skip to content"),
    ("nav.home", "Beranda", "Home"),
    ("nav.login", "Masuk", "Log in"),
    ("nav.logout", "Keluar", "Log out"),
    ("nav.sessions", "Sesi saya", "My sessions"),
    ("sessions.title", "Sesi masuk Anda", "Your sessions"),
    (
        "sessions.intro",
        "Setiap peramban tempat Anda masuk. Akhiri sesi yang tidak Anda kenali atau tidak dipakai lagi, misalnya di komputer balai desa atau ponsel yang hilang.",
        "Every browser you are logged in on. End the ones you do not recognise or no longer use, such as a village hall computer or a lost phone.",
    ),
    ("sessions.browser", "Peramban", "Browser"),
    ("sessions.since", "Masuk sejak", "Logged in since"),
    ("sessions.until", "Berlaku sampai", "Lasts until"),
    ("sessions.this_one", "sesi ini", "this session"),
    ("sessions.end", "Akhiri", "End"),
    (
        "sessions.end_others",
        "Akhiri semua sesi lain",
        "End all other sessions",
    ),
    ("sessions.ended", "Sesi diakhiri.", "Session ended."),
    (
        "sessions.none_ended",
        "Tidak ada sesi yang diakhiri.",
        "No session was ended.",
    ),
    ("nav.admin", "Administrasi", "Administration"),
    ("nav.main", "Navigasi utama", "Main navigation"),
    ("nav.language", "Bahasa", "Language"),
    ("nav.switch_to", "English", "Bahasa Indonesia"),
    ("nav.signed_in_as", "Masuk sebagai", "Signed in as"),
    (
        "footer.note",
        "Data publik desa; data kontak pribadi warga tidak pernah ditampilkan.",
        "Public village data; residents' personal contact details are never shown.",
    ),
    // Home
    (
        "home.title",
        "Desa di instalasi ini",
        "Villages on this installation",
    ),
    (
        "home.empty",
        "Belum ada desa. Administrator dapat menambahkannya.",
        "No villages yet. An administrator can add them.",
    ),
    ("home.count", "desa", "villages"),
    ("pager.prev", "Sebelumnya", "Previous"),
    ("pager.next", "Berikutnya", "Next"),
    ("pager.page", "Halaman", "Page"),
    // Village
    (
        "village.code",
        "Kode desa (Kemendagri)",
        "Village code (Kemendagri)",
    ),
    ("village.name", "Nama desa", "Village name"),
    (
        "village.slug",
        "Alamat singkat (slug)",
        "Short address (slug)",
    ),
    (
        "village.slug_hint",
        "Huruf kecil, angka dan tanda hubung, mis. majasari",
        "Lowercase letters, digits and hyphens, e.g. majasari",
    ),
    (
        "village.code_hint",
        "Format PP.KK.CC.DDDD, mis. 33.73.04.2001",
        "Format PP.KK.CC.DDDD, e.g. 33.73.04.2001",
    ),
    ("village.kecamatan", "Kecamatan", "District (kecamatan)"),
    (
        "village.kabupaten",
        "Kabupaten/Kota",
        "Regency/City (kabupaten)",
    ),
    ("village.provinsi", "Provinsi", "Province"),
    ("village.population", "Jumlah penduduk", "Population"),
    ("village.households", "Jumlah kepala keluarga", "Households"),
    ("village.hamlets", "Dusun", "Hamlets (dusun)"),
    (
        "village.hamlets_hint",
        "Pisahkan dengan koma; jumlah penduduk dusun boleh ditulis sesudah tanda =, mis. Dusun I = 1.250, Dusun II = 980",
        "Separate with commas; a hamlet's population may follow =, e.g. Dusun I = 1.250, Dusun II = 980",
    ),
    ("village.timezone", "Zona waktu", "Time zone"),
    ("village.facts", "Data desa", "Village facts"),
    (
        "village.no_hamlets",
        "Belum ada dusun tercatat.",
        "No hamlets recorded yet.",
    ),
    ("village.groups", "Kelompok masyarakat", "Community groups"),
    (
        "village.no_groups",
        "Belum ada kelompok tercatat.",
        "No groups recorded yet.",
    ),
    ("village.members", "anggota", "members"),
    ("village.vulnerable", "kelompok rentan", "vulnerable group"),
    (
        "village.your_roles",
        "Peran Anda di desa ini",
        "Your roles in this village",
    ),
    ("village.edit", "Ubah data desa", "Edit village"),
    ("village.people", "jiwa", "people"),
    ("village.households_unit", "KK", "households"),
    (
        "tz.Asia/Jakarta",
        "WIB (Asia/Jakarta)",
        "WIB (Asia/Jakarta)",
    ),
    (
        "tz.Asia/Makassar",
        "WITA (Asia/Makassar)",
        "WITA (Asia/Makassar)",
    ),
    (
        "tz.Asia/Jayapura",
        "WIT (Asia/Jayapura)",
        "WIT (Asia/Jayapura)",
    ),
    // Roles
    ("role.admin", "Administrator", "Administrator"),
    ("role.official", "Perangkat desa", "Village official"),
    ("role.facilitator", "Pendamping desa", "Village facilitator"),
    ("role.resident", "Warga", "Resident"),
    ("role.kecamatan", "Kecamatan", "Kecamatan"),
    (
        "nav.kecamatan",
        "Desa di kecamatan",
        "Villages of the kecamatan",
    ),
    ("admin.area", "Wilayah kecamatan", "Kecamatan overseen"),
    (
        "admin.area_hint",
        "Hanya untuk peran Kecamatan: akun ini melihat semua desa dengan kecamatan dan kabupaten ini, dan menjawab DU-RKP mereka.",
        "Only for the Kecamatan role: the account sees every village of this kecamatan and kabupaten, and answers their DU-RKP.",
    ),
    (
        "error.area_required",
        "Peran Kecamatan memerlukan nama kecamatan dan kabupaten.",
        "The Kecamatan role needs the kecamatan and the kabupaten.",
    ),
    // Group kinds
    ("kind.tokoh_adat", "Tokoh adat", "Customary leaders"),
    ("kind.tokoh_agama", "Tokoh agama", "Religious leaders"),
    (
        "kind.tokoh_masyarakat",
        "Tokoh masyarakat",
        "Community leaders",
    ),
    (
        "kind.tokoh_pendidikan",
        "Tokoh pendidikan",
        "Education figures",
    ),
    ("kind.tani", "Kelompok tani", "Farmers' group"),
    ("kind.nelayan", "Kelompok nelayan", "Fishers' group"),
    ("kind.perajin", "Kelompok perajin", "Craft makers' group"),
    ("kind.perempuan", "Kelompok perempuan", "Women's group"),
    (
        "kind.perlindungan_anak",
        "Pemerhati dan pelindungan anak",
        "Child protection",
    ),
    (
        "kind.masyarakat_miskin",
        "Kelompok masyarakat miskin",
        "Poor households",
    ),
    ("kind.pemuda", "Organisasi kepemudaan", "Youth organisation"),
    (
        "kind.keagamaan",
        "Organisasi keagamaan",
        "Religious organisation",
    ),
    ("kind.masyarakat_adat", "Masyarakat adat", "Adat community"),
    (
        "kind.disabilitas",
        "Penyandang disabilitas",
        "People with disabilities",
    ),
    ("kind.bpd", "BPD", "Village consultative body (BPD)"),
    (
        "kind.pemerintah_desa",
        "Pemerintah desa",
        "Village government",
    ),
    ("kind.lpm", "LPM", "Community empowerment body (LPM)"),
    ("kind.ngo", "LSM", "NGO"),
    ("kind.swasta", "Swasta", "Private sector"),
    ("kind.perguruan_tinggi", "Perguruan tinggi", "University"),
    ("kind.desa_lain", "Desa lain", "Other village"),
    ("kind.lainnya", "Lainnya", "Other"),
    // Login
    ("login.title", "Masuk", "Log in"),
    ("login.email", "Alamat email", "Email address"),
    ("login.password", "Kata sandi", "Password"),
    ("login.submit", "Masuk", "Log in"),
    (
        "login.limits",
        "Demi keamanan: setelah 10 percobaan dalam satu menit untuk satu akun dari perangkat yang sama, masuk ditahan sebentar. Bila sebuah akun menerima banyak percobaan gagal dari mana pun, setiap percobaan diperlambat beberapa detik, tetapi kata sandi yang benar tetap bisa masuk.",
        "For safety: after 10 attempts in a minute for one account from the same device, logging in pauses for a moment. When an account receives many failed attempts from anywhere, each attempt is slowed by a few seconds, but the right password still gets in.",
    ),
    (
        "login.slowed",
        "Akun ini baru saja menerima banyak percobaan masuk yang gagal, jadi setiap percobaan diperlambat beberapa detik. Kata sandi yang benar tetap bisa masuk.",
        "This account has just received many failed login attempts, so each attempt is slowed by a few seconds. The right password still gets in.",
    ),
    (
        "login.failed",
        "Email atau kata sandi salah.",
        "Wrong email or password.",
    ),
    (
        "login.logged_out",
        "Anda sudah keluar.",
        "You are logged out.",
    ),
    // Admin
    ("admin.title", "Administrasi", "Administration"),
    ("admin.villages", "Desa", "Villages"),
    ("admin.accounts", "Akun", "Accounts"),
    ("admin.new_village", "Tambah desa", "Add a village"),
    ("admin.edit_village", "Ubah data desa", "Edit village"),
    ("admin.save", "Simpan", "Save"),
    ("admin.create", "Tambah", "Add"),
    (
        "admin.new_account",
        "Tambah akun atau peran",
        "Add an account or a role",
    ),
    (
        "admin.account_hint",
        "Jika email sudah terdaftar, peran ditambahkan ke akun itu dan kata sandi boleh dikosongkan.",
        "If the email is already registered, the role is added to that account and the password may be left empty.",
    ),
    ("admin.name", "Nama", "Name"),
    ("admin.role", "Peran", "Role"),
    ("admin.village", "Desa", "Village"),
    (
        "admin.no_village",
        "— tanpa desa (administrator) —",
        "— no village (administrator) —",
    ),
    ("admin.roles", "Peran", "Roles"),
    ("admin.remove_role", "Cabut", "Remove"),
    ("admin.saved", "Tersimpan.", "Saved."),
    (
        "admin.village_created",
        "Desa ditambahkan.",
        "Village added.",
    ),
    ("admin.account_created", "Akun dibuat.", "Account created."),
    (
        "admin.role_added",
        "Peran ditambahkan ke akun yang sudah ada.",
        "Role added to the existing account.",
    ),
    (
        "admin.role_held",
        "Akun itu sudah memegang peran tersebut.",
        "That account already holds that role.",
    ),
    ("admin.role_removed", "Peran dicabut.", "Role removed."),
    ("admin.actions", "Tindakan", "Actions"),
    (
        "form.fix_errors",
        "Periksa kembali isian yang ditandai.",
        "Please check the marked fields.",
    ),
    ("form.optional", "Tidak wajib diisi.", "Optional."),
    // Field errors
    ("error.required", "Wajib diisi.", "Required."),
    ("error.too_long", "Terlalu panjang.", "Too long."),
    (
        "error.not_a_count",
        "Tulis bilangan bulat, mis. 4120 atau 4.120.",
        "Write a whole number, e.g. 4120 or 4,120.",
    ),
    (
        "error.slug",
        "Gunakan 2–60 huruf kecil, angka atau tanda hubung (tanpa spasi dan huruf besar).",
        "Use 2–60 lowercase letters, digits or hyphens (no spaces or capitals).",
    ),
    (
        "error.slug_taken",
        "Alamat singkat ini sudah dipakai desa lain.",
        "This short address is already used by another village.",
    ),
    (
        "error.code_taken",
        "Kode ini sudah dipakai desa lain.",
        "This code is already used by another village.",
    ),
    (
        "error.village_code",
        "Kode harus 10 angka dengan format PP.KK.CC.DDDD, mis. 33.73.04.2001.",
        "The code must be 10 digits in the format PP.KK.CC.DDDD, e.g. 33.73.04.2001.",
    ),
    (
        "error.village_code_desa",
        "Bagian desa dari kode harus diawali angka 2 (kode yang diawali 1 adalah kelurahan).",
        "The village part of the code must start with 2 (codes starting with 1 are kelurahan).",
    ),
    (
        "error.households_over_population",
        "Jumlah KK tidak boleh melebihi jumlah penduduk.",
        "Households cannot exceed the population.",
    ),
    (
        "error.hamlet_too_long",
        "Nama dusun paling banyak 80 karakter.",
        "A hamlet name has at most 80 characters.",
    ),
    (
        "error.hamlet_duplicate",
        "Ada nama dusun yang ditulis dua kali.",
        "A hamlet name appears twice.",
    ),
    (
        "error.hamlet_population",
        "Jumlah penduduk dusun ditulis sesudah tanda =, sebagai bilangan bulat, mis. Dusun I = 1.250.",
        "A hamlet's population goes after =, as a whole number, e.g. Dusun I = 1,250.",
    ),
    (
        "error.hamlet_population_over",
        "Jumlah penduduk dusun-dusun melebihi jumlah penduduk desa.",
        "The hamlets' populations add up to more than the village's.",
    ),
    (
        "error.hamlet_too_many",
        "Paling banyak 100 dusun.",
        "At most 100 hamlets.",
    ),
    (
        "error.choose_from_list",
        "Pilih salah satu dari daftar.",
        "Choose one from the list.",
    ),
    (
        "error.email",
        "Tulis alamat email yang benar, mis. nama@desa.id.",
        "Write a valid email address, e.g. name@village.id.",
    ),
    (
        "error.email_taken",
        "Email ini sudah terdaftar.",
        "This email is already registered.",
    ),
    (
        "error.password_short",
        "Kata sandi paling sedikit 10 karakter.",
        "The password needs at least 10 characters.",
    ),
    (
        "error.password_has_email",
        "Kata sandi tidak boleh memuat alamat email.",
        "The password must not contain the email address.",
    ),
    (
        "error.village_required",
        "Peran ini harus terikat pada satu desa.",
        "This role must belong to a village.",
    ),
    (
        "error.unknown_village",
        "Desa tidak ditemukan.",
        "Village not found.",
    ),
    // Proposals
    (
        "proposal.list_title",
        "Usulan warga",
        "Residents' proposals",
    ),
    ("proposal.new_title", "Ajukan usulan", "Submit a proposal"),
    (
        "proposal.anonymous_hint",
        "Anda belum masuk. Usulan tetap kami terima dan akan diperiksa perangkat desa sebelum tampil untuk umum. Nomor telepon tidak pernah ditampilkan.",
        "You are not logged in. Your proposal is still received and is checked by a village official before it is shown publicly. Phone numbers are never shown.",
    ),
    ("proposal.title", "Judul usulan", "Title"),
    (
        "proposal.title_hint",
        "Singkat dan jelas, mis. Perbaikan jalan Dusun II",
        "Short and clear, e.g. Repair of the Dusun II road",
    ),
    (
        "proposal.problem",
        "Masalah atau kebutuhan",
        "Problem or need",
    ),
    (
        "proposal.problem_hint",
        "Apa yang terjadi, siapa yang terdampak?",
        "What is happening, who is affected?",
    ),
    ("proposal.description", "Uraian usulan", "Description"),
    ("proposal.bidang", "Bidang", "Field (bidang)"),
    ("proposal.sub_bidang", "Sub-bidang", "Sub-field"),
    ("proposal.dusun", "Dusun", "Hamlet (dusun)"),
    ("proposal.location", "Lokasi", "Location"),
    (
        "proposal.location_hint",
        "Mis. RT 02/RW 01, depan balai dusun",
        "E.g. RT 02/RW 01, in front of the hamlet hall",
    ),
    ("proposal.cost", "Perkiraan biaya", "Estimated cost"),
    (
        "proposal.cost_hint",
        "Dalam rupiah, mis. 1.500.000 (tidak wajib)",
        "In rupiah, e.g. 1.500.000 (optional)",
    ),
    ("proposal.about_you", "Tentang Anda", "About you"),
    (
        "proposal.on_behalf",
        "Atas nama warga atau kelompok",
        "On behalf of a resident or group",
    ),
    (
        "proposal.on_behalf_hint",
        "Isi nama pengusul bila Anda mencatat usulan dari musyawarah dusun, pertemuan kelompok atau formulir kertas. Kosongkan untuk usulan Anda sendiri.",
        "Fill in the proposer's name when recording a proposal from a hamlet meeting, a group meeting or a paper form. Leave empty for your own proposal.",
    ),
    ("proposal.proposer_name", "Nama pengusul", "Proposer's name"),
    ("proposal.phone", "Nomor telepon", "Phone number"),
    (
        "proposal.phone_hint",
        "Tidak wajib; tidak pernah ditampilkan untuk umum.",
        "Optional; never shown publicly.",
    ),
    ("proposal.channel", "Masuk melalui", "Came in through"),
    ("proposal.submit", "Kirim usulan", "Send proposal"),
    (
        "proposal.submitted_notice",
        "Usulan Anda sudah diterbitkan.",
        "Your proposal is published.",
    ),
    (
        "proposal.pending_notice",
        "Terima kasih. Usulan Anda tersimpan dan menunggu pemeriksaan perangkat desa.",
        "Thank you. Your proposal is saved and waits for a village official's check.",
    ),
    ("proposal.number", "Usulan no.", "Proposal no."),
    ("proposal.supports", "dukungan", "supports"),
    ("proposal.details", "Rincian", "Details"),
    ("proposal.proposer", "Pengusul", "Proposed by"),
    ("proposal.submitted_at", "Diajukan", "Submitted"),
    ("proposal.timeline", "Riwayat", "Timeline"),
    ("proposal.search", "Cari usulan", "Search proposals"),
    ("proposal.status", "Status", "Status"),
    ("proposal.level", "Tingkat keterlibatan", "Engagement level"),
    ("proposal.sort", "Urutkan", "Sort by"),
    ("proposal.filter", "Tampilkan", "Show"),
    (
        "proposal.more_filters",
        "Saring menurut bidang, status, tingkat, dusun",
        "Filter by field, status, level, hamlet",
    ),
    (
        "proposal.none_found",
        "Tidak ada usulan yang cocok.",
        "No matching proposals.",
    ),
    ("sort.newest", "Terbaru", "Newest"),
    ("sort.supported", "Paling didukung", "Most supported"),
    ("sort.level", "Tingkat keterlibatan", "Engagement level"),
    ("form.choose", "— pilih —", "— choose —"),
    ("form.all", "Semua", "All"),
    ("village.proposals", "Usulan warga", "Residents' proposals"),
    (
        "village.see_proposals",
        "Lihat semua usulan",
        "See all proposals",
    ),
    (
        "bidang.01",
        "Penyelenggaraan Pemerintahan Desa",
        "Village governance",
    ),
    (
        "bidang.02",
        "Pelaksanaan Pembangunan Desa",
        "Village development",
    ),
    ("bidang.03", "Pembinaan Kemasyarakatan", "Community affairs"),
    (
        "bidang.04",
        "Pemberdayaan Masyarakat",
        "Community empowerment",
    ),
    (
        "bidang.05",
        "Penanggulangan Bencana, Darurat dan Mendesak",
        "Disasters, emergencies and urgent needs",
    ),
    ("status.pending", "Menunggu moderasi", "Awaiting moderation"),
    ("status.submitted", "Diajukan", "Submitted"),
    ("status.in_review", "Ditelaah", "In review"),
    (
        "status.on_agenda",
        "Masuk agenda musyawarah",
        "On a meeting agenda",
    ),
    (
        "status.forwarded",
        "Diteruskan ke perencanaan desa",
        "Forwarded to the village's planning",
    ),
    ("status.accepted", "Diterima", "Accepted"),
    ("status.rejected", "Ditolak", "Rejected"),
    ("status.deferred", "Ditunda", "Deferred"),
    (
        "status.du_rkp",
        "Diusulkan ke kabupaten (DU-RKP)",
        "Sent up in the DU-RKP",
    ),
    ("status.merged", "Digabung", "Merged"),
    ("status.withdrawn", "Ditarik", "Withdrawn"),
    ("status.in_progress", "Sedang dikerjakan", "In progress"),
    ("status.completed", "Selesai", "Completed"),
    ("status.evaluated", "Dievaluasi", "Evaluated"),
    ("level.inform", "Menginformasikan", "Inform"),
    ("level.consult", "Berkonsultasi", "Consult"),
    ("level.involve", "Melibatkan", "Involve"),
    ("level.collaborate", "Bekerja sama", "Collaborate"),
    ("level.empower", "Memberdayakan", "Empower"),
    (
        "level_promise.inform",
        "Warga diberi tahu.",
        "Residents are kept informed.",
    ),
    (
        "level_promise.consult",
        "Masukan warga didengar dan dijawab.",
        "Residents' concerns are heard and answered.",
    ),
    (
        "level_promise.involve",
        "Kekhawatiran warga tercermin dalam pilihan.",
        "Residents' concerns shape the alternatives.",
    ),
    (
        "level_promise.collaborate",
        "Warga menjadi mitra.",
        "Residents are partners.",
    ),
    (
        "level_promise.empower",
        "Warga memutuskan dan melaksanakan.",
        "Residents decide and carry it out.",
    ),
    ("ladder.title", "Tangga keterlibatan", "Engagement ladder"),
    ("channel.online", "Daring", "Online"),
    ("channel.musdus", "Musyawarah dusun", "Hamlet meeting"),
    (
        "channel.group_meeting",
        "Pertemuan kelompok",
        "Group meeting",
    ),
    ("channel.paper", "Formulir kertas", "Paper form"),
    (
        "channel.musyawarah",
        "Diusulkan peserta dalam musyawarah",
        "Raised from the floor of a meeting",
    ),
    ("event.submitted", "Diajukan", "Submitted"),
    (
        "error.title_length",
        "Judul 5–200 karakter.",
        "A title has 5–200 characters.",
    ),
    (
        "error.problem_short",
        "Jelaskan masalahnya, paling sedikit 10 karakter.",
        "Describe the problem in at least 10 characters.",
    ),
    (
        "error.bidang",
        "Pilih bidang 01–05.",
        "Choose a field 01–05.",
    ),
    (
        "error.sub_bidang",
        "Sub-bidang harus sesuai dengan bidang yang dipilih.",
        "The sub-field must belong to the chosen field.",
    ),
    (
        "error.cost",
        "Tulis rupiah tanpa desimal, mis. 1.500.000 (paling besar Rp 10.000.000.000.000).",
        "Write whole rupiah, e.g. 1.500.000 (at most Rp 10.000.000.000.000).",
    ),
    (
        "error.proposer_name",
        "Tulis nama pengusul.",
        "Write the proposer's name.",
    ),
    (
        "error.phone",
        "Tulis nomor telepon, mis. 0812 3456 7890.",
        "Write a phone number, e.g. 0812 3456 7890.",
    ),
    (
        "error.dusun_required",
        "Pilih dusun tempat kebutuhan ini.",
        "Choose the hamlet this need is in.",
    ),
    ("feedback.title", "Tanggapan warga", "Residents' feedback"),
    (
        "feedback.unanswered",
        "Kekhawatiran yang belum dijawab",
        "Concerns not yet answered",
    ),
    (
        "feedback.hidden_text",
        "Tanggapan disembunyikan perangkat desa",
        "Entry hidden by a village official",
    ),
    ("feedback.answer_by", "Jawaban dari", "Answer from"),
    ("feedback.answer", "Jawab", "Answer"),
    ("feedback.answer_text", "Jawaban", "Answer"),
    ("feedback.send_answer", "Kirim jawaban", "Send answer"),
    ("feedback.hide", "Sembunyikan", "Hide"),
    (
        "feedback.hide_reason",
        "Alasan disembunyikan (tetap tercatat)",
        "Reason for hiding (stays on the record)",
    ),
    (
        "feedback.support_button",
        "Dukung usulan ini",
        "Support this proposal",
    ),
    ("feedback.write", "Tulis tanggapan", "Write feedback"),
    ("feedback.body", "Tanggapan Anda", "Your feedback"),
    ("feedback.send", "Kirim tanggapan", "Send feedback"),
    (
        "feedback.login_to",
        "Masuk untuk mendukung atau menanggapi usulan ini",
        "Log in to support or comment on this proposal",
    ),
    (
        "feedback.thanks",
        "Terima kasih, tanggapan Anda tercatat.",
        "Thank you, your feedback is recorded.",
    ),
    (
        "feedback.supported",
        "Dukungan Anda tercatat.",
        "Your support is recorded.",
    ),
    (
        "feedback.already_supported",
        "Anda sudah mendukung usulan ini; dukungan dihitung sekali.",
        "You already support this proposal; a support counts once.",
    ),
    ("feedback.answered", "Jawaban terkirim.", "Answer sent."),
    (
        "feedback.hidden",
        "Tanggapan disembunyikan; alasannya tetap tercatat.",
        "Entry hidden; the reason stays on the record.",
    ),
    ("feedback_kind.comment", "Komentar", "Comment"),
    ("feedback_kind.concern", "Kekhawatiran", "Concern"),
    ("feedback_kind.support", "Dukungan", "Support"),
    (
        "event.concern_raised",
        "Kekhawatiran disampaikan",
        "Concern raised",
    ),
    ("event.answered", "Dijawab", "Answered"),
    ("feedback.pages", "Halaman tanggapan", "Pages of feedback"),
    (
        "feedback.shown_of",
        "Menampilkan {0} dari {1} tanggapan.",
        "Showing {0} of {1} entries.",
    ),
    (
        "feedback.older",
        "← Tanggapan lebih lama",
        "← Older entries",
    ),
    (
        "feedback.newer",
        "Tanggapan lebih baru →",
        "Newer entries →",
    ),
    (
        "event.feedback_hidden",
        "Tanggapan disembunyikan",
        "Feedback hidden",
    ),
    (
        "error.feedback_body",
        "Tulis paling sedikit 2 karakter.",
        "Write at least 2 characters.",
    ),
    ("proposal.change_status", "Ubah status", "Change the status"),
    ("proposal.new_status", "Status baru", "New status"),
    (
        "proposal.status_note",
        "Catatan atau alasan",
        "Note or reason",
    ),
    (
        "proposal.status_note_hint",
        "Wajib untuk menolak atau menunda; tampil di riwayat publik.",
        "Required to reject or defer; shown on the public timeline.",
    ),
    ("proposal.apply_status", "Simpan status", "Save status"),
    (
        "proposal.status_changed",
        "Status diperbarui.",
        "Status updated.",
    ),
    (
        "event.published",
        "Diterbitkan setelah moderasi",
        "Published after moderation",
    ),
    ("event.status_changed", "Status diubah", "Status changed"),
    (
        "error.transition",
        "Perubahan status ini tidak diizinkan dari status sekarang.",
        "This status change is not allowed from the current status.",
    ),
    (
        "error.reason_required",
        "Tuliskan alasannya (paling sedikit 2 karakter).",
        "Write the reason (at least 2 characters).",
    ),
    (
        "error.stale",
        "Orang lain sudah mengubahnya lebih dulu. Inilah keadaan terbarunya; periksa lalu coba lagi.",
        "Someone else changed it first. This is its current state; check it and try again.",
    ),
    ("proposal.edit_title", "Ubah usulan", "Edit the proposal"),
    (
        "proposal.edited",
        "Perubahan tersimpan dan tercatat di riwayat.",
        "Changes saved and recorded on the timeline.",
    ),
    ("proposal.withdraw", "Tarik usulan", "Withdraw the proposal"),
    (
        "proposal.withdraw_note",
        "Alasan (tidak wajib)",
        "Reason (optional)",
    ),
    (
        "proposal.withdrawn",
        "Usulan ditarik.",
        "Proposal withdrawn.",
    ),
    ("event.edited", "Diubah pengusul", "Edited by the proposer"),
    (
        "similar.title",
        "Sudah ada usulan yang mirip",
        "Similar proposals already exist",
    ),
    (
        "similar.explain",
        "Usulan berikut tampak mirip dengan usulan Anda. Anda bisa membuka dan mendukungnya, atau tetap mengirim usulan baru.",
        "These proposals look like yours. You can open and support one of them, or send your new proposal anyway.",
    ),
    (
        "similar.send_anyway",
        "Tetap kirim usulan baru",
        "Send my new proposal anyway",
    ),
    (
        "similar.while_typing",
        "Usulan yang mirip sudah ada — mungkin Anda cukup mendukungnya:",
        "Similar proposals already exist — you might support one instead:",
    ),
    (
        "merge.title",
        "Gabungkan ke usulan lain",
        "Merge into another proposal",
    ),
    (
        "merge.into",
        "Nomor usulan tujuan",
        "Number of the proposal to merge into",
    ),
    (
        "merge.hint",
        "Mis. 2026-014. Dukungan, tanggapan dan riwayat pindah ke sana.",
        "E.g. 2026-014. Supports, feedback and timeline move there.",
    ),
    ("merge.submit", "Gabungkan", "Merge"),
    (
        "proposal.merged",
        "Usulan digabung; nomor lamanya kini mengarah ke sini.",
        "Proposal merged; its old number now leads here.",
    ),
    (
        "event.merged_from",
        "Digabung dari usulan",
        "Merged in from proposal",
    ),
    (
        "event.merged_into",
        "Digabung ke usulan",
        "Merged into proposal",
    ),
    (
        "error.merge_target",
        "Tulis nomor usulan lain di desa ini, mis. 2026-014.",
        "Write the number of another proposal of this village, e.g. 2026-014.",
    ),
    (
        "error.merge_status",
        "Hanya usulan yang masih terbuka yang bisa digabung.",
        "Only open proposals can be merged.",
    ),
    ("progress.title", "Pelaksanaan", "Implementation"),
    ("progress.percent", "Kemajuan (%)", "Progress (%)"),
    ("progress.note", "Catatan kemajuan", "Progress note"),
    ("progress.photo", "Foto", "Photo"),
    (
        "progress.photo_hint",
        "JPEG, PNG atau WebP, paling besar 5 MB (tidak wajib).",
        "JPEG, PNG or WebP, at most 5 MB (optional).",
    ),
    (
        "progress.photo_alt",
        "Foto pelaksanaan pada kemajuan",
        "Implementation photo at progress",
    ),
    (
        "progress.send",
        "Simpan laporan kemajuan",
        "Save progress report",
    ),
    (
        "progress.saved",
        "Laporan kemajuan tersimpan.",
        "Progress report saved.",
    ),
    (
        "evaluation.title",
        "Penilaian warga",
        "Residents' evaluation",
    ),
    ("evaluation.average", "Rata-rata", "Average"),
    ("evaluation.ratings", "penilaian", "ratings"),
    (
        "evaluation.rating",
        "Nilai hasilnya (1 buruk – 5 sangat baik)",
        "Rate the result (1 poor – 5 very good)",
    ),
    (
        "evaluation.reflection",
        "Refleksi (tidak wajib)",
        "Reflection (optional)",
    ),
    ("evaluation.send", "Kirim penilaian", "Send evaluation"),
    (
        "evaluation.saved",
        "Penilaian Anda tercatat.",
        "Your evaluation is recorded.",
    ),
    ("event.progress", "Laporan kemajuan", "Progress report"),
    (
        "error.progress",
        "Tulis angka 0–100.",
        "Write a number 0–100.",
    ),
    (
        "error.rating",
        "Pilih nilai 1 sampai 5.",
        "Choose a rating from 1 to 5.",
    ),
    (
        "error.photo_type",
        "Berkas ini bukan foto JPEG, PNG atau WebP.",
        "This file is not a JPEG, PNG or WebP photo.",
    ),
    (
        "error.photo_too_many_pixels",
        "Foto ini terlalu besar ukurannya (lebih dari 40 megapiksel). Kecilkan dulu, lalu kirim lagi.",
        "This photo has too many pixels (over 40 megapixels). Make it smaller, then send it again.",
    ),
    (
        "error.photo_unreadable",
        "Foto ini tidak dapat dibaca sebagai gambar. Kirim foto lain.",
        "This photo could not be read as a picture. Send another one.",
    ),
    (
        "error.photo_too_big",
        "Foto paling besar 5 MB.",
        "A photo is at most 5 MB.",
    ),
    // Error pages
    (
        "error.page.400",
        "Permintaan tidak dapat dibaca",
        "The request could not be read",
    ),
    (
        "error.page.400.body",
        "Isian yang dikirim tidak lengkap atau berisi karakter yang tidak dapat disimpan. Kembali ke halaman sebelumnya, periksa isian, lalu kirim lagi.",
        "What was sent is incomplete or holds characters that cannot be stored. Go back, check the form and send it again.",
    ),
    (
        "error.page.403",
        "Anda tidak berwenang",
        "You are not allowed to do this",
    ),
    (
        "error.page.403.body",
        "Akun Anda tidak memiliki peran yang diperlukan di desa ini. Jika formulir sudah lama terbuka, muat ulang halaman lalu coba lagi.",
        "Your account does not hold the role this needs in this village. If the form was open for a long time, reload the page and try again.",
    ),
    (
        "error.page.404",
        "Halaman tidak ditemukan",
        "Page not found",
    ),
    (
        "error.page.404.body",
        "Alamat ini tidak ada. Periksa kembali tautannya atau kembali ke beranda.",
        "This address does not exist. Check the link or go back home.",
    ),
    (
        "error.page.405",
        "Cara akses tidak diizinkan",
        "Method not allowed",
    ),
    (
        "error.page.409",
        "Data sudah berubah",
        "The record has changed",
    ),
    (
        "error.page.409.body",
        "Orang lain mengubah data ini sementara Anda mengisi formulir. Muat ulang halaman untuk melihat keadaan terbaru.",
        "Someone else changed this record while you were filling in the form. Reload the page to see its current state.",
    ),
    (
        "error.page.413",
        "Kiriman terlalu besar",
        "Upload too large",
    ),
    (
        "error.page.413.body",
        "Isi formulir melebihi batas ukuran. Kurangi panjang teks atau ukuran berkas.",
        "The form is over the size limit. Shorten the text or the file.",
    ),
    (
        "error.page.415",
        "Jenis kiriman tidak didukung",
        "Unsupported content type",
    ),
    (
        "error.page.422",
        "Isian belum benar",
        "Some input is not right",
    ),
    (
        "error.page.429",
        "Terlalu banyak percobaan",
        "Too many attempts",
    ),
    (
        "error.page.429.body",
        "Tunggu beberapa menit, lalu coba lagi.",
        "Wait a few minutes, then try again.",
    ),
    (
        "error.page.500",
        "Terjadi kesalahan di server",
        "Something went wrong on the server",
    ),
    (
        "error.page.500.body",
        "Kesalahan sudah dicatat. Coba lagi sebentar lagi.",
        "The error was logged. Please try again shortly.",
    ),
    (
        "error.page.generic",
        "Permintaan tidak dapat diproses.",
        "The request could not be processed.",
    ),
    ("error.back_home", "Kembali ke beranda", "Back to home"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut seen = std::collections::HashSet::new();
        for (key, id, en) in all_entries() {
            assert!(seen.insert(key), "duplicate key {key}");
            assert!(
                !id.is_empty() && !en.is_empty(),
                "empty translation for {key}"
            );
        }
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        // Keys are written as .t("…") in templates and as "error.…"/"plan.…" catalogue keys in code.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["templates", "src"] {
            collect(&root.join(dir), &mut files);
        }
        let mut missing = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for part in text.split(".t(\"").skip(1) {
                let key = part.split('"').next().unwrap();
                if !CATALOGUE.contains_key(key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
            for prefix in ["error.", "plan."] {
                for part in text.split(&format!("\"{prefix}")).skip(1) {
                    let key = format!("{prefix}{}", part.split('"').next().unwrap());
                    if !key.ends_with('.')
                        && !key.contains('{')
                        && !CATALOGUE.contains_key(key.as_str())
                    {
                        missing.push(format!("{}: {key}", file.display()));
                    }
                }
            }
        }
        assert!(
            missing.is_empty(),
            "keys missing from the catalogue:\n{}",
            missing.join("\n")
        );
    }

    fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect(&path, out);
            } else if path.extension().is_some_and(|e| e == "html" || e == "rs")
                && !path.components().any(|c| c.as_os_str() == "i18n")
            {
                out.push(path);
            }
        }
    }

    #[test]
    fn languages_differ_and_unknown_keys_do_not_panic() {
        assert_eq!(Lang::Id.t("nav.login"), "Masuk");
        assert_eq!(Lang::En.t("nav.login"), "Log in");
        assert_eq!(Lang::En.t("no.such.key"), "?");
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
