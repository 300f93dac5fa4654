//! Form bodies decoded into the proposal, meeting and village forms and checked by their
//! rules, as the server does: never a panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use musdes::domain::meeting::MeetingForm;
use musdes::domain::proposal::{ProposalForm, Submitter};
use musdes::domain::village::VillageForm;

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
        let _ = form.validate(chrono_tz::Asia::Jakarta);
    }
    if let Ok(form) = serde_urlencoded::from_bytes::<VillageForm>(body) {
        let _ = form.validate();
    }
});
