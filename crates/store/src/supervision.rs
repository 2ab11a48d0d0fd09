//! Supervision indicators per org and period: publications per catalog section and each
//! section's freshness against its update rule, items whose metadata is missing or
//! inconsistent, and the request figures (received, replied, on time, working days to
//! reply, overdue now) with the requests behind them.

use crate::db::Sql;
use crate::orgs::Org;
use crate::requests::{Pause, RequestSummary};
use crate::{Store, StoreError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gongkai_core::calendar::Calendar;
use gongkai_core::request::{RequestState, Urgency};
use gongkai_core::supervision::{self, Freshness, ItemMeta, OrgFigures};
use serde::Serialize;

/// The stored code of a published item.
const PUBLISHED: &str = gongkai_core::item::ItemState::Published.as_str();

/// The count of published items with a publication time whose metadata core finds wanting
/// (`core::supervision::metadata_problems`), by org, of the orgs whose path is like `$1`.
/// Its condition is word for word that of the partial index `items_metadata_problems`
/// (migration 20261205000049), which holds only the rows with a problem, so a tree of a
/// million items is counted from those (SQLite is told the index by name: on a small table
/// it would prefer another, and a condition drifting from the index's fails the query
/// instead of walking every row). The store tests hold it to core's answers and to the
/// index.
pub fn metadata_problem_counts_sql(backend: crate::Backend) -> String {
    let items = crate::db::indexed_by(backend, "items", "items_metadata_problems");
    let written_after_published = format!("written_on > {}", crate::db::beijing_day_sql(backend, "published_at"));
    format!(
        "SELECT org_id, COUNT(*) FROM {items} WHERE \
         state = 'published' AND public_rev IS NOT NULL AND published_at IS NOT NULL AND (\
         TRIM(COALESCE(index_no, '')) = '' \
         OR TRIM(COALESCE(topic, '')) = '' \
         OR TRIM(COALESCE(genre, '')) = '' \
         OR (genre IN ('规章', '行政规范性文件') AND TRIM(COALESCE(doc_no, '')) = '') \
         OR (NOT TRIM(COALESCE(doc_no, '')) = '' AND doc_no_prefix IS NULL) \
         OR (written_on IS NOT NULL AND {written_after_published}) \
         OR (validity IN ('repealed', 'expired') AND repealed_on IS NULL) \
         OR (repealed_on IS NOT NULL AND validity = 'valid')) \
         AND org_id IN (SELECT id FROM orgs WHERE path LIKE $1) GROUP BY org_id"
    )
}

/// A catalog section's state.
#[derive(Debug, Clone, Serialize)]
pub struct SectionStatus {
    pub id: i64,
    pub name: String,
    pub update_rule: String,
    /// Items published in it in the period.
    pub published: i64,
    /// Its latest publication (Beijing date).
    pub last_published: Option<NaiveDate>,
    pub freshness: Freshness,
    pub freshness_label: String,
}

/// A published item with metadata problems.
#[derive(Debug, Clone, Serialize)]
pub struct MetaIssue {
    pub item_id: i64,
    pub title: String,
    pub problems: Vec<&'static str>,
}

/// An open request past its deadline.
#[derive(Debug, Clone, Serialize)]
pub struct Overdue {
    pub tracking_no: String,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// Working days past the deadline.
    pub days_over: i64,
}

/// Everything behind one org's figures.
#[derive(Debug, Clone, Serialize)]
pub struct OrgDetail {
    pub figures: OrgFigures,
    pub sections: Vec<SectionStatus>,
    pub metadata: Vec<MetaIssue>,
    pub overdue: Vec<Overdue>,
}

type MetaRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<NaiveDate>,
    Option<DateTime<Utc>>,
    String,
    Option<NaiveDate>,
);

/// One org's figures from what was read for it: its sections, its publications and
/// metadata problems in the period (counts), and its request counts.
fn figures_of(
    org: &Org,
    (sections, published, metadata_issues): (&[SectionStatus], i64, i64),
    c: RequestCounts,
) -> OrgFigures {
    OrgFigures {
        org_code: org.code().to_string(),
        org_name: org.name.clone(),
        published,
        sections: sections.len() as i64,
        stale_sections: sections.iter().filter(|s| s.freshness.is_stale()).count() as i64,
        metadata_issues,
        requests_received: c.received,
        requests_replied: c.replied,
        replied_on_time: c.on_time,
        avg_workdays: (c.days_n > 0).then(|| c.days_total as f64 / c.days_n as f64),
        overdue_now: c.overdue,
        rank: 0,
    }
}

/// The [`RequestCounts`] of requests walked one by one on core's clocks, and the overdue
/// ones most overdue first: what the SQL counts of [`Store::request_counts_under`] stand
/// for (the store test holds the two to the same answers), used for one org's detail and
/// when today lies outside the days the calendar answers for.
fn counts_walked(
    cal: &Calendar,
    (from, to, today): (NaiveDate, NaiveDate, NaiveDate),
    requests: &[RequestSummary],
    pauses: &std::collections::HashMap<i64, Vec<Pause>>,
) -> (RequestCounts, Vec<Overdue>) {
    let mut c = RequestCounts::default();
    let mut overdue = Vec::new();
    for r in requests {
        let clock = r.clock(pauses.get(&r.id).map(Vec::as_slice).unwrap_or_default());
        if r.received_on >= from && r.received_on <= to {
            c.received += 1;
        }
        if r.state().is_open() {
            c.open += 1;
            // Awaiting clarification the period has not begun (article 30: it runs again
            // from the completed application), so nothing is overdue or due soon.
            if r.state() == RequestState::Clarifying || clock.due_on(cal).is_err() {
                continue;
            }
            match (clock.urgency(cal, today), clock.days_left(cal, today)) {
                (Ok(Some(Urgency::Overdue)), Ok(Some(left))) => {
                    c.overdue += 1;
                    overdue.push(Overdue {
                        tracking_no: r.tracking_no.clone(),
                        received_on: r.received_on,
                        due_on: clock.due_on(cal).ok().flatten(),
                        days_over: -left,
                    });
                }
                (Ok(Some(Urgency::Near)), _) => c.near += 1,
                _ => {}
            }
            continue;
        }
        let Some(replied) = r.replied_on.filter(|d| *d >= from && *d <= to) else { continue };
        c.replied += 1;
        let concluded = clock.concluded(cal, replied);
        c.on_time += i64::from(concluded.on_time);
        if let Some(days) = concluded.workdays {
            c.days_total += i64::from(days);
            c.days_n += 1;
        }
    }
    overdue.sort_by_key(|o| std::cmp::Reverse(o.days_over));
    (c, overdue)
}

/// A section as read: its org, id, name, update rule, publications in the period, latest.
type SectionRow = (i64, i64, String, String, i64, Option<DateTime<Utc>>);

fn day_start(d: NaiveDate) -> DateTime<Utc> {
    // Midnight in Beijing.
    d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - chrono::Duration::hours(8)
}

impl Store {
    /// One org's indicators for the period `from..=to`, as of `today`.
    pub async fn org_detail(
        &self,
        org: &Org,
        cal: &Calendar,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<OrgDetail, StoreError> {
        let requests = self.request_summaries(org, false, false).await?;
        let pauses = self.request_pauses_under(&org.path).await?;
        self.detail_of(org, cal, (from, to, today), &requests, &pauses).await
    }

    /// An org's indicators from its requests and their pauses, already read.
    async fn detail_of(
        &self,
        org: &Org,
        cal: &Calendar,
        (from, to, today): (NaiveDate, NaiveDate, NaiveDate),
        requests: &[RequestSummary],
        pauses: &std::collections::HashMap<i64, Vec<Pause>>,
    ) -> Result<OrgDetail, StoreError> {
        let mut sections = self.sections_under(org, false, (from, to, today)).await?;
        let sections = sections.remove(&org.id).unwrap_or_default();
        let published = self.published_by_org(org, false, from, to).await?.get(&org.id).copied().unwrap_or(0);
        let metadata: Vec<MetaIssue> =
            self.metadata_issues(Some(org.id), today).await?.into_iter().map(|(_, issue)| issue).collect();
        let (counts, overdue) = counts_walked(cal, (from, to, today), requests, pauses);
        let figures = figures_of(org, (&sections, published, metadata.len() as i64), counts);
        Ok(OrgDetail { figures, sections, metadata, overdue })
    }

    /// The catalog sections of `org` (and below, with `tree`) by org, in order, each with its
    /// publications in the period and its freshness — one query for a whole tree.
    async fn sections_under(
        &self,
        org: &Org,
        tree: bool,
        (from, to, today): (NaiveDate, NaiveDate, NaiveDate),
    ) -> Result<std::collections::HashMap<i64, Vec<SectionStatus>>, StoreError> {
        let (start, end) = (day_start(from), day_start(to + chrono::Duration::days(1)));
        let (scope, who): (&str, sea_query::Value) = if tree {
            ("o.path LIKE $1", format!("{}%", org.path.as_str()).into())
        } else {
            ("s.org_id = $1", org.id.into())
        };
        let mut conn = self.pool.conn().await?;
        let rows: Vec<SectionRow> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT s.org_id, s.id, s.name, s.update_rule, \
                       (SELECT COUNT(*) FROM items i WHERE i.section_id = s.id AND i.state = $4 AND i.public_rev IS NOT NULL \
                          AND i.published_at >= $2 AND i.published_at < $3), \
                       (SELECT MAX(i.published_at) FROM items i WHERE i.section_id = s.id AND i.state = $4 AND i.public_rev IS NOT NULL) \
                     FROM catalog_sections s JOIN orgs o ON o.id = s.org_id WHERE {scope} ORDER BY s.org_id, s.position, s.id"
                ),
                vec![who, start.into(), end.into(), PUBLISHED.into()],
            ))
            .await?;
        let mut out: std::collections::HashMap<i64, Vec<SectionStatus>> = Default::default();
        for (org_id, id, name, update_rule, published, last) in rows {
            let last_published = last.map(gongkai_core::index_no::beijing_date);
            let freshness = supervision::freshness(&update_rule, last_published, today);
            out.entry(org_id).or_default().push(SectionStatus {
                id,
                name,
                update_rule,
                published,
                last_published,
                freshness_label: freshness.label(),
                freshness,
            });
        }
        Ok(out)
    }

    /// Items first published in the period, by org (of `org`, and below with `tree`).
    async fn published_by_org(
        &self,
        org: &Org,
        tree: bool,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
        let (start, end) = (day_start(from), day_start(to + chrono::Duration::days(1)));
        let (scope, who): (&str, sea_query::Value) = if tree {
            ("i.org_id IN (SELECT id FROM orgs WHERE path LIKE $1)", format!("{}%", org.path.as_str()).into())
        } else {
            ("i.org_id = $1", org.id.into())
        };
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, i64)> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT i.org_id, COUNT(*) FROM items i WHERE {scope} AND i.state = $4 AND i.public_rev IS NOT NULL \
                     AND i.published_at >= $2 AND i.published_at < $3 GROUP BY i.org_id"
                ),
                vec![who, start.into(), end.into(), PUBLISHED.into()],
            ))
            .await?;
        Ok(rows.into_iter().collect())
    }

    /// How many published items of each org under `org` have metadata problems — the rules of
    /// `core::supervision::metadata_problems`, written as one SQL condition so that a tree of
    /// a million items is counted in the database instead of read row by row (the store test
    /// `metadata_counted_in_sql_as_core_finds_it` holds the two to the same answers).
    async fn metadata_counts_under(
        &self,
        org: &Org,
        today: NaiveDate,
    ) -> Result<std::collections::HashMap<i64, i64>, StoreError> {
        let tree = format!("{}%", org.path.as_str());
        let mut conn = self.pool.conn().await?;
        // Published rows with a publication time, from the partial index that holds only
        // those with a problem; core compares a row without one with today (none are
        // published so; read from their own index, migration 20261205000051).
        let rows: Vec<(i64, i64)> = conn
            .ex()
            .fetch_all(Sql(&metadata_problem_counts_sql(self.pool.backend()), vec![tree.clone().into()]))
            .await?;
        let blank = |c: &str| format!("TRIM(COALESCE({c}, '')) = ''");
        let unpublished_time = [
            blank("index_no"),
            blank("topic"),
            blank("genre"),
            format!("(genre IN ('规章', '行政规范性文件') AND {})", blank("doc_no")),
            format!("(NOT {} AND doc_no_prefix IS NULL)", blank("doc_no")),
            "(written_on IS NOT NULL AND written_on > $3)".to_string(),
            "(validity IN ('repealed', 'expired') AND repealed_on IS NULL)".to_string(),
            "(repealed_on IS NOT NULL AND validity = 'valid')".to_string(),
        ]
        .join(" OR ");
        let untimed_items = crate::db::indexed_by(self.pool.backend(), "items", "items_untimed");
        let untimed: Vec<(i64, i64)> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT org_id, COUNT(*) FROM {untimed_items} WHERE state = $2 AND public_rev IS NOT NULL \
                     AND published_at IS NULL AND ({unpublished_time}) \
                     AND org_id IN (SELECT id FROM orgs WHERE path LIKE $1) GROUP BY org_id"
                ),
                vec![tree.into(), PUBLISHED.into(), today.into()],
            ))
            .await?;
        let mut out: std::collections::HashMap<i64, i64> = rows.into_iter().collect();
        for (org, n) in untimed {
            *out.entry(org).or_default() += n;
        }
        Ok(out)
    }

    /// Published items whose metadata is missing or inconsistent, of one org or all, newest
    /// first, each with its org.
    pub async fn metadata_issues(
        &self,
        org_id: Option<i64>,
        today: NaiveDate,
    ) -> Result<Vec<(i64, MetaIssue)>, StoreError> {
        let (filter, mut values) = match org_id {
            Some(id) => (" AND org_id = $2", vec![id.into()]),
            None => ("", vec![]),
        };
        values.insert(0, PUBLISHED.into());
        let mut conn = self.pool.conn().await?;
        let rows: Vec<MetaRow> = conn
            .ex()
            .fetch_all(Sql(
                &format!(
                    "SELECT org_id, id, title, doc_no, doc_no_prefix, index_no, topic, genre, written_on, published_at, validity, repealed_on \
                     FROM items WHERE state = $1 AND public_rev IS NOT NULL{filter} ORDER BY published_at DESC, id"
                ),
                values,
            ))
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(
                |(
                    org_id,
                    id,
                    title,
                    doc_no,
                    prefix,
                    index_no,
                    topic,
                    genre,
                    written_on,
                    published_at,
                    validity,
                    repealed_on,
                )| {
                    let meta = ItemMeta {
                        title: title.clone(),
                        doc_no_parsed: prefix.is_some(),
                        doc_no,
                        index_no,
                        topic,
                        genre,
                        written_on,
                        published_on: published_at.map(gongkai_core::index_no::beijing_date).unwrap_or(today),
                        validity,
                        repealed_on,
                    };
                    let problems = supervision::metadata_problems(&meta);
                    (!problems.is_empty()).then_some((org_id, MetaIssue { item_id: id, title, problems }))
                },
            )
            .collect())
    }

    /// The indicators of an org and every org below it, ranked (1 is best).
    pub async fn supervision(
        &self,
        root: &Org,
        cal: &Calendar,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<OrgFigures>, StoreError> {
        // Every org's request counts, sections, publications and metadata problems in one
        // query each, not a few per org.
        // On their own connections at once: the page waits for the longest, not the sum.
        let (counts, mut sections, published, metadata) = tokio::try_join!(
            self.request_counts_under(root, cal, (from, to, today)),
            self.sections_under(root, true, (from, to, today)),
            self.published_by_org(root, true, from, to),
            self.metadata_counts_under(root, today),
        )?;
        let mut out = Vec::new();
        for org in self.orgs().await?.into_iter().filter(|o| o.path.is_within(&root.path)) {
            let org_sections = sections.remove(&org.id).unwrap_or_default();
            let read = (
                org_sections.as_slice(),
                published.get(&org.id).copied().unwrap_or(0),
                metadata.get(&org.id).copied().unwrap_or(0),
            );
            out.push(figures_of(&org, read, counts.get(&org.id).copied().unwrap_or_default()));
        }
        supervision::rank(&mut out);
        Ok(out)
    }

    /// Month by month in `year` (up to `today`'s month): items first published, requests
    /// received, requests concluded and of them on time — of `org` alone, or of it and every
    /// org below it when `tree`.
    pub async fn monthly_figures(
        &self,
        org: &Org,
        tree: bool,
        cal: &Calendar,
        year: i32,
        today: NaiveDate,
    ) -> Result<Vec<supervision::Month>, StoreError> {
        let requests = self.request_summaries(org, tree, false).await?;
        let pauses = self.request_pauses_under(&org.path).await?;
        let last_month = if today.year() > year {
            12
        } else if today.year() < year {
            0
        } else {
            today.month()
        };
        let mut out = Vec::new();
        let mut conn = self.pool.conn().await?;
        for month in 1..=last_month {
            let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else { continue };
            let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(NaiveDate::MAX);
            let scope = if tree { "o.path LIKE $4" } else { "i.org_id = $4" };
            let who: sea_query::Value = if tree { format!("{}%", org.path.as_str()).into() } else { org.id.into() };
            let (published,): (i64,) = conn
                .ex()
                .fetch_one(Sql(
                    &format!(
                        "SELECT COUNT(*) FROM items i JOIN orgs o ON o.id = i.org_id WHERE i.state = $1 \
                         AND i.public_rev IS NOT NULL AND i.published_at >= $2 AND i.published_at < $3 AND {scope}"
                    ),
                    vec![PUBLISHED.into(), day_start(first).into(), day_start(next).into(), who],
                ))
                .await?;
            let mut m = supervision::Month { month, published, ..Default::default() };
            let to = next.pred_opt().unwrap_or(next);
            for r in &requests {
                if r.received_on >= first && r.received_on <= to {
                    m.received += 1;
                }
                let Some(replied) = r.replied_on.filter(|d| *d >= first && *d <= to) else { continue };
                if r.state().is_open() {
                    continue;
                }
                m.replied += 1;
                let clock = r.clock(pauses.get(&r.id).map(Vec::as_slice).unwrap_or_default());
                m.on_time += i64::from(clock.concluded(cal, replied).on_time);
            }
            out.push(m);
        }
        Ok(out)
    }
}

/// The whole months of the period `from..=to`, as the first day of the first and the first
/// day after the last; when it holds none, `from` twice (an empty range, the whole period
/// at its ends).
fn whole_months(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    let month_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let first =
        if from.day() == 1 { from } else { month_of(from).checked_add_months(chrono::Months::new(1)).unwrap_or(from) };
    let after = month_of(to.succ_opt().unwrap_or(to));
    if first < after { (first, after) } else { (from, from) }
}

/// What the figures count of one org's requests, counted in SQL from their clocks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequestCounts {
    /// Received in the period.
    pub received: i64,
    /// Concluded in the period.
    pub replied: i64,
    /// Of those, by the deadline.
    pub on_time: i64,
    /// Working days used by those concluded (pauses not counted), and how many were counted.
    pub days_total: i64,
    pub days_n: i64,
    /// Open now.
    pub open: i64,
    /// Open and past the deadline today (awaiting clarification or in a consultation: no).
    pub overdue: i64,
    /// Open and due within [`gongkai_core::request::NEAR_DAYS`] working days.
    pub near: i64,
}

/// A part of one org's [`RequestCounts`] as read: which part, the org, and up to four counts.
type CountsRow = (i64, i64, i64, i64, i64, i64);

impl Store {
    /// The [`RequestCounts`] of every org under `root` (and itself) with a request, for the
    /// period `from..=to` as of `today` — one query over the tallies the store keeps by
    /// month, the requests open or not kept, those at the period's ends, their pauses and the
    /// calendar's day table, instead of reading a city's 200,000 requests to walk their
    /// clocks (2-3 s of every supervision page and dashboard). The rules are core's
    /// (`request::Clock`: 20 working days from the day after the clock's start, plus the
    /// extension, plus the working days of each closed consultation; none while one is
    /// open); the store test `request_counts_in_sql_are_the_clocks_counts` holds the two to
    /// the same answers. When today lies outside the days the calendar answers for (more
    /// than five years past the last loaded notice), the requests are read and walked.
    pub async fn request_counts_under(
        &self,
        root: &Org,
        cal: &Calendar,
        (from, to, today): (NaiveDate, NaiveDate, NaiveDate),
    ) -> Result<std::collections::HashMap<i64, RequestCounts>, StoreError> {
        let (first, upto) = cal.running_counts();
        let Some(today_upto) = cal.running_count(today).map(i64::from) else {
            let all = self.request_summaries(root, true, false).await?;
            let pauses = self.request_pauses_under(&root.path).await?;
            return Ok(all
                .chunk_by(|a, b| a.org_id == b.org_id)
                .map(|rs| (rs[0].org_id, counts_walked(cal, (from, to, today), rs, &pauses).0))
                .collect());
        };
        self.calendar_days_for(cal).await?;
        // Each request read from the index of its clock alone (migration 20261205000051).
        let max = match self.pool.backend() {
            crate::Backend::Sqlite => "MAX",
            crate::Backend::Postgres => "GREATEST",
        };
        let requests = crate::db::indexed_by(self.pool.backend(), "requests r", "requests_figures");
        let open_states = crate::db::code_list(RequestState::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()));
        let closed_states = crate::db::code_list(RequestState::ALL.iter().filter(|s| !s.is_open()).map(|s| s.as_str()));
        let clarifying = RequestState::Clarifying.as_str();
        let reply_days = i64::from(gongkai_core::request::REPLY_DAYS);
        let near = gongkai_core::request::NEAR_DAYS;
        let under = "r.org_id IN (SELECT id FROM orgs WHERE path LIKE $1)";
        // Most open requests run the plain clock: not awaiting clarification, never paused,
        // not extended, started on a day the table holds. Theirs is overdue exactly when it
        // started before the first day whose running count reaches today's less the 20 days,
        // and due soon when it started before the first reaching today's less 14 (20 less
        // the 5 near days, plus one): two days found here once, and the index counts the
        // rest without a calendar lookup per request. The others are counted one by one.
        let reaching = |n: i64| {
            let i = upto.partition_point(|u| i64::from(*u) < n);
            first + chrono::Duration::days(i as i64)
        };
        let (overdue_before, near_before) =
            (reaching(today_upto - reply_days), reaching(today_upto - reply_days + near + 1));
        let last = first + chrono::Duration::days(upto.len() as i64 - 1);
        let plain = format!(
            "(r.state <> '{clarifying}' AND r.extension_days <= 0 AND r.clock_start >= $5 AND r.clock_start <= $6 \
             AND r.id NOT IN (SELECT request_id FROM request_pauses))"
        );
        // A request's working days left today on its own clock (none while awaiting
        // clarification or in a consultation), the days it was allowed and used when
        // concluded, and whether its days could not all be found in the table.
        let left_today = format!(
            "CASE WHEN r.state <> '{clarifying}' AND COALESCE(pz.open_pauses, 0) = 0 \
               AND COALESCE(pz.bad, 0) = 0 AND cs.upto IS NOT NULL \
               THEN {reply_days} + {max}(0, r.extension_days) + COALESCE(pz.paused, 0) - {max}(0, $4 - cs.upto) END"
        );
        let allowed = format!("{reply_days} + {max}(0, r.extension_days) + COALESCE(pz.paused, 0)");
        let bad = "CASE WHEN COALESCE(pz.bad, 0) > 0 OR cs.upto IS NULL THEN 1 ELSE 0 END";
        // The period's whole months are summed from the tallies the triggers keep
        // (migration 56); its days outside whole months are counted from the requests by
        // their dates' indexes, in two ranges: `$2..$10` and `$11..=$3`.
        let (whole_from, whole_to) = whole_months(from, to);
        let backend = self.pool.backend();
        let received = crate::db::indexed_by(backend, "requests r", "requests_received");
        let replied = crate::db::indexed_by(backend, "requests r", "requests_replied");
        let edges = |column: &str| {
            [format!("r.{column} >= $2 AND r.{column} < $10"), format!("r.{column} >= $11 AND r.{column} <= $3")]
        };
        // The concluded requests whose figures are not kept on this calendar (kept before
        // it changed, or not yet): none once the keeping job has run, found by their stamp.
        let unkept = crate::requests::unkept_ids(backend, "$9");
        let tree = "IN (SELECT id FROM orgs WHERE path LIKE $1)";
        let mut parts = vec![format!(
            "SELECT CAST(0 AS BIGINT), t.org_id, CAST(SUM(t.n) AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), \
             CAST(0 AS BIGINT) FROM request_received_tallies t WHERE t.org_id {tree} AND t.month >= $10 AND t.month < $11 \
             GROUP BY t.org_id"
        )];
        for range in edges("received_on") {
            parts.push(format!(
                "SELECT CAST(0 AS BIGINT), r.org_id, CAST(COUNT(*) AS BIGINT), CAST(0 AS BIGINT), CAST(0 AS BIGINT), \
                 CAST(0 AS BIGINT) FROM {received} WHERE {under} AND {range} GROUP BY r.org_id"
            ));
        }
        parts.push(format!(
            "SELECT CAST(1 AS BIGINT), r.org_id, CAST(COUNT(*) AS BIGINT), \
             CAST(COUNT(*) FILTER (WHERE r.clock_start < $7) AS BIGINT), \
             CAST(COUNT(*) FILTER (WHERE r.clock_start >= $7 AND r.clock_start < $8) AS BIGINT), CAST(0 AS BIGINT) \
             FROM {requests} WHERE {under} AND r.state IN {open_states} AND {plain} GROUP BY r.org_id"
        ));
        parts.push(format!(
            "SELECT CAST(1 AS BIGINT), org_id, CAST(COUNT(*) AS BIGINT), \
             CAST(COUNT(*) FILTER (WHERE left_today < 0) AS BIGINT), \
             CAST(COUNT(*) FILTER (WHERE left_today >= 0 AND left_today <= {near}) AS BIGINT), CAST(0 AS BIGINT) \
             FROM o GROUP BY org_id"
        ));
        parts.push(format!(
            "SELECT CAST(2 AS BIGINT), org_id, CAST(COUNT(*) AS BIGINT), \
             CAST(COUNT(*) FILTER (WHERE bad = 0 AND open_pauses = 0 AND used IS NOT NULL \
               AND (used < allowed OR (used = allowed AND rw = TRUE))) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN bad = 0 AND used IS NOT NULL THEN {max}(0, {max}(0, used) - paused) ELSE 0 END), 0) AS BIGINT), \
             CAST(COUNT(*) FILTER (WHERE bad = 0 AND used IS NOT NULL) AS BIGINT) \
             FROM d GROUP BY org_id"
        ));
        parts.push(format!(
            "SELECT CAST(2 AS BIGINT), t.org_id, CAST(SUM(t.n) AS BIGINT), CAST(SUM(t.on_time) AS BIGINT), \
             CAST(SUM(t.workdays) AS BIGINT), CAST(SUM(t.workdays_n) AS BIGINT) FROM request_concluded_tallies t \
             WHERE t.org_id {tree} AND t.calendar = $9 AND t.month >= $10 AND t.month < $11 GROUP BY t.org_id"
        ));
        for range in edges("replied_on") {
            parts.push(format!(
                "SELECT CAST(2 AS BIGINT), r.org_id, CAST(COUNT(*) AS BIGINT), \
                 CAST(COUNT(*) FILTER (WHERE r.kept_on_time) AS BIGINT), CAST(COALESCE(SUM(r.kept_workdays), 0) AS BIGINT), \
                 CAST(COUNT(r.kept_workdays) AS BIGINT) FROM {replied} \
                 WHERE {under} AND {range} AND r.state IN {closed_states} AND r.kept_calendar = $9 GROUP BY r.org_id"
            ));
        }
        // Each pause summed once, of the requests counted one by one only: the open ones
        // and the concluded ones not kept.
        let pz = format!(
            "pz AS (\
               SELECT p.request_id, \
                 SUM(CASE WHEN p.ended_on IS NULL OR p.ended_on <= p.started_on THEN 0 ELSE e.upto - s.upto END) AS paused, \
                 SUM(CASE WHEN p.ended_on IS NULL THEN 1 ELSE 0 END) AS open_pauses, \
                 SUM(CASE WHEN p.ended_on > p.started_on AND (s.upto IS NULL OR e.upto IS NULL) THEN 1 ELSE 0 END) AS bad \
               FROM request_pauses p \
               LEFT JOIN calendar_days s ON s.day = p.started_on LEFT JOIN calendar_days e ON e.day = p.ended_on \
               WHERE p.request_id IN (SELECT r.id FROM {requests} WHERE {under} AND r.state IN {open_states}) \
                 OR p.request_id IN (SELECT id FROM u) \
               GROUP BY p.request_id)"
        );
        let sql = format!(
            "WITH u AS ({unkept}), {pz}, \
             o AS (SELECT r.org_id, {left_today} AS left_today \
               FROM {requests} LEFT JOIN calendar_days cs ON cs.day = r.clock_start LEFT JOIN pz ON pz.request_id = r.id \
               WHERE {under} AND r.state IN {open_states} AND {plain} IS NOT TRUE), \
             d AS (\
               SELECT r.org_id, {allowed} AS allowed, \
                 COALESCE(pz.paused, 0) AS paused, COALESCE(pz.open_pauses, 0) AS open_pauses, {bad} AS bad, \
                 rp.upto - cs.upto AS used, rp.workday AS rw \
               FROM requests r JOIN u ON u.id = r.id LEFT JOIN calendar_days cs ON cs.day = r.clock_start \
               LEFT JOIN calendar_days rp ON rp.day = r.replied_on LEFT JOIN pz ON pz.request_id = r.id \
               WHERE {under} AND r.state IN {closed_states} AND r.replied_on >= $2 AND r.replied_on <= $3) \
             {}",
            parts.join(" UNION ALL ")
        );
        let mut conn = self.pool.conn().await?;
        let rows: Vec<CountsRow> = conn
            .ex()
            .fetch_all(Sql(
                &sql,
                vec![
                    format!("{}%", root.path.as_str()).into(),
                    from.into(),
                    to.into(),
                    today_upto.into(),
                    first.into(),
                    last.into(),
                    overdue_before.into(),
                    near_before.into(),
                    cal.stamp().into(),
                    whole_from.into(),
                    whole_to.into(),
                ],
            ))
            .await?;
        let mut out: std::collections::HashMap<i64, RequestCounts> = std::collections::HashMap::new();
        for (part, org, n, a, b, c) in rows {
            let counts = out.entry(org).or_default();
            match part {
                0 => counts.received += n,
                1 => {
                    counts.open += n;
                    counts.overdue += a;
                    counts.near += b;
                }
                _ => {
                    // Counted, summed and kept at the ends: several rows for an org.
                    counts.replied += n;
                    counts.on_time += a;
                    counts.days_total += b;
                    counts.days_n += c;
                }
            }
        }
        Ok(out)
    }
}
