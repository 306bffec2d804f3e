"""The audit trail in words: what each action means, what it was about, and its details, in
Bahasa Indonesia or English. The raw action stays beside it (`data-action`) for scripts; an
action this does not know is shown with its code humanised, never hidden.

Actions are `subject.verb`; many verbs are the subject's new state (`attempt.paused`), which
the console's value labels already name."""

from __future__ import annotations

from typing import Any

from proctor.api.console.labels import VALUES, pick

# Actions whose verb is not a state.
ACTIONS: dict[str, tuple[str, str]] = {
    "audit.key_rotated": ("Kunci tanda tangan audit diganti", "Audit signing key rotated"),
    "config.applied": ("Pengaturan layanan diterapkan", "Service settings applied"),
    "console.login": ("Masuk ke konsol", "Logged in to the console"),
    "console.login_failed": ("Gagal masuk ke konsol", "Failed console login"),
    "console.logout": ("Keluar dari konsol", "Logged out of the console"),
    "account.created": ("Akun dibuat", "Account created"),
    "account.locked": ("Akun dikunci (kata sandi salah)", "Account locked (wrong passwords)"),
    "account.password_changed": ("Kata sandi diganti", "Password changed"),
    "account.password_reset": ("Kata sandi disetel ulang oleh admin", "Password reset by an admin"),
    "account.disabled": ("Akun dinonaktifkan", "Account disabled"),
    "token.issued": ("Token diterbitkan", "Token issued"),
    "token.revoked": ("Token dicabut", "Token revoked"),
    "venue.created": ("Lokasi ujian dibuat", "Venue created"),
    "venue.time_zone_changed": ("Zona waktu lokasi diubah", "Venue time zone changed"),
    "session.created": ("Sesi ujian dibuat", "Exam session created"),
    "station.created": ("Stasiun dibuat", "Station created"),
    "station.templates_fetched": ("Stasiun mengambil templat wajah", "Station fetched templates"),
    "biometric.read": ("Data biometrik peserta dibuka", "Candidate's biometric data read"),
    "data.sealed": ("Data biometrik lama dienkripsi", "Older biometric data encrypted"),
    "data.key_rewrapped": ("Kunci data dibungkus ulang", "Data keys re-wrapped"),
    "data.purged": ("Data biometrik dihapus (masa simpan)", "Biometric data deleted (retention)"),
    "candidate.created": ("Peserta didaftarkan", "Candidate registered"),
    "candidate.photo_enrolled": ("Foto pendaftaran disimpan", "Registration photo enrolled"),
    "candidate.duplicate_face": ("Wajah sama di pendaftaran lain", "Same face in another entry"),
    "attempt.flag_raised": ("Tanda dicatat", "Flag raised"),
    "checkpoint.overridden": ("Pemeriksaan diputus pengawas", "Checkpoint overridden"),
    "incident.filed": ("Insiden dibuat", "Incident filed"),
    "incident.proxy_searched": ("Wajah joki dicari di seluruh peserta", "Proxy face searched"),
    "incident.proxy_proposed": ("Joki diusulkan", "Proxy proposed"),
    "complaint.received": ("Pengaduan diterima", "Complaint received"),
    "complaint.message": ("Pesan pada pengaduan", "Message on a complaint"),
    "complaint.classified": ("Pengaduan diklasifikasi", "Complaint classified"),
    "complaint.escalated": ("Pengaduan dieskalasi", "Complaint escalated"),
    "wbs_report.received": ("Laporan WBS diterima", "Whistleblowing report received"),
    "wbs_report.message": ("Pesan pada laporan WBS", "Message on a report"),
    "wbs_report.classified": ("Laporan WBS diklasifikasi", "Report classified"),
    "wbs_report.escalated": ("Laporan WBS dieskalasi", "Report escalated"),
    "wbs_report.identity_revealed": ("Identitas pelapor dibuka", "Reporter's identity revealed"),
    "watchlist.added": ("Ditambahkan ke daftar pantau", "Added to the watchlist"),
    "watchlist.removed": ("Dihapus dari daftar pantau", "Removed from the watchlist"),
    "watchlist.hit": ("Cocok dengan daftar pantau", "Watchlist hit"),
}
SUBJECTS: dict[str, tuple[str, str]] = {
    "attempt": ("Ujian", "Exam"),
    "incident": ("Insiden", "Incident"),
    "checkpoint": ("Pemeriksaan wajah", "Face check"),
    "complaint": ("Pengaduan", "Complaint"),
    "wbs_report": ("Laporan WBS", "Whistleblowing report"),
    "duplicate_face": ("Wajah ganda", "Duplicate face"),
    "watchlist_hit": ("Temuan daftar pantau", "Watchlist hit"),
}
# Which value labels name a subject's verbs (its states, decisions or verdicts).
VERB_KINDS = {
    "attempt": ("attempt",),
    "incident": ("review_action", "incident"),
    "checkpoint": ("checkpoint",),
    "complaint": ("case",),
    "wbs_report": ("case",),
    "duplicate_face": ("duplicate",),
    "watchlist_hit": ("hit",),
}
# What the committee filters by: groups of actions (a prefix of their codes).
GROUPS: dict[str, tuple[str, str]] = {
    "attempt.": ("Ujian peserta", "Exams"),
    "checkpoint.": ("Pemeriksaan wajah", "Face checks"),
    "incident.": ("Insiden dan peninjauan", "Incidents and reviews"),
    "complaint.": ("Pengaduan", "Complaints"),
    "wbs_report.": ("Laporan WBS", "Whistleblowing"),
    "candidate.": ("Peserta dan foto", "Candidates and photos"),
    "biometric.": ("Akses data biometrik", "Biometric data reads"),
    "watchlist": ("Daftar pantau", "Watchlist"),
    "duplicate_face.": ("Wajah ganda", "Duplicate faces"),
    "console.": ("Masuk dan keluar konsol", "Console logins"),
    "account.": ("Akun", "Accounts"),
    "token.": ("Token", "Tokens"),
    "venue.": ("Lokasi ujian", "Venues"),
}
DETAIL_NAMES: dict[str, tuple[str, str]] = {
    "reason": ("alasan", "reason"),
    "role": ("peran", "role"),
    "code": ("kode", "code"),
    "kind": ("jenis", "kind"),
    "from": ("dari", "from"),
    "to": ("menjadi", "to"),
    "from_key": ("kunci lama", "old key"),
    "to_key": ("kunci baru", "new key"),
    "before": ("sebelum", "before"),
    "after": ("sesudah", "after"),
    "score": ("skor", "score"),
    "username": ("nama pengguna", "username"),
    "by": ("dengan", "by"),
    "previous": ("sebelumnya", "previously"),
    "flag": ("tanda", "flag"),
    "changed": ("yang berubah", "changed"),
    "config": ("pengaturan", "settings"),
    "time_zone": ("zona waktu", "time zone"),
    "participant_number": ("nomor peserta", "participant number"),
    "nik_recorded": ("NIK dicatat", "NIK recorded"),
    "observation_seq": ("observasi ke", "observation no."),
    "evidence": ("bukti", "evidence"),
    "snapshots": ("foto langsung", "snapshots"),
    "engine": ("mesin", "engine"),
    "templates": ("templat", "templates"),
    "attempt_id": ("ujian", "exam"),
    "venue_id": ("lokasi", "venue"),
    "station_id": ("stasiun", "station"),
    "candidate_id": ("peserta", "candidate"),
    "session_id": ("sesi", "session"),
    "incident_id": ("insiden", "incident"),
    "purpose": ("melalui", "through"),
    "item_id": ("data", "item"),
    "rows": ("baris", "rows"),
    "images": ("gambar", "images"),
    "key_id": ("kunci", "key"),
}
# Details whose values the console's value labels name (tried in order).
DETAIL_KINDS: dict[str, tuple[str, ...]] = {
    "reason": ("pause", "flag"),
    "flag": ("flag",),
    "decision": ("decision", "duplicate"),
    "role": ("role",),
    "channel": ("channel",),
    "category": ("category",),
    "kind": ("evidence", "watch_entry", "data_kind"),
    "purpose": ("data_purpose",),
}
YES_NO = (("ya", "yes"), ("tidak", "no"))
SHOWN = 200  # characters of a value on the page; the CSV has it whole
ID_SHOWN = 8  # an id's first characters: enough to tell rows apart; the CSV has them whole


def action_words(lang: str):
    def words(action: str) -> str:
        if action in ACTIONS:
            return pick(ACTIONS[action], lang)
        subject, _, verb = action.partition(".")
        for kind in VERB_KINDS.get(subject, ()):
            if verb in VALUES.get(kind, {}):
                return f"{pick(SUBJECTS[subject], lang)}: {pick(VALUES[kind][verb], lang)}"
        return action.replace("_", " ").replace(".", ": ")

    return words


def group_words(lang: str) -> list[tuple[str, str]]:
    return [(prefix, pick(pair, lang)) for prefix, pair in GROUPS.items()]


def detail_words(lang: str):
    def value(key: str, raw: Any, subject: str | None) -> str:
        if isinstance(raw, bool):
            return pick(YES_NO[0] if raw else YES_NO[1], lang)
        if isinstance(raw, list):
            return ", ".join(value(key, item, subject) for item in raw)
        if isinstance(raw, dict):  # a settings snapshot: its plain values, not its braces
            return ", ".join(f"{k}={v}" for k, v in raw.items() if not isinstance(v, dict | list))
        if isinstance(raw, str):
            # A previous state is one of the subject's own (in_progress: an exam or a case).
            kinds = VERB_KINDS.get(subject or "", ()) if key == "previous" else ()
            for kind in kinds or DETAIL_KINDS.get(key, (key,)):
                if raw in VALUES.get(kind, {}):
                    return pick(VALUES[kind][raw], lang)
            if key.endswith("_id") and len(raw) == 36:
                return raw[:ID_SHOWN]
        return str(raw)

    def words(details: dict[str, Any] | None, subject: str | None = None) -> list[tuple[str, str]]:
        """(name, value) pairs people can read; empty values left out. `subject`: the record's
        subject type, whose states name a previous state."""
        out = []
        for key, raw in (details or {}).items():
            if raw in (None, "", [], {}):
                continue
            name = pick(DETAIL_NAMES[key], lang) if key in DETAIL_NAMES else key.replace("_", " ")
            if key.endswith("_id") and key not in DETAIL_NAMES:
                name = key[:-3].replace("_", " ")
            shown = value(key, raw, subject)
            out.append((name, shown if len(shown) <= SHOWN else shown[: SHOWN - 1] + "…"))
        return out

    return words
