//! Site settings and org pages on every backend: defaults, who may change them, cleaning,
//! sanitising, inheritance of the rules page, and the audit trail.

use crate::common;

use common::{org, staff};
use gongkai_core::Role;
use gongkai_store::AuditCtx;
use gongkai_store::site::{PageKind, SiteSettings};

#[tokio::test]
async fn settings_and_pages_on_every_backend() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        let district = org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let bureau = org(store, Some("11500114009130039C"), "014109453", "黔江区统计局").await;
        let admin = staff(store, "11500114009130039C", "qj-admin", vec![Role::Admin]).await;
        let bureau_admin = staff(store, "014109453", "tj-admin", vec![Role::Admin]).await;
        let editor = staff(store, "11500114009130039C", "editor", vec![Role::Editor]).await;

        assert_eq!(store.site_settings().await.expect("read"), SiteSettings::default(), "{}", t.name);
        let wanted = SiteSettings {
            site_name: " 黔江区政府信息公开平台 ".into(),
            sponsor: "重庆市黔江区人民政府办公室".into(),
            site_code: "5001140001".into(),
            icp: "渝ICP备05003300号".into(),
            police_record: "渝公网安备 50011402000001号".into(),
            topics_extra: vec!["乡村振兴".into(), " ".into(), "乡村振兴".into(), "营商环境\u{7}".into()],
            genres_extra: vec!["会议纪要".into()],
            ..SiteSettings::default()
        };
        // Only an administrator of a top-level org.
        assert!(store.set_site_settings(&ctx, &editor, &wanted).await.is_err(), "{}", t.name);
        assert!(store.set_site_settings(&ctx, &bureau_admin, &wanted).await.is_err(), "{}", t.name);
        let bad = SiteSettings { site_code: "50-01".into(), ..wanted.clone() };
        assert!(store.set_site_settings(&ctx, &admin, &bad).await.is_err());
        assert_eq!(store.site_settings().await.expect("read"), SiteSettings::default(), "a refusal changes nothing");
        store.set_site_settings(&ctx, &admin, &wanted).await.expect("set");
        let got = store.site_settings().await.expect("read");
        assert_eq!(got.site_name, "黔江区政府信息公开平台");
        assert_eq!(got.topics_extra, ["乡村振兴", "营商环境"], "blank, repeated and control characters dropped");
        assert_eq!(got.genres_extra, ["会议纪要"]);
        assert_eq!(got.icp, "渝ICP备05003300号");

        // Pages: the district's rules apply below it until the bureau writes its own.
        assert!(store.org_page(&bureau, PageKind::Rules).await.expect("read").is_none());
        assert!(store.set_org_page(&ctx, &bureau_admin, &district, PageKind::Rules, "x").await.is_err(), "not above");
        assert!(store.set_org_page(&ctx, &editor, &district, PageKind::Rules, "x").await.is_err(), "not an admin");
        store
            .set_org_page(&ctx, &admin, &district, PageKind::Rules, "一、主动公开制度\n二、依申请公开制度")
            .await
            .expect("rules");
        let inherited = store.org_page(&bureau, PageKind::Rules).await.expect("read").expect("inherited");
        assert_eq!(inherited.from_org_id, district.id);
        assert!(inherited.body.contains("<p>一、主动公开制度</p>"), "{}", inherited.body);
        store
            .set_org_page(
                &ctx,
                &bureau_admin,
                &bureau,
                PageKind::Rules,
                "<p onclick=\"x()\">本局制度</p><script>alert(1)</script>",
            )
            .await
            .expect("own rules");
        let own = store.org_page(&bureau, PageKind::Rules).await.expect("read").expect("own");
        assert_eq!(own.from_org_id, bureau.id);
        assert!(
            own.body.contains("本局制度") && !own.body.contains("script") && !own.body.contains("onclick"),
            "{}",
            own.body
        );
        // The guide's addition is the org's own only.
        store
            .set_org_page(&ctx, &admin, &district, PageKind::GuideAddition, "周六上午也可现场申请。")
            .await
            .expect("guide");
        assert!(store.org_page(&district, PageKind::GuideAddition).await.expect("read").is_some());
        assert!(store.org_page(&bureau, PageKind::GuideAddition).await.expect("read").is_none());
        // An empty body removes the page.
        store.set_org_page(&ctx, &bureau_admin, &bureau, PageKind::Rules, "  ").await.expect("remove");
        assert_eq!(
            store.org_page(&bureau, PageKind::Rules).await.expect("read").expect("back").from_org_id,
            district.id
        );

        let chain = store.verify_audit_chain().await.expect("verify");
        assert!(chain.broken.is_none(), "{}", t.name);
    }
}
