"""The document types every database starts with (migration 0002 upserts them; the
readiness rules refer to them by code, see docs/documents.md).

Sources: UU 18/2017 art. 13 (marital-status letter, consent of spouse/parent/guardian
acknowledged by the village head, competency certificate, medical and psychological
result, passport, work visa, placement agreement, employment contract); registration
practice at the LTSA (KTP, KK, birth certificate, diploma); BP2MI Regulation 7/2022
(SKCK, OPP certificate); the schemes' own tests (EPS-TOPIK and colour vision for Korea,
JFT-Basic/JLPT and the SSW skills test for Japan, Goethe for Germany, IELTS, HSK).

`issuer` is what a worker reads ("where do I get this?"); `issuer_kind` is an
accounts.Agency.Kind value when the issuer is a kind of agency Garda knows, so that a
next step can point at that desk; blank when no kind fits (a school, an employer).
`where_to_get` is plain Indonesian: where to go and what to bring.

Validity (models.DocumentType): `has_expiry` means the document carries an expiry
date and one is required on upload; `validity_months` is how long a result counts
after its issue date (the medical result: 3 months); `min_remaining_months` is the
validity a document must still have at departure (the passport: 18 months).
"""

from garda.accounts.models import Agency

Kind = Agency.Kind

DOCUMENT_TYPES: list[dict] = [
    # --- identity and civil status -------------------------------------------------
    {
        "code": "ktp",
        "name": "KTP elektronik (KTP-el)",
        "name_en": "Electronic identity card (KTP-el)",
        "category": "identity",
        "issuer": "Dukcapil (Dinas Kependudukan dan Pencatatan Sipil)",
        "issuer_kind": Kind.CIVIL_REGISTRY,
        "where_to_get": (
            "Kantor Dukcapil kecamatan atau kota/kabupaten sesuai alamat KK, atau loket "
            "Dukcapil di LTSA. Bawa Kartu Keluarga (KK) asli. KTP-el berlaku seumur hidup; "
            "bila rusak atau hilang, bawa KTP lama atau surat kehilangan dari polisi."
        ),
        "has_number": True,
        "order": 10,
    },
    {
        "code": "kk",
        "name": "Kartu Keluarga (KK)",
        "name_en": "Family card (KK)",
        "category": "identity",
        "issuer": "Dukcapil (Dinas Kependudukan dan Pencatatan Sipil)",
        "issuer_kind": Kind.CIVIL_REGISTRY,
        "where_to_get": (
            "Kantor Dukcapil atau kelurahan sesuai alamat. Bawa surat pengantar RT/RW, KK "
            "lama, dan dokumen perubahan (buku nikah, akta kelahiran, atau surat pindah)."
        ),
        "has_number": True,
        "order": 20,
    },
    {
        "code": "birth-certificate",
        "name": "Akta kelahiran",
        "name_en": "Birth certificate",
        "category": "identity",
        "issuer": "Dukcapil (Dinas Kependudukan dan Pencatatan Sipil)",
        "issuer_kind": Kind.CIVIL_REGISTRY,
        "where_to_get": (
            "Kantor Dukcapil sesuai alamat KK. Bawa surat keterangan lahir dari bidan, "
            "rumah sakit atau kelurahan, KK, KTP kedua orang tua, dan buku nikah orang tua."
        ),
        "has_number": True,
        "order": 30,
    },
    {
        "code": "marital-status",
        "name": "Surat keterangan status perkawinan",
        "name_en": "Marital-status letter",
        "category": "identity",
        "issuer": "Kelurahan/desa; bagi yang menikah: KUA atau Dukcapil (buku nikah/akta)",
        "issuer_kind": Kind.CIVIL_REGISTRY,
        "where_to_get": (
            "Kantor kelurahan/desa sesuai alamat, dengan surat pengantar RT/RW, KTP dan KK. "
            "Bila sudah menikah, lampirkan fotokopi buku nikah (KUA) atau akta perkawinan "
            "(Dukcapil); bila bercerai, akta cerai dari Pengadilan Agama/Negeri."
        ),
        "has_number": False,
        "order": 40,
    },
    {
        "code": "consent",
        "name": "Surat izin suami/istri, orang tua atau wali",
        "name_en": "Consent of spouse, parent or guardian",
        "category": "legal",
        "issuer": "Suami/istri, orang tua atau wali, diketahui kepala desa/lurah",
        "issuer_kind": "",
        "where_to_get": (
            "Ditulis dan ditandatangani suami/istri (bila menikah) atau orang tua/wali, "
            "di atas meterai, lalu dibawa ke kantor kelurahan/desa untuk diketahui lurah "
            "atau kepala desa. Bawa KTP pemberi izin dan KK."
        ),
        "has_number": False,
        "order": 50,
    },
    {
        "code": "skck",
        "name": "Surat Keterangan Catatan Kepolisian (SKCK)",
        "name_en": "Police good-conduct certificate (SKCK)",
        "category": "legal",
        "issuer": "Kepolisian (Polres/Polsek)",
        "issuer_kind": Kind.POLICE,
        "where_to_get": (
            "Polres sesuai domisili (SKCK untuk bekerja ke luar negeri), atau daftar dulu "
            "lewat aplikasi/situs SKCK Polri. Bawa KTP, KK, akta kelahiran atau ijazah, "
            "pas foto latar merah, dan sidik jari bila diminta. Berlaku 6 bulan."
        ),
        "has_number": True,
        "has_expiry": True,
        "order": 60,
    },
    # --- education and competency -----------------------------------------------------
    {
        "code": "diploma",
        "name": "Ijazah terakhir",
        "name_en": "Diploma (latest school certificate)",
        "category": "education",
        "issuer": "Sekolah atau perguruan tinggi yang meluluskan",
        "issuer_kind": "",
        "where_to_get": (
            "Ijazah asli dari sekolah/kampus. Bila hilang, minta surat keterangan pengganti "
            "ijazah di sekolah asal atau Dinas Pendidikan, dengan surat kehilangan dari polisi."
        ),
        "has_number": True,
        "order": 100,
    },
    {
        "code": "competency-certificate",
        "name": "Sertifikat kompetensi kerja",
        "name_en": "Work competency certificate",
        "category": "competency",
        "issuer": "LSP berlisensi BNSP",
        "issuer_kind": Kind.TRAINING,
        "where_to_get": (
            "Ikuti pelatihan di PPKD atau LPK, lalu uji kompetensi di Lembaga Sertifikasi "
            "Profesi (LSP) berlisensi BNSP. Bawa KTP, ijazah, sertifikat pelatihan dan pas foto."
        ),
        "has_number": True,
        "has_expiry": True,
        "order": 110,
    },
    {
        "code": "experience-letter",
        "name": "Surat keterangan pengalaman kerja",
        "name_en": "Work experience letter",
        "category": "competency",
        "issuer": "Pemberi kerja sebelumnya (perusahaan, rumah sakit, majikan)",
        "issuer_kind": "",
        "where_to_get": (
            "Minta ke bagian personalia tempat kerja sebelumnya: nama jabatan, lama bekerja, "
            "tanda tangan dan cap perusahaan. Bawa KTP dan bukti kerja (kontrak atau slip gaji)."
        ),
        "has_number": False,
        "order": 120,
    },
    {
        "code": "nursing-registration",
        "name": "Surat Tanda Registrasi (STR) perawat",
        "name_en": "Nursing registration (STR)",
        "category": "competency",
        "issuer": "Konsil Kesehatan Indonesia (dahulu KTKI), Kementerian Kesehatan",
        "issuer_kind": Kind.HEALTH,
        "where_to_get": (
            "Ajukan lewat sistem registrasi tenaga kesehatan Kementerian Kesehatan (SATUSEHAT "
            "SDMK). Siapkan ijazah keperawatan, sertifikat kompetensi/uji kompetensi, KTP dan "
            "pas foto."
        ),
        "has_number": True,
        "has_expiry": True,
        "order": 130,
    },
    {
        "code": "ssw-skill-test",
        "name": "Sertifikat ujian keterampilan SSW (Tokutei Ginou)",
        "name_en": "SSW skills test (Tokutei Ginou)",
        "category": "competency",
        "issuer": "Penyelenggara ujian keterampilan SSW per bidang (mis. Prometric)",
        "issuer_kind": "",
        "where_to_get": (
            "Daftar ujian keterampilan bidang yang dituju (perawatan lansia, restoran, "
            "manufaktur...) di situs penyelenggara ujian. Bawa paspor atau KTP saat ujian."
        ),
        "has_number": False,
        "order": 140,
    },
    {
        "code": "opp",
        "name": "Sertifikat Orientasi Pra Penempatan (OPP)",
        "name_en": "Pre-departure orientation (OPP) certificate",
        "category": "competency",
        "issuer": "BP3MI/KP2MI",
        "issuer_kind": Kind.BP3MI,
        "where_to_get": (
            "Ikuti Orientasi Pra Penempatan di BP3MI DKI Jakarta setelah perjanjian kerja "
            "ditandatangani. Bawa paspor, visa kerja, dan bukti kepesertaan BPJS "
            "Ketenagakerjaan. Gratis."
        ),
        "has_number": True,
        "order": 150,
    },
    # --- health ---------------------------------------------------------------------
    {
        "code": "medical",
        "name": "Hasil pemeriksaan kesehatan dan psikologi",
        "name_en": "Medical and psychological check-up result",
        "category": "health",
        "issuer": "Rumah sakit/klinik sarana kesehatan yang ditunjuk",
        "issuer_kind": Kind.HEALTH,
        "where_to_get": (
            "Sarana kesehatan yang ditunjuk untuk pemeriksaan calon PMI (tanyakan daftarnya "
            "ke petugas). Bawa KTP, pas foto, dan surat pengantar dari P3MI atau "
            "Disnakertransgi. Hasil berlaku 3 bulan sejak tanggal pemeriksaan."
        ),
        "validity_months": 3,
        "has_number": False,
        "is_health": True,
        "order": 200,
    },
    {
        "code": "colour-vision",
        "name": "Hasil tes buta warna",
        "name_en": "Colour-vision test result",
        "category": "health",
        "issuer": "Rumah sakit/klinik sarana kesehatan yang ditunjuk",
        "issuer_kind": Kind.HEALTH,
        "where_to_get": (
            "Sarana kesehatan yang ditunjuk, biasanya bersama pemeriksaan kesehatan. Wajib "
            "untuk program G to G Korea (EPS). Bawa KTP."
        ),
        "has_number": False,
        "is_health": True,
        "order": 210,
    },
    # --- travel -------------------------------------------------------------------------
    {
        "code": "passport",
        "name": "Paspor",
        "name_en": "Passport",
        "category": "travel",
        "issuer": "Kantor Imigrasi",
        "issuer_kind": Kind.IMMIGRATION,
        "where_to_get": (
            "Kantor Imigrasi (ambil antrean lewat aplikasi M-Paspor) atau loket imigrasi di "
            "LTSA. Bawa KTP-el, KK, akta kelahiran atau ijazah atau buku nikah, dan surat "
            "rekomendasi paspor untuk calon PMI dari Disnakertransgi. Saat berangkat, paspor "
            "harus masih berlaku sedikitnya 18 bulan."
        ),
        "min_remaining_months": 18,
        "has_number": True,
        "has_expiry": True,
        "order": 300,
    },
    {
        "code": "work-visa",
        "name": "Visa kerja",
        "name_en": "Work visa",
        "category": "travel",
        "issuer": "Kedutaan besar negara tujuan",
        "issuer_kind": Kind.EMBASSY,
        "where_to_get": (
            "Diurus bersama P3MI atau BP3MI (G to G) di kedutaan besar atau pusat visa negara "
            "tujuan. Bawa paspor, perjanjian kerja, hasil pemeriksaan kesehatan, dan pas foto."
        ),
        "has_number": True,
        "has_expiry": True,
        "order": 310,
    },
    # --- agreements and social security -------------------------------------------------
    {
        "code": "placement-agreement",
        "name": "Perjanjian penempatan",
        "name_en": "Placement agreement",
        "category": "contract",
        "issuer": "P3MI (perusahaan penempatan), diketahui Disnakertransgi",
        "issuer_kind": Kind.MANPOWER,
        "where_to_get": (
            "Ditandatangani dengan P3MI yang berizin, diketahui Disnakertransgi. Baca dulu "
            "isinya; penempatan tidak boleh dipungut biaya yang dilarang. Bawa KTP dan KK."
        ),
        "has_number": False,
        "order": 400,
    },
    {
        "code": "work-agreement",
        "name": "Perjanjian kerja",
        "name_en": "Employment contract",
        "category": "contract",
        "issuer": "Pemberi kerja di negara tujuan, ditandatangani di hadapan petugas BP3MI",
        "issuer_kind": Kind.BP3MI,
        "where_to_get": (
            "Ditandatangani di hadapan petugas BP3MI sebelum berangkat, dalam bahasa yang "
            "Anda pahami. Pastikan tercantum gaji, jam kerja, cuti, dan lama kontrak. "
            "Bawa paspor dan KTP."
        ),
        "has_number": False,
        "order": 410,
    },
    {
        "code": "bpjs-tk",
        "name": "Kartu peserta BPJS Ketenagakerjaan",
        "name_en": "BPJS Ketenagakerjaan (social security) membership",
        "category": "social_security",
        "issuer": "BPJS Ketenagakerjaan",
        "issuer_kind": Kind.SOCIAL_SECURITY,
        "where_to_get": (
            "Kantor cabang BPJS Ketenagakerjaan atau loket BPJS di LTSA, atau daftar lewat "
            "aplikasi JMO. Bawa KTP dan KK; iuran program PMI dibayar sebelum berangkat."
        ),
        "has_number": True,
        "order": 500,
    },
    # --- language tests -----------------------------------------------------------------
    {
        "code": "eps-topik",
        "name": "Hasil tes EPS-TOPIK (bahasa Korea)",
        "name_en": "EPS-TOPIK result (Korean)",
        "category": "language",
        "issuer": "HRD Korea (EPS-TOPIK)",
        "issuer_kind": Kind.BP3MI,
        "where_to_get": (
            "Pendaftaran dibuka oleh KP2MI/BP3MI sesuai jadwal HRD Korea; ikuti pengumuman "
            "resmi (bukan calo). Bawa KTP, paspor dan pas foto. Nilai berlaku 2 tahun."
        ),
        "validity_months": 24,
        "has_number": False,
        "is_scored": True,
        "order": 600,
    },
    {
        "code": "jlpt",
        "name": "Sertifikat JLPT (bahasa Jepang)",
        "name_en": "JLPT certificate (Japanese)",
        "category": "language",
        "issuer": "Japan Foundation / JEES (JLPT)",
        "issuer_kind": "",
        "where_to_get": (
            "Daftar ujian JLPT di penyelenggara lokal (Juli dan Desember). Bawa KTP atau paspor "
            "dan pas foto."
        ),
        "levels": "N5,N4,N3,N2,N1",
        "has_number": False,
        "order": 610,
    },
    {
        "code": "jft-basic",
        "name": "Hasil tes JFT-Basic (bahasa Jepang)",
        "name_en": "JFT-Basic result (Japanese)",
        "category": "language",
        "issuer": "Japan Foundation (JFT-Basic)",
        "issuer_kind": "",
        "where_to_get": (
            "Daftar tes berbasis komputer JFT-Basic di situs penyelenggara (Prometric). "
            "Bawa paspor atau KTP. Untuk SSW diperlukan hasil A2."
        ),
        "levels": "A1,A2",
        "has_number": False,
        "order": 620,
    },
    {
        "code": "goethe",
        "name": "Sertifikat Goethe (bahasa Jerman)",
        "name_en": "Goethe certificate (German)",
        "category": "language",
        "issuer": "Goethe-Institut",
        "issuer_kind": "",
        "where_to_get": (
            "Daftar ujian di Goethe-Institut Jakarta atau mitra ujiannya. Bawa KTP atau "
            "paspor. Program perawat ke Jerman (Triple Win) biasanya meminta B1 atau B2."
        ),
        "levels": "A1,A2,B1,B2,C1,C2",
        "has_number": False,
        "order": 630,
    },
    {
        "code": "ielts",
        "name": "Hasil tes IELTS (bahasa Inggris)",
        "name_en": "IELTS result (English)",
        "category": "language",
        "issuer": "Lembaga tes IELTS (British Council atau IDP)",
        "issuer_kind": "",
        "where_to_get": (
            "Daftar tes di British Council atau IDP. Bawa paspor (wajib saat tes). Nilai "
            "berlaku 2 tahun."
        ),
        "validity_months": 24,
        "has_number": False,
        "is_scored": True,
        "order": 640,
    },
    {
        "code": "hsk",
        "name": "Sertifikat HSK (bahasa Mandarin)",
        "name_en": "HSK certificate (Chinese)",
        "category": "language",
        "issuer": "Lembaga tes HSK (Chinese Testing International dan pusat tes resmi)",
        "issuer_kind": "",
        "where_to_get": (
            "Daftar ujian di pusat tes HSK resmi. Bawa KTP atau paspor dan pas foto. Nilai "
            "biasanya diakui 2 tahun."
        ),
        "levels": "1,2,3,4,5,6",
        "validity_months": 24,
        "has_number": False,
        "order": 650,
    },
]

# Every field a seed row may set, and its value when the row does not say.
DEFAULTS = {
    "issuer_kind": "",
    "where_to_get": "",
    "validity_months": None,
    "min_remaining_months": None,
    "needs_verification": True,
    "has_number": True,
    "has_expiry": False,
    "levels": "",
    "is_scored": False,
    "is_health": False,
    "is_active": True,
}


def seed_document_types(model) -> int:
    """Create or update every type above by its code (idempotent); `model` is the
    DocumentType class (or the historical one in a migration). Returns the count."""
    for row in DOCUMENT_TYPES:
        values = {**DEFAULTS, **{k: v for k, v in row.items() if k != "code"}}
        values["issuer_kind"] = str(values["issuer_kind"])
        model.objects.update_or_create(code=row["code"], defaults=values)
    return len(DOCUMENT_TYPES)
