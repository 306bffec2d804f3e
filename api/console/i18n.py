"""The console's words in Bahasa Indonesia (the default) and English."""

from __future__ import annotations

from fastapi import Request

from proctor.api.console.service_words import MESSAGES as SERVICE_MESSAGES

LANGUAGES = ("id", "en")
COOKIE = "proctor_lang"

MESSAGES: dict[str, dict[str, str]] = {
    "title": {"id": "Konsol Proctor", "en": "Proctor console"},
    "login": {"id": "Masuk", "en": "Log in"},
    "logout": {"id": "Keluar", "en": "Log out"},
    "token": {"id": "Token peran", "en": "Role token"},
    "login_help": {
        "id": "Untuk skrip dan admin pertama. Token tidak disimpan di peramban.",
        "en": "For scripts and the first admin. The browser does not keep it.",
    },
    "login_failed_token": {
        "id": "Token tidak dikenal atau dicabut.",
        "en": "Unknown or revoked token.",
    },
    "login_failed_password": {
        "id": "Nama pengguna atau kata sandi salah.",
        "en": "Wrong username or password.",
    },
    "login_failed_locked": {
        "id": "Terlalu banyak kata sandi salah: akun dikunci 15 menit. Hubungi admin.",
        "en": "Too many wrong passwords: the account is locked for 15 minutes. Ask an admin.",
    },
    "username": {"id": "Nama pengguna", "en": "Username"},
    "password": {"id": "Kata sandi", "en": "Password"},
    "token_login": {"id": "Token (skrip dan akses darurat)", "en": "Token (scripts, emergencies)"},
    "login_with_token": {"id": "Masuk dengan token", "en": "Log in with a token"},
    "change_password": {"id": "Ganti kata sandi", "en": "Change password"},
    "current_password": {"id": "Kata sandi sekarang", "en": "Current password"},
    "new_password": {
        "id": "Kata sandi baru (min. 12 karakter)",
        "en": "New password (12+ characters)",
    },
    "repeat_password": {"id": "Ulangi kata sandi baru", "en": "Repeat the new password"},
    "password_changed": {
        "id": "Kata sandi diganti. Silakan masuk lagi.",
        "en": "Password changed. Please log in again.",
    },
    "passwords_differ": {
        "id": "Kedua kata sandi baru tidak sama.",
        "en": "The two new passwords differ.",
    },
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
    "level": {"id": "Tingkat kecocokan", "en": "Match level"},
    "level_help": {
        "id": "Tingkat kecocokan 0-100 untuk setiap mesin: 50 adalah ambang; di bawah 50 wajah "
        "tidak cocok dengan foto pendaftaran. Arahkan kursor ke titik untuk skor mesin.",
        "en": "Match level 0-100 for every engine: 50 is the threshold; below 50 the face does "
        "not match the registration photos. Hover a dot for the engine's own score.",
    },
    "check": {"id": "Pemeriksaan", "en": "Check"},
    "time_left": {"id": "Sisa waktu", "en": "Time left"},
    "registration_photo": {"id": "Foto pendaftaran", "en": "Registration photo"},
    "live_picture": {
        "id": "Gambar terbaru dari meja atau kamera stasiun",
        "en": "Newest picture from the desk or the station camera",
    },
    "acknowledge": {"id": "Tandai sudah dilihat", "en": "Seen"},
    "count_stations": {"id": "stasiun", "en": "stations"},
    "count_in_progress": {"id": "sedang ujian", "en": "in progress"},
    "count_paused": {"id": "dijeda", "en": "paused"},
    "count_checked_in": {"id": "sudah registrasi", "en": "checked in"},
    "count_idle": {"id": "kosong", "en": "idle"},
    "count_flagged": {"id": "bertanda", "en": "flagged"},
    "overridden": {"id": "diputus pengawas", "en": "overridden by a proctor"},
    "checkpoints": {"id": "Pemeriksaan identitas", "en": "Identity checks"},
    "proxy_search": {"id": "Siapa joki ini?", "en": "Who is the proxy?"},
    "proxy_pending": {
        "id": "Wajah pada foto langsung sedang dicari di antara semua peserta terdaftar.",
        "en": "The faces in the live photos are being searched among every enrolled candidate.",
    },
    "proxy_none": {
        "id": "Wajah pada {faces} foto langsung tidak cocok dengan peserta terdaftar lain.",
        "en": "The faces in {faces} live photos match no other enrolled candidate.",
    },
    "proxy_found": {
        "id": "Wajah pada foto langsung cocok dengan peserta terdaftar berikut:",
        "en": "The faces in the live photos match these enrolled candidates:",
    },
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
    "back_to_console": {"id": "Kembali ke konsol", "en": "Back to the console"},
    "language": {"id": "English", "en": "Bahasa Indonesia"},
    # The bar's short names (1366 px hold every link on one line); pages keep the long ones.
    "language_short": {"id": "EN", "en": "ID"},
    "nav_stations": {"id": "Stasiun", "en": "Stations"},
    "nav_desk": {"id": "Registrasi", "en": "Check-in"},
    "nav_reviews": {"id": "Tinjauan", "en": "Reviews"},
    "nav_wbs": {"id": "WBS", "en": "WBS"},
    "nav_audit": {"id": "Audit", "en": "Audit"},
    "signed_head": {"id": "Log audit yang ditandatangani", "en": "Signed audit log"},
    "head_records": {"id": "catatan", "en": "records"},
    "head_signed_at": {"id": "ditandatangani", "en": "signed"},
    "head_root": {"id": "akar Merkle", "en": "Merkle root"},
    "nav_public": {"id": "Publik", "en": "Public"},
    "signed_in_as": {"id": "Masuk sebagai", "en": "Signed in as"},
    "times_in": {"id": "Waktu", "en": "Times in"},
    "time": {"id": "Waktu", "en": "Time"},
    "paused_at": {"id": "Dijeda", "en": "Paused"},
    "candidate_name": {"id": "Nama", "en": "Name"},
    "venue": {"id": "Lokasi ujian", "en": "Venue"},
    "from_day": {"id": "Dari", "en": "From"},
    "to_day": {"id": "Sampai", "en": "To"},
    "nobody_found": {"id": "Tidak ada peserta yang cocok.", "en": "No candidate matches."},
    "paused_for": {"id": "Ujian dijeda:", "en": "Exam paused:"},
    "open_incident": {"id": "Buka insiden", "en": "Open the incident"},
    "all_venues": {"id": "Semua lokasi", "en": "All venues"},
    "search_candidate": {"id": "Cari peserta", "en": "Find a candidate"},
    "search_placeholder": {"id": "Nomor peserta atau nama", "en": "Participant number or name"},
    "apply_filter": {"id": "Tampilkan", "en": "Show"},
    "no_reviews_found": {
        "id": "Tidak ada insiden menunggu yang cocok dengan pencarian ini.",
        "en": "No waiting incident matches this search.",
    },
    "public": {"id": "Layanan publik", "en": "Public services"},
    "public_brand": {
        "id": "Layanan Pengaduan Ujian Seleksi ASN",
        "en": "Civil-service exam complaints service",
    },
    "public_intro": {
        "id": "Sampaikan keluhan, pertanyaan, atau laporan tentang pelaksanaan ujian seleksi ASN. "
        "Setiap pengaduan dicatat, diberi tenggat, dan dijawab; tidak ada yang diabaikan.",
        "en": "Tell us about a complaint, question or report on the civil-service selection exam. "
        "Every complaint is recorded, given a deadline and answered; none is ignored.",
    },
    "intro_complaint": {
        "id": "Untuk keluhan tentang ujian: antrean, jadwal, fasilitas, sikap petugas, hasil, atau "
        "dugaan joki. Anda mendapat nomor pelacakan; tanggapan pertama paling lambat {days} hari.",
        "en": "For complaints about the exam: queues, schedule, facilities, staff conduct, results "
        "or a suspected proxy. You get a tracking number; a first answer within {days} days.",
    },
    "intro_status": {
        "id": "Masukkan nomor pelacakan (PGD-...) untuk melihat status dan jawaban petugas.",
        "en": "Enter your tracking number (PGD-...) to see the status and the officers' answers.",
    },
    "intro_wbs": {
        "id": "Untuk melaporkan kecurangan (joki, kebocoran soal, suap) tanpa menyebut nama. Jika "
        "Anda memberi identitas, hanya pemegang kunci yang dapat membukanya. Simpan tanda terima: "
        "hanya ditampilkan sekali.",
        "en": "To report fraud (proxies, leaked questions, bribes) without giving your name. An "
        "identity you give can be opened only by the key's custodian. Keep the receipt: it is "
        "shown once.",
    },
    "intro_follow": {
        "id": "Dengan tanda terima, baca jawaban dan kirim keterangan tambahan tanpa membuka "
        "identitas Anda.",
        "en": "With your receipt, read the answers and add information without revealing who "
        "you are.",
    },
    "other_channels": {"id": "Saluran lain", "en": "Other channels"},
    "intro_booth": {
        "id": "Meja pengaduan di setiap lokasi ujian, pada hari ujian.",
        "en": "The complaint desk at every venue, on exam days.",
    },
    "intro_whatsapp": {
        "id": "kirim pengaduan sebagai pesan; balasan memuat nomor pelacakan.",
        "en": "send the complaint as a message; the reply gives the tracking number.",
    },
    "same_procedure": {
        "id": "Semua saluran mengikuti prosedur dan tenggat yang sama.",
        "en": "Every channel follows the same procedure and deadlines.",
    },
    "choose_category": {"id": "Pilih kategori", "en": "Choose a category"},
    "no_replies_yet": {"id": "Belum ada jawaban.", "en": "No answer yet."},
    "complaint_filed": {"id": "Pengaduan diterima", "en": "Complaint received"},
    "receipt_title": {"id": "Tanda terima laporan", "en": "Report receipt"},
    "complaint_form": {"id": "Sampaikan pengaduan", "en": "File a complaint"},
    "status_lookup": {"id": "Cek status pengaduan", "en": "Check a complaint's status"},
    "wbs_form": {"id": "Laporan pelanggaran (WBS)", "en": "Whistleblowing report"},
    "wbs_follow": {"id": "Lihat laporan dengan tanda terima", "en": "Follow a report by receipt"},
    "category": {"id": "Kategori", "en": "Category"},
    "subject": {"id": "Pokok", "en": "Subject"},
    "description": {"id": "Uraian", "en": "Description"},
    "name": {"id": "Nama (boleh kosong)", "en": "Name (optional)"},
    "contact": {
        "id": "Kontak untuk balasan (boleh kosong)",
        "en": "Contact for replies (optional)",
    },
    "send": {"id": "Kirim", "en": "Send"},
    "invalid": {"id": "Periksa kembali isian Anda.", "en": "Please check the form."},
    "tracking_number": {"id": "Nomor pelacakan", "en": "Tracking number"},
    "keep_number": {
        "id": "Simpan nomor ini untuk melihat status dan balasan.",
        "en": "Keep this number to see the status and replies.",
    },
    "not_found": {"id": "Nomor tidak ditemukan.", "en": "No complaint has this number."},
    "replies": {"id": "Balasan", "en": "Replies"},
    "due": {"id": "Batas waktu penyelesaian", "en": "Resolution due"},
    "identity": {
        "id": "Identitas Anda (boleh kosong; dienkripsi, hanya kustodian yang dapat membuka)",
        "en": "Your identity (optional; encrypted, only the custodian can open it)",
    },
    "anonymous": {
        "id": "Alamat IP dan peramban Anda tidak disimpan.",
        "en": "Your IP address and browser are not stored.",
    },
    "receipt": {"id": "Tanda terima", "en": "Receipt"},
    "receipt_once": {
        "id": "Tanda terima ini hanya ditampilkan sekali. Catat sekarang: tanpa itu laporan tidak "
        "dapat dibuka lagi.",
        "en": "This receipt is shown only once. Write it down now: without it the report cannot "
        "be opened again.",
    },
    "message": {"id": "Pesan tambahan", "en": "Add a message"},
    "audit": {"id": "Jejak audit", "en": "Audit trail"},
    "stations": {"id": "Stasiun ujian", "en": "Exam stations"},
    "complaints": {"id": "Pengaduan", "en": "Complaints"},
    "desk": {"id": "Meja registrasi", "en": "Check-in desk"},
    "nobody_waiting": {"id": "Tidak ada peserta yang menunggu.", "en": "Nobody is waiting."},
    "check_in": {"id": "Registrasi ulang (foto langsung)", "en": "Check-in (live photo)"},
    "reverify": {"id": "Verifikasi ulang", "en": "Re-verify"},
    "no_desk_step": {
        "id": "Tidak ada langkah di meja registrasi untuk status ini.",
        "en": "Nothing to do at the desk in this state.",
    },
    "take_photo": {"id": "Ambil foto", "en": "Take the photo"},
    "live_photo": {
        "id": "Foto langsung (kamera atau unggah)",
        "en": "Live photo (camera or upload)",
    },
    "result": {"id": "Hasil", "en": "Result"},
    "resume": {"id": "Lanjutkan ujian", "en": "Resume the exam"},
    "resume_reason": {
        "id": "Alasan melanjutkan setelah pemeriksaan langsung (minimal 10 karakter)",
        "en": "Reason to resume after an in-person check (at least 10 characters)",
    },
    "statistics": {"id": "Statistik", "en": "Statistics"},
    "session": {"id": "Sesi", "en": "Session"},
    "attempts": {"id": "Peserta", "en": "Attempts"},
    "checkpoint_failures": {"id": "Gagal verifikasi", "en": "Checkpoint failures"},
    "pauses": {"id": "Ujian dihentikan", "en": "Pauses"},
    "confirmed_proxies": {"id": "Joki terbukti", "en": "Proxies confirmed"},
    "false_alarms": {"id": "Alarm palsu", "en": "False alarms"},
    "starts": {"id": "Mulai", "en": "Starts"},
    "no_complaints_yet": {"id": "Belum ada pengaduan.", "en": "No complaint yet."},
    "no_sessions": {
        "id": "Tidak ada sesi untuk saringan ini.",
        "en": "No session matches these filters.",
    },
    "per_session": {
        "id": "Per lokasi dan sesi, dari yang terlama",
        "en": "Per venue and session, oldest first",
    },
    "per_week": {
        "id": "Per minggu (Senin), sesi yang dipilih",
        "en": "Per week (from Monday), the sessions chosen",
    },
    "per_week_help": {
        "id": "Di bawah tanggal Senin: jumlah sesi yang dimulai pada minggu itu.",
        "en": "Under each Monday: how many sessions started that week.",
    },
    "n_sessions": {"id": "sesi: {n}", "en": "sessions: {n}"},
    "hours_to_decision": {
        "id": "Jam sampai keputusan (median)",
        "en": "Hours to decision (median)",
    },
    "deadline_compliance": {
        "id": "Ketepatan waktu pengaduan",
        "en": "Complaint deadline compliance",
    },
    "resolved": {"id": "Selesai", "en": "Resolved"},
    "on_time": {"id": "Tepat waktu", "en": "On time"},
    "wbs_reports": {"id": "Laporan WBS", "en": "Whistleblowing reports"},
    "reference": {"id": "Nomor", "en": "Reference"},
    "escalation": {"id": "Eskalasi", "en": "Escalation"},
    "overdue": {"id": "Terlambat", "en": "Overdue"},
    "step_first_response": {"id": "tanggapan pertama", "en": "first response"},
    "step_resolution": {"id": "penyelesaian", "en": "resolution"},
    "resolution": {"id": "Catatan penyelesaian", "en": "Resolution note"},
    "resolve": {"id": "Selesaikan", "en": "Resolve"},
    "classify": {"id": "Klasifikasi", "en": "Classify"},
    "internal": {"id": "catatan internal", "en": "internal note"},
    "public_reply": {
        "id": "Balasan terlihat oleh pelapor",
        "en": "Reply visible to the complainant",
    },
    "reveal": {"id": "Buka identitas pelapor", "en": "Reveal the reporter's identity"},
    "justification": {
        "id": "Alasan (minimal 20 karakter, dicatat)",
        "en": "Justification (at least 20 characters, audited)",
    },
    "private_key": {"id": "Kunci privat kustodian", "en": "Custodian's private key"},
    "revealed_audited": {
        "id": "Pembukaan ini dicatat dalam jejak audit beserta alasannya.",
        "en": "This reveal is recorded in the audit trail with its justification.",
    },
    "score": {"id": "Skor", "en": "Score"},
    "open_attempt": {"id": "Buka di meja registrasi", "en": "Open at the desk"},
    "heartbeat": {"id": "Sinyal terakhir", "en": "Last heartbeat"},
    "chain_ok": {"id": "Rantai utuh, catatan", "en": "Chain intact, records"},
    "chain_broken": {"id": "RANTAI RUSAK", "en": "CHAIN BROKEN"},
    "checkpoint": {"id": "titik tanda tangan", "en": "signed checkpoint"},
    "checked_at": {"id": "diperiksa", "en": "checked"},
    "recent_checks": {"id": "Pemeriksaan terakhir", "en": "Recent checks"},
    "records": {"id": "Catatan", "en": "Records"},
    "the_service": {"id": "Layanan (otomatis)", "en": "The service (automatic)"},
    "chain_intact": {"id": "Utuh", "en": "Intact"},
    "chain_pending": {
        "id": "Rantai belum pernah diperiksa.",
        "en": "The chain has not been checked yet.",
    },
    "verify_now": {"id": "Periksa seluruh rantai sekarang", "en": "Check the whole chain now"},
    "action": {"id": "Tindakan", "en": "Action"},
    "actor": {"id": "Pelaku", "en": "Actor"},
    "subject_id": {"id": "Subjek", "en": "Subject"},
    "details": {"id": "Rincian", "en": "Details"},
    "all_actions": {"id": "Semua tindakan", "en": "Every action"},
    "all_people": {"id": "Semua orang", "en": "Everyone"},
    "no_records": {"id": "Tidak ada catatan untuk saringan ini.", "en": "No record matches."},
    "since": {"id": "sejak", "en": "since"},
    "newest_page": {"id": "Terbaru", "en": "Newest"},
    "older_page": {"id": "Lebih lama", "en": "Older"},
    "actor_service": {"id": "Layanan (otomatis)", "en": "The service"},
    "actor_anonymous": {"id": "Tanpa nama", "en": "Anonymous"},
    "actor_system": {"id": "Sistem", "en": "System"},
    "filter": {"id": "Saring", "en": "Filter"},
    "latest_only": {
        "id": "Hanya 200 catatan terbaru ditampilkan; CSV memuat semuanya.",
        "en": "Only the latest 200 records are shown; the CSV holds them all.",
    },
    "identity_search": {"id": "Identitas 1:N", "en": "1:N identity"},
    "choose": {"id": "Pilih...", "en": "Choose..."},
    "station": {"id": "Stasiun", "en": "Station"},
    "duplicates": {"id": "Wajah ganda", "en": "Duplicate faces"},
    "duplicates_help": {
        "id": "Satu wajah terdaftar dengan dua nomor peserta. Putuskan: orang yang sama, kembar, "
        "atau hanya mirip, dengan alasan.",
        "en": "One face enrolled under two participant numbers. Decide: the same person, twins, "
        "or a look-alike, with a reason.",
    },
    "no_duplicates": {"id": "Tidak ada wajah ganda yang menunggu.", "en": "No duplicate waits."},
    "same_face_as": {"id": "Wajah sama dengan", "en": "Same face as"},
    "found": {"id": "Ditemukan", "en": "Found"},
    "decided": {"id": "Sudah diputuskan", "en": "Decided"},
    "watchlist": {"id": "Daftar pantau", "en": "Watchlist"},
    "watchlist_help": {
        "id": "Joki yang terbukti (otomatis setelah dua peninjau) dan joki yang dikenal. Setiap "
        "pemeriksaan wajah dicocokkan dengan daftar ini.",
        "en": "Confirmed proxies (added when two reviewers confirm) and known joki. Every face "
        "check is searched against this list.",
    },
    "no_watchlist": {"id": "Daftar pantau kosong.", "en": "The watchlist is empty."},
    "listed_as": {"id": "Tercatat sebagai", "en": "Listed as"},
    "source": {"id": "Asal", "en": "Source"},
    "added": {"id": "Ditambahkan", "en": "Added"},
    "expires": {"id": "Berlaku sampai", "en": "Expires"},
    "remove": {"id": "Hapus", "en": "Remove"},
    "proxy_of_incident": {"id": "Joki pada insiden ini", "en": "The proxy of this incident"},
    "faces": {"id": "wajah", "en": "faces"},
    "watchlist_add": {"id": "Tambah ke daftar pantau", "en": "Add to the watchlist"},
    "photo": {"id": "Foto wajah", "en": "Face photo"},
    "watchlist_hits": {"id": "Temuan daftar pantau", "en": "Watchlist hits"},
    "watchlist_hits_help": {
        "id": "Wajah berikut cocok dengan orang di daftar pantau. Pemeriksaan tidak diloloskan "
        "sampai Anda memutuskan: bandingkan wajah dan kartu identitas.",
        "en": "These faces match someone on the watchlist. The check does not pass until you "
        "decide: compare the face and the identity card.",
    },
    "where": {"id": "Di mana", "en": "Where"},
    "rings": {"id": "Jaringan joki", "en": "Joki rings"},
    "rings_help": {
        "id": "Insiden yang wajah jokinya sama, lintas sesi dan lokasi, serta peserta terdaftar "
        "yang wajahnya adalah wajah joki.",
        "en": "Incidents whose proxy is the same face, across sessions and venues, and any "
        "enrolled candidate whose face is the proxy's.",
    },
    "no_rings": {"id": "Belum ada jaringan joki.", "en": "No ring has been found."},
    "ring": {"id": "Jaringan", "en": "Ring"},
    "incidents": {"id": "insiden", "en": "incidents"},
    "sat_for": {"id": "Joki mengerjakan ujian untuk", "en": "The proxy sat for"},
    "proxy_enrolled_as": {
        "id": "Wajah joki terdaftar sebagai peserta",
        "en": "The proxy's face is enrolled as",
    },
    "ring_links": {"id": "Skor kemiripan antarinsiden", "en": "Scores between incidents"},
    **SERVICE_MESSAGES,
}


def language(request: Request) -> str:
    chosen = request.cookies.get(COOKIE, "id")
    return chosen if chosen in LANGUAGES else "id"


def translator(lang: str):
    def t(key: str) -> str:
        entry = MESSAGES.get(key)
        return entry[lang] if entry else key

    return t
