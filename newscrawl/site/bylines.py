"""Byline and dateline normalisers: people's names, desk credits and the leading place."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from newscrawl.normalize.text import clean_text, unique


def _word_set(words: str) -> frozenset[str]:
    """A frozenset of the space-separated words of a constant."""
    return frozenset(words.split())


# ---------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------

# Particles kept lower case when a name is re-cased ("MUHAMMAD BIN SALMAN").
# "Al" and "El" are left capitalised, as Liputan6 writes them ("Ramdania El Hida").
_LOWER_PARTICLES = frozenset({"bin", "binti", "van", "von", "der", "den", "de", "da", "dos", "du"})
# A CMS user name used as a display name: "Windi.Wicaksono", "sulung_mardinata".
_USERNAME = re.compile(r"[^\W\d_]+(?:[._][^\W\d_]+)+")
# A lone 2-4 letter capital code: the reporter codes of 2000-2010 copy, "(ULF/Sahlan Heluth)".
_CODE = re.compile(r"[A-Z]{2,4}")
_SPACE_DOT = re.compile(r"\s*\.\s*(?=[a-z]{2,}\b)", re.IGNORECASE)


def _recase_word(word: str, first: bool) -> str:
    """One word of an ALL CAPS or all lower-case name in title case."""
    lower = word.lower()
    if not first and lower in _LOWER_PARTICLES:
        return lower
    parts = []
    for part in lower.split("-"):
        part = part[:1].upper() + part[1:]
        if re.fullmatch(r"[od]'[a-z].*", part, re.IGNORECASE):  # O'Brien, D'Angelo
            part = part[:2] + part[2:3].upper() + part[3:]
        parts.append(part)
    return "-".join(parts)


def _recase(name: str) -> str:
    """Title case for a name written in one case; mixed-case names ("Shinta NM Sinaga") kept."""
    letters = [c for c in name if c.isalpha()]
    if not letters or any(c.isdigit() for c in name):
        return name  # "aditi4.s4putr4" is a handle, not a name to re-case
    if all(c.isupper() for c in letters):
        if _CODE.fullmatch(name):
            return name
    elif not all(c.islower() for c in letters):
        return name
    return " ".join(_recase_word(w, i == 0) for i, w in enumerate(name.split(" ")))


def _strip_ends(text: str) -> str:
    """Punctuation off both ends, keeping the dot of a final initial ("Ahmad S.")."""
    start = 0
    while start < len(text) and not text[start].isalnum():
        start += 1
    end = len(text)
    while end > start and not text[end - 1].isalnum():
        if text[end - 1] == "." and re.search(r"(?:^|\s)[^\W\d_]\.$", text[start:end]):
            break
        end -= 1
    return text[start:end].strip()


def clean_name(text: str | None) -> str | None:
    """One person's name tidied: spaces, end punctuation, case, "First.Last" user names."""
    text = clean_text(text)
    if not text:
        return None
    text = _strip_ends(text)
    if not text or not any(c.isalpha() for c in text):
        return None
    if is_desk_credit(text):
        return text
    if _USERNAME.fullmatch(text):
        words = re.split(r"[._]", text)
        text = " ".join(f"{w}." if len(w) == 1 else w for w in words)
    return _recase(text)


# ---------------------------------------------------------------------------------------
# Desk and agency credits
# ---------------------------------------------------------------------------------------

_LIPUTAN6 = "Liputan6.com"
# Known desk, agency and partner credits, keyed by their case-folded spelling.
_CREDIT_NAMES: dict[str, str] = {
    **dict.fromkeys(
        (
            "liputan6.com",
            "liputan6dotcom",
            "liputan6com",
            "liputan6",
            "liputan 6",
            "liputan enam",
            "liputan6 com",
            "liputan 6.com",
            "redaksi liputan6.com",
            "redaksi liputan6",
        ),
        _LIPUTAN6,
    ),
    "tim liputan6.com": "Tim Liputan6.com",
    "tim liputan6": "Tim Liputan6.com",
    "redaksi": "Redaksi",
    "tim redaksi": "Tim Redaksi",
    **dict.fromkeys(
        ("antara", "antaranews", "antara news", "antaranews.com", "lkbn antara"), "Antara"
    ),
    "merdeka.com": "Merdeka.com",
    "bola.com": "Bola.com",
    "bola.net": "Bola.net",
    "fimela.com": "Fimela.com",
    "fimela": "Fimela.com",
    "fimela editor": "Fimela Editor",
    "fimela pictures": "Fimela Pictures",
    "bintang pictures": "Bintang Pictures",
    "bintang.com": "Bintang.com",
    "kapanlagi.com": "KapanLagi.com",
    "kapanlagi": "KapanLagi.com",
    "vidio.com": "Vidio.com",
    "vidio": "Vidio.com",
    "dream.co.id": "Dream.co.id",
    "bisnis.com": "Bisnis.com",
    "kompas.com": "Kompas.com",
    "otosia.com": "Otosia.com",
    "brilio.net": "Brilio.net",
    "kly": "KLY",
    "kly tv": "KLY TV",
    "sctv": "SCTV",
    "indosiar": "Indosiar",
    "reuters": "Reuters",
    "afp": "AFP",
    "ap": "AP",
    "associated press": "AP",
    "xinhua": "Xinhua",
    "bbc": "BBC",
    "cnn": "CNN",
    "dpa": "DPA",
    "efe": "EFE",
    "kyodo": "Kyodo",
    "yonhap": "Yonhap",
    "bernama": "Bernama",
    "anadolu": "Anadolu",
    "anadolu agency": "Anadolu",
    "al jazeera": "Al Jazeera",
    "getty images": "Getty Images",
    "shutterstock": "Shutterstock",
    "istock": "iStock",
    "unsplash": "Unsplash",
    "pixabay": "Pixabay",
    "freepik": "Freepik",
    "istimewa": "Istimewa",
    "ist": "Istimewa",
    "dok": "Dokumentasi",
    "dokumentasi": "Dokumentasi",
    "admin": "Admin",
}
# Anything that reads as a web address: "Okezone.com", "Dream.co.id", "Liputan6dotcom".
_DOMAIN = re.compile(
    r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
    r"(?:\.(?:com|net|org|co|id|tv|news|info|io|asia)|dotcom)",
)
# "Tim …" is a team only when the rest is desk-like ("Tim Cek Fakta"); "Tim Burton" is a person.
_DESK_WORDS = _word_set(
    "redaksi liputan6 cek fakta editor kreatif riset litbang digital media news multimedia video "
    "foto grafis infografis produksi sosial social online kly sctv indosiar jurnalis wartawan "
    "reporter penulis konten content data"
)
_DESK_LEADS = frozenset({"redaksi", "humas", "admin", "rilis", "siaran", "press"})


def _credit_key(name: str) -> str:
    """A credit's lookup key: case-folded, single spaces, no dots spaced apart."""
    text = _strip_ends(clean_text(name) or "")
    return _SPACE_DOT.sub(".", text).casefold()


def is_desk_credit(name: str) -> bool:
    """True for desk, agency and partner credits that are not people ("Liputan6.com", "Antara")."""
    key = _credit_key(name or "")
    if not key:
        return False
    if key in _CREDIT_NAMES or _DOMAIN.fullmatch(key):
        return True
    lead, _, rest = key.partition(" ")
    if lead in _DESK_LEADS:
        return True
    if lead in ("tim", "team") and rest:
        return is_desk_credit(rest) or any(word in _DESK_WORDS for word in rest.split())
    return False


def _canonical_credit(name: str) -> str:
    """A credit in its usual spelling ("ANTARA" → "Antara", "Liputan6dotcom" → "Liputan6.com")."""
    key = _credit_key(name)
    if key in _CREDIT_NAMES:
        return _CREDIT_NAMES[key]
    lead, _, rest = key.partition(" ")
    if lead in ("tim", "team") and rest in _CREDIT_NAMES:
        return f"Tim {_CREDIT_NAMES[rest]}"
    text = _SPACE_DOT.sub(".", _strip_ends(clean_text(name) or ""))
    if _DOMAIN.fullmatch(key) and (text.islower() or text.isupper()):
        return text[:1].upper() + text[1:].lower()
    return _recase(text)


# ---------------------------------------------------------------------------------------
# Splitting a credit line into names
# ---------------------------------------------------------------------------------------

# Role labels in front of names. Words that could start a name need a colon ("Foto: …").
_PREFIX = re.compile(
    r"^(?:(?:ditulis|dilaporkan|diedit|disunting)\s+oleh|written\s+by|oleh|by"
    r"|penulis|editor|redaktur|penyunting|reporter|wartawan|pewarta|kontributor|contributor"
    r"|fotografer|photographer|videografer|videographer)\b\s*[:\-–]?\s*"
    r"|^(?:teks|text|foto|photo|video|sumber|source|ilustrasi|grafis)\s*:\s*",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*[,;|/&+·•]\s*|\s+(?:dan|DAN|and|AND|serta|SERTA)\s+")
# A byline run on into its date: "oleh Tommy Kurnia pada 23 Jan 2021, 13:30 WIB", and in
# 2015 "By Name on 18 Jun 2015 at 06:25 WIB".
_TRAILING_DATE = re.compile(
    r"\s+(?:pada|diperbaharui|diperbarui|diterbitkan|dipublikasikan|updated|published|on)\s+\d.*$",
    re.IGNORECASE | re.DOTALL,
)
_ET_AL = re.compile(r"\s+(?:dkk|dll|et\.?\s*al)\.?$", re.IGNORECASE)
# Name prefixes that are followed by a capital inside one word: McDonald, LeBron, DeAndre.
_CAMEL_PREFIXES = frozenset({"Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "O"})


def _split_run_together(text: str) -> list[str]:
    """Names the 2021+ layout glued together: "Nanda Perdana PutraDelvira Hutabarat" → two."""
    if is_desk_credit(text):
        return [text]
    cuts = []
    word_start = 0
    for i in range(1, len(text) - 1):
        if text[i - 1] == " ":
            word_start = i
        if text[i - 1].islower() and text[i].isupper() and text[i + 1].islower():
            head = text[word_start:i]
            if head[:1].isupper() and len(head) >= 2 and head not in _CAMEL_PREFIXES:
                cuts.append(i)
                word_start = i
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _strip_prefixes(text: str) -> str:
    """Role labels off the front of one credit ("Oleh: Penulis: A" → "A")."""
    while True:
        stripped = _PREFIX.sub("", text, count=1).strip()
        if stripped == text:
            return text
        text = stripped


def split_names(text: str | None) -> list[str]:
    """Every name in a credit line, cleaned, in order, without repeats (case-insensitive)."""
    text = clean_text(text)
    if not text:
        return []
    text = _TRAILING_DATE.sub("", text)
    names = []
    for part in _SEPARATORS.split(text):
        part = _ET_AL.sub("", _strip_prefixes(part.strip()))
        for piece in _split_run_together(part):
            name = clean_name(_strip_prefixes(piece))
            if name:
                names.append(name)
    return unique(names)


@dataclass(frozen=True)
class Byline:
    """A credit line split into people, desk/agency credits and bare reporter codes."""

    people: list[str] = field(default_factory=list)
    """Names of people, in order."""
    credits: list[str] = field(default_factory=list)
    """Desk, agency and partner credits in their usual spelling ("Liputan6.com", "Antara")."""
    codes: list[str] = field(default_factory=list)
    """Reporter initials of 2000-2010 copy ("ULF" in "(ULF/Sahlan Heluth)")."""


def parse_byline(text: str | None) -> Byline:
    """Split a credit line and sort its names into people, desk credits and reporter codes."""
    people, credits, codes = [], [], []
    for name in split_names(text):
        if is_desk_credit(name):
            credits.append(_canonical_credit(name))
        elif _CODE.fullmatch(name):
            codes.append(name)
        else:
            people.append(name)
    return Byline(people=people, credits=unique(credits), codes=codes)


# ---------------------------------------------------------------------------------------
# Datelines
# ---------------------------------------------------------------------------------------

_PLACE_NAMES = """
    jakarta|jakarta pusat|jakarta selatan|jakarta utara|jakarta barat|jakarta timur|dki jakarta
    bogor|depok|tangerang|tangerang selatan|bekasi|bandung|bandung barat|cimahi|cirebon|sukabumi
    tasikmalaya|garut|cianjur|karawang|purwakarta|subang|indramayu|kuningan|majalengka|sumedang
    ciamis|pangandaran|serang|cilegon|pandeglang|lebak|banten|jawa barat|jawa tengah|jawa timur
    semarang|solo|surakarta|magelang|salatiga|pekalongan|tegal|brebes|purwokerto|banyumas|cilacap
    kebumen|kudus|jepara|pati|rembang|blora|klaten|boyolali|sragen|wonogiri|karanganyar|sukoharjo
    temanggung|wonosobo|yogyakarta|jogja|jogjakarta|di yogyakarta|sleman|bantul|gunungkidul
    kulon progo|surabaya|malang|batu|kediri|blitar|madiun|mojokerto|pasuruan|probolinggo|jember
    banyuwangi|bondowoso|situbondo|lumajang|sidoarjo|gresik|lamongan|tuban|bojonegoro|ngawi
    nganjuk|jombang|ponorogo|pacitan|trenggalek|tulungagung|bangkalan|sampang|pamekasan|sumenep
    madura|bali|denpasar|badung|gianyar|tabanan|buleleng|karangasem|klungkung|bangli|jembrana
    kuta|ubud|nusa dua|sanur|mataram|lombok|lombok tengah|mandalika|sumbawa|bima|kupang|flores
    labuan bajo|ende|maumere|nusa tenggara barat|nusa tenggara timur|ntb|ntt|medan|binjai
    pematangsiantar|sibolga|deli serdang|karo|nias|samosir|toba|sumatera utara|sumatra utara
    aceh|banda aceh|aceh besar|lhokseumawe|langsa|sabang|meulaboh|padang|bukittinggi|payakumbuh
    solok|pariaman|mentawai|sumatera barat|sumatra barat|riau|pekanbaru|dumai|siak|kepulauan riau
    batam|tanjungpinang|bintan|karimun|natuna|jambi|palembang|lubuklinggau|prabumulih|baturaja
    muara enim|sumatera selatan|sumatra selatan|bangka|belitung|bangka belitung|pangkalpinang
    kepulauan bangka belitung|bengkulu|lampung|bandar lampung|metro|pontianak|singkawang|sambas
    ketapang|sintang|kalimantan|kalimantan barat|kalimantan tengah|kalimantan selatan
    kalimantan timur|kalimantan utara|palangkaraya|palangka raya|sampit|banjarmasin|banjarbaru
    martapura|samarinda|balikpapan|bontang|kutai kartanegara|penajam paser utara|ikn
    nunukan|tarakan|tanjung selor|malinau|sulawesi|sulawesi utara|sulawesi tengah
    sulawesi selatan|sulawesi tenggara|sulawesi barat|manado|bitung|tomohon|minahasa|palu|poso
    luwuk|makassar|gowa|maros|parepare|bone|palopo|toraja|tana toraja|bulukumba|kendari|baubau
    mamuju|majene|gorontalo|maluku|maluku utara|ambon|ternate|tidore|tual|papua|papua barat
    papua tengah|papua selatan|papua pegunungan|papua barat daya|jayapura|sentani|merauke|timika
    mimika|wamena|nabire|biak|manokwari|sorong|raja ampat|fakfak|kaimana
    amsterdam|ankara|athena|athens|baghdad|bangkok|beijing|beirut|berlin|bern|brussel|brussels
    buenos aires|kairo|cairo|canberra|caracas|damaskus|damascus|dhaka|doha|dubai|abu dhabi
    hanoi|ho chi minh|havana|hong kong|islamabad|istanbul|yerusalem|jerusalem|kabul|karachi|kiev
    kyiv|kuala lumpur|johor bahru|penang|kota kinabalu|kuching|putrajaya|lisbon|lisabon|london
    los angeles|madrid|manila|mekkah|makkah|mekah|madinah|jeddah|riyadh|melbourne|sydney|perth
    brisbane|mexico city|milan|moskow|moscow|mumbai|munich|muenchen|münchen|nairobi|new delhi
    new york|osaka|oslo|ottawa|paris|phnom penh|roma|rome|san francisco|santiago|sao paulo
    são paulo|rio de janeiro|seoul|shanghai|singapura|singapore|stockholm|taipei|teheran|tehran
    tel aviv|gaza|ramallah|tokyo|toronto|vancouver|wina|vienna|warsawa|warsaw|washington
    washington dc|wellington|wuhan|yangon|naypyidaw|dili|bandar seri begawan|pyongyang|geneva
    jenewa|zurich|davos|manchester|liverpool|birmingham|glasgow|turin|torino|napoli|naples
    firenze|florence|barcelona|valencia|sevilla|seville|bilbao|lyon|marseille|monaco|dortmund
    gelsenkirchen|leipzig|frankfurt|hamburg|porto|sepang|misano|mugello|jerez|assen
    silverstone|monza|sakhir|suzuka|losail|lusail|buriram|urbino|makau|vatikan
"""
# Countries open Liputan6 datelines ("Liputan6.com, Peru - ") but, bare, they also open match
# reports ("Inggris - Italia …"), so a bare "Country - " is not read as a dateline.
_COUNTRY_NAMES = """
    indonesia|amerika serikat|amerika|inggris|prancis|perancis|jerman|italia|spanyol|belanda
    rusia|china|tiongkok|jepang|korea selatan|korea utara|india|pakistan|bangladesh|afghanistan
    iran|irak|suriah|turki|arab saudi|mesir|israel|palestina|malaysia|thailand|vietnam|filipina
    myanmar|kamboja|laos|brunei|timor leste|australia|selandia baru|kanada|meksiko|brasil
    argentina|peru|chile|kolombia|venezuela|afrika selatan|nigeria|kenya|ukraina|polandia|yunani
    swiss|swedia|norwegia|denmark|finlandia|portugal|qatar|uni emirat arab|kuwait|yordania
    lebanon|libanon|yaman|sri lanka|nepal|taiwan|kuba|skotlandia|irlandia|belgia|austria|ceko
    hongaria|kroasia|serbia|maroko|aljazair|tunisia|sudan|ethiopia|somalia|uganda|ghana
"""


def _name_set(names: str) -> frozenset[str]:
    """A case-folded set from a "|"- and line-separated list."""
    return frozenset(p.strip().casefold() for p in names.replace("\n", "|").split("|") if p.strip())


# Places seen (or likely) at the head of Liputan6 copy: they decide how far a dateline without
# a separator reaches ("Liputan6.com, Bandar Lampung Polisi …") and which bare "Place - "
# openings of bola.com copy are datelines.
_CITIES = _name_set(_PLACE_NAMES)
_COUNTRIES = _name_set(_COUNTRY_NAMES)
_PLACES = _CITIES | _COUNTRIES
# Words that can follow a known place inside a place name: "Malang Raya", "Bogor Barat".
_PLACE_SUFFIXES = _word_set(
    "raya utara selatan barat timur tengah pusat besar kota kabupaten baru daya laut"
)
# "Place + suffix" look-alikes that start a sentence instead: "Timur Tengah" (Middle East).
_NOT_PLACE_ENDINGS = frozenset({("timur", "tengah"), ("barat", "daya")})
# Lower-case words allowed inside a place name: "Rio de Janeiro".
_PLACE_PARTICLES = frozenset({"de", "da", "do", "dos", "del", "la", "le", "el", "al", "am", "upon"})
# Words that open sentences, not bola.com datelines: "Presiden - …" is not a place.
_NOT_PLACES = _word_set(
    """presiden wapres menteri gubernur bupati wali walikota ketua kapolri kapolda kapolres
    panglima pelatih pemain striker kiper bek gelandang penyerang manajer direktur pemerintah
    polisi warga mantan sementara namun selain kini saat hal ini itu dia ia mereka kami kita anda
    update berikut foto video baca simak catatan keterangan sumber jadwal hasil link live
    breaking klasemen prediksi head"""
)
_NOT_BARE_PLACES = _NOT_PLACES | _COUNTRIES

_LIPUTAN6_PREFIX = re.compile(r"[\s\ufeff\u200b]*liputan6\s*\.\s*com\s*,\s*", re.IGNORECASE)
# "Place" then a separator: a colon, or a dash with a space on at least one side.
_PLACE_THEN_SEP = re.compile(
    r"(?P<place>[^:\n]{1,60}?)(?:\s*[:–—]\s*|\s+--?\s*|--?\s+)(?=\S|$)", re.DOTALL
)
_BOLA_DATELINE = re.compile(r"[\s\ufeff\u200b]*(?P<place>[^:\n]{1,40}?)\s+[-–—]\s+(?=\S)")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def _known_length(words: list[str]) -> int:
    """How many leading words form a known place (longest match, up to four words)."""
    for n in range(min(4, len(words)), 0, -1):
        if " ".join(words[:n]).casefold() in _PLACES:
            if n < len(words) and (words[n - 1].casefold(), words[n].casefold()) in (
                _NOT_PLACE_ENDINGS
            ):
                continue
            return n
    return 0


def _is_place_part(part: str, *, strict: bool) -> bool:
    """Whether one comma-separated part ("Nusa Dua") reads as a place name."""
    words = part.split()
    if not words or len(words) > 4:
        return False
    if not strict and part.casefold() in _PLACES:
        return True  # known places in any case: "Liputan6.com, JAKARTA - "
    for i, word in enumerate(words):
        if not _WORD.fullmatch(word):
            return False
        if not word[0].isupper() and not (0 < i < len(words) - 1 and word in _PLACE_PARTICLES):
            return False
    known = _known_length(words)
    if strict:
        if known == len(words):
            return part.casefold() not in _COUNTRIES
        word = words[0]
        return (
            len(words) == 1
            and word.casefold() not in _NOT_BARE_PLACES
            and not word.isupper()
            and word.isalpha()
        )
    if known:
        # "Jakarta Presiden Jokowi -" is a dateline without separator, not a three-word place.
        return all(w.casefold() in _PLACE_SUFFIXES for w in words[known:])
    return len(words) <= 3


def _is_place(place: str, *, strict: bool) -> bool:
    """Whether a dateline candidate ("Nusa Dua, Bali") is one to three place parts."""
    parts = [p.strip() for p in place.split(",")]
    return len(parts) <= 3 and all(_is_place_part(p, strict=strict) for p in parts)


def _leading_place(text: str) -> tuple[str | None, int]:
    """A dateline with no separator: the longest known place, else one word; and where it ends."""
    words = list(re.finditer(r"\S+", text[:120]))
    tokens = [m.group().rstrip(",") for m in words]
    if not tokens or not _WORD.fullmatch(tokens[0]) or not tokens[0][0].isupper():
        return None, 0
    count = _known_length(tokens) or 1
    place = " ".join(tokens[:count])
    end = words[count - 1].start() + len(tokens[count - 1])
    # "Nusa Dua, Bali Warga …": a second known place after a comma belongs to the dateline.
    if words[count - 1].group().endswith(",") and len(tokens) > count:
        more = _known_length(tokens[count:])
        if more:
            place += ", " + " ".join(tokens[count : count + more])
            end = words[count + more - 1].start() + len(tokens[count + more - 1])
    return place, end


def split_dateline(text: str) -> tuple[str | None, str]:
    """The dateline's place and the paragraph without it; (None, text) when there is none.

    "Liputan6.com, Jakarta - Presiden …" → ("Jakarta", "Presiden …").
    """
    if not text:
        return None, text
    prefix = _LIPUTAN6_PREFIX.match(text)
    if prefix:
        body = text[prefix.end() :]
        match = _PLACE_THEN_SEP.match(body)
        if match and _is_place(match["place"].strip(), strict=False):
            return _tidy_place(match["place"]), body[match.end() :].lstrip()
        place, end = _leading_place(body)
        if place:
            return _tidy_place(place), body[end:].lstrip(" \t\n\xa0,")
        return None, text
    match = _BOLA_DATELINE.match(text)
    if match and _is_place(match["place"].strip(), strict=True):
        return _tidy_place(match["place"]), text[match.end() :]
    return None, text


def _tidy_place(place: str) -> str:
    """A place with single spaces and ", " between its parts."""
    return ", ".join(" ".join(part.split()) for part in place.split(",")).strip(" ,")


# ---------------------------------------------------------------------------------------
# Reporter codes
# ---------------------------------------------------------------------------------------

# The credit closing the last paragraph of older copy: desk initials, then reporters' names
# or more initials, between parentheses: "(TNA/Merdi Sofansyah dan Anto Susanto)." (2001),
# "(WIL/AYB)." (2009), "(Cas/Isk)" (2016). A slash is required, so "(BPS)" or a photo credit
# "(Liputan6.com/Angga Yuniar)" never matches.
_REPORTER_CODE = re.compile(
    r"\s*\((?P<code>[A-Za-z]{2,4}(?:\s*/\s*[^\W\d_][^()/\n]{1,60})+)\)\.?\s*$"
)
_INITIALS = re.compile(r"[^\W\d_]{2,4}")


def split_reporter_code(text: str) -> tuple[str, str | None]:
    """The paragraph without its closing reporter code, and the code as written (with its
    parentheses); (text, None) when there is none.

    "… jaminan pribadinya. (TNA/Merdi Sofansyah dan Anto Susanto)." →
    ("… jaminan pribadinya.", "(TNA/Merdi Sofansyah dan Anto Susanto)").
    """
    match = _REPORTER_CODE.search(text or "")
    if not match:
        return text, None
    return text[: match.start()].rstrip(), f"({match['code'].strip()})"


def parse_reporter_code(code: str | None) -> Byline:
    """A reporter code split into the people it names and its initials: every part of two
    to four letters ("TNA", "Cas", "Isk") is initials, the rest are names."""
    people, credits, codes = [], [], []
    for part in (code or "").strip().strip("().").split("/"):
        part = part.strip()
        if _INITIALS.fullmatch(part):
            codes.append(part)
        else:
            names = parse_byline(part)
            people.extend(names.people)
            credits.extend(names.credits)
    return Byline(people=unique(people), credits=unique(credits), codes=codes)
