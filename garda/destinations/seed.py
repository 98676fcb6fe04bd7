"""Reference data for destinations, schemes, sector rules and requirement sets.

Plain data (lists of dicts) plus `apply(apps)`, used by the data migration
0003_seed_rules (with the historical models) and by tests and `garda demo` (with the
real ones). Every fact cites its source in `legal_basis`; where a value is a
placeholder because the public sources we hold do not settle it, the row's `note`
says so, and an administrator corrects it on the rules pages (a new version or a
new rule, never an overwrite).

Sources (see also docs/domain.md):
- UU 18/2017 on the Protection of Indonesian Migrant Workers (signed 22 November
  2017): art. 5 (eligibility: at least 18, healthy, BPJS), art. 13 (documents),
  art. 30 (zero cost).
- BP2MI Regulation 7/2022 (SKCK and the OPP certificate), BP2MI Regulation 9/2020
  (fee-free occupations).
- Kepmenaker 260/2015: no domestic workers with individual employers in the Middle
  East from 1 July 2015. Kepmenaker 291/2018 and the RI–Saudi arrangement of
  11 October 2018: the SPSK pilot (six jobs, six cities, employers that are legal
  entities).
- The RI–Korea EPS MoU (August 2004, renewed September 2008); the Indonesia–Japan
  EPA (in force 1 July 2008); Japan's Specified Skilled Worker system (from 1 April
  2019); the BP2MI–Bundesagentur für Arbeit agreement on nurses (16 and 26 July
  2021) and KP2MI's announcement PENG.2980/04.04/PP.02.04/VII/2025 (Triple Win,
  age 18–38); Permenaker 9/2019 (independent placement).

Embassy addresses and websites are filled in only where we know them with
confidence; phone numbers are left blank on purpose (a wrong number given to a
worker in trouble is worse than none): administrators add them from kemlu.go.id.
"""

from datetime import date

UU18 = "UU 18/2017 pasal 5 dan 13"
UU18_DATE = date(2017, 11, 22)
BP2MI_7_2022 = "Peraturan BP2MI 7/2022 (SKCK, sertifikat OPP)"
BP2MI_9_2020 = "Peraturan BP2MI 9/2020 (pembebasan biaya penempatan)"
KEPMENAKER_260 = (
    "Keputusan Menteri Ketenagakerjaan Nomor 260 Tahun 2015 tentang Penghentian dan "
    "Pelarangan Penempatan TKI pada Pengguna Perseorangan di Negara-Negara Kawasan "
    "Timur Tengah"
)
KEPMENAKER_291 = (
    "Keputusan Menteri Ketenagakerjaan Nomor 291 Tahun 2018 tentang Pedoman Pelaksanaan "
    "Penempatan dan Pelindungan PMI di Kerajaan Arab Saudi melalui Sistem Penempatan Satu "
    "Kanal; pengaturan teknis RI–Arab Saudi 11 Oktober 2018"
)
EPS_MOU = "MoU RI–Korea tentang pengiriman pekerja melalui EPS (Agustus 2004, diperbarui 2008)"
IJEPA = "Persetujuan Kemitraan Ekonomi Indonesia–Jepang (IJEPA), berlaku 1 Juli 2008"
SSW = "Sistem Specified Skilled Worker (Tokutei Ginou) Jepang, berlaku 1 April 2019"
TRIPLE_WIN = (
    "Persetujuan Kerja Sama BP2MI–Bundesagentur für Arbeit tentang Penempatan dan "
    "Pelindungan Tenaga Kesehatan Indonesia di Jerman (16 dan 26 Juli 2021)"
)
MIDDLE_EAST = ("SA", "AE", "QA", "KW", "OM", "BH", "JO")

# --- destinations ---------------------------------------------------------------------

_GENERAL_ID = (
    "Berangkat hanya melalui jalur resmi dan terdaftar. Bekerja dengan visa turis atau "
    "visa kunjungan adalah penempatan non-prosedural: Anda tidak terlindungi dan berisiko "
    "ditahan, dideportasi atau menjadi korban perdagangan orang."
)
_GENERAL_EN = (
    "Leave only through a legal, registered route. Working on a tourist or visit visa is "
    "a non-procedural departure: you are not protected and risk detention, deportation "
    "or trafficking."
)


def _middle_east_notes(name_id: str, name_en: str, extra_id: str = "", extra_en: str = ""):
    notes = (
        f"PERHATIAN: sejak 1 Juli 2015 penempatan pekerja rumah tangga pada pengguna "
        f"perseorangan ke {name_id} dihentikan dan dilarang (moratorium, Kepmenaker "
        f"260/2015). Tawaran kerja rumah tangga di {name_id} adalah penempatan ilegal dan "
        f"dapat merupakan tindak pidana perdagangan orang (TPPO): jangan berangkat, dan "
        f"laporkan ke Pasukan Putih, BP3MI DKI Jakarta atau polisi. Pekerjaan sektor formal "
        f"(misalnya kesehatan, perhotelan, konstruksi) tetap dapat ditempuh melalui P3MI "
        f"berizin dengan job order terverifikasi. PMI yang sudah bekerja di sana sebelum "
        f"moratorium boleh menyelesaikan dan memperpanjang kontraknya."
    )
    notes_en = (
        f"WARNING: since 1 July 2015 placing domestic workers with individual employers in "
        f"{name_en} is stopped and prohibited (moratorium, Kepmenaker 260/2015). An offer of "
        f"domestic work in {name_en} is an illegal placement and may be trafficking in "
        f"persons: do not go, and report it to Pasukan Putih, BP3MI DKI Jakarta or the "
        f"police. Formal-sector jobs (e.g. health, hospitality, construction) remain possible "
        f"through a licensed P3MI with a verified job order. Workers already there before "
        f"the moratorium may finish and extend their contracts."
    )
    return (
        f"{notes} {extra_id}".strip(),
        f"{notes_en} {extra_en}".strip(),
    )


_SA_NOTES = _middle_east_notes(
    "Arab Saudi",
    "Saudi Arabia",
    "Pengecualian terbatas: uji coba Sistem Penempatan Satu Kanal (SPSK, 2018) untuk enam "
    "jabatan domestik formal pada perusahaan (syarikah), bukan perseorangan, hanya di "
    "Jeddah, Madinah, Riyadh, Dammam, Khobar dan Dhahran, dan hanya melalui P3MI yang "
    "ditetapkan pemerintah. Tanyakan status terkininya ke BP3MI sebelum mendaftar.",
    "A narrow exception: the One Channel Placement System pilot (SPSK, 2018) for six formal "
    "domestic jobs with companies (syarikah), not individuals, only in Jeddah, Madinah, "
    "Riyadh, Dammam, Khobar and Dhahran, and only through P3MI designated by the "
    "government. Ask BP3MI about its current status before you sign up.",
)


def _dest(code, name, name_en, region, embassy_name, address="", website="", notes=("", "")):
    return {
        "code": code,
        "name": name,
        "name_en": name_en,
        "region": region,
        "min_age": 18,  # UU 18/2017 art. 5
        "embassy_name": embassy_name,
        "embassy_address": address,
        "embassy_phone": "",
        "embassy_email": "",
        "embassy_website": website,
        "notes": notes[0],
        "notes_en": notes[1],
    }


DESTINATIONS: list[dict] = [
    _dest(
        "KR",
        "Korea Selatan",
        "South Korea",
        "Asia Timur",
        "KBRI Seoul",
        "380 Yeouidaero, Yeongdeungpo-gu, Seoul",
        "https://kemlu.go.id/seoul",
        (
            "Pekerjaan di sektor manufaktur dan perikanan Korea Selatan (visa E-9) hanya "
            "melalui program G to G EPS yang diselenggarakan KP2MI bersama HRD Korea, tanpa "
            "biaya penempatan. Jadwal ujian EPS-TOPIK diumumkan resmi oleh KP2MI; waspadai "
            "calo yang menjanjikan lulus ujian atau jalur cepat dengan bayaran. " + _GENERAL_ID,
            "Jobs in South Korea's manufacturing and fishery sectors (E-9 visa) go only "
            "through the G-to-G EPS programme run by KP2MI with HRD Korea, with no placement "
            "fee. EPS-TOPIK test dates are announced officially by KP2MI; beware of brokers "
            "who promise a pass or a shortcut for money. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "JP",
        "Jepang",
        "Japan",
        "Asia Timur",
        "KBRI Tokyo",
        "5-2-9 Higashi-Gotanda, Shinagawa-ku, Tokyo",
        "https://kemlu.go.id/tokyo",
        (
            "Jalur resmi ke Jepang: G to G IJEPA untuk perawat dan careworker; pemagangan "
            "melalui program IM Japan Kemnaker; dan Specified Skilled Worker (SSW, Tokutei "
            "Ginou) dengan tes keterampilan dan tes bahasa Jepang (JFT-Basic A2 atau JLPT N4). "
            "Pastikan LPK atau P3MI yang Anda pakai terdaftar resmi. " + _GENERAL_ID,
            "Legal routes to Japan: G-to-G IJEPA for nurses and care workers; technical "
            "internships through the manpower ministry's IM Japan programme; and Specified "
            "Skilled Worker (SSW, Tokutei Ginou) with a skills test and a Japanese test "
            "(JFT-Basic A2 or JLPT N4). Make sure your training centre (LPK) or P3MI is "
            "officially registered. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "TW",
        "Taiwan",
        "Taiwan",
        "Asia Timur",
        "KDEI Taipei (Kantor Dagang dan Ekonomi Indonesia)",
        "6F, No. 550, Ruiguang Road, Neihu District, Taipei",
        "",
        (
            "Penempatan ke Taiwan melalui P3MI berizin (antara lain perawat lansia, pekerja "
            "rumah tangga, pabrik, perikanan) atau program SP2T yang dipromosikan BP3MI DKI "
            "Jakarta. Beberapa jabatan, antara lain pekerja rumah tangga dan perawat lansia, "
            "dibebaskan dari biaya penempatan (Peraturan BP2MI 9/2020). Indonesia tidak "
            "memiliki kedutaan di Taiwan: perlindungan diberikan oleh KDEI di Taipei. "
            + _GENERAL_ID,
            "Placement to Taiwan goes through a licensed P3MI (among others elderly "
            "caregivers, domestic workers, factories, fishery) or the SP2T programme promoted "
            "by BP3MI DKI Jakarta. Some jobs, among them domestic workers and elderly "
            "caregivers, are exempt from placement fees (BP2MI Regulation 9/2020). Indonesia "
            "has no embassy in Taiwan: protection comes from KDEI in Taipei. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "HK",
        "Hong Kong",
        "Hong Kong",
        "Asia Timur",
        "KJRI Hong Kong",
        "127–129 Leighton Road, Causeway Bay, Hong Kong",
        "https://kemlu.go.id/hongkong",
        (
            "Pekerja rumah tangga ke Hong Kong berangkat melalui P3MI berizin dengan "
            "perjanjian kerja yang ditandatangani sebelum berangkat. Pekerja rumah tangga "
            "termasuk jabatan yang dibebaskan dari biaya penempatan (Peraturan BP2MI 9/2020): "
            "tolak potongan gaji untuk biaya penempatan. Paspor adalah milik Anda: majikan atau "
            "agen tidak boleh menahannya. " + _GENERAL_ID,
            "Domestic workers go to Hong Kong through a licensed P3MI, with a work agreement "
            "signed before departure. Domestic work is among the jobs exempt from placement "
            "fees (BP2MI Regulation 9/2020): refuse wage deductions for placement costs. Your "
            "passport is yours: an employer or agent may not hold it. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "MY",
        "Malaysia",
        "Malaysia",
        "Asia Tenggara",
        "KBRI Kuala Lumpur",
        "233 Jalan Tun Razak, 50400 Kuala Lumpur",
        "https://kemlu.go.id/kualalumpur",
        (
            "Malaysia adalah salah satu tujuan terbesar. Berangkat hanya melalui P3MI berizin "
            "atau sebagai pekerja perseorangan yang terdaftar; masuk sebagai pelancong lalu "
            "bekerja adalah non-prosedural dan berisiko ditahan dan dideportasi. Pastikan "
            "perjanjian kerja ditandatangani sebelum berangkat. " + _GENERAL_ID,
            "Malaysia is one of the largest destinations. Leave only through a licensed P3MI "
            "or as a registered independent worker; entering as a tourist and then working is "
            "non-procedural and risks detention and deportation. Make sure the work agreement "
            "is signed before departure. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "SG",
        "Singapura",
        "Singapore",
        "Asia Tenggara",
        "KBRI Singapura",
        "7 Chatsworth Road, Singapore 249761",
        "https://kemlu.go.id/singapore",
        (
            "Penempatan ke Singapura melalui P3MI berizin atau perseorangan yang terdaftar; "
            "pastikan izin kerja (work permit) Anda disetujui sebelum berangkat. Pekerja rumah "
            "tangga tidak boleh dibebani biaya penempatan (Peraturan BP2MI 9/2020). " + _GENERAL_ID,
            "Placement to Singapore goes through a licensed P3MI or as a registered "
            "independent worker; make sure your work permit is approved before departure. "
            "Domestic workers may not be charged placement fees (BP2MI Regulation 9/2020). "
            + _GENERAL_EN,
        ),
    ),
    _dest(
        "SA",
        "Arab Saudi",
        "Saudi Arabia",
        "Timur Tengah",
        "KBRI Riyadh; KJRI Jeddah",
        "Diplomatic Quarter, Riyadh",
        "https://kemlu.go.id/riyadh",
        _SA_NOTES,
    ),
    _dest(
        "AE",
        "Uni Emirat Arab",
        "United Arab Emirates",
        "Timur Tengah",
        "KBRI Abu Dhabi; KJRI Dubai",
        "",
        "https://kemlu.go.id/abudhabi",
        _middle_east_notes("Uni Emirat Arab", "the United Arab Emirates"),
    ),
    _dest(
        "QA",
        "Qatar",
        "Qatar",
        "Timur Tengah",
        "KBRI Doha",
        "",
        "https://kemlu.go.id/doha",
        _middle_east_notes("Qatar", "Qatar"),
    ),
    _dest(
        "KW",
        "Kuwait",
        "Kuwait",
        "Timur Tengah",
        "KBRI Kuwait City",
        "",
        "",
        _middle_east_notes("Kuwait", "Kuwait"),
    ),
    _dest(
        "OM",
        "Oman",
        "Oman",
        "Timur Tengah",
        "KBRI Muscat",
        "",
        "https://kemlu.go.id/muscat",
        _middle_east_notes("Oman", "Oman"),
    ),
    _dest(
        "BH",
        "Bahrain",
        "Bahrain",
        "Timur Tengah",
        "KBRI Manama",
        "",
        "https://kemlu.go.id/manama",
        _middle_east_notes("Bahrain", "Bahrain"),
    ),
    _dest(
        "JO",
        "Yordania",
        "Jordan",
        "Timur Tengah",
        "KBRI Amman",
        "",
        "https://kemlu.go.id/amman",
        _middle_east_notes("Yordania", "Jordan"),
    ),
    _dest(
        "TR",
        "Turki",
        "Turkey",
        "Eropa",
        "KBRI Ankara; KJRI Istanbul",
        "",
        "https://kemlu.go.id/ankara",
        (
            "Penempatan ke Turki melalui P3MI berizin (misalnya perhotelan dan spa) atau "
            "sebagai pekerja perseorangan yang terdaftar. Waspadai tawaran kerja di media "
            "sosial yang meminta Anda berangkat dengan visa turis. " + _GENERAL_ID,
            "Placement to Turkey goes through a licensed P3MI (e.g. hospitality and spas) or "
            "as a registered independent worker. Beware of job offers on social media that "
            "ask you to travel on a tourist visa. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "CN",
        "Tiongkok",
        "China",
        "Asia Timur",
        "KBRI Beijing; KJRI Guangzhou; KJRI Shanghai",
        "",
        "https://kemlu.go.id/beijing",
        (
            "Penempatan ke Tiongkok sedikit dan harus melalui P3MI berizin, perusahaan untuk "
            "kepentingan sendiri, atau perseorangan yang terdaftar dengan visa kerja. "
            "Waspadai perantara yang menawarkan pekerjaan atau perkawinan dan meminta Anda "
            "berangkat dengan visa kunjungan: itu modus perdagangan orang yang sering "
            "dilaporkan. " + _GENERAL_ID,
            "Few placements go to China, and only through a licensed P3MI, a company posting "
            "its own workers, or as a registered independent worker with a work visa. Beware "
            "of brokers offering jobs or marriages who ask you to travel on a visit visa: a "
            "frequently reported trafficking pattern. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "DE",
        "Jerman",
        "Germany",
        "Eropa",
        "KBRI Berlin",
        "Lehrter Straße 16–17, 10557 Berlin",
        "https://kemlu.go.id/berlin",
        (
            "Perawat dapat bekerja di Jerman melalui program G to G Triple Win (KP2MI bersama "
            "Badan Ketenagakerjaan Federal Jerman), tanpa biaya penempatan; pelatihan bahasa "
            "Jerman sampai B1 diberikan di Indonesia dan ijazah disetarakan di Jerman. "
            + _GENERAL_ID,
            "Nurses can work in Germany through the G-to-G Triple Win programme (KP2MI with "
            "Germany's Federal Employment Agency), with no placement fee; German training up "
            "to B1 is given in Indonesia and the diploma is recognised in Germany. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "NL",
        "Belanda",
        "Netherlands",
        "Eropa",
        "KBRI Den Haag",
        "Tobias Asserlaan 8, 2517 KC Den Haag",
        "https://kemlu.go.id/thehague",
        (
            "Penempatan ke Belanda sebagai pekerja perseorangan atau oleh perusahaan untuk "
            "kepentingan sendiri; pastikan perjanjian kerja dan izin kerja serta izin tinggal "
            "dari otoritas Belanda terbit sebelum berangkat. " + _GENERAL_ID,
            "Placement to the Netherlands is as an independent worker or by a company posting "
            "its own workers; make sure the work agreement and the Dutch work and residence "
            "permits are issued before departure. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "PL",
        "Polandia",
        "Poland",
        "Eropa",
        "KBRI Warsawa",
        "ul. Estońska 3/5, Warszawa",
        "https://kemlu.go.id/warsaw",
        (
            "Penempatan ke Polandia melalui P3MI berizin atau perseorangan yang terdaftar; "
            "izin kerja Polandia harus terbit sebelum visa kerja. Waspadai tawaran 'kerja di "
            "Eropa' yang meminta biaya besar di muka: pekerja tidak boleh dibebani biaya "
            "penempatan (UU 18/2017 pasal 30). " + _GENERAL_ID,
            "Placement to Poland goes through a licensed P3MI or as a registered independent "
            "worker; the Polish work permit must be issued before the work visa. Beware of "
            "'jobs in Europe' that ask for large fees up front: workers may not be charged "
            "placement costs (UU 18/2017 art. 30). " + _GENERAL_EN,
        ),
    ),
    _dest(
        "GB",
        "Inggris",
        "United Kingdom",
        "Eropa",
        "KBRI London",
        "30 Great Peter Street, London SW1P 2HW",
        "https://kemlu.go.id/london",
        (
            "Tenaga kesehatan ke Inggris melalui rekrutmen resmi (biasanya dengan sertifikat "
            "IELTS) dan pekerja musiman pertanian melalui operator berlisensi. Anda tidak boleh "
            "dibebani biaya penempatan (UU 18/2017 pasal 30): laporkan jika diminta membayar. "
            + _GENERAL_ID,
            "Health workers go to the United Kingdom through official recruitment (usually "
            "with an IELTS certificate) and seasonal farm workers through licensed operators. "
            "You may not be charged placement costs (UU 18/2017 art. 30): report any request "
            "to pay. " + _GENERAL_EN,
        ),
    ),
    _dest(
        "AU",
        "Australia",
        "Australia",
        "Oseania",
        "KBRI Canberra",
        "8 Darwin Avenue, Yarralumla ACT 2600",
        "https://kemlu.go.id/canberra",
        (
            "Bekerja di Australia memerlukan visa yang mengizinkan bekerja; visa Work and "
            "Holiday bukan penempatan kerja jangka panjang. Berangkat sebagai pekerja "
            "perseorangan yang terdaftar, melalui P3MI berizin, atau oleh perusahaan untuk "
            "kepentingan sendiri. " + _GENERAL_ID,
            "Working in Australia requires a visa that allows work; a Work and Holiday visa is "
            "not a long-term placement. Leave as a registered independent worker, through a "
            "licensed P3MI, or with a company posting its own workers. " + _GENERAL_EN,
        ),
    ),
]

# --- schemes ----------------------------------------------------------------------------

SCHEMES: list[dict] = [
    {
        "code": "g2g-kr-eps",
        "name": "G to G Korea Selatan (EPS)",
        "name_en": "G-to-G South Korea (EPS)",
        "kind": "g2g",
        "operator": "KP2MI bersama HRD Korea",
        "description": (
            "Penempatan antarpemerintah ke Korea Selatan melalui Employment Permit System: "
            "ujian bahasa EPS-TOPIK dan tes buta warna, lalu tes keterampilan dan wawancara. "
            "Tanpa biaya penempatan."
        ),
        "description_en": (
            "Government-to-government placement to South Korea through the Employment "
            "Permit System: the EPS-TOPIK language test and a colour-vision test, then a "
            "skills test and interview. No placement fee."
        ),
        "legal_basis": f"{EPS_MOU}; UU 18/2017",
        "fee_free": True,
    },
    {
        "code": "g2g-jp-ijepa",
        "name": "G to G Jepang (IJEPA) perawat dan careworker",
        "name_en": "G-to-G Japan (IJEPA) nurses and care workers",
        "kind": "g2g",
        "operator": "KP2MI bersama JICWELS",
        "description": (
            "Penempatan antarpemerintah perawat (kangoshi) dan careworker (kaigofukushishi) "
            "ke Jepang dalam kerangka IJEPA, dengan pelatihan bahasa Jepang. Tanpa biaya "
            "penempatan."
        ),
        "description_en": (
            "Government-to-government placement of nurses (kangoshi) and care workers "
            "(kaigofukushishi) to Japan under IJEPA, with Japanese language training. No "
            "placement fee."
        ),
        "legal_basis": f"{IJEPA}; UU 18/2017",
        "fee_free": True,
    },
    {
        "code": "im-japan",
        "name": "Pemagangan ke Jepang (IM Japan)",
        "name_en": "Technical internship in Japan (IM Japan)",
        "kind": "intern",
        "operator": "Kementerian Ketenagakerjaan bersama IM Japan",
        "description": (
            "Program pemagangan teknis ke Jepang melalui Kemnaker dan IM Japan, dengan batas "
            "usia, tes matematika dan fisik, dan pelatihan bahasa Jepang sebelum berangkat."
        ),
        "description_en": (
            "Technical internships in Japan through the manpower ministry and IM Japan, "
            "with age limits, mathematics and physical tests, and Japanese training before "
            "departure."
        ),
        "legal_basis": "Kerja sama Kementerian Ketenagakerjaan RI–IM Japan; UU 18/2017",
        "fee_free": False,
    },
    {
        "code": "jp-ssw",
        "name": "Specified Skilled Worker Jepang (Tokutei Ginou)",
        "name_en": "Japan Specified Skilled Worker (Tokutei Ginou)",
        "kind": "ssw",
        "operator": "P3MI berizin atau perseorangan; pendataan oleh KP2MI",
        "description": (
            "Visa kerja berketerampilan di Jepang: lulus tes keterampilan bidang (SSW) dan tes "
            "bahasa Jepang (JFT-Basic A2 atau JLPT N4)."
        ),
        "description_en": (
            "Japan's skilled work visa: pass the field's skills test (SSW) and a Japanese "
            "test (JFT-Basic A2 or JLPT N4)."
        ),
        "legal_basis": f"{SSW}; Memorandum Kerja Sama RI–Jepang tentang SSW (2019); UU 18/2017",
        "fee_free": False,
    },
    {
        "code": "g2g-de-triplewin",
        "name": "G to G Jerman (Triple Win) perawat",
        "name_en": "G-to-G Germany (Triple Win) nurses",
        "kind": "g2g",
        "operator": "KP2MI bersama Bundesagentur für Arbeit (BA) dan GIZ",
        "description": (
            "Penempatan antarpemerintah perawat ke Jerman: pelatihan bahasa Jerman sampai B1 "
            "di Indonesia, penyetaraan ijazah di Jerman. Tanpa biaya penempatan."
        ),
        "description_en": (
            "Government-to-government placement of nurses to Germany: German training up to "
            "B1 in Indonesia, diploma recognition in Germany. No placement fee."
        ),
        "legal_basis": TRIPLE_WIN,
        "fee_free": True,
    },
    {
        "code": "p2p",
        "name": "Melalui P3MI berizin (P to P)",
        "name_en": "Through a licensed placement agency (P-to-P)",
        "kind": "p2p",
        "operator": "Perusahaan Penempatan PMI (P3MI) berizin, dengan job order terverifikasi",
        "description": (
            "Penempatan oleh perusahaan penempatan swasta yang memiliki izin (SIP3MI) dan job "
            "order yang diverifikasi. Periksa izin P3MI sebelum mendaftar; beberapa jabatan "
            "dibebaskan dari biaya penempatan."
        ),
        "description_en": (
            "Placement by a private agency with a licence (SIP3MI) and a verified job order. "
            "Check the agency's licence before you sign up; some jobs are exempt from "
            "placement fees."
        ),
        "legal_basis": f"UU 18/2017; {BP2MI_9_2020}",
        "fee_free": False,
    },
    {
        "code": "independent",
        "name": "Perseorangan (mandiri)",
        "name_en": "Independent (perseorangan)",
        "kind": "independent",
        "operator": "Pekerja sendiri, dengan pendataan oleh Disnaker dan BP3MI",
        "description": (
            "Anda memiliki perjanjian kerja langsung dengan pemberi kerja di luar negeri. "
            "Tetap wajib mendaftar, memiliki paspor, perjanjian kerja, KTP, surat keterangan "
            "sehat dan BPJS Ketenagakerjaan. Pemerintah tetap bertanggung jawab melindungi "
            "Anda, termasuk pemulangan."
        ),
        "description_en": (
            "You have a work agreement directly with a foreign employer. You must still "
            "register and hold a passport, the work agreement, your KTP, a health certificate "
            "and BPJS Ketenagakerjaan. The government remains responsible for your "
            "protection, including repatriation."
        ),
        "legal_basis": "Permenaker 9/2019 tentang Tata Cara Penempatan PMI; UU 18/2017",
        "fee_free": False,
    },
    {
        "code": "company-own",
        "name": "Untuk kepentingan perusahaan sendiri",
        "name_en": "For a company's own interest",
        "kind": "company",
        "operator": "Perusahaan Indonesia yang menempatkan pekerjanya sendiri",
        "description": (
            "Perusahaan di Indonesia menempatkan pekerjanya sendiri di cabang atau mitranya "
            "di luar negeri. Perlindungan UU 18/2017 tetap berlaku."
        ),
        "description_en": (
            "An Indonesian company posts its own employees to its branch or partner abroad. "
            "The protection of UU 18/2017 still applies."
        ),
        "legal_basis": "UU 18/2017",
        "fee_free": False,
    },
    {
        "code": "sp2t-tw",
        "name": "SP2T Taiwan",
        "name_en": "SP2T Taiwan",
        "kind": "special",
        "operator": "KP2MI; dipromosikan oleh BP3MI DKI Jakarta",
        "description": (
            "Program penempatan khusus ke Taiwan yang dipromosikan BP3MI DKI Jakarta. "
            "Tanyakan sektor yang dibuka dan jadwal pendaftaran ke BP3MI DKI Jakarta."
        ),
        "description_en": (
            "A special placement programme to Taiwan promoted by BP3MI DKI Jakarta. Ask "
            "BP3MI DKI Jakarta which sectors are open and when registration runs."
        ),
        "legal_basis": "Program khusus KP2MI/BP3MI DKI Jakarta; UU 18/2017",
        "fee_free": False,
    },
]

# --- schemes per destination ------------------------------------------------------------

_ANYWHERE = [
    {"scheme": "independent", "sectors": [], "language_tests": ""},
    {"scheme": "company-own", "sectors": [], "language_tests": ""},
]
_GULF_FORMAL = ["health", "hospitality", "construction", "services", "engineering"]

DESTINATION_SCHEMES: dict[str, list[dict]] = {
    "KR": [
        {
            "scheme": "g2g-kr-eps",
            "sectors": ["manufacturing", "fishery"],
            "language_tests": "EPS-TOPIK",
            "notes": (
                "EPS mencakup lima sektor visa E-9, tetapi kuota untuk Indonesia selama ini "
                "dibuka untuk manufaktur dan perikanan."
            ),
        },
    ],
    "JP": [
        {
            "scheme": "g2g-jp-ijepa",
            "sectors": ["care", "health"],
            "language_tests": "JLPT (pelatihan bahasa Jepang dari program)",
        },
        {
            "scheme": "im-japan",
            "sectors": ["manufacturing", "construction", "agriculture", "fishery", "care"],
            "language_tests": "JLPT N4",
        },
        {
            "scheme": "jp-ssw",
            "sectors": [
                "care",
                "manufacturing",
                "construction",
                "agriculture",
                "fishery",
                "hospitality",
                "engineering",
                "services",
            ],
            "language_tests": "JFT-Basic A2 / JLPT N4",
        },
    ],
    "TW": [
        {
            "scheme": "p2p",
            "sectors": ["domestic", "care", "manufacturing", "fishery", "construction"],
            "language_tests": "Bahasa Mandarin dasar (pelatihan)",
        },
        {"scheme": "sp2t-tw", "sectors": [], "language_tests": "Bahasa Mandarin dasar"},
    ],
    "HK": [
        {
            "scheme": "p2p",
            "sectors": ["domestic", "care"],
            "language_tests": "Bahasa Kanton / Inggris dasar (pelatihan)",
        }
    ],
    "MY": [
        {
            "scheme": "p2p",
            "sectors": [
                "domestic",
                "manufacturing",
                "agriculture",
                "construction",
                "hospitality",
                "services",
            ],
            "language_tests": "",
        }
    ],
    "SG": [
        {
            "scheme": "p2p",
            "sectors": ["domestic", "care", "manufacturing", "construction", "hospitality"],
            "language_tests": "Bahasa Inggris dasar",
        }
    ],
    "SA": [
        {
            "scheme": "p2p",
            "sectors": _GULF_FORMAL,
            "language_tests": "",
            "notes": (
                "Pekerja rumah tangga hanya melalui uji coba SPSK (perusahaan, bukan "
                "perseorangan) dan P3MI yang ditetapkan."
            ),
        }
    ],
    **{
        code: [{"scheme": "p2p", "sectors": _GULF_FORMAL, "language_tests": ""}]
        for code in ("AE", "QA", "KW", "OM", "BH", "JO")
    },
    "TR": [{"scheme": "p2p", "sectors": ["hospitality", "services"], "language_tests": ""}],
    "CN": [{"scheme": "p2p", "sectors": [], "language_tests": "HSK"}],
    "DE": [
        {
            "scheme": "g2g-de-triplewin",
            "sectors": ["health"],
            "language_tests": "Goethe-Zertifikat B1 (B2 di Jerman)",
        },
        {"scheme": "p2p", "sectors": ["health", "care"], "language_tests": "Goethe-Zertifikat"},
    ],
    "NL": [],
    "PL": [
        {
            "scheme": "p2p",
            "sectors": ["manufacturing", "construction", "hospitality", "agriculture"],
            "language_tests": "",
        }
    ],
    "GB": [
        {"scheme": "p2p", "sectors": ["health", "care", "agriculture"], "language_tests": "IELTS"}
    ],
    "AU": [{"scheme": "p2p", "sectors": ["agriculture", "care"], "language_tests": "IELTS"}],
}
for _code in DESTINATION_SCHEMES:
    DESTINATION_SCHEMES[_code] = [*DESTINATION_SCHEMES[_code], *_ANYWHERE]

# --- sector rules -----------------------------------------------------------------------

_MORATORIUM_NOTE = (
    "Penempatan pekerja rumah tangga pada pengguna perseorangan dihentikan dan dilarang "
    "sejak 1 Juli 2015. PMI yang sudah bekerja sebelum tanggal itu boleh menyelesaikan dan "
    "memperpanjang kontrak. Menempatkan pekerja rumah tangga ke negara ini diperlakukan "
    "sebagai tindak pidana perdagangan orang (TPPO): laporkan tawaran seperti itu ke Pasukan "
    "Putih, BP3MI DKI Jakarta atau polisi."
)

SECTOR_RULES: list[dict] = [
    *[
        {
            "destination": code,
            "sector": "domestic",
            "occupation": "",
            "status": "moratorium",
            "legal_basis": KEPMENAKER_260,
            "effective_from": date(2015, 7, 1),
            "note": _MORATORIUM_NOTE,
        }
        for code in MIDDLE_EAST
    ],
    {
        "destination": "SA",
        "sector": "domestic",
        "occupation": "SPSK: 6 jabatan domestik formal (uji coba 2018)",
        "status": "restricted",
        "legal_basis": KEPMENAKER_291,
        "effective_from": date(2018, 10, 11),
        "note": (
            "Uji coba Sistem Penempatan Satu Kanal (SPSK) tidak mencabut moratorium. Hanya "
            "enam jabatan: housekeeper, baby sitter, family cook, elderly caretaker, family "
            "driver, child care worker; pemberi kerja adalah perusahaan (syarikah), bukan "
            "perseorangan; hanya di Jeddah, Madinah, Riyadh, Dammam, Khobar dan Dhahran; hanya "
            "melalui P3MI yang ditetapkan Direktur Jenderal. Tanyakan status terkini ke BP3MI "
            "DKI Jakarta sebelum mendaftar."
        ),
    },
    *[
        {
            "destination": "KR",
            "sector": sector,
            "occupation": "",
            "status": "open",
            "legal_basis": EPS_MOU,
            # The MoU was signed in August 2004; the day is not in our sources.
            "effective_from": date(2004, 8, 1),
            "note": (
                "Terbuka melalui G to G EPS saja. Tanggal mulai dicatat sebagai awal "
                "Agustus 2004 (bulan penandatanganan MoU)."
            ),
        }
        for sector in ("manufacturing", "fishery")
    ],
    *[
        {
            "destination": "JP",
            "sector": sector,
            "occupation": "",
            "status": "open",
            "legal_basis": IJEPA,
            "effective_from": date(2008, 7, 1),
            "note": "Terbuka melalui G to G IJEPA (perawat dan careworker) dan jalur resmi lain.",
        }
        for sector in ("care", "health")
    ],
    {
        "destination": "DE",
        "sector": "health",
        "occupation": "",
        "status": "open",
        "legal_basis": TRIPLE_WIN,
        "effective_from": date(2021, 7, 26),
        "note": "Perawat: terbuka melalui G to G Triple Win.",
    },
    *[
        {
            "destination": code,
            "sector": sector,
            "occupation": "",
            "status": "open",
            "legal_basis": f"UU 18/2017; {BP2MI_9_2020}",
            "effective_from": UU18_DATE,
            "note": (
                "Terbuka melalui P3MI berizin dengan job order terverifikasi; jabatan ini "
                "dibebaskan dari biaya penempatan."
            ),
        }
        for code, sector in (("HK", "domestic"), ("TW", "domestic"), ("TW", "care"))
    ],
]

# --- requirement sets -------------------------------------------------------------------


def _req(code: str, min_level: str = "", note: str = "") -> dict:
    return {"type": code, "min_level": min_level, "note": note}


# Registration documents in practice (KTP, KK, diploma, birth certificate) and the
# letters of UU 18/2017 art. 13; SKCK per BP2MI Regulation 7/2022.
_REGISTRATION = [_req("ktp"), _req("kk"), _req("birth-certificate"), _req("diploma")]
_LETTERS = [_req("marital-status"), _req("consent"), _req("skck")]
# What comes last, in the order a worker gets them.
_DEPARTURE = [
    _req("medical"),
    _req("passport"),
    _req("work-agreement"),
    _req("placement-agreement"),
    _req("bpjs-tk"),
    _req("opp"),
    _req("work-visa"),
]
_DEPARTURE_NO_PLACEMENT = [r for r in _DEPARTURE if r["type"] != "placement-agreement"]

_EPS_TOPIK = _req(
    "eps-topik",
    "80",
    "Ambang 80 (dari 200) adalah nilai sementara di Garda: ambang kelulusan ditetapkan HRD "
    "Korea per putaran ujian. Periksa pengumuman KP2MI.",
)
_EPS_REQUIREMENTS = [
    _req("ktp"),
    _req("kk"),
    _req("diploma", note="Ijazah minimal SMP/sederajat."),
    *_LETTERS,
    _EPS_TOPIK,
    _req("colour-vision", note="Penglihatan warna harus normal (tidak buta warna)."),
    *_DEPARTURE,
]
_EPS_NOTE = (
    "Syarat EPS: usia 18–39 tahun, pendidikan minimal SMP, lulus EPS-TOPIK dan tes buta "
    "warna, lalu tes keterampilan dan wawancara. Tidak pernah dideportasi dari Korea dan "
    "total masa tinggal sebelumnya dengan visa E-9/E-10 kurang dari 5 tahun. Ambang nilai "
    "EPS-TOPIK 80 adalah nilai sementara (lihat catatan dokumen)."
)

REQUIREMENT_SETS: list[dict] = [
    {
        "code": "kr-eps-manufacturing",
        "name": "Korea Selatan – EPS manufaktur",
        "name_en": "South Korea – EPS manufacturing",
        "destination": "KR",
        "scheme": "g2g-kr-eps",
        "sector": "manufacturing",
        "min_age": 18,
        "max_age": 39,
        "min_education": "smp",
        "conditions": [{"kind": "max_prior_stay_years", "country": "KR", "years": 5}],
        "legal_basis": f"{UU18}; {EPS_MOU}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": _EPS_NOTE,
        "requirements": _EPS_REQUIREMENTS,
    },
    {
        "code": "kr-eps",
        "name": "Korea Selatan – EPS (sektor lain)",
        "name_en": "South Korea – EPS (other sectors)",
        "destination": "KR",
        "scheme": "g2g-kr-eps",
        "sector": "",
        "min_age": 18,
        "max_age": 39,
        "min_education": "smp",
        "conditions": [{"kind": "max_prior_stay_years", "country": "KR", "years": 5}],
        "legal_basis": f"{UU18}; {EPS_MOU}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": _EPS_NOTE
        + " Untuk sektor selain manufaktur (misalnya perikanan), syarat tambahan diumumkan "
        "KP2MI per putaran.",
        "requirements": _EPS_REQUIREMENTS,
    },
    # Version 1 as migration 0003 creates it; migration 0005 then adds JLPT N4 as an
    # alternative to JFT-Basic A2 (Requirement.alternative_group) and rewrites the note.
    {
        "code": "jp-ssw",
        "name": "Jepang – Specified Skilled Worker",
        "name_en": "Japan – Specified Skilled Worker",
        "destination": "JP",
        "scheme": "jp-ssw",
        "sector": "",
        "min_age": 18,
        "max_age": None,
        "min_education": "",
        "conditions": [],
        "legal_basis": f"{SSW}; {UU18}; {BP2MI_7_2022}",
        "effective_from": date(2019, 4, 1),
        "note": (
            "Jepang menerima JFT-Basic A2 atau JLPT N4 sebagai bukti bahasa. Garda memeriksa "
            "JFT-Basic A2; pemegang JLPT N4 (tanpa JFT-Basic) diminta menghubungi petugas, "
            "yang mencatat pengecualiannya. Perjanjian penempatan hanya diperlukan bila "
            "melalui P3MI."
        ),
        "requirements": [
            *_REGISTRATION,
            *_LETTERS,
            _req("ssw-skill-test", note="Tes keterampilan bidang SSW yang dituju."),
            _req("jft-basic", "A2", "JFT-Basic A2 (atau JLPT N4, lihat catatan set)."),
            *_DEPARTURE_NO_PLACEMENT,
        ],
    },
    {
        "code": "jp-im-japan",
        "name": "Jepang – pemagangan IM Japan",
        "name_en": "Japan – IM Japan technical internship",
        "destination": "JP",
        "scheme": "im-japan",
        "sector": "",
        "min_age": 18,
        "max_age": 30,
        "min_education": "",
        "conditions": [],
        "legal_basis": f"Kerja sama Kemnaker–IM Japan; {UU18}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": (
            "Batas usia berbeda per bidang (misalnya perawat lansia 18–28, sampai 30 dengan "
            "JLPT N4); Garda memakai 18–30. Syarat pendidikan, tinggi dan berat badan, tes "
            "matematika dan fisik diumumkan Kemnaker per angkatan. Pelatihan bahasa Jepang "
            "diberikan sebelum berangkat; JLPT N4 adalah sasaran sebelum keberangkatan."
        ),
        "requirements": [
            *_REGISTRATION,
            *_LETTERS,
            _req("jlpt", "N4"),
            *_DEPARTURE_NO_PLACEMENT,
        ],
    },
    {
        "code": "jp-ijepa-care",
        "name": "Jepang – IJEPA careworker (kaigofukushishi)",
        "name_en": "Japan – IJEPA care worker (kaigofukushishi)",
        "destination": "JP",
        "scheme": "g2g-jp-ijepa",
        "sector": "care",
        "min_age": 18,
        "max_age": 35,
        "min_education": "d3",
        "conditions": [],
        "legal_basis": f"{IJEPA}; {UU18}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": (
            "Careworker IJEPA: usia paling tinggi 35 tahun, lulusan D3/S1 keperawatan. Bahasa "
            "Jepang dilatih oleh program setelah lolos seleksi."
        ),
        "requirements": [
            *_REGISTRATION[:3],
            _req("diploma", note="Ijazah D3 atau S1 keperawatan."),
            *_LETTERS,
            *_DEPARTURE,
        ],
    },
    {
        "code": "jp-ijepa-nurse",
        "name": "Jepang – IJEPA perawat (kangoshi)",
        "name_en": "Japan – IJEPA nurse (kangoshi)",
        "destination": "JP",
        "scheme": "g2g-jp-ijepa",
        "sector": "health",
        "min_age": 18,
        "max_age": 35,
        "min_education": "d3",
        "conditions": [{"kind": "min_experience_years", "years": 2}],
        "legal_basis": f"{IJEPA}; {UU18}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": (
            "Perawat IJEPA: usia paling tinggi 35 tahun, ijazah keperawatan, STR yang berlaku "
            "dan pengalaman kerja sebagai perawat minimal 2 tahun."
        ),
        "requirements": [
            *_REGISTRATION[:3],
            _req("diploma", note="Ijazah D3 atau S1 keperawatan."),
            *_LETTERS,
            _req("nursing-registration"),
            _req("experience-letter", note="Pengalaman kerja sebagai perawat minimal 2 tahun."),
            *_DEPARTURE,
        ],
    },
    {
        "code": "de-triplewin-nurse",
        "name": "Jerman – Triple Win perawat",
        "name_en": "Germany – Triple Win nurse",
        "destination": "DE",
        "scheme": "g2g-de-triplewin",
        "sector": "health",
        "min_age": 18,
        "max_age": 38,
        "min_education": "d3",
        "conditions": [],
        "legal_basis": (
            f"{TRIPLE_WIN}; Pengumuman KP2MI PENG.2980/04.04/PP.02.04/VII/2025; {UU18}"
        ),
        "effective_from": date(2025, 7, 15),
        "note": (
            "Usia 18–38 tahun (pengumuman batch VII 2025), minimal D3 keperawatan, STR yang "
            "berlaku. Bahasa Jerman dilatih sampai B1 di Indonesia (B2 di Jerman); sertifikat "
            "B1 diperlukan sebelum berangkat. Surat pengalaman kerja dilampirkan bila ada, "
            "tetapi pengumuman tidak mensyaratkan masa kerja minimal."
        ),
        "requirements": [
            _req("ktp"),
            _req("kk"),
            _req("diploma", note="Ijazah D3, D4 atau S1 keperawatan."),
            *_LETTERS,
            _req("nursing-registration"),
            _req("goethe", "B1"),
            *_DEPARTURE,
        ],
    },
    {
        "code": "tw-p2p-care",
        "name": "Taiwan – perawat lansia melalui P3MI",
        "name_en": "Taiwan – elderly caregiver through a P3MI",
        "destination": "TW",
        "scheme": "p2p",
        "sector": "care",
        "min_age": 18,
        "max_age": None,
        "min_education": "",
        "conditions": [],
        "legal_basis": f"{UU18}; {BP2MI_9_2020}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": (
            "Melalui P3MI berizin dengan job order terverifikasi. Perawat lansia termasuk "
            "jabatan yang dibebaskan dari biaya penempatan."
        ),
        "requirements": [
            *_REGISTRATION,
            *_LETTERS,
            _req(
                "competency-certificate",
                note="Sertifikat kompetensi perawat lansia (caregiver) dari LSP berlisensi BNSP.",
            ),
            *_DEPARTURE,
        ],
    },
    {
        "code": "hk-p2p-domestic",
        "name": "Hong Kong – pekerja rumah tangga melalui P3MI",
        "name_en": "Hong Kong – domestic worker through a P3MI",
        "destination": "HK",
        "scheme": "p2p",
        "sector": "domestic",
        "min_age": 18,
        "max_age": None,
        "min_education": "",
        "conditions": [],
        "legal_basis": f"{UU18}; {BP2MI_9_2020}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": (
            "Melalui P3MI berizin dengan job order terverifikasi. Pekerja rumah tangga termasuk "
            "jabatan yang dibebaskan dari biaya penempatan."
        ),
        "requirements": [
            *_REGISTRATION,
            *_LETTERS,
            _req(
                "competency-certificate",
                note="Sertifikat kompetensi pekerja rumah tangga dari LSP berlisensi BNSP.",
            ),
            *_DEPARTURE,
        ],
    },
    {
        "code": "tw-sp2t",
        "name": "Taiwan – program SP2T",
        "name_en": "Taiwan – SP2T programme",
        "destination": "TW",
        "scheme": "sp2t-tw",
        "sector": "",
        "min_age": 18,
        "max_age": None,
        "min_education": "",
        "conditions": [],
        "legal_basis": f"{UU18}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": (
            "Dokumen menurut UU 18/2017 pasal 13. Syarat khusus program (sektor, usia, "
            "pendidikan) diumumkan BP3MI DKI Jakarta per angkatan."
        ),
        "requirements": [*_REGISTRATION, *_LETTERS, _req("competency-certificate"), *_DEPARTURE],
    },
    {
        "code": "p2p",
        "name": "P3MI – dokumen dasar UU 18/2017",
        "name_en": "P3MI – baseline documents of UU 18/2017",
        "destination": None,
        "scheme": "p2p",
        "sector": "",
        "min_age": 18,
        "max_age": None,
        "min_education": "",
        "conditions": [],
        "legal_basis": f"{UU18}; {BP2MI_7_2022}",
        "effective_from": UU18_DATE,
        "note": (
            "Dokumen yang diwajibkan UU 18/2017 pasal 13 untuk setiap penempatan, dipakai bila "
            "tidak ada set khusus untuk negara dan sektor tujuan."
        ),
        "requirements": [*_REGISTRATION, *_LETTERS, _req("competency-certificate"), *_DEPARTURE],
    },
    {
        "code": "independent",
        "name": "Perseorangan (mandiri)",
        "name_en": "Independent placement",
        "destination": None,
        "scheme": "independent",
        "sector": "",
        "min_age": 18,
        "max_age": None,
        "min_education": "",
        "conditions": [],
        "legal_basis": "Permenaker 9/2019 tentang Tata Cara Penempatan PMI; UU 18/2017 pasal 5",
        "effective_from": UU18_DATE,
        "note": (
            "PMI perseorangan tetap mendaftar dan wajib memiliki paspor, perjanjian kerja "
            "dengan pemberi kerja, KTP, surat keterangan sehat dan kepesertaan BPJS "
            "Ketenagakerjaan."
        ),
        "requirements": [
            _req("ktp"),
            _req("medical"),
            _req("passport"),
            _req("work-agreement"),
            _req("bpjs-tk"),
        ],
    },
]


class SeedError(Exception):
    """The seed refers to something the database lacks (e.g. a document type)."""


def apply(apps=None, *, overwrite: bool = False) -> dict[str, int]:
    """Upsert the reference data; return how many rows of each kind were created.

    `apps` is the migration's app registry (historical models) or None for the real
    models. Idempotent: rows are matched by their natural keys (destination and scheme
    codes, a rule's destination+sector+occupation+start, a set's code), and nothing an
    administrator changed is overwritten unless `overwrite` (destinations and schemes
    only: rules and requirement sets are history, never rewritten).
    """
    if apps is None:
        from django.apps import apps as registry

        apps = registry
    Destination = apps.get_model("destinations", "Destination")
    Scheme = apps.get_model("destinations", "Scheme")
    DestinationScheme = apps.get_model("destinations", "DestinationScheme")
    SectorRule = apps.get_model("destinations", "SectorRule")
    RequirementSet = apps.get_model("destinations", "RequirementSet")
    Requirement = apps.get_model("destinations", "Requirement")
    DocumentType = apps.get_model("documents", "DocumentType")
    Country = apps.get_model("places", "Country")

    created = dict.fromkeys(
        ("destinations", "schemes", "destination_schemes", "sector_rules", "requirement_sets"),
        0,
    )
    countries = set(Country.objects.values_list("code", flat=True))

    destinations = {}
    for row in DESTINATIONS:
        values = {k: v for k, v in row.items() if k != "code"}
        values["country_id"] = row["code"] if row["code"] in countries else None
        obj = Destination.objects.filter(code=row["code"]).first()
        if obj is None:
            obj = Destination.objects.create(code=row["code"], **values)
            created["destinations"] += 1
        elif overwrite:
            Destination.objects.filter(pk=obj.pk).update(**values)
        elif obj.country_id is None and values["country_id"]:
            # Countries are loaded after migrations (`garda load_countries`): link late.
            Destination.objects.filter(pk=obj.pk).update(country_id=values["country_id"])
        destinations[row["code"]] = obj

    schemes = {}
    for row in SCHEMES:
        values = {k: v for k, v in row.items() if k != "code"}
        obj, made = Scheme.objects.get_or_create(code=row["code"], defaults=values)
        if made:
            created["schemes"] += 1
        elif overwrite:
            Scheme.objects.filter(pk=obj.pk).update(**values)
        schemes[row["code"]] = obj

    for code, rows in DESTINATION_SCHEMES.items():
        for row in rows:
            values = {
                "sectors": list(row["sectors"]),
                "language_tests": row["language_tests"],
                "notes": row.get("notes", ""),
            }
            obj, made = DestinationScheme.objects.get_or_create(
                destination=destinations[code], scheme=schemes[row["scheme"]], defaults=values
            )
            if made:
                created["destination_schemes"] += 1
            elif overwrite:
                DestinationScheme.objects.filter(pk=obj.pk).update(**values)

    for row in SECTOR_RULES:
        destination = destinations[row["destination"]]
        exists = SectorRule.objects.filter(
            destination=destination,
            sector=row["sector"],
            occupation=row["occupation"],
            effective_from=row["effective_from"],
        ).exists()
        if not exists:
            SectorRule.objects.create(
                destination=destination,
                sector=row["sector"],
                occupation=row["occupation"],
                status=row["status"],
                legal_basis=row["legal_basis"],
                effective_from=row["effective_from"],
                note=row["note"],
            )
            created["sector_rules"] += 1

    codes = {r["type"] for s in REQUIREMENT_SETS for r in s["requirements"]}
    types = {t.code: t for t in DocumentType.objects.filter(code__in=codes)}
    missing = sorted(codes - types.keys())
    if missing:
        raise SeedError(
            f"Document types missing for the requirement sets: {', '.join(missing)}. "
            "The documents app's seed migration must run first."
        )
    for row in REQUIREMENT_SETS:
        if RequirementSet.objects.filter(code=row["code"]).exists():
            continue
        rs = RequirementSet.objects.create(
            code=row["code"],
            version=1,
            is_current=True,
            name=row["name"],
            name_en=row["name_en"],
            destination=destinations[row["destination"]] if row["destination"] else None,
            scheme=schemes[row["scheme"]],
            sector=row["sector"],
            min_age=row["min_age"],
            max_age=row["max_age"],
            min_education=row["min_education"],
            conditions=row["conditions"],
            legal_basis=row["legal_basis"],
            note=row["note"],
            effective_from=row["effective_from"],
        )
        Requirement.objects.bulk_create(
            Requirement(
                requirement_set=rs,
                order=(i + 1) * 10,
                document_type=types[req["type"]],
                min_level=req["min_level"],
                note=req["note"],
            )
            for i, req in enumerate(row["requirements"])
        )
        created["requirement_sets"] += 1
    return created
