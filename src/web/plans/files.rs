//! The plan as files: CSV and a spreadsheet (`.xlsx`) in the RKP Desa column layout.
//! Both are written in Bahasa Indonesia, like the printed document they stand for, and
//! hold the same rows: the RKP Desa in priority order, then the DU-RKP list.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::domain::plan::{Item, Placement};
use crate::store::plans::StoredPlan;
use crate::store::villages::Village;
use crate::web::i18n::Lang;

/// The column heads, after the RKP Desa form (Permendagri 114/2014); cost and source are
/// the form's two sub-columns of "Perkiraan Biaya dan Sumber". The last two say which
/// proposal a row is and in which list it stands.
pub const COLUMNS: [&str; 12] = [
    "No",
    "Bidang/Jenis Kegiatan",
    "Lokasi",
    "Volume",
    "Sasaran/Manfaat",
    "Waktu Pelaksanaan",
    "Perkiraan Biaya dan Sumber: Jumlah (Rp)",
    "Perkiraan Biaya dan Sumber: Sumber",
    "Pola Pelaksanaan",
    "Rencana Pelaksana",
    "Nomor Usulan",
    "Daftar",
];

/// One row's cells; the cost is the only number.
struct Row {
    no: usize,
    text: [String; 5],
    cost: Option<i64>,
    rest: [String; 5],
}

fn id(key: &str) -> &'static str {
    Lang::ID.t(key)
}

/// `Juli - September` (one month alone when it starts and ends in it).
pub fn months_text(lang: Lang, months: Option<(u32, u32)>) -> String {
    match months {
        None => String::new(),
        Some((a, b)) if a == b => lang.t(&format!("month.{a}")).to_string(),
        Some((a, b)) => format!(
            "{} - {}",
            lang.t(&format!("month.{a}")),
            lang.t(&format!("month.{b}"))
        ),
    }
}

fn rows(plan: &StoredPlan) -> Vec<Row> {
    let list = |p: Placement| -> Vec<&Item> {
        plan.plan
            .items
            .iter()
            .filter(|i| i.placement == p)
            .collect()
    };
    let mut out = Vec::new();
    for placement in [
        Placement::Rkp,
        Placement::Rpjm,
        Placement::DuRkp,
        Placement::Incomplete,
    ] {
        // The RKP Desa opens with the year's standing items of bidang 01.
        let fixed = plan
            .plan
            .standing
            .iter()
            .filter(|_| placement == Placement::Rkp);
        let first = out.len();
        for s in fixed {
            out.push(Row {
                no: out.len() - first + 1,
                text: [
                    format!(
                        "{} {} / {} {}",
                        s.bidang(),
                        id(&format!("bidang.{}", s.bidang())),
                        s.number(),
                        s.kegiatan
                    ),
                    String::new(),
                    s.volume.clone(),
                    String::new(),
                    months_text(Lang::ID, Some((1, 12))),
                ],
                cost: Some(s.cost),
                rest: [
                    id(&format!("funding.{}", s.source)).to_string(),
                    id("pattern.swakelola").to_string(),
                    s.pelaksana
                        .as_deref()
                        .map(|p| id(&format!("pelaksana.{p}")).to_string())
                        .unwrap_or_default(),
                    id("plan.standing_row").to_string(),
                    id(&format!("placement.{}", placement.code())).to_string(),
                ],
            });
        }
        let standing = out.len() - first;
        for (n, i) in list(placement).into_iter().enumerate() {
            out.push(Row {
                no: standing + n + 1,
                text: [
                    activity(i),
                    i.location.clone(),
                    i.volume.clone(),
                    beneficiaries_text(Lang::ID, i),
                    months_text(Lang::ID, i.months),
                ],
                cost: i.cost,
                rest: [
                    sources_text(i),
                    i.pattern
                        .as_deref()
                        .map(|p| id(&format!("pattern.{p}")).to_string())
                        .unwrap_or_default(),
                    implementer_text(Lang::ID, i),
                    i.number.clone(),
                    id(&format!("placement.{}", placement.code())).to_string(),
                ],
            });
        }
    }
    out
}

/// The "Sumber" cell: the source's name; for a cost split over sources, each with its part
/// (`Dana Desa (DD) 40000000; Alokasi Dana Desa (ADD) 20000000`).
pub fn sources_text(i: &Item) -> String {
    if i.shares.is_empty() {
        return i
            .source
            .as_deref()
            .map(|s| id(&format!("funding.{s}")).to_string())
            .unwrap_or_default();
    }
    i.parts()
        .iter()
        .map(|(s, a)| format!("{} {a}", id(&format!("funding.{s}"))))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The "Sasaran/Manfaat" cell: what was written, then men, women and poor households
/// (`120 KK Dusun II; L 190, P 198, RTM 23`).
pub fn beneficiaries_text(lang: Lang, i: &Item) -> String {
    let counts: Vec<String> = [
        (lang.t("plan.men_short"), i.men),
        (lang.t("plan.women_short"), i.women),
        (lang.t("plan.poor_short"), i.poor),
    ]
    .into_iter()
    .filter_map(|(label, n)| {
        n.map(|n| format!("{label} {}", crate::domain::money::group_thousands(n)))
    })
    .collect();
    [i.beneficiaries.clone(), counts.join(", ")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The "Rencana Pelaksana" cell: the responsible Kasi or Kaur (with the TPK), then the
/// community body named on the proposal (`Kasi Kesejahteraan dengan TPK; Kelompok Tani`).
pub fn implementer_text(lang: Lang, i: &Item) -> String {
    let official = i.pelaksana.as_deref().map(|p| {
        let name = lang.t(&format!("pelaksana.{p}"));
        if i.tpk {
            format!("{name} {}", lang.t("plan.with_tpk"))
        } else {
            name.to_string()
        }
    });
    [official, i.implementer.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("; ")
}

/// The "Bidang/Jenis Kegiatan" cell: `02 Pelaksanaan Pembangunan Desa / <title>`.
/// `02 Pelaksanaan Pembangunan Desa / 02.03.12 Pengerasan jalan usaha tani`: the bidang,
/// then the activity under its kegiatan code when one is chosen.
pub fn activity(i: &Item) -> String {
    let code = i
        .kegiatan
        .as_deref()
        .map(|k| format!("{k} "))
        .unwrap_or_default();
    format!(
        "{} {} / {code}{}",
        i.bidang,
        id(&format!("bidang.{}", i.bidang)),
        i.title
    )
}

/// A text cell as a spreadsheet may safely read it (the OWASP rule for CSV injection):
/// one that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken for a
/// formula — `=HYPERLINK(…)` typed as a location becomes a live link — so it gets a leading
/// apostrophe, which spreadsheets read as "this is text". A plain number stays a number.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let number = cell.strip_prefix(['-', '+']).is_some_and(|d| {
        !d.is_empty()
            && d.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    });
    if risky && !number {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// How the CSV's fields are separated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    /// Commas, as RFC 4180 and most programs expect.
    Comma,
    /// Semicolons after a UTF-8 byte order mark: what a spreadsheet set to Indonesian
    /// (where the comma is the decimal mark) opens as columns, with its accents intact.
    Semicolon,
}

/// The plan as CSV: one header row, then one row per proposal; amounts as plain digits,
/// every text cell [`neutralise`]d.
pub fn csv(plan: &StoredPlan, separator: Separator) -> Result<Vec<u8>, csv::Error> {
    let rows = rows(plan)
        .into_iter()
        .map(|r| {
            let mut cells = vec![r.no.to_string()];
            cells.extend(r.text);
            cells.push(r.cost.map(|c| c.to_string()).unwrap_or_default());
            cells.extend(r.rest);
            cells
        })
        .collect();
    write_csv(separator, &COLUMNS, rows)
}

/// A CSV file with one header row: every cell [`neutralise`]d (plain digits stay numbers).
pub fn write_csv(
    separator: Separator,
    header: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<Vec<u8>, csv::Error> {
    let (delimiter, start): (u8, &[u8]) = match separator {
        Separator::Comma => (b',', b""),
        Separator::Semicolon => (b';', "\u{feff}".as_bytes()),
    };
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(start.to_vec());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| neutralise(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The plan as a workbook: the RKP Desa sheet (title, status, the rows, totals), then the
/// ceilings and totals per funding source and per bidang, then the scores.
pub fn xlsx(plan: &StoredPlan, village: &Village) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(13);
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color("#E3EFE9");
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let money = Format::new()
        .set_num_format("#,##0")
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let money_bold = money.clone().set_bold();

    let sheet = book.add_worksheet().set_name("RKP Desa")?;
    sheet.write_string_with_format(
        0,
        0,
        format!(
            "RENCANA KERJA PEMERINTAH DESA (RKP DESA) TAHUN {}",
            plan.year
        ),
        &title,
    )?;
    let place = [
        Some(format!("Desa {}", village.name)),
        village.kecamatan.as_ref().map(|k| format!("Kecamatan {k}")),
        village.kabupaten.as_ref().map(|k| format!("Kabupaten {k}")),
        village.provinsi.as_ref().map(|p| format!("Provinsi {p}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    sheet.write_string(1, 0, place)?;
    let status = match (&plan.adoption, &plan.perdes) {
        (Some(a), Some(p)) => format!(
            "Ditetapkan dengan Peraturan Desa Nomor {} tanggal {}; disepakati dalam {} (kode berita acara {})",
            p.number,
            p.date.format("%d-%m-%Y"),
            a.meeting_title,
            crate::domain::meeting::display_code(&a.verification_code)
        ),
        (Some(a), None) => format!(
            "Ditetapkan dalam {} (kode berita acara {})",
            a.meeting_title,
            crate::domain::meeting::display_code(&a.verification_code)
        ),
        (None, _) => "DRAF - belum ditetapkan dengan Peraturan Desa".to_string(),
    };
    sheet.write_string(2, 0, status)?;
    let header_row = 4;
    for (c, name) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(header_row, c as u16, *name, &head)?;
    }
    let widths = [
        5.0, 42.0, 22.0, 12.0, 22.0, 18.0, 16.0, 22.0, 16.0, 22.0, 12.0, 12.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;
    // Printed from a spreadsheet as the village office does: A4 landscape, one page wide,
    // the column heads on every page.
    sheet
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true);
    sheet.set_repeat_rows(header_row, header_row)?;
    let mut r = header_row + 1;
    for row in rows(plan) {
        sheet.write_number_with_format(r, 0, row.no as f64, &cell)?;
        for (c, text) in row.text.iter().enumerate() {
            sheet.write_string_with_format(r, 1 + c as u16, text, &cell)?;
        }
        match row.cost {
            Some(cost) => sheet.write_number_with_format(r, 6, cost as f64, &money)?,
            None => sheet.write_blank(r, 6, &money)?,
        };
        for (c, text) in row.rest.iter().enumerate() {
            sheet.write_string_with_format(r, 7 + c as u16, text, &cell)?;
        }
        r += 1;
    }
    r += 1;
    for (label, amount) in [
        ("Jumlah RKP Desa", plan.plan.funded),
        ("Kembali ke RPJM Desa", plan.plan.rpjm),
        ("Jumlah DU-RKP", plan.plan.du_rkp),
        ("Pagu indikatif", plan.plan.ceiling),
    ] {
        sheet.write_string_with_format(r, 1, label, &bold)?;
        sheet.write_number_with_format(r, 6, amount as f64, &money_bold)?;
        r += 1;
    }

    let totals = book.add_worksheet().set_name("Pagu dan Jumlah")?;
    totals
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    totals.set_column_width(0, 44.0)?;
    for c in 1..=4 {
        totals.set_column_width(c, 18.0)?;
    }
    for (c, name) in [
        "Sumber",
        "Pagu indikatif",
        "RKP Desa",
        "Sisa pagu",
        "Kembali ke RPJM Desa",
    ]
    .iter()
    .enumerate()
    {
        totals.write_string_with_format(0, c as u16, *name, &head)?;
    }
    let mut r = 1;
    for s in &plan.plan.sources {
        totals.write_string_with_format(r, 0, id(&format!("funding.{}", s.source)), &cell)?;
        for (c, v) in [s.ceiling, s.funded, s.remaining, s.rpjm]
            .iter()
            .enumerate()
        {
            totals.write_number_with_format(r, 1 + c as u16, *v as f64, &money)?;
        }
        r += 1;
    }
    r += 1;
    for (c, name) in [
        "Bidang",
        "Jumlah usulan",
        "RKP Desa",
        "Kembali ke RPJM Desa",
        "DU-RKP",
    ]
    .iter()
    .enumerate()
    {
        totals.write_string_with_format(r, c as u16, *name, &head)?;
    }
    r += 1;
    for b in &plan.plan.bidang {
        totals.write_string_with_format(
            r,
            0,
            format!("{} {}", b.bidang, id(&format!("bidang.{}", b.bidang))),
            &cell,
        )?;
        totals.write_number_with_format(r, 1, b.count as f64, &cell)?;
        totals.write_number_with_format(r, 2, b.funded as f64, &money)?;
        totals.write_number_with_format(r, 3, b.rpjm as f64, &money)?;
        totals.write_number_with_format(r, 4, b.du_rkp as f64, &money)?;
        r += 1;
    }

    let scores = book.add_worksheet().set_name("Skala Prioritas")?;
    scores
        .set_paper_size(9)
        .set_landscape()
        .set_print_fit_to_pages(1, 0);
    scores.set_column_width(1, 12.0)?;
    scores.set_column_width(2, 40.0)?;
    let mut heads = vec![
        "Peringkat".to_string(),
        "Nomor Usulan".into(),
        "Usulan".into(),
    ];
    heads.extend(
        plan.plan
            .criteria
            .iter()
            .map(|c| format!("{} (bobot {}, 1-{})", c.name, c.weight, c.max_score)),
    );
    heads.extend(["Nilai (0-100)".to_string(), "Dukungan".into()]);
    for (c, name) in heads.iter().enumerate() {
        scores.write_string_with_format(0, c as u16, name, &head)?;
    }
    let n = plan.plan.criteria.len() as u16;
    for (i, item) in plan.plan.items.iter().enumerate() {
        let r = 1 + i as u32;
        scores.write_number_with_format(r, 0, item.rank as f64, &cell)?;
        scores.write_string_with_format(r, 1, &item.number, &cell)?;
        scores.write_string_with_format(r, 2, &item.title, &cell)?;
        for (c, s) in item.scores.iter().enumerate() {
            match s {
                Some(s) => scores.write_number_with_format(r, 3 + c as u16, *s as f64, &cell)?,
                None => scores.write_blank(r, 3 + c as u16, &cell)?,
            };
        }
        let score = Format::new()
            .set_num_format("0.00")
            .set_border(FormatBorder::Thin);
        scores.write_number_with_format(r, 3 + n, item.score as f64 / 100.0, &score)?;
        scores.write_number_with_format(r, 4 + n, item.supports as f64, &cell)?;
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn cells_that_a_spreadsheet_would_run_become_text_and_numbers_stay_numbers() {
        for risky in [
            "=HYPERLINK(\"http://127.0.0.1:4299/x\",\"klik\")",
            "+1+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1:A2)",
            "\t=1+1",
            "\r=1+1",
            "-",
        ] {
            assert_eq!(neutralise(risky), format!("'{risky}"), "{risky:?}");
        }
        for safe in [
            "Dusun II RT 03",
            "250 m",
            "12.500",
            "-1500",
            "+62",
            "-3.5",
            "",
            "a=b",
        ] {
            assert_eq!(neutralise(safe), safe, "{safe:?}");
        }
    }
}
