//! Form bodies decoded into the proposal, meeting, tata tertib, rescheduling, Perdes,
//! DU-RKP answer, RPJM Desa, Dana Desa rule and village forms and checked by their rules, as the server does: never a panic, whatever
//! the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use musdes_domain::meeting::{MeetingForm, RescheduleForm, TataTertib, TataTertibForm};
use musdes_domain::dana_desa::RuleForm;
use musdes_domain::plan::{AmendForm, DuRkpAnswerForm, PerdesForm};
use musdes_domain::rpjm::{ItemForm, RpjmForm};
use musdes_domain::proposal::{ProposalForm, Submitter};
use musdes_domain::village::VillageForm;

fuzz_target!(|body: &[u8]| {
    let hamlets = vec!["Dusun I".to_string(), "Dusun II".to_string()];
    if let Ok(form) = serde_urlencoded::from_bytes::<ProposalForm>(body) {
        for who in [Submitter::Member, Submitter::OnBehalf, Submitter::Anonymous] {
            if let Ok(p) = form.validate(&hamlets, who) {
                assert!(!p.title.trim().is_empty());
            }
        }
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<MeetingForm>(body) {
        let _ = form.validate(chrono_tz::Asia::Jakarta, &TataTertib::default());
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<TataTertibForm>(body) {
        let _ = form.validate();
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<RescheduleForm>(body) {
        let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        let _ = form.validate(chrono_tz::Asia::Jayapura, now);
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<PerdesForm>(body) {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 9, 8).unwrap_or_default();
        if let Ok(p) = form.validate(day, day + chrono::Days::new(80)) {
            assert!(p.date >= day);
        }
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<musdes_domain::standing::StandingForm>(body)
        && let Ok(s) = form.validate()
    {
        assert!(s.item.cost > 0 && s.item.sub_bidang.starts_with("01."));
        assert!(s.to_year.is_none_or(|t| t >= s.from_year));
        assert!(s.item.source != "dd" || s.item.focus.is_some());
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<musdes_domain::calendar::PerbupForm>(body)
        && let Ok((_, date, _)) = form.validate()
    {
        assert!(musdes_domain::calendar::valid_month_day(date.month, date.day));
        let dues = musdes_domain::calendar::due_dates(2027, &[date]);
        assert!(dues.iter().all(|d| (2026..=2027).contains(&chrono::Datelike::year(d))));
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<musdes_domain::programme::ProgrammeForm>(body)
        && let Ok(p) = form.validate()
    {
        assert!(p.amount >= 0 && musdes_domain::apbdes::is_authority(&p.giver));
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<AmendForm>(body)
        && let Ok((ground, reason)) = form.validate()
    {
        assert_eq!(
            musdes_domain::plan::AmendGround::parse(ground.code()),
            Some(ground)
        );
        assert!((10..=2000).contains(&reason.chars().count()));
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<DuRkpAnswerForm>(body)
        && let Ok(a) = form.validate()
    {
        assert!(musdes_domain::plan::ANSWERS.contains(&a.answer));
        assert!(a.reason.chars().count() >= 3);
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<RpjmForm>(body)
        && let Ok(r) = form.validate(chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap_or_default())
    {
        assert!((2000..=2100).contains(&r.start_year));
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<ItemForm>(body)
        && let Ok(i) = form.validate(2025)
    {
        assert!((2025..=2032).contains(&i.year));
        assert!(i.sub_bidang.starts_with(&i.bidang));
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<RuleForm>(body)
        && let Ok((_, rule)) = form.validate()
    {
        assert!((0..=100).contains(&rule.percent));
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<VillageForm>(body) {
        let _ = form.validate();
    }
});
