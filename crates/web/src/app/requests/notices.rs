//! Notices of a request as a printable page and as a DOCX file, composed by
//! `core::notice` from the request, its events and the org tree.

use crate::{AppError, AppState};
use askama::Template;
use gongkai_core::OrgKind;
use gongkai_core::index_no::beijing_date;
use gongkai_core::notice::{Notice, NoticeFacts, NoticeKind, compose_with};
use gongkai_store::{AuditCtx, IssuedNotice, Org, Request};

/// 复议机关 of an org under 行政复议法 第二十四条: a department, sub-district or zone answers
/// to the government above it; a government or town to the government one level up.
pub fn review_body(org: &Org, orgs: &[Org]) -> String {
    let parent = org.parent_id.and_then(|p| orgs.iter().find(|o| o.id == p));
    match (org.kind, parent) {
        (_, Some(p)) if p.kind == OrgKind::Government => p.name.clone(),
        (OrgKind::Department | OrgKind::Subdistrict | OrgKind::Zone, _) => "本级人民政府".into(),
        _ => "上一级人民政府".into(),
    }
}

/// The facts of a notice of `kind` for a request.
pub async fn facts(state: &AppState, r: &Request, kind: NoticeKind) -> Result<NoticeFacts, AppError> {
    let orgs = state.store.orgs().await?;
    let org = orgs.iter().find(|o| o.id == r.org_id).ok_or_else(|| AppError::NotFound("单位".into()))?;
    let events = state.store.request_events(r.id).await?;
    let last = |step: &str| events.iter().rev().find(|e| e.step == step).map(|e| e.comment.clone()).unwrap_or_default();
    let cal = state.calendar().await?;
    let pauses = state.store.request_pauses(r.id).await?;
    let clock = r.clock(&pauses);
    let due_on = clock.due_on(&cal).ok().flatten();
    let due_provisional = clock.due_is_provisional(&cal);
    let (detail, days, dated) = match kind {
        NoticeKind::Clarification => (
            last("clarify.request"),
            15,
            events.iter().rev().find(|e| e.step == "clarify.request").map(|e| beijing_date(e.at)),
        ),
        NoticeKind::Extension => (
            last("extend"),
            r.extension_days.max(0) as u32,
            events.iter().rev().find(|e| e.step == "extend").map(|e| beijing_date(e.at)),
        ),
        NoticeKind::Reply => (r.reason.clone(), 0, r.replied_on),
        NoticeKind::Fee => (String::new(), 0, r.fee_notified_on),
        NoticeKind::Consultation => (String::new(), 0, pauses.last().map(|p| p.started_on)),
        NoticeKind::Acknowledgement => (String::new(), 0, Some(r.received_on)),
    };
    let addressee = if kind == NoticeKind::Consultation {
        pauses.last().map(|p| p.party.clone()).filter(|p| !p.is_empty()).unwrap_or_else(|| "第三方".into())
    } else {
        r.name.clone()
    };
    Ok(NoticeFacts {
        addressee,
        tracking_no: r.tracking_no.clone(),
        description: r.description.clone(),
        received_on: Some(r.received_on),
        due_on,
        due_provisional,
        org_name: org.name.clone(),
        review_body: review_body(org, &orgs),
        contact: org.contact.clone(),
        detail,
        days,
        fee: (r.fee_amount > 0 || !r.fee_basis.is_empty()).then(|| (r.fee_basis.clone(), r.fee_amount.max(0) as u32)),
        outcome: r.outcome(),
        dated: dated.or_else(|| Some(state.today())),
    })
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage<'a> {
    n: &'a Notice,
}

/// The notice as a printable page.
pub fn html(n: &Notice) -> Result<String, AppError> {
    NoticePage { n }.render().map_err(|e| AppError::Internal(e.into()))
}

/// The notice as a DOCX file laid out as 公文 are (`gongwen`): the issuing org as its
/// author, its date as the file's.
pub fn docx(n: &Notice) -> Result<Vec<u8>, AppError> {
    use gongkai_formats::gongwen::{self, BODY, PLAIN, RIGHT, TITLE, paragraph};
    let mut doc = gongwen::document().add_paragraph(paragraph(TITLE, &n.title));
    if !n.doc_no.is_empty() {
        doc = doc.add_paragraph(paragraph(PLAIN, &n.doc_no).align(docx_rs::AlignmentType::Center));
    }
    doc = doc.add_paragraph(paragraph(RIGHT, &n.reference)).add_paragraph(paragraph(PLAIN, &n.salutation));
    for p in &n.paragraphs {
        doc = doc.add_paragraph(paragraph(BODY, p));
    }
    doc = doc
        .add_paragraph(docx_rs::Paragraph::new().style(PLAIN))
        .add_paragraph(paragraph(RIGHT, &n.signature))
        .add_paragraph(paragraph(RIGHT, &n.date));
    let properties = gongwen::Properties { title: &n.title, author: &n.signature, dated: gongwen::read_date(&n.date) };
    gongwen::pack(doc, &properties).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

/// A composed notice as the response asked for (`docx` or a page).
pub fn respond(
    n: &Notice,
    kind: NoticeKind,
    tracking_no: &str,
    as_docx: bool,
) -> Result<axum::response::Response, AppError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    if as_docx {
        let name = format!("{}-{}.docx", kind.as_str(), tracking_no);
        Ok(crate::util::file_download(
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            &name,
            docx(n)?,
        ))
    } else {
        Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html(n)?).into_response())
    }
}

/// How many notices of each kind a request has reached: one 受理回执; one per 补正,
/// consultation, extension and fee step taken; one reply once it has an outcome.
pub fn reached(r: &Request, events: &[gongkai_store::RequestEvent]) -> Vec<(NoticeKind, i64)> {
    let count = |step: &str| events.iter().filter(|e| e.step == step).count() as i64;
    vec![
        (NoticeKind::Acknowledgement, 1),
        (NoticeKind::Clarification, count("clarify.request").max(i64::from(r.clarification_asked))),
        (NoticeKind::Consultation, count("consult.start")),
        (NoticeKind::Extension, count("extend").max(i64::from(r.extension_days > 0))),
        (NoticeKind::Fee, count("fee.notify").max(i64::from(r.fee_notified_on.is_some()))),
        (NoticeKind::Reply, i64::from(r.outcome().is_some())),
    ]
}

/// Issues every notice the request has reached and not yet been issued: composed from the
/// facts as they stand now (right after the step that reached it), numbered and frozen.
/// Answers the request's notices, as issued.
pub async fn issue_due(state: &AppState, r: &Request) -> Result<Vec<IssuedNotice>, AppError> {
    let events = state.store.request_events(r.id).await?;
    let mut issued = state.store.request_notices(r.id).await?;
    let mut added = false;
    for (kind, needed) in reached(r, &events) {
        let have = issued.iter().filter(|n| n.kind == kind.as_str()).count() as i64;
        for seq in have + 1..=needed {
            let facts = facts(state, r, kind).await?;
            let on = facts.dated.unwrap_or_else(|| state.today());
            let n = compose_for(state, r, kind).await?;
            state.store.issue_notice(&AuditCtx::system(), r.id, kind.as_str(), seq, on, n).await?;
            added = true;
        }
    }
    if added {
        issued = state.store.request_notices(r.id).await?;
    }
    Ok(issued)
}

/// The notice of `kind` as issued (the latest of its kind; `seq` picks an earlier one), or 404
/// when the request has not reached it.
pub async fn issued(state: &AppState, r: &Request, kind: NoticeKind, seq: Option<i64>) -> Result<Notice, AppError> {
    let all = issue_due(state, r).await?;
    all.into_iter()
        .rfind(|n| n.kind == kind.as_str() && seq.is_none_or(|s| s == n.seq))
        .map(|n| n.notice)
        .ok_or_else(|| AppError::NotFound("该申请尚无此文书".into()))
}

/// The reply notice as the applicant opens it with the query code (a wrong code, or no
/// reply yet, answers like an unknown number).
pub async fn reply_for_applicant(
    state: &AppState,
    tracking_no: &str,
    code: &str,
) -> Result<(Notice, String), AppError> {
    let not_found = || AppError::NotFound("告知书".into());
    let r = state.store.request_for_applicant(tracking_no, code).await?.ok_or_else(not_found)?;
    if r.outcome().is_none() {
        return Err(not_found());
    }
    Ok((issued(state, &r, NoticeKind::Reply, None).await?, r.tracking_no))
}

/// Composes a notice of a request.
pub async fn compose_for(state: &AppState, r: &Request, kind: NoticeKind) -> Result<Notice, AppError> {
    let org = state.store.org_by_id(r.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    let template = state.store.notice_template(&org, kind.as_str()).await?;
    Ok(compose_with(kind, &facts(state, r, kind).await?, template.as_deref()))
}

/// One kind's template as an org sees it.
pub struct TemplateText {
    pub kind: NoticeKind,
    pub body: String,
    /// True when the org has no text of its own and uses its parent's or the built-in one.
    pub inherited: bool,
}

/// The notice templates of the administrator's org, each its own text or the inherited one.
pub async fn templates(state: &AppState, actor: &gongkai_core::Actor) -> Result<(Org, Vec<TemplateText>), AppError> {
    let org = crate::app::orgs::own(state, actor).await?;
    actor.may_administer(&org.path)?;
    let own = state.store.own_notice_templates(org.id).await?;
    let mut out = Vec::new();
    for kind in NoticeKind::ALL.iter().copied() {
        let mine = own.iter().find(|(k, _)| k == kind.as_str()).map(|(_, b)| b.clone());
        let t = match mine {
            Some(body) => TemplateText { kind, body, inherited: false },
            None => TemplateText {
                kind,
                body: state.store.notice_template(&org, kind.as_str()).await?.unwrap_or_default(),
                inherited: true,
            },
        };
        out.push(t);
    }
    Ok((org, out))
}

/// Saves the administrator's org's text for one kind (empty: back to the inherited one).
pub async fn save_template(
    state: &AppState,
    actor: &gongkai_core::Actor,
    ctx: &gongkai_store::AuditCtx,
    kind: &str,
    body: &str,
) -> Result<(), AppError> {
    let org = crate::app::orgs::own(state, actor).await?;
    Ok(state.store.set_notice_template(ctx, Some(actor), &org, kind, body).await?)
}
