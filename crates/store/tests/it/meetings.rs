//! Meeting applications on every backend: the same idempotency key sent twice at once files
//! one application and answers it to both; the key with another person's details is refused.

use crate::common;

use chrono::NaiveDate;
use gongkai_core::Role;
use gongkai_core::attendance::{SeatKind, Topic};
use gongkai_store::{AttendanceError, AuditCtx, StoreError};

#[tokio::test]
async fn one_application_per_key_even_when_sent_twice_at_once() {
    for t in common::all().await {
        let store = &t.store;
        let ctx = AuditCtx::cli();
        common::org(store, None, "11500114009130039C", "重庆市黔江区人民政府").await;
        let office = common::staff(store, "11500114009130039C", "office1", vec![Role::Supervisor]).await;
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).expect("date");
        let topics = vec![Topic { title: "审议停车管理办法".into(), consulted: true }];
        let m = store
            .announce_meeting(&ctx, &office, "区政府第46次常务会议", topics, [2, 0, 0, 0], "", day(15), day(10))
            .await
            .expect("announced");
        let apply = |name: &'static str, key: &'static str| {
            store.apply_to_attend(m.id, SeatKind::Public, name, "居民", "13912345678", "", Some(key), day(1))
        };
        let (a, b) = tokio::join!(apply("陈晓华", "k-1"), apply("陈晓华", "k-1"));
        let (a, b) = (a.expect("first"), b.expect("second"));
        assert_eq!(a.0.id, b.0.id, "{}: the same application", t.name);
        assert_eq!(u8::from(a.1) + u8::from(b.1), 1, "{}: filed once", t.name);
        assert!(
            matches!(apply("林峰", "k-1").await, Err(AttendanceError::Store(StoreError::KeyReused))),
            "{}: the key with another person",
            t.name
        );
        assert_eq!(store.applications(m.id).await.expect("applications").len(), 1, "{}", t.name);
    }
}
