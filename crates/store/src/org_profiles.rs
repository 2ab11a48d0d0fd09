//! 机构概况 and 领导之窗 in the store: an org's profile and its leaders, saved together with
//! an audit row by its editors or the office above (`Actor::may_keep_registers`); read by
//! anyone, as the public pages show them. The rules are `core::org_profile`.

use crate::audit::AuditCtx;
use crate::db::{Sql, org_path};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use gongkai_core::Actor;
use gongkai_core::org_profile::{self, Leader, Profile, ProfileRefusal};
use sea_query::Value;
use serde_json::json;

impl From<ProfileRefusal> for StoreError {
    fn from(e: ProfileRefusal) -> Self {
        Self::Invalid(e.to_string())
    }
}

/// A stored profile: the fields, its leaders, and who saved it when.
#[derive(Debug, Clone, Default)]
pub struct StoredProfile {
    pub profile: Profile,
    pub leaders: Vec<Leader>,
    pub updated_by: String,
    pub updated_at: Option<DateTime<Utc>>,
}

impl Store {
    /// An org's profile (empty when never saved).
    pub async fn org_profile(&self, org_id: i64) -> Result<StoredProfile, StoreError> {
        let mut conn = self.pool.conn().await?;
        type Row = (String, String, String, String, String, String, String, String, DateTime<Utc>);
        let row: Option<Row> = conn
            .ex()
            .fetch_optional(Sql(
                "SELECT functions, departments, address, office_hours, phone, fax, head, updated_by, updated_at \
                 FROM org_profiles WHERE org_id = $1",
                vec![org_id.into()],
            ))
            .await?;
        let leaders: Vec<(String, String, String, String)> = conn
            .ex()
            .fetch_all(Sql(
                "SELECT name, title, duties, resume FROM org_leaders WHERE org_id = $1 ORDER BY position",
                vec![org_id.into()],
            ))
            .await?;
        let leaders =
            leaders.into_iter().map(|(name, title, duties, resume)| Leader { name, title, duties, resume }).collect();
        Ok(match row {
            Some((functions, departments, address, office_hours, phone, fax, head, by, at)) => StoredProfile {
                profile: Profile { functions, departments, address, office_hours, phone, fax, head },
                leaders,
                updated_by: by,
                updated_at: Some(at),
            },
            None => StoredProfile { leaders, ..Default::default() },
        })
    }

    /// Saves an org's profile and its leaders (replacing the ones before), audited.
    pub async fn save_org_profile(
        &self,
        ctx: &AuditCtx,
        actor: &Actor,
        org_id: i64,
        profile: &Profile,
        leaders: &[Leader],
    ) -> Result<(), StoreError> {
        let (p, leaders) = org_profile::check(profile, leaders)?;
        let mut tx = self.pool.begin().await?;
        actor.may_keep_registers(&org_path(&mut tx, org_id).await?)?;
        let now = tx.now;
        let by = String::from(actor.username.clone());
        tx.ex().execute(Sql("DELETE FROM org_profiles WHERE org_id = $1", vec![org_id.into()])).await?;
        tx.ex().execute(Sql("DELETE FROM org_leaders WHERE org_id = $1", vec![org_id.into()])).await?;
        tx.ex()
            .execute(Sql(
                "INSERT INTO org_profiles (org_id, functions, departments, address, office_hours, phone, fax, head, \
                 updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                vec![
                    org_id.into(),
                    p.functions.clone().into(),
                    p.departments.clone().into(),
                    p.address.clone().into(),
                    p.office_hours.clone().into(),
                    p.phone.clone().into(),
                    p.fax.clone().into(),
                    p.head.clone().into(),
                    by.into(),
                    now.into(),
                ],
            ))
            .await?;
        let rows: Vec<Vec<Value>> = leaders
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    org_id.into(),
                    (i as i64).into(),
                    l.name.clone().into(),
                    l.title.clone().into(),
                    l.duties.clone().into(),
                    l.resume.clone().into(),
                ]
            })
            .collect();
        crate::db::insert_rows(&mut tx, "org_leaders (org_id, position, name, title, duties, resume)", rows).await?;
        tx.audit(
            ctx,
            "org.profile",
            "org",
            org_id.to_string(),
            String::new(),
            json!({ "profile": p, "leaders": leaders }).to_string(),
        )
        .await?;
        tx.commit().await
    }
}
