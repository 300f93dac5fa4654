//! Paging of long lists: the page asked for in `?page=`, and whether another follows.

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PageQuery {
    page: Option<String>,
}

impl PageQuery {
    /// Page numbers start at 1; anything unreadable is page 1.
    pub fn number(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse::<i64>().ok())
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1)
    }
}

/// Splits off the extra row fetched to learn whether another page follows
/// (no count of everything per page).
pub fn split_page<T>(mut rows: Vec<T>, per_page: i64) -> (Vec<T>, bool) {
    let has_next = rows.len() as i64 > per_page;
    rows.truncate(per_page as usize);
    (rows, has_next)
}
