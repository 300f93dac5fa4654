//! Catalogue entries of the engagement ladder and the village's thresholds.

/// (key, Bahasa Indonesia, English)
pub const ENTRIES: &[(&str, &str, &str)] = &[
    // Conditions, as a villager reads them. `{n}` are numbers filled in.
    (
        "ladder.cond.published",
        "Usulan sudah diterbitkan di halaman publik desa.",
        "The proposal is published on the village's public pages.",
    ),
    (
        "ladder.cond.feedback_or_meeting",
        "Warga sudah didengar: paling sedikit {0} tanggapan dari {1} orang atau kelompok berbeda (sekarang {2} tanggapan dari {3}), atau usulan sudah dibahas dalam musyawarah yang berlangsung dengan daftar hadir.",
        "Residents were heard: at least {0} feedback entries from {1} different people or groups (now {2} from {3}), or it was discussed in a held meeting with an attendance list.",
    ),
    (
        "ladder.cond.meeting_with_groups",
        "Dibahas sebagai acara musyawarah yang sudah berlangsung dan dihadiri paling sedikit {0} kelompok masyarakat (sejauh ini paling banyak {1}).",
        "Discussed as an agenda item of a held meeting attended by at least {0} community groups (so far at most {1}).",
    ),
    (
        "ladder.cond.concerns_answered",
        "Setiap kekhawatiran warga sudah dijawab tertulis oleh perangkat desa ({0} belum dijawab).",
        "Every concern raised has a written answer from an official ({0} still unanswered).",
    ),
    (
        "ladder.cond.partnership",
        "Paling sedikit satu kelompok di luar pemerintah desa tercatat sebagai mitra: tenaga (gotong royong), bahan, lahan, dana, keahlian, atau ikut memiliki usulan.",
        "At least one group outside the village government is recorded as a partner: labour (gotong royong), materials, land, funds, expertise, or co-ownership.",
    ),
    (
        "ladder.cond.musdes_accepted",
        "Diterima dalam Musyawarah Desa atau Musrenbangdes yang berita acaranya sudah final.",
        "Accepted in a Musdes or Musrenbangdes whose record is finalized.",
    ),
    (
        "ladder.cond.in_set_plan",
        "Usulan ini masuk RKP Desa yang ditetapkan dengan Peraturan Desa.",
        "It stands in the RKP Desa set by Peraturan Desa.",
    ),
    (
        "ladder.cond.musdes_quorum",
        "Musyawarah itu dibuka sesuai tata tertib (kuorum tercapai, atau rapat jadwal ulang yang dilanjutkan dengan yang hadir).",
        "That meeting opened under the tata tertib (with its quorum, or rescheduled and proceeding with those present).",
    ),
    (
        "ladder.cond.musdes_women",
        "Perempuan yang hadir di Musyawarah Desa itu paling sedikit {0}%.",
        "Women were at least {0}% of those present at that village meeting.",
    ),
    (
        "ladder.cond.implementer",
        "Sebuah kelompok masyarakat (atau Tim Pelaksana Kegiatan) ditunjuk untuk melaksanakannya.",
        "A community body (a group, or the Tim Pelaksana Kegiatan) is named to carry it out.",
    ),
    // The proposal page
    (
        "ladder.next",
        "Syarat naik ke tingkat berikutnya",
        "To climb to the next level",
    ),
    ("ladder.record_it", "Catat di sini", "Record it here"),
    (
        "ladder.cannot_move",
        "Usulan belum dapat dipindahkan ke tingkat itu. Yang belum terpenuhi:",
        "The proposal cannot move to that level yet. Still missing:",
    ),
    (
        "ladder.move",
        "Pindahkan tingkat keterlibatan",
        "Move on the ladder",
    ),
    ("ladder.to_level", "Ke tingkat", "To level"),
    ("ladder.note", "Catatan", "Note"),
    (
        "ladder.note_hint",
        "Wajib bila turun tingkat: tuliskan alasannya.",
        "Required when moving down: write the reason.",
    ),
    ("ladder.move_button", "Pindahkan", "Move"),
    (
        "ladder.moved",
        "Tingkat keterlibatan diubah.",
        "Level changed.",
    ),
    (
        "ladder.record_channel",
        "Catat saluran pengumuman",
        "Record an announcement channel",
    ),
    ("ladder.channel", "Diumumkan lewat", "Announced through"),
    (
        "ladder.channel_recorded",
        "Saluran pengumuman tercatat.",
        "Channel recorded.",
    ),
    (
        "ladder.record_partnership",
        "Catat kemitraan kelompok",
        "Record a group's partnership",
    ),
    ("ladder.group", "Kelompok", "Group"),
    ("ladder.contribution", "Sumbangan", "Contribution"),
    ("ladder.amount", "Nilai (rupiah)", "Value (rupiah)"),
    (
        "ladder.amount_hint",
        "Untuk dana atau bahan; rupiah tanpa desimal. Tidak wajib diisi.",
        "For funds or materials; whole rupiah. Optional.",
    ),
    (
        "ladder.partnership_recorded",
        "Kemitraan tercatat.",
        "Partnership recorded.",
    ),
    ("ladder.partners", "Mitra", "Partners"),
    (
        "ladder.name_implementer",
        "Tunjuk pelaksana",
        "Name who carries it out",
    ),
    ("ladder.implementer", "Pelaksana kegiatan", "Carried out by"),
    (
        "ladder.implementer_recorded",
        "Pelaksana tercatat.",
        "Implementer recorded.",
    ),
    ("ladder.save", "Catat", "Record"),
    ("info_channel.forum", "Forum warga", "Residents' forum"),
    (
        "info_channel.papan_pengumuman",
        "Papan pengumuman",
        "Notice board",
    ),
    ("info_channel.whatsapp", "Grup WhatsApp", "WhatsApp group"),
    ("info_channel.website", "Situs web desa", "Village website"),
    (
        "info_channel.pengeras_suara",
        "Pengeras suara masjid/balai",
        "Loudspeaker announcement",
    ),
    ("info_channel.lainnya", "Saluran lain", "Other channel"),
    (
        "contribution.labour",
        "Tenaga (gotong royong)",
        "Labour (gotong royong)",
    ),
    ("contribution.materials", "Bahan", "Materials"),
    ("contribution.land", "Lahan", "Land"),
    ("contribution.funds", "Dana", "Funds"),
    ("contribution.expertise", "Keahlian", "Expertise"),
    (
        "contribution.co_ownership",
        "Ikut memiliki usulan",
        "Co-ownership",
    ),
    (
        "event.level_changed",
        "Tingkat keterlibatan diubah",
        "Level changed",
    ),
    (
        "event.level_auto",
        "Naik tingkat otomatis (bukti lengkap)",
        "Climbed automatically (evidence complete)",
    ),
    ("event.announced", "Diumumkan", "Announced"),
    (
        "event.partnership",
        "Kemitraan kelompok",
        "Group partnership",
    ),
    (
        "event.implementer",
        "Pelaksana ditunjuk",
        "Implementer named",
    ),
    // Thresholds
    (
        "settings.title",
        "Pengaturan tangga keterlibatan",
        "Engagement ladder settings",
    ),
    (
        "settings.intro",
        "Ambang bukti yang dibutuhkan usulan untuk naik tingkat di desa ini. Setiap perubahan tercatat.",
        "The evidence this village requires for a proposal to climb. Every change is logged.",
    ),
    (
        "settings.consult_feedback",
        "Jumlah tanggapan paling sedikit",
        "Minimum feedback entries",
    ),
    (
        "settings.consult_feedback_hint",
        "Bawaan: 3 tanggapan dari 2 orang atau kelompok berbeda.",
        "Default: 3 entries from 2 different people or groups.",
    ),
    (
        "settings.consult_voices",
        "Dari orang atau kelompok berbeda, paling sedikit",
        "From at least this many different people or groups",
    ),
    (
        "settings.involve_groups",
        "Kelompok yang hadir di musyawarah, paling sedikit",
        "Groups present at a meeting, at least",
    ),
    (
        "settings.women_minimum_percent",
        "Keterwakilan perempuan minimal (%)",
        "Minimum share of women (%)",
    ),
    (
        "settings.women_minimum_percent_hint",
        "Dipakai untuk setiap musyawarah desa ini dan untuk tingkat Memberdayakan. Bawaan 30.",
        "Used for every meeting of this village and for the Empower level. Default 30.",
    ),
    (
        "settings.auto_empower",
        "Naikkan otomatis ke Memberdayakan bila buktinya lengkap",
        "Climb to Empower automatically when the evidence is complete",
    ),
    (
        "settings.auto_empower_hint",
        "Saat RKP Desa ditetapkan dengan Peraturan Desa, bagi usulan di dalamnya yang diterima Musdes atau Musrenbangdes final (dibuka dengan kuorum, keterwakilan terpenuhi) dan pelaksananya sudah ditunjuk.",
        "When the RKP Desa is set by Peraturan Desa, for the proposals in it that a finalized Musdes or Musrenbangdes accepted (opened with its quorum, inclusion met) and whose implementer is named.",
    ),
    (
        "portal.ladder_title",
        "Tangga keterlibatan usulan",
        "Proposals on the engagement ladder",
    ),
    (
        "portal.ladder_intro",
        "Seberapa dalam warga dilibatkan: setiap usulan naik hanya dengan bukti yang tercatat.",
        "How deeply residents are engaged: each proposal climbs only on recorded evidence.",
    ),
    (
        "portal.ladder_total",
        "Usulan terbit",
        "Published proposals",
    ),
    ("portal.ladder_count", "Jumlah usulan", "Proposals"),
    (
        "village.ladder_settings",
        "Pengaturan tangga keterlibatan",
        "Ladder settings",
    ),
    // Errors
    (
        "error.level_unmet",
        "Syarat tingkat ini belum terpenuhi; lihat daftar di atas.",
        "This level's conditions are not met; see the list above.",
    ),
    (
        "error.same_level",
        "Usulan sudah berada di tingkat ini.",
        "The proposal is already on this level.",
    ),
    (
        "error.group_of_village",
        "Pilih kelompok dari desa ini.",
        "Choose a group of this village.",
    ),
    (
        "error.threshold_bound",
        "Tulis bilangan bulat 1 sampai 100.",
        "Write a whole number from 1 to 100.",
    ),
    (
        "error.groups_bound",
        "Tulis bilangan bulat 1 sampai 30.",
        "Write a whole number from 1 to 30.",
    ),
    (
        "error.percent",
        "Tulis persen 0 sampai 100.",
        "Write a percentage from 0 to 100.",
    ),
    (
        "error.voices_over_feedback",
        "Jumlah orang atau kelompok tidak boleh melebihi jumlah tanggapan.",
        "There cannot be more people or groups than feedback entries.",
    ),
];
