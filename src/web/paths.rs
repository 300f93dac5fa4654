//! Paths written once. Each line below names a path and its pattern; `paths!` makes of it
//! a constant the router serves (`paths::PROPOSAL`) and a function handlers, redirects,
//! JSON and templates link with (`paths::proposal(slug, number)`), both from the same
//! literal, so a route cannot be renamed without its links.
//!
//! A feature whose paths are here writes none by hand: `tests/it/architecture.rs` fails
//! on a template or handler that spells one out.

/// `name, CONSTANT (arguments) = "pattern";` → `pub const CONSTANT` and `pub fn name`.
macro_rules! paths {
    ($($(#[$m:meta])* $name:ident, $konst:ident ($($arg:ident),*) = $pattern:literal;)+) => {
        $(
            $(#[$m])*
            pub const $konst: &str = $pattern;
            $(#[$m])*
            pub fn $name($($arg: impl std::fmt::Display),*) -> String {
                format!($pattern, $($arg = $arg),*)
            }
        )+
    };
}

paths! {
    /// A village's proposals, and where a new one is posted.
    proposals, PROPOSALS(slug) = "/desa/{slug}/usulan";
    proposal_new, PROPOSAL_NEW(slug) = "/desa/{slug}/usulan/baru";
    /// The proposal form on paper, for a musyawarah dusun or a group meeting.
    proposal_paper_form, PROPOSAL_PAPER_FORM(slug) = "/desa/{slug}/usulan/formulir";
    /// Titles like the one being typed (JSON, for the submission form).
    proposal_similar, PROPOSAL_SIMILAR(slug) = "/desa/{slug}/usulan/mirip";
    proposal, PROPOSAL(slug, number) = "/desa/{slug}/usulan/{number}";
    proposal_feedback, PROPOSAL_FEEDBACK(slug, number) = "/desa/{slug}/usulan/{number}/tanggapan";
    proposal_answer, PROPOSAL_ANSWER(slug, number) = "/desa/{slug}/usulan/{number}/jawaban";
    /// The cadre who drives the proposal (field `cadre`; empty for none).
    proposal_driver, PROPOSAL_DRIVER(slug, number) = "/desa/{slug}/usulan/{number}/penggerak";
    /// Tindak lanjut: an action taken on a concern or a decision of the proposal.
    proposal_follow_up, PROPOSAL_FOLLOW_UP(slug, number) =
        "/desa/{slug}/usulan/{number}/tindak-lanjut";
    proposal_hide_feedback, PROPOSAL_HIDE_FEEDBACK(slug, number, id) =
        "/desa/{slug}/usulan/{number}/tanggapan/{id}/sembunyikan";
    proposal_status, PROPOSAL_STATUS(slug, number) = "/desa/{slug}/usulan/{number}/status";
    proposal_edit, PROPOSAL_EDIT(slug, number) = "/desa/{slug}/usulan/{number}/ubah";
    proposal_withdraw, PROPOSAL_WITHDRAW(slug, number) = "/desa/{slug}/usulan/{number}/tarik";
    proposal_merge, PROPOSAL_MERGE(slug, number) = "/desa/{slug}/usulan/{number}/gabung";
    proposal_progress, PROPOSAL_PROGRESS(slug, number) = "/desa/{slug}/usulan/{number}/kemajuan";
    proposal_observation, PROPOSAL_OBSERVATION(slug, number) =
        "/desa/{slug}/usulan/{number}/pengamatan";
    proposal_observation_moderation, PROPOSAL_OBSERVATION_MODERATION(slug, number, update) =
        "/desa/{slug}/usulan/{number}/pengamatan/{update}/moderasi";
    proposal_photo, PROPOSAL_PHOTO(slug, number, photo) =
        "/desa/{slug}/usulan/{number}/foto/{photo}";
    proposal_evaluation, PROPOSAL_EVALUATION(slug, number) =
        "/desa/{slug}/usulan/{number}/evaluasi";
    proposal_level, PROPOSAL_LEVEL(slug, number) = "/desa/{slug}/usulan/{number}/tingkat";
    proposal_channel, PROPOSAL_CHANNEL(slug, number) = "/desa/{slug}/usulan/{number}/kanal";
    proposal_partnership, PROPOSAL_PARTNERSHIP(slug, number) =
        "/desa/{slug}/usulan/{number}/kemitraan";
    proposal_alternative, PROPOSAL_ALTERNATIVE(slug, number) =
        "/desa/{slug}/usulan/{number}/alternatif";
    proposal_pledge, PROPOSAL_PLEDGE(slug, number, pledge) =
        "/desa/{slug}/usulan/{number}/kemitraan/{pledge}/realisasi";
    proposal_implementer, PROPOSAL_IMPLEMENTER(slug, number) =
        "/desa/{slug}/usulan/{number}/pelaksana";
    /// Back to the RPJM Desa for a later year (the planning year's page of a proposal).
    proposal_rpjm, PROPOSAL_RPJM(slug, number) = "/desa/{slug}/usulan/{number}/rpjm";
    /// A proposal as an entry of the year's plan: its score, cost, source and schedule.
    plan_proposal, PLAN_PROPOSAL(slug, year, number) = "/desa/{slug}/rkp/{year}/usulan/{number}";
    /// A village's meetings, and where a new one is posted.
    meetings, MEETINGS(slug) = "/desa/{slug}/musyawarah";
    meeting, MEETING(slug, id) = "/desa/{slug}/musyawarah/{id}";
    meeting_edit, MEETING_EDIT(slug, id) = "/desa/{slug}/musyawarah/{id}/ubah";
    meeting_invite, MEETING_INVITE(slug, id) = "/desa/{slug}/musyawarah/{id}/undangan";
    meeting_uninvite, MEETING_UNINVITE(slug, id) = "/desa/{slug}/musyawarah/{id}/undangan/hapus";
    meeting_attendees, MEETING_ATTENDEES(slug, id) = "/desa/{slug}/musyawarah/{id}/hadir";
    /// The attendance line this browser just removed, put back.
    meeting_attendee_restore, MEETING_ATTENDEE_RESTORE(slug, id) =
        "/desa/{slug}/musyawarah/{id}/hadir/pulihkan";
    meeting_attendee, MEETING_ATTENDEE(slug, id, line) = "/desa/{slug}/musyawarah/{id}/hadir/{line}";
    meeting_attendee_remove, MEETING_ATTENDEE_REMOVE(slug, id, line) =
        "/desa/{slug}/musyawarah/{id}/hadir/{line}/hapus";
    meeting_agenda, MEETING_AGENDA(slug, id) = "/desa/{slug}/musyawarah/{id}/agenda";
    meeting_agenda_remove, MEETING_AGENDA_REMOVE(slug, id) =
        "/desa/{slug}/musyawarah/{id}/agenda/hapus";
    /// A proposal raised from the floor of a meeting.
    meeting_floor, MEETING_FLOOR(slug, id) = "/desa/{slug}/musyawarah/{id}/usulan";
    meeting_minutes, MEETING_MINUTES(slug, id) = "/desa/{slug}/musyawarah/{id}/uraian";
    meeting_decision, MEETING_DECISION(slug, id) = "/desa/{slug}/musyawarah/{id}/keputusan";
    meeting_status, MEETING_STATUS(slug, id) = "/desa/{slug}/musyawarah/{id}/status";
    meeting_postpone, MEETING_POSTPONE(slug, id) = "/desa/{slug}/musyawarah/{id}/tunda";
    meeting_reschedule, MEETING_RESCHEDULE(slug, id) = "/desa/{slug}/musyawarah/{id}/jadwal-ulang";
    meeting_finalize, MEETING_FINALIZE(slug, id) = "/desa/{slug}/musyawarah/{id}/final";
    meeting_addendum, MEETING_ADDENDUM(slug, id) = "/desa/{slug}/musyawarah/{id}/adendum";
    meeting_scans, MEETING_SCANS(slug, id) = "/desa/{slug}/musyawarah/{id}/pindaian";
    meeting_channel, MEETING_CHANNEL(slug, id) = "/desa/{slug}/musyawarah/{id}/kanal";
    meeting_scan, MEETING_SCAN(slug, id, scan) = "/desa/{slug}/musyawarah/{id}/pindaian/{scan}";
    meeting_scan_remove, MEETING_SCAN_REMOVE(slug, id, scan) = "/desa/{slug}/musyawarah/{id}/pindaian/{scan}/hapus";
    /// Attendees rate a held meeting here, with the code printed on the daftar hadir.
    meeting_rating, MEETING_RATING(slug, id) = "/desa/{slug}/musyawarah/{id}/nilai";
    /// A blank attendance sheet to print, with a QR code to the meeting.
    meeting_blank_sheet, MEETING_BLANK_SHEET(slug, id) =
        "/desa/{slug}/musyawarah/{id}/daftar-hadir-kosong";
    /// The printable invitation letter to one invited group.
    meeting_letter, MEETING_LETTER(slug, id, group) =
        "/desa/{slug}/musyawarah/{id}/surat-undangan/{group}";
    meeting_berita_acara, MEETING_BERITA_ACARA(slug, id) =
        "/desa/{slug}/musyawarah/{id}/berita-acara";
    api_meetings, API_MEETINGS(slug) = "/api/v1/desa/{slug}/musyawarah";
    api_meeting, API_MEETING(slug, id) = "/api/v1/desa/{slug}/musyawarah/{id}";
    /// The seals of a meeting's record (JSON).
    api_meeting_seals, API_MEETING_SEALS(slug, id) = "/api/v1/desa/{slug}/musyawarah/{id}/segel";
    /// What waits for the village's officials and facilitators.
    worklist, WORKLIST(slug) = "/desa/{slug}/tindakan";
    /// The village's residents with accounts, and the sign-ups waiting for confirmation.
    residents, RESIDENTS(slug) = "/desa/{slug}/warga";
    resident_request, RESIDENT_REQUEST(slug, id) = "/desa/{slug}/warga/permintaan/{id}";
    /// A one-time password reset code for a resident, issued by the staff.
    resident_reset_code, RESIDENT_RESET_CODE(slug, user) = "/desa/{slug}/warga/{user}/kode-sandi";
    /// A village's public portal.
    village, VILLAGE(slug) = "/desa/{slug}";
    /// The village's problems and needs (daftar masalah dan kebutuhan).
    needs, NEEDS(slug) = "/desa/{slug}/masalah";
    need, NEED(slug, id) = "/desa/{slug}/masalah/{id}";
    /// A proposal linked to a problem it answers, and taken off it.
    need_proposals, NEED_PROPOSALS(slug, id) = "/desa/{slug}/masalah/{id}/usulan";
    need_proposal_remove, NEED_PROPOSAL_REMOVE(slug, id, number) =
        "/desa/{slug}/masalah/{id}/usulan/{number}/hapus";
    /// A problem's figure measured after the proposal answering it was carried out.
    need_measures, NEED_MEASURES(slug, id) = "/desa/{slug}/masalah/{id}/sesudah";
    /// The village's impact: its problems' figures before and after.
    impact, IMPACT(slug) = "/desa/{slug}/dampak";
    /// Needs surveys: the list (and where one is written), one survey (and where it is
    /// answered), and closing it.
    surveys, SURVEYS(slug) = "/desa/{slug}/survei";
    survey, SURVEY(slug, id) = "/desa/{slug}/survei/{id}";
    survey_close, SURVEY_CLOSE(slug, id) = "/desa/{slug}/survei/{id}/tutup";
    /// The village's cadres and self-starting people (motors of change), and one of them.
    cadres, CADRES(slug) = "/desa/{slug}/penggerak";
    cadre, CADRE(slug, id) = "/desa/{slug}/penggerak/{id}";
    groups, GROUPS(slug) = "/desa/{slug}/kelompok";
    group, GROUP(slug, id) = "/desa/{slug}/kelompok/{id}";
    /// A group's history (mapping question 7): add an entry, take one back.
    group_history, GROUP_HISTORY(slug, id) = "/desa/{slug}/kelompok/{id}/riwayat";
    group_history_remove, GROUP_HISTORY_REMOVE(slug, id, entry) = "/desa/{slug}/kelompok/{id}/riwayat/{entry}/hapus";
    /// An inter-village body's member villages: add one, take one off.
    group_villages, GROUP_VILLAGES(slug, id) = "/desa/{slug}/kelompok/{id}/desa-anggota";
    group_village_remove, GROUP_VILLAGE_REMOVE(slug, id, member) = "/desa/{slug}/kelompok/{id}/desa-anggota/{member}/hapus";
    settings, SETTINGS(slug) = "/desa/{slug}/pengaturan";
    settings_rules, SETTINGS_RULES(slug) = "/desa/{slug}/pengaturan/tata-tertib";
    stats, STATS(slug) = "/desa/{slug}/statistik";
    /// Villages side by side.
    compare, COMPARE() = "/statistik";
    equity, EQUITY(slug) = "/desa/{slug}/pemerataan";
    network, NETWORK(slug) = "/desa/{slug}/jejaring";
    network_remove, NETWORK_REMOVE(slug, id) = "/desa/{slug}/jejaring/{id}/hapus";
    /// A village's plans, and where next year's is opened.
    plans, PLANS(slug) = "/desa/{slug}/rkp";
    /// One year's plan; also its files, `{year}.csv` and `{year}.xlsx`.
    plan, PLAN(slug, year) = "/desa/{slug}/rkp/{year}";
    plan_criteria, PLAN_CRITERIA(slug, year) = "/desa/{slug}/rkp/{year}/kriteria";
    plan_ceilings, PLAN_CEILINGS(slug, year) = "/desa/{slug}/rkp/{year}/pagu";
    plan_amend, PLAN_AMEND(slug, year) = "/desa/{slug}/rkp/{year}/perubahan";
    plan_table, PLAN_TABLE(slug, year) = "/desa/{slug}/rkp/{year}/musrenbangdes";
    plan_untable, PLAN_UNTABLE(slug, year) = "/desa/{slug}/rkp/{year}/musrenbangdes/batal";
    plan_perdes, PLAN_PERDES(slug, year) = "/desa/{slug}/rkp/{year}/perdes";
    plan_evaluation, PLAN_EVALUATION(slug, year) = "/desa/{slug}/rkp/{year}/evaluasi";
    calendar, CALENDAR(slug, year) = "/desa/{slug}/kalender/{year}";
    du_rkp, DU_RKP(slug, year) = "/desa/{slug}/rkp/{year}/du-rkp";
    du_rkp_csv, DU_RKP_CSV(slug, year) = "/desa/{slug}/rkp/{year}/du-rkp.csv";
    du_rkp_answer, DU_RKP_ANSWER(slug, year, number) =
        "/desa/{slug}/rkp/{year}/du-rkp/{number}/jawaban";
    /// The kecamatan's overview of its villages.
    kecamatan, KECAMATAN() = "/kecamatan";
    pagu_indikatif, PAGU_INDIKATIF(slug, year) = "/desa/{slug}/rkp/{year}/pagu-indikatif";
    programmes, PROGRAMMES(slug, year) = "/desa/{slug}/rkp/{year}/program";
    programme_remove, PROGRAMME_REMOVE(slug, year, id) =
        "/desa/{slug}/rkp/{year}/program/{id}/hapus";
    tim, TIM(slug, year) = "/desa/{slug}/rkp/{year}/tim";
    tim_decree, TIM_DECREE(slug, year) = "/desa/{slug}/rkp/{year}/tim/sk";
    rpjm, RPJM(slug) = "/desa/{slug}/rpjm";
    rpjm_new, RPJM_NEW(slug) = "/desa/{slug}/rpjm/baru";
    rpjm_activities, RPJM_ACTIVITIES(slug, start) = "/desa/{slug}/rpjm/{start}/kegiatan";
    rpjm_edit, RPJM_EDIT(slug, start) = "/desa/{slug}/rpjm/{start}/ubah";
    standing, STANDING(slug) = "/desa/{slug}/rkp/tetap";
    standing_item, STANDING_ITEM(slug, id) = "/desa/{slug}/rkp/tetap/{id}";
    standing_remove, STANDING_REMOVE(slug, id) = "/desa/{slug}/rkp/tetap/{id}/hapus";
    /// A village's figures (JSON).
    api_village, API_VILLAGE(slug) = "/api/v1/desa/{slug}";
    api_plan, API_PLAN(slug, year) = "/api/v1/desa/{slug}/rkp/{year}";
    /// The seals of a year's plan (JSON).
    api_plan_seals, API_PLAN_SEALS(slug, year) = "/api/v1/desa/{slug}/rkp/{year}/segel";
    api_proposals, API_PROPOSALS(slug) = "/api/v1/desa/{slug}/usulan";
    api_proposal, API_PROPOSAL(slug, number) = "/api/v1/desa/{slug}/usulan/{number}";

    // The installation's own pages: not a village's.
    /// The installation's home page: every village.
    home, HOME() = "/";
    login, LOGIN() = "/masuk";
    logout, LOGOUT() = "/keluar";
    /// A resident signs up (phone number as the log-in name).
    sign_up, SIGN_UP() = "/daftar";
    /// A new password with the reset code an official gave.
    forgot_password, FORGOT_PASSWORD() = "/lupa-sandi";
    /// Following a proposal with its tracking code.
    track, TRACK() = "/lacak";
    /// A signed-in person's sessions, and where one is ended.
    sessions, SESSIONS() = "/akun/sesi";
    sessions_end, SESSIONS_END() = "/akun/sesi/akhiri";
    /// Checking a berita acara or a plan by its verification code.
    verify, VERIFY() = "/verifikasi";
    verify_keys, VERIFY_KEYS() = "/verifikasi/kunci";
    /// The open data's index (JSON), and its villages.
    api_index, API_INDEX() = "/api/v1";
    api_villages, API_VILLAGES() = "/api/v1/desa";
    /// The installation's signing keys (JSON).
    api_keys, API_KEYS() = "/api/v1/kunci";
    healthz, HEALTHZ() = "/healthz";
    /// The administration: villages, accounts, Dana Desa rules and the Perbup's dates.
    admin, ADMIN() = "/admin";
    admin_villages, ADMIN_VILLAGES() = "/admin/desa";
    admin_village_new, ADMIN_VILLAGE_NEW() = "/admin/desa/baru";
    admin_village, ADMIN_VILLAGE(slug) = "/admin/desa/{slug}";
    admin_accounts, ADMIN_ACCOUNTS() = "/admin/akun";
    admin_account_revoke, ADMIN_ACCOUNT_REVOKE(id) = "/admin/akun/{id}/cabut";
    admin_dana_desa, ADMIN_DANA_DESA() = "/admin/dana-desa";
    admin_dana_desa_remove, ADMIN_DANA_DESA_REMOVE() = "/admin/dana-desa/hapus";
    admin_calendar, ADMIN_CALENDAR() = "/admin/kalender";
    admin_calendar_remove, ADMIN_CALENDAR_REMOVE() = "/admin/kalender/hapus";
}

/// The log-in page, coming back to `next` (a path on this site) afterwards.
pub fn login_then(next: &str) -> String {
    format!(
        "{LOGIN}?next={}",
        form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_path_and_its_pattern_are_one() {
        assert_eq!(super::PROPOSAL, "/desa/{slug}/usulan/{number}");
        assert_eq!(
            super::proposal("majasari", "2026-001"),
            "/desa/majasari/usulan/2026-001"
        );
        assert_eq!(
            super::proposal_hide_feedback("majasari", "2026-001", 7),
            "/desa/majasari/usulan/2026-001/tanggapan/7/sembunyikan"
        );
        assert_eq!(
            super::login_then("/desa/majasari/usulan?status=submitted"),
            "/masuk?next=%2Fdesa%2Fmajasari%2Fusulan%3Fstatus%3Dsubmitted"
        );
    }
}
