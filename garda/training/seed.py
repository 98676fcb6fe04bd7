"""Reference data for the training catalogue: SKKNI competency units and courses.

Plain data (lists of dicts) plus `apply(apps)` and `unapply(apps)`, used by the data
migration 0002_seed_catalogue (with the historical models) and by tests (with the
real ones). Providers are not seeded here: they hang on agencies, which are loaded by
`garda load_agencies` (and created by the tests' own fixtures), so they come from
`garda load_training_providers` (garda/training/data/providers.csv).

Hours are "jam pelajaran" (JP, 45 minutes) as Indonesian training programmes count
them; 240 JP is the usual length of a PPKD SMAW programme. Certificates of competency
issued by a BNSP-licensed LSP are valid three years (`certificate_validity_months`).
Language courses prepare for a test taken elsewhere (EPS-TOPIK at HRD Korea's test
sites, JLPT/JFT-Basic, Goethe, IELTS, HSK): they prepare for its document type and
certify nothing readiness asks for (`certifies` None).

SKKNI unit codes: which are confirmed and which are illustrative
------------------------------------------------------------------
Confirmed (code and title seen in a published source):
- PAR.HT02.026.01, PAR.HT02.027.01, PAR.HT02.028.01, PAR.HT02.029.01 (housekeeping):
  the unit list of the SKKNI Tata Graha, KEP.239/MEN/X/2004 (SKKNI sektor pariwisata
  sub sektor hotel dan restoran), as reproduced on guruhousekeeping.blogspot.com
  ("SKKNI Tata Graha", 2016). The decree number is confirmed by BNSP scheme
  SKM-06-307-2018 (LSP SMKN 1 Banyuwangi, KKNI II Perhotelan), which cites it.
- KTL.IK.205.101.01, KTL.IK.202.203.01, KTL.IK.201.201.01, KTL.IK.203.201.01
  (electrical installation): Standar Kompetensi Tenaga Teknik Ketenagalistrikan
  bidang instalasi pemanfaatan tenaga listrik sub bidang konstruksi, Lampiran II
  Permen ESDM 08/2010 (the electricity-sector standard electricians are certified
  against; the SKKNI of that field is KEP.170/MEN/IV/2007).
- LOG.OO01.002.01 "Menerapkan prinsip-prinsip keselamatan dan kesehatan kerja di
  lingkungan kerja": the occupational-safety unit of the metal and machinery SKKNI,
  used in BNSP schemes (seen in an APL-02 self-assessment form of an LSP scheme).
Confirmed decree, illustrative unit codes (real format, numbers not checked):
- Welding: Kepmenaker 98/2018 (SKKNI kategori industri pengolahan, subbidang
  pengelasan; it replaced KEP.342/MEN/X/2007 SMAW and KEP.105/MEN/V/2008 non-SMAW).
  The C.24.110.01.nnn.1 codes follow the format of the model's docstring example.
- Caregiving: SKKNI 28/2021 (caregiver, 62 units); Q.88CAR00.nnn.1 codes illustrative.
Illustrative (decree and codes not confirmed in the sources we hold): the food and
beverage, front office and kitchen units (PAR.HT01/HT03/HT04: the sub-codes of
KEP.239/MEN/X/2004 other than HT02 were not seen), industrial mechanics
(C.28.MKN.nnn), construction (F.43.nnn) and fishing-vessel safety (A.03.nnn) units.
An administrator corrects a code in the admin screen (CompetencyUnit), where every
change is audited.
"""

WELDING_STANDARD = "Kepmenaker 98/2018 (SKKNI Pengelasan)"
HOTEL_STANDARD = "KEP.239/MEN/X/2004 (SKKNI Hotel dan Restoran)"
ELECTRICAL_STANDARD = "Permen ESDM 08/2010 (SKTTK IPTL Konstruksi)"
METAL_STANDARD = "SKKNI Logam dan Mesin"
CAREGIVER_STANDARD = "Kepmenaker 28/2021 (SKKNI Caregiver)"
CONSTRUCTION_STANDARD = "SKKNI Konstruksi"
FISHERY_STANDARD = "SKKNI Perikanan Tangkap"
BNSP_VALIDITY = 36  # months: BNSP certificates of competency are valid three years


def _unit(code: str, title: str, title_en: str, standard: str) -> dict:
    return {"code": code, "title": title, "title_en": title_en, "standard": standard}


UNITS: list[dict] = [
    # --- occupational safety, shared by the technical courses ---
    _unit(
        "LOG.OO01.002.01",
        "Menerapkan prinsip-prinsip keselamatan dan kesehatan kerja di lingkungan kerja",
        "Apply occupational safety and health principles in the workplace",
        METAL_STANDARD,
    ),
    # --- welding ---
    _unit(
        "C.24.110.01.004.1",
        "Membaca gambar teknik dan simbol pengelasan",
        "Read engineering drawings and welding symbols",
        WELDING_STANDARD,
    ),
    _unit(
        "C.24.110.01.009.1",
        "Melakukan pemotongan dan persiapan sambungan las",
        "Cut and prepare weld joints",
        WELDING_STANDARD,
    ),
    _unit(
        "C.24.110.01.017.1",
        "Mengelas pelat dengan proses las busur manual (SMAW)",
        "Weld plate with the shielded metal arc process (SMAW)",
        WELDING_STANDARD,
    ),
    _unit(
        "C.24.110.01.018.1",
        "Mengelas pipa dengan proses las busur manual (SMAW)",
        "Weld pipe with the shielded metal arc process (SMAW)",
        WELDING_STANDARD,
    ),
    _unit(
        "C.24.110.01.023.1",
        "Mengelas pelat dengan proses las busur gas metal (GMAW)",
        "Weld plate with the gas metal arc process (GMAW)",
        WELDING_STANDARD,
    ),
    _unit(
        "C.24.110.01.024.1",
        "Mengelas pipa dengan proses las busur gas metal (GMAW)",
        "Weld pipe with the gas metal arc process (GMAW)",
        WELDING_STANDARD,
    ),
    _unit(
        "C.24.110.01.029.1",
        "Mengelas pelat dengan proses las busur gas tungsten (GTAW)",
        "Weld plate with the gas tungsten arc process (GTAW)",
        WELDING_STANDARD,
    ),
    _unit(
        "C.24.110.01.030.1",
        "Mengelas pipa dengan proses las busur gas tungsten (GTAW)",
        "Weld pipe with the gas tungsten arc process (GTAW)",
        WELDING_STANDARD,
    ),
    # --- hospitality: common ---
    _unit(
        "PAR.UM01.001.01",
        "Melaksanakan prosedur kesehatan, keselamatan dan keamanan kerja",
        "Follow health, safety and security procedures",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.UM01.003.01",
        "Melaksanakan prosedur higiene di tempat kerja",
        "Follow workplace hygiene procedures",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.UM01.005.01",
        "Bekerja dengan kolega dan pelanggan",
        "Work with colleagues and customers",
        HOTEL_STANDARD,
    ),
    # --- hospitality: food and beverage service ---
    _unit(
        "PAR.HT01.002.01",
        "Menyiapkan area restoran untuk pelayanan",
        "Prepare the restaurant for service",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT01.004.01",
        "Menyajikan makanan dan minuman kepada tamu",
        "Serve food and beverages to guests",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT01.010.01",
        "Menyiapkan dan menyajikan minuman non-alkohol",
        "Prepare and serve non-alcoholic beverages",
        HOTEL_STANDARD,
    ),
    # --- hospitality: housekeeping (confirmed) ---
    _unit(
        "PAR.HT02.026.01",
        "Menyediakan jasa housekeeping untuk tamu",
        "Provide housekeeping services to guests",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT02.027.01",
        "Membersihkan lokasi/area dan peralatan",
        "Clean premises and equipment",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT02.028.01",
        "Menyiapkan kamar untuk tamu",
        "Prepare rooms for guests",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT02.029.01",
        "Menangani linen dan pakaian tamu",
        "Handle linen and guest clothes",
        HOTEL_STANDARD,
    ),
    # --- hospitality: front office ---
    _unit(
        "PAR.HT03.001.01",
        "Menerima dan memproses reservasi",
        "Receive and process reservations",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT03.003.01",
        "Menyediakan layanan akomodasi untuk tamu (check-in dan check-out)",
        "Provide accommodation reception services (check-in and check-out)",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT03.006.01",
        "Melakukan komunikasi melalui telepon",
        "Communicate on the telephone",
        HOTEL_STANDARD,
    ),
    # --- hospitality: commercial cookery ---
    _unit(
        "PAR.HT04.001.01",
        "Mengolah dan menyajikan makanan sesuai standar higiene",
        "Prepare and present food to hygiene standards",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT04.004.01",
        "Menggunakan teknik dasar memasak",
        "Use basic methods of cookery",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT04.008.01",
        "Menyiapkan hidangan sayuran, telur dan tepung",
        "Prepare vegetable, egg and farinaceous dishes",
        HOTEL_STANDARD,
    ),
    _unit(
        "PAR.HT04.012.01",
        "Menerima dan menyimpan bahan makanan",
        "Receive and store kitchen supplies",
        HOTEL_STANDARD,
    ),
    # --- electrical installation (confirmed) ---
    _unit(
        "KTL.IK.205.101.01",
        "Memasang sistem pembumian (arde)",
        "Install an earthing system",
        ELECTRICAL_STANDARD,
    ),
    _unit(
        "KTL.IK.202.203.01",
        "Memasang instalasi listrik tenaga",
        "Install power wiring",
        ELECTRICAL_STANDARD,
    ),
    _unit(
        "KTL.IK.201.201.01",
        "Memasang papan hubung bagi utama tegangan rendah",
        "Install a low-voltage main distribution board",
        ELECTRICAL_STANDARD,
    ),
    _unit(
        "KTL.IK.203.201.01",
        "Memasang komponen dan sirkit motor kontrol non programmable logic control (non PLC)",
        "Install motor control components and circuits without a PLC",
        ELECTRICAL_STANDARD,
    ),
    # --- industrial mechanics ---
    _unit(
        "C.28.MKN.003.1",
        "Menggunakan perkakas tangan dan alat ukur",
        "Use hand tools and measuring instruments",
        METAL_STANDARD,
    ),
    _unit(
        "C.28.MKN.011.1",
        "Melakukan perawatan preventif mesin industri",
        "Carry out preventive maintenance of industrial machines",
        METAL_STANDARD,
    ),
    _unit(
        "C.28.MKN.014.1",
        "Memasang dan menyetel bantalan, poros dan sistem transmisi",
        "Fit and align bearings, shafts and drives",
        METAL_STANDARD,
    ),
    _unit(
        "C.28.MKN.020.1",
        "Mengoperasikan mesin bubut dasar",
        "Operate a lathe (basic)",
        METAL_STANDARD,
    ),
    # --- caregiving ---
    _unit(
        "Q.88CAR00.001.1",
        "Berkomunikasi dengan lanjut usia dan keluarganya",
        "Communicate with older persons and their families",
        CAREGIVER_STANDARD,
    ),
    _unit(
        "Q.88CAR00.005.1",
        "Membantu lanjut usia memenuhi kebutuhan kebersihan diri",
        "Assist older persons with personal hygiene",
        CAREGIVER_STANDARD,
    ),
    _unit(
        "Q.88CAR00.008.1",
        "Membantu mobilisasi dan pemindahan lanjut usia dengan aman",
        "Help older persons move and transfer safely",
        CAREGIVER_STANDARD,
    ),
    _unit(
        "Q.88CAR00.012.1",
        "Membantu lanjut usia makan dan minum",
        "Assist older persons with eating and drinking",
        CAREGIVER_STANDARD,
    ),
    _unit(
        "Q.88CAR00.020.1",
        "Melakukan pertolongan pertama pada keadaan darurat",
        "Give first aid in an emergency",
        CAREGIVER_STANDARD,
    ),
    # --- construction ---
    _unit(
        "F.43.PRC.002.1",
        "Memasang dan membongkar perancah tipe tabung dan klem",
        "Erect and dismantle tube-and-coupler scaffolding",
        CONSTRUCTION_STANDARD,
    ),
    _unit(
        "F.43.PRC.004.1",
        "Memeriksa kelaikan perancah",
        "Inspect scaffolding for safe use",
        CONSTRUCTION_STANDARD,
    ),
    _unit(
        "F.43.BSB.001.1",
        "Memotong dan membengkok baja tulangan",
        "Cut and bend reinforcing bars",
        CONSTRUCTION_STANDARD,
    ),
    _unit(
        "F.43.BSB.003.1",
        "Merakit dan memasang pembesian beton",
        "Assemble and fix reinforcement",
        CONSTRUCTION_STANDARD,
    ),
    # --- fishery ---
    _unit(
        "A.03.KPI.001.1",
        "Melakukan teknik penyelamatan diri di laut",
        "Use personal survival techniques at sea",
        FISHERY_STANDARD,
    ),
    _unit(
        "A.03.KPI.002.1",
        "Melakukan pencegahan dan pemadaman kebakaran di kapal",
        "Prevent and fight fires on board",
        FISHERY_STANDARD,
    ),
    _unit(
        "A.03.KPI.003.1",
        "Menerapkan keselamatan kerja dan tanggung jawab sosial di kapal perikanan",
        "Apply personal safety and social responsibility on fishing vessels",
        FISHERY_STANDARD,
    ),
]


def _course(code: str, **values) -> dict:
    row = {
        "code": code,
        "description": "",
        "kkni_level": None,
        "language": "id",
        "min_education": "smp",
        "min_age": 18,  # UU 18/2017 art. 5: migrant workers are at least 18
        "max_age": None,
        "prerequisites": [],
        "destinations": [],
        "job_sectors": [],
        "job_kinds": "",
        "prepares_for": [],
        "certifies": None,
        "lsp_name": "",
        "lsp_scheme": "",
        "certificate_validity_months": None,
        "min_attendance_percent": 80,
        "units": [],
    }
    unknown = set(values) - set(row) - {"title", "title_en", "sector", "hours"}
    if unknown:
        raise ValueError(f"unknown course fields: {sorted(unknown)}")
    row.update(values)
    return row


_WELDING_LSP = "LSP bidang pengelasan berlisensi BNSP"
_HOTEL_LSP = "LSP Pariwisata berlisensi BNSP"
_HOSPITALITY_DESTINATIONS = ["JP", "SA", "AE", "QA", "KW", "OM", "BH", "TR", "MY", "SG"]
_WELDING_DESTINATIONS = ["KR", "JP", "TW", "MY", "SA", "AE", "QA", "KW", "OM", "PL", "NL"]
_VOCATIONAL = {
    "prepares_for": ["competency-certificate"],
    "certifies": "competency-certificate",
    "certificate_validity_months": BNSP_VALIDITY,
}

COURSES: list[dict] = [
    # --- welding: GMAW and GTAW build on SMAW ---
    _course(
        "welding-smaw",
        title="Juru Las SMAW (Las Busur Manual)",
        title_en="SMAW welder (shielded metal arc)",
        description=(
            "Pengelasan pelat dan pipa baja karbon dengan las busur manual, posisi 1G "
            "sampai 3G, termasuk K3 pengelasan dan membaca gambar kerja."
        ),
        sector="welding",
        kkni_level=2,
        hours=240,
        destinations=_WELDING_DESTINATIONS,
        job_sectors=["manufacturing", "construction", "engineering"],
        job_kinds="Juru las pelat dan pipa; fabrikasi baja; galangan kapal",
        lsp_name=_WELDING_LSP,
        lsp_scheme="Okupasi Juru Las SMAW 3G",
        units=[
            "LOG.OO01.002.01",
            "C.24.110.01.004.1",
            "C.24.110.01.009.1",
            "C.24.110.01.017.1",
            "C.24.110.01.018.1",
        ],
        **_VOCATIONAL,
    ),
    _course(
        "welding-gmaw",
        title="Juru Las GMAW (MIG/MAG)",
        title_en="GMAW welder (MIG/MAG)",
        description="Pengelasan pelat dan pipa dengan las busur gas metal, lanjutan SMAW.",
        sector="welding",
        kkni_level=3,
        hours=200,
        prerequisites=["welding-smaw"],
        destinations=_WELDING_DESTINATIONS,
        job_sectors=["manufacturing", "engineering"],
        job_kinds="Juru las produksi; perakitan otomotif dan alat berat",
        lsp_name=_WELDING_LSP,
        lsp_scheme="Okupasi Juru Las GMAW 3G",
        units=["LOG.OO01.002.01", "C.24.110.01.023.1", "C.24.110.01.024.1"],
        **_VOCATIONAL,
    ),
    _course(
        "welding-gtaw",
        title="Juru Las GTAW (TIG)",
        title_en="GTAW welder (TIG)",
        description=(
            "Pengelasan pelat dan pipa baja karbon dan baja tahan karat dengan las busur "
            "gas tungsten, lanjutan SMAW."
        ),
        sector="welding",
        kkni_level=3,
        hours=200,
        prerequisites=["welding-smaw"],
        destinations=_WELDING_DESTINATIONS,
        job_sectors=["manufacturing", "engineering"],
        job_kinds="Juru las pipa bertekanan; industri makanan dan kimia",
        lsp_name=_WELDING_LSP,
        lsp_scheme="Okupasi Juru Las GTAW 6G",
        units=["LOG.OO01.002.01", "C.24.110.01.029.1", "C.24.110.01.030.1"],
        **_VOCATIONAL,
    ),
    # --- hospitality ---
    _course(
        "hospitality-fb-service",
        title="Pramusaji Hotel dan Restoran (Food and Beverage Service)",
        title_en="Hotel and restaurant food and beverage service",
        sector="hospitality",
        kkni_level=2,
        hours=160,
        min_education="sma",
        destinations=_HOSPITALITY_DESTINATIONS,
        job_sectors=["hospitality"],
        job_kinds="Waiter/waitress; pramusaji kapal pesiar; barista",
        lsp_name=_HOTEL_LSP,
        lsp_scheme="KKNI Level II Tata Hidang",
        units=[
            "PAR.UM01.001.01",
            "PAR.UM01.003.01",
            "PAR.UM01.005.01",
            "PAR.HT01.002.01",
            "PAR.HT01.004.01",
            "PAR.HT01.010.01",
        ],
        **_VOCATIONAL,
    ),
    _course(
        "hospitality-housekeeping",
        title="Tata Graha Hotel (Housekeeping)",
        title_en="Hotel housekeeping",
        sector="hospitality",
        kkni_level=2,
        hours=160,
        destinations=_HOSPITALITY_DESTINATIONS,
        job_sectors=["hospitality"],
        job_kinds="Room attendant; public area attendant; laundry",
        lsp_name=_HOTEL_LSP,
        lsp_scheme="KKNI Level II Tata Graha",
        units=[
            "PAR.UM01.001.01",
            "PAR.UM01.003.01",
            "PAR.HT02.026.01",
            "PAR.HT02.027.01",
            "PAR.HT02.028.01",
            "PAR.HT02.029.01",
        ],
        **_VOCATIONAL,
    ),
    _course(
        "hospitality-front-office",
        title="Kantor Depan Hotel (Front Office)",
        title_en="Hotel front office",
        sector="hospitality",
        kkni_level=3,
        hours=200,
        min_education="sma",
        destinations=["AE", "QA", "SA", "TR", "MY", "SG"],
        job_sectors=["hospitality"],
        job_kinds="Resepsionis; reservasi; operator telepon",
        lsp_name=_HOTEL_LSP,
        lsp_scheme="KKNI Level III Kantor Depan",
        units=[
            "PAR.UM01.001.01",
            "PAR.UM01.005.01",
            "PAR.HT03.001.01",
            "PAR.HT03.003.01",
            "PAR.HT03.006.01",
        ],
        **_VOCATIONAL,
    ),
    _course(
        "hospitality-cookery",
        title="Juru Masak (Commercial Cookery)",
        title_en="Commercial cookery",
        sector="hospitality",
        kkni_level=2,
        hours=240,
        destinations=[*_HOSPITALITY_DESTINATIONS, "AU"],
        job_sectors=["hospitality"],
        job_kinds="Cook/commis; juru masak kapal pesiar; katering",
        lsp_name=_HOTEL_LSP,
        lsp_scheme="KKNI Level II Tata Boga (Commercial Cookery)",
        units=[
            "PAR.UM01.003.01",
            "PAR.HT04.001.01",
            "PAR.HT04.004.01",
            "PAR.HT04.008.01",
            "PAR.HT04.012.01",
        ],
        **_VOCATIONAL,
    ),
    # --- engineering and technical ---
    _course(
        "electrical-installation",
        title="Instalasi Listrik Tegangan Rendah",
        title_en="Low-voltage electrical installation",
        sector="engineering",
        kkni_level=2,
        hours=240,
        min_education="sma",
        destinations=["JP", "KR", "TW", "MY", "SA", "AE", "QA"],
        job_sectors=["construction", "engineering", "manufacturing"],
        job_kinds="Teknisi instalasi listrik gedung dan industri",
        lsp_name="LSK Ketenagalistrikan terakreditasi",
        lsp_scheme="Teknisi Muda Pembangunan dan Pemasangan IPTL Tegangan Rendah",
        units=[
            "LOG.OO01.002.01",
            "KTL.IK.205.101.01",
            "KTL.IK.202.203.01",
            "KTL.IK.201.201.01",
            "KTL.IK.203.201.01",
        ],
        **_VOCATIONAL,
    ),
    _course(
        "industrial-mechanics",
        title="Mekanik Industri",
        title_en="Industrial mechanics",
        sector="engineering",
        kkni_level=2,
        hours=240,
        destinations=["JP", "KR", "TW", "MY", "DE"],
        job_sectors=["manufacturing", "engineering"],
        job_kinds="Mekanik perawatan mesin pabrik; operator mesin perkakas",
        lsp_name="LSP Logam dan Mesin berlisensi BNSP",
        lsp_scheme="Okupasi Mekanik Perawatan Mesin",
        units=[
            "LOG.OO01.002.01",
            "C.28.MKN.003.1",
            "C.28.MKN.011.1",
            "C.28.MKN.014.1",
            "C.28.MKN.020.1",
        ],
        **_VOCATIONAL,
    ),
    # --- caregiving ---
    _course(
        "caregiving-kaigo",
        title="Caregiver Lanjut Usia (Kaigo)",
        title_en="Elderly caregiver (kaigo)",
        description=(
            "Perawatan lanjut usia di rumah dan panti: kebersihan diri, mobilisasi, makan, "
            "komunikasi dan pertolongan pertama. Untuk Jepang (SSW kaigo) perlu juga bahasa "
            "Jepang dan ujian keterampilan kaigo."
        ),
        sector="caregiving",
        kkni_level=2,
        hours=360,
        min_education="smp",
        destinations=["JP", "TW", "HK", "SG"],
        job_sectors=["care"],
        job_kinds="Caregiver lansia; pekerja panti wreda (kaigo)",
        lsp_name="LSP Caregiver berlisensi BNSP",
        lsp_scheme="Okupasi Caregiver Lanjut Usia",
        units=[
            "Q.88CAR00.001.1",
            "Q.88CAR00.005.1",
            "Q.88CAR00.008.1",
            "Q.88CAR00.012.1",
            "Q.88CAR00.020.1",
        ],
        **_VOCATIONAL,
    ),
    # --- construction ---
    _course(
        "construction-scaffolding",
        title="Teknisi Perancah (Scaffolding)",
        title_en="Scaffolder",
        sector="construction",
        kkni_level=2,
        hours=80,
        destinations=["SA", "AE", "QA", "KW", "OM", "MY", "JP"],
        job_sectors=["construction"],
        job_kinds="Pemasang perancah proyek gedung, kilang dan galangan",
        lsp_name="LSP Konstruksi berlisensi BNSP",
        lsp_scheme="Okupasi Teknisi Perancah",
        units=["LOG.OO01.002.01", "F.43.PRC.002.1", "F.43.PRC.004.1"],
        **_VOCATIONAL,
    ),
    _course(
        "construction-bar-bending",
        title="Tukang Besi Beton (Bar Bending)",
        title_en="Steel fixer (bar bending)",
        sector="construction",
        kkni_level=2,
        hours=80,
        destinations=["JP", "MY", "SA", "AE", "QA"],
        job_sectors=["construction"],
        job_kinds="Tukang besi beton; pembesian struktur gedung",
        lsp_name="LSP Konstruksi berlisensi BNSP",
        lsp_scheme="Okupasi Tukang Besi Beton",
        units=["LOG.OO01.002.01", "F.43.BSB.001.1", "F.43.BSB.003.1"],
        **_VOCATIONAL,
    ),
    # --- agriculture and fishery ---
    _course(
        "fishery-vessel-safety",
        title="Keselamatan Dasar Awak Kapal Perikanan (BST-F)",
        title_en="Basic safety training for fishing vessel crew",
        description=(
            "Penyelamatan diri di laut, pencegahan kebakaran dan keselamatan kerja di kapal "
            "penangkap ikan. Sertifikat BST diterbitkan lembaga diklat yang disahkan, bukan "
            "LSP: kursus ini menyiapkan, tidak menerbitkan sertifikat kompetensi."
        ),
        sector="agriculture_fishery",
        kkni_level=1,
        hours=40,
        min_education="sd",
        destinations=["KR", "TW", "JP"],
        job_sectors=["fishery"],
        job_kinds="Awak kapal penangkap ikan",
        prepares_for=["competency-certificate"],
        units=["A.03.KPI.001.1", "A.03.KPI.002.1", "A.03.KPI.003.1"],
    ),
    # --- languages: the tests are taken elsewhere ---
    _course(
        "korean-eps-topik",
        title="Bahasa Korea untuk EPS-TOPIK",
        title_en="Korean for the EPS-TOPIK",
        description="Persiapan ujian EPS-TOPIK (membaca dan mendengar) untuk program G to G Korea.",
        sector="language",
        hours=240,
        language="ko",
        destinations=["KR"],
        job_sectors=["manufacturing", "construction", "agriculture", "fishery"],
        prepares_for=["eps-topik"],
    ),
    _course(
        "japanese-n5",
        title="Bahasa Jepang Dasar (JLPT N5)",
        title_en="Basic Japanese (JLPT N5)",
        sector="language",
        hours=150,
        language="ja",
        destinations=["JP"],
        job_sectors=["care", "manufacturing", "construction", "agriculture", "hospitality"],
        prepares_for=["jlpt"],
    ),
    _course(
        "japanese-n4-jft",
        title="Bahasa Jepang untuk JFT-Basic dan JLPT N4",
        title_en="Japanese for the JFT-Basic and JLPT N4",
        description=(
            "Tingkat A2: syarat bahasa Specified Skilled Worker (Tokutei Ginou). Lanjutan "
            "dari kursus N5."
        ),
        sector="language",
        hours=300,
        language="ja",
        prerequisites=["japanese-n5"],
        destinations=["JP"],
        job_sectors=["care", "manufacturing", "construction", "agriculture", "hospitality"],
        prepares_for=["jft-basic", "jlpt"],
    ),
    _course(
        "german-a1",
        title="Bahasa Jerman A1",
        title_en="German A1",
        sector="language",
        hours=160,
        language="de",
        min_education="sma",
        destinations=["DE"],
        job_sectors=["health", "care", "hospitality"],
        prepares_for=["goethe"],
    ),
    _course(
        "german-a2",
        title="Bahasa Jerman A2",
        title_en="German A2",
        sector="language",
        hours=160,
        language="de",
        min_education="sma",
        prerequisites=["german-a1"],
        destinations=["DE"],
        job_sectors=["health", "care", "hospitality"],
        prepares_for=["goethe"],
    ),
    _course(
        "german-b1",
        title="Bahasa Jerman B1",
        title_en="German B1",
        description="Tingkat yang disyaratkan Triple Win sebelum berangkat ke Jerman.",
        sector="language",
        hours=200,
        language="de",
        min_education="sma",
        prerequisites=["german-a2"],
        destinations=["DE"],
        job_sectors=["health", "care", "hospitality"],
        prepares_for=["goethe"],
    ),
    _course(
        "english-hospitality",
        title="Bahasa Inggris untuk Perhotelan",
        title_en="English for hospitality",
        sector="language",
        hours=120,
        language="en",
        destinations=["AE", "QA", "SA", "KW", "OM", "BH", "SG", "MY", "HK", "GB", "AU"],
        job_sectors=["hospitality", "care"],
        prepares_for=["ielts"],
    ),
    _course(
        "arabic-workplace",
        title="Bahasa Arab untuk Dunia Kerja",
        title_en="Arabic for the workplace",
        sector="language",
        hours=100,
        language="ar",
        destinations=["SA", "AE", "QA", "KW", "OM", "BH", "JO"],
        job_sectors=["hospitality", "construction", "health"],
    ),
    _course(
        "mandarin-hsk",
        title="Bahasa Mandarin (HSK 1–3)",
        title_en="Mandarin Chinese (HSK 1–3)",
        sector="language",
        hours=150,
        language="zh",
        destinations=["TW", "HK", "CN", "SG", "MY"],
        job_sectors=["care", "manufacturing", "hospitality"],
        prepares_for=["hsk"],
    ),
]

# The fields of Course set straight from a row (the rest are relations).
_FIELDS = (
    "title",
    "title_en",
    "description",
    "sector",
    "kkni_level",
    "hours",
    "language",
    "min_education",
    "min_age",
    "max_age",
    "job_sectors",
    "job_kinds",
    "lsp_name",
    "lsp_scheme",
    "certificate_validity_months",
    "min_attendance_percent",
)


class SeedError(Exception):
    """The seed refers to something the database lacks (a document type, a course)."""


def _registry(apps):
    if apps is None:
        from django.apps import apps as registry

        return registry
    return apps


def apply(apps=None) -> dict[str, int]:
    """Create or update the units and courses, by code; return how many were created.

    `apps` is the migration's registry (historical models) or None for the real ones.
    A course's units, prerequisites, destinations and document types are set to the
    seed's. Destinations missing from the database are skipped (a test database
    always has them: the destinations seed migration runs first)."""
    apps = _registry(apps)
    CompetencyUnit = apps.get_model("training", "CompetencyUnit")
    Course = apps.get_model("training", "Course")
    CourseUnit = apps.get_model("training", "CourseUnit")
    DocumentType = apps.get_model("documents", "DocumentType")
    Destination = apps.get_model("destinations", "Destination")

    codes = {c for row in COURSES for c in (*row["prepares_for"], row["certifies"]) if c}
    types = {t.code: t for t in DocumentType.objects.filter(code__in=codes)}
    missing = sorted(codes - types.keys())
    if missing:
        raise SeedError(
            f"Document types missing for the training catalogue: {', '.join(missing)}. "
            "The documents app's seed migration must run first."
        )
    destinations = {d.code: d for d in Destination.objects.all()}
    created = {"units": 0, "courses": 0}

    units = {}
    for row in UNITS:
        values = {k: v for k, v in row.items() if k != "code"}
        unit, made = CompetencyUnit.objects.update_or_create(code=row["code"], defaults=values)
        created["units"] += made
        units[row["code"]] = unit

    courses = {}
    for row in COURSES:
        values = {f: row[f] for f in _FIELDS}
        values["certifies"] = types[row["certifies"]] if row["certifies"] else None
        course, made = Course.objects.update_or_create(code=row["code"], defaults=values)
        created["courses"] += made
        courses[row["code"]] = course
        CourseUnit.objects.filter(course=course).delete()
        CourseUnit.objects.bulk_create(
            CourseUnit(course=course, unit=units[code], order=i)
            for i, code in enumerate(row["units"], start=1)
        )
        course.destinations.set([destinations[c] for c in row["destinations"] if c in destinations])
        course.prepares_for.set([types[c] for c in row["prepares_for"]])
    for row in COURSES:
        try:
            prior = [courses[c] for c in row["prerequisites"]]
        except KeyError as exc:
            raise SeedError(f"{row['code']}: unknown prerequisite course {exc}") from None
        courses[row["code"]].prerequisite_courses.set(prior)
    return created


def unapply(apps=None) -> dict[str, int]:
    """Remove the seeded courses and units (the reverse of the migration), except
    those that are in use: a course with batches or certificates, a unit that another
    course or an assessment refers to. Returns how many were removed."""
    apps = _registry(apps)
    CompetencyUnit = apps.get_model("training", "CompetencyUnit")
    Course = apps.get_model("training", "Course")
    CourseUnit = apps.get_model("training", "CourseUnit")
    Batch = apps.get_model("training", "Batch")
    Certificate = apps.get_model("training", "Certificate")
    Assessment = apps.get_model("training", "Assessment")

    course_codes = [row["code"] for row in COURSES]
    in_use = set(
        Batch.objects.filter(course__code__in=course_codes).values_list("course_id", flat=True)
    ) | set(
        Certificate.objects.filter(course__code__in=course_codes).values_list(
            "course_id", flat=True
        )
    )
    doomed = Course.objects.filter(code__in=course_codes).exclude(pk__in=in_use)
    removed_courses = doomed.count()
    doomed.delete()

    unit_codes = [row["code"] for row in UNITS]
    used = set(
        CourseUnit.objects.filter(unit__code__in=unit_codes).values_list("unit_id", flat=True)
    ) | set(Assessment.objects.filter(unit__code__in=unit_codes).values_list("unit_id", flat=True))
    units = CompetencyUnit.objects.filter(code__in=unit_codes).exclude(pk__in=used)
    removed_units = units.count()
    units.delete()
    return {"units": removed_units, "courses": removed_courses}
