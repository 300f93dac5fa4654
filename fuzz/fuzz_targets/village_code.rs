//! Kemendagri village codes: never a panic, and an accepted code reads back the same from
//! its dotted form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use musdes_domain::village::VillageCode;

fuzz_target!(|raw: &str| {
    if let Ok(code) = VillageCode::parse(raw) {
        let shown = code.to_string();
        assert_eq!(VillageCode::parse(&shown).as_ref(), Ok(&code), "{raw:?} shown as {shown:?}");
        assert_eq!(shown.len(), 13, "PP.KK.CC.DDDD: {shown:?}");
    }
});
