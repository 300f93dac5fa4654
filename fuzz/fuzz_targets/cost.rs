//! Costs as people type them (`Rp 1.500.000`, `1500000`, `1,5 juta`?): never a panic, and
//! whatever is accepted reads back the same from its own display.
#![no_main]

use libfuzzer_sys::fuzz_target;
use musdes_domain::money::Rupiah;

fuzz_target!(|raw: &str| {
    if let Some(cost) = Rupiah::parse(raw) {
        assert!(cost.get() >= 0, "{raw:?} gave a negative cost");
        let shown = cost.to_string();
        assert_eq!(Rupiah::parse(&shown), Some(cost), "{raw:?} shown as {shown:?}");
    }
});
