//! The site's settings and each org's own pages, kept by administrators in the console.
//!
//! Settings: the site's name, the footer's 主办单位 / 网站标识码 / ICP 备案号 / 公安机关备案号
//! that government sites must show, and additions to the topic (主题分类) and genre (体裁分类)
//! lists. Only an administrator of a top-level org changes them.
//!
//! Pages: an org's 政府信息公开制度 (its rules: an org without its own shows the nearest
//! org above it that has one) and an addition to its generated 政府信息公开指南 (its own
//! only). Bodies are plain text (paragraphs) or, when they start with a tag, HTML sanitised
//! when stored.

use crate::audit::AuditCtx;
use crate::db::Sql;
use crate::{Org, Store, StoreError};
use gongkai_core::Actor;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The site's settings, with the defaults of a fresh platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteSettings {
    /// 网站名称, in the header and the page titles.
    pub site_name: String,
    /// 主办单位.
    pub sponsor: String,
    /// 网站标识码 (the 10-character code of the government website register).
    pub site_code: String,
    /// ICP 备案号.
    pub icp: String,
    /// 公安机关备案号.
    pub police_record: String,
    /// Topics added to the shipped list (and the configuration's).
    pub topics_extra: Vec<String>,
    /// Genres added to the shipped list (and the configuration's).
    pub genres_extra: Vec<String>,
    /// Genres whose policies need an interpretation (政策解读).
    pub interpretation_genres: Vec<String>,
    /// Whether a policy needing an interpretation is approved without one submitted.
    pub interpretation_gate: gongkai_core::interpretation::Gate,
    /// Working days after a policy's publication for its interpretation.
    pub interpretation_days: u32,
    /// Yearly press-conference targets.
    pub press_targets: gongkai_core::press::Targets,
    /// Working days for the written answer to an interview question not answered live.
    pub interview_answer_days: u32,
}

impl Default for SiteSettings {
    fn default() -> Self {
        Self {
            site_name: "政府信息公开平台".into(),
            sponsor: String::new(),
            site_code: String::new(),
            icp: String::new(),
            police_record: String::new(),
            topics_extra: Vec::new(),
            genres_extra: Vec::new(),
            interpretation_genres: gongkai_core::interpretation::DEFAULT_GENRES.iter().map(|g| g.to_string()).collect(),
            interpretation_gate: gongkai_core::interpretation::Gate::Block,
            interpretation_days: gongkai_core::interpretation::DEFAULT_DAYS,
            press_targets: gongkai_core::press::Targets::default(),
            interview_answer_days: gongkai_core::press::DEFAULT_ANSWER_DAYS,
        }
    }
}

/// What an org's page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// 政府信息公开制度.
    Rules,
    /// An addition at the end of the generated 政府信息公开指南.
    GuideAddition,
}

impl PageKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rules => "rules",
            Self::GuideAddition => "guide_addition",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Rules, Self::GuideAddition].into_iter().find(|k| k.as_str() == s)
    }
}

/// An org's page as shown: the body and the org it comes from (itself or one above).
#[derive(Debug, Clone)]
pub struct OrgPage {
    pub body: String,
    pub from_org_id: i64,
}

/// One line of a list setting: trimmed, no control characters, at most 40 characters.
fn clean_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect::<String>().trim().chars().take(40).collect()
}

/// Checks settings as typed; answers the problems by field.
pub fn check_settings(s: &SiteSettings) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if s.site_name.trim().is_empty() {
        out.push(("site_name", "请填写网站名称".to_string()));
    }
    for (field, label, value, max) in [
        ("site_name", "网站名称", &s.site_name, 40),
        ("sponsor", "主办单位", &s.sponsor, 100),
        ("site_code", "网站标识码", &s.site_code, 20),
        ("icp", "ICP备案号", &s.icp, 40),
        ("police_record", "公安机关备案号", &s.police_record, 40),
    ] {
        if value.trim().chars().count() > max {
            out.push((field, format!("{label}不能超过 {max} 个字")));
        }
    }
    if !s.site_code.trim().is_empty() && !s.site_code.trim().chars().all(|c| c.is_ascii_alphanumeric()) {
        out.push(("site_code", "网站标识码只含字母和数字（如 5001140001）".to_string()));
    }
    if !(1..=30).contains(&s.interpretation_days) {
        out.push(("interpretation_days", "解读发布时限须在 1 到 30 个工作日之间".to_string()));
    }
    if !(1..=30).contains(&s.interview_answer_days) {
        out.push(("interview_answer_days", "访谈提问书面答复时限须在 1 到 30 个工作日之间".to_string()));
    }
    let t = &s.press_targets;
    if [t.government, t.government_principal, t.department, t.department_principal].iter().any(|n| *n > 365) {
        out.push(("press_targets", "新闻发布会年度目标不超过 365 场".to_string()));
    }
    for (field, list) in [
        ("topics_extra", &s.topics_extra),
        ("genres_extra", &s.genres_extra),
        ("interpretation_genres", &s.interpretation_genres),
    ] {
        if list.len() > 200 {
            out.push((field, "最多 200 项".to_string()));
        }
        if let Some(long) = list.iter().find(|l| l.trim().chars().count() > 40) {
            out.push((field, format!("「{}…」超过 40 个字", long.chars().take(10).collect::<String>())));
        }
    }
    out
}

impl Store {
    /// The site's settings (defaults for what was never set).
    pub async fn site_settings(&self) -> Result<SiteSettings, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String, String)> =
            conn.ex().fetch_all(Sql("SELECT key, value FROM site_settings", vec![])).await?;
        let mut map = serde_json::to_value(SiteSettings::default()).map_err(|e| StoreError::Invalid(e.to_string()))?;
        for (key, value) in rows {
            if let Some(slot) = map.get_mut(&key) {
                // Values are stored as JSON; an unreadable one keeps the default.
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&value) {
                    *slot = v;
                }
            }
        }
        Ok(serde_json::from_value(map).unwrap_or_default())
    }

    /// Replaces the site's settings; administrators of a top-level org only.
    pub async fn set_site_settings(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        settings: &SiteSettings,
    ) -> Result<SiteSettings, StoreError> {
        if !actor.has(gongkai_core::Role::Admin) {
            return Err(StoreError::Forbidden(gongkai_core::Denied::MissingRole(gongkai_core::Role::Admin)));
        }
        if actor.org_path.depth() != 1 {
            return Err(StoreError::Forbidden(gongkai_core::Denied::OutsideOrg));
        }
        let problems = check_settings(settings);
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join("；")));
        }
        let list = |l: &[String]| {
            let mut out: Vec<String> = Vec::new();
            for line in l.iter().map(|s| clean_line(s)).filter(|s| !s.is_empty()) {
                if !out.contains(&line) {
                    out.push(line);
                }
            }
            out
        };
        let clean = SiteSettings {
            site_name: clean_line(&settings.site_name),
            sponsor: settings.sponsor.trim().chars().filter(|c| !c.is_control()).collect(),
            site_code: settings.site_code.trim().to_string(),
            icp: clean_line(&settings.icp),
            police_record: clean_line(&settings.police_record),
            topics_extra: list(&settings.topics_extra),
            genres_extra: list(&settings.genres_extra),
            interpretation_genres: list(&settings.interpretation_genres),
            ..settings.clone()
        };
        let before = self.site_settings().await?;
        let values = serde_json::to_value(&clean).map_err(|e| StoreError::Invalid(e.to_string()))?;
        let mut tx = self.pool.begin().await?;
        tx.ex().execute(Sql("DELETE FROM site_settings", vec![])).await?;
        if let Some(map) = values.as_object() {
            for (key, value) in map {
                tx.ex()
                    .execute(Sql(
                        "INSERT INTO site_settings (key, value, updated_by, updated_at) VALUES ($1, $2, $3, $4)",
                        vec![
                            key.as_str().into(),
                            value.to_string().into(),
                            ctx.actor.as_str().into(),
                            self.now().into(),
                        ],
                    ))
                    .await?;
            }
        }
        tx.audit(
            ctx,
            "site.settings",
            "site",
            "site".into(),
            serde_json::to_string(&before).unwrap_or_default(),
            values.to_string(),
        )
        .await?;
        tx.commit().await?;
        Ok(clean)
    }

    /// An org's page: its own, or for the rules the nearest org above that has them.
    pub async fn org_page(&self, org: &Org, kind: PageKind) -> Result<Option<OrgPage>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(i64, String, String)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT o.id, o.path, p.body FROM org_pages p JOIN orgs o ON o.id = p.org_id WHERE p.kind = $1",
                vec![kind.as_str().into()],
            ))
            .await?;
        Ok(rows
            .into_iter()
            .filter(|(id, path, _)| match kind {
                PageKind::Rules => org.path.as_str().starts_with(path.as_str()),
                PageKind::GuideAddition => *id == org.id,
            })
            .max_by_key(|(_, path, _)| path.len())
            .map(|(id, _, body)| OrgPage { body, from_org_id: id }))
    }

    /// The paths of the orgs that have a page of `kind` of their own (an org below one of
    /// them shows its rules).
    pub async fn org_page_paths(&self, kind: PageKind) -> Result<Vec<String>, StoreError> {
        let mut conn = self.pool.conn().await?;
        let rows: Vec<(String,)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT o.path FROM org_pages p JOIN orgs o ON o.id = p.org_id WHERE p.kind = $1",
                vec![kind.as_str().into()],
            ))
            .await?;
        Ok(rows.into_iter().map(|(p,)| p).collect())
    }

    /// The org above that a page shown for `org` comes from; `None` when it is the org's own.
    pub async fn page_inherited_from(&self, org: &Org, page: Option<&OrgPage>) -> Result<Option<Org>, StoreError> {
        match page {
            Some(p) if p.from_org_id != org.id => self.org_by_id(p.from_org_id).await,
            _ => Ok(None),
        }
    }

    /// Sets (or, with an empty body, removes) an org's own page; its administrators only.
    /// Plain text becomes paragraphs; HTML is sanitised.
    pub async fn set_org_page(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org: &Org,
        kind: PageKind,
        body: &str,
    ) -> Result<(), StoreError> {
        actor.may_administer(&org.path)?;
        if body.chars().count() > 100_000 {
            return Err(StoreError::Invalid("内容不能超过 10 万字".into()));
        }
        let html = match body.trim() {
            "" => String::new(),
            // Pasted HTML starts with a tag; anything else is text (a `<` in it stays a `<`).
            t if t.starts_with('<') => gongkai_core::html::sanitize(t),
            t => gongkai_core::html::from_plain_text(t),
        };
        let mut tx = self.pool.begin().await?;
        tx.ex()
            .execute(Sql(
                "DELETE FROM org_pages WHERE org_id = $1 AND kind = $2",
                vec![org.id.into(), kind.as_str().into()],
            ))
            .await?;
        if !html.trim().is_empty() {
            tx.ex()
                .execute(Sql(
                    "INSERT INTO org_pages (org_id, kind, body, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)",
                    vec![
                        org.id.into(),
                        kind.as_str().into(),
                        html.as_str().into(),
                        ctx.actor.as_str().into(),
                        self.now().into(),
                    ],
                ))
                .await?;
        }
        tx.audit(
            ctx,
            "org.page",
            "org",
            org.code().to_string(),
            String::new(),
            json!({ "kind": kind.as_str(), "chars": html.chars().count() }).to_string(),
        )
        .await?;
        tx.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_by_field() {
        assert!(check_settings(&SiteSettings::default()).is_empty());
        let bad = SiteSettings {
            site_name: " ".into(),
            site_code: "50-01".into(),
            topics_extra: vec!["一".repeat(41)],
            ..Default::default()
        };
        let fields: Vec<&str> = check_settings(&bad).into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["site_name", "site_code", "topics_extra"]);
    }

    #[test]
    fn list_lines_are_cleaned() {
        assert_eq!(clean_line("  乡村振兴\u{7} "), "乡村振兴");
        assert_eq!(clean_line(&"字".repeat(50)).chars().count(), 40);
    }
}
