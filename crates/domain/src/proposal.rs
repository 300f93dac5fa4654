//! Proposals (usulan): their human number, bidang, status and engagement level.

use std::fmt;

use super::validation::{self, FieldErrors};

/// A proposal's number within its village: year and sequence, shown as `2026-014`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProposalNumber {
    pub year: i32,
    pub seq: i64,
}

impl ProposalNumber {
    pub fn parse(raw: &str) -> Option<ProposalNumber> {
        let (y, s) = raw.trim().split_once('-')?;
        if y.len() != 4 || s.len() < 3 || !y.chars().chain(s.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let seq: i64 = s.parse().ok()?;
        (seq > 0 && (2000..=2999).contains(&year)).then_some(ProposalNumber { year, seq })
    }
}

impl fmt::Display for ProposalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:03}", self.year, self.seq)
    }
}

/// The five fields (bidang) of village spending under Permendagri 20/2018.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bidang {
    Pemerintahan,
    Pembangunan,
    Pembinaan,
    Pemberdayaan,
    Bencana,
}

impl Bidang {
    pub const ALL: [Bidang; 5] = [
        Bidang::Pemerintahan,
        Bidang::Pembangunan,
        Bidang::Pembinaan,
        Bidang::Pemberdayaan,
        Bidang::Bencana,
    ];

    pub fn parse(code: &str) -> Option<Bidang> {
        Bidang::ALL.into_iter().find(|b| b.code() == code.trim())
    }

    pub fn code(self) -> &'static str {
        match self {
            Bidang::Pemerintahan => "01",
            Bidang::Pembangunan => "02",
            Bidang::Pembinaan => "03",
            Bidang::Pemberdayaan => "04",
            Bidang::Bencana => "05",
        }
    }
}
super::code_traits!(Bidang);

/// Where a proposal stands in its life. Stored as the English code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Pending,
    Submitted,
    InReview,
    OnAgenda,
    /// A musyawarah dusun or group meeting passed it on to the village's planning.
    Forwarded,
    Accepted,
    Rejected,
    Deferred,
    /// The kabupaten's, province's or state's: agreed in the Musrenbangdes for the DU-RKP
    /// and sent through the camat; the kecamatan's answer lands on the timeline.
    DuRkp,
    Merged,
    Withdrawn,
    InProgress,
    Completed,
    Evaluated,
}

impl Status {
    pub const ALL: [Status; 14] = [
        Status::Pending,
        Status::Submitted,
        Status::InReview,
        Status::OnAgenda,
        Status::Forwarded,
        Status::Accepted,
        Status::Rejected,
        Status::Deferred,
        Status::DuRkp,
        Status::Merged,
        Status::Withdrawn,
        Status::InProgress,
        Status::Completed,
        Status::Evaluated,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Submitted => "submitted",
            Status::InReview => "in_review",
            Status::OnAgenda => "on_agenda",
            Status::Forwarded => "forwarded",
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Deferred => "deferred",
            Status::DuRkp => "du_rkp",
            Status::Merged => "merged",
            Status::Withdrawn => "withdrawn",
            Status::InProgress => "in_progress",
            Status::Completed => "completed",
            Status::Evaluated => "evaluated",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code.trim())
    }
}
super::code_traits!(Status);

super::coded!(
    /// What a line of a proposal's public timeline records.
    EventKind {
        Submitted = "submitted",
        ConcernRaised = "concern_raised",
        Answered = "answered",
        FeedbackHidden = "feedback_hidden",
        Published = "published",
        StatusChanged = "status_changed",
        Edited = "edited",
        MergedFrom = "merged_from",
        MergedInto = "merged_into",
        Progress = "progress",
        OnAgenda = "on_agenda",
        Decided = "decided",
        OffAgenda = "off_agenda",
        LevelChanged = "level_changed",
        LevelAuto = "level_auto",
        Announced = "announced",
        Partnership = "partnership",
        Alternative = "alternative",
        Implementer = "implementer",
        Rpjm = "rpjm",
        DuRkp = "du_rkp_answer",
        Planned = "planned",
    }
);

/// The five steps of the engagement ladder (IAP2), lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Inform,
    Consult,
    Involve,
    Collaborate,
    Empower,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::Inform,
        Level::Consult,
        Level::Involve,
        Level::Collaborate,
        Level::Empower,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Level::Inform => "inform",
            Level::Consult => "consult",
            Level::Involve => "involve",
            Level::Collaborate => "collaborate",
            Level::Empower => "empower",
        }
    }

    pub fn parse(code: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.code() == code.trim())
    }

    /// 1 for inform … 5 for empower; stored as this number so levels sort.
    pub fn rank(self) -> i64 {
        self as i64 + 1
    }

    pub fn from_rank(rank: i64) -> Option<Level> {
        usize::try_from(rank - 1)
            .ok()
            .and_then(|i| Level::ALL.get(i).copied())
    }
}

/// A level is stored as its rank, 1 to 5; a row reads it with `#[sqlx(try_from = "i64")]`.
impl TryFrom<i64> for Level {
    type Error = String;
    fn try_from(rank: i64) -> Result<Level, String> {
        Level::from_rank(rank).ok_or_else(|| format!("no ladder level {rank}"))
    }
}

/// Who may make a status change by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mover {
    /// Facilitators and officials moderate anonymous submissions.
    Moderator,
    /// Officials review and carry proposals through their life.
    Official,
}

/// A status change made by hand (meetings set `on_agenda` and `accepted`; merging,
/// withdrawing and evaluating have their own actions). `Some(needs_note)` when allowed.
pub fn manual_transition(from: Status, to: Status) -> Option<(Mover, bool)> {
    use Status::*;
    match (from, to) {
        (Pending, Submitted) => Some((Mover::Moderator, false)),
        (Pending, Rejected) => Some((Mover::Moderator, true)),
        (Submitted, InReview) | (Deferred, InReview) => Some((Mover::Official, false)),
        (Submitted | InReview, Rejected | Deferred) => Some((Mover::Official, true)),
        (Accepted, InProgress) | (InProgress, Completed) => Some((Mover::Official, false)),
        _ => None,
    }
}

/// The proposer may edit only before anyone has started to weigh the proposal.
pub fn proposer_may_edit(status: Status) -> bool {
    matches!(status, Status::Pending | Status::Submitted)
}

/// The proposer may withdraw it until a meeting has taken it up.
pub fn proposer_may_withdraw(status: Status) -> bool {
    matches!(
        status,
        Status::Pending | Status::Submitted | Status::InReview | Status::Deferred
    )
}

/// A duplicate may be merged into another proposal while neither is closed.
pub fn may_merge(source: Status, target: Status) -> bool {
    let open = |s: Status| {
        matches!(
            s,
            Status::Submitted | Status::InReview | Status::Deferred | Status::OnAgenda
        )
    };
    matches!(source, Status::Pending) && open(target) || open(source) && open(target)
}

/// The statuses a proposal may be moved to by hand from `from`.
pub fn next_statuses(from: Status) -> Vec<Status> {
    Status::ALL
        .into_iter()
        .filter(|to| manual_transition(from, *to).is_some())
        .collect()
}

/// Sub-bidang of Permendagri 20/2018 (code, name); the first two digits are the bidang.
pub const SUB_BIDANG: &[(&str, &str)] = &[
    (
        "01.01",
        "Penyelenggaraan belanja penghasilan tetap, tunjangan dan operasional pemerintahan desa",
    ),
    ("01.02", "Sarana dan prasarana pemerintahan desa"),
    (
        "01.03",
        "Administrasi kependudukan, pencatatan sipil, statistik dan kearsipan",
    ),
    (
        "01.04",
        "Tata praja pemerintahan, perencanaan, keuangan dan pelaporan",
    ),
    ("01.05", "Pertanahan"),
    ("02.01", "Pendidikan"),
    ("02.02", "Kesehatan"),
    ("02.03", "Pekerjaan umum dan penataan ruang"),
    ("02.04", "Kawasan permukiman"),
    ("02.05", "Kehutanan dan lingkungan hidup"),
    ("02.06", "Perhubungan, komunikasi dan informatika"),
    ("02.07", "Energi dan sumber daya mineral"),
    ("02.08", "Pariwisata"),
    (
        "03.01",
        "Ketenteraman, ketertiban umum dan pelindungan masyarakat",
    ),
    ("03.02", "Kebudayaan dan keagamaan"),
    ("03.03", "Kepemudaan dan olahraga"),
    ("03.04", "Kelembagaan masyarakat"),
    ("04.01", "Kelautan dan perikanan"),
    ("04.02", "Pertanian dan peternakan"),
    ("04.03", "Peningkatan kapasitas aparatur desa"),
    (
        "04.04",
        "Pemberdayaan perempuan, perlindungan anak dan keluarga",
    ),
    ("04.05", "Koperasi, usaha mikro kecil dan menengah"),
    ("04.06", "Dukungan penanaman modal"),
    ("04.07", "Perdagangan dan perindustrian"),
    ("05.01", "Penanggulangan bencana"),
    ("05.02", "Keadaan darurat"),
    ("05.03", "Keadaan mendesak"),
];

pub fn sub_bidang_name(code: &str) -> Option<&'static str> {
    SUB_BIDANG.iter().find(|(c, _)| *c == code).map(|(_, n)| *n)
}

/// How a proposal came in.
/// How a proposal came in; `musyawarah`: raised from the floor of a meeting and entered
/// there by the facilitator.
pub const CHANNELS: [&str; 5] = ["online", "musdus", "group_meeting", "paper", "musyawarah"];

/// Who is submitting: a member of the village for themself, a facilitator or official
/// on someone's behalf, or a visitor without an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitter {
    Member,
    OnBehalf,
    Anonymous,
}

/// The proposal form as typed (contract fields plus `dusun`, `sub_bidang`, `channel`).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct ProposalForm {
    pub title: String,
    pub problem: String,
    pub description: String,
    pub bidang: String,
    pub sub_bidang: String,
    pub location: String,
    pub dusun: String,
    pub estimated_cost: String,
    pub proposer_name: String,
    pub phone: String,
    pub channel: String,
    /// `1` once the submitter has seen the similar proposals and still wants a new one.
    pub confirmed: String,
}

/// A proposal that passed every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProposal {
    pub title: String,
    pub problem: String,
    pub description: String,
    pub bidang: Bidang,
    pub sub_bidang: Option<String>,
    pub location: Option<String>,
    pub hamlet: Option<String>,
    pub estimated_cost: Option<super::money::Rupiah>,
    pub proposer_name: Option<String>,
    pub phone: Option<String>,
    pub channel: &'static str,
}

impl ProposalForm {
    /// Checks every field. `hamlets` are the village's dusun (a chosen one must be among
    /// them). Anonymous and on-behalf submissions need the proposer's name; anonymous ones
    /// also the dusun, so the village knows where the need is.
    pub fn validate(&self, hamlets: &[String], who: Submitter) -> Result<NewProposal, FieldErrors> {
        let needs_name = who != Submitter::Member;
        let mut e = FieldErrors::new();
        let title = validation::text(
            &mut e,
            "title",
            &self.title,
            5,
            200,
            "error.title_length",
            "error.title_length",
        );
        let problem = validation::text(
            &mut e,
            "problem",
            &self.problem,
            10,
            5000,
            "error.problem_short",
            "error.too_long",
        );
        let description =
            validation::optional_text(&mut e, "description", &self.description, 10_000)
                .unwrap_or_default();
        let bidang = Bidang::parse(&self.bidang);
        if bidang.is_none() {
            e.add("bidang", "error.bidang");
        }
        let sub_bidang = Some(self.sub_bidang.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if let Some(sb) = &sub_bidang
            && (sub_bidang_name(sb).is_none() || bidang.is_some_and(|b| !sb.starts_with(b.code())))
        {
            e.add("sub_bidang", "error.sub_bidang");
        }
        let location = validation::optional_text(&mut e, "location", &self.location, 200);
        let hamlet = Some(self.dusun.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if let Some(h) = &hamlet
            && !hamlets.iter().any(|x| x == h)
        {
            e.add("dusun", "error.choose_from_list");
        }
        if hamlet.is_none() && who == Submitter::Anonymous && !hamlets.is_empty() {
            e.add("dusun", "error.dusun_required");
        }
        let estimated_cost = if self.estimated_cost.trim().is_empty() {
            None
        } else {
            let cost = super::money::Rupiah::parse(&self.estimated_cost);
            if cost.is_none() {
                e.add("estimated_cost", "error.cost");
            }
            cost
        };
        let proposer_name =
            validation::optional_text(&mut e, "proposer_name", &self.proposer_name, 120);
        if needs_name && proposer_name.as_ref().is_none_or(|n| n.chars().count() < 2) {
            e.add("proposer_name", "error.proposer_name");
        }
        let phone = Some(self.phone.trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        if let Some(p) = &phone
            && !is_phone(p)
        {
            e.add("phone", "error.phone");
        }
        let channel = match self.channel.trim() {
            "" => "online",
            c => CHANNELS
                .iter()
                .copied()
                .find(|x| *x == c)
                .unwrap_or_else(|| {
                    e.add("channel", "error.choose_from_list");
                    "online"
                }),
        };
        match bidang {
            Some(bidang) if e.is_empty() => Ok(NewProposal {
                title,
                problem,
                description,
                bidang,
                sub_bidang,
                location,
                hamlet,
                estimated_cost,
                proposer_name,
                phone,
                channel,
            }),
            _ => Err(e),
        }
    }
}

/// An Indonesian phone number as people write it: digits, spaces, `+`, `-`, 8–15 digits.
fn is_phone(raw: &str) -> bool {
    let digits = raw.chars().filter(|c| c.is_ascii_digit()).count();
    raw.chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'))
        && (8..=15).contains(&digits)
}

/// Words too common in proposals to tell two of them apart.
const STOPWORDS: &[&str] = &[
    "dan", "yang", "di", "ke", "dari", "untuk", "dengan", "pada", "atau", "ini", "itu", "desa",
    "dusun", "rt", "rw", "ada", "tidak", "akan", "oleh", "saat", "agar", "bagi", "para", "kami",
    "warga", "the", "of", "and",
];

/// The meaningful words of a text, for comparing proposals.
pub fn key_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = search_terms_all(text)
        .into_iter()
        .filter(|w| w.chars().count() > 2 && !STOPWORDS.contains(&w.as_str()))
        .collect();
    words.sort();
    words.dedup();
    words
}

fn search_terms_all(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// How alike two proposals are, 0 to 1: the share of meaningful words they have in common
/// (Jaccard), the title counting double.
pub fn similarity(title_a: &str, problem_a: &str, title_b: &str, problem_b: &str) -> f64 {
    let jaccard = |a: &[String], b: &[String]| {
        if a.is_empty() || b.is_empty() {
            return 0.0;
        }
        let common = a.iter().filter(|w| b.contains(w)).count() as f64;
        common / (a.len() as f64 + b.len() as f64 - common)
    };
    let (ta, tb) = (key_words(title_a), key_words(title_b));
    let (pa, pb) = (
        key_words(&format!("{title_a} {problem_a}")),
        key_words(&format!("{title_b} {problem_b}")),
    );
    (2.0 * jaccard(&ta, &tb) + jaccard(&pa, &pb)) / 3.0
}

/// At or above this, a proposal is offered as a possible duplicate.
pub const SIMILAR_THRESHOLD: f64 = 0.34;

/// The words of a search, lower-cased, letters and digits only (at most 8): what a
/// full-text index can match without the query language tripping over `"` or `AND(`.
pub fn search_terms(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .take(8)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_with_three_digits_and_parse_back() {
        let n = ProposalNumber {
            year: 2026,
            seq: 14,
        };
        assert_eq!(n.to_string(), "2026-014");
        assert_eq!(ProposalNumber::parse("2026-014"), Some(n));
        assert_eq!(
            ProposalNumber {
                year: 2026,
                seq: 1234
            }
            .to_string(),
            "2026-1234"
        );
        assert_eq!(ProposalNumber::parse("2026-1234").unwrap().seq, 1234);
        for bad in [
            "2026-14", "26-014", "2026-000", "2026_014", "abcd-014", "2026-01a", "",
        ] {
            assert_eq!(ProposalNumber::parse(bad), None, "{bad}");
        }
    }

    fn form() -> ProposalForm {
        ProposalForm {
            title: "Perbaikan jalan dusun".into(),
            problem: "Jalan berlubang, sulit dilalui saat hujan".into(),
            bidang: "02".into(),
            estimated_cost: "Rp 1.500.000".into(),
            dusun: "Dusun I".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_proposal_passes() {
        let p = form()
            .validate(&["Dusun I".into()], Submitter::Member)
            .unwrap();
        assert_eq!(p.bidang, Bidang::Pembangunan);
        assert_eq!(p.estimated_cost.unwrap().get(), 1_500_000);
        assert_eq!(p.channel, "online");
        assert_eq!(p.hamlet.as_deref(), Some("Dusun I"));
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut f = form();
        f.title = "Jln".into();
        f.problem = "rusak".into();
        f.bidang = "06".into();
        f.estimated_cost = "1,5".into();
        f.dusun = "Dusun IX".into();
        f.phone = "call me".into();
        let e = f
            .validate(&["Dusun I".into()], Submitter::Anonymous)
            .unwrap_err();
        assert_eq!(e.get("title"), Some("error.title_length"));
        assert_eq!(e.get("problem"), Some("error.problem_short"));
        assert_eq!(e.get("bidang"), Some("error.bidang"));
        assert_eq!(e.get("estimated_cost"), Some("error.cost"));
        assert_eq!(e.get("dusun"), Some("error.choose_from_list"));
        assert_eq!(e.get("proposer_name"), Some("error.proposer_name"));
        assert_eq!(e.get("phone"), Some("error.phone"));
    }

    #[test]
    fn costs_and_titles_at_the_edges() {
        let mut f = form();
        f.title = "x".repeat(201);
        f.estimated_cost = "-5".into();
        let e = f.validate(&[], Submitter::Member).unwrap_err();
        assert_eq!(e.get("title"), Some("error.title_length"));
        assert_eq!(e.get("estimated_cost"), Some("error.cost"));
        for bad in ["abc", "10000000000001"] {
            let mut f = form();
            f.estimated_cost = bad.into();
            assert!(
                f.validate(&["Dusun I".into()], Submitter::Member).is_err(),
                "{bad}"
            );
        }
        let mut f = form();
        f.title = "Jalan".into();
        f.estimated_cost = "1500000".into();
        assert_eq!(
            f.validate(&["Dusun I".into()], Submitter::Member)
                .unwrap()
                .estimated_cost
                .unwrap()
                .get(),
            1_500_000
        );
    }

    #[test]
    fn sub_bidang_must_belong_to_the_bidang() {
        let mut f = form();
        f.sub_bidang = "02.03".into();
        assert!(f.validate(&["Dusun I".into()], Submitter::Member).is_ok());
        f.sub_bidang = "04.02".into();
        assert_eq!(
            f.validate(&["Dusun I".into()], Submitter::Member)
                .unwrap_err()
                .get("sub_bidang"),
            Some("error.sub_bidang")
        );
    }

    #[test]
    fn search_terms_drop_query_syntax() {
        assert_eq!(
            search_terms("Jalan \"rusak\" AND( desa*"),
            ["jalan", "rusak", "and", "desa"]
        );
        assert!(search_terms("\"*()").is_empty());
    }

    #[test]
    fn moderation_publishes_or_rejects_with_a_reason() {
        assert_eq!(
            manual_transition(Status::Pending, Status::Submitted),
            Some((Mover::Moderator, false))
        );
        assert_eq!(
            manual_transition(Status::Pending, Status::Rejected),
            Some((Mover::Moderator, true))
        );
        assert_eq!(manual_transition(Status::Pending, Status::Accepted), None);
    }

    #[test]
    fn officials_move_along_the_life_but_meetings_decide_acceptance() {
        assert_eq!(
            manual_transition(Status::Submitted, Status::InReview),
            Some((Mover::Official, false))
        );
        assert_eq!(
            manual_transition(Status::InReview, Status::Deferred),
            Some((Mover::Official, true))
        );
        assert_eq!(
            manual_transition(Status::Accepted, Status::InProgress),
            Some((Mover::Official, false))
        );
        assert_eq!(manual_transition(Status::InReview, Status::Accepted), None);
        assert_eq!(manual_transition(Status::Submitted, Status::OnAgenda), None);
        assert_eq!(manual_transition(Status::Rejected, Status::Submitted), None);
        assert_eq!(
            next_statuses(Status::Submitted),
            [Status::InReview, Status::Rejected, Status::Deferred]
        );
        assert!(next_statuses(Status::Evaluated).is_empty());
    }

    #[test]
    fn proposers_edit_early_and_withdraw_until_a_meeting_takes_it_up() {
        assert!(proposer_may_edit(Status::Submitted) && proposer_may_edit(Status::Pending));
        assert!(!proposer_may_edit(Status::InReview));
        assert!(proposer_may_withdraw(Status::InReview));
        assert!(
            !proposer_may_withdraw(Status::OnAgenda) && !proposer_may_withdraw(Status::Accepted)
        );
    }

    #[test]
    fn similar_proposals_are_found_and_different_ones_are_not() {
        let a = similarity(
            "Perbaikan jalan Dusun II",
            "Jalan berlubang",
            "Perbaikan jalan rusak di Dusun II",
            "Jalan berlubang dan becek",
        );
        let b = similarity(
            "Perbaikan jalan Dusun II",
            "Jalan berlubang",
            "Pelatihan menjahit ibu PKK",
            "Ibu-ibu ingin usaha",
        );
        assert!(a >= SIMILAR_THRESHOLD, "{a}");
        assert!(b < 0.1, "{b}");
        assert_eq!(similarity("", "", "Jalan", "Jalan"), 0.0);
        assert!(
            (similarity("Sumur bor", "air bersih", "Sumur bor", "air bersih") - 1.0).abs() < 1e-9
        );
        assert_eq!(
            key_words("Perbaikan jalan di desa dan DUSUN"),
            ["jalan", "perbaikan"]
        );
    }

    #[test]
    fn only_open_proposals_merge() {
        assert!(may_merge(Status::Submitted, Status::InReview));
        assert!(may_merge(Status::Pending, Status::Submitted));
        assert!(!may_merge(Status::Submitted, Status::Pending));
        assert!(!may_merge(Status::Merged, Status::Submitted));
        assert!(!may_merge(Status::Submitted, Status::Rejected));
        assert!(!may_merge(Status::Accepted, Status::Submitted));
    }

    #[test]
    fn codes_round_trip() {
        for b in Bidang::ALL {
            assert_eq!(Bidang::parse(b.code()), Some(b));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
        }
        for l in Level::ALL {
            assert_eq!(Level::parse(l.code()), Some(l));
            assert_eq!(Level::from_rank(l.rank()), Some(l));
        }
        assert_eq!(Bidang::parse("06"), None);
        assert_eq!(Level::from_rank(0), None);
        assert!(Level::Inform < Level::Empower);
    }
}
