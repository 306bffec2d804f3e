"""Words of the public-service standard on the console and public pages, Bahasa Indonesia and
English: the satisfaction survey and its results (the elements' own names and questions come
from the survey rules) and the complaint channels that leave a trace of their own."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "survey": {"id": "Survei kepuasan masyarakat", "en": "Public satisfaction survey"},
    "survey_intro": {
        "id": "Nilai layanan seleksi ini. Jawaban Anda anonim: tidak disimpan bersama nama, "
        "nomor peserta, atau nomor pengaduan Anda.",
        "en": "Rate this selection service. Your answers are anonymous: they are not kept with "
        "your name, participant number or complaint number.",
    },
    "survey_code": {
        "id": "Kode survei (pada kartu ujian) atau nomor pengaduan",
        "en": "Survey code (on the exam card) or complaint tracking number",
    },
    "survey_profile": {"id": "Tentang Anda (boleh dikosongkan)", "en": "About you (optional)"},
    "age_band": {"id": "Usia", "en": "Age"},
    "sex": {"id": "Jenis kelamin", "en": "Sex"},
    "education": {"id": "Pendidikan terakhir", "en": "Education"},
    "occupation": {"id": "Pekerjaan", "en": "Occupation"},
    "not_said": {"id": "Tidak diisi", "en": "Not given"},
    "suggestion": {"id": "Saran (boleh dikosongkan)", "en": "Suggestions (optional)"},
    "survey_send": {"id": "Kirim survei", "en": "Send the survey"},
    "survey_missing": {
        "id": "Jawab kesembilan pertanyaan, satu pilihan untuk masing-masing.",
        "en": "Answer each question, one choice each.",
    },
    "survey_thanks": {
        "id": "Terima kasih. Jawaban Anda sudah kami terima.",
        "en": "Thank you. Your answers were received.",
    },
    "ikm": {"id": "Indeks Kepuasan Masyarakat", "en": "Public satisfaction index"},
    "ikm_short": {"id": "IKM", "en": "Index"},
    "ikm_intro": {
        "id": "Hasil survei kepuasan masyarakat per lokasi ujian dan periode, dihitung menurut "
        "PermenPAN-RB No. 14 Tahun 2017 (skala 25-100).",
        "en": "Results of the public satisfaction survey per venue and period, computed as "
        "PermenPAN-RB No. 14/2017 sets out (scale 25-100).",
    },
    "period": {"id": "Periode", "en": "Period"},
    "show": {"id": "Tampilkan", "en": "Show"},
    "grade": {"id": "Mutu pelayanan", "en": "Service quality"},
    "respondents": {"id": "Responden", "en": "Respondents"},
    "minimum_sample": {"id": "Sampel minimum", "en": "Minimum sample"},
    "served": {"id": "Pengguna layanan", "en": "People served"},
    "sample_short": {
        "id": "Responden belum mencapai sampel minimum: hasil belum mewakili.",
        "en": "Fewer respondents than the minimum sample: the result is not yet representative.",
    },
    "element": {"id": "Unsur pelayanan", "en": "Service element"},
    "element_mean": {"id": "Nilai rata-rata (1-4)", "en": "Mean (1-4)"},
    "element_converted": {"id": "Nilai (25-100)", "en": "Score (25-100)"},
    "weakest": {"id": "Unsur terendah", "en": "Weakest element"},
    "follow_up": {"id": "Rencana tindak lanjut", "en": "Follow-up"},
    "no_follow_up": {
        "id": "Rencana tindak lanjut belum diterbitkan.",
        "en": "No follow-up has been published yet.",
    },
    "no_answers": {"id": "Belum ada jawaban.", "en": "No answers yet."},
    "no_venues": {"id": "Belum ada lokasi ujian.", "en": "No venue has been set up yet."},
    "complaint_figures": {"id": "Pengaduan per saluran", "en": "Complaints per channel"},
    "channel": {"id": "Saluran", "en": "Channel"},
    "received": {"id": "Diterima", "en": "Received"},
    "answered_on_time": {"id": "Ditanggapi tepat waktu", "en": "Answered on time"},
    "closed_count": {"id": "Selesai", "en": "Closed"},
    "no_complaints": {"id": "Tidak ada pengaduan.", "en": "No complaints."},
    "download_csv": {"id": "Unduh CSV", "en": "Download CSV"},
    "publish": {"id": "Terbitkan", "en": "Publish"},
    "intro_survey": {
        "id": "Setelah ujian atau setelah pengaduan Anda selesai: isi dengan kode pada kartu "
        "ujian atau nomor pengaduan.",
        "en": "After your exam or once your complaint is closed: answer with the code on your "
        "exam card or your tracking number.",
    },
    "intro_ikm": {
        "id": "Indeks kepuasan tiap lokasi ujian, per semester dan tahun.",
        "en": "Each venue's satisfaction index, per semester and year.",
    },
    "survey_after_closing": {
        "id": "Pengaduan Anda sudah selesai. Bantu kami dengan mengisi survei kepuasan.",
        "en": "Your complaint is closed. Help us by answering the satisfaction survey.",
    },
}

# The complaint box, social media and SP4N-LAPOR!.
MESSAGES |= {
    "box_slip": {"id": "Foto slip kotak pengaduan", "en": "Photo of the complaint box slip"},
    "box_opened": {"id": "Kotak dibuka", "en": "Box opened"},
    "social_post": {"id": "Unggahan", "en": "Post"},
    "intake": {"id": "Catat pengaduan", "en": "Enter a complaint"},
    "intake_told": {
        "id": "Disampaikan di loket, lewat telepon atau surel",
        "en": "Told at the booth, by phone or e-mail",
    },
    "box_opened_by": {"id": "Dibuka oleh", "en": "Opened by"},
    "account_name": {"id": "Akun", "en": "Account"},
    "lapor_file": {"id": "Berkas laporan (JSON atau CSV)", "en": "Reports file (JSON or CSV)"},
    "lapor_import": {"id": "Impor laporan", "en": "Import the reports"},
    "lapor_since": {
        "id": "Perubahan sejak tanggal (kosong: semua)",
        "en": "Changes since the day (empty: all)",
    },
    "lapor_export": {"id": "Unduh untuk LAPOR!", "en": "Download for LAPOR!"},
    "lapor_help": {
        "id": "Format berkas: lihat README, bagian SP4N-LAPOR!. Catatan internal tidak pernah "
        "ikut diekspor.",
        "en": "File format: the README's SP4N-LAPOR! section. Internal notes are never exported.",
    },
    "lapor_imported": {
        "id": "{imported} laporan diimpor, {duplicates} sudah pernah diimpor.",
        "en": "{imported} reports imported, {duplicates} imported before.",
    },
    "intro_box": {
        "id": "Kotak pengaduan di setiap lokasi ujian: slip Anda dibaca dan dicatat petugas "
        "saat kotak dibuka.",
        "en": "The complaint box at every venue: an officer reads and enters your slip when the "
        "box is opened.",
    },
    "intro_social": {
        "id": "Media sosial: unggahan yang menyebut layanan ini dicatat sebagai pengaduan.",
        "en": "Social media: posts about this service are entered as complaints.",
    },
    "intro_lapor": {
        "id": "SP4N-LAPOR! (lapor.go.id): laporan yang diteruskan kepada kami ditangani dengan "
        "prosedur yang sama, dan jawabannya dikirim kembali ke LAPOR!.",
        "en": "SP4N-LAPOR! (lapor.go.id): reports passed on to us follow the same procedure, and "
        "the answers go back to LAPOR!.",
    },
}

PROFILE: dict[str, dict[str, tuple[str, str]]] = {
    "sex": {"male": ("Laki-laki", "Male"), "female": ("Perempuan", "Female")},
    "education": {
        "sd": ("SD", "Primary school"),
        "smp": ("SMP", "Junior high school"),
        "sma": ("SMA/SMK", "Senior high school"),
        "diploma": ("D1-D4", "Diploma"),
        "s1": ("S1", "Bachelor's degree"),
        "s2": ("S2", "Master's degree"),
        "s3": ("S3", "Doctorate"),
    },
    "occupation": {
        "civil_servant": ("PNS", "Civil servant"),
        "military_police": ("TNI/Polri", "Military or police"),
        "private": ("Pegawai swasta", "Private employee"),
        "self_employed": ("Wirausaha", "Self-employed"),
        "student": ("Pelajar/mahasiswa", "Student"),
        "other": ("Lainnya", "Other"),
    },
}
