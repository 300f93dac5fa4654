//! Channels and their reach (seed 000, WHO step 1: who needs to know, and how they are
//! reached). Each channel a proposal or meeting was announced through carries the number
//! of people it is estimated to have reached and the dusun and groups it reached; the
//! village's coverage says which channels reached whom and whom none reached. Pure.

use uuid::Uuid;

use super::ladder::CHANNELS;
use super::validation::{self, FieldErrors};

/// A channel as typed: repeated `dusun` and `group` fields become the lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReachForm {
    pub channel: String,
    pub reach: String,
    pub hamlets: Vec<String>,
    pub groups: Vec<String>,
    pub note: String,
}

/// A channel that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedReach {
    pub channel: &'static str,
    /// Estimated people reached; unknown when not given.
    pub reach: Option<i64>,
    pub hamlets: Vec<String>,
    pub groups: Vec<Uuid>,
    pub note: Option<String>,
}

impl ReachForm {
    pub fn from_pairs<K: AsRef<str>>(pairs: impl Iterator<Item = (K, String)>) -> ReachForm {
        let mut f = ReachForm::default();
        for (k, v) in pairs {
            match k.as_ref() {
                "channel" => f.channel = v,
                "reach" => f.reach = v,
                "dusun" | "hamlet" if !v.trim().is_empty() => f.hamlets.push(v),
                "group" if !v.trim().is_empty() => f.groups.push(v),
                "note" => f.note = v,
                _ => {}
            }
        }
        f
    }

    pub fn reaches_hamlet(&self, hamlet: &str) -> bool {
        self.hamlets.iter().any(|h| h == hamlet)
    }

    pub fn reaches_group(&self, group: &Uuid) -> bool {
        let id = group.to_string();
        self.groups.contains(&id)
    }

    /// `hamlets` and `groups` are the village's; `population` caps the estimate when the
    /// village has recorded it.
    pub fn validate(
        &self,
        hamlets: &[String],
        groups: &[Uuid],
        population: Option<i64>,
    ) -> Result<CheckedReach, FieldErrors> {
        let mut e = FieldErrors::new();
        let channel = CHANNELS
            .iter()
            .find(|c| **c == self.channel.trim())
            .copied();
        if channel.is_none() {
            e.add("channel", "error.choose_from_list");
        }
        let cap = population.filter(|p| *p > 0).unwrap_or(10_000_000);
        let reach = match self.reach.trim() {
            "" => None,
            raw => match validation::parse_grouped_integer(raw) {
                Some(n) if n > 0 && n <= cap => Some(n),
                Some(n) if n > cap => {
                    e.add("reach", "error.reach_over_population");
                    None
                }
                _ => {
                    e.add("reach", "error.reach");
                    None
                }
            },
        };
        let mut reached = Vec::new();
        for h in &self.hamlets {
            match hamlets.iter().find(|x| **x == h.trim()) {
                Some(x) if !reached.contains(x) => reached.push(x.clone()),
                Some(_) => {}
                None => e.add("dusun", "error.choose_from_list"),
            }
        }
        let mut ids = Vec::new();
        for g in &self.groups {
            match g
                .trim()
                .parse::<Uuid>()
                .ok()
                .filter(|id| groups.contains(id))
            {
                Some(id) if !ids.contains(&id) => ids.push(id),
                Some(_) => {}
                None => e.add("group", "error.group_of_village"),
            }
        }
        let note = validation::optional_text(&mut e, "note", &self.note, 500);
        match channel {
            Some(channel) if e.is_empty() => Ok(CheckedReach {
                channel,
                reach,
                hamlets: reached,
                groups: ids,
                note,
            }),
            _ => Err(e),
        }
    }
}

/// One recorded channel, as the coverage reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReachFact {
    pub channel: String,
    pub reach: Option<i64>,
    pub hamlets: Vec<String>,
    pub groups: Vec<Uuid>,
}

/// What one kind of channel did over the period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChannelUse {
    pub channel: String,
    /// Times it was recorded.
    pub uses: i64,
    /// The sum of the estimates given (uses without one add nothing).
    pub reach: i64,
    pub hamlets: Vec<String>,
    pub groups: Vec<String>,
}

/// Which channels reached whom, and whom none reached.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Coverage {
    pub channels: Vec<ChannelUse>,
    pub unreached_hamlets: Vec<String>,
    pub unreached_groups: Vec<String>,
}

/// The coverage of the recorded channels over the village's dusun and groups (`groups`:
/// id and name), channels in the order of the list, dusun and groups in the village's.
pub fn coverage(facts: &[ReachFact], hamlets: &[String], groups: &[(Uuid, String)]) -> Coverage {
    let mut channels = Vec::new();
    for code in CHANNELS {
        let of: Vec<&ReachFact> = facts.iter().filter(|f| f.channel == code).collect();
        if of.is_empty() {
            continue;
        }
        channels.push(ChannelUse {
            channel: code.to_string(),
            uses: of.len() as i64,
            reach: of.iter().filter_map(|f| f.reach).sum(),
            hamlets: hamlets
                .iter()
                .filter(|h| of.iter().any(|f| f.hamlets.contains(h)))
                .cloned()
                .collect(),
            groups: groups
                .iter()
                .filter(|(id, _)| of.iter().any(|f| f.groups.contains(id)))
                .map(|(_, name)| name.clone())
                .collect(),
        });
    }
    Coverage {
        channels,
        unreached_hamlets: hamlets
            .iter()
            .filter(|h| !facts.iter().any(|f| f.hamlets.contains(h)))
            .cloned()
            .collect(),
        unreached_groups: groups
            .iter()
            .filter(|(id, _)| !facts.iter().any(|f| f.groups.contains(id)))
            .map(|(_, name)| name.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> ReachForm {
        ReachForm::from_pairs(pairs.iter().map(|(k, v)| (*k, v.to_string())))
    }

    #[test]
    fn a_channel_names_its_reach_and_whom_it_reached_among_the_villages_own() {
        let hamlets = vec!["Dusun I".to_string(), "Dusun II".to_string()];
        let g = Uuid::from_u128(7);
        let ok = form(&[
            ("channel", "whatsapp"),
            ("reach", "1.200"),
            ("dusun", "Dusun II"),
            ("dusun", "Dusun II"),
            ("group", &g.to_string()),
            ("group", ""),
        ])
        .validate(&hamlets, &[g], Some(3000))
        .unwrap();
        assert_eq!(
            (ok.channel, ok.reach, ok.hamlets, ok.groups),
            (
                "whatsapp",
                Some(1200),
                vec!["Dusun II".to_string()],
                vec![g]
            )
        );
        // No estimate is allowed (it is then unknown); nothing else is required.
        let bare = form(&[("channel", "papan_pengumuman")])
            .validate(&hamlets, &[], None)
            .unwrap();
        assert_eq!(bare.reach, None);
        let bad = form(&[
            ("channel", "merpati"),
            ("reach", "5000"),
            ("dusun", "Dusun Tetangga"),
            ("group", &Uuid::from_u128(8).to_string()),
        ])
        .validate(&hamlets, &[g], Some(3000))
        .unwrap_err();
        assert_eq!(bad.get("channel"), Some("error.choose_from_list"));
        assert_eq!(bad.get("reach"), Some("error.reach_over_population"));
        assert_eq!(bad.get("dusun"), Some("error.choose_from_list"));
        assert_eq!(bad.get("group"), Some("error.group_of_village"));
        for raw in ["0", "-5", "banyak"] {
            let e = form(&[("channel", "forum"), ("reach", raw)])
                .validate(&hamlets, &[], None)
                .unwrap_err();
            assert_eq!(e.get("reach"), Some("error.reach"), "{raw}");
        }
    }

    #[test]
    fn coverage_sums_the_estimates_per_channel_and_names_whom_none_reached() {
        let hamlets: Vec<String> = ["Dusun I", "Dusun II", "Dusun III"]
            .map(String::from)
            .to_vec();
        let (tani, pkk, difabel) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let groups = vec![
            (tani, "Tani".to_string()),
            (pkk, "PKK".to_string()),
            (difabel, "Difabel".to_string()),
        ];
        let fact = |channel: &str, reach: Option<i64>, h: &[&str], g: &[Uuid]| ReachFact {
            channel: channel.into(),
            reach,
            hamlets: h.iter().map(|x| x.to_string()).collect(),
            groups: g.to_vec(),
        };
        let c = coverage(
            &[
                fact("whatsapp", Some(300), &["Dusun I"], &[pkk]),
                fact("papan_pengumuman", None, &["Dusun II"], &[]),
                fact("whatsapp", Some(150), &["Dusun II"], &[tani]),
            ],
            &hamlets,
            &groups,
        );
        // In the list's order: the notice board before WhatsApp.
        assert_eq!(
            c.channels,
            vec![
                ChannelUse {
                    channel: "papan_pengumuman".into(),
                    uses: 1,
                    reach: 0,
                    hamlets: vec!["Dusun II".into()],
                    groups: vec![],
                },
                ChannelUse {
                    channel: "whatsapp".into(),
                    uses: 2,
                    reach: 450,
                    hamlets: vec!["Dusun I".into(), "Dusun II".into()],
                    groups: vec!["Tani".into(), "PKK".into()],
                },
            ]
        );
        assert_eq!(c.unreached_hamlets, vec!["Dusun III".to_string()]);
        assert_eq!(c.unreached_groups, vec!["Difabel".to_string()]);
        // Nothing recorded: no one was reached.
        let none = coverage(&[], &hamlets, &groups);
        assert_eq!(none.unreached_hamlets.len(), 3);
        assert_eq!(none.unreached_groups.len(), 3);
    }
}
