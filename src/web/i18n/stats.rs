//! Catalogue entries of the engagement metrics.

/// (key, Bahasa Indonesia, English)
pub const ENTRIES: &[(&str, &str, &str)] = &[
    (
        "stats.title",
        "Statistik keterlibatan warga",
        "Engagement statistics",
    ),
    ("stats.from", "Dari tanggal", "From"),
    ("stats.to", "Sampai tanggal", "To"),
    ("stats.show", "Tampilkan", "Show"),
    (
        "stats.empty",
        "Belum ada musyawarah, tanggapan atau penilaian pada periode ini; semua angka nol.",
        "No meetings, feedback or ratings in this period; every figure is zero.",
    ),
    ("stats.participation", "Partisipasi", "Participation"),
    (
        "stats.participants",
        "Warga yang ikut",
        "People who took part",
    ),
    ("stats.rate", "Tingkat partisipasi", "Participation rate"),
    (
        "stats.of_adults",
        "dari perkiraan penduduk dewasa",
        "of an estimated adult population of",
    ),
    (
        "stats.adults_note",
        "Orang dihitung dari nama di daftar hadir dan tanggapan. Penduduk dewasa diperkirakan 70% dari jumlah penduduk (Sensus Penduduk 2020).",
        "People are counted by the names on attendance lists and feedback. Adults are estimated as 70% of the population (2020 census).",
    ),
    (
        "stats.frequency",
        "Kehadiran rata-rata",
        "Average attendance",
    ),
    (
        "stats.meetings_per_person",
        "musyawarah per orang",
        "meetings per person",
    ),
    (
        "stats.attendances",
        "Kehadiran di musyawarah",
        "Meeting attendances",
    ),
    (
        "stats.gender",
        "Keseimbangan gender di musyawarah",
        "Gender balance at meetings",
    ),
    ("stats.concentration", "Sebaran suara", "Spread of voices"),
    (
        "stats.concentrated",
        "Perhatian: sebagian besar suara datang dari sedikit orang yang sama. Undang dan dengarkan warga lain.",
        "Warning: most contributions come from the same few people. Invite and hear others.",
    ),
    (
        "stats.contributions",
        "Kontribusi (kehadiran dan tanggapan)",
        "Contributions (attendance and feedback)",
    ),
    (
        "stats.top_tenth",
        "Bagian dari 10% warga paling aktif",
        "Share of the most active 10%",
    ),
    ("stats.gini", "Koefisien Gini", "Gini coefficient"),
    (
        "stats.concentration_note",
        "Gini 0 berarti setiap orang sama seringnya didengar; mendekati 1 berarti suara terpusat pada sedikit orang.",
        "A Gini of 0 means everyone was heard equally often; near 1 means a few voices dominate.",
    ),
    ("stats.coverage", "Kelompok yang didengar", "Groups heard"),
    ("stats.groups", "Kelompok", "Groups"),
    ("stats.groups_heard", "Pernah didengar", "Heard"),
    (
        "stats.groups_never_heard",
        "Belum pernah didengar",
        "Never heard",
    ),
    (
        "stats.feedback",
        "Tanggapan dan tindak lanjut",
        "Feedback and follow-up",
    ),
    ("stats.feedback_count", "Tanggapan", "Feedback entries"),
    ("stats.concerns", "Kekhawatiran", "Concerns"),
    (
        "stats.concerns_answered",
        "Kekhawatiran yang dijawab",
        "Concerns answered",
    ),
    (
        "stats.median_answer",
        "Waktu menjawab (median)",
        "Time to answer (median)",
    ),
    ("stats.hours", "jam", "hours"),
    (
        "stats.satisfaction",
        "Kepuasan atas hasil",
        "Satisfaction with results",
    ),
    (
        "stats.by_status",
        "Usulan menurut status",
        "Proposals by status",
    ),
    (
        "compare.title",
        "Keterlibatan warga antardesa",
        "Engagement across villages",
    ),
    (
        "compare.intro",
        "Desa-desa di instalasi ini berdampingan pada angka yang sama: mana yang melibatkan warganya, mana yang belum.",
        "The villages of this installation side by side on the same figures: which engage their residents, which do not yet.",
    ),
    ("compare.sort_by", "Urutkan menurut", "Sort by"),
    ("compare.concentrated", "suara terpusat", "few voices"),
    ("nav.compare", "Statistik antardesa", "Villages compared"),
    (
        "error.date",
        "Tulis tanggal seperti 2026-11-23.",
        "Write the date like 2026-11-23.",
    ),
    (
        "error.period_reversed",
        "Tanggal akhir tidak boleh sebelum tanggal awal.",
        "The end cannot be before the start.",
    ),
];
