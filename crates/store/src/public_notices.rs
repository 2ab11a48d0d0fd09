//! 公示 in the store: an item's row making it a 公示 (its period, objection channel and
//! whether a result is due) or the result announcement of one; objections are letters to the
//! org's 公示异议 mailbox carrying the 公示's id, filed through [`Store::file_letter`]. The
//! rules are `core::public_notice`.

use crate::audit::AuditCtx;
use crate::db::{Sql, Tx};
use crate::{Store, StoreError};
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_core::letter::MailboxKind;
use gongkai_core::public_notice::{
    NoticePeriod, NoticeRefusal, NoticeSpec, NoticeStage, NoticeStatus, PeriodUnit, check_change, may_object,
};
use gongkai_core::{Actor, Role};
use sea_query::Value;
use serde_json::json;

impl From<NoticeRefusal> for StoreError {
    fn from(e: NoticeRefusal) -> Self {
        match e {
            NoticeRefusal::Denied(d) => Self::Forbidden(d),
            NoticeRefusal::Length | NoticeRefusal::Calendar(_) | NoticeRefusal::NotANotice => {
                Self::Invalid(e.to_string())
            }
            _ => Self::Conflict(e.to_string()),
        }
    }
}

/// An item's 公示 row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicNotice {
    pub item_id: i64,
    pub spec: NoticeSpec,
}

impl PublicNotice {
    /// The period of a 公示 (none for a result announcement).
    pub fn period(&self) -> Option<&NoticePeriod> {
        match &self.spec {
            NoticeSpec::Notice { period, .. } => Some(period),
            NoticeSpec::Result { .. } => None,
        }
    }
}

type NoticeRow =
    (i64, String, Option<NaiveDate>, Option<NaiveDate>, Option<i64>, Option<String>, bool, bool, Option<i64>);

const NOTICE_COLUMNS: &str =
    "item_id, stage, period_from, period_until, period_days, period_unit, objections, result_required, of_notice";

fn notice_of(r: NoticeRow) -> Result<PublicNotice, StoreError> {
    let (item_id, stage, from, until, days, unit, objections, result_required, of) = r;
    let bad = || StoreError::Invalid(format!("信息 {item_id} 的公示记录已损坏"));
    let spec = match NoticeStage::try_from(stage).map_err(|_| bad())? {
        NoticeStage::Notice => NoticeSpec::Notice {
            period: NoticePeriod {
                from: from.ok_or_else(bad)?,
                until: until.ok_or_else(bad)?,
                days: days.and_then(|d| u32::try_from(d).ok()).ok_or_else(bad)?,
                unit: unit.and_then(|u| PeriodUnit::try_from(u).ok()).ok_or_else(bad)?,
            },
            objections,
            result_required,
        },
        NoticeStage::Result => NoticeSpec::Result { of: of.ok_or_else(bad)? },
    };
    Ok(PublicNotice { item_id, spec })
}

async fn notice_in(tx: &mut Tx, item_id: i64) -> Result<Option<PublicNotice>, StoreError> {
    let row: Option<NoticeRow> = tx
        .ex()
        .fetch_optional(Sql(
            &format!("SELECT {NOTICE_COLUMNS} FROM public_notices WHERE item_id = $1"),
            vec![item_id.into()],
        ))
        .await?;
    row.map(notice_of).transpose()
}

/// A 公示 as lists show it, with its result announcement (when public) and its objections.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeListed {
    pub id: i64,
    pub title: String,
    pub org_id: i64,
    pub org_name: String,
    pub published_at: Option<DateTime<Utc>>,
    pub period_from: NaiveDate,
    pub period_until: NaiveDate,
    pub period_days: i64,
    pub period_unit: String,
    pub objections: bool,
    pub result_required: bool,
    /// The public result announcement.
    pub result_id: Option<i64>,
    pub result_title: Option<String>,
    pub result_published_at: Option<DateTime<Utc>>,
    /// Objections received (every letter to it, whatever became of it).
    pub objection_count: i64,
}

impl NoticeListed {
    /// The period.
    pub fn period(&self) -> NoticePeriod {
        NoticePeriod {
            from: self.period_from,
            until: self.period_until,
            days: u32::try_from(self.period_days).unwrap_or(0),
            unit: PeriodUnit::parse(&self.period_unit).unwrap_or(PeriodUnit::Days),
        }
    }

    /// Where it stands on `today` on `cal`.
    pub fn status(
        &self,
        cal: &gongkai_core::calendar::Calendar,
        today: NaiveDate,
    ) -> Result<NoticeStatus, gongkai_core::calendar::CalendarError> {
        let result_on = self.result_published_at.map(gongkai_core::index_no::beijing_date);
        NoticeStatus::of(cal, &self.period(), self.result_required, result_on, today)
    }
}

/// Which 公示 a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeFilter {
    /// 公示中 on the day.
    Open,
    /// Ended before the day.
    Ended,
    /// All of them.
    All,
}

const LISTED: &str = "SELECT i.id, i.title, i.org_id, o.name AS org_name, i.published_at, n.period_from, n.period_until, n.period_days, \
     n.period_unit, n.objections, n.result_required, ri.id AS result_id, ri.title AS result_title, \
     ri.published_at AS result_published_at, \
     (SELECT COUNT(*) FROM letters l WHERE l.notice_id = i.id) AS objection_count \
     FROM public_notices n JOIN items i ON i.id = n.item_id JOIN orgs o ON o.id = i.org_id \
     LEFT JOIN public_notices r ON r.of_notice = n.item_id \
     LEFT JOIN items ri ON ri.id = r.item_id AND ri.public_rev IS NOT NULL AND ri.state <> 'withdrawn' \
     WHERE n.stage = 'notice'";

/// The SQL list `($first, …)` of `n` bound values.
fn in_list(first: usize, n: usize) -> String {
    (0..n).map(|k| format!("${}", first + k)).collect::<Vec<_>>().join(", ")
}

impl Store {
    /// An item's 公示 row, if it has one.
    pub async fn public_notice(&self, item_id: i64) -> Result<Option<PublicNotice>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<NoticeRow> = conn
            .ex()
            .fetch_optional(Sql(
                &format!("SELECT {NOTICE_COLUMNS} FROM public_notices WHERE item_id = $1"),
                vec![item_id.into()],
            ))
            .await?;
        row.map(notice_of).transpose()
    }

    /// The result announcement of the 公示 `item_id`, if one is recorded.
    pub async fn notice_result(&self, item_id: i64) -> Result<Option<i64>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let row: Option<(i64,)> = conn
            .ex()
            .fetch_optional(Sql("SELECT item_id FROM public_notices WHERE of_notice = $1", vec![item_id.into()]))
            .await?;
        Ok(row.map(|(id,)| id))
    }

    /// The 公示 `item_id` as lists show it (published or not).
    pub async fn notice_listed(&self, item_id: i64) -> Result<Option<NoticeListed>, StoreError> {
        let mut conn = self.pool.conn().await?;
        conn.ex().fetch_optional(Sql(&format!("{LISTED} AND i.id = $1"), vec![item_id.into()])).await
    }

    /// Makes an item a 公示 or a result announcement (`Some`), or neither (`None`, only
    /// before it is published), by an editor of its org. A 公示 with an objection channel
    /// opens the org's 公示异议 mailbox when it has none.
    pub async fn save_public_notice(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        item_id: i64,
        spec: Option<NoticeSpec>,
    ) -> Result<Option<PublicNotice>, StoreError> {
        let item = self.item(item_id).await?.ok_or_else(|| StoreError::NotFound(format!("信息 {item_id}")))?;
        let org = self.org_by_id(item.org_id).await?.ok_or_else(|| StoreError::NotFound("单位".into()))?;
        actor.may_work_in(Role::Editor, &org.path)?;
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        let (public_rev,): (Option<i64>,) =
            tx.ex().fetch_one(Sql("SELECT public_rev FROM items WHERE id = $1", vec![item_id.into()])).await?;
        let published = public_rev.is_some();
        let before = notice_in(&mut tx, item_id).await?;
        let Some(spec) = spec else {
            if published && before.is_some() {
                return Err(StoreError::Conflict("信息已发布：不能取消公示".into()));
            }
            tx.ex().execute(Sql("DELETE FROM public_notices WHERE item_id = $1", vec![item_id.into()])).await?;
            tx.audit(ctx, "item.public_notice", "item", item_id.to_string(), describe(before.as_ref()), String::new())
                .await?;
            tx.commit().await?;
            return Ok(None);
        };
        check_change(before.as_ref().map(|b| &b.spec), &spec, published)?;
        if let NoticeSpec::Result { of } = spec {
            if of == item_id {
                return Err(NoticeRefusal::NotANotice.into());
            }
            let target: Option<(i64, String)> = tx
                .ex()
                .fetch_optional(Sql(
                    "SELECT i.org_id, n.stage FROM items i JOIN public_notices n ON n.item_id = i.id WHERE i.id = $1",
                    vec![of.into()],
                ))
                .await?;
            if !matches!(target, Some((o, ref s)) if o == item.org_id && s == NoticeStage::Notice.as_str()) {
                return Err(NoticeRefusal::NotANotice.into());
            }
            let taken: Option<(i64,)> = tx
                .ex()
                .fetch_optional(Sql(
                    "SELECT item_id FROM public_notices WHERE of_notice = $1 AND item_id <> $2",
                    vec![of.into(), item_id.into()],
                ))
                .await?;
            if taken.is_some() {
                return Err(NoticeRefusal::ResultTaken.into());
            }
        }
        // period_from, period_until, period_days, period_unit, objections, result_required, of_notice
        let (columns, objections): (Vec<Value>, bool) = match &spec {
            NoticeSpec::Notice { period, objections, result_required } => (
                vec![
                    period.from.into(),
                    period.until.into(),
                    i64::from(period.days).into(),
                    period.unit.as_str().into(),
                    (*objections).into(),
                    (*result_required).into(),
                    Value::BigInt(None),
                ],
                *objections,
            ),
            NoticeSpec::Result { of } => (
                vec![
                    Value::ChronoDate(None),
                    Value::ChronoDate(None),
                    Value::BigInt(None),
                    Value::String(None),
                    false.into(),
                    false.into(),
                    (*of).into(),
                ],
                false,
            ),
        };
        tx.ex().execute(Sql("DELETE FROM public_notices WHERE item_id = $1", vec![item_id.into()])).await?;
        tx.ex()
            .execute(Sql(
                "INSERT INTO public_notices (item_id, stage, period_from, period_until, period_days, period_unit, \
                 objections, result_required, of_notice, updated_by, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                [
                    vec![item_id.into(), spec.stage().as_str().into()],
                    columns,
                    vec![ctx.actor.as_str().into(), now.into()],
                ]
                .concat(),
            ))
            .await?;
        if objections {
            crate::letters::ensure_mailbox(
                &mut tx,
                item.org_id,
                MailboxKind::Objection,
                i64::from(MailboxKind::Objection.default_days()),
                "对本单位公示的事项有异议的，请在公示期内提出，并写明理由和联系方式。",
                now,
            )
            .await?;
        }
        let after = PublicNotice { item_id, spec };
        tx.audit(
            ctx,
            "item.public_notice",
            "item",
            item_id.to_string(),
            describe(before.as_ref()),
            describe(Some(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(after))
    }

    /// Checks that an objection to the 公示 `item_id` sent to a mailbox of `org_id` on `on` is
    /// received: a public 公示 of that org, with a channel, within its period.
    pub(crate) async fn check_objection(&self, item_id: i64, org_id: i64, on: NaiveDate) -> Result<(), StoreError> {
        let public = self.public_item(item_id).await?.filter(|i| i.org_id == org_id);
        let notice = match (public, self.public_notice(item_id).await?) {
            (Some(_), Some(n)) => n,
            _ => return Err(StoreError::Invalid("找不到该公示".into())),
        };
        match notice.spec {
            NoticeSpec::Notice { period, objections, .. } => {
                may_object(&period, objections, on).map_err(|e| StoreError::Invalid(e.to_string()))
            }
            NoticeSpec::Result { .. } => Err(StoreError::Invalid("结果公告不受理异议".into())),
        }
    }

    /// Public 公示 of `orgs` (all when empty) by `filter` on `today`, newest first: a page of
    /// `limit` from `offset`, and how many there are.
    pub async fn public_notice_list(
        &self,
        orgs: &[i64],
        filter: NoticeFilter,
        today: NaiveDate,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<NoticeListed>, i64), StoreError> {
        let mut values: Vec<Value> = vec![today.into(), self.now().into()];
        // Public as the portal's items are: published, not withdrawn, its time come.
        let mut cond =
            String::from(" AND i.public_rev IS NOT NULL AND i.state <> 'withdrawn' AND i.published_at <= $2");
        cond.push_str(match filter {
            NoticeFilter::Open => " AND n.period_from <= $1 AND n.period_until >= $1",
            NoticeFilter::Ended => " AND n.period_until < $1",
            NoticeFilter::All => " AND $1 = $1",
        });
        if !orgs.is_empty() {
            cond.push_str(&format!(" AND i.org_id IN ({})", in_list(3, orgs.len())));
            values.extend(orgs.iter().map(|&o| Value::from(o)));
        }
        let mut conn = self.pool.conn().await?;
        let (total,): (i64,) = conn
            .ex()
            .fetch_one(Sql(
                &format!(
                    "SELECT COUNT(*) FROM public_notices n JOIN items i ON i.id = n.item_id WHERE n.stage = 'notice'{cond}"
                ),
                values.clone(),
            ))
            .await?;
        let next = values.len() + 1;
        values.push(limit.into());
        values.push(offset.into());
        let rows = conn
            .ex()
            .fetch_all(Sql(
                &format!("{LISTED}{cond} ORDER BY n.period_from DESC, i.id DESC LIMIT ${next} OFFSET ${}", next + 1),
                values,
            ))
            .await?;
        Ok((rows, total))
    }

    /// Every 公示 of `orgs` (published or not) whose period ended by `today` or is running,
    /// for the office's view of results due: at most `limit`, the earliest ending first.
    pub async fn notices_of_orgs(&self, orgs: &[i64], limit: i64) -> Result<Vec<NoticeListed>, StoreError> {
        if orgs.is_empty() {
            return Ok(Vec::new());
        }
        let mut values: Vec<Value> = orgs.iter().map(|&o| Value::from(o)).collect();
        values.push(limit.into());
        let mut conn = self.pool.conn().await?;
        conn.ex()
            .fetch_all(Sql(
                &format!(
                    "{LISTED} AND i.org_id IN ({}) ORDER BY n.period_until DESC, i.id DESC LIMIT ${}",
                    in_list(1, orgs.len()),
                    orgs.len() + 1
                ),
                values,
            ))
            .await
    }

    /// The letters objecting to the 公示 `item_id` (ids, oldest first).
    pub async fn objections_to(&self, item_id: i64) -> Result<Vec<crate::letters::Letter>, StoreError> {
        let ids: Vec<(i64,)> = {
            let mut conn = self.pool.conn().await?;
            conn.ex()
                .fetch_all(Sql(
                    "SELECT id FROM letters WHERE notice_id = $1 ORDER BY id LIMIT 2000",
                    vec![item_id.into()],
                ))
                .await?
        };
        let mut out = Vec::new();
        for (id,) in ids {
            if let Some(l) = self.letter(id).await? {
                out.push(l);
            }
        }
        Ok(out)
    }

    /// The org's 公示异议 mailbox, if it has one.
    pub async fn objection_mailbox(&self, org_id: i64) -> Result<Option<crate::letters::Mailbox>, StoreError> {
        Ok(self
            .mailboxes()
            .await?
            .into_iter()
            .find(|m| m.org_id == org_id && m.kind == MailboxKind::Objection && m.active))
    }
}

/// The audit trail's record of a 公示 row.
fn describe(n: Option<&PublicNotice>) -> String {
    match n.map(|n| &n.spec) {
        None => String::new(),
        Some(NoticeSpec::Notice { period, objections, result_required }) => json!({
            "stage": "notice",
            "from": period.from,
            "until": period.until,
            "days": period.days,
            "unit": period.unit.as_str(),
            "objections": objections,
            "result_required": result_required,
        })
        .to_string(),
        Some(NoticeSpec::Result { of }) => json!({ "stage": "result", "of": of }).to_string(),
    }
}
