"""The console's words in Bahasa Indonesia (the default) and English."""

from __future__ import annotations

from fastapi import Request

LANGUAGES = ("id", "en")
COOKIE = "proctor_lang"

MESSAGES: dict[str, dict[str, str]] = {
    "title": {"id": "Konsol Proctor", "en": "Proctor console"},
    "login": {"id": "Masuk", "en": "Log in"},
    "logout": {"id": "Keluar", "en": "Log out"},
    "token": {"id": "Token peran", "en": "Role token"},
    "login_help": {
        "id": "Masukkan token yang diberikan panitia. Token tidak disimpan di peramban.",
        "en": "Enter the token the committee gave you. The browser does not keep it.",
    },
    "login_failed": {"id": "Token tidak dikenal atau dicabut.", "en": "Unknown or revoked token."},
    "reviews": {"id": "Antrean peninjauan", "en": "Review queue"},
    "no_reviews": {"id": "Tidak ada insiden yang menunggu.", "en": "No incident is waiting."},
    "participant": {"id": "Nomor peserta", "en": "Participant"},
    "reason": {"id": "Alasan", "en": "Reason"},
    "status": {"id": "Status", "en": "Status"},
    "risk": {"id": "Risiko", "en": "Risk"},
    "opened": {"id": "Dibuka", "en": "Opened"},
    "incident": {"id": "Insiden", "en": "Incident"},
    "registration": {"id": "Foto pendaftaran", "en": "Registration photos"},
    "live": {"id": "Foto langsung", "en": "Live photos"},
    "timeline": {"id": "Skor kemiripan", "en": "Match scores"},
    "threshold": {"id": "ambang", "en": "threshold"},
    "checkpoints": {"id": "Pemeriksaan identitas", "en": "Identity checks"},
    "decisions": {"id": "Keputusan", "en": "Decisions"},
    "take_up": {"id": "Tinjau", "en": "Take up"},
    "decide": {"id": "Putuskan", "en": "Decide"},
    "close": {"id": "Tutup", "en": "Close"},
    "confirmed_proxy": {"id": "Joki terbukti", "en": "Proxy confirmed"},
    "false_alarm": {"id": "Alarm palsu", "en": "False alarm"},
    "other_violation": {"id": "Pelanggaran lain", "en": "Other violation"},
    "reason_help": {
        "id": "Alasan (minimal 10 karakter)",
        "en": "Reason (at least 10 characters)",
    },
    "two_reviewers": {
        "id": "Konfirmasi joki memerlukan dua peninjau berbeda.",
        "en": "Confirming a proxy takes two different reviewers.",
    },
    "error": {"id": "Tidak dapat dilakukan", "en": "Not possible"},
    "language": {"id": "English", "en": "Bahasa Indonesia"},
    "signed_in_as": {"id": "Masuk sebagai", "en": "Signed in as"},
}


def language(request: Request) -> str:
    chosen = request.cookies.get(COOKIE, "id")
    return chosen if chosen in LANGUAGES else "id"


def translator(lang: str):
    def t(key: str) -> str:
        entry = MESSAGES.get(key)
        return entry[lang] if entry else key

    return t
