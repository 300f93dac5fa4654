//! Meetings (musyawarah): the list, one meeting's page with every form that records it,
//! finalization, addenda, the printable berita acara, public verification and open data.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::auth::ClientIp;
use super::error::{AppError, AppResult, limited};
use super::filters::{clock, long_date};
use super::i18n::Lang;
use super::page::{Ctx, Viewer};
use super::paging::{PageQuery, split_page};
use super::routes::Routes;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::meeting::{
    self, AttendanceForm, DecisionForm, Kind, MajorityRule, MeetingForm, MeetingStatus, Opening,
    Record, RescheduleForm, Summary,
};
use crate::domain::village::Timezone;
use crate::store::groups::GroupSummary;
use crate::store::meetings::{Addendum, Meeting, Parts, record_of};
use crate::store::villages::Village;
use crate::store::{Store, StoreError, now};

pub fn routes() -> Routes {
    let m = "/desa/{slug}/musyawarah/{id}";
    Routes::new()
        .route("/desa/{slug}/musyawarah", get(list).post(create))
        .route(m, get(show))
        .route(&format!("{m}/ubah"), post(edit))
        .route(&format!("{m}/undangan"), post(invite))
        .route(&format!("{m}/undangan/hapus"), post(uninvite))
        .route(&format!("{m}/hadir"), post(add_attendee))
        .route(
            &format!("{m}/hadir/{{line}}"),
            get(attendee_form).post(update_attendee),
        )
        .route(&format!("{m}/hadir/{{line}}/hapus"), post(remove_attendee))
        .route(&format!("{m}/agenda"), post(add_to_agenda))
        .route(&format!("{m}/agenda/hapus"), post(remove_from_agenda))
        .route(&format!("{m}/usulan"), post(floor_proposal))
        .route(&format!("{m}/uraian"), post(minutes))
        .route(&format!("{m}/keputusan"), post(decide))
        .route(&format!("{m}/status"), post(status))
        .route(&format!("{m}/tunda"), post(postpone))
        .route(&format!("{m}/jadwal-ulang"), post(reschedule))
        .route(&format!("{m}/final"), post(finalize))
        .route(&format!("{m}/adendum"), post(addendum))
        .route(&format!("{m}/pindaian"), post(add_scan))
        .route(&format!("{m}/pindaian/{{scan}}"), get(scan_file))
        .route(&format!("{m}/berita-acara"), get(berita_acara))
        .route("/verifikasi", get(verify))
        .route("/api/v1/desa/{slug}/musyawarah", get(api_list))
        .route("/api/v1/desa/{slug}/musyawarah/{id}", get(api_show))
}

pub const PER_PAGE: i64 = 20;
/// Verification look-ups allowed from one address within ten minutes.
pub const VERIFICATIONS_PER_10_MINUTES: i64 = 30;

fn tz_of(village: &Village) -> Timezone {
    Timezone::parse(&village.timezone).unwrap_or_default()
}

/// The value of an `<input type=datetime-local>` for a stored instant.
fn local_input(at: &DateTime<Utc>, village: &Village) -> String {
    at.with_timezone(&tz_of(village).tz())
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

// ---------- the list ----------

#[derive(Template, WebTemplate)]
#[template(path = "meetings/list.html")]
struct ListPage {
    ctx: Ctx,
    village: Village,
    meetings: Vec<Meeting>,
    page: i64,
    has_next: bool,
    may_record: bool,
    form: MeetingForm,
    errors: FieldErrors,
}

impl ListPage {
    fn kinds(&self) -> &'static [Kind] {
        Kind::ALL
    }
    fn date(&self, m: &Meeting) -> String {
        format!(
            "{} · {}",
            long_date(self.ctx.lang, &m.scheduled_at, &self.village.timezone),
            clock(&m.scheduled_at, &self.village.timezone)
        )
    }
}

async fn list_page(
    store: &Store,
    ctx: Ctx,
    village: Village,
    page: i64,
    form: MeetingForm,
    errors: FieldErrors,
) -> AppResult<ListPage> {
    let rows = store
        .list_meetings(village.id, PER_PAGE + 1, (page - 1) * PER_PAGE)
        .await?;
    let (meetings, has_next) = split_page(rows, PER_PAGE);
    let may_record = ctx.may(Action::RecordMeetings, Some(village.id));
    Ok(ListPage {
        ctx,
        village,
        meetings,
        page,
        has_next,
        may_record,
        form,
        errors,
    })
}

async fn list(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<ListPage> {
    let village = store.village_by_slug(&slug).await?;
    let form = MeetingForm::default();
    list_page(&store, ctx, village, q.number(), form, FieldErrors::new()).await
}

async fn create(
    State(store): State<Store>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let village = store.village_by_slug(&slug).await?;
    let actor = ctx.authorize(Action::RecordMeetings, Some(village.id))?.id;
    let checked = match form.validate(tz_of(&village).tz(), &village.tata_tertib()) {
        Ok(m) => m,
        Err(errors) => {
            let page = list_page(&store, ctx, village, 1, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let id = store.create_meeting(village.id, &checked, actor).await?;
    ctx.flash("meeting.created").await?;
    Ok(Redirect::to(&format!("/desa/{slug}/musyawarah/{id}")).into_response())
}

// ---------- one meeting ----------

/// Which form on the meeting page a 422 belongs to, so its messages stand beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    #[default]
    None,
    Facts,
    Invite,
    Attendance,
    Agenda,
    Minutes,
    Decision,
    Finalize,
    Addendum,
    Removal,
    Floor,
    Opening,
    Scan,
}

/// What was typed in the form that failed, kept for the page drawn again.
#[derive(Debug, Default)]
struct Typed {
    section: Section,
    errors: FieldErrors,
    facts: Option<MeetingForm>,
    attendee: AttendanceForm,
    /// Agenda, minutes or decision: the proposal number the form was about.
    number: String,
    minutes: String,
    decision: DecisionForm,
    text: String,
    floor: crate::domain::proposal::ProposalForm,
    reschedule: RescheduleForm,
}

impl Typed {
    /// The page again with `errors` beside the form of `section`.
    fn on(section: Section, errors: FieldErrors) -> Typed {
        Typed {
            section,
            errors,
            ..Typed::default()
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/show.html")]
struct ShowPage {
    ctx: Ctx,
    village: Village,
    m: Meeting,
    record: Record,
    summary: Summary,
    /// Ids of the attendance lines in the order of `record.attendance` (open meetings only).
    line_ids: Vec<Uuid>,
    groups: Vec<GroupSummary>,
    candidates: Vec<(String, String)>,
    addenda: Vec<Addendum>,
    typed: Typed,
    facts: MeetingForm,
    seal_problems: Vec<&'static str>,
    seal_key: Option<String>,
    opening: Opening,
    scans: Vec<crate::store::scans::Scan>,
}

impl ShowPage {
    fn scan_action(&self) -> String {
        format!(
            "/desa/{}/musyawarah/{}/pindaian?csrf_token={}&{}={}",
            self.village.slug,
            self.m.id,
            self.ctx.csrf,
            super::csrf::ONCE_FIELD,
            self.ctx.once()
        )
    }
    fn file_kind(&self, content_type: &str) -> &'static str {
        match content_type {
            "application/pdf" => "PDF",
            "image/png" => "PNG",
            _ => "JPEG",
        }
    }
    fn kilobytes(&self, size: &i64) -> i64 {
        (*size + 1023) / 1024
    }
    fn short_hash(&self, sha: &str) -> String {
        sha.chars().take(16).collect()
    }
    /// The opening as the page states it: its message key.
    fn opening_key(&self) -> String {
        format!("opening.{}", self.opening.code())
    }
    fn opened(&self) -> bool {
        self.opening.opened()
    }
    fn may_postpone(&self) -> bool {
        let status = MeetingStatus::parse(&self.m.status).unwrap_or(MeetingStatus::Planned);
        self.may_record() && meeting::may_postpone(status, self.opening).is_ok()
    }
    fn may_reschedule(&self) -> bool {
        let status = MeetingStatus::parse(&self.m.status).unwrap_or(MeetingStatus::Planned);
        self.may_record() && meeting::may_reschedule(status, self.opening).is_ok()
    }
    fn needs_quorum(&self) -> bool {
        meeting::needs_quorum(Kind::parse(&self.m.kind).unwrap_or(Kind::Lainnya))
    }
    fn did_not_take_place(&self) -> bool {
        meeting::did_not_take_place(&self.record)
    }
    fn may_record(&self) -> bool {
        !self.m.is_finalized() && self.ctx.may(Action::RecordMeetings, Some(self.village.id))
    }
    fn may_finalize(&self) -> bool {
        !self.m.is_finalized()
            && self
                .ctx
                .may(Action::FinalizeMeetings, Some(self.village.id))
    }
    fn bidang(&self) -> [crate::domain::proposal::Bidang; 5] {
        crate::domain::proposal::Bidang::ALL
    }
    /// What was typed in the floor-proposal form's text field `name`.
    fn floor_value(&self, name: &str) -> &str {
        let f = &self.typed.floor;
        match name {
            "title" => &f.title,
            "problem" => &f.problem,
            "proposer_name" => &f.proposer_name,
            _ => "",
        }
    }
    /// The decisions this kind of meeting may take (their codes), as the form offers them.
    fn decisions(&self) -> Vec<&'static str> {
        let kind = Kind::parse(&self.m.kind).unwrap_or(Kind::Lainnya);
        meeting::decisions_for(kind)
            .iter()
            .map(|d| d.code())
            .collect()
    }
    fn time_has_come(&self) -> bool {
        self.m.scheduled_at <= now()
    }
    fn may_add_addendum(&self) -> bool {
        self.m.is_finalized() && self.ctx.may(Action::RecordMeetings, Some(self.village.id))
    }
    fn err(&self, section: Section, field: &str) -> Option<&'static str> {
        (self.typed.section == section)
            .then(|| self.typed.errors.get(field))
            .flatten()
    }
    fn errors_in(&self, section: Section) -> Vec<&'static str> {
        if self.typed.section == section {
            self.typed.errors.iter().map(|(_, m)| m).collect()
        } else {
            Vec::new()
        }
    }
    fn date(&self) -> String {
        long_date(self.ctx.lang, &self.m.scheduled_at, &self.village.timezone)
    }
    fn time(&self) -> String {
        clock(&self.m.scheduled_at, &self.village.timezone)
    }
    fn when(&self, at: &DateTime<Utc>) -> String {
        super::filters::local_time(at, &self.village.timezone)
    }
    fn line_id(&self, index: &usize) -> Option<Uuid> {
        self.line_ids.get(*index).copied()
    }
    fn uninvited(&self) -> Vec<&GroupSummary> {
        self.groups
            .iter()
            .filter(|g| !self.record.invited_groups.iter().any(|i| i.id == g.id))
            .collect()
    }
    /// Vulnerable groups of the village nobody invited: a prompt, not an error.
    fn vulnerable_not_invited(&self) -> Vec<&GroupSummary> {
        self.uninvited()
            .into_iter()
            .filter(|g| g.vulnerable)
            .collect()
    }
    fn kinds(&self) -> &'static [Kind] {
        Kind::ALL
    }
    fn typed_number_is(&self, section: Section, number: &str) -> bool {
        self.typed.section == section && self.typed.number == number
    }
    fn code(&self) -> String {
        self.m
            .verification_code
            .as_deref()
            .map(meeting::display_code)
            .unwrap_or_default()
    }
    /// Errors of a decision form about a proposal that is not on the agenda (so no item's
    /// form can show them).
    fn decision_orphan_errors(&self) -> Vec<&'static str> {
        let known = self
            .record
            .agenda
            .iter()
            .any(|i| i.number == self.typed.number);
        if known {
            Vec::new()
        } else {
            let mut all = self.errors_in(Section::Decision);
            all.extend(self.errors_in(Section::Removal));
            all
        }
    }
    fn facts_errors(&self) -> FieldErrors {
        if self.typed.section == Section::Facts {
            self.typed.errors.clone()
        } else {
            FieldErrors::new()
        }
    }
    fn attendee_form(&self) -> &AttendanceForm {
        &self.typed.attendee
    }
}

/// The village and meeting named in the path; 404 for either unknown, or a meeting of
/// another village.
async fn load(store: &Store, slug: &str, id: &str) -> AppResult<(Village, Meeting)> {
    let village = store.village_by_slug(slug).await?;
    let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let m = store.meeting(village.id, id).await?;
    Ok((village, m))
}

/// The record as it stands: frozen for a finalized meeting, live for an open one.
async fn current_record(
    store: &Store,
    village: &Village,
    m: &Meeting,
) -> AppResult<(Record, Option<Parts>)> {
    if m.is_finalized() {
        let (_, record) = store.frozen_record(m.id).await?;
        Ok((record, None))
    } else {
        let parts = store.meeting_parts(m.id).await?;
        Ok((record_of(village, m, &parts), Some(parts)))
    }
}

fn facts_form(m: &Meeting, village: &Village) -> MeetingForm {
    MeetingForm {
        kind: m.kind.clone(),
        title: m.title.clone(),
        scheduled_at: local_input(&m.scheduled_at, village),
        place: m.place.clone(),
        chair: m.chair.clone().unwrap_or_default(),
        note_taker: m.note_taker.clone().unwrap_or_default(),
        invited_count: m.invited_count.map(|n| n.to_string()).unwrap_or_default(),
        quorum_rule: m.quorum_rule.clone(),
        representative: m.representative.clone().unwrap_or_default(),
        version: m.version.to_string(),
    }
}

async fn page(
    store: &Store,
    mut ctx: Ctx,
    village: Village,
    m: Meeting,
    mut typed: Typed,
) -> AppResult<ShowPage> {
    let (record, parts) = current_record(store, &village, &m).await?;
    let summary = meeting::summarize(&record);
    let opening = meeting::stated_opening(&record, &summary);
    let staff = ctx.may(Action::RecordMeetings, Some(village.id));
    let (groups, candidates) = if staff && !m.is_finalized() {
        (
            store.list_groups(village.id).await?,
            store.agenda_candidates(village.id, m.id, 200).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let addenda = store.addenda(m.id).await?;
    let scans = if m.is_finalized() {
        store.scans(m.id).await?
    } else {
        Vec::new()
    };
    let (seal_problems, seal_key) = seal_view(store, &m).await?;
    if ctx.viewer.is_some() {
        ctx.ensure_csrf().await?;
    }
    let facts = typed
        .facts
        .take()
        .unwrap_or_else(|| facts_form(&m, &village));
    Ok(ShowPage {
        ctx,
        line_ids: parts
            .map(|p| p.attendance.iter().map(|a| a.id).collect())
            .unwrap_or_default(),
        village,
        m,
        record,
        summary,
        groups,
        candidates,
        addenda,
        typed,
        facts,
        seal_problems,
        seal_key,
        opening,
        scans,
    })
}

/// What a page showing a meeting's sealed content says of its seal: the problems' message
/// keys (none when it holds) and the signing key's fingerprint. Nothing for an open meeting.
pub(super) async fn seal_view(
    store: &Store,
    m: &Meeting,
) -> AppResult<(Vec<&'static str>, Option<String>)> {
    if !m.is_finalized() {
        return Ok((Vec::new(), None));
    }
    let seals = store.check_meeting_seals(m.id).await?;
    Ok(seal_summary(&seals.problems(), seals.key_id()))
}

/// A seal's problems as message keys, and its key as a printed fingerprint.
pub(super) fn seal_summary(
    problems: &[crate::domain::seal::Problem],
    key: Option<&str>,
) -> (Vec<&'static str>, Option<String>) {
    (
        problems.iter().map(|p| p.key()).collect(),
        key.map(crate::domain::seal::PublicKey::fingerprint),
    )
}

async fn show(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<ShowPage> {
    let (village, m) = load(&store, &slug, &id).await?;
    page(&store, ctx, village, m, Typed::default()).await
}

/// The page again with the form's mistakes: 422, nothing stored.
async fn invalid(
    store: &Store,
    ctx: Ctx,
    village: Village,
    m: Meeting,
    typed: Typed,
) -> AppResult<Response> {
    let page = page(store, ctx, village, m, typed).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// A step asked out of its turn (held before its time, finalized before held): 409 with
/// the page and the reason beside the status section.
async fn out_of_turn(
    store: &Store,
    ctx: Ctx,
    village: Village,
    m: Meeting,
    reason: &'static str,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    errors.add("status", reason);
    let page = page(store, ctx, village, m, Typed::on(Section::Finalize, errors)).await?;
    Ok((StatusCode::CONFLICT, page).into_response())
}

/// Loads the meeting and checks that it is open and that this person may record in it.
/// A finalized meeting answers 409 to anyone first: its record is closed, whoever asks.
async fn open_for_recording(
    store: &Store,
    ctx: &Ctx,
    slug: &str,
    id: &str,
) -> AppResult<(Village, Meeting, Viewer)> {
    let (village, m) = load(store, slug, id).await?;
    // A finalized or rescheduled meeting's record is closed, whoever asks.
    if m.is_finalized() || m.rescheduled_to.is_some() {
        return Err(AppError::Conflict);
    }
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    Ok((village, m, viewer))
}

fn back(slug: &str, m: &Meeting, anchor: &str) -> Response {
    Redirect::to(&format!("/desa/{slug}/musyawarah/{}#{anchor}", m.id)).into_response()
}

async fn edit(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<MeetingForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let version = form
        .version
        .trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest)?;
    let checked = match form.validate(tz_of(&village).tz(), &village.tata_tertib()) {
        Ok(c) => c,
        Err(errors) => {
            let typed = Typed {
                facts: Some(form),
                ..Typed::on(Section::Facts, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    match store.update_meeting(&m, version, &checked, viewer.id).await {
        Ok(()) => {
            ctx.flash("meeting.saved").await?;
            Ok(back(&slug, &m, "fakta"))
        }
        Err(StoreError::Stale) => {
            let current = store.meeting(village.id, m.id).await?;
            let mut errors = FieldErrors::new();
            errors.add("title", "error.stale");
            let typed = Typed::on(Section::Facts, errors);
            let page = page(&store, ctx, village, current, typed).await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct GroupField {
    group: String,
}

async fn invite(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<GroupField>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let groups = store.group_ids(village.id).await?;
    let group = form
        .group
        .trim()
        .parse::<Uuid>()
        .ok()
        .filter(|g| groups.contains(g));
    let Some(group) = group else {
        let mut errors = FieldErrors::new();
        errors.add("group", "error.choose_from_list");
        let typed = Typed::on(Section::Invite, errors);
        return invalid(&store, ctx, village, m, typed).await;
    };
    store.invite(&m, group, viewer.id).await?;
    ctx.flash("meeting.invited").await?;
    Ok(back(&slug, &m, "undangan"))
}

async fn uninvite(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<GroupField>,
) -> AppResult<Response> {
    let (_, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let group = form
        .group
        .trim()
        .parse::<Uuid>()
        .map_err(|_| AppError::NotFound)?;
    store.uninvite(&m, group, viewer.id).await?;
    ctx.flash("meeting.uninvited").await?;
    Ok(back(&slug, &m, "undangan"))
}

async fn add_attendee(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<AttendanceForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let groups = store.group_ids(village.id).await?;
    let checked = match form.validate(&groups, &village.hamlets) {
        Ok(a) => a,
        Err(errors) => {
            let typed = Typed {
                attendee: form,
                ..Typed::on(Section::Attendance, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    store.add_attendee(&m, &checked, viewer.id).await?;
    ctx.flash("meeting.attendee_added").await?;
    // Back to the form, ready for the next name.
    Ok(back(&slug, &m, "hadir"))
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/attendee.html")]
struct AttendeePage {
    ctx: Ctx,
    village: Village,
    m: Meeting,
    line: Uuid,
    form: AttendanceForm,
    errors: FieldErrors,
    groups: Vec<GroupSummary>,
}

async fn attendee_page(
    store: &Store,
    ctx: Ctx,
    village: Village,
    m: Meeting,
    line: Uuid,
    form: AttendanceForm,
    errors: FieldErrors,
) -> AppResult<AttendeePage> {
    let groups = store.list_groups(village.id).await?;
    Ok(AttendeePage {
        ctx,
        village,
        m,
        line,
        form,
        errors,
        groups,
    })
}

async fn attendee_form(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id, line)): Path<(String, String, String)>,
) -> AppResult<AttendeePage> {
    let (village, m, _) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let line = line.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let parts = store.meeting_parts(m.id).await?;
    let a = parts
        .attendance
        .into_iter()
        .find(|a| a.id == line)
        .ok_or(AppError::NotFound)?;
    let form = AttendanceForm {
        name: a.name,
        gender: a.gender,
        group: a.group_id.map(|g| g.to_string()).unwrap_or_default(),
        role: a.role.unwrap_or_default(),
        dusun: a.hamlet.unwrap_or_default(),
        voter: if a.voter { "1" } else { "0" }.into(),
    };
    attendee_page(&store, ctx, village, m, line, form, FieldErrors::new()).await
}

async fn update_attendee(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id, line)): Path<(String, String, String)>,
    Form(form): Form<AttendanceForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let line = line.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let groups = store.group_ids(village.id).await?;
    let checked = match form.validate(&groups, &village.hamlets) {
        Ok(a) => a,
        Err(errors) => {
            let page = attendee_page(&store, ctx, village, m, line, form, errors).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    store.update_attendee(&m, line, &checked, viewer.id).await?;
    ctx.flash("meeting.attendee_saved").await?;
    Ok(back(&slug, &m, "daftar-hadir"))
}

async fn remove_attendee(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id, line)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let (_, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let line = line.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    store.remove_attendee(&m, line, viewer.id).await?;
    ctx.flash("meeting.attendee_removed").await?;
    Ok(back(&slug, &m, "daftar-hadir"))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ProposalField {
    proposal: String,
    minutes: String,
}

async fn add_to_agenda(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<ProposalField>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let number = form.proposal.trim().to_string();
    let found = match store.proposal_by_number(village.id, &number).await {
        Ok(p) => Some(p),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    let mut errors = FieldErrors::new();
    match &found {
        None => errors.add("proposal", "error.unknown_proposal"),
        Some(p)
            if !crate::domain::proposal::Status::parse(&p.status)
                .is_some_and(meeting::may_put_on_agenda) =>
        {
            errors.add("proposal", "error.agenda_status")
        }
        Some(_) => {}
    }
    let Some(p) = found.filter(|_| errors.is_empty()) else {
        let typed = Typed {
            number,
            ..Typed::on(Section::Agenda, errors)
        };
        return invalid(&store, ctx, village, m, typed).await;
    };
    match store.add_to_agenda(&m, p.id, viewer.id, &viewer.name).await {
        Ok(()) => {
            ctx.flash("meeting.agenda_added").await?;
            Ok(back(&slug, &m, "agenda"))
        }
        // Its status changed since it was read, or it stands in an adopted plan: say so.
        Err(e @ (StoreError::Stale | StoreError::OutOfTurn(_))) => {
            let mut errors = FieldErrors::new();
            let reason = match e {
                StoreError::OutOfTurn(reason) => reason,
                _ => "error.agenda_status",
            };
            errors.add("proposal", reason);
            let typed = Typed {
                number,
                ..Typed::on(Section::Agenda, errors)
            };
            invalid(&store, ctx, village, m, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The agenda item a form names, or 422 on that form.
async fn agenda_item(
    store: &Store,
    m: &Meeting,
    number: &str,
) -> AppResult<Option<crate::store::meetings::AgendaItem>> {
    let parts = store.meeting_parts(m.id).await?;
    Ok(parts.agenda.into_iter().find(|i| i.number == number.trim()))
}

/// A proposal raised from the floor: entered on behalf of its proposer, with the channel
/// `musyawarah`, and put straight onto this meeting's agenda.
async fn floor_proposal(
    State(store): State<Store>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Path((slug, id)): Path<(String, String)>,
    Form(mut form): Form<crate::domain::proposal::ProposalForm>,
) -> AppResult<Response> {
    use crate::domain::proposal::Submitter;
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    form.channel = "musyawarah".into();
    let checked = match form.validate(&village.hamlets, Submitter::OnBehalf) {
        Ok(p) => p,
        Err(errors) => {
            let typed = Typed {
                floor: form,
                ..Typed::on(Section::Floor, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    let submission = crate::store::proposals::Submission {
        proposal: &checked,
        status: crate::domain::proposal::Status::Submitted.code(),
        proposer_user: None,
        proposer_name: checked.proposer_name.clone().unwrap_or_default(),
        entered_by: Some(viewer.id),
        entered_by_name: Some(viewer.name.clone()),
        submitted_from: ip,
        year: crate::store::proposals::current_year(tz_of(&village).tz()),
    };
    let number = store.create_proposal(village.id, &submission).await?;
    let p = store
        .proposal_by_number(village.id, &number.to_string())
        .await?;
    store
        .add_to_agenda(&m, p.id, viewer.id, &viewer.name)
        .await?;
    ctx.flash("meeting.floor_added").await?;
    Ok(back(&slug, &m, &format!("butir-{}", p.number)))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RemovalForm {
    proposal: String,
    reason: String,
}

/// Takes an item off the agenda before finalization, with its reason on the record.
async fn remove_from_agenda(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<RemovalForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let parts = store.meeting_parts(m.id).await?;
    let number = form.proposal.trim().to_string();
    let item = parts.agenda.iter().find(|i| i.number == number);
    let reason = meeting::removal_reason(&form.reason);
    if let (Some(item), Ok(reason)) = (item, &reason) {
        store
            .remove_from_agenda(&m, item.proposal_id, reason, viewer.id, &viewer.name)
            .await?;
        ctx.flash("meeting.item_removed").await?;
        return Ok(back(&slug, &m, "agenda"));
    }
    let mut errors = reason.err().unwrap_or_default();
    if item.is_none() {
        errors.add("proposal", "error.not_on_agenda");
    }
    let typed = Typed {
        number,
        text: form.reason,
        ..Typed::on(Section::Removal, errors)
    };
    invalid(&store, ctx, village, m, typed).await
}

async fn minutes(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<ProposalField>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let item = agenda_item(&store, &m, &form.proposal).await?;
    let checked = meeting::check_minutes(&form.minutes);
    let (Some(item), Ok(text)) = (&item, &checked) else {
        let mut errors = checked.err().unwrap_or_default();
        if item.is_none() {
            errors.add("proposal", "error.not_on_agenda");
        }
        let typed = Typed {
            section: Section::Minutes,
            errors,
            number: form.proposal.trim().to_string(),
            minutes: form.minutes,
            ..Typed::default()
        };
        return invalid(&store, ctx, village, m, typed).await;
    };
    store
        .set_minutes(&m, item.proposal_id, text.as_deref(), viewer.id)
        .await?;
    ctx.flash("meeting.minutes_saved").await?;
    Ok(back(&slug, &m, &format!("butir-{}", item.number)))
}

async fn decide(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let parts = store.meeting_parts(m.id).await?;
    let agenda: Vec<String> = parts.agenda.iter().map(|i| i.number.clone()).collect();
    let record = record_of(&village, &m, &parts);
    let summary = meeting::summarize(&record);
    if !meeting::opening(&record, &summary).opened() {
        return out_of_turn(&store, ctx, village, m, "error.meeting_not_open").await;
    }
    let kind = Kind::parse(&m.kind).unwrap_or(Kind::Lainnya);
    let majority = MajorityRule::parse(&m.majority_rule).unwrap_or(MajorityRule::Half);
    let checked = match form.validate(kind, &agenda, summary.voters, majority) {
        Ok(d) => d,
        Err(errors) => {
            let typed = Typed {
                section: Section::Decision,
                errors,
                number: form.proposal.trim().to_string(),
                decision: form,
                ..Typed::default()
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    let item = parts
        .agenda
        .iter()
        .find(|i| i.number == checked.number)
        .ok_or(AppError::NotFound)?;
    match store
        .decide(&m, item.proposal_id, &checked, viewer.id)
        .await
    {
        Ok(()) => {}
        Err(StoreError::OutOfTurn(reason)) => {
            return out_of_turn(&store, ctx, village, m, reason).await;
        }
        Err(e) => return Err(e.into()),
    }
    ctx.flash("meeting.decided").await?;
    Ok(back(&slug, &m, &format!("butir-{}", item.number)))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct StatusField {
    status: String,
}

async fn status(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<StatusField>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    if MeetingStatus::parse(&form.status) != Some(MeetingStatus::Held) {
        let mut errors = FieldErrors::new();
        errors.add("status", "error.meeting_status");
        let typed = Typed::on(Section::Finalize, errors);
        return invalid(&store, ctx, village, m, typed).await;
    }
    let current = MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned);
    if let Err(reason) = meeting::may_mark_held(current, m.scheduled_at, now()) {
        return out_of_turn(&store, ctx, village, m, reason).await;
    }
    store.mark_held(&m, viewer.id).await?;
    ctx.flash("meeting.marked_held").await?;
    Ok(back(&slug, &m, "status"))
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct PostponeForm {
    note: String,
}

/// The quorum did not come: the opening is postponed, with the time and why.
async fn postpone(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<PostponeForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let note = match meeting::postpone_note(&form.note) {
        Ok(n) => n,
        Err(errors) => {
            let typed = Typed {
                text: form.note,
                ..Typed::on(Section::Opening, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    match store
        .postpone_meeting(&village, &m, &note, viewer.id, &viewer.name)
        .await
    {
        Ok(()) => {
            ctx.flash("meeting.postponed").await?;
            Ok(back(&slug, &m, "pembukaan"))
        }
        Err(StoreError::OutOfTurn(reason)) => out_of_turn(&store, ctx, village, m, reason).await,
        Err(e) => Err(e.into()),
    }
}

/// A postponed meeting moves to a new date and place: 303 to the new meeting.
async fn reschedule(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<RescheduleForm>,
) -> AppResult<Response> {
    let (village, m, viewer) = open_for_recording(&store, &ctx, &slug, &id).await?;
    let (at, place) = match form.validate(tz_of(&village).tz(), now()) {
        Ok(checked) => checked,
        Err(errors) => {
            let typed = Typed {
                reschedule: form,
                ..Typed::on(Section::Opening, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    match store
        .reschedule_meeting(&village, &m, at, &place, viewer.id, &viewer.name)
        .await
    {
        Ok(new) => {
            ctx.flash("meeting.rescheduled").await?;
            Ok(Redirect::to(&format!("/desa/{slug}/musyawarah/{new}")).into_response())
        }
        Err(StoreError::OutOfTurn(reason)) => out_of_turn(&store, ctx, village, m, reason).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct FinalizeForm {
    quorum_note: String,
}

async fn finalize(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<FinalizeForm>,
) -> AppResult<Response> {
    let (village, m) = load(&store, &slug, &id).await?;
    if m.is_finalized() {
        return Err(AppError::Conflict);
    }
    let viewer = ctx
        .authorize(Action::FinalizeMeetings, Some(village.id))?
        .clone();
    let current = MeetingStatus::parse(&m.status).unwrap_or(MeetingStatus::Planned);
    if let Err(reason) = meeting::may_finalize(current) {
        return out_of_turn(&store, ctx, village, m, reason).await;
    }
    match store
        .finalize_meeting(&village, m.id, &form.quorum_note, viewer.id, &viewer.name)
        .await
    {
        Ok(_) => {
            climb_accepted(&store, &village, &m).await?;
            ctx.flash("meeting.finalized").await?;
            Ok(back(&slug, &m, "status"))
        }
        Err(StoreError::Invalid(errors)) => {
            let typed = Typed {
                text: form.quorum_note,
                ..Typed::on(Section::Finalize, errors)
            };
            invalid(&store, ctx, village, m, typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Under the village's automatic setting, each proposal a finalized Musdes accepted climbs
/// to `empower` where all its evidence holds.
async fn climb_accepted(store: &Store, village: &Village, m: &Meeting) -> AppResult<()> {
    let decides = matches!(
        Kind::parse(&m.kind),
        Some(Kind::Musdes | Kind::Musrenbangdes)
    );
    if !village.auto_empower || !decides {
        return Ok(());
    }
    let (_, record) = store.frozen_record(m.id).await?;
    let accepted = record.agenda.iter().filter(|i| {
        i.decision
            .as_ref()
            .is_some_and(|d| d.decision == meeting::Decision::Accepted.code())
    });
    for item in accepted {
        let p = store.proposal_by_number(village.id, &item.number).await?;
        store.auto_climb(village, &p).await?;
    }
    Ok(())
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct AddendumForm {
    body: String,
}

async fn addendum(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<AddendumForm>,
) -> AppResult<Response> {
    let (village, m) = load(&store, &slug, &id).await?;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    // Before finalization the record itself is corrected, not annexed.
    if !m.is_finalized() {
        return Err(AppError::Conflict);
    }
    let body = match meeting::check_addendum(&form.body) {
        Ok(b) => b,
        Err(errors) => {
            let typed = Typed {
                text: form.body,
                ..Typed::on(Section::Addendum, errors)
            };
            return invalid(&store, ctx, village, m, typed).await;
        }
    };
    store
        .add_addendum(&m, &body, viewer.id, &viewer.name)
        .await?;
    ctx.flash("meeting.addendum_added").await?;
    Ok(back(&slug, &m, "adendum"))
}

/// A scan of the signed paper (`multipart/form-data`: `label`, `file`), after finalization.
async fn add_scan(
    State(store): State<Store>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> AppResult<Response> {
    let (village, m) = load(&store, &slug, &id).await?;
    let viewer = ctx
        .authorize(Action::RecordMeetings, Some(village.id))?
        .clone();
    // Who may attach is settled before the body is looked at.
    let mut multipart = multipart.map_err(|_| AppError::BadRequest)?;
    if !m.is_finalized() {
        return Err(AppError::Conflict);
    }
    let mut label = String::new();
    let mut file = axum::body::Bytes::new();
    while let Some(field) = multipart.next_field().await? {
        match field.name() {
            Some("label") => label = String::from_utf8_lossy(&field.bytes().await?).into_owned(),
            Some("file") => file = field.bytes().await?,
            _ => {}
        }
    }
    let mut errors = FieldErrors::new();
    let label = meeting::ScanLabel::parse(&label);
    if label.is_none() {
        errors.add("label", "error.choose_from_list");
    }
    let cleaned = if file.is_empty() || meeting::is_pdf(&file) {
        meeting::check_pdf(&file).map(|()| ("application/pdf", file.to_vec()))
    } else {
        // Neither a PDF nor a photo: say so in the scan's words.
        super::upload::clean_photo(file)
            .await?
            .map_err(|m| match m {
                "error.photo_type" => "error.scan_type",
                other => other,
            })
    };
    let (content_type, bytes) = match (cleaned, label) {
        (Ok(c), Some(_)) => c,
        (cleaned, _) => {
            if let Err(message) = cleaned {
                errors.add("file", message);
            }
            return invalid(&store, ctx, village, m, Typed::on(Section::Scan, errors)).await;
        }
    };
    let label = label.unwrap_or(meeting::ScanLabel::BeritaAcara);
    store
        .add_scan(&m, label, content_type, &bytes, viewer.id, &viewer.name)
        .await?;
    ctx.flash("meeting.scan_added").await?;
    Ok(back(&slug, &m, "pindaian"))
}

/// A scan as it was sealed; one whose bytes no longer match its seal is not served (409).
async fn scan_file(
    State(store): State<Store>,
    Path((slug, id, scan)): Path<(String, String, String)>,
) -> AppResult<Response> {
    let (_, m) = load(&store, &slug, &id).await?;
    let scan = scan.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
    let (content_type, bytes, intact) = store.scan_file(m.id, scan).await?;
    if !intact {
        return Err(AppError::Conflict);
    }
    let disposition = if content_type == "application/pdf" {
        format!("attachment; filename=\"pindaian-{scan}.pdf\"")
    } else {
        "inline".to_string()
    };
    let headers = [
        (axum::http::header::CONTENT_TYPE, content_type),
        (axum::http::header::CONTENT_DISPOSITION, disposition),
        (
            axum::http::header::CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_string(),
        ),
    ];
    Ok((headers, bytes).into_response())
}

// ---------- the berita acara ----------

#[derive(Template, WebTemplate)]
#[template(path = "meetings/berita_acara.html")]
struct BeritaAcara {
    ctx: Ctx,
    village_slug: String,
    m: Meeting,
    record: Record,
    summary: Summary,
    addenda: Vec<Addendum>,
    seal_problems: Vec<&'static str>,
    seal_key: Option<String>,
    /// The full address of this record's verification page, when the installation's public
    /// address is configured, and its QR code (inline SVG).
    verify_url: Option<String>,
    qr: Option<String>,
}

impl BeritaAcara {
    /// `Majasari, 3 Desember 2026`: where and when the document was made.
    fn place_date(&self) -> String {
        let long = long_date(
            Lang::Id,
            &self.record.scheduled_at,
            &self.record.village.timezone,
        );
        let date = long.split_once(", ").map_or(long.as_str(), |(_, d)| d);
        format!("{}, {date}", self.record.village.name)
    }
    fn decision_words(&self, d: &meeting::RecordDecision) -> String {
        meeting::decision_words(d)
    }
    fn opening_key(&self) -> String {
        format!(
            "ba.opening.{}",
            meeting::stated_opening(&self.record, &self.summary).code()
        )
    }
    fn did_not_take_place(&self) -> bool {
        !meeting::stated_opening(&self.record, &self.summary).opened()
    }
    fn date(&self) -> String {
        long_date(
            Lang::Id,
            &self.record.scheduled_at,
            &self.record.village.timezone,
        )
    }
    fn time(&self) -> String {
        clock(&self.record.scheduled_at, &self.record.village.timezone)
    }
    fn code(&self) -> String {
        self.m
            .verification_code
            .as_deref()
            .map(meeting::display_code)
            .unwrap_or_default()
    }
    fn when(&self, at: &DateTime<Utc>) -> String {
        super::filters::local_time(at, &self.record.village.timezone)
    }
    fn kind_title(&self) -> &'static str {
        self.ctx.tk("meeting_kind_formal", &self.record.kind)
    }
}

/// A QR code of `text` as an inline SVG element (no XML prolog), black on white, with
/// its quiet zone; `None` if the text is too long for a QR code.
fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    svg.find("<svg").map(|at| svg[at..].to_string())
}

/// The formal document, always in Bahasa Indonesia; a draft until finalized.
async fn berita_acara(
    State(store): State<Store>,
    State(config): State<std::sync::Arc<crate::config::Config>>,
    mut ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<BeritaAcara> {
    let (village, m) = load(&store, &slug, &id).await?;
    let (record, _) = current_record(&store, &village, &m).await?;
    let summary = meeting::summarize(&record);
    let addenda = store.addenda(m.id).await?;
    let (seal_problems, seal_key) = seal_view(&store, &m).await?;
    ctx.lang = Lang::Id;
    let verify_url = match (&config.public_url, &m.verification_code) {
        (Some(base), Some(code)) => Some(format!(
            "{base}/verifikasi?kode={}",
            meeting::display_code(code)
        )),
        _ => None,
    };
    let qr = verify_url.as_deref().and_then(qr_svg);
    Ok(BeritaAcara {
        ctx,
        village_slug: slug,
        m,
        record,
        summary,
        addenda,
        seal_problems,
        seal_key,
        verify_url,
        qr,
    })
}

// ---------- verification ----------

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct VerifyQuery {
    kode: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/verify.html")]
struct VerifyPage {
    ctx: Ctx,
    kode: String,
    /// `None` before a code is asked; then found or not.
    found: Option<Option<Found>>,
}

struct Found {
    slug: String,
    m: Meeting,
    record: Record,
    summary: Summary,
    intact: bool,
    addenda: Vec<Addendum>,
    seal_problems: Vec<&'static str>,
    seal_key: Option<String>,
}

impl VerifyPage {
    fn date(&self, f: &Found) -> String {
        format!(
            "{} · {}",
            long_date(
                self.ctx.lang,
                &f.record.scheduled_at,
                &f.record.village.timezone
            ),
            clock(&f.record.scheduled_at, &f.record.village.timezone)
        )
    }
    fn when(&self, f: &Found, at: &DateTime<Utc>) -> String {
        super::filters::local_time(at, &f.record.village.timezone)
    }
    fn did_not_take_place(&self, f: &Found) -> bool {
        meeting::did_not_take_place(&f.record)
    }
    fn code(&self, f: &Found) -> String {
        f.m.verification_code
            .as_deref()
            .map(meeting::display_code)
            .unwrap_or_default()
    }
}

async fn verify(
    State(store): State<Store>,
    ctx: Ctx,
    ClientIp(ip): ClientIp,
    Query(q): Query<VerifyQuery>,
) -> AppResult<Response> {
    let kode: String = q.kode.chars().take(40).collect();
    if kode.trim().is_empty() {
        return Ok(VerifyPage {
            ctx,
            kode,
            found: None,
        }
        .into_response());
    }
    limited(
        store
            .throttle_take(
                "verify",
                &ip,
                Duration::minutes(10),
                VERIFICATIONS_PER_10_MINUTES,
            )
            .await?,
    )?;
    let sealed = match meeting::normalize_code(&kode) {
        Some(code) => match store.meeting_by_code(&code).await {
            Ok(s) => Some(s),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let Some(s) = sealed else {
        let page = VerifyPage {
            ctx,
            kode,
            found: Some(None),
        };
        return Ok((StatusCode::NOT_FOUND, page).into_response());
    };
    let addenda = store.addenda(s.meeting.id).await?;
    let summary = meeting::summarize(&s.record);
    // The record's own seal, and the village's whole chain.
    let seals = store.check_meeting_seals(s.meeting.id).await?;
    let mut problems = seals.problems();
    for (_, _, p) in store.verify_seals(Some(s.meeting.village_id)).await? {
        if !problems.contains(&p) {
            problems.push(p);
        }
    }
    let (seal_problems, seal_key) = seal_summary(&problems, seals.key_id());
    Ok(VerifyPage {
        ctx,
        kode,
        found: Some(Some(Found {
            slug: s.village_slug,
            m: s.meeting,
            record: s.record,
            summary,
            intact: s.intact && seal_problems.is_empty(),
            addenda,
            seal_problems,
            seal_key,
        })),
    }
    .into_response())
}

// ---------- open data ----------

fn api_meeting(
    slug: &str,
    m: &Meeting,
    record: &Record,
    addenda: &[Addendum],
    seal: Option<&crate::store::seals::RecordSeals>,
) -> serde_json::Value {
    let s = meeting::summarize(record);
    let names = |groups: &[meeting::RecordGroup]| -> Vec<serde_json::Value> {
        groups
            .iter()
            .map(|g| serde_json::json!({ "id": g.id, "name": g.name, "kind": g.kind, "vulnerable": g.vulnerable }))
            .collect()
    };
    let agenda: Vec<serde_json::Value> = record
        .agenda
        .iter()
        .map(|i| {
            serde_json::json!({
                "number": i.number, "title": i.title, "bidang": i.bidang, "minutes": i.minutes,
                "url": format!("/desa/{slug}/usulan/{}", i.number),
            })
        })
        .collect();
    let decisions: Vec<serde_json::Value> = record
        .agenda
        .iter()
        .filter_map(|i| {
            i.decision.as_ref().map(|d| {
                serde_json::json!({
                    "proposal": i.number, "decision": d.decision, "method": d.method,
                    "votes_for": d.votes_for, "votes_against": d.votes_against, "votes_abstain": d.votes_abstain,
                })
            })
        })
        .collect();
    serde_json::json!({
        "id": m.id,
        "village": slug,
        "kind": m.kind,
        "title": record.title,
        "scheduled_at": record.scheduled_at,
        "place": record.place,
        "chair": record.chair,
        "note_taker": record.note_taker,
        "status": m.status,
        "attendance": {
            "invited": s.invited, "present": s.present, "voters": s.voters, "absent": s.absent, "men": s.men, "women": s.women,
        },
        "quorum": { "rule": s.quorum_rule.code(), "needed": s.quorum_needed, "met": s.quorum_met, "note": record.quorum_note },
        "majority_rule": record.majority_rule,
        "opening": meeting::stated_opening(record, &s).code(),
        "postponed": record.postponed.as_ref().map(|p| serde_json::json!({ "at": p.at, "note": p.note })),
        "rescheduled_from": record.rescheduled_from.as_ref().map(|l| l.meeting_id),
        "rescheduled_to": record.rescheduled_to.as_ref().map(|l| l.meeting_id),
        "inclusion": {
            "women_percent": s.women_percent, "women_minimum_percent": s.women_minimum_percent,
            "women_met": s.women_met, "kinds_present": s.kinds_present,
            "groups_absent": names(&s.groups_absent), "vulnerable_absent": names(&s.vulnerable_absent),
        },
        "invited_groups": names(&record.invited_groups),
        "agenda": agenda,
        "decisions": decisions,
        "finalized_at": m.finalized_at,
        "verification_code": m.verification_code,
        "content_hash": m.content_hash,
        "seal": seal.map(|s| {
            let e = s.record.entry.as_ref();
            serde_json::json!({
                "hash": e.map(|e| &e.entry_hash),
                "signature": e.map(|e| &e.signature),
                "key_id": e.map(|e| &e.key_id),
                "previous": e.map(|e| &e.prev_hash),
                "sequence": e.map(|e| e.seq),
                "sealed_at": e.map(|e| e.sealed_at),
                "problems": s.problems().iter().map(|p| p.key()).collect::<Vec<_>>(),
                "url": format!("/api/v1/desa/{slug}/musyawarah/{}/segel", m.id),
            })
        }),
        "seal_ok": seal.map(|s| s.holds()),
        "addenda": addenda.iter().map(|a| serde_json::json!({ "at": a.created_at, "by": a.author_name, "body": a.body })).collect::<Vec<_>>(),
        "url": format!("/desa/{slug}/musyawarah/{}", m.id),
        "berita_acara_url": format!("/desa/{slug}/musyawarah/{}/berita-acara", m.id),
    })
}

async fn api_show(
    State(store): State<Store>,
    Path((slug, id)): Path<(String, String)>,
) -> AppResult<Json<serde_json::Value>> {
    let (village, m) = load(&store, &slug, &id).await?;
    let (record, _) = current_record(&store, &village, &m).await?;
    let addenda = store.addenda(m.id).await?;
    let (seal, scans) = if m.is_finalized() {
        (
            Some(store.check_meeting_seals(m.id).await?),
            store.scans(m.id).await?,
        )
    } else {
        (None, Vec::new())
    };
    let mut json = api_meeting(&slug, &m, &record, &addenda, seal.as_ref());
    json["scans"] = scans
        .iter()
        .map(|c| {
            serde_json::json!({
                "label": c.label, "content_type": c.content_type, "sha256": c.sha256, "size": c.size,
                "at": c.created_at, "by": c.uploaded_by_name,
                "url": format!("/desa/{slug}/musyawarah/{}/pindaian/{}", m.id, c.id),
            })
        })
        .collect();
    Ok(Json(json))
}

async fn api_list(
    State(store): State<Store>,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> AppResult<Json<serde_json::Value>> {
    let village = store.village_by_slug(&slug).await?;
    let page = q.number();
    let rows = store
        .list_meetings(village.id, PER_PAGE + 1, (page - 1) * PER_PAGE)
        .await?;
    let (rows, has_next) = split_page(rows, PER_PAGE);
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|m| {
            serde_json::json!({
                "id": m.id, "kind": m.kind, "title": m.title, "scheduled_at": m.scheduled_at, "place": m.place,
                "status": m.status, "verification_code": m.verification_code,
                "url": format!("/api/v1/desa/{slug}/musyawarah/{}", m.id),
            })
        })
        .collect();
    Ok(Json(serde_json::json!({
        "village": slug, "page": page, "per_page": PER_PAGE, "has_next": has_next, "items": items,
    })))
}
