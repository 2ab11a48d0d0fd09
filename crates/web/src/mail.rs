//! E-mail: the tracking number and query code to an applicant who gave an address, and a
//! daily reminder to each org's request handlers of the requests due within three working
//! days or overdue. Off unless configured; `smtp` sends through a server (TLS from the URL),
//! `file` writes each message as an .eml file (for checking a deployment, and in tests).
//! A message that cannot be sent is logged; nothing waits for it.

use crate::AppState;
use gongkai_store::Request;
use lettre::message::SinglePart;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A configured way to send.
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    /// From the configuration; `None` when mail is off.
    pub fn from_config(c: &crate::WebConfig) -> Result<Option<Self>, String> {
        match c.mail_transport.as_str() {
            "" | "off" => Ok(None),
            "smtp" => AsyncSmtpTransport::<Tokio1Executor>::from_url(&c.mail_smtp_url)
                .map(|b| Some(Mailer::Smtp(b.build())))
                .map_err(|e| format!("mail_smtp_url 无效：{e}")),
            "file" => {
                std::fs::create_dir_all(&c.mail_dir).map_err(|e| format!("无法创建 {}：{e}", c.mail_dir.display()))?;
                Ok(Some(Mailer::File(AsyncFileTransport::<Tokio1Executor>::new(&c.mail_dir))))
            }
            other => Err(format!("mail_transport「{other}」无效，可选：off、smtp、file")),
        }
    }

    /// Sends a plain-text message.
    pub async fn send(&self, from: &str, to: &str, subject: &str, body: String) -> Result<(), String> {
        let msg = Message::builder()
            .from(from.parse().map_err(|e| format!("发件人地址有误：{e}"))?)
            .to(to.parse().map_err(|e| format!("收件人地址有误：{e}"))?)
            .subject(subject)
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .header(ContentTransferEncoding::Base64)
                    .body(body),
            )
            .map_err(|e| e.to_string())?;
        match self {
            Mailer::Smtp(t) => t.send(msg).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::File(t) => t.send(msg).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

/// Tells an applicant their tracking number and query code (in the background).
pub fn confirm_filing(state: &AppState, r: &Request, org_name: &str, due: Option<(Option<chrono::NaiveDate>, bool)>) {
    let (Some(mailer), false) = (state.mailer.clone(), r.email.trim().is_empty()) else { return };
    let from = state.config.mail_from.clone();
    let to = r.email.trim().to_string();
    let status = format!(
        "{}/requests/status?tracking_no={}&code={}",
        state.config.public_url.trim_end_matches('/'),
        r.tracking_no,
        r.query_code
    );
    let body = format!(
        "{name}：\n\n{org}已收到您的政府信息公开申请。\n\n申请编号：{no}\n查询码：{code}\n收到申请之日：{received}\n答复期限：{due}（20 个工作日内；依法延长或征求第三方意见的，另行告知）\n\n查看办理进度：{status}\n\n请妥善保管查询码。本邮件由政府信息公开平台自动发送，请勿直接回复。\n",
        name = r.name,
        org = org_name,
        no = r.tracking_no,
        code = r.query_code,
        received = r.received_on,
        due = match due {
            Some((Some(d), provisional)) => gongkai_core::request::due_label(d, provisional),
            _ => "见办理进度".into(),
        },
    );
    let subject = format!("政府信息公开申请已收到（{}）", r.tracking_no);
    send_later(mailer, from, to, subject, body, "the filing confirmation");
}

/// Sends a message in the background: the person's page never waits on the mail server,
/// and a failure is logged with what it was.
fn send_later(
    mailer: std::sync::Arc<Mailer>,
    from: String,
    to: String,
    subject: String,
    body: String,
    what: &'static str,
) {
    tokio::spawn(async move {
        if let Err(e) = mailer.send(&from, &to, &subject, body).await {
            tracing::warn!(error = %e, "could not send {what}");
        }
    });
}

/// The handlers' reminders once a day at `mail_reminder_hour` (Beijing), by one node of
/// however many share the database.
pub async fn daily_reminders(state: AppState) {
    if state.mailer.is_none() {
        return;
    }
    let hour = state.config.mail_reminder_hour;
    crate::app::schedule::daily(state, "reminders", hour, std::time::Duration::from_secs(1800), |state| async move {
        send_reminders(&state).await.map(|n| format!("{n} sent"))
    })
    .await
}

/// Sends each org's handlers the list of open requests due within three working days or
/// overdue. Answers how many messages were sent.
pub async fn send_reminders(state: &AppState) -> Result<usize, crate::AppError> {
    let Some(mailer) = state.mailer.clone() else { return Ok(0) };
    let cal = state.calendar().await?;
    let today = state.today();
    let mut sent = 0;
    for org in state.store.orgs().await? {
        let to = state.store.handler_emails(org.id).await?;
        if to.is_empty() {
            continue;
        }
        let mut lines = Vec::new();
        let pauses_of = state.store.request_pauses_under(&org.path).await?;
        for r in state.store.requests_under(&org.path, true, 10_000).await?.into_iter().filter(|r| r.org_id == org.id) {
            let clock = r.clock(pauses_of.get(&r.id).map(Vec::as_slice).unwrap_or_default());
            if clock.is_paused() {
                continue;
            }
            let Ok(Some(left)) = clock.days_left(&cal, today) else { continue };
            if left <= gongkai_core::request::REMIND_DAYS {
                let due = clock
                    .due_on(&cal)
                    .ok()
                    .flatten()
                    .map(|d| gongkai_core::request::due_label(d, clock.due_is_provisional(&cal)))
                    .unwrap_or_default();
                let status = if left < 0 {
                    format!("已逾期 {} 个工作日", -left)
                } else {
                    format!("剩余 {left} 个工作日")
                };
                lines.push((
                    left,
                    format!(
                        "- {}  {}（答复期限 {due}，{status}）",
                        r.tracking_no,
                        r.description.chars().take(40).collect::<String>()
                    ),
                ));
            }
        }
        if lines.is_empty() {
            continue;
        }
        lines.sort_by_key(|(left, _)| *left);
        let body = format!(
            "{}依申请公开办理提醒（{today}）：以下申请即将到期或已逾期，请及时办理。\n\n{}\n\n工作台：{}/admin/requests\n",
            org.name,
            lines.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n"),
            state.config.public_url.trim_end_matches('/')
        );
        let subject = format!("依申请公开办理提醒：{} 件即将到期或逾期", lines.len());
        for addr in &to {
            match mailer.send(&state.config.mail_from, addr, &subject, body.clone()).await {
                Ok(()) => sent += 1,
                Err(e) => tracing::warn!(error = %e, org = %org.name, "could not send a reminder"),
            }
        }
    }
    Ok(sent)
}

/// Tells a letter's writer, when they gave an e-mail address, that the reply is out.
pub fn letter_replied(state: &AppState, l: &gongkai_store::Letter) {
    let (Some(mailer), false) = (state.mailer.clone(), l.email.trim().is_empty()) else { return };
    let from = state.config.mail_from.clone();
    let to = l.email.trim().to_string();
    let status = format!(
        "{}/mailbox/status?tracking_no={}&code={}",
        state.config.public_url.trim_end_matches('/'),
        l.tracking_no,
        l.query_code
    );
    let body = format!(
        "{name}：\n\n您的来信（编号 {no}）已答复。\n\n查看答复并评价：{status}\n\n本邮件由政府信息公开平台自动发送，请勿直接回复。\n",
        name = l.name,
        no = l.tracking_no,
    );
    let subject = format!("您的来信已答复（{}）", l.tracking_no);
    send_later(mailer, from, to, subject, body, "the letter reply notice");
}
