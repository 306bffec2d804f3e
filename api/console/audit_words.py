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
    "before": ("sebelum", "before"),
    "after": ("sesudah", "after"),
    "score": ("skor", "score"),
    "username": ("nama pengguna", "username"),
    "by": ("dengan", "by"),
}


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
    def words(details: dict[str, Any] | None) -> list[tuple[str, str]]:
        """(name, value) pairs people can read; empty values left out."""
        out = []
        for key, value in (details or {}).items():
            if value in (None, "", [], {}):
                continue
            name = pick(DETAIL_NAMES[key], lang) if key in DETAIL_NAMES else key.replace("_", " ")
            shown = value if isinstance(value, str | int | float) else str(value)
            if isinstance(value, str) and value in VALUES.get(key, {}):  # a role, a category
                shown = pick(VALUES[key][value], lang)
            out.append((name, str(shown)[:200]))
        return out

    return words
