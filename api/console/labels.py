"""What the console shows for the service's stored values and error codes, in Bahasa Indonesia
and English. Pages keep the raw value in a data attribute for scripts and tests; people read the
label. An unknown value is shown as it is, never hidden."""

from __future__ import annotations

# kind -> value -> (Bahasa Indonesia, English). Kinds keep apart values spelt alike
# ("in_progress" is an exam under way, or a complaint being handled).
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "attempt": {
        "scheduled": ("Terjadwal", "Scheduled"),
        "checked_in": ("Sudah registrasi", "Checked in"),
        "in_progress": ("Sedang ujian", "In progress"),
        "paused": ("Dihentikan sementara", "Paused"),
        "finished": ("Selesai", "Finished"),
        "terminated": ("Diakhiri", "Terminated"),
        "idle": ("Kosong", "Idle"),
    },
    "incident": {
        "new": ("Baru", "New"),
        "under_review": ("Sedang ditinjau", "Under review"),
        "confirmed_proxy": ("Joki terbukti", "Proxy confirmed"),
        "false_alarm": ("Alarm palsu", "False alarm"),
        "other_violation": ("Pelanggaran lain", "Other violation"),
        "appealed": ("Banding", "Appealed"),
        "closed": ("Ditutup", "Closed"),
    },
    "review_action": {
        "review_started": ("Mulai ditinjau", "Review started"),
        "proposed_proxy": (
            "Usulan joki (menunggu peninjau kedua)",
            "Proxy proposed (awaits a second reviewer)",
        ),
        "confirmed_proxy": ("Joki terbukti", "Proxy confirmed"),
        "false_alarm": ("Alarm palsu", "False alarm"),
        "other_violation": ("Pelanggaran lain", "Other violation"),
        "appealed": ("Banding diajukan", "Appealed"),
        "closed": ("Ditutup", "Closed"),
    },
    "case": {
        "received": ("Diterima", "Received"),
        "in_progress": ("Diproses", "In progress"),
        "resolved": ("Selesai ditangani", "Resolved"),
        "closed": ("Ditutup", "Closed"),
    },
    "evidence": {
        "registration_photo": ("Foto pendaftaran", "Registration photo"),
        "checkpoint_photo": ("Foto pemeriksaan", "Checkpoint photo"),
        "live_snapshot": ("Foto webcam saat ujian", "Webcam snapshot"),
    },
    "data_kind": {  # what a read of biometric data opened (`proctor.audit.data_reads`)
        "evidence_image": ("Foto bukti insiden", "Incident evidence image"),
        "live_picture": ("Foto terbaru di stasiun", "Latest station picture"),
        "templates": ("Templat wajah", "Face templates"),
        "subject_export": ("Ekspor data peserta", "Candidate data export"),
        "live_pictures": ("Foto langsung ujian", "Live pictures of the exam"),
        "registration": ("Foto dan templat pendaftaran", "Registration photos and templates"),
    },
    "data_purpose": {  # through which page or endpoint
        "api: registration photo": ("API: foto pendaftaran", "API: registration photo"),
        "api: checkpoint photo": ("API: foto pemeriksaan", "API: checkpoint photo"),
        "api: incident evidence": ("API: bukti insiden", "API: incident evidence"),
        "console: incident page": ("Konsol: halaman insiden", "Console: incident page"),
        "console: station desk and grid": (
            "Konsol: meja stasiun dan grid",
            "Console: station desk and grid",
        ),
        "console: station grid": ("Konsol: grid stasiun", "Console: station grid"),
        "station: exam watch": ("Stasiun: pengawasan ujian", "Station: exam watch"),
        "data-subject request": ("Permintaan subjek data", "Data-subject request"),
    },
    "checkpoint": {
        "check_in": ("Registrasi ulang", "Check-in"),
        "station_login": ("Masuk stasiun", "Station login"),
        "reverify": ("Verifikasi ulang", "Re-verification"),
    },
    "decision": {
        "match": ("Cocok", "Match"),
        "no_match": ("Tidak cocok", "No match"),
        "no_face": ("Wajah tidak terdeteksi", "No face found"),
        "quality_rejected": ("Ulangi foto: wajah kurang jelas", "Retake: the face is unclear"),
        "watchlist_hit": ("Ada di daftar pantau", "On the watchlist"),
    },
    "duplicate": {
        "open": ("Menunggu keputusan", "Awaiting a decision"),
        "same_person": ("Orang yang sama", "Same person"),
        "twins": ("Kembar", "Twins"),
        "look_alike": ("Hanya mirip", "Look-alike"),
    },
    "hit": {
        "open": ("Menunggu keputusan pengawas", "Awaiting the proctor"),
        "cleared": ("Bukan orang tersebut", "Not that person"),
        "confirmed": ("Orang tersebut", "Confirmed"),
    },
    "hit_place": {
        "check_in": ("Registrasi ulang", "Check-in"),
        "station_login": ("Masuk stasiun", "Station login"),
        "reverify": ("Verifikasi ulang", "Re-verification"),
        "snapshot": ("Foto selama ujian", "Snapshot during the exam"),
    },
    "watch_entry": {
        "active": ("Aktif", "Active"),
        "expired": ("Kedaluwarsa", "Expired"),
        "removed": ("Dihapus", "Removed"),
    },
    "watch_source": {
        "confirmed_proxy": ("Joki terkonfirmasi", "Confirmed proxy"),
        "admin": ("Ditambahkan admin", "Listed by an admin"),
    },
    "flag": {
        "mismatch": ("Wajah tidak cocok", "Face mismatch"),
        "face_absent": ("Wajah tidak ada", "Face absent"),
        "face_unclear": ("Wajah lama tidak jelas", "Face long unclear"),
        "multiple_faces": ("Lebih dari satu wajah", "Several faces"),
        "camera": ("Kamera bermasalah", "Camera problem"),
        "liveness": ("Dugaan foto atau layar", "Possible photo or screen"),
        "watchlist": ("Ada di daftar pantau", "On the watchlist"),
    },
    "pause": {
        "face_mismatch": ("Wajah tidak cocok", "Face mismatch"),
        "camera_blocked": ("Kamera terhalang", "Camera blocked"),
        "multiple_faces": ("Lebih dari satu wajah", "Several faces"),
        "face_absent": ("Peserta tidak di tempat", "Candidate absent"),
        "face_unclear": ("Wajah lama tidak jelas", "Face long unclear"),
    },
    "channel": {
        "booth": ("Loket pengaduan", "Complaint booth"),
        "whatsapp": ("WhatsApp", "WhatsApp"),
        "web": ("Formulir web", "Web form"),
        "email": ("Surel", "E-mail"),
        "phone": ("Telepon", "Phone"),
        "complaint_box": ("Kotak pengaduan", "Complaint box"),
        "social_media": ("Media sosial", "Social media"),
        "lapor": ("SP4N-LAPOR!", "SP4N-LAPOR!"),
        "incident": ("Insiden ujian", "Exam incident"),
    },
    "category": {
        "proxy_test_taker": ("Joki ujian", "Proxy test-taker"),
        "leaked_questions": ("Kebocoran soal", "Leaked questions"),
        "staff_misconduct": ("Pelanggaran oleh petugas", "Staff misconduct"),
        "facilities": ("Sarana dan prasarana", "Facilities"),
        "service": ("Pelayanan", "Service"),
        "other": ("Lainnya", "Other"),
    },
    "track": {
        "information": ("Permintaan informasi", "Information request"),
        "simple": ("Pengaduan sederhana", "Simple complaint"),
        "investigation": ("Perlu pemeriksaan", "Needs investigation"),
        "field_inspection": ("Perlu pemeriksaan lapangan", "Needs field inspection"),
    },
    "escalation": {
        "none": ("-", "-"),
        "venue_head": ("Kepala lokasi", "Venue head"),
        "committee": ("Panitia", "Committee"),
    },
    "author": {
        "officer": ("Petugas", "Officer"),
        "complainant": ("Pengadu", "Complainant"),
        "reporter": ("Pelapor", "Reporter"),
    },
    "role": {
        "admin": ("Admin", "Admin"),
        "proctor": ("Pengawas", "Proctor"),
        "committee": ("Panitia", "Committee"),
        "station": ("Stasiun", "Station"),
        "complaint_officer": ("Petugas pengaduan", "Complaint officer"),
        "custodian": ("Kustodian", "Custodian"),
    },
}

# What went wrong, said to the person at the console. Codes not listed get a general sentence.
ERRORS: dict[str, tuple[str, str]] = {
    "account_locked": (
        "Terlalu banyak kata sandi salah: akun dikunci 15 menit. Admin dapat membukanya.",
        "Too many wrong passwords: the account is locked for 15 minutes. An admin can unlock it.",
    ),
    "password_weak": (
        "Kata sandi minimal 12 karakter, tidak memuat nama pengguna, tidak berulang.",
        "A password has at least 12 characters, not the username, not a few repeated.",
    ),
    "forbidden": (
        "Anda tidak berwenang untuk halaman atau tindakan ini.",
        "You are not allowed this page or action.",
    ),
    "csrf_invalid": (
        "Formulir sudah kedaluwarsa. Muat ulang halaman lalu coba lagi.",
        "The form has expired. Reload the page and try again.",
    ),
    "not_found": ("Data yang diminta tidak ditemukan.", "Nothing was found there."),
    "method_not_allowed": ("Halaman ini tidak menerima permintaan itu.", "Not possible here."),
    "request_invalid": ("Isian tidak lengkap atau tidak sah.", "The form is incomplete."),
    "transition_invalid": (
        "Langkah ini tidak berlaku pada status sekarang.",
        "This step does not apply in the current state.",
    ),
    "reason_required": (
        "Alasan wajib diisi, minimal 10 karakter.",
        "A reason of at least 10 characters is required.",
    ),
    "resolution_required": (
        "Catatan penyelesaian wajib diisi sebelum ditutup.",
        "A resolution note is required before closing.",
    ),
    "watchlist_hit_open": (
        "Wajah ini ada di daftar pantau: putuskan temuan daftar pantau lebih dulu.",
        "This face is on the watchlist: decide the watchlist hit first.",
    ),
    "second_reviewer_required": (
        "Konfirmasi joki memerlukan peninjau kedua yang berbeda.",
        "Confirming a proxy needs a second, different reviewer.",
    ),
    "own_decision": (
        "Anda tidak dapat meninjau banding atas keputusan Anda sendiri.",
        "You cannot review an appeal against your own decision.",
    ),
    "attempt_not_active": ("Ujian peserta ini tidak berjalan.", "This attempt is not active."),
    "checkpoint_not_failed": (
        "Belum ada verifikasi yang gagal untuk dilanjutkan.",
        "There is no failed check to resume from.",
    ),
    "not_enrolled": (
        "Peserta belum memiliki foto pendaftaran yang sah.",
        "The candidate has no valid registration photo.",
    ),
    "photo_rejected": (
        "Foto ditolak: wajah tidak jelas. Ambil foto ulang.",
        "Photo rejected: the face is not clear. Take it again.",
    ),
    "upload_too_large": ("Berkas terlalu besar.", "The file is too large."),
    "receipt_invalid": ("Tanda terima tidak dikenali.", "The receipt was not recognised."),
    "lapor_file_invalid": (
        "Berkas SP4N-LAPOR! tidak dapat dibaca; tidak ada yang diimpor.",
        "The SP4N-LAPOR! file cannot be read; nothing was imported.",
    ),
    "survey_closed": (
        "Survei untuk layanan ini belum atau tidak lagi dibuka.",
        "The survey for this service is not open (yet, or any more).",
    ),
    "survey_answered": (
        "Survei ini sudah diisi. Terima kasih.",
        "This survey was answered already. Thank you.",
    ),
    "survey_code_invalid": (
        "Kode survei atau nomor pengaduan tidak dikenali.",
        "The survey code or tracking number was not recognised.",
    ),
    "rate_limited": (
        "Terlalu banyak percobaan. Coba lagi dalam 15 menit.",
        "Too many attempts. Try again in 15 minutes.",
    ),
    "custodian_key_missing": (
        "Kunci publik kustodian belum dipasang di layanan.",
        "The custodian's public key is not installed in the service.",
    ),
    "custodian_key_wrong": ("Kunci privat tidak cocok.", "The private key does not match."),
}
# Why an incident ranks where it does (proctor.review.risk factors); facts fill the braces.
RISK: dict[str, tuple[str, str]] = {
    "paused": ("Dihentikan: {reason}", "Paused: {reason}"),
    "scores_below": (
        "{below} dari {total} skor di bawah ambang",
        "{below} of {total} scores below the threshold",
    ),
    "overridden": (
        "Verifikasi yang gagal pernah dilanjutkan manual",
        "A failed check was overridden",
    ),
    "duplicate_face": (
        "Wajah pendaftaran juga terdaftar dengan nomor lain",
        "The registration face is enrolled under another number too",
    ),
    "flag": ("Tanda: {flag}", "Flag: {flag}"),
}
IMAGE_ERROR = ("Gambar tidak dapat dibaca. Gunakan JPEG atau PNG.", "The image cannot be read.")
GENERAL_ERROR = ("Permintaan tidak dapat diproses.", "The request could not be processed.")


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def value_label(lang: str):
    def label(kind: str, value: object) -> str:
        text = "" if value is None else str(value)
        pair = VALUES.get(kind, {}).get(text)
        return pick(pair, lang) if pair else text

    return label


def risk_explainer(lang: str):
    label = value_label(lang)

    def explain(factor: dict) -> str:
        pair = RISK.get(str(factor.get("code")))
        if pair is None:
            return str(factor.get("code"))
        facts = {**factor, "reason": label("pause", factor.get("reason"))}
        facts["flag"] = label("flag", factor.get("flag"))
        return pick(pair, lang).format(**facts)

    return explain


def error_explainer(lang: str):
    def explain(code: str | None) -> str:
        code = code or ""
        pair = ERRORS.get(code) or (IMAGE_ERROR if code.startswith("image_") else GENERAL_ERROR)
        return pick(pair, lang)

    return explain
