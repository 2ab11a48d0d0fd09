//! Building the tantivy query of a request: an exact number, the strict and the relaxed
//! text queries, the filters, the ranking clauses within their bound.

use super::*;

/// The bigrams that cover a text: every other one, and the last — 政务公开 is 政务 at 0 and
/// 公开 at 2, which together pin down every character, with half the terms to intersect.
pub(super) fn covering_bigrams(text: &str) -> Vec<(usize, String)> {
    let all = BigramTokenizer::tokens(text);
    let last = all.len().saturating_sub(1);
    all.into_iter().filter(|t| t.position % 2 == 0 || t.position == last).map(|t| (t.position, t.text)).collect()
}

pub(crate) fn bigram_query(field: Field, text: &str) -> Option<Box<dyn Query>> {
    let terms: Vec<(usize, Term)> =
        covering_bigrams(text).into_iter().map(|(p, t)| (p, Term::from_field_text(field, &t))).collect();
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(terms[0].1.clone(), IndexRecordOption::WithFreqs))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
    }
}

/// Any one of `queries`: the one itself when there is one; `None` when there is none.
pub(super) fn one_of(mut queries: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match queries.len() {
        0 | 1 => queries.pop(),
        _ => Some(Box::new(BooleanQuery::new(queries.into_iter().map(|q| (Occur::Should, q)).collect()))),
    }
}

/// `required`, scored up by each `optional` clause a document also matches. Each optional
/// clause is asked only about the documents `required` matched: tantivy joins several
/// optional clauses into a union that walks, window by window, every document any of them
/// matches — over a million documents far more than the few thousand a filtered query
/// looks at. Nested one by one, each is a single optional clause, looked up per match.
/// Past [`MAX_NESTED_BOOSTS`] the remaining clauses form one union, nested once.
pub(super) fn ranked_by(required: Box<dyn Query>, mut optional: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if optional.len() > MAX_NESTED_BOOSTS {
        let rest: Vec<(Occur, Box<dyn Query>)> =
            optional.split_off(MAX_NESTED_BOOSTS - 1).into_iter().map(|q| (Occur::Should, q)).collect();
        optional.push(Box::new(BooleanQuery::new(rest)));
    }
    optional.into_iter().fold(required, |q, o| Box::new(BooleanQuery::new(vec![(Occur::Must, q), (Occur::Should, o)])))
}

/// A filter: it narrows and adds nothing to the score (every result has it), so no score
/// is computed for it.
pub(super) fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

pub(super) fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
}

/// A request made into a query.
pub(super) struct Built {
    pub(super) query: Box<dyn Query>,
    /// Whether it has text to match (not only filters).
    pub(super) has_text: bool,
    /// Strict queries: the query with the condition "every part is in the title" added, for
    /// finding the title matches a capped scan may not reach. It scores every document as
    /// `query` does (the condition adds nothing to the score), so the two scans' results
    /// merge.
    pub(super) titled: Option<Box<dyn Query>>,
    /// Whether it is the look-up of a document or index number some document has.
    pub(super) lookup: bool,
}

impl SearchIndex {
    /// The items of the orgs a part names (濯水 → the town's, 黔江 → the district's and
    /// everything below it), scored a little: a text having the word ranks above an item
    /// only published by an org of that name.
    fn items_of_orgs_named(&self, req: &SearchRequest, part: &str) -> Option<Box<dyn Query>> {
        let paths = orgs_named(req.orgs.as_deref()?, part);
        let any = one_of(paths.iter().map(|p| term(self.f.org_path, p)).collect())?;
        Some(Box::new(ConstScoreQuery::new(any, 0.5)))
    }

    /// The query for a request. Strict: every part must appear as written. Relaxed (when the
    /// strict one finds nothing): any of the parts' bigrams may appear, and the documents
    /// sharing the most of them — in the title above all — come first.
    pub(super) fn build(&self, req: &SearchRequest, q: &str, relaxed: bool) -> Result<Built, SearchError> {
        let mut in_titles: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let f = &self.f;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut has_text = false;
        // An exact document or index number.
        let trimmed = q.trim();
        let exact_term = if let Ok(no) = DocNo::parse(trimmed) {
            Some(Term::from_field_text(f.doc_no, &no.to_string()))
        } else if index_no::looks_like(trimmed) {
            Some(Term::from_field_text(f.index_no, trimmed))
        } else {
            None
        };
        // A document or index number that some document has is a look-up: that document,
        // without matching its characters as text.
        let known = match &exact_term {
            Some(t) => self.doc_freqs.get(&self.reader.searcher(), t)? > 0,
            None => false,
        };
        let exact: Option<Box<dyn Query>> = exact_term.map(|t| {
            Box::new(BoostQuery::new(Box::new(TermQuery::new(t, IndexRecordOption::Basic)), 1000.0)) as Box<dyn Query>
        });
        // What the text must match, and what ranks a match higher.
        let mut required: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut boosts: Vec<Box<dyn Query>> = Vec::new();
        let mut parts = parts(q);
        // A single character is not a word a bigram index can look up; next to longer parts
        // (第一条 typed as 条 + text) it is left out rather than failing the whole query.
        let chars = |p: &String| p.chars().filter(|c| c.is_alphanumeric()).count();
        if parts.iter().any(|p| chars(p) >= 2) {
            parts.retain(|p| chars(p) >= 2);
        }
        for part in &parts {
            let forms = forms(part);
            if relaxed {
                // Each bigram, in the title (weighing most) or the body; at least half of
                // them must be there (of one of the part's forms).
                let mut of_forms = Vec::new();
                for form in &forms {
                    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                    for t in BigramTokenizer::tokens(form) {
                        let q =
                            |field| TermQuery::new(Term::from_field_text(field, &t.text), IndexRecordOption::WithFreqs);
                        any.push((
                            Occur::Should,
                            Box::new(BooleanQuery::new(vec![
                                (Occur::Should, Box::new(BoostQuery::new(Box::new(q(f.title_bi)), 4.0))),
                                (Occur::Should, Box::new(q(f.body_bi))),
                            ])),
                        ));
                    }
                    if !any.is_empty() {
                        let need = any.len().div_ceil(2);
                        of_forms
                            .push(Box::new(BooleanQuery::with_minimum_required_clauses(any, need)) as Box<dyn Query>);
                    }
                }
                of_forms.extend(self.items_of_orgs_named(req, part));
                if let Some(q) = one_of(of_forms) {
                    has_text = true;
                    required.push((Occur::Must, q));
                }
                continue;
            }
            let (mut in_title, mut in_body) = (Vec::new(), Vec::new());
            for form in &forms {
                if let (Some(t), Some(b)) = (bigram_query(f.title_bi, form), bigram_query(f.body_bi, form)) {
                    in_title.push(t);
                    in_body.push(b);
                }
            }
            in_body.extend(self.items_of_orgs_named(req, part));
            let (Some(in_title), Some(in_body)) = (one_of(in_title), one_of(in_body)) else {
                continue;
            };
            has_text = true;
            // The part must appear (the bigram field holds title, number and body); in the
            // title it weighs more.
            required.push((Occur::Must, in_body));
            in_titles.push((Occur::Must, in_title.box_clone()));
            boosts.push(Box::new(BoostQuery::new(in_title, 5.0)));
            // Words rank: in the title more than in the summary. In the body the part itself
            // ranks, by how often it occurs (the required phrase above scores that).
            let mut words: Vec<String> =
                forms.iter().flat_map(|form| ZhTokenizer::tokens(form)).map(|t| t.text).collect();
            words.sort_unstable();
            words.dedup();
            for w in &words {
                boosts.push(Box::new(BoostQuery::new(term(f.title, w), 2.0)));
                boosts.push(Box::new(BoostQuery::new(term(f.summary, w), 1.5)));
            }
        }
        if has_text {
            // The title typed as it is (or nearly: without 中华人民共和国, brackets or
            // punctuation) puts that document first.
            // Typed whole, brackets and all, it comes before a title that has the same words
            // and other bracketed parts (a sequel's （二）).
            for form in forms(q) {
                let key = crate::analysis::title_key(&form);
                if key.chars().count() >= 2 {
                    boosts.push(Box::new(BoostQuery::new(term(f.title_key, &key), 40.0)));
                    let whole = crate::analysis::whole_title_key(&form);
                    boosts.push(Box::new(BoostQuery::new(term(f.whole_title_key, &whole), 20.0)));
                }
            }
            // Parts close together, in order, rank above parts scattered through a text: for
            // each pair of neighbouring parts, the end of one within 24 positions before the
            // start of the next (two terms per pair keep this cheap).
            if !relaxed && parts.len() > 1 {
                for pair in parts.windows(2) {
                    let (Some((_, end)), Some((_, start))) =
                        (covering_bigrams(&pair[0]).pop(), covering_bigrams(&pair[1]).into_iter().next())
                    else {
                        continue;
                    };
                    let mut near = PhraseQuery::new_with_offset(vec![
                        (0, Term::from_field_text(f.body_bi, &end)),
                        (1, Term::from_field_text(f.body_bi, &start)),
                    ]);
                    near.set_slop(24);
                    boosts.push(Box::new(BoostQuery::new(Box::new(near), 2.0)));
                }
            }
        }
        let text_query: Option<Box<dyn Query>> =
            (has_text && !known).then(|| ranked_by(Box::new(BooleanQuery::new(required)), boosts));
        match (exact, text_query) {
            (Some(e), Some(t)) => {
                clauses.push((Occur::Must, Box::new(BooleanQuery::new(vec![(Occur::Should, e), (Occur::Should, t)]))))
            }
            (Some(e), None) => clauses.push((Occur::Must, e)),
            (None, Some(t)) => clauses.push((Occur::Must, t)),
            (None, None) => clauses.push((Occur::Must, Box::new(AllQuery))),
        }
        for (field, value) in [
            (f.org_path, &req.org_path),
            (f.topic, &req.topic),
            (f.genre, &req.genre),
            (f.validity, &req.validity),
            (f.kind, &req.kind),
            (f.source, &req.source),
            (f.org_name, &req.org_name),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                clauses.push((Occur::Must, filter(term(field, v))));
            }
        }
        if let Some(y) = req.year {
            clauses.push((
                Occur::Must,
                filter(Box::new(TermQuery::new(Term::from_field_u64(f.year, y), IndexRecordOption::Basic))),
            ));
        }
        // Valid documents above repealed and expired ones, unless the reader asked for those.
        if req.validity.is_none() {
            clauses.push((Occur::Should, Box::new(BoostQuery::new(term(f.validity, "valid"), 3.0))));
        }
        // The title condition joins the clauses rather than wrapping the query: beside the
        // filters, tantivy checks the cheapest condition first — here the short titles, and
        // the bodies' phrase only for documents whose titles have every part.
        let titled: Option<Box<dyn Query>> = (!in_titles.is_empty()).then(|| {
            let mut with_title: Vec<(Occur, Box<dyn Query>)> =
                clauses.iter().map(|(o, q)| (*o, q.box_clone())).collect();
            with_title.push((Occur::Must, filter(Box::new(BooleanQuery::new(in_titles)))));
            Box::new(BooleanQuery::new(with_title)) as Box<dyn Query>
        });
        Ok(Built {
            query: Box::new(BooleanQuery::new(clauses)),
            has_text: has_text || !matches!(q.trim(), ""),
            titled,
            lookup: known,
        })
    }
}
