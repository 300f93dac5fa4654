//! One meeting's page: loading it for a visitor, its sections, and showing it again with
//! a form's problem (422) or a step out of its turn (409).

use crate::web::paths;
use crate::web::visit::InVillage;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{FromRef, FromRequestParts};
use axum::http::StatusCode;
use axum::http::request::Parts as RequestParts;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::local_input;
use crate::domain::FieldErrors;
use crate::domain::access::Action;
use crate::domain::meeting::{
    self, AttendanceForm, DecisionForm, Kind, MeetingForm, Opening, Record, RescheduleForm, Summary,
};
use crate::store::groups::GroupSummary;
use crate::store::meetings::{Addendum, Meeting, Parts, record_of};
use crate::store::villages::Village;
use crate::store::{Store, now};
use crate::web::AppState;
use crate::web::cache::{MeetingCache, MeetingView};
use crate::web::error::{AppError, AppResult};
use crate::web::filters::{self, clock, long_date};
use crate::web::page::{Ctx, Viewer};

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
    Channel,
}

/// What was typed in the form that failed, kept for the page drawn again.
#[derive(Debug, Default)]
pub(super) struct Typed {
    pub(super) section: Section,
    pub(super) errors: FieldErrors,
    pub(super) facts: Option<MeetingForm>,
    pub(super) attendee: AttendanceForm,
    /// Agenda, minutes or decision: the proposal number the form was about.
    pub(super) number: String,
    pub(super) minutes: String,
    pub(super) decision: DecisionForm,
    pub(super) text: String,
    pub(super) floor: crate::domain::proposal::ProposalForm,
    pub(super) reschedule: RescheduleForm,
    pub(super) channel: crate::domain::reach::ReachForm,
}

impl Typed {
    /// The page again with `errors` beside the form of `section`.
    pub(super) fn on(section: Section, errors: FieldErrors) -> Typed {
        Typed {
            section,
            errors,
            ..Typed::default()
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "meetings/show.html")]
pub(super) struct ShowPage {
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
    /// The name on the attendance line this browser just removed, offered back.
    removed_line: Option<String>,
    /// The alternatives of the proposals on the agenda (staff, open meetings only).
    alternatives: Vec<crate::store::ladder::AgendaAlternative>,
    /// The channels the meeting was announced through, with their reach.
    channels: Vec<crate::store::reach::Reach>,
}

impl ShowPage {
    fn scan_action(&self) -> String {
        format!(
            "{}?csrf_token={}&{}={}",
            paths::meeting_scans(&self.village.slug, self.m.id),
            self.ctx.csrf,
            crate::web::csrf::ONCE_FIELD,
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
    fn info_channels(&self) -> &'static [&'static str] {
        &crate::domain::ladder::CHANNELS
    }
    fn rp(&self, amount: &i64) -> String {
        filters::cost_text(Some(*amount))
    }
    /// The alternatives of one agenda item's proposal, for its decision form.
    fn alternatives_of(&self, number: &str) -> Vec<&crate::store::ladder::Alternative> {
        self.alternatives
            .iter()
            .filter(|a| a.number == number)
            .map(|a| &a.alternative)
            .collect()
    }
    fn may_postpone(&self) -> bool {
        let status = self.m.status;
        self.may_record() && meeting::may_postpone(status, self.opening).is_ok()
    }
    fn may_reschedule(&self) -> bool {
        let status = self.m.status;
        self.may_record() && meeting::may_reschedule(status, self.opening).is_ok()
    }
    fn needs_quorum(&self) -> bool {
        meeting::needs_quorum(self.m.kind)
    }
    fn did_not_take_place(&self) -> bool {
        meeting::did_not_take_place(&self.record)
    }
    fn may_record(&self) -> bool {
        !self.m.is_finalized() && self.ctx.may(Action::RecordMeetings, Some(self.village.id))
    }
    /// Those who record meetings keep lines without signal, and see, once the meeting is
    /// finalized, which of them did not get in.
    fn may_keep_offline(&self) -> bool {
        self.ctx.may(Action::RecordMeetings, Some(self.village.id))
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
        let kind = self.m.kind;
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
    /// The invitation prepared for WhatsApp: what, when and where.
    fn invitation_text(&self) -> String {
        format!(
            "{} {}\n{}: {} · {}\n{}: {}\n{}",
            self.ctx.t("share.invitation"),
            self.m.title,
            self.ctx.t("meeting.date"),
            self.date(),
            self.time(),
            self.ctx.t("meeting.place"),
            self.record.place,
            self.village.name
        )
    }
    /// The decisions of a finalized meeting, as a message for the village's WhatsApp
    /// groups: each decided proposal, what was decided, and the berita acara to check.
    fn decisions_text(&self) -> String {
        let mut text = format!(
            "{} {}, {} ({})",
            self.ctx.t("share.decisions"),
            self.m.title,
            self.date(),
            self.village.name
        );
        for item in &self.record.agenda {
            if let Some(d) = &item.decision {
                text.push_str(&format!(
                    "\n· {} {}: {}",
                    item.number,
                    item.title,
                    self.ctx.tk("decision", &d.decision)
                ));
            }
        }
        if let Some(url) = self.ctx.full_url(&self.ctx.path) {
            text.push_str(&format!("\n{url}"));
        }
        text
    }
    fn has_decisions(&self) -> bool {
        self.record.agenda.iter().any(|i| i.decision.is_some())
    }
    fn date(&self) -> String {
        long_date(self.ctx.lang, &self.m.scheduled_at, &self.village.timezone)
    }
    fn time(&self) -> String {
        clock(&self.m.scheduled_at, &self.village.timezone)
    }
    fn when(&self, at: &DateTime<Utc>) -> String {
        crate::web::filters::local_time(at, &self.village.timezone)
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

/// The record as it stands: frozen for a finalized meeting, live for an open one.
pub(super) async fn current_record(
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
        kind: m.kind.code().to_string(),
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

/// What [`MeetingView`] holds, read now.
async fn read_view(
    store: &Store,
    village: &Village,
    m: &Meeting,
    staff: bool,
) -> AppResult<MeetingView> {
    let (record, parts) = current_record(store, village, m).await?;
    let (groups, candidates, alternatives) = if staff && !m.is_finalized() {
        (
            store.list_groups(village.id).await?,
            store.agenda_candidates(village.id, m.id, 200).await?,
            store.agenda_alternatives(m.id).await?,
        )
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    Ok(MeetingView {
        record,
        parts,
        addenda: store.addenda(m.id).await?,
        channels: store
            .reach_of(village.id, crate::store::reach::Announced::Meeting(m.id))
            .await?,
        scans: if m.is_finalized() || staff {
            store.scans(m.id).await?
        } else {
            Vec::new()
        },
        groups,
        candidates,
        alternatives,
    })
}

pub(super) async fn page(
    store: &Store,
    kept: &MeetingCache,
    mut ctx: Ctx,
    village: Village,
    m: Meeting,
    mut typed: Typed,
) -> AppResult<ShowPage> {
    let staff = ctx.may(Action::RecordMeetings, Some(village.id));
    // A finalized meeting's page shows its sealed content as the database holds it now,
    // beside the check of its seals: a row changed behind the application's back (which
    // counts no revision) must show, with the warning.
    let view = if m.is_finalized() {
        std::sync::Arc::new(read_view(store, &village, &m, staff).await?)
    } else {
        kept.get(
            (m.id, staff),
            village.revision,
            read_view(store, &village, &m, staff),
        )
        .await?
    };
    let record = view.record.clone();
    let parts = view.parts.as_ref();
    let summary = meeting::summarize(&record);
    let opening = meeting::stated_opening(&record, &summary);
    let (seal_problems, seal_key) = seal_view(store, &m).await?;
    let removed_line = if staff && !m.is_finalized() {
        ctx.session
            .get::<(Uuid, crate::domain::meeting::AttendanceForm)>(super::SESSION_REMOVED_LINE)
            .await?
            .filter(|(meeting, _)| *meeting == m.id)
            .map(|(_, line)| line.name)
    } else {
        None
    };
    if ctx.viewer.is_some() {
        ctx.ensure_csrf().await?;
    }
    let facts = typed
        .facts
        .take()
        .unwrap_or_else(|| facts_form(&m, &village));
    // The next line of the list most often comes from the same dusun and group as the
    // last one: both stay chosen, and only the name needs typing.
    if typed.section != Section::Attendance
        && let Some(last) = parts.and_then(|p| p.attendance.last())
    {
        typed.attendee.group = last.group_id.map(|g| g.to_string()).unwrap_or_default();
        typed.attendee.dusun = last.hamlet.clone().unwrap_or_default();
    }
    Ok(ShowPage {
        ctx,
        line_ids: parts
            .map(|p| p.attendance.iter().map(|a| a.id).collect())
            .unwrap_or_default(),
        village,
        m,
        record,
        summary,
        groups: view.groups.clone(),
        candidates: view.candidates.clone(),
        addenda: view.addenda.clone(),
        typed,
        facts,
        seal_problems,
        seal_key,
        opening,
        scans: view.scans.clone(),
        removed_line,
        alternatives: view.alternatives.clone(),
        channels: view.channels.clone(),
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
    Ok(crate::domain::seal::summary(
        &seals.problems(),
        seals.key_id(),
    ))
}

pub(super) async fn show(visit: Visit) -> AppResult<ShowPage> {
    visit.page(Typed::default()).await
}

/// A visit to one meeting (`/desa/{slug}/musyawarah/{id}/…`): the visitor's context and
/// the meeting with its village, loaded in one place; an unknown meeting is 404. What the
/// visitor may do is asked with [`Visit::recorder`] or [`Visit::actor`].
pub(super) struct Visit {
    pub(super) store: Store,
    /// Meeting pages kept by the village's revision.
    pub(super) kept: MeetingCache,
    pub(super) ctx: Ctx,
    pub(super) village: Village,
    pub(super) m: Meeting,
}

impl<S> FromRequestParts<S> for Visit
where
    S: Send + Sync,
    AppState: FromRef<S>,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut RequestParts, state: &S) -> Result<Self, AppError> {
        let (visit, path) = InVillage::with_path(parts, state).await?;
        let id = path.get("id").ok_or(AppError::NotFound)?;
        let id = id.parse::<Uuid>().map_err(|_| AppError::NotFound)?;
        let (store, ctx, village) = visit.into_parts();
        let m = store.meeting(village.id, id).await?;
        Ok(Visit {
            store,
            kept: AppState::from_ref(state).meetings.clone(),
            ctx,
            village,
            m,
        })
    }
}

impl Visit {
    /// The person recording in this meeting. A finalized or rescheduled meeting answers
    /// 409 to anyone first: its record is closed, whoever asks.
    pub(super) fn recorder(&self) -> AppResult<Viewer> {
        if self.m.is_finalized() || self.m.rescheduled_to.is_some() {
            return Err(AppError::Conflict);
        }
        self.actor(Action::RecordMeetings)
    }

    /// The person doing `action` in this meeting's village; anyone else is sent to log in
    /// or refused (403).
    pub(super) fn actor(&self, action: Action) -> AppResult<Viewer> {
        Ok(self.ctx.authorize(action, Some(self.village.id))?.clone())
    }

    /// The meeting's page, at `anchor` (`undangan`, `hadir`, …).
    pub(super) fn href(&self, anchor: &str) -> String {
        format!("{}#{anchor}", paths::meeting(&self.village.slug, self.m.id))
    }

    /// Done: the notice for the next page, and back to the meeting at `anchor`.
    pub(super) async fn done(&self, notice: &'static str, anchor: &str) -> AppResult<Response> {
        self.ctx.flash(notice);
        Ok(Redirect::to(&self.href(anchor)).into_response())
    }

    /// The meeting's page, with what was typed in a form that failed.
    async fn page(self, typed: Typed) -> AppResult<ShowPage> {
        page(
            &self.store,
            &self.kept,
            self.ctx,
            self.village,
            self.m,
            typed,
        )
        .await
    }

    /// The page again with the form's mistakes: 422, nothing stored.
    pub(super) async fn invalid(self, typed: Typed) -> AppResult<Response> {
        let page = self.page(typed).await?;
        Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    }

    /// Someone changed the meeting first: 409 with it as it now stands, and `typed`.
    pub(super) async fn stale(mut self, typed: Typed) -> AppResult<Response> {
        self.m = self.store.meeting(self.village.id, self.m.id).await?;
        let page = self.page(typed).await?;
        Ok((StatusCode::CONFLICT, page).into_response())
    }

    /// A step asked out of its turn (held before its time, finalized before held): 409
    /// with the page and the reason beside the status section.
    pub(super) async fn out_of_turn(self, reason: &'static str) -> AppResult<Response> {
        let mut errors = FieldErrors::new();
        errors.add("status", reason);
        let typed = Typed::on(Section::Finalize, errors);
        let page = self.page(typed).await?;
        Ok((StatusCode::CONFLICT, page).into_response())
    }
}
