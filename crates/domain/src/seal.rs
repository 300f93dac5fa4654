//! Seals that a database writer cannot forge: every sealed record (a finalized meeting, an
//! addendum, an adopted plan) gets an entry in its village's hash chain, signed with the
//! installation's Ed25519 key.
//!
//! The anchors are Certificate Transparency and Sigstore's log: signed entries in an
//! append-only chain. An entry names the village, its place in the chain (`seq`), what it
//! seals (kind and id), the SHA-256 of the sealed bytes, the previous entry's hash and the
//! moment. Its hash covers all of that, and the signature covers the same bytes. Changing
//! a sealed record breaks its content hash; recomputing the hash breaks the signature
//! (the private key is not in the database); deleting, replacing or inserting an entry
//! breaks the chain. Anyone holding the published public key can check an entry offline
//! from the open data.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use chrono::{DateTime, SecondsFormat, Utc};
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The `prev` of a village's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an entry seals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Meeting,
    Addendum,
    Plan,
    /// A scan of the signed paper, attached to a finalized meeting.
    Scan,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Meeting => "meeting",
            Kind::Addendum => "addendum",
            Kind::Plan => "plan",
            Kind::Scan => "scan",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        [Kind::Meeting, Kind::Addendum, Kind::Plan, Kind::Scan]
            .into_iter()
            .find(|k| k.code() == s)
    }
}

/// SHA-256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The sealed bytes of an addendum: its facts as one JSON object, keys in this order.
pub fn addendum_bytes(
    meeting: Uuid,
    id: Uuid,
    body: &str,
    author: &str,
    at: DateTime<Utc>,
) -> Vec<u8> {
    serde_json::json!({
        "meeting": meeting.to_string(),
        "addendum": id.to_string(),
        "body": body,
        "author": author,
        "at": at.to_rfc3339_opts(SecondsFormat::Micros, true),
    })
    .to_string()
    .into_bytes()
}

/// The sealed bytes of a scan of the signed paper: its facts and the SHA-256 of the file,
/// as one JSON object, keys in this order.
pub fn scan_bytes(
    meeting: Uuid,
    id: Uuid,
    label: &str,
    content_type: &str,
    file_sha256: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Vec<u8> {
    serde_json::json!({
        "meeting": meeting.to_string(),
        "scan": id.to_string(),
        "label": label,
        "content_type": content_type,
        "sha256": file_sha256,
        "by": by,
        "at": at.to_rfc3339_opts(SecondsFormat::Micros, true),
    })
    .to_string()
    .into_bytes()
}

/// One entry of a village's chain, as stored and published.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub village_id: Uuid,
    pub seq: i64,
    pub kind: String,
    pub subject_id: Uuid,
    /// The record the subject belongs to (an addendum's meeting), if any.
    pub parent_id: Option<Uuid>,
    /// SHA-256 (hex) of the sealed bytes.
    pub content_hash: String,
    /// The previous entry's `entry_hash`, or [`GENESIS`].
    pub prev_hash: String,
    /// SHA-256 (hex) of [`Entry::signed_bytes`].
    pub entry_hash: String,
    /// The fingerprint of the key that signed it.
    pub key_id: String,
    /// Ed25519 signature of [`Entry::signed_bytes`], base64.
    pub signature: String,
    pub sealed_at: DateTime<Utc>,
}

impl Entry {
    /// The exact bytes that are hashed and signed: one `name:value` line per field, in
    /// this order. Written out so that anyone can rebuild them from the open data.
    pub fn signed_bytes(&self) -> Vec<u8> {
        format!(
            "musdes-seal/1\nvillage:{}\nseq:{}\nkind:{}\nsubject:{}\nparent:{}\ncontent:{}\nprev:{}\nat:{}\nkey:{}\n",
            self.village_id,
            self.seq,
            self.kind,
            self.subject_id,
            self.parent_id.map_or_else(|| "-".to_string(), |p| p.to_string()),
            self.content_hash,
            self.prev_hash,
            self.sealed_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            self.key_id,
        )
        .into_bytes()
    }
}

/// A public key and its fingerprint (the first 16 bytes of the SHA-256 of the key, hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    pub key_id: String,
    pub key: VerifyingKey,
}

impl PublicKey {
    pub fn new(key: VerifyingKey) -> PublicKey {
        PublicKey {
            key_id: sha256_hex(key.as_bytes())[..32].to_string(),
            key,
        }
    }
    /// The key as base64 (32 bytes), as published.
    pub fn encoded(&self) -> String {
        B64.encode(self.key.as_bytes())
    }
    pub fn parse(encoded: &str) -> Option<PublicKey> {
        let bytes: [u8; 32] = B64.decode(encoded.trim()).ok()?.try_into().ok()?;
        VerifyingKey::from_bytes(&bytes).ok().map(PublicKey::new)
    }
    /// The fingerprint in groups of four, as printed in a berita acara's footer.
    pub fn fingerprint(key_id: &str) -> String {
        key_id
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The installation's keys: the one that signs now, and every key it trusts (the current
/// one and those retired by rotation or brought in with an imported village).
#[derive(Clone)]
pub struct Keyring {
    signing: SigningKey,
    trusted: Vec<PublicKey>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("Keyring")
            .field("current", &self.current().key_id)
            .field("trusted", &self.trusted.len())
            .finish()
    }
}

impl Keyring {
    /// A keyring signing with `seed`, trusting also `retired`.
    pub fn new(seed: [u8; 32], retired: Vec<PublicKey>) -> Keyring {
        let signing = SigningKey::from_bytes(&seed);
        let current = PublicKey::new(signing.verifying_key());
        let mut trusted = vec![current];
        for k in retired {
            if !trusted.contains(&k) {
                trusted.push(k);
            }
        }
        Keyring { signing, trusted }
    }

    /// A keyring with a fresh random key.
    pub fn generate() -> Keyring {
        Keyring::new(rand::random(), Vec::new())
    }

    pub fn current(&self) -> PublicKey {
        self.trusted[0].clone()
    }

    pub fn trusted(&self) -> &[PublicKey] {
        &self.trusted
    }

    pub fn find(&self, key_id: &str) -> Option<&PublicKey> {
        self.trusted.iter().find(|k| k.key_id == key_id)
    }

    /// The next entry of a chain whose last entry hashed to `prev` (at `seq - 1`).
    #[allow(clippy::too_many_arguments)]
    pub fn seal(
        &self,
        village_id: Uuid,
        seq: i64,
        kind: Kind,
        (subject_id, parent_id): (Uuid, Option<Uuid>),
        content: &[u8],
        prev_hash: &str,
        at: DateTime<Utc>,
    ) -> Entry {
        let mut entry = Entry {
            village_id,
            seq,
            kind: kind.code().to_string(),
            subject_id,
            parent_id,
            content_hash: sha256_hex(content),
            prev_hash: prev_hash.to_string(),
            entry_hash: String::new(),
            key_id: self.current().key_id,
            signature: String::new(),
            sealed_at: at,
        };
        let bytes = entry.signed_bytes();
        entry.entry_hash = sha256_hex(&bytes);
        entry.signature = B64.encode(self.signing.sign(&bytes).to_bytes());
        entry
    }

    /// What is wrong with one entry on its own (hash, signature, key), or `None`.
    pub fn entry_problem(&self, entry: &Entry) -> Option<Problem> {
        let bytes = entry.signed_bytes();
        if sha256_hex(&bytes) != entry.entry_hash {
            return Some(Problem::EntryAltered);
        }
        let Some(key) = self.find(&entry.key_id) else {
            return Some(Problem::UnknownKey);
        };
        let signature = B64
            .decode(&entry.signature)
            .ok()
            .and_then(|b| <[u8; 64]>::try_from(b).ok())
            .map(|b| ed25519_dalek::Signature::from_bytes(&b));
        match signature {
            Some(s) if key.key.verify(&bytes, &s).is_ok() => None,
            _ => Some(Problem::BadSignature),
        }
    }
}

/// Why a seal does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The sealed record has no entry in the chain.
    Unsealed,
    /// The record's bytes no longer hash to what its entry says.
    ContentChanged,
    /// The entry's own fields were changed after signing.
    EntryAltered,
    /// The signature does not verify with the key it names.
    BadSignature,
    /// The entry names a key this installation does not trust.
    UnknownKey,
    /// The chain has a gap, a duplicate or a broken link here (an entry was deleted,
    /// replaced or inserted).
    ChainBroken,
    /// The entry seals a record that is no longer there.
    RecordMissing,
}

impl Problem {
    /// The message key that explains it.
    pub fn key(self) -> &'static str {
        match self {
            Problem::Unsealed => "seal.problem.unsealed",
            Problem::ContentChanged => "seal.problem.content",
            Problem::EntryAltered => "seal.problem.entry",
            Problem::BadSignature => "seal.problem.signature",
            Problem::UnknownKey => "seal.problem.key",
            Problem::ChainBroken => "seal.problem.chain",
            Problem::RecordMissing => "seal.problem.missing",
        }
    }
}

/// Checks a sealed record: its entry (if any), the bytes it was sealed over, and the
/// entries either side of it in the chain (`before` at `seq - 1`, `after` at `seq + 1`,
/// when they exist). Every problem found, none when the seal holds. `entry_problem` is
/// [`Keyring::entry_problem`], or a remembered answer of it for the same entry.
pub fn check_record(
    entry_problem: impl FnOnce(&Entry) -> Option<Problem>,
    entry: Option<&Entry>,
    content: &[u8],
    before: Option<&Entry>,
    after: Option<&Entry>,
) -> Vec<Problem> {
    let Some(entry) = entry else {
        return vec![Problem::Unsealed];
    };
    let mut problems = Vec::new();
    if sha256_hex(content) != entry.content_hash {
        problems.push(Problem::ContentChanged);
    }
    if let Some(p) = entry_problem(entry) {
        problems.push(p);
    }
    let linked_before = match before {
        None => entry.seq == 1 && entry.prev_hash == GENESIS,
        Some(b) => b.seq == entry.seq - 1 && b.entry_hash == entry.prev_hash,
    };
    let linked_after = after.is_none_or(|a| a.prev_hash == entry.entry_hash);
    if !linked_before || !linked_after {
        problems.push(Problem::ChainBroken);
    }
    problems
}

/// Checks a whole chain (entries of one village in `seq` order): each entry on its own and
/// each link. Returns the problems with the `seq` they were found at.
pub fn check_chain(keys: &Keyring, entries: &[Entry]) -> Vec<(i64, Problem)> {
    let mut problems = Vec::new();
    let mut prev: Option<&Entry> = None;
    for (i, e) in entries.iter().enumerate() {
        if let Some(p) = keys.entry_problem(e) {
            problems.push((e.seq, p));
        }
        let expected_seq = i as i64 + 1;
        let expected_prev = prev.map_or(GENESIS, |p| p.entry_hash.as_str());
        if e.seq != expected_seq || e.prev_hash != expected_prev {
            problems.push((e.seq, Problem::ChainBroken));
        }
        prev = Some(e);
    }
    problems
}

/// A keyring as kept in its file: `secret <base64 seed>` on one line, then a
/// `retired <base64 public key>` line per key still trusted; `#` starts a comment.
pub fn parse_keyfile(text: &str) -> Result<Keyring, String> {
    let mut seed = None;
    let mut retired = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.split_once(' ') {
            Some(("secret", v)) if seed.is_none() => {
                let bytes: [u8; 32] = B64
                    .decode(v.trim())
                    .ok()
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| {
                        format!("line {}: the secret is not 32 bytes of base64", n + 1)
                    })?;
                seed = Some(bytes);
            }
            Some(("retired", v)) => retired.push(
                PublicKey::parse(v).ok_or_else(|| format!("line {}: not a public key", n + 1))?,
            ),
            _ => {
                return Err(format!(
                    "line {}: expected `secret …` or `retired …`",
                    n + 1
                ));
            }
        }
    }
    let seed = seed.ok_or("no `secret` line")?;
    Ok(Keyring::new(seed, retired))
}

/// The file text of a keyring (see [`parse_keyfile`]).
pub fn keyfile_text(keys: &Keyring) -> String {
    let mut out = String::from(
        "# musdes signing key: keep it secret, back it up, never put it in the database.\n\
         # `retired` lines are public keys still trusted for older seals.\n",
    );
    out.push_str(&format!("secret {}\n", B64.encode(keys.signing.to_bytes())));
    for k in &keys.trusted[1..] {
        out.push_str(&format!("retired {}\n", k.encoded()));
    }
    out
}

/// The same keyring signing with a new key; the old one stays trusted.
pub fn rotate(keys: &Keyring) -> Keyring {
    let mut retired = keys.trusted.clone();
    let seed: [u8; 32] = rand::random();
    retired.retain(|k| k.key != SigningKey::from_bytes(&seed).verifying_key());
    Keyring::new(seed, retired)
}

/// The same keyring trusting `more` too (keys that sealed an imported village).
pub fn trusting(keys: &Keyring, more: &[PublicKey]) -> Keyring {
    let mut retired = keys.trusted[1..].to_vec();
    // Keyring::new keeps each key once.
    retired.extend(more.iter().cloned());
    Keyring::new(keys.signing.to_bytes(), retired)
}

/// A seal's problems as message keys, and its key as a printed fingerprint.
pub fn summary(problems: &[Problem], key: Option<&str>) -> (Vec<&'static str>, Option<String>) {
    (
        problems.iter().map(|p| p.key()).collect(),
        key.map(PublicKey::fingerprint),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + s, 123_000).unwrap()
    }

    fn chain(keys: &Keyring, n: i64) -> (Vec<Entry>, Vec<Vec<u8>>) {
        let village = Uuid::from_u128(7);
        let mut entries: Vec<Entry> = Vec::new();
        let mut contents = Vec::new();
        for seq in 1..=n {
            let content = format!("{{\"record\":{seq}}}").into_bytes();
            let prev = entries
                .last()
                .map_or(GENESIS.to_string(), |e| e.entry_hash.clone());
            entries.push(keys.seal(
                village,
                seq,
                Kind::Meeting,
                (Uuid::from_u128(seq as u128), None),
                &content,
                &prev,
                at(seq),
            ));
            contents.push(content);
        }
        (entries, contents)
    }

    #[test]
    fn an_honest_chain_holds() {
        let keys = Keyring::generate();
        let (e, c) = chain(&keys, 4);
        assert!(check_chain(&keys, &e).is_empty());
        for i in 0..4usize {
            let before = i.checked_sub(1).map(|j| &e[j]);
            assert!(
                check_record(
                    |e| keys.entry_problem(e),
                    Some(&e[i]),
                    &c[i],
                    before,
                    e.get(i + 1)
                )
                .is_empty()
            );
        }
    }

    #[test]
    fn a_changed_record_a_recomputed_hash_and_a_foreign_key_are_caught() {
        let keys = Keyring::generate();
        let (mut e, c) = chain(&keys, 3);
        // The decision changed in the record.
        assert_eq!(
            check_record(
                |e| keys.entry_problem(e),
                Some(&e[1]),
                b"{\"record\":99}",
                Some(&e[0]),
                Some(&e[2])
            ),
            [Problem::ContentChanged]
        );
        // ... and the content hash recomputed by someone without the key.
        e[1].content_hash = sha256_hex(b"{\"record\":99}");
        let problems = check_record(
            |e| keys.entry_problem(e),
            Some(&e[1]),
            b"{\"record\":99}",
            Some(&e[0]),
            Some(&e[2]),
        );
        assert!(problems.contains(&Problem::EntryAltered), "{problems:?}");
        // ... and the entry hash recomputed too: the signature still fails, and the next link.
        e[1].entry_hash = sha256_hex(&e[1].signed_bytes());
        let problems = check_record(
            |e| keys.entry_problem(e),
            Some(&e[1]),
            b"{\"record\":99}",
            Some(&e[0]),
            Some(&e[2]),
        );
        assert!(
            problems.contains(&Problem::BadSignature) && problems.contains(&Problem::ChainBroken),
            "{problems:?}"
        );
        // Re-signed with another key: not trusted here.
        let forger = Keyring::generate();
        let forged = forger.seal(
            e[1].village_id,
            2,
            Kind::Meeting,
            (e[1].subject_id, None),
            b"x",
            &e[0].entry_hash,
            at(2),
        );
        assert!(
            check_record(
                |e| keys.entry_problem(e),
                Some(&forged),
                b"x",
                Some(&e[0]),
                None
            )
            .contains(&Problem::UnknownKey)
        );
        assert_eq!(
            check_record(|e| keys.entry_problem(e), None, &c[0], None, None),
            [Problem::Unsealed]
        );
    }

    #[test]
    fn deleting_replacing_or_inserting_an_entry_breaks_the_chain() {
        let keys = Keyring::generate();
        let (e, _) = chain(&keys, 4);
        let mut deleted = e.clone();
        deleted.remove(1);
        assert!(
            check_chain(&keys, &deleted)
                .iter()
                .any(|(_, p)| *p == Problem::ChainBroken)
        );
        let mut inserted = e.clone();
        let extra = keys.seal(
            e[0].village_id,
            2,
            Kind::Addendum,
            (Uuid::from_u128(99), Some(Uuid::from_u128(1))),
            b"DIBATALKAN",
            &e[0].entry_hash,
            at(9),
        );
        inserted.insert(1, extra);
        assert!(
            check_chain(&keys, &inserted)
                .iter()
                .any(|(_, p)| *p == Problem::ChainBroken)
        );
        let mut swapped = e.clone();
        swapped.swap(1, 2);
        assert!(!check_chain(&keys, &swapped).is_empty());
    }

    #[test]
    fn a_rotated_key_still_verifies_old_seals_and_the_keyfile_round_trips() {
        let keys = Keyring::generate();
        let (e, _) = chain(&keys, 2);
        let rotated = rotate(&keys);
        assert_ne!(rotated.current(), keys.current());
        assert!(check_chain(&rotated, &e).is_empty());
        let text = keyfile_text(&rotated);
        let back = parse_keyfile(&text).unwrap();
        assert_eq!(back.current(), rotated.current());
        assert_eq!(back.trusted(), rotated.trusted());
        assert!(parse_keyfile("secret abc").is_err());
        assert!(parse_keyfile("# nothing").is_err());
        assert_eq!(
            PublicKey::fingerprint("0123456789abcdef"),
            "0123 4567 89ab cdef"
        );
    }
}
