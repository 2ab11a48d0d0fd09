//! A request to file in tests: 张三, a natural person, online, asking for a project's approval
//! documents. Tests change what they are about with struct update syntax.

use chrono::NaiveDate;
use gongkai_core::request::{Applicant, ApplicantType, Channel};
use gongkai_store::NewRequest;

/// A request to `org_id` received on `received_on`.
pub fn new_request(org_id: i64, received_on: NaiveDate) -> NewRequest {
    NewRequest {
        org_id,
        channel: Channel::Online,
        applicant: Applicant {
            kind: ApplicantType::NaturalPerson,
            name: "张三".into(),
            id_type: "居民身份证".into(),
            id_number: String::new(),
            credit_code: String::new(),
            legal_rep: String::new(),
            contact_person: String::new(),
            phone: "13800000000".into(),
            email: String::new(),
            address: "重庆市黔江区".into(),
            postcode: String::new(),
        },
        description: "某项目的批复文件".into(),
        doc_ref: String::new(),
        purpose: String::new(),
        form: "纸质".into(),
        delivery: String::new(),
        submitted_at: gongkai_store::Clock::system().now(),
        received_on,
        idempotency_key: None,
    }
}
