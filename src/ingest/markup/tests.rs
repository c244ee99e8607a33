//! The markup readers on real and malformed files.

use std::path::Path;

use super::html::looks_like_html;
use super::*;

const ARTICLE_HTML: &str = include_str!("../../../tests/fixtures/ingest/article.html");
const NITF: &str = include_str!("../../../tests/fixtures/ingest/nitf.xml");
const RSS: &str = include_str!("../../../tests/fixtures/ingest/rss.xml");

fn html(text: &str) -> Article {
    read_html(text, Path::new("a.html")).unwrap()
}

fn xml(text: &str) -> Article {
    read_xml(text, Path::new("a.xml")).unwrap()
}

#[test]
fn html_article_keeps_visible_text_as_paragraphs() {
    let article = html(ARTICLE_HTML);
    assert_eq!(article.format, SourceFormat::Html);
    assert_eq!(
        article.title,
        "Kremlin confirms Biden\u{2013}Putin call | Example News"
    );
    let paragraphs: Vec<&str> = article.text.split("\n\n").collect();
    assert_eq!(
        paragraphs,
        [
            "Home | World",
            "Biden and Putin to hold video call",
            "By A. Reporter,\u{A0}Moscow",
            "Kremlin spokesman Dmitry Peskov said the presidents \u{201C}will decide \
             themselves\u{201D} how long the call will last & what it covers.",
            "Nested block text.",
            "Loose text after a nested block.",
            "\u{201C}We know what President Putin has done in the past,\u{201D} Psaki said.",
            "First line\nsecond line\nthird line",
            "Troops near the border.",
            "One",
            "Two items",
            "Troops",
            "94,300",
            "  indented\n    code   kept",
            "\u{A9} 2021 Example",
        ]
    );
    for hidden in [
        "color",
        "tracking",
        "not text",
        "JavaScript",
        "Template",
        "Hidden",
        "comment",
    ] {
        assert!(
            !article.text.contains(hidden),
            "{hidden} leaked into the text"
        );
    }
}

#[test]
fn html_title_falls_back_to_h1_then_first_line() {
    assert_eq!(
        html("<h1>Main <i>headline</i></h1><p>Body</p>").title,
        "Main headline"
    );
    assert_eq!(
        html("<title> </title><p>Only a body\nline</p>").title,
        "Only a body line"
    );
    // An SVG's title is not the page's.
    let svg = "<svg><title>Icon</title></svg><h1>Real</h1>";
    assert_eq!(html(svg).title, "Real");
}

#[test]
fn malformed_html_still_yields_its_text() {
    let article = html("<p>Unclosed <b>bold <i>and</b> italic<p>Next &amp c <div>Open div");
    assert_eq!(
        article.text,
        "Unclosed bold and italic\n\nNext & c\n\nOpen div"
    );
    let article = html("<<p>>Text</p></div></span>&bogus; <p");
    assert_eq!(article.text, "<\n\n>Text\n\n&bogus;");
}

#[test]
fn repeated_line_breaks_end_a_paragraph() {
    let article = html("<div>One<br><br>Two<br> <br>\n<br>Three<br></div>");
    assert_eq!(article.text, "One\n\nTwo\n\nThree");
}

#[test]
fn markup_without_visible_text_is_refused() {
    let err = read_html(
        "<html><head><title>T</title></head><body> <script>x</script></body>",
        Path::new("e.html"),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "e.html: the file has no visible text");
    let err = read_xml("<root><empty/>  </root>", Path::new("e.xml")).unwrap_err();
    assert_eq!(err.to_string(), "e.xml: the file has no visible text");
}

#[test]
fn nitf_text_starts_with_the_headline_and_drops_the_head() {
    let article = xml(NITF);
    assert_eq!(article.format, SourceFormat::Xml);
    assert_eq!(article.title, "Putin-Biden call (slug)");
    assert!(!article.meta.contains_key("xml_error"));
    let paragraphs: Vec<&str> = article.text.split("\n\n").collect();
    assert_eq!(
        paragraphs,
        [
            "Biden and Putin to hold video call on Tuesday on Ukraine",
            "By A. Reporter",
            "MOSCOW,",
            "Dec. 4",
            "President Joe Biden and Russian President Vladimir Putin will speak in a \
             video conference, Kremlin spokesman Dmitry Peskov said.",
            "Peskov added \u{201C}the presidents will decide themselves\u{201D} how long & when.",
            "Russia has massed about 70,000 troops & more <1 km> from the border.",
        ]
    );
}

#[test]
fn rss_reads_namespaced_titles_and_html_in_cdata() {
    let article = xml(RSS);
    assert_eq!(
        article.title,
        "Kremlin says Putin and Biden will speak on Tuesday"
    );
    assert_eq!(
        article.text,
        "Kremlin says Putin and Biden will speak on Tuesday\n\nThe call will take place \
         Tuesday evening.\n\nIt was confirmed on Saturday.\n\nNewsdesk"
    );
}

#[test]
fn xml_keeps_inline_elements_inside_paragraphs() {
    let article = xml(
        "<doc><headline>A <em>big</em> day</headline><para>It was <hi>very</hi> \
             big<lb/>indeed.</para><pb n=\"2\"/><para>Next</para></doc>",
    );
    assert_eq!(article.title, "A big day");
    assert_eq!(
        article.text,
        "A big day\n\nIt was very big\nindeed.\n\nNext"
    );
}

#[test]
fn malformed_xml_falls_back_to_lenient_reading() {
    let article = xml("<doc><title>Broken</title><p>One <b>two</p><p>Three</doc>");
    assert_eq!(article.format, SourceFormat::Xml);
    assert_eq!(article.title, "Broken");
    assert_eq!(article.text, "Broken\n\nOne two\n\nThree");
    let note = article.meta["xml_error"].as_str().unwrap();
    assert!(note.starts_with("line 1: "), "{note}");
    assert!(note.ends_with("; the file was read leniently"), "{note}");
    // A file that ends too early.
    let article = xml("<doc><p>Cut short</p>\n<p>mid");
    assert_eq!(article.text, "Cut short\n\nmid");
    assert!(article.meta["xml_error"].as_str().unwrap().contains("<p>"));
}

#[test]
fn html_entities_in_xml_are_read_leniently() {
    let article = xml(
        "<story>\n<hl1>Caf&eacute; talks</hl1>\n<p>Price:&nbsp;5&#160;euros &amp; up</p></story>",
    );
    assert_eq!(article.title, "Café talks");
    assert_eq!(article.text, "Café talks\n\nPrice:\u{A0}5\u{A0}euros & up");
    assert_eq!(
        article.meta["xml_error"],
        "line 2: the entity &eacute; is not defined in XML; the file was read leniently"
    );
}

#[test]
fn unreadable_xml_names_the_problem() {
    let err = read_xml("<a><!-- only a comment --></b>", Path::new("x.xml")).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("x.xml: is not well-formed XML (line 1: "),
        "{message}"
    );
    assert!(
        message.ends_with(") and has no text that can be read"),
        "{message}"
    );
}

#[test]
fn cdata_is_read_as_html_only_when_it_holds_tags() {
    assert!(looks_like_html("<p>x</p>"));
    assert!(looks_like_html("a <br/> b"));
    assert!(!looks_like_html("a < b > c"));
    assert!(!looks_like_html("<p no closing"));
    assert!(!looks_like_html(&"<<".repeat(100_000)));
    let article = xml("<d><p><![CDATA[a < b && c > d]]></p></d>");
    assert_eq!(article.text, "a < b && c > d");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    // html5ever takes time quadratic in the depth, so its test stays shallower; both
    // depths are far beyond what a recursive walk could survive on a test thread.
    let nested = format!("{}deep{}", "<div>".repeat(20_000), "</div>".repeat(20_000));
    assert_eq!(html(&nested).text, "deep");
    let depth = 100_000;
    let nested = format!("{}deep{}", "<x>".repeat(depth), "</x>".repeat(depth));
    assert_eq!(xml(&nested).text, "deep");
}

#[test]
fn a_doctype_with_an_internal_subset_stays_out_of_the_text() {
    let nitf = "<?xml version=\"1.0\"?>\n<!DOCTYPE nitf SYSTEM \"nitf.dtd\" [\n  \
                <!ENTITY % ents SYSTEM \"ents.ent\">\n  <!ENTITY copy \"(c)\">\n]>\n\
                <nitf><body><hl1>Port reopens</hl1><p>Ships sailed.</p></body></nitf>";
    let article = xml(nitf);
    assert_eq!(article.title, "Port reopens");
    assert_eq!(article.text, "Port reopens\n\nShips sailed.");
    let html = html("<!DOCTYPE html [ <!ENTITY x \"y\"> ]><h1>Title</h1><p>Body</p>");
    assert_eq!(html.text, "Title\n\nBody");
    assert_eq!(html.title, "Title");
}
