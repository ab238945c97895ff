//! Segmentation of the real corpus, whole paragraphs at a time, against hand-written answers.

use crate::support::corpus_text;
use selaras::model::{Article, BlockKind};
use selaras::segment::{SegmentOptions, segment_article};

const A000: &str = "000_979649cfeebf31a2";
const A001: &str = "001_84540dff08f2d4bc";
const A002: &str = "002_5f2940f005814b39";
const A003: &str = "003_5e0967db1d361350";
const A004: &str = "004_659581821fe23882";

fn article(stem: &str) -> Article {
    segment_article(stem, &corpus_text(stem), &SegmentOptions::default())
}

/// The (kind, translatable, text) of every segment of block `number`.
fn block(article: &Article, number: usize) -> Vec<(BlockKind, bool, String)> {
    article.blocks[number - 1]
        .segments
        .iter()
        .map(|segment| (segment.kind, segment.translatable, segment.text.clone()))
        .collect()
}

fn texts(article: &Article, number: usize) -> Vec<String> {
    block(article, number)
        .into_iter()
        .map(|(_, _, text)| text)
        .collect()
}

#[test]
fn caption_with_photo_credit_is_one_segment_without_the_pipe() {
    let article = article(A000);
    assert_eq!(
        block(&article, 1),
        [(
            BlockKind::Caption,
            true,
            "Wakil Perdana Menteri Tran Luu Quang hadir dan menyampaikan pidato pada Sidang Pleno bertema “Membangun dan Mengembangkan Sektor Diplomatik”. (Foto: Nguyen Hong)".to_string()
        )]
    );
    assert_eq!(
        article.blocks[0].segments[0].id.to_string(),
        "000_979649cfeebf31a2:1.1"
    );
}

#[test]
fn ellipsis_ends_a_sentence_only_before_a_new_one() {
    assert_eq!(
        texts(&article(A000), 17),
        [
            "Wakil Perdana Menteri menganalisis bahwa kekomprehensifan berarti mampu memobilisasi kekuatan gabungan seluruh negeri di bidang urusan luar negeri, sehingga urusan luar negeri memiliki kesatuan dari dalam ke luar, dari atas ke bawah, dengan partisipasi semua lembaga dan departemen.",
            "Modernitas berarti sejalan dengan tren, mampu beradaptasi dengan perkembangan baru dalam situasi dunia, seperti perubahan iklim, perkembangan kecerdasan buatan...",
            "Kekuatan ditunjukkan oleh fakta bahwa para diplomat memiliki kapasitas dan keberanian yang cukup untuk mempertahankan peran perintis di bidang urusan luar negeri.",
        ]
    );
    // `aktif..." tetapi`, `berkelanjutan..., serta` and `(bagian XII)...` do not end sentences
    let article = article(A004);
    assert_eq!(texts(&article, 8).len(), 1);
    assert_eq!(texts(&article, 14).len(), 1);
}

#[test]
fn resolution_number_and_quote_closing_after_full_stop() {
    assert_eq!(
        texts(&article(A001), 25),
        [
            "Di sisi lain, Presiden menilai bahwa pembangunan Partai dan sektor diplomatik belakangan ini telah memajukan tradisi, kekuatan unik, dan telah mencapai banyak perbaikan.",
            "Namun, inovasi perlu terus ditingkatkan.",
            "Bersamaan dengan itu, Presiden juga perlu menjalankan tugas pengorganisasian, penataan aparatur, pelatihan, dan evaluasi kader dengan baik sesuai semangat Resolusi No. 18-NQ/TW tentang \"Beberapa hal tentang kelanjutan inovasi dan penataan aparatur sistem politik agar lebih efisien, efektif, dan efisien.\"",
            "Presiden juga mengaitkan erat kerja ideologis, organisasi, dan kebijakan dengan mengidentifikasi kerja kader sebagai kunci utama, sehingga tim kader luar negeri layak menjadi garda terdepan dalam menciptakan perdamaian, menarik sumber daya dan kondisi eksternal bagi pembangunan nasional.",
        ]
    );
    assert_eq!(
        texts(&article(A001), 7)[1],
        "Pada saat yang sama, membangun diplomasi yang komprehensif, modern, dan profesional, khususnya penataan organisasi dan aparatur lembaga urusan luar negeri sesuai semangat Resolusi 18-NQ/TW, Sidang XII."
    );
}

#[test]
fn dateline_is_a_separate_untranslated_byline_and_no_break_spaces_stay_outside() {
    let article = article(A002);
    assert_eq!(
        block(&article, 2),
        [
            (BlockKind::Byline, false, "(VOVWORLD) -".to_string()),
            (
                BlockKind::Paragraph,
                true,
                "Dengan tema: “Mengembangkan peranan pelopor, membangun instansi diplomatik yang komprehensif, modern, dan kuat, menyukseskan Resolusi Kongres Nasional XIII Partai Komunis Vietnam (PKV)”, konferensi diplomatik ke-32 dan semua konferensi terkait berlangsung dari tgl 17 hingga tgl 19 Desember, di Kota Hanoi.".to_string()
            ),
        ]
    );
    assert_eq!(
        texts(&article, 3),
        [
            "Pada latar belakang dunia mengalami\u{a0} banyak gejolak, peluang dan tantangan di dalam negeri berlangsung secara berselang-seling, konferensi tersebut telah merekomendasikan berbagai tugas tentang hubungan luar negeri yang bertitik berat pada tahapan mendatang, terus menegaskan peranan pelopor dari diplomasi yang mengabdi perkembangan tanah air."
        ]
    );
}

#[test]
fn headings_and_image_alt_text() {
    let article = article(A002);
    let kinds: Vec<(usize, BlockKind)> = article
        .blocks
        .iter()
        .map(|b| (b.line_number, b.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (1, BlockKind::Heading),
            (3, BlockKind::Paragraph),
            (5, BlockKind::Paragraph),
            (8, BlockKind::Caption),
            (10, BlockKind::Heading),
            (14, BlockKind::Paragraph),
            (16, BlockKind::Paragraph),
            (18, BlockKind::Paragraph),
            (20, BlockKind::Paragraph),
            (22, BlockKind::Paragraph),
            (24, BlockKind::Paragraph),
            (26, BlockKind::Paragraph),
            (30, BlockKind::Heading),
            (34, BlockKind::Paragraph),
            (36, BlockKind::Boilerplate),
            (38, BlockKind::Boilerplate),
        ]
    );
    assert_eq!(
        texts(&article, 4),
        ["Menlu Vietnam, Bui Thanh Son (Foto: Kemenlu)"]
    );
}

#[test]
fn a_quotation_of_several_sentences_is_split_into_them() {
    assert_eq!(
        texts(&article(A002), 8),
        [
            "“Kesuksesan kunjungan-kunjungan tersebut telah menciptakan perkembangan baru secara kualitatif dalam hubungan luar ngeri dan integrasi internasional dari Vietnam.",
            "Seiring dengan itu, kerangka hubungan dengan banyak mitra penting telah ditingkatkan ke level baru, kepercayaan politik dengan banyak negara diperkokoh secara mantap, kerja sama semakin diperluas, substansial dan efektif”.",
        ]
    );
    assert_eq!(
        texts(&article(A004), 13),
        [
            "Bagian XI menyajikan secara sinkron dan komprehensif tujuan, tugas, orientasi, dan metode: \"Mempromosikan diplomasi komprehensif untuk pembangunan, dengan fokus pada diplomasi ekonomi dan diplomasi teknologi.",
            "Meningkatkan efektivitas diplomasi budaya, pertahanan negara, dan keamanan...\".",
            "Pada saat yang sama, bagian-bagian lain juga menyebutkan isi dan metode terkait untuk menghubungkan hubungan luar negeri dengan semua bidang.",
        ]
    );
}

#[test]
fn interview_article_block_kinds() {
    let article = article(A003);
    let kinds: Vec<&str> = article.blocks.iter().map(|b| b.kind.as_str()).collect();
    let mut expected = vec![
        "paragraph",
        "caption",
        "caption",
        "paragraph",
        "caption",
        "paragraph",
        "question",
    ];
    expected.extend(["paragraph"; 6]); // blocks 8-13
    expected.push("caption"); // 14: Bui Thanh Son. (Foto: VNA)
    expected.extend(["paragraph"; 6]); // 15-20
    expected.push("question"); // 21
    expected.extend(["paragraph"; 3]); // 22-24
    expected.push("caption"); // 25
    expected.extend(["paragraph"; 5]); // 26-30
    expected.push("caption"); // 31
    expected.extend(["paragraph"; 3]); // 32-34
    expected.extend([
        "question",
        "byline",
        "boilerplate",
        "boilerplate",
        "boilerplate",
        "boilerplate",
    ]);
    assert_eq!(kinds, expected);
    assert_eq!(
        texts(&article, 7),
        [
            "Dapatkah Wakil Perdana Menteri dan Menteri memberi tahu kami tentang hasil luar biasa dari perjalanan kerja Sekretaris Jenderal dan Presiden untuk menghadiri KTT Masa Depan, Debat Tingkat Tinggi Majelis Umum Perserikatan Bangsa-Bangsa ke-79, dan bekerja di Amerika Serikat?"
        ]
    );
    assert_eq!(
        texts(&article, 33).last().unwrap(),
        "Kelima, memperkuat koordinasi dan memberikan kontribusi lebih besar bagi perdamaian, stabilitas, dan kesejahteraan di kawasan Asia-Pasifik dan Samudra Hindia, termasuk mendorong peran sentral ASEAN dan lebih lanjut mendorong Kemitraan Strategis Komprehensif ASEAN-AS dan Kemitraan Mekong-AS; pada saat yang sama, meningkatkan efektivitas kerja sama dalam menangani tantangan keamanan non-tradisional seperti perubahan iklim, keamanan siber, keamanan air, dll."
    );
    assert_eq!(
        block(&article, 39),
        [(BlockKind::Boilerplate, false, "Sumber: https://thoidai.com.vn/chuyen-cong-tac-cua-tong-bi-thu-chu-tich-nuoc-dat-duoc-tat-ca-cac-muc-tieu-205441.html".to_string())]
    );
}

#[test]
fn image_stubs_and_pipe_captions() {
    let article = article(A004);
    assert_eq!(
        block(&article, 1),
        [(BlockKind::Boilerplate, false, "![]() |".to_string())]
    );
    assert_eq!(
        block(&article, 12),
        [(BlockKind::Caption, true, "Perdana Menteri Pham Minh Chinh menghadiri KTT G20 di Afrika Selatan (22-23 November). (Sumber: VNA)".to_string())]
    );
    assert_eq!(
        block(&article, 19),
        [(BlockKind::Boilerplate, false, "***".to_string())]
    );
}

#[test]
fn page_references_do_not_end_sentences() {
    let article = article(A004);
    let paragraph = texts(&article, 4);
    assert_eq!(paragraph.len(), 2);
    assert!(
        paragraph[0].ends_with("semakin diperkuat\" (hlm. A, B)."),
        "{}",
        paragraph[0]
    );
    assert!(paragraph[1].starts_with("Berdasarkan hasil dan prakiraan"));
    assert_eq!(
        texts(&article, 10),
        [
            "Sudut pandang panduan keempat menyatakan: “Untuk menjamin dan melindungi kepentingan nasional tertinggi berdasarkan prinsip-prinsip dasar Piagam Perserikatan Bangsa-Bangsa dan hukum internasional...” (hal.B).",
            "Urusan luar negeri “menjamin” sekaligus berjuang untuk “melindungi” kepentingan nasional.",
            "Oleh karena itu, direkomendasikan untuk menambahkan tujuan dan tugas urusan luar negeri (bagian XI, hal.C) sebagai: “untuk menjamin dan melindungi...”, yang menunjukkan poin baru dan kesatuan antara sudut pandang, tujuan, dan tugas.",
        ]
    );
}

#[test]
fn every_segment_is_its_exact_source_span_and_carries_no_noise() {
    for stem in [A000, A001, A002, A003, A004] {
        let source = corpus_text(stem);
        let article = segment_article(stem, &source, &SegmentOptions::default());
        let mut previous_end = 0;
        for segment in article.segments() {
            assert_eq!(
                &source[segment.span.start..segment.span.end],
                segment.text,
                "{}",
                segment.id
            );
            assert!(
                segment.span.start >= previous_end,
                "{} overlaps",
                segment.id
            );
            previous_end = segment.span.end;
            assert_eq!(
                segment.text.trim(),
                segment.text,
                "{} has outer white space",
                segment.id
            );
            if segment.translatable {
                for noise in [" |", "| ", "![]()", "ảnh 1"] {
                    assert!(
                        !segment.text.contains(noise),
                        "{} contains {noise:?}",
                        segment.id
                    );
                }
                assert!(!segment.text.starts_with("- "), "{}", segment.id);
            }
        }
    }
}

#[test]
fn user_abbreviations_extend_the_built_in_list() {
    let source = "Ia bertemu Kol. Hartono kemarin. Lalu pulang.";
    let default = segment_article("x", source, &SegmentOptions::default());
    assert_eq!(default.segments().count(), 2, "Kol. is built in");
    let source = "Ia bertemu Brig. Hartono kemarin.";
    let default = segment_article("x", source, &SegmentOptions::default());
    assert_eq!(default.segments().count(), 2);
    let options = SegmentOptions {
        abbreviations: selaras::segment::Abbreviations::new(&["Brig.".to_string()], &[]),
        ..SegmentOptions::default()
    };
    assert_eq!(segment_article("x", source, &options).segments().count(), 1);
}
