"""Synthetic Liputan6 articles: channels, made-up text, ``make_articles``."""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Literal

WIB = timezone(timedelta(hours=7), "WIB")
WWW = "https://www.liputan6.com"

ArticleType = Literal["text", "photo", "video"]


# ---------------------------------------------------------------------------------------
# Channels
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelInfo:
    """A channel as window.kmklabs.channel names it, with its sub-channel slugs."""

    slug: str
    name: str
    id: int
    subchannels: tuple[str, ...] = ()


# Sub-channel slugs from the 2020 desktop navigation (SITE.md §2.2a); news and bisnis ids
# are the real ones, the others are made up.
CHANNELS: dict[str, ChannelInfo] = {
    c.slug: c
    for c in (
        ChannelInfo("news", "News", 17, ("peristiwa", "politik", "nasional", "megapolitan")),
        ChannelInfo("bisnis", "Bisnis", 5, ("ekonomi", "saham", "bank", "energi-tambang")),
        ChannelInfo("bola", "Bola", 12, ("liga-inggris", "liga-nasional", "liga-spanyol")),
        ChannelInfo("showbiz", "Showbiz", 14, ("celeb", "film", "musik", "kpop")),
        ChannelInfo("tekno", "Tekno", 16, ("gadget", "internet", "startup", "game")),
        ChannelInfo("health", "Health", 22, ("health-info", "fit-diet", "mom-kids")),
        ChannelInfo("lifestyle", "Lifestyle", 25, ("kuliner", "travel", "home-decor")),
        ChannelInfo("global", "Global", 33, ("internasional", "sains", "unik")),
        ChannelInfo("regional", "Regional", 41, ("bandung", "surabaya", "makassar")),
        ChannelInfo("citizen6", "Citizen6", 47, ("hits", "komunitasku", "forum")),
        ChannelInfo("otomotif", "Otomotif", 52, ("narsis", "tips-trik")),
        ChannelInfo("cek-fakta", "Cek Fakta", 58, ()),
        ChannelInfo("hot", "Hot", 63, ()),
    )
}
DEFAULT_CHANNELS = tuple(list(CHANNELS)[:10])


def channel_info(slug: str) -> ChannelInfo:
    """The channel's kmklabs data; unknown slugs get a made-up id and no sub-channels."""
    known = CHANNELS.get(slug)
    if known:
        return known
    name = " ".join(part.capitalize() for part in slug.split("-"))
    return ChannelInfo(slug, name, 1000 + zlib.crc32(slug.encode()) % 1000)


def _sub_name(slug: str) -> str:
    """Display name of a sub-channel slug ("liga-inggris" → "Liga Inggris")."""
    return " ".join(part.capitalize() for part in slug.split("-"))


def _category_id(channel: str, sub: str) -> int:
    """A stable made-up kmklabs.category id."""
    return 100 + zlib.crc32(f"{channel}/{sub}".encode()) % 900


# ---------------------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------------------


@dataclass
class FakeArticle:
    """One synthetic (or saved) article, as the local site serves and lists it."""

    article_id: str
    channel: str
    subchannel: str | None
    day: date
    """The WIB date of ``published``: the indeks day that lists the article."""
    slug: str
    title: str
    authors: list[str]
    tags: list[str]
    paragraphs: list[str]
    """Body paragraphs without the dateline; the page prefixes "Liputan6.com, {dateline} -"."""
    published: datetime
    """Aware, in WIB (+07:00)."""
    modified: datetime | None
    type: ArticleType = "text"
    pages: int = 1
    """Number of body pages; paragraphs are spread over them in order."""
    split_pages: bool = False
    """True: each response holds one page, ``?page=N`` returns page N (post-2021 site)."""
    editors: list[str] = field(default_factory=list)
    """Editors for the data layer; the first author when empty."""
    dateline: str | None = "Jakarta"
    """Place the body opens with; None for no dateline."""

    @property
    def path(self) -> str:
        """Canonical path: /{channel}/read/{id}/{slug}."""
        return f"/{self.channel}/read/{self.article_id}/{self.slug}"

    @property
    def url(self) -> str:
        """Canonical www URL, as og:url and every list page give it."""
        return WWW + self.path

    @property
    def summary(self) -> str:
        """The short description: the first sentence of the first paragraph."""
        first = self.paragraphs[0] if self.paragraphs else self.title
        end = first.find(". ")
        return first if end < 0 else first[: end + 1]

    @property
    def body(self) -> str:
        """The body text an extractor should return: paragraphs joined by blank lines."""
        return "\n\n".join(self.paragraphs)

    def page_paragraphs(self) -> list[list[str]]:
        """Paragraphs of each body page, in order (every page gets at least one)."""
        count = max(1, min(self.pages, len(self.paragraphs)))
        size, extra = divmod(len(self.paragraphs), count)
        out, start = [], 0
        for i in range(count):
            end = start + size + (1 if i < extra else 0)
            out.append(self.paragraphs[start:end])
            start = end
        return out


def _phrases(text: str) -> tuple[str, ...]:
    """A tuple from a "|"-separated constant written over several lines."""
    return tuple(p.strip() for p in text.split("|"))


# A fixed vocabulary: synthetic names (no real journalists) and Indonesian news phrases.
_FIRST_NAMES = _phrases(
    """Andi|Budi|Citra|Dewi|Eko|Fajar|Gita|Hendra|Indah|Joko|Kartika|Lestari|Made|Nur|Oktaviani|
    Putri|Rizky|Sari|Teguh|Wulan|Yusuf|Zahra|Bagus|Ayu|Reza|Nadia"""
)
_LAST_NAMES = _phrases(
    """Pratama|Saputra|Wijaya|Nugroho|Hidayat|Kusuma|Santoso|Rahmawati|Setiawan|Permata|Siregar|
    Simanjuntak|Wibowo|Lubis|Harahap|Suryadi|Anggraini|Maulana"""
)
_SUBJECTS = _phrases(
    """Presiden Jokowi|Menteri Keuangan|Gubernur DKI|Polda Metro Jaya|BMKG|Bank Indonesia|KPK|
    Timnas Indonesia|Pemprov Jawa Barat|Kemenkes|OJK|Pertamina|PSSI|DPR|Kemendikbud|
    Wali Kota Surabaya|Basarnas|KAI|BPOM|Kominfo"""
)
_VERBS = _phrases(
    """Pastikan|Umumkan|Siapkan|Tinjau|Minta|Tegaskan|Bantah|Targetkan|Resmikan|Evaluasi|Perketat|
    Dukung|Kaji|Percepat"""
)
_OBJECTS = _phrases(
    """Harga Cabai|Vaksinasi Massal|Jalur Mudik|Anggaran 2021|Banjir Rob|Tarif Listrik|
    Aturan Ganjil Genap|Stok Beras|Kartu Prakerja|Bantuan Sosial Tunai|Tol Trans Jawa|
    Kurikulum Baru|Pembangunan Bendungan|Transportasi Umum|Jadwal Liga 1|Ekspor Batu Bara|
    Harga BBM|Layanan Kesehatan|Sekolah Tatap Muka|Kawasan Wisata"""
)
_TAILS = _phrases(
    """di Jakarta|Tahun Ini|Jelang Lebaran|Pekan Depan|untuk Warga|Secara Bertahap|Mulai Besok|
    di Tengah Pandemi|hingga Akhir Tahun|"""
)
_OPENERS = _phrases(
    """Menurut dia,|Sementara itu,|Selain itu,|Dalam keterangannya,|Di sisi lain,|Sebelumnya,|
    Hingga kini,|Oleh karena itu,"""
)
_CLAUSES = _phrases(
    """pihaknya akan terus memantau perkembangan di lapangan|
    langkah tersebut diambil setelah rapat koordinasi dengan pemerintah daerah|
    masyarakat diminta tetap tenang dan mengikuti informasi resmi|
    kebijakan ini berlaku mulai pekan depan di seluruh wilayah|
    data terbaru menunjukkan kenaikan sekitar {n} persen dibanding bulan lalu|
    sebanyak {n} warga telah terdaftar dalam program tersebut|
    anggaran yang disiapkan mencapai Rp {n} miliar|
    petugas gabungan dikerahkan untuk mengawal pelaksanaan kegiatan|
    evaluasi akan dilakukan setiap dua pekan sekali|
    warga berharap pemerintah segera memberikan kepastian|
    sejumlah pihak menilai aturan itu perlu disosialisasikan lebih luas|
    kondisi di lokasi terpantau ramai lancar sejak pagi hari|
    pemerintah pusat dan daerah sepakat memperkuat pengawasan|
    angka tersebut diperkirakan terus bertambah dalam beberapa hari ke depan"""
)
_QUOTES = _phrases(
    """Kami akan bekerja sama dengan semua pihak|Semua sudah kami siapkan dengan baik|
    Kami minta masyarakat tetap waspada|Prosesnya masih berjalan dan akan kami umumkan|
    Ini menjadi prioritas kami tahun ini"""
)
_SPEAKERS = _phrases(
    """Kepala Dinas Perhubungan|juru bicara kementerian|Ketua Komisi V DPR|Kapolres setempat|
    Direktur Utama perusahaan|pengamat ekonomi"""
)
_TAGS = _phrases(
    """Jokowi|Pemprov DKI|Harga Cabai|Timnas Indonesia|Covid-19|BMKG|Banjir|Mudik Lebaran|KPK|
    Bank Indonesia|IHSG|Liga 1|Vaksin Covid-19|PSBB|Pilkada Serentak|Kuliner|Wisata Bali|Gempa|
    BPJS Kesehatan|Kartu Prakerja|Startup|Smartphone|Piala Dunia|K-Pop|Resep|Cuaca Ekstrem"""
)
_DATELINES = ("Jakarta",) * 6 + ("Surabaya", "Bandung", "Medan", "Makassar", "Denpasar")
_GLOBAL_DATELINES = ("Washington", "Tokyo", "London", "Beijing", "Kuala Lumpur")
_DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_MONTHS_ID = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")
FIRST_ID = 4_200_001


def _slugify(text: str) -> str:
    """Lower-case hyphenated slug, as Liputan6 builds article slugs."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _paragraph(rng: random.Random, when: datetime, lead: str | None = None) -> str:
    """One to three Indonesian-looking sentences; ``lead`` opens the first paragraph."""
    sentences = [lead] if lead else []
    for _ in range(rng.randint(1, 2)):
        if rng.random() < 0.3:
            quote, speaker = rng.choice(_QUOTES), rng.choice(_SPEAKERS)
            stamp = f"{_DAYS_ID[when.weekday()]} ({when.day}/{when.month}/{when.year})"
            sentences.append(f'"{quote}," kata {speaker}, {stamp}.')
        else:
            clause = rng.choice(_CLAUSES).format(n=rng.randint(2, 950))
            sentences.append(f"{rng.choice(_OPENERS)} {clause}.")
    return " ".join(sentences)


def _people(rng: random.Random, count: int) -> list[str]:
    """count different synthetic names."""
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"
        if name not in names:
            names.append(name)
    return names


def make_articles(
    n: int,
    *,
    start_day: date,
    days: int,
    channels: Sequence[str] = DEFAULT_CHANNELS,
    seed: int = 0,
    multipage_ratio: float = 0.15,
    split_pages: bool = False,
) -> list[FakeArticle]:
    """n deterministic synthetic articles, ids increasing with publication time.

    Articles are spread evenly over ``days`` days from ``start_day`` (WIB) and at random
    over ``channels``; about ``multipage_ratio`` of them have 2-4 pages (served split, one
    page per response, when ``split_pages``), about 1 in 20 is a photo and 1 in 20 a video.
    """
    if n < 0 or days < 1:
        raise ValueError("n must be >= 0 and days >= 1")
    rng = random.Random(seed)
    stamps: list[datetime] = []
    for offset in range(days):
        day = start_day + timedelta(days=offset)
        midnight = datetime(day.year, day.month, day.day, tzinfo=WIB)
        count = n // days + (1 if offset < n % days else 0)
        seconds = sorted(rng.randrange(86_400) for _ in range(count))
        stamps += [midnight + timedelta(seconds=s) for s in seconds]

    articles = []
    article_id = FIRST_ID
    for published in stamps:
        channel = rng.choice(channels)
        info = channel_info(channel)
        sub = rng.choice(info.subchannels) if info.subchannels and rng.random() < 0.8 else None
        roll = rng.random()
        kind: ArticleType = "photo" if roll < 0.05 else "video" if roll < 0.10 else "text"
        subject, obj = rng.choice(_SUBJECTS), rng.choice(_OBJECTS)
        words = (subject, rng.choice(_VERBS), obj, rng.choice(_TAILS))
        title = " ".join(w for w in words if w)
        if kind != "text":
            title = f"{'FOTO' if kind == 'photo' else 'VIDEO'}: {title}"
        pages = rng.randint(2, 4) if rng.random() < multipage_ratio else 1
        count = rng.randint(3, 5) if pages == 1 else rng.randint(2 * pages, 3 * pages)
        lead = f"{subject} menyampaikan perkembangan terbaru terkait {obj.lower()}."
        paragraphs = [_paragraph(rng, published, lead if i == 0 else None) for i in range(count)]
        roll = rng.random()
        modified: datetime | None = None
        if roll < 0.6:
            modified = published + timedelta(minutes=rng.randint(1, 600))
        elif roll < 0.75:
            modified = published - timedelta(minutes=rng.randint(1, 20))  # a scheduled post
        articles.append(
            FakeArticle(
                article_id=str(article_id),
                channel=channel,
                subchannel=sub,
                day=published.date(),
                slug=_slugify(title),
                title=title,
                authors=_people(rng, rng.choice((1, 1, 1, 2, 3))),
                tags=rng.sample(_TAGS, rng.randint(2, 5)),
                paragraphs=paragraphs,
                published=published,
                modified=modified,
                type=kind,
                pages=pages,
                split_pages=split_pages and pages > 1,
                editors=_people(rng, 1),
                dateline=rng.choice(_GLOBAL_DATELINES if channel == "global" else _DATELINES),
            )
        )
        article_id += rng.randint(1, 4)
    return articles
