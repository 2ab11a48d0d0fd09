//! Item bodies are HTML. Whatever arrives — typed in the editor, posted to the API,
//! imported — is sanitised to a safe subset before it is stored, and plain text becomes
//! paragraphs. The text form (for the privacy check and search) strips the tags.

use std::collections::HashSet;
use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    let tags: HashSet<&'static str> = [
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "ul",
        "ol",
        "li",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
        "blockquote",
        "a",
        "span",
        "sup",
        "sub",
        "hr",
        "pre",
        "code",
        "img",
    ]
    .into_iter()
    .collect();
    b.tags(tags);
    b.link_rel(Some("noopener noreferrer nofollow"));
    b.url_schemes(["http", "https", "mailto"].into_iter().collect());
    b
});

/// Sanitises untrusted HTML to the body subset (no scripts, styles, event handlers, forms).
/// Plain paragraphs (see [`is_plain_paragraphs`]) are already in it and go through as they
/// came; anything else is parsed and written out again.
pub fn sanitize(html: &str) -> String {
    if is_plain_paragraphs(html) { html.to_string() } else { CLEANER.clean(html).to_string() }
}

/// True for text whose only tags are `<p>`, `</p>` and `<br>`, exactly so written (what
/// [`from_plain_text`] makes, and most imported documents are): nothing in it can run or
/// load anything, so parsing it would only spend the time a bulk import most needs.
fn is_plain_paragraphs(html: &str) -> bool {
    let mut rest = html;
    while let Some(at) = rest.find(['<', '\0']) {
        let tail = &rest[at..];
        let Some(tag) = ["<p>", "</p>", "<br>"].into_iter().find(|t| tail.starts_with(t)) else { return false };
        rest = &tail[tag.len()..];
    }
    true
}

/// Text of one line as input should hold it: control characters (a tab, a line break, a
/// stray \u{1}) become spaces and the ends are trimmed.
pub fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect::<String>().trim().to_string()
}

/// Text of several lines as input should hold it: control characters other than line
/// breaks and tabs are dropped.
pub fn multi_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect::<String>().trim().to_string()
}

/// Escapes plain text into paragraphs: one `<p>` per non-empty line.
pub fn from_plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        out.push_str("<p>");
        push_escaped(&mut out, line);
        out.push_str("</p>\n");
    }
    out
}

/// Escapes `& < > " '` and drops the control characters XML 1.0 and HTML do not allow in
/// text (all below U+0020 but tab, line feed and carriage return, and DEL): one stray
/// character in a title would make a whole Atom feed unreadable.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s);
    out
}

/// Appends `s` to `out` escaped as [`escape`] does, without a string of its own. The five are
/// ASCII, never part of a longer UTF-8 sequence, so the text between them is copied whole
/// rather than character by character.
pub fn push_escaped(out: &mut String, s: &str) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            b'\t' | b'\n' | b'\r' => continue,
            0..0x20 | 0x7f => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// The text of sanitised HTML: tags dropped, block ends as line breaks, entities decoded.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag.trim_start_matches('/').split(|c: char| c.is_whitespace() || c == '/').next().unwrap_or("");
        if matches!(name, "p" | "br" | "li" | "tr" | "h2" | "h3" | "h4" | "div" | "table" | "blockquote")
            && !out.ends_with('\n')
        {
            out.push('\n');
        } else if matches!(name, "td" | "th") {
            out.push(' ');
        }
        rest = &rest[lt + gt + 1..];
    }
    out.push_str(rest);
    // Non-blank lines, trimmed at the end, entities decoded as the lines are joined (one pass
    // over the text, not one per entity).
    let mut text = String::with_capacity(out.len());
    for line in out.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()) {
        if !text.is_empty() {
            text.push('\n');
        }
        push_decoded(&mut text, line);
    }
    text
}

/// The entities sanitised HTML carries, and what they stand for.
const ENTITIES: [(&str, char); 6] =
    [("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\''), ("&nbsp;", ' '), ("&amp;", '&')];

/// Appends `s` with its entities decoded (each read once: `&amp;lt;` is `&lt;`).
fn push_decoded(out: &mut String, mut s: &str) {
    while let Some(amp) = s.find('&') {
        out.push_str(&s[..amp]);
        s = &s[amp..];
        match ENTITIES.iter().find(|(name, _)| s.starts_with(name)) {
            Some((name, c)) => {
                out.push(*c);
                s = &s[name.len()..];
            }
            None => {
                out.push('&');
                s = &s[1..];
            }
        }
    }
    out.push_str(s);
}

/// True for an address on another site a page may link to: `https://` or `http://`, no
/// spaces, at most `max` characters — never `javascript:` or `data:`.
pub fn is_http_address(url: &str, max: usize) -> bool {
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    url.chars().count() <= max
        && host.is_some_and(|h| !h.is_empty() && !h.starts_with('/'))
        && !url.chars().any(char::is_whitespace)
}

/// True for a link a page may point readers to: `https://`, `http://` or a path on this
/// site — never `javascript:` or `data:`.
pub fn is_web_link(s: &str) -> bool {
    let s = s.trim();
    s.starts_with("https://") || s.starts_with("http://") || (s.starts_with('/') && !s.starts_with("//"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_links_are_http_or_this_site() {
        assert!(is_web_link("https://www.gov.cn/a.mp4") && is_web_link("/files/1") && is_web_link(" http://x "));
        assert!(!is_web_link("javascript:alert(1)") && !is_web_link("//evil.example/x") && !is_web_link("data:x"));
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let dirty = r#"<p onclick="x()">正文<script>alert(1)</script></p><a href="javascript:x()">链接</a><img src=x onerror=alert(1)>"#;
        let clean = sanitize(dirty);
        assert!(
            !clean.contains("script")
                && !clean.contains("onclick")
                && !clean.contains("javascript")
                && !clean.contains("onerror"),
            "{clean}"
        );
        assert!(clean.contains("<p>正文</p>"));
    }

    /// Plain paragraphs are kept as they are (the parser would give the same text); a tag of
    /// any other kind or spelling, or an attribute, sends the whole body through the parser.
    #[test]
    fn plain_paragraphs_skip_the_parser_and_nothing_else_does() {
        let plain = from_plain_text("第一段 <script>alert(1)</script>\n第二段 & \"引号\" '单引号'");
        assert_eq!(sanitize(&plain), plain);
        assert_eq!(to_text(&sanitize(&plain)), to_text(&CLEANER.clean(&plain).to_string()));
        assert_eq!(sanitize("<p>一</p><br><p>二"), "<p>一</p><br><p>二");
        for dirty in [
            "<p>一</p><script>alert(1)</script>",
            "<p onclick=\"x()\">一</p>",
            "<P>一</P><SCRIPT>alert(1)</SCRIPT>",
            "<p>一</p><img src=x onerror=alert(1)>",
            "<p>一</p><!-- <script>alert(1)</script> -->",
            "<br/><style>p{}</style>",
            "<p>一\0</p>",
        ] {
            let clean = sanitize(dirty);
            assert_ne!(clean, dirty, "{dirty} went through unparsed");
            let lower = clean.to_lowercase();
            assert!(!lower.contains("script") && !lower.contains("onclick") && !lower.contains("onerror"), "{clean}");
        }
    }

    #[test]
    fn plain_text_becomes_escaped_paragraphs_and_back() {
        let html = from_plain_text("第一段 <b>\n\n  第二段 & 附件  \n");
        assert_eq!(html, "<p>第一段 &lt;b&gt;</p>\n<p>第二段 &amp; 附件</p>\n");
        assert_eq!(to_text(&html), "第一段 <b>\n第二段 & 附件");
    }

    #[test]
    fn escape_replaces_the_five_and_keeps_the_text_between() {
        assert_eq!(escape(""), "");
        assert_eq!(escape("公开"), "公开");
        assert_eq!(escape("&<>\"'"), "&amp;&lt;&gt;&quot;&#39;");
        assert_eq!(
            escape("《条例》<第2条>'公开'&\"答复\"。"),
            "《条例》&lt;第2条&gt;&#39;公开&#39;&amp;&quot;答复&quot;。"
        );
        // Every escaped text reads back as it was.
        for s in ["a&b", "&amp;", "政务<公开>", "'\"'"] {
            assert_eq!(to_text(&escape(s)), s);
        }
    }

    #[test]
    fn control_characters_never_reach_xml_or_html_and_are_refused_at_input() {
        assert_eq!(escape("标题\u{1}\u{8}与\u{1b}[31m\u{7f}"), "标题与[31m");
        assert_eq!(escape("甲\t乙\n丙\r"), "甲\t乙\n丙\r", "the whitespace XML allows stays");
        assert_eq!(one_line(" 关于\u{0}印发\n通知\t "), "关于 印发 通知");
        assert_eq!(multi_line("第一行\n第二\u{2}行\u{7}"), "第一行\n第二行");
    }

    #[test]
    fn entities_are_decoded_once_and_others_kept() {
        assert_eq!(
            to_text("<p>&amp;lt; &lt;&gt; &quot;引&#39; a&nbsp;b &copy; AT&T &</p><p>&nbsp;</p>"),
            "&lt; <> \"引' a b &copy; AT&T &\n "
        );
    }
}
