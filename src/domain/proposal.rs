//! Proposals (usulan): their human number, bidang, status and engagement level.

use std::fmt;

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

/// Where a proposal stands in its life. Stored as the English code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Pending,
    Submitted,
    InReview,
    OnAgenda,
    Accepted,
    Rejected,
    Deferred,
    Merged,
    Withdrawn,
    InProgress,
    Completed,
    Evaluated,
}

impl Status {
    pub const ALL: [Status; 12] = [
        Status::Pending,
        Status::Submitted,
        Status::InReview,
        Status::OnAgenda,
        Status::Accepted,
        Status::Rejected,
        Status::Deferred,
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
            Status::Accepted => "accepted",
            Status::Rejected => "rejected",
            Status::Deferred => "deferred",
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
