//! Demo content for `gongkai serve --demo`: orgs shaped like the issuers of the real
//! documents in `demo/corpus/` (with the codes their index numbers carry where the documents
//! show one, generated valid codes otherwise), their departments and towns, and one staff
//! account per role. Safe to run on every start: what exists is left alone, so a second
//! start duplicates nothing and never changes a password.

use anyhow::{Context, Result};
use chrono::Datelike;
use gongkai_core::catalog::Baseline;
use gongkai_core::{CreditCode, OrgIdent, OrgKind, Password, Role, Username};
use gongkai_store::auth::new_secret;
use gongkai_store::{AuditCtx, NewOrg, NewUser, Store};

/// (parent code, code, name, short name, kind). A code given as 17 characters is completed
/// with its check character; a 9- or 18-character code is used as it is.
const ORGS: &[(&str, &str, &str, &str, OrgKind)] = &[
    // 重庆市黔江区: corpus 004 (索引号 11500114009130039C/2017-00861).
    ("", "11500114009130039C", "重庆市黔江区人民政府", "黔江区政府", OrgKind::Government),
    ("11500114009130039C", "11500114709480021", "重庆市黔江区人民政府办公室", "黔江区政府办", OrgKind::Department),
    ("11500114009130039C", "11500114709480056", "重庆市黔江区发展和改革委员会", "黔江区发改委", OrgKind::Department),
    ("11500114009130039C", "11500114709480101", "重庆市黔江区城东街道办事处", "城东街道", OrgKind::Subdistrict),
    ("11500114009130039C", "11500114709480144", "重庆市黔江区濯水镇人民政府", "濯水镇", OrgKind::Town),
    // 常州市: corpus 003 (常州市经济和信息化委员会, 索引号 014109453/2018-00070) and
    // corpus 000 (常州市武进区人民政府).
    ("", "11320400014070126", "常州市人民政府", "常州市政府", OrgKind::Government),
    ("11320400014070126", "014109453", "常州市经济和信息化委员会", "常州市经信委", OrgKind::Department),
    ("11320400014070126", "11320412014155302", "常州市武进区人民政府", "武进区政府", OrgKind::Government),
    ("11320412014155302", "11320412014155417", "常州市武进区人民政府办公室", "武进区政府办", OrgKind::Department),
    ("11320412014155302", "11320412014158006", "常州市武进区湖塘镇人民政府", "湖塘镇", OrgKind::Town),
    ("11320412014158006", "54320412MEA200111", "常州市武进区湖塘镇新城村村民委员会", "新城村", OrgKind::Village),
    ("11320412014155302", "11320412014158102", "常州市武进区牛塘镇人民政府", "牛塘镇", OrgKind::Town),
    // 永州市: corpus 002 (永州市人民政府办公室, 永政办函〔2018〕42号).
    ("", "11431100006102021", "永州市人民政府", "永州市政府", OrgKind::Government),
    ("11431100006102021", "11431100006102030", "永州市人民政府办公室", "永州市政府办", OrgKind::Department),
    ("11431100006102021", "11431100006102101", "永州市发展和改革委员会", "永州市发改委", OrgKind::Department),
    ("11431100006102021", "11431102006200115", "永州市零陵区人民政府", "零陵区政府", OrgKind::Government),
    // 漳州市芗城区: corpus 001 (a 2016 政务公开 plan of a 芗城区 bureau that runs the 12328
    // transport hotline, after 漳芗政办〔2016〕91号).
    ("", "11350602003537013", "漳州市芗城区人民政府", "芗城区政府", OrgKind::Government),
    ("11350602003537013", "11350602003537110", "漳州市芗城区交通运输局", "芗城区交通运输局", OrgKind::Department),
];

/// (user name, display name, org code, roles).
const USERS: &[(&str, &str, &str, &[Role])] = &[
    ("admin", "平台管理员", "11500114009130039C", &[Role::Admin, Role::Supervisor]),
    // 三员: accounts and the audit trail are kept by two other people.
    ("security", "安全管理员", "11500114009130039C", &[Role::SecurityAdmin]),
    ("auditor", "审计管理员", "11500114009130039C", &[Role::Auditor]),
    ("gongkaiban", "区政务公开办", "11500114009130039C", &[Role::Supervisor]),
    ("editor", "信息编辑", "11500114709480021", &[Role::Editor]),
    ("reviewer", "保密审查员", "11500114709480021", &[Role::Reviewer]),
    ("approver", "分管领导", "11500114709480021", &[Role::Approver]),
    ("handler", "依申请办理员", "11500114709480021", &[Role::RequestHandler]),
    ("xinxiang", "信箱办理员", "11500114709480021", &[Role::LetterHandler]),
    ("fgw-xinxiang", "发改委信箱办理员", "11500114709480056", &[Role::LetterHandler, Role::Reviewer]),
    ("fgw-leader", "发改委分管领导", "11500114709480056", &[Role::Approver]),
    ("wujin-admin", "武进区管理员", "11320412014155302", &[Role::Admin]),
    ("wujin-security", "武进区安全管理员", "11320412014155302", &[Role::SecurityAdmin]),
    // A request handler and an approver wherever a 黔江 request can land (filed to the
    // org, or 不确定 to the district government), so each can be handled and signed off.
    ("qj-shenqing", "区政府依申请办理员", "11500114009130039C", &[Role::RequestHandler]),
    ("qj-leader", "区政府分管领导", "11500114009130039C", &[Role::Approver]),
    ("fgw-shenqing", "发改委依申请办理员", "11500114709480056", &[Role::RequestHandler]),
    ("cd-shenqing", "城东街道依申请办理员", "11500114709480101", &[Role::RequestHandler]),
    ("cd-leader", "城东街道分管领导", "11500114709480101", &[Role::Approver]),
    ("zs-shenqing", "濯水镇依申请办理员", "11500114709480144", &[Role::RequestHandler]),
    ("zs-leader", "濯水镇分管领导", "11500114709480144", &[Role::Approver]),
    // 常州 and 永州: each government's disclosure office handles and routes what lands in its
    // tree, and its leader signs off.
    ("cz-gongkai", "常州市政务公开办", "11320400014070126", &[Role::Supervisor, Role::RequestHandler]),
    ("cz-leader", "常州市政府分管领导", "11320400014070126", &[Role::Approver]),
    ("yz-gongkai", "永州市政务公开办", "11431100006102021", &[Role::Supervisor, Role::RequestHandler]),
    ("yz-leader", "永州市政府分管领导", "11431100006102021", &[Role::Approver]),
    // And in every other org a request may be filed to.
    ("czjxw-shenqing", "常州市经信委依申请办理员", "014109453", &[Role::RequestHandler]),
    ("czjxw-leader", "常州市经信委分管领导", "014109453", &[Role::Approver]),
    ("wj-shenqing", "武进区政府依申请办理员", "11320412014155302", &[Role::RequestHandler]),
    ("wj-leader", "武进区政府分管领导", "11320412014155302", &[Role::Approver]),
    ("wjb-shenqing", "武进区政府办依申请办理员", "11320412014155417", &[Role::RequestHandler]),
    ("wjb-leader", "武进区政府办分管领导", "11320412014155417", &[Role::Approver]),
    ("ht-shenqing", "湖塘镇依申请办理员", "11320412014158006", &[Role::RequestHandler]),
    ("ht-leader", "湖塘镇分管领导", "11320412014158006", &[Role::Approver]),
    ("nt-shenqing", "牛塘镇依申请办理员", "11320412014158102", &[Role::RequestHandler]),
    ("nt-leader", "牛塘镇分管领导", "11320412014158102", &[Role::Approver]),
    ("yzb-shenqing", "永州市政府办依申请办理员", "11431100006102030", &[Role::RequestHandler]),
    ("yzb-leader", "永州市政府办分管领导", "11431100006102030", &[Role::Approver]),
    ("yzfgw-shenqing", "永州市发改委依申请办理员", "11431100006102101", &[Role::RequestHandler]),
    ("yzfgw-leader", "永州市发改委分管领导", "11431100006102101", &[Role::Approver]),
    ("ll-shenqing", "零陵区政府依申请办理员", "11431102006200115", &[Role::RequestHandler]),
    ("ll-leader", "零陵区政府分管领导", "11431102006200115", &[Role::Approver]),
];

fn ident(code: &str) -> Result<OrgIdent> {
    if code.len() == 17 { Ok(OrgIdent::Credit(CreditCode::complete(code)?)) } else { Ok(OrgIdent::parse(code)?) }
}

/// The real documents of demo/corpus, compiled in so the demo works from any directory,
/// each with the demo org it is filed under, its section and the catalog header its
/// publisher's page would show where the capture has none. Corpus 001 was captured without
/// a date or a header: the header gives it its issuer, its classification and a date in
/// the middle of its year, after the 〔2016〕91号 notice it follows (docs/DECISIONS.md).
const DOCUMENTS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "000_a46ebe3c9fae9831.txt",
        "11320412014155302",
        "行政法规、规章和规范性文件",
        "  • 主题分类 综合政务\n  • 体裁分类 意见\n\n",
        include_str!("../../../demo/corpus/000_a46ebe3c9fae9831.txt"),
    ),
    (
        "001_48fbd0a234bc08f9.txt",
        "11350602003537110",
        "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
        "  • 主题分类 综合政务\n  • 体裁分类 规划计划总结\n  • 发布日期 2016-06-30\n  • 发布机构 漳州市芗城区交通运输局\n\n",
        include_str!("../../../demo/corpus/001_48fbd0a234bc08f9.txt"),
    ),
    (
        "002_b0d84d08535e947a.txt",
        "11431100006102030",
        "行政法规、规章和规范性文件",
        "  • 主题分类 综合政务\n  • 体裁分类 通知\n\n",
        include_str!("../../../demo/corpus/002_b0d84d08535e947a.txt"),
    ),
    (
        "003_b2b1b5630be58451.txt",
        "014109453",
        "国民经济和社会发展规划、专项规划、区域规划及相关政策",
        "",
        include_str!("../../../demo/corpus/003_b2b1b5630be58451.txt"),
    ),
    (
        "004_0bc03b790c89a567.txt",
        "11500114709480021",
        "行政法规、规章和规范性文件",
        "",
        include_str!("../../../demo/corpus/004_0bc03b790c89a567.txt"),
    ),
];

/// A town's own notice (content written for the demo, no real document), so 濯水镇's page,
/// its catalog section and a search for 濯水 show an item of its own.
const TOWN_NOTICE: (&str, &str, &str, &str, &str) = (
    "demo-zhuoshui-2026-23.txt",
    "11500114709480144",
    "农田水利工程建设运营",
    "信息名称:重庆市黔江区濯水镇人民政府关于做好2026年冬春农田水利基本建设工作的通知\n\
     发文字号:濯水府发〔2026〕23号\n主题分类:农业、林业、水利\n体裁分类:通知\n成文日期:2026-11-16\n\
     发布日期:2026-11-18\n发布机构:重庆市黔江区濯水镇人民政府\n\
     内容概述:部署全镇2026年冬春农田水利基本建设，明确山坪塘整治、渠系配套和高标准农田建设任务及完成时限。\n",
    "重庆市黔江区濯水镇人民政府关于做好2026年冬春农田水利基本建设工作的通知\n\
     各村（社区），镇属各单位：\n\
     为夯实农业发展基础，保障明年春耕生产用水，经镇政府研究，现就做好今冬明春农田水利基本建设工作通知如下。\n\
     一、目标任务。今冬明春全镇完成山坪塘整治12口，新建和维修渠系8.5公里，配合区农业农村委完成高标准农田建设1200亩。\n\
     二、时间安排。2026年11月底前完成项目摸底和方案编制；2027年3月底前完成全部工程建设；4月上旬组织验收。\n\
     三、工作要求。各村（社区）要明确专人负责，严格执行项目公示制度，工程项目名称、资金来源、建设内容和施工单位在村务公开栏公示不少于7天，接受群众监督。\n\
     四、资金管理。项目资金实行专账核算、专款专用，按工程进度拨付，任何单位和个人不得截留、挪用。\n\
     镇农业服务中心负责统筹协调和技术指导，联系电话：023-79260000（演示号码）。\n\
     重庆市黔江区濯水镇人民政府\n2026年11月16日\n",
);

/// A demo account created by this run, with the password to show once.
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub org: String,
    pub roles: Vec<Role>,
    pub password: String,
}

/// Creates what is missing; answers the accounts created now (empty on later starts).
pub async fn ensure(store: &Store, files: &gongkai_store::files::Blobs) -> Result<Vec<NewAccount>> {
    let ctx = AuditCtx::system();
    for (parent, code, name, short, kind) in ORGS {
        let ident = ident(code).with_context(|| format!("演示单位代码 {code}"))?;
        if store.org_by_code(ident.as_str()).await?.is_some() {
            continue;
        }
        let parent_code = if parent.is_empty() { None } else { Some(self::ident(parent)?.as_str().to_string()) };
        store
            .create_org(
                &ctx,
                NewOrg { parent_code, ident, name: name.to_string(), short_name: short.to_string(), kind: *kind },
            )
            .await
            .with_context(|| format!("添加演示单位 {name}"))?;
    }
    let mut created = Vec::new();
    for (username, display, org_code, roles) in USERS {
        let name = Username::parse(username)?;
        if store.user_by_username(&name).await?.is_some() {
            continue;
        }
        let org = ident(org_code)?;
        // Random, meets the policy (letters, digits and '-'), shown once.
        let password = format!("{}-2026", &new_secret("p")[2..18]);
        let hash = store.hash_password(&Password::parse(&password)?)?;
        store
            .create_user(
                &ctx,
                NewUser {
                    org_code: org.as_str().to_string(),
                    username: name,
                    display_name: display.to_string(),
                    password_hash: hash,
                    roles: roles.to_vec(),
                },
            )
            .await
            .with_context(|| format!("添加演示账号 {username}"))?;
        let org_name = store.org_by_code(org.as_str()).await?.map(|o| o.name).unwrap_or_default();
        created.push(NewAccount {
            username: username.to_string(),
            display_name: display.to_string(),
            org: org_name,
            roles: roles.to_vec(),
            password,
        });
    }
    // Baseline catalogs: governments and departments get the district one, towns and
    // sub-districts the town one.
    for org in store.orgs().await? {
        let kind = match org.kind {
            OrgKind::Government | OrgKind::Department => Baseline::District,
            OrgKind::Town | OrgKind::Subdistrict | OrgKind::Zone => Baseline::Town,
            OrgKind::Village => continue,
        };
        store.apply_baseline(&ctx, None, org.id, kind).await?;
    }
    for (name, org_code, section, header, text) in DOCUMENTS.iter().chain([TOWN_NOTICE].iter()) {
        let org =
            store.org_by_code(ident(org_code)?.as_str()).await?.with_context(|| format!("演示单位 {org_code}"))?;
        let section_id = store.sections(org.id).await?.into_iter().find(|s| s.name == *section).map(|s| s.id);
        let target = gongkai_store::importer::ImportTarget { org_id: org.id, section_id };
        let source = if name.starts_with("demo-") { format!("demo/{name}") } else { format!("demo/corpus/{name}") };
        let report = gongkai_store::importer::import_document(
            store,
            &ctx,
            target,
            &source,
            format!("{header}{text}").as_bytes(),
            "txt",
        )
        .await;
        if let Err(e) = report.outcome {
            anyhow::bail!("导入演示文件 {name} 失败：{e}");
        }
    }
    // The disclosure offices' contact lines (fictional numbers) for the notices and the 指南.
    for org in store.orgs().await? {
        if org.contact.is_empty() && org.kind != OrgKind::Village {
            // Fictional addresses in the real places, marked as demo data.
            let (address, area) = if org.name.starts_with("重庆市") {
                ("重庆市黔江区城西街道行政中心路 1 号（演示地址），邮编 409000", "023")
            } else if org.name.starts_with("常州市") {
                ("江苏省常州市新北区龙锦路 1280 号（演示地址），邮编 213022", "0519")
            } else if org.name.starts_with("漳州市") {
                ("福建省漳州市芗城区腾飞路 1 号（演示地址），邮编 363000", "0596")
            } else {
                ("湖南省永州市冷水滩区零陵北路 1 号（演示地址），邮编 425000", "0746")
            };
            let contact = format!(
                "{}政务公开办公室，地址：{address}；工作日 9:00-12:00、14:00-17:30；电话 {area}-7920{:04}",
                org.name, org.id
            );
            // The district office numbers its notices as 黔江府办 does; the others by default.
            let pattern = if org.name.ends_with("人民政府办公室") {
                "黔江府办信公开〔{年}〕{号}号"
            } else {
                ""
            };
            store.set_org_contact(&ctx, org.id, &contact, pattern).await?;
        }
    }
    // A few requests (fictional applicants) so the workspace has something to show.
    let office = store.org_by_code(ident("11500114709480021")?.as_str()).await?.context("演示单位")?;
    if store.requests_under(&office.path, false, 1).await?.is_empty() {
        let today = store.today();
        let cal = store.calendar().await?;
        for (i, (name, what)) in [
            ("王小明", "2025年黔江区城市道路改造项目的立项批复文件"),
            ("李华", "黔江区2025年度财政预算执行情况的审计报告"),
            ("赵敏", "2025年黔江区城市道路改造项目的立项批复文件"),
        ]
        .into_iter()
        .enumerate()
        {
            // Received on earlier working days, so the clock shows days used.
            let mut received = today;
            for _ in 0..(3 + 7 * i) {
                received = received.pred_opt().unwrap_or(received);
                while cal.is_workday(received) == Ok(false) {
                    received = received.pred_opt().unwrap_or(received);
                }
            }
            let new = gongkai_store::NewRequest {
                org_id: office.id,
                channel: gongkai_core::request::Channel::Online,
                applicant: gongkai_core::request::Applicant {
                    kind: gongkai_core::request::ApplicantType::NaturalPerson,
                    name: name.into(),
                    id_type: "居民身份证".into(),
                    id_number: String::new(),
                    credit_code: String::new(),
                    legal_rep: String::new(),
                    contact_person: String::new(),
                    phone: format!("1380000000{i}"),
                    email: String::new(),
                    address: "重庆市黔江区（演示数据）".into(),
                    postcode: "409000".into(),
                },
                description: what.into(),
                doc_ref: String::new(),
                purpose: String::new(),
                form: "纸质".into(),
                delivery: String::new(),
                submitted_at: store.now(),
                received_on: received,
                idempotency_key: Some(format!("demo-{i}")),
            };
            let (r, _) = store.file_request(&ctx, new).await?;
            this_year_steps(store, &ctx, &r, i).await?;
        }
        last_year(store, &office).await?;
    }
    letters(store).await?;
    proposals(store).await?;
    consultations(store).await?;
    surveys(store).await?;
    meetings(store).await?;
    responding(store, files).await?;
    lists(store).await?;
    gazette(store).await?;
    notices(store).await?;
    cleanup(store).await?;
    assessment(store).await?;
    wording(store).await?;
    rules(store).await?;
    reprints(store).await?;
    media_and_training(store).await?;
    Ok(created)
}

/// The district government's 政府信息公开制度, shown in the 专栏 of every org below it (a
/// department or town may publish its own instead). Written for the demo after the 条例's
/// articles.
async fn rules(store: &Store) -> Result<()> {
    use gongkai_store::site::PageKind;
    let admin = staff(store, "admin").await?;
    let gov = store.org_by_code("11500114009130039C").await?.context("演示单位")?;
    if store.org_page(&gov, PageKind::Rules).await?.is_some() {
        return Ok(());
    }
    let text = "一、保密审查制度。拟公开的政府信息，由起草单位依照《中华人民共和国保守国家秘密法》和《中华人民共和国政府信息公开条例》第十七条进行保密审查；不能确定是否可以公开的，报有关主管部门或者保密行政管理部门确定。\n\
二、主动公开制度。属于条例第二十条、第二十一条规定范围的政府信息，自形成或者变更之日起 20 个工作日内予以公开；法律、法规对期限另有规定的，从其规定。\n\
三、依申请公开制度。区政府办公室政务公开科统一受理向区政府提出的政府信息公开申请，能够当场答复的当场答复，不能当场答复的自收到申请之日起 20 个工作日内答复；需要延长答复期限的，经负责人同意并告知申请人，延长期限最长不超过 20 个工作日。\n\
四、发布协调制度。拟发布的政府信息涉及其他机关的，与有关机关进行沟通、确认，保证发布的政府信息准确一致。\n\
五、监督考核制度。政务公开工作纳入区政府目标管理考核，分值权重不低于 4%；区政务公开办每季度通报各单位政务公开工作情况，每年 11 月组织年度自查。\n\
六、责任追究制度。对不依法履行政府信息公开职能、不及时更新公开内容或者违反规定收取费用的，依照条例第五十三条追究责任。";
    store.set_org_page(&AuditCtx::system(), &admin, &gov, PageKind::Rules, text).await?;
    Ok(())
}

/// 转载: the 条例 republished by the district office from the State Council's site, as seed
/// 004 (一) asks for policies of general bearing — its page names the source and links to the
/// original. The text is the regulation's own (official documents carry no copyright).
async fn reprints(store: &Store) -> Result<()> {
    const TITLE: &str = "中华人民共和国政府信息公开条例";
    let editor = staff(store, "editor").await?;
    let section = store.sections(editor.org_id).await?.into_iter().find(|s| s.name == "政策文件").map(|s| s.id);
    if store.items_in_org(editor.org_id, None, 10_000).await?.iter().any(|i| !i.reprinted_from.is_empty()) {
        return Ok(());
    }
    let text = include_str!("../../../demo/reprints/gov-info-disclosure-regulations.txt");
    let draft = gongkai_store::ItemDraft {
        title: TITLE.into(),
        issuer_name: "国务院".into(),
        topic: "综合政务".into(),
        genre: "法律法规".into(),
        section_id: section,
        written_on: chrono::NaiveDate::from_ymd_opt(2019, 4, 3),
        summary: "2007年4月5日国务院令第492号公布，2019年4月3日国务院令第711号修订，自2019年5月15日起施行。".into(),
        body: gongkai_core::html::from_plain_text(text),
        disclosure_attr: Some(gongkai_core::item::DisclosureAttr::Proactive),
        channels: vec!["网站".into()],
        reprinted_from: "中国政府网".into(),
        reprint_url: "https://www.gov.cn/zhengce/content/2019-04/15/content_5382991.htm".into(),
        ..Default::default()
    };
    let id = demo_item(store, draft, None).await?;
    run_steps(store, id, &PUBLISH).await
}

/// The district's own 表述检查词表: the leaders who speak at its press conferences with their
/// titles, and two forms its pages get wrong (the people are the demo's, as in its
/// conferences).
async fn wording(store: &Store) -> Result<()> {
    let office = staff(store, "gongkaiban").await?;
    let site = office.org_path.root_id().context("演示网站")?;
    if store.wording_list(site).await?.is_some() {
        return Ok(());
    }
    let text = "# 区领导及部门负责人（职务变动后请及时修改）\n\
                领导 | 李强 | 区委副书记、区人民政府区长、区长\n\
                领导 | 赵刚 | 区人民政府副区长、副区长\n\
                领导 | 张华 | 区统计局局长、局长\n\
                领导 | 刘强 | 区城市管理局局长、局长\n\
                领导 | 陈军 | 区住房城乡建委主任、主任\n\
                # 本区常见错误写法\n\
                严重 | 黔江区人名政府 | 黔江区人民政府\n\
                一般 | 阿篷江 | 阿蓬江\n";
    store.save_wording_list(&AuditCtx::system(), &office, text, None).await?;
    Ok(())
}

/// 政务新媒体 of the 黔江 orgs — the district's account updated this week with items
/// republished on it, one department's two weeks silent (a 单项否决 risk in the self-check),
/// a town's near the rule, a sub-district's closed — and this year's trainings and hearings,
/// so coverage shows who is still to be trained. Account names and people are illustrative.
async fn media_and_training(store: &Store) -> Result<()> {
    use gongkai_core::media::{AccountInput, Platform};
    use gongkai_core::training::{TrainingInput, TrainingKind};
    use gongkai_store::media::NewMediaUpdate;
    let ctx = AuditCtx::system();
    if !store.media_accounts(None).await?.is_empty() {
        return Ok(());
    }
    let office = staff(store, "gongkaiban").await?;
    let orgs = store.orgs().await?;
    let org = |name: &str| orgs.iter().find(|o| o.name == name).cloned().with_context(|| format!("演示单位 {name}"));
    let today = gongkai_core::index_no::beijing_date(store.now());
    let ago = |days: i64| today - chrono::Duration::days(days);
    // (org, platform, name, id, operator, opened days ago, updates days ago).
    type Account<'a> = (&'a str, Platform, &'a str, &'a str, &'a str, i64, &'a [i64]);
    let accounts: [Account; 5] = [
        ("重庆市黔江区人民政府", Platform::Wechat, "黔江发布", "qianjiangfabu", "区融媒体中心", 3650, &[30, 9, 2]),
        ("重庆市黔江区人民政府办公室", Platform::Weibo, "黔江区政府办", "qjqzfb", "区政府办公室综合科", 2900, &[12, 5]),
        ("重庆市黔江区发展和改革委员会", Platform::Wechat, "黔江发改", "qjfgw", "区发展改革委办公室", 2100, &[40, 16]),
        ("重庆市黔江区濯水镇人民政府", Platform::Douyin, "濯水古镇", "zhuoshui", "濯水镇党政办", 1200, &[25, 11]),
        ("重庆市黔江区城东街道办事处", Platform::Wechat, "城东街道", "qjchengdong", "城东街道党政办", 1800, &[120]),
    ];
    let mut ids = Vec::new();
    for (name, platform, account, handle, operator, opened, updates) in accounts {
        let o = org(name)?;
        let input = AccountInput {
            platform: Some(platform),
            name: account.into(),
            handle: handle.into(),
            url: String::new(),
            operator: operator.into(),
            review: "实行“三审三校”：编辑初审、科室负责人复审、分管领导终审；涉及政策发布的与本单位网站同步，涉密和敏感信息不得发布".into(),
            opened_on: Some(ago(opened)),
        };
        let id = store.create_media_account(&ctx, &office, o.id, &input).await?;
        for (i, days) in updates.iter().enumerate() {
            let new = NewMediaUpdate {
                posted_on: Some(ago(*days)),
                title: format!("{account}：{}", ["一周要闻回顾", "便民服务提示", "政策问答"][i % 3]),
                ..Default::default()
            };
            store.record_media_update(&ctx, &office, id, &new).await?;
        }
        ids.push(id);
    }
    // The district office's latest items republished on the district's account.
    let office_org = org("重庆市黔江区人民政府办公室")?;
    let items = store.spot_population(gongkai_core::spot_check::SampleKind::Items, office_org.id).await?;
    for (i, (item, _)) in items.iter().rev().take(2).enumerate() {
        let new = NewMediaUpdate { posted_on: Some(ago(1 + i as i64)), item_id: Some(*item), ..Default::default() };
        store.record_media_update(&ctx, &office, ids[0], &new).await?;
    }
    store
        .end_media_account(&ctx, &office, ids[4], None, "关注人数少、更新慢，按全区政务新媒体清理整合要求关停", ago(60))
        .await?;

    // The district office's 机构概况 and 领导之窗 (functions after such offices' published
    // ones; names illustrative).
    let profile = gongkai_core::org_profile::Profile {
        functions: "负责区政府机关日常运转，协助区政府领导同志处理区政府日常工作。\n负责区政府会议的组织和会议决定事项的督促检查。\n负责全区政务公开工作的组织协调、指导推进和监督检查，承担政府信息依申请公开的受理和办理。\n负责区政府门户网站、政府公报的管理。".into(),
        departments: "秘书科：负责区政府文电、会务和机要工作\n督查科：负责区政府重要工作部署的督促检查\n政务公开科：负责政务公开、政府信息公开和政府网站管理\n综合科：负责机关财务、人事和后勤工作".into(),
        address: "重庆市黔江区城西街道行政中心路 1 号（演示地址）".into(),
        office_hours: "工作日 上午 9:00-12:00，下午 14:00-17:30".into(),
        phone: "023-79220000（演示号码）".into(),
        fax: "023-79220001（演示号码）".into(),
        head: "张明（演示）".into(),
    };
    let leaders = gongkai_core::org_profile::parse_leaders(
        "张明（演示） | 主任 | 主持区政府办公室全面工作\n李华（演示） | 副主任 | 分管政务公开、政府网站和政府公报工作\n王强（演示） | 副主任 | 分管督查、信息和机关后勤工作",
    );
    store.save_org_profile(&ctx, &office, office_org.id, &profile, &leaders).await?;

    // This year's trainings and hearings, dated within the year.
    let year_start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let within = |days: i64| ago(days).max(year_start);
    let mut people = Vec::new();
    for name in ["editor", "reviewer", "approver", "handler", "xinxiang", "fgw-xinxiang", "fgw-leader", "qj-shenqing"] {
        people.push(staff(store, name).await?.user_id);
    }
    let gov = org("重庆市黔江区人民政府")?;
    let sessions = [
        (
            gov.id,
            TrainingKind::Training,
            within(230),
            "新修订《政府信息公开条例》与依申请公开办理实务",
            4,
            "区政务公开办",
            "区行政中心 3 楼会议室",
            people.clone(),
            36,
        ),
        (
            gov.id,
            TrainingKind::Training,
            within(85),
            "基层政务公开标准化规范化与公开事项目录编制",
            3,
            "区政务公开办",
            "濯水镇便民服务中心",
            vec![],
            24,
        ),
        (
            gov.id,
            TrainingKind::Hearing,
            within(255),
            "区政府常务会议听取2025年度政务公开工作情况汇报，研究部署本年度重点工作",
            0,
            "区长",
            "区政府常务会议室",
            vec![],
            0,
        ),
        (
            org("重庆市黔江区发展和改革委员会")?.id,
            TrainingKind::Hearing,
            within(200),
            "委务会听取并研究政务公开工作",
            0,
            "主任",
            "区发展改革委会议室",
            vec![],
            0,
        ),
    ];
    for (org_id, kind, held_on, topic, hours, lecturer, place, attendees, others) in sessions {
        let input = TrainingInput {
            kind,
            held_on,
            topic: topic.into(),
            hours,
            lecturer: lecturer.into(),
            place: place.into(),
            note: String::new(),
            attendees,
            others,
        };
        store.create_training(&ctx, &office, org_id, &input).await?;
    }
    Ok(())
}

/// The office's 考核 scheme for this year (the default with the publication target the
/// district set) and two adjustments with their reasons, so the scores, the chart and the
/// 通报 have a scored year to show.
async fn assessment(store: &Store) -> Result<()> {
    use gongkai_core::assessment::{Measure, Scoring, default_scheme};
    use gongkai_store::assessments::NewAdjustment;
    let ctx = AuditCtx::system();
    let office = staff(store, "gongkaiban").await?;
    let orgs = store.orgs().await?;
    let org = |name: &str| orgs.iter().find(|o| o.name == name).cloned().with_context(|| format!("演示单位 {name}"));
    let gov = org("重庆市黔江区人民政府")?;
    let year = chrono::Datelike::year(&gongkai_core::index_no::beijing_date(store.now()));
    if store.assessment_scheme(gov.id, year).await?.is_some() {
        return Ok(());
    }
    let mut scheme = default_scheme();
    for i in &mut scheme.indicators {
        if i.measure == Measure::Published {
            i.scoring = Scoring::Linear { zero: 0.0, full: 20.0 };
        }
        // Five of the columns' points go to the office's own judgement of leadership.
        if i.measure == Measure::SectionsFresh {
            i.weight = 10;
        }
    }
    scheme.indicators.push(gongkai_core::assessment::Indicator {
        measure: Measure::Manual,
        name: "组织领导与工作机制".into(),
        weight: 5,
        scoring: Scoring::Linear { zero: 0.0, full: 1.0 },
    });
    store.save_assessment_scheme(&ctx, &office, gov.id, year, &scheme, None).await?;
    for (name, value, evidence) in [
        ("重庆市黔江区人民政府办公室", 1.0, "查阅主任办公会纪要：3 月研究部署政务公开工作，明确分管领导和工作机构"),
        ("重庆市黔江区发展和改革委员会", 0.6, "委务会听取了工作汇报，但未明确政务公开工作机构和人员分工"),
    ] {
        let target = org(name)?;
        store.set_manual_score(&ctx, &office, gov.id, year, "组织领导与工作机制", target.id, value, evidence).await?;
    }
    for (name, points, reason) in [
        ("重庆市黔江区发展和改革委员会", -3.0, "第三季度抽查发现 3 条规范性文件未标注有效性，已通报并限期整改"),
        ("重庆市黔江区濯水镇人民政府", 2.0, "11 月组织镇村两级政务公开培训，覆盖全部 12 个村（社区），经核实加分"),
    ] {
        let target = org(name)?;
        let new = NewAdjustment { scheme_org: gov.id, year, org_id: target.id, points, reason };
        store.add_assessment_adjustment(&ctx, &office, new).await?;
    }
    // A spot check of the district office's items, one with an open 整改.
    let target = org("重庆市黔江区人民政府办公室")?;
    let population = store.spot_population(gongkai_core::spot_check::SampleKind::Items, target.id).await?;
    if !population.is_empty() {
        let new = gongkai_store::spot_checks::NewSpotCheck {
            org_id: target.id,
            kind: gongkai_core::spot_check::SampleKind::Items,
            seed: 20_261_120,
            population: population.iter().map(|(id, _)| *id).collect(),
            size: 3,
            note: "2026年第四季度政务公开抽查".into(),
        };
        let labels = population.into_iter().collect();
        let id = store.create_spot_check(&ctx, &office, new, &labels).await?;
        let due = gongkai_core::index_no::beijing_date(store.now()) + chrono::Duration::days(14);
        store
            .record_spot_finding(&ctx, &office, id, 0, true, "未标注文件有效性，发布机构与落款不一致", Some(due))
            .await?;
    }
    Ok(())
}

/// Demo rows of the structured lists, each set brought in by an adjustment that went the whole
/// review path: 权力清单, 收费目录, 双公示 (natural persons masked, one 公示期 already over),
/// 三公经费, 重大建设项目, 抽查结果, 政务服务事项; a 取消 with its basis, a 下放 waiting for
/// review and an import returned with its reason, so every console state has an example.
async fn lists(store: &Store) -> Result<()> {
    use gongkai_core::list::{AdjustKind, RowChange, Values};
    use gongkai_core::review::ReviewStep;
    use gongkai_store::NewAdjustment;
    let ctx = AuditCtx::system();
    if !store.list_adjustments(None, None, false, 1).await?.is_empty() {
        return Ok(());
    }
    let office = store.org_by_code(ident("11500114709480021")?.as_str()).await?.context("演示单位")?;
    let (editor, reviewer, approver) =
        (staff(store, "editor").await?, staff(store, "reviewer").await?, staff(store, "approver").await?);
    let today = store.today();
    let ago = |days: i64| today - chrono::Duration::days(days);
    let row =
        |fields: &[(&str, &str)]| -> Values { fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect() };
    let draft = |kind: &'static str,
                 adjust: AdjustKind,
                 basis: &'static str,
                 on: chrono::NaiveDate,
                 changes: Vec<RowChange>| {
        let (ctx, editor) = (ctx.clone(), editor.clone());
        let new = NewAdjustment {
            kind: kind.into(),
            org_id: office.id,
            adjust,
            basis: basis.into(),
            effective_on: on,
            changes,
        };
        async move { store.draft_list_adjustment(&ctx, &editor, new).await.with_context(|| format!("演示清单 {kind}")) }
    };
    let sign = |id: i64| {
        let (ctx, editor, reviewer, approver) = (ctx.clone(), editor.clone(), reviewer.clone(), approver.clone());
        async move {
            store.list_adjustment_step(&ctx, &editor, id, ReviewStep::Submit).await?;
            store.list_adjustment_step(&ctx, &reviewer, id, ReviewStep::Pass).await?;
            store.list_adjustment_step(&ctx, &approver, id, ReviewStep::Approve).await?;
            anyhow::Ok(())
        }
    };
    let add = |rows: Vec<Values>| rows.into_iter().map(|values| RowChange { row_id: None, values }).collect::<Vec<_>>();

    let powers = [
        (
            "500114-XK-001",
            "政府信息公开申请办理",
            "其他行政权力",
            "《中华人民共和国政府信息公开条例》第二十七条至第四十五条",
        ),
        ("500114-XK-002", "户外广告设施设置审批", "行政许可", "《城市市容和环境卫生管理条例》第十一条"),
        ("500114-CF-003", "对擅自设置大型户外广告的处罚", "行政处罚", "《城市市容和环境卫生管理条例》第三十六条"),
        ("500114-QZ-004", "查封、扣押违法建设施工工具", "行政强制", "《中华人民共和国城乡规划法》第六十八条"),
        ("500114-JF-005", "城乡居民最低生活保障金给付", "行政给付", "《社会救助暂行办法》第九条"),
        (
            "500114-JC-006",
            "对政府信息公开工作的监督检查",
            "行政检查",
            "《中华人民共和国政府信息公开条例》第四十六条、第四十七条",
        ),
        ("500114-QR-007", "农村宅基地使用权确认", "行政确认", "《中华人民共和国土地管理法》第六十二条"),
    ];
    let rows = powers
        .iter()
        .map(|(code, name, ty, basis)| {
            row(&[
                ("code", code),
                ("name", name),
                ("power_type", ty),
                ("basis", basis),
                ("subject", "重庆市黔江区人民政府办公室"),
                ("unit", "区政务公开办"),
                ("duties", "1. 受理阶段责任：公示依据、条件、程序和期限；2. 审查阶段责任：依法审查；3. 决定阶段责任：依法作出决定并说明理由；4. 送达阶段责任：依法送达；5. 事后监管责任：加强监督检查。"),
                ("accountability", "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：1. 对符合条件的申请不予受理、不予办理的；2. 未按规定时限办理的；3. 其他违反法律法规规章规定的行为。"),
            ])
        })
        .collect();
    let a =
        draft("power", AdjustKind::Add, "黔江府办发〔2026〕12号 关于公布区政府部门权力清单的通知", ago(200), add(rows))
            .await?;
    sign(a.id).await?;

    let fees = [
        ("区自然资源局", "不动产登记费", "住宅类每件80元；非住宅类每件550元", "发改价格规〔2016〕2559号"),
        ("区民政局", "殡葬服务收费（基本服务）", "遗体接运每次200元；遗体火化每具400元", "渝发改价〔2018〕1262号"),
        ("区市场监督管理局", "计量检定收费", "按《重庆市计量检定收费标准》执行", "渝价〔2005〕427号"),
        (
            "区公安分局",
            "居民身份证工本费",
            "首次申领、换领每证20元；丢失补领、损坏换领每证40元",
            "发改价格〔2003〕2322号",
        ),
    ];
    let rows = fees
        .iter()
        .map(|(d, n, st, b)| {
            row(&[
                ("department", d),
                ("name", n),
                ("collector", d),
                ("standard", st),
                ("basis", b),
                ("budget", "缴入国库"),
            ])
        })
        .collect();
    let a =
        draft("fee", AdjustKind::Add, "黔江财发〔2026〕3号 2026年行政事业性收费目录清单", ago(150), add(rows)).await?;
    sign(a.id).await?;

    let until = |d: i64| (today + chrono::Duration::days(d)).to_string();
    let penalties = [
        (
            "黔江区某某食品经营部",
            "个体工商户",
            "92500114MA5XXXXX8K",
            "黔江市监罚〔2026〕31号",
            "罚款",
            "经营超过保质期的食品",
            "《中华人民共和国食品安全法》第一百二十四条第一款第五项",
            "没收超过保质期的食品，罚款人民币伍仟元",
            "0.5",
            40,
            1055,
        ),
        (
            "刘建国",
            "自然人",
            "",
            "黔江交执罚〔2026〕118号",
            "罚款",
            "未取得道路运输经营许可，擅自从事道路客运经营",
            "《中华人民共和国道路运输条例》第六十三条",
            "罚款人民币壹万元",
            "1",
            25,
            1070,
        ),
        (
            "重庆某某建筑工程有限公司",
            "法人及非法人组织",
            "91500114MA60XXXX3B",
            "黔江住建罚〔2026〕7号",
            "罚款",
            "施工现场扬尘污染防治措施不到位",
            "《中华人民共和国大气污染防治法》第一百一十五条",
            "责令改正，罚款人民币叁万元",
            "3",
            60,
            1035,
        ),
        (
            "陈某某餐饮店",
            "个体工商户",
            "",
            "黔江市监罚〔2026〕36号",
            "警告",
            "未按规定公示食品经营许可证",
            "《中华人民共和国食品安全法》第一百二十六条",
            "警告",
            "",
            12,
            1083,
        ),
        (
            "张秀英",
            "自然人",
            "",
            "黔江城管罚〔2026〕52号",
            "罚款",
            "擅自占用城市道路摆摊设点",
            "《城市道路管理条例》第四十二条",
            "罚款人民币伍佰元",
            "0.05",
            390,
            -25,
        ),
    ];
    let rows = penalties
        .iter()
        .map(|(name, ty, code, no, cat, facts, basis, content, amount, days, left)| {
            let mut r = row(&[
                ("subject_name", name),
                ("subject_type", ty),
                ("decision_no", no),
                ("facts", facts),
                ("basis", basis),
                ("category", cat),
                ("content", content),
                ("amount", amount),
                (
                    "authority",
                    if no.contains("市监") {
                        "重庆市黔江区市场监督管理局"
                    } else if no.contains("交执") {
                        "重庆市黔江区交通运输综合行政执法支队"
                    } else if no.contains("住建") {
                        "重庆市黔江区住房和城乡建设委员会"
                    } else {
                        "重庆市黔江区城市管理局"
                    },
                ),
            ]);
            r.insert("decided_on".into(), ago(*days).to_string());
            r.insert("notice_until".into(), until(*left));
            if !code.is_empty() {
                r.insert(
                    "credit_code".into(),
                    gongkai_core::CreditCode::complete(&code[..17]).map(|c| c.as_str().to_string()).unwrap_or_default(),
                );
            }
            if *ty == "自然人" {
                r.insert("id_number".into(), "500239198803150012".into());
            }
            r.retain(|_, v| !v.is_empty());
            r
        })
        .collect();
    let a = draft("penalty", AdjustKind::Add, "行政处罚决定信息（双公示）2026年第三批", ago(10), add(rows)).await?;
    sign(a.id).await?;

    let licenses = [
        (
            "重庆某某商贸有限公司",
            "法人及非法人组织",
            "黔江户外广告许〔2026〕15号",
            "核准",
            "同意在城西大道设置户外广告牌一块，面积12平方米",
        ),
        ("黔江区某某药房", "个体工商户", "黔江药经许〔2026〕22号", "普通", "药品零售经营许可（新办）"),
        ("王德明", "自然人", "黔江农宅许〔2026〕63号", "普通", "同意在舟白街道建设农村村民住宅，占地面积120平方米"),
    ];
    let rows = licenses
        .iter()
        .enumerate()
        .map(|(i, (name, ty, no, cat, content))| {
            let mut r = row(&[
                ("subject_name", name),
                ("subject_type", ty),
                ("decision_no", no),
                ("category", cat),
                ("content", content),
                ("authority", "重庆市黔江区人民政府办公室"),
            ]);
            r.insert("decided_on".into(), ago(20 + i as i64 * 7).to_string());
            r.insert("valid_until".into(), until(700));
            r.insert("notice_until".into(), until(1000));
            r
        })
        .collect();
    let a = draft("license", AdjustKind::Add, "行政许可决定信息（双公示）2026年第四批", ago(5), add(rows)).await?;
    sign(a.id).await?;

    let year = today.format("%Y").to_string();
    let three = [
        (
            "重庆市黔江区人民政府办公室",
            "预算",
            "0.00",
            "12.00",
            "38.50",
            "9.80",
            "公务用车运行维护费较上年减少2.3万元，系车辆改革后保留车辆减少。",
        ),
        ("重庆市黔江区发展和改革委员会", "预算", "0.00", "0.00", "8.20", "3.10", "与上年持平。"),
        (
            "重庆市黔江区人民政府办公室",
            "决算",
            "0.00",
            "0.00",
            "40.12",
            "10.35",
            "公务接待费决算数较预算增加0.55万元，系承接上级检查接待任务增加。",
        ),
    ];
    let rows = three
        .iter()
        .enumerate()
        .map(|(i, (d, stage, abroad, buy, run, reception, note))| {
            let y = if i == 2 {
                (today.format("%Y").to_string().parse::<i32>().unwrap_or(2026) - 1).to_string()
            } else {
                year.clone()
            };
            row(&[
                ("year", &y),
                ("stage", stage),
                ("department", d),
                ("abroad", abroad),
                ("vehicle_purchase", buy),
                ("vehicle_running", run),
                ("reception", reception),
                ("explanation", note),
            ])
        })
        .collect();
    let a =
        draft("three_public", AdjustKind::Add, "黔江财预〔2026〕1号 关于批复2026年部门预算的通知", ago(280), add(rows))
            .await?;
    sign(a.id).await?;

    let projects = vec![
        row(&[
            ("name", "黔江区城市综合管廊一期工程"),
            ("owner", "重庆市黔江区城市建设投资（集团）有限公司"),
            ("stage", "实施"),
            ("approval", "黔江发改投〔2025〕88号"),
            ("investment", "86500"),
            ("location", "城西片区"),
            ("content", "建设综合管廊约12.6公里，含给水、电力、通信等管线入廊"),
            ("bidding", "2025年9月公开招标，中标单位：中国某某建设集团有限公司"),
        ]),
        row(&[
            ("name", "黔江区中心医院住院综合楼"),
            ("owner", "重庆市黔江中心医院"),
            ("stage", "竣工"),
            ("approval", "黔江发改投〔2023〕41号"),
            ("investment", "42300"),
            ("location", "城东街道"),
            ("content", "新建住院综合楼一栋，建筑面积5.8万平方米，床位800张"),
            ("started_on", "2023-11-08"),
            ("completed_on", "2026-06-30"),
        ]),
    ];
    let a =
        draft("project", AdjustKind::Add, "重大建设项目批准和实施信息（2026年第二季度更新）", ago(120), add(projects))
            .await?;
    sign(a.id).await?;

    let checks = vec![
        row(&[
            ("task", "2026年度政府信息公开工作随机抽查"),
            ("target", "重庆市黔江区舟白街道办事处"),
            ("subject", "区政务公开办"),
            ("method", "网络监测"),
            ("checked_on", &ago(45).to_string()),
            ("result", "发现问题已责令整改"),
            ("handling", "政策文件栏目3条信息未标注发布机构，已于5个工作日内整改完毕。"),
            ("notice_until", &until(320)),
        ]),
        row(&[
            ("task", "2026年度政府信息公开工作随机抽查"),
            ("target", "重庆市黔江区城西街道办事处"),
            ("subject", "区政务公开办"),
            ("method", "书面检查"),
            ("checked_on", &ago(44).to_string()),
            ("result", "未发现问题"),
            ("notice_until", &until(320)),
        ]),
    ];
    let a =
        draft("spot_check_results", AdjustKind::Add, "黔江府办〔2026〕45号 政务公开随机抽查结果", ago(40), add(checks))
            .await?;
    sign(a.id).await?;

    let services = vec![row(&[
        ("name", "政府信息公开申请"),
        ("category", "公共服务"),
        ("department", "重庆市黔江区人民政府办公室"),
        ("basis", "《中华人民共和国政府信息公开条例》"),
        ("conditions", "公民、法人或者其他组织均可申请获取政府信息。"),
        ("materials", "1. 政府信息公开申请表；2. 申请人身份证明（身份证、营业执照等）复印件。"),
        ("process", "提交申请→登记→补正（如需）→办理→答复→送达"),
        ("legal_days", "20"),
        ("promised_days", "15"),
        ("fee", "不收费（申请数量、频次明显超过合理范围的，按规定收取信息处理费）"),
        ("place", "区政务服务中心二楼政府信息公开受理窗口"),
        ("phone", "023-79222000"),
    ])];
    let a =
        draft("service", AdjustKind::Add, "黔江府办发〔2026〕20号 政务服务事项目录", ago(90), add(services)).await?;
    sign(a.id).await?;

    // 取消 one power with its document; 下放 another waiting for review; an import returned.
    let current =
        store.public_list_rows("power", &gongkai_store::RowQuery { limit: 50, ..Default::default() }, today).await?.0;
    let by_title = |t: &str| current.iter().find(|r| r.title == t).map(|r| r.id);
    if let Some(id) = by_title("对擅自设置大型户外广告的处罚") {
        let a = draft(
            "power",
            AdjustKind::Cancel,
            "渝府发〔2026〕9号 关于取消和调整一批行政权力事项的决定",
            ago(30),
            vec![RowChange { row_id: Some(id), values: Values::new() }],
        )
        .await?;
        sign(a.id).await?;
    }
    if let Some(id) = by_title("农村宅基地使用权确认") {
        let a = draft(
            "power",
            AdjustKind::Delegate,
            "黔江府发〔2026〕15号 关于向街道（乡镇）下放部分行政权力事项的决定",
            today,
            vec![RowChange { row_id: Some(id), values: Values::new() }],
        )
        .await?;
        store.list_adjustment_step(&ctx, &editor, a.id, ReviewStep::Submit).await?;
    }
    let extra = add(vec![row(&[
        ("department", "区教委"),
        ("name", "教师资格认定体检费"),
        ("standard", "按体检项目收费"),
        ("basis", "待核"),
    ])]);
    let a = draft("fee", AdjustKind::Add, "拟新增收费项目", today, extra).await?;
    store.list_adjustment_step(&ctx, &editor, a.id, ReviewStep::Submit).await?;
    store
        .list_adjustment_step(
            &ctx,
            &reviewer,
            a.id,
            ReviewStep::Return("政策依据须写明文件名称和文号；体检费不属于行政事业性收费，请核实".into()),
        )
        .await?;

    // The 政务公开负面清单 of the office, one matter due for review, and a withheld item
    // resting on another.
    let negative = add([
        (
            "区政府常务会议、专题会议讨论中的议题材料",
            "讨论记录、过程稿、磋商信函、请示报告等过程性信息",
            "《中华人民共和国政府信息公开条例》第十六条第二款",
            "会议讨论中的过程性信息，公开可能影响决策的正常作出；决定作出后按规定公开",
            ago(-200),
        ),
        (
            "信访事项办理中涉及信访人身份和反映内容的材料",
            "涉及商业秘密、个人隐私等第三方合法权益",
            "《中华人民共和国政府信息公开条例》第十五条；《信访工作条例》第二十四条",
            "公开会损害信访人的合法权益",
            ago(-90),
        ),
        (
            "机关内部人事考核、财务报销等管理信息",
            "人事管理、后勤管理、内部工作流程等内部事务信息",
            "《中华人民共和国政府信息公开条例》第十六条第一款",
            "属于行政机关的内部事务信息",
            ago(3),
        ),
    ]
    .iter()
    .map(|(matter, category, basis, reason, review)| {
        let review = review.to_string();
        row(&[
            ("matter", *matter),
            ("category", *category),
            ("basis", *basis),
            ("reason", *reason),
            ("department", "区政府办公室"),
            ("review_on", review.as_str()),
        ])
    })
    .collect());
    let a =
        draft("negative", AdjustKind::Add, "黔江区人民政府办公室2026年度政务公开负面清单", ago(30), negative).await?;
    sign(a.id).await?;
    let matters = store.negative_matters(&office.path).await?;
    if let Some(m) = matters.first() {
        let item = store
            .create_item(
                &ctx,
                &editor,
                office.id,
                gongkai_store::ItemDraft {
                    title: "区政府第52次常务会议议题材料（讨论稿）".into(),
                    genre: "纪要".into(),
                    topic: "综合政务".into(),
                    body: "<p>议题一：黔江区城市更新实施方案（讨论稿）……</p>".into(),
                    disclosure_attr: Some(gongkai_core::item::DisclosureAttr::Withheld),
                    withhold_reason: "过程性信息（条例第十六条第二款）".into(),
                    withhold_review_on: Some(ago(-180)),
                    ..Default::default()
                },
            )
            .await?;
        store.set_withhold_ground(&ctx, &editor, item.id, Some(m.id)).await?;
    }
    Ok(())
}

/// The district's gazette: last issue published with the district's public policy documents
/// by section, the next one being edited, and a department's 规范性文件 submitted.
async fn gazette(store: &Store) -> Result<()> {
    use gongkai_core::gazette::GazetteSection;
    let ctx = AuditCtx::system();
    if !store.gazette_issues(None, false).await?.is_empty() {
        return Ok(());
    }
    let gov = store.org_by_code(ident("11500114009130039C")?.as_str()).await?.context("演示单位")?;
    let office = staff(store, "gongkaiban").await?;
    let query = gongkai_store::PublicQuery {
        org_path: Some(gov.path.clone()),
        page: 1,
        per_page: 60,
        count_up_to: Some(0),
        ..Default::default()
    };
    let (items, _) = store.public_items(&query).await?;
    let section = |i: &gongkai_store::PublicItem| match i.genre.as_str() {
        "规章" => GazetteSection::Rule,
        "行政规范性文件" if i.org_id != gov.id => GazetteSection::Department,
        "行政规范性文件"
        | "决定"
        | "命令（令）"
        | "公告"
        | "通告"
        | "意见"
        | "通知"
        | "通报"
        | "批复"
        | "规划计划总结" => GazetteSection::Government,
        _ => GazetteSection::Other,
    };
    let picked: Vec<&gongkai_store::PublicItem> =
        items.iter().filter(|i| section(i) != GazetteSection::Other).take(6).collect();
    if picked.is_empty() {
        return Ok(());
    }
    let year = chrono::Datelike::year(&store.today());
    let first = store.create_gazette_issue(&ctx, &office, gov.id, year, "").await?;
    for i in &picked[..picked.len().saturating_sub(1).max(1)] {
        store.add_gazette_article(&ctx, &office, first.id, i.id, section(i)).await?;
    }
    store.publish_gazette_issue(&ctx, &office, first.id, "").await?;
    let next = store.create_gazette_issue(&ctx, &office, gov.id, year, "").await?;
    if let Some(last) = picked.last().filter(|_| picked.len() > 1) {
        store.add_gazette_article(&ctx, &office, next.id, last.id, section(last)).await?;
    }
    Ok(())
}

/// 公示 of the district office: one running with an objection received (区级文明单位拟表彰
/// 名单), a 事前公示 whose 事后公告 came in time (化解过剩产能奖补企业名单, seed 004 #20),
/// and one whose result is overdue (拟补助项目), so every status has an example.
async fn notices(store: &Store) -> Result<()> {
    use gongkai_core::public_notice::{NoticePeriod, NoticeSpec, PeriodUnit};
    use gongkai_store::ItemDraft;
    let ctx = AuditCtx::system();
    let editor = staff(store, "editor").await?;
    if !store.notices_of_orgs(&[editor.org_id], 1).await?.is_empty() {
        return Ok(());
    }
    let cal = store.calendar().await?;
    let past = Past::new(store);
    let draft = |title: &str, topic: &str, body: &str| ItemDraft {
        title: title.into(),
        genre: "公告".into(),
        topic: topic.into(),
        body: body.into(),
        disclosure_attr: Some(gongkai_core::item::DisclosureAttr::Proactive),
        channels: vec!["网站".into()],
        ..Default::default()
    };
    // A 公示 of `days` working days from `ago` days back, published on its first day.
    let notice = |ago: i64, days: u32, title: &'static str, topic: &'static str, body: &'static str| {
        let (past, cal, ctx, editor) = (&past, &cal, &ctx, &editor);
        async move {
            past.set(ago);
            let id = demo_item(store, draft(title, topic, body), None).await?;
            let period = NoticePeriod::new(cal, past.day(ago), days, PeriodUnit::Workdays)?;
            let spec = NoticeSpec::Notice { period, objections: true, result_required: true };
            store.save_public_notice(ctx, editor, id, Some(spec)).await?;
            run_steps(store, id, &PUBLISH).await?;
            anyhow::Ok((id, period))
        }
    };

    // 事前公示 → 事后公告, the result published within its five working days.
    let (capacity, period) = notice(
        14,
        5,
        "2026年度化解过剩产能奖补企业名单公示",
        "工业、交通",
        "<p>根据《黔江区化解过剩产能奖补资金管理办法》，经企业申报、部门审核，拟对以下3家已完成化解过剩产能任务的企业给予奖补，现予公示。</p><table><thead><tr><th>企业名称</th><th>化解产能</th><th>拟奖补金额（万元）</th></tr></thead><tbody><tr><td>重庆市黔江区某建材有限公司</td><td>水泥熟料 20 万吨</td><td>120</td></tr><tr><td>重庆市黔江区某煤业有限公司</td><td>煤炭 9 万吨</td><td>85</td></tr><tr><td>重庆市黔江区某页岩砖厂</td><td>页岩砖 6000 万块</td><td>32</td></tr></tbody></table><p>公示期内，对公示内容有异议的，请在公示页面实名提出，并写明理由。</p>",
    )
    .await?;
    let due = period.result_clock().due_on(&cal)?;
    past.set_on(due.min(past.day(0)));
    let result = demo_item(
        store,
        draft(
            "2026年度化解过剩产能奖补企业名单公告",
            "工业、交通",
            "<p>《2026年度化解过剩产能奖补企业名单公示》公示期满，公示期间未收到异议。现将奖补企业名单及奖补金额正式公告如下：重庆市黔江区某建材有限公司120万元、重庆市黔江区某煤业有限公司85万元、重庆市黔江区某页岩砖厂32万元。奖补资金将于30日内拨付到位。</p>",
        ),
        None,
    )
    .await?;
    store.save_public_notice(&ctx, &editor, result, Some(NoticeSpec::Result { of: capacity })).await?;
    run_steps(store, result, &PUBLISH).await?;

    // Past its period with no result yet: the office sees it overdue.
    notice(
        30,
        10,
        "黔江区2026年第二批中小企业发展专项资金拟补助项目公示",
        "财政、金融、审计",
        "<p>经企业申报、区经济信息委和区财政局审核，拟对12个中小企业技术改造项目给予补助，补助金额合计486万元，现将拟补助项目予以公示。</p><p>公示期内，对拟补助项目有异议的，请在公示页面实名提出，并写明理由。</p>",
    )
    .await?;

    // Running now, with an objection received.
    let (honours, _) = notice(
        1,
        7,
        "黔江区2026年度区级文明单位拟表彰名单公示",
        "综合政务",
        "<p>经各单位申报、区文明委办公室考核和区文明委审定，拟表彰区级文明单位25个，现予公示。</p><p>公示期内，对公示对象有异议的，请在公示页面实名提出，写明异议事项和理由，并留下联系方式。</p>",
    )
    .await?;
    past.set(0);
    if let Some(mailbox) = store.objection_mailbox(editor.org_id).await? {
        store
            .file_letter(
                &ctx,
                gongkai_store::NewLetter {
                    mailbox_id: mailbox.id,
                    name: "王晓梅".into(),
                    phone: "13800000000".into(),
                    email: String::new(),
                    subject: "对拟表彰名单中某单位的异议".into(),
                    body: "名单中的某单位今年上半年曾因窗口服务问题被通报批评，建议核实后再定。".into(),
                    consent: false,
                    submitted_at: store.now(),
                    received_on: store.today(),
                    idempotency_key: Some("demo-objection-1".into()),
                    files: Vec::new(),
                    interview_id: None,
                    notice_id: Some(honours),
                },
            )
            .await?;
    }
    Ok(())
}

/// A 规范性文件清理 of the district office, published: its documents in force reviewed, the
/// 2017 work notice (corpus 004) declared no longer in force, the rest kept.
async fn cleanup(store: &Store) -> Result<()> {
    use gongkai_core::cleanup::{Entry, Verdict};
    let ctx = AuditCtx::system();
    let editor = staff(store, "editor").await?;
    let org = store.org_by_id(editor.org_id).await?.context("演示单位")?;
    let docs = store.documents_in_force(&org.path, 200).await?;
    if docs.is_empty() || store.cleaned_by(docs[0].id).await?.is_some() {
        return Ok(());
    }
    let entries: Vec<Entry> = docs
        .iter()
        .map(|d| {
            if d.doc_no.contains("〔2017〕") {
                Entry {
                    target: d.id, verdict: Verdict::Expire, note: "所部署的年度工作任务已完成，适用期已过".into()
                }
            } else {
                Entry { target: d.id, verdict: Verdict::Keep, note: String::new() }
            }
        })
        .collect();
    let draft = gongkai_store::ItemDraft {
        title: "重庆市黔江区人民政府办公室关于公布行政规范性文件清理结果的通知".into(),
        doc_no: "黔江府办发〔2026〕58号".into(),
        genre: "通知".into(),
        topic: "综合政务".into(),
        body: "<p>各街道办事处，区政府各部门：</p><p>根据《重庆市行政规范性文件管理办法》（重庆市人民政府令第290号）关于定期清理的规定，区政府办公室对本机关制发的现行有效行政规范性文件进行了全面清理。经清理，继续有效的文件和宣布失效的文件见下表，自本通知发布之日起，宣布失效的文件不再执行。</p><p>各文件原文见<a href=\"/gazette\">《重庆市黔江区人民政府公报》</a>；2019 年以前制发的文件见原网站<a href=\"/xxgk/gfxwj/2018/index.html\">规范性文件库</a>。</p>".into(),
        disclosure_attr: Some(gongkai_core::item::DisclosureAttr::Proactive),
        channels: vec!["网站".into()],
        ..Default::default()
    };
    let id = demo_item(store, draft, None).await?;
    store.save_cleanup(&ctx, &editor, id, entries).await?;
    run_steps(store, id, &PUBLISH).await?;
    Ok(())
}

/// Takes a demo item of the district office through workflow steps (`submit`, `review`,
/// `approve`, `publish`) by its editor, reviewer and approver, at the clock's time.
async fn run_steps(store: &Store, id: i64, steps: &[&str]) -> Result<()> {
    use gongkai_core::item::{Command, Decision};
    use gongkai_store::TransitionExtra;
    let ctx = AuditCtx::system();
    for step in steps {
        let (who, cmd) = match *step {
            "submit" => ("editor", Command::Submit),
            "review" => (
                "reviewer",
                Command::Review { decision: Decision::Pass, comment: String::new(), confirms_exception: false },
            ),
            "approve" => ("approver", Command::Approve { decision: Decision::Pass, comment: String::new() }),
            _ => ("editor", Command::Publish),
        };
        let actor = staff(store, who).await?;
        store.apply(&ctx, &actor, id, cmd, TransitionExtra::default(), &[]).await?;
    }
    Ok(())
}

/// The whole workflow, to publication.
const PUBLISH: [&str; 4] = ["submit", "review", "approve", "publish"];

/// A new item of the district office, drafted by its editor; with `interprets`, an
/// interpretation of those policies in that form.
async fn demo_item(
    store: &Store,
    draft: gongkai_store::ItemDraft,
    interprets: Option<(&[i64], gongkai_core::interpretation::InterpForm, gongkai_core::interpretation::InterpDetails)>,
) -> Result<i64> {
    let ctx = AuditCtx::system();
    let editor = staff(store, "editor").await?;
    let item = store.create_item(&ctx, &editor, editor.org_id, draft).await?;
    if let Some((policies, form, details)) = interprets {
        store.save_interpretation(&ctx, &editor, item.id, form, details, policies).await?;
    }
    Ok(item.id)
}

/// Interpretation and responding: policies of the district office with their interpretations
/// in several forms (one still due), concerns answered within their hours (one still being
/// assessed), press conferences of the government and the office against their targets,
/// and online interviews with questions from the public (fictional names).
async fn responding(store: &Store, files: &gongkai_store::files::Blobs) -> Result<()> {
    use gongkai_core::concern::{ConcernSource, ConcernStep, ResponseKind, Severity};
    use gongkai_core::interpretation::{InterpDetails, InterpForm};
    use gongkai_core::press::{PressKind, parse_speakers};
    use gongkai_store::{ItemDraft, NewConcern, PressInput, PressRecord};
    let ctx = AuditCtx::system();
    if !store.press_events(&[], None).await?.is_empty() {
        return Ok(());
    }
    let past = Past::new(store);
    let at = |days_ago: i64, hour: u32, minute: u32| {
        (past.day(days_ago).and_hms_opt(hour, minute, 0).unwrap_or_default() - chrono::Duration::hours(8)).and_utc()
    };
    let draft = |title: &str, doc_no: &str, genre: &str, topic: &str, body: &str| ItemDraft {
        title: title.into(),
        doc_no: doc_no.into(),
        genre: genre.into(),
        topic: topic.into(),
        body: body.into(),
        disclosure_attr: Some(gongkai_core::item::DisclosureAttr::Proactive),
        channels: vec!["网站".into()],
        ..Default::default()
    };
    let elements = |pairs: &[(&str, &str)]| InterpDetails {
        elements: pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..Default::default()
    };

    // A 行政规范性文件 approved with its 文字解读 submitted alongside (同步审签) and published
    // with it, then its 图解 and 问答.
    past.set(40);
    let parking = demo_item(
        store,
        draft(
            "重庆市黔江区人民政府办公室关于印发黔江区城市停车管理办法的通知",
            "黔江府办发〔2026〕31号",
            "行政规范性文件",
            "城乡建设、环境保护",
            "<p>各街道办事处，区政府各部门：</p><p>《黔江区城市停车管理办法》已经区政府第44次常务会议审议通过，现印发给你们，请认真贯彻执行。</p><p>第一条 为加强城市停车管理，规范停车秩序，根据有关法律法规，结合本区实际，制定本办法。</p>",
        ),
        None,
    )
    .await?;
    let text = demo_item(
        store,
        draft(
            "《黔江区城市停车管理办法》政策解读",
            "",
            "政策解读",
            "城乡建设、环境保护",
            "<p>近日，区政府办公室印发《黔江区城市停车管理办法》。现就有关内容解读如下。</p>",
        ),
        Some((
            &[parking],
            InterpForm::Text,
            elements(&[
                ("background", "随着城区机动车保有量快速增长，停车难、乱停放问题日益突出。依据《中华人民共和国道路交通安全法》《重庆市停车场管理办法》，结合我区实际制定本办法。"),
                ("goals", "到2028年，城区新增公共停车泊位3000个，基本缓解老城区停车难问题。"),
                ("content", "办法共五章三十条，明确停车设施规划建设、路内停车泊位设置、收费管理和违法停车处理等内容。"),
                ("scope", "适用于本区城市建成区范围内停车设施的规划、建设、使用和管理。"),
                ("standards", "路内停车首30分钟免费，此后按每小时2元收费，夜间22时至次日7时免费。"),
                ("cautions", "老旧小区周边道路夜间可临时停放，具体路段由区城市管理局公告。"),
                ("keywords", "错峰共享停车：机关、企事业单位停车场在非工作时间向社会开放。"),
                ("benefits", "医院、学校周边设置临时即停即走泊位；新能源汽车停车费减半。"),
                ("differences", "与原《黔江区城区机动车停放管理暂行办法》相比，新增夜间免费和错峰共享停车规定。"),
            ]),
        )),
    )
    .await?;
    run_steps(store, text, &["submit"]).await?;
    run_steps(store, parking, &PUBLISH).await?;
    run_steps(store, text, &["review", "approve", "publish"]).await?;
    past.set(39);
    let graphic = demo_item(
        store,
        draft("一图读懂《黔江区城市停车管理办法》", "", "政策解读", "城乡建设、环境保护", "<p>一图读懂停车新规。</p>"),
        Some((
            &[parking],
            InterpForm::Graphic,
            InterpDetails {
                alt_text: "图解要点：一、路内停车首30分钟免费；二、此后每小时2元；三、夜间22时至次日7时免费；四、新能源汽车停车费减半；五、医院、学校周边设即停即走泊位。".into(),
                ..Default::default()
            },
        )),
    )
    .await?;
    run_steps(store, graphic, &PUBLISH).await?;
    past.set(38);
    let qa = demo_item(
        store,
        draft(
            "《黔江区城市停车管理办法》问答",
            "",
            "政策解读",
            "城乡建设、环境保护",
            "<p>问：夜间在路边停车收费吗？</p><p>答：夜间22时至次日7时，在施划的路内泊位停车免费。</p><p>问：老旧小区居民停车怎么办？</p><p>答：区城市管理局将公布可夜间临时停放的路段，并推动周边单位停车场错峰共享。</p>",
        ),
        Some((&[parking], InterpForm::Qa, elements(&[("content", "以问答形式解读停车收费、夜间停放和错峰共享规定。")]))),
    )
    .await?;
    run_steps(store, qa, &PUBLISH).await?;
    // The corpus's 2017 notice of the office gets its leader's interpretation.
    let editor = staff(store, "editor").await?;
    let corpus_notice = store
        .items_in_org(editor.org_id, Some(gongkai_core::item::ItemState::Published), 50)
        .await?
        .into_iter()
        .find(|i| i.title.contains("政务公开重点任务分工"))
        .map(|i| i.id);
    if let Some(policy) = corpus_notice {
        past.set(30);
        let leader = demo_item(
            store,
            draft(
                "区政府办公室主任解读政务公开重点任务分工",
                "",
                "政策解读",
                "综合政务",
                "<p>区政府办公室主要负责同志就政务公开重点任务分工接受采访。</p>",
            ),
            Some((
                &[policy],
                InterpForm::Leader,
                InterpDetails {
                    speaker: "王明 区人民政府办公室主任".into(),
                    ..elements(&[
                        ("background", "贯彻落实国务院办公厅《2017年政务公开工作要点》和市政府办公厅有关要求。"),
                        ("goals", "推进决策、执行、管理、服务、结果公开，加强政策解读和回应关切。"),
                        ("content", "明确五个方面40项重点任务的牵头单位和完成时限。"),
                        ("scope", "各乡镇人民政府、街道办事处，区政府各部门。"),
                        ("standards", "重要政策文件与解读材料同步组织、同步审签、同步部署。"),
                    ])
                },
            )),
        )
        .await?;
        run_steps(store, leader, &PUBLISH).await?;
    }
    // A rule published two days ago whose interpretation is submitted but not yet published:
    // the dashboard shows it due.
    past.set(2);
    let river = demo_item(
        store,
        draft(
            "重庆市黔江区人民政府办公室关于印发黔江区河长制工作考核办法的通知",
            "黔江府办发〔2026〕38号",
            "行政规范性文件",
            "城乡建设、环境保护",
            "<p>各乡镇人民政府、街道办事处，区政府各部门：《黔江区河长制工作考核办法》已经区政府同意，现印发给你们，请认真贯彻执行。</p>",
        ),
        None,
    )
    .await?;
    let river_text = demo_item(
        store,
        draft(
            "《黔江区河长制工作考核办法》政策解读",
            "",
            "政策解读",
            "城乡建设、环境保护",
            "<p>现就《黔江区河长制工作考核办法》解读如下。</p>",
        ),
        Some((
            &[river],
            InterpForm::Text,
            elements(&[
                ("background", "落实中央和市委市政府全面推行河长制、湖长制的部署。"),
                ("goals", "压实各级河长责任，实现河库水质稳定达标。"),
                ("content", "考核分日常考核和年度考核，满分100分。"),
                ("scope", "各乡镇人民政府、街道办事处和区级河长制成员单位。"),
                ("standards", "年度考核90分以上为优秀，60分以下为不合格。"),
            ]),
        )),
    )
    .await?;
    run_steps(store, river_text, &["submit"]).await?;
    run_steps(store, river, &PUBLISH).await?;

    // Press conferences: the government's office of 公开办 and the district office.
    let gov = staff(store, "gongkaiban").await?;
    let held = |title: &str, kind: PressKind, days: i64, speakers: &str, transcript: &str| {
        (title.to_string(), kind, days, speakers.to_string(), transcript.to_string())
    };
    let government_events = [
        held(
            "2026年一季度全区经济运行情况新闻发布会",
            PressKind::Conference,
            240,
            "李强 区人民政府区长 *\n张华 区统计局局长",
            "李强：各位记者朋友，一季度全区地区生产总值同比增长6.1%……",
        ),
        held(
            "2026年上半年全区经济运行情况新闻发布会",
            PressKind::Conference,
            150,
            "赵刚 区人民政府副区长\n张华 区统计局局长",
            "赵刚：上半年，全区经济运行稳中有进……",
        ),
        held(
            "黔江区城市停车管理办法政策吹风会",
            PressKind::Briefing,
            39,
            "赵刚 区人民政府副区长\n刘强 区城市管理局局长",
            "刘强：《黔江区城市停车管理办法》将于下月起施行……",
        ),
        held(
            "2026年前三季度全区经济运行情况新闻发布会",
            PressKind::Conference,
            60,
            "赵刚 区人民政府副区长\n张华 区统计局局长",
            "赵刚：前三季度，全区经济持续恢复向好……",
        ),
    ];
    // The first conference's record carries a photo.
    let mut photographed = false;
    for (title, kind, days, speakers, transcript) in government_events {
        past.set(days + 3);
        let e = store
            .schedule_press(
                &ctx,
                &gov,
                PressInput {
                    kind,
                    title: title.clone(),
                    starts_at: at(days, 9, 30),
                    place: "区行政中心新闻发布厅".into(),
                    summary: String::new(),
                },
            )
            .await?;
        past.set(days);
        let items = if kind == PressKind::Briefing { vec![parking] } else { Vec::new() };
        store
            .publish_press_record(
                &ctx,
                &gov,
                e.id,
                PressRecord { speakers: parse_speakers(&speakers), transcript, video_url: String::new(), items },
            )
            .await?;
        if kind == PressKind::Conference && !photographed {
            photographed = true;
            let png = press_room_png()?;
            let sha = files.put(&png).await?;
            let size = i64::try_from(png.len())?;
            let caption = "发布会现场示意图：发布人在发布台介绍情况";
            store.add_press_photo(&ctx, &gov, e.id, caption, "image/png", size, &sha).await?;
        }
    }
    past.set(3);
    store
        .schedule_press(
            &ctx,
            &gov,
            PressInput {
                kind: PressKind::Conference,
                title: "2026年全区民生实事项目推进情况新闻发布会".into(),
                starts_at: at(-5, 10, 0),
                place: "区行政中心新闻发布厅".into(),
                summary: "通报全区15件民生实事项目推进情况，回答记者提问。".into(),
            },
        )
        .await?;
    let office = staff(store, "editor").await?;
    past.set(95);
    let e = store
        .schedule_press(
            &ctx,
            &office,
            PressInput {
                kind: PressKind::Conference,
                title: "黔江区政务服务“一窗综办”改革新闻发布会".into(),
                starts_at: at(92, 10, 0),
                place: "区政务服务中心".into(),
                summary: String::new(),
            },
        )
        .await?;
    past.set(92);
    store
        .publish_press_record(
            &ctx,
            &office,
            e.id,
            PressRecord {
                speakers: parse_speakers("王明 区人民政府办公室主任 *"),
                transcript: "王明：今年以来，我区推进政务服务“一窗综办”改革……".into(),
                video_url: String::new(),
                items: Vec::new(),
            },
        )
        .await?;

    // Online interviews: one held (a question answered live, one in writing), one collecting.
    past.set(20);
    let held_interview = store
        .schedule_press(
            &ctx,
            &office,
            PressInput {
                kind: PressKind::Interview,
                title: "城市停车管理办法在线访谈".into(),
                starts_at: at(12, 15, 0),
                place: "区政府门户网站".into(),
                summary: "区城市管理局负责同志与网友在线交流停车新规。".into(),
            },
        )
        .await?;
    let mailbox = store.interview_mailbox(office.org_id).await?.context("访谈提问信箱")?;
    let ask = |name: &str, subject: &str, body: &str, interview: i64, day: chrono::NaiveDate, key: String| {
        gongkai_store::NewLetter {
            mailbox_id: mailbox.id,
            name: name.into(),
            phone: "13800000000".into(),
            email: String::new(),
            subject: subject.into(),
            body: body.into(),
            consent: true,
            submitted_at: store.now(),
            received_on: day,
            idempotency_key: Some(key),
            files: Vec::new(),
            interview_id: Some(interview),
            notice_id: None,
        }
    };
    past.set(15);
    let (live, _) = store
        .file_letter(
            &ctx,
            ask(
                "陈晓华",
                "老旧小区夜间停车",
                "我家住城东老旧小区，晚上没地方停车，新办法有什么办法？",
                held_interview.id,
                past.day(15),
                "demo-q-1".into(),
            ),
        )
        .await?;
    let (written, _) = store
        .file_letter(
            &ctx,
            ask(
                "林峰",
                "共享停车的收费",
                "单位停车场错峰共享后怎么收费？",
                held_interview.id,
                past.day(15),
                "demo-q-2".into(),
            ),
        )
        .await?;
    past.clock.set(Some(at(12, 17, 0)));
    store
        .publish_press_record(
            &ctx,
            &office,
            held_interview.id,
            PressRecord {
                speakers: parse_speakers("刘强 区城市管理局局长 *"),
                transcript: "主持人：各位网友大家好，今天我们邀请到区城市管理局局长刘强……\n刘强：关于老旧小区夜间停车，我们将公布可夜间临时停放的路段……".into(),
                video_url: String::new(),
                items: vec![parking],
            },
        )
        .await?;
    let xinxiang = staff(store, "xinxiang").await?;
    store
        .apply_letter_step(&ctx, &xinxiang, live.id, gongkai_core::letter::LetterStep::AnsweredLive { public: true })
        .await?;
    past.set(10);
    store
        .apply_letter_step(
            &ctx,
            &xinxiang,
            written.id,
            gongkai_core::letter::LetterStep::Assign { org_id: office.org_id },
        )
        .await?;
    let reply = "错峰共享停车场按路外停车场标准收费，首小时3元，此后每小时1元，夜间包月另行公布。";
    store
        .apply_letter_step(
            &ctx,
            &xinxiang,
            written.id,
            gongkai_core::letter::LetterStep::DraftReply { text: reply.into(), public: true },
        )
        .await?;
    past.set(9);
    let reviewer = staff(store, "reviewer").await?;
    store.apply_letter_step(&ctx, &reviewer, written.id, gongkai_core::letter::LetterStep::ApproveReply).await?;
    past.set(3);
    let next = store
        .schedule_press(
            &ctx,
            &office,
            PressInput {
                kind: PressKind::Interview,
                title: "2027年民生实事项目征集在线访谈".into(),
                starts_at: at(-7, 15, 0),
                place: "区政府门户网站".into(),
                summary: "区政府办公室负责同志在线听取网友对2027年民生实事项目的意见建议。".into(),
            },
        )
        .await?;
    past.set(1);
    store
        .file_letter(
            &ctx,
            ask(
                "周敏",
                "增设社区养老服务站",
                "建议在城西街道增设社区养老服务站。",
                next.id,
                past.day(1),
                "demo-q-3".into(),
            ),
        )
        .await?;

    // The office's interview plan for the year: one line missed, one held, one to come.
    let plan = gongkai_core::press::parse_plan(
        "9月｜秋季学期教育惠民政策｜区教委分管负责同志\n11月｜城市停车管理办法｜区城市管理局负责同志\n12月｜2027年民生实事项目征集｜区政府办公室负责同志",
    )?;
    store.save_interview_plan(&ctx, &office, office.org_id, past.day(0).year(), plan).await?;

    // Concerns: a 重大 one answered within hours and evaluated, a 一般 one answered, a 较大
    // one being assessed.
    let admin = staff(store, "gongkaiban").await?;
    past.set(18);
    let water = store
        .log_concern(
            &ctx,
            &admin,
            NewConcern {
                source: ConcernSource::Weibo,
                source_detail: "微博话题 #黔江城区停水#".into(),
                first_seen_at: at(18, 8, 40),
                topic: "城区部分小区突发停水".into(),
                summary: "城东片区供水主管爆管，约3000户停水，网民集中询问恢复时间。".into(),
                severity: Severity::Major,
                local_org_id: None,
                in_charge_org_id: Some(office.org_id),
            },
        )
        .await?;
    past.clock.set(Some(at(18, 11, 20)));
    let notice = demo_item(
        store,
        draft("关于城东片区临时停水的情况通报", "", "通报", "城乡建设、环境保护", "<p>今日8时许，城东片区供水主管爆管，抢修人员已到场处置，预计16时前恢复供水。临时送水点设在城东街道办事处门前。</p>"),
        None,
    )
    .await?;
    run_steps(store, notice, &PUBLISH).await?;
    store
        .apply_concern_step(
            &ctx,
            &office,
            water.id,
            ConcernStep::Consult {
                note: "与区住房城乡建委、城东街道会商，明确抢修和送水安排。".into()
            },
        )
        .await?;
    store
        .apply_concern_step(
            &ctx,
            &office,
            water.id,
            ConcernStep::Respond { kind: ResponseKind::Item, target_id: notice, note: "发布情况通报".into() },
        )
        .await?;
    // The press conference within 24 hours.
    past.clock.set(Some(at(18, 12, 0)));
    let conference = store
        .schedule_press(
            &ctx,
            &gov,
            PressInput {
                kind: PressKind::Conference,
                title: "城东片区停水抢修情况新闻发布会".into(),
                starts_at: at(18, 16, 0),
                place: "区行政中心新闻发布厅".into(),
                summary: String::new(),
            },
        )
        .await?;
    past.clock.set(Some(at(18, 17, 30)));
    store
        .publish_press_record(
            &ctx,
            &gov,
            conference.id,
            PressRecord {
                speakers: parse_speakers("赵刚 区人民政府副区长\n陈军 区住房城乡建委主任"),
                transcript: "赵刚：今天8时许，城东片区供水主管发生爆管……目前已全面恢复供水。".into(),
                video_url: String::new(),
                items: vec![notice],
            },
        )
        .await?;
    store
        .apply_concern_step(
            &ctx,
            &admin,
            water.id,
            ConcernStep::Respond {
                kind: ResponseKind::Press, target_id: conference.id, note: "举行新闻发布会".into()
            },
        )
        .await?;
    past.set(17);
    store
        .apply_concern_step(
            &ctx,
            &office,
            water.id,
            ConcernStep::Evaluate {
                note: "4小时内发布权威信息，供水当日恢复，舆情平稳。".into(),
                adopted: "采纳网民建议，增设临时送水点2处，并建立停水短信提醒。".into(),
            },
        )
        .await?;
    past.set(6);
    let school = store
        .log_concern(
            &ctx,
            &admin,
            NewConcern {
                source: ConcernSource::Hotline,
                source_detail: "12345工单".into(),
                first_seen_at: at(6, 9, 10),
                topic: "学校周边道路早高峰拥堵".into(),
                summary: "家长反映城西小学周边早高峰拥堵严重。".into(),
                severity: Severity::General,
                local_org_id: None,
                in_charge_org_id: Some(office.org_id),
            },
        )
        .await?;
    past.set(5);
    store
        .apply_concern_step(
            &ctx,
            &office,
            school.id,
            ConcernStep::Respond {
                kind: ResponseKind::Interview,
                target_id: held_interview.id,
                note: "在停车管理在线访谈中回应".into(),
            },
        )
        .await?;
    past.set(0);
    let smell = store
        .log_concern(
            &ctx,
            &admin,
            NewConcern {
                source: ConcernSource::Forum,
                source_detail: "本地论坛帖子".into(),
                first_seen_at: at(0, 7, 50),
                topic: "工业园区附近夜间异味".into(),
                summary: "网民反映工业园区附近夜间有刺激性气味。".into(),
                severity: Severity::Large,
                local_org_id: None,
                in_charge_org_id: Some(office.org_id),
            },
        )
        .await?;
    store
        .apply_concern_step(
            &ctx,
            &admin,
            smell.id,
            ConcernStep::Instruction {
                note: "请区生态环境局立即核查并及时回应。（区政府主要负责同志批示）".into()
            },
        )
        .await?;
    store
        .apply_concern_step(
            &ctx,
            &office,
            smell.id,
            ConcernStep::Assess {
                note: "已派员现场监测，初步判断为园区企业夜间排放，待监测结果。".into(),
                severity: None,
            },
        )
        .await?;
    Ok(())
}

/// Two meetings of the district government open to the public: one taking applications,
/// one held with its list of attendees published (fictional applicants).
async fn meetings(store: &Store) -> Result<()> {
    use gongkai_core::attendance::{SeatKind, Topic};
    let ctx = AuditCtx::system();
    if !store.meetings().await?.is_empty() {
        return Ok(());
    }
    let office = staff(store, "gongkaiban").await?;
    let past = Past::new(store);
    let topic = |t: &str, consulted| Topic { title: t.into(), consulted };
    // Held five days ago, its list published.
    past.set(25);
    let held = store
        .announce_meeting(
            &ctx,
            &office,
            "区政府第45次常务会议",
            vec![topic("审议《黔江区老旧小区改造三年行动方案》", true), topic("研究2027年民生实事项目", false)],
            [2, 1, 1, 1],
            "区行政中心第一会议室",
            past.day(5),
            past.day(10),
        )
        .await?;
    let applicants = [
        (SeatKind::Public, "陈晓华", "城东街道居民", true),
        (SeatKind::Public, "林峰", "濯水镇居民", true),
        (SeatKind::Public, "黄丽", "城西街道居民", false),
        (SeatKind::Expert, "杨教授", "重庆某大学城市规划学院", true),
        (SeatKind::Media, "许记者", "黔江日报", true),
    ];
    past.set(15);
    let mut ids = Vec::new();
    for (kind, name, org, _) in &applicants {
        let (a, _) = store
            .apply_to_attend(held.id, *kind, name, org, "13800000000", "关注老旧小区改造", None, past.day(15))
            .await?;
        ids.push(a.id);
    }
    past.set(8);
    for (id, (_, _, _, select)) in ids.iter().zip(&applicants) {
        let note = if *select { "" } else { "公众代表席位已满，已安排旁听直播" };
        store.decide_application(&ctx, &office, *id, *select, note).await?;
    }
    store.publish_attendees(&ctx, &office, held.id).await?;
    // Taking applications now.
    past.set(2);
    let next = store
        .announce_meeting(
            &ctx,
            &office,
            "区政府第46次常务会议",
            vec![topic("审议《黔江区城市停车管理办法》", true), topic("研究部署冬春季森林防火工作", false)],
            [2, 1, 1, 1],
            "区行政中心第一会议室",
            past.day(-10),
            past.day(-5),
        )
        .await?;
    past.set(1);
    store
        .apply_to_attend(
            next.id,
            SeatKind::Public,
            "周敏",
            "城东街道居民",
            "13800000000",
            "关注停车收费",
            None,
            past.day(1),
        )
        .await?;
    store
        .apply_to_attend(next.id, SeatKind::Deputy, "刘代表", "区人大代表", "13800000000", "", None, past.day(1))
        .await?;
    Ok(())
}

/// Two surveys of the district office: one open with answers, one closed with its results
/// published and how they were used (fictional answers).
async fn surveys(store: &Store) -> Result<()> {
    use gongkai_core::survey::{Answer, parse_lines};
    let ctx = AuditCtx::system();
    if !store.surveys().await?.is_empty() {
        return Ok(());
    }
    let (editor, leader) = (staff(store, "editor").await?, staff(store, "approver").await?);
    let past = Past::new(store);
    let questions = "*单选：您对我区政府信息公开工作的总体评价？｜满意｜基本满意｜不满意\n多选：您通常通过哪些渠道获取政府信息？｜政府网站｜政务新媒体｜政务服务大厅｜新闻媒体\n*评分：请为政策文件的易读性打分\n文字：您还希望我们公开哪些信息？";
    let c = |v: &[u32]| Some(Answer::Choices(v.to_vec()));
    let sets: [(&str, i64, i64, Option<&str>); 2] = [
        ("2026年黔江区政府信息公开工作满意度网上调查", 12, -18, None),
        (
            "关于区政府门户网站改版的网上调查",
            60,
            31,
            Some(
                "根据调查结果，门户网站改版将“办事服务”“政策文件”“政策解读”置于首页首屏，新增无障碍和长者模式，并已于本月上线。",
            ),
        ),
    ];
    for (title, opened_ago, closes_ago, usage) in sets {
        past.set(opened_ago);
        let s = store
            .create_survey(
                &ctx,
                &editor,
                title,
                "本调查不收集个人身份信息，每人限答一次。",
                parse_lines(questions)?,
                past.day(opened_ago),
                past.day(closes_ago),
                false,
            )
            .await?;
        let answers = [
            vec![c(&[0]), c(&[0, 1]), c(&[4]), Some(Answer::Text("希望公开老旧小区改造进度".into()))],
            vec![c(&[1]), c(&[0]), c(&[3]), None],
            vec![c(&[0]), c(&[1, 3]), c(&[5]), None],
            vec![c(&[2]), c(&[2]), c(&[2]), Some(Answer::Text("政策文件太长，希望有图解".into()))],
            vec![c(&[0]), c(&[0, 2]), c(&[4]), None],
            vec![c(&[1]), c(&[0, 1, 2]), c(&[4]), None],
        ];
        for (i, a) in answers.into_iter().enumerate() {
            let ago = opened_ago - 1 - i as i64;
            past.set(ago);
            let voter = format!("demo-{}-{i}", s.id);
            store.answer_survey(s.id, gongkai_store::Voter::Browser(&voter), a, past.day(ago)).await?;
        }
        if let Some(usage) = usage {
            past.set(closes_ago - 3);
            store.publish_survey_results(&ctx, &leader, s.id, usage).await?;
        }
    }
    Ok(())
}

/// Consultations of the district government's office: one open with comments, one closed
/// with its feedback drafted and waiting for the leader, one answered with its feedback
/// published (fictional commenters).
async fn consultations(store: &Store) -> Result<()> {
    use gongkai_core::consultation::{Adoption, ConsultationKind, OpinionGroup};
    use gongkai_store::{NewComment, NewConsultation};
    let ctx = AuditCtx::system();
    if !store.consultations().await?.is_empty() {
        return Ok(());
    }
    let office = store.org_by_code(ident("11500114709480021")?.as_str()).await?.context("演示单位")?;
    let (editor, leader) = (staff(store, "editor").await?, staff(store, "approver").await?);
    let past = Past::new(store);
    /// (title, kind, explanation, days since it opened, comments (name, article, text), the
    /// feedback's note and whether it is published).
    type Run<'a> =
        (&'a str, ConsultationKind, &'a str, i64, &'a [(&'a str, &'a str, &'a str)], Option<(&'a str, bool)>);
    let runs: [Run<'_>; 3] = [
        (
            "关于《黔江区城市停车管理办法（征求意见稿）》公开征求意见的公告",
            ConsultationKind::Rule,
            "为规范城市停车秩序，缓解停车难，区政府办公室会同区住房城乡建委、区公安局起草了《黔江区城市停车管理办法（征求意见稿）》。主要内容：停车设施规划建设、路侧停车泊位设置与收费、错时共享停车、违法停车处理。依据《重庆市城市管理条例》等规定。",
            10,
            &[("赵六", "第五条", "建议夜间22时至次日7时路侧停车免费。"), ("", "", "停车收费标准应当公开并定期评估。")],
            None,
        ),
        (
            "关于《黔江区政府信息公开申请办理工作规范（征求意见稿）》公开征求意见的公告",
            ConsultationKind::Normative,
            "为规范依申请公开办理，依据《中华人民共和国政府信息公开条例》，起草了本规范，明确受理、补正、征求意见、答复各环节的时限和文书。",
            40,
            &[
                ("钱七", "第八条", "建议补正告知一律采用书面形式并写明补正期限。"),
                ("孙八", "", "建议在门户网站公开办理流程图。"),
            ],
            Some(("已收到意见 2 条，均已收录。", false)),
        ),
        (
            "关于《黔江区老旧小区改造三年行动方案（征求意见稿）》公开征求意见的公告",
            ConsultationKind::MajorDecision,
            "为改善居民居住条件，拟用三年时间完成 2000 年前建成的老旧小区改造。方案明确改造内容、资金筹措、居民参与和长效管理。",
            70,
            &[
                ("周九", "", "建议加装电梯纳入基础类改造。"),
                ("吴十", "第三条", "改造前应征求全体业主意见。"),
                ("郑十一", "", "代办证件，联系微信。"),
            ],
            Some(("共收到意见 3 条，收录 2 条（1 条为广告，不予收录）。", true)),
        ),
    ];
    for (title, kind, explanation, opened_ago, comments, feedback) in runs {
        past.set(opened_ago);
        let c = store
            .open_consultation(
                &ctx,
                &editor,
                NewConsultation {
                    org_id: office.id,
                    kind,
                    title: title.into(),
                    draft_item_id: None,
                    explanation: explanation.into(),
                    opens_on: past.day(opened_ago),
                    closes_on: past.day(opened_ago - 29),
                    short_reason: String::new(),
                    channels: "信函：重庆市黔江区人民政府办公室（邮编 409000）；电子邮件：gkb@qianjiang.example.gov.cn"
                        .into(),
                    show_comments: true,
                    final_item_id: None,
                    block_final: true,
                },
            )
            .await?;
        for (i, (name, article, body)) in comments.iter().enumerate() {
            let ago = opened_ago - 2 - i as i64 * 3;
            past.set(ago);
            let new = NewComment {
                name: (*name).into(),
                contact: if name.is_empty() { String::new() } else { "13800000000".into() },
                article: (*article).into(),
                body: (*body).into(),
                idempotency_key: None,
            };
            let (m, _) = store.comment(c.id, past.day(ago), new).await?;
            let spam = body.contains("微信");
            store.moderate(&ctx, &editor, m.id, !spam, if spam { "广告信息" } else { "" }).await?;
        }
        if let Some((note, publish)) = feedback {
            past.set(opened_ago - 32);
            let groups = if publish {
                vec![
                    OpinionGroup {
                        summary: "加装电梯纳入基础类改造".into(),
                        count: 1,
                        adoption: Adoption::Partly,
                        reason: "加装电梯已纳入完善类改造，符合条件且业主同意的优先实施；基础类改造以水电气路等为主。"
                            .into(),
                    },
                    OpinionGroup {
                        summary: "改造前征求全体业主意见".into(),
                        count: 1,
                        adoption: Adoption::Adopted,
                        reason: String::new(),
                    },
                ]
            } else {
                vec![
                    OpinionGroup {
                        summary: "补正告知采用书面形式并写明期限".into(),
                        count: 1,
                        adoption: Adoption::Adopted,
                        reason: String::new(),
                    },
                    OpinionGroup {
                        summary: "公开办理流程图".into(),
                        count: 1,
                        adoption: Adoption::Adopted,
                        reason: String::new(),
                    },
                ]
            };
            store.save_feedback(&ctx, &editor, c.id, groups, note).await?;
            if publish {
                past.set(opened_ago - 35);
                store.publish_feedback(&ctx, &leader, c.id).await?;
            }
        }
    }
    Ok(())
}

/// This year's NPC suggestions and CPPCC proposals of the district (fictional deputies and
/// members): two replied, rated and published in full, two open (one due within weeks).
async fn proposals(store: &Store) -> Result<()> {
    use gongkai_core::letter::Satisfaction;
    use gongkai_core::proposal::{ProposalKind, ReplyCategory};
    use gongkai_store::{NewProposal, ProposalStep};
    let ctx = AuditCtx::system();
    let year = store.today().year();
    if !store.proposals_of_year(year, false).await?.is_empty() {
        return Ok(());
    }
    let office = store.org_by_code(ident("11500114709480021")?.as_str()).await?.context("演示单位")?;
    let fgw = store.org_by_code(ident("11500114709480056")?.as_str()).await?.context("演示单位")?;
    let (gongkaiban, leader, fgw_leader) =
        (staff(store, "gongkaiban").await?, staff(store, "approver").await?, staff(store, "fgw-leader").await?);
    let past = Past::new(store);
    let records = [
        (
            ProposalKind::NpcSuggestion,
            "第0012号",
            "区十八届人大五次会议",
            "关于加快城区公共停车场建设的建议",
            "张明代表",
            "城区停车位缺口大，建议利用边角地块建设立体停车场，并推行错时共享停车。",
            &office,
            Some(&fgw),
            120,
            Some((
                "经区发展改革委、区住房城乡建委共同研究，已将城东、城西两处立体停车场纳入年度重点项目，新增停车位 860 个，预计年底前建成投用；机关事业单位停车场夜间向周边居民错时开放的办法已制定印发。",
                ReplyCategory::A,
                Satisfaction::Satisfied,
                45,
            )),
        ),
        (
            ProposalKind::CppccProposal,
            "第0035号",
            "区政协第八届五次会议",
            "关于发展濯水古镇乡村旅游的提案",
            "李娟委员",
            "建议完善古镇周边交通和民宿标准，打造农文旅融合示范点。",
            &fgw,
            None,
            110,
            Some((
                "我委已会同区文化旅游委编制濯水片区农文旅融合发展规划，民宿服务地方标准正在制定，游客集散中心项目已列入明年计划。",
                ReplyCategory::B,
                Satisfaction::Basic,
                30,
            )),
        ),
        (
            ProposalKind::NpcSuggestion,
            "第0027号",
            "区十八届人大五次会议",
            "关于改善城东片区学校周边交通秩序的建议",
            "王强代表",
            "上下学高峰学校周边拥堵，建议增设临时停车带和护学岗。",
            &office,
            None,
            80,
            None,
        ),
        (
            ProposalKind::CppccProposal,
            "第0041号",
            "区政协第八届五次会议",
            "关于加强农村饮用水安全保障的提案",
            "九三学社黔江区支社",
            "建议加快农村供水管网改造，建立水质定期检测公开制度。",
            &fgw,
            None,
            20,
            None,
        ),
    ];
    for (kind, number, session, title, proposer, summary, lead, co, days_ago, reply) in records {
        past.set(days_ago);
        let p = store
            .record_proposal(
                &ctx,
                &gongkaiban,
                NewProposal {
                    kind,
                    number: number.into(),
                    session: session.into(),
                    title: title.into(),
                    proposer: proposer.into(),
                    summary: summary.into(),
                    lead_org_id: lead.id,
                    co_org_ids: co.map(|c| vec![c.id]).unwrap_or_default(),
                    assigned_on: store.today(),
                    months: gongkai_core::proposal::DEFAULT_MONTHS,
                },
            )
            .await?;
        if let Some((text, category, rating, replied_ago)) = reply {
            past.set(replied_ago);
            let signer = if lead.id == office.id { &leader } else { &fgw_leader };
            store.proposal_step(&ctx, signer, p.id, ProposalStep::Reply { text: text.into(), category }).await?;
            past.set(replied_ago - 5);
            store.proposal_step(&ctx, signer, p.id, ProposalStep::Rate { rating, note: String::new() }).await?;
            store
                .proposal_step(&ctx, &gongkaiban, p.id, ProposalStep::Publish { publish: true, reason: String::new() })
                .await?;
        }
    }
    Ok(())
}

/// Mailboxes of the district government and its 发改委, and letters (fictional writers) in
/// every state: replied and public with ratings, in review, with the office, just received,
/// not valid, handed to 12345, and one open for more than 60 days so the alarm shows. Each
/// step is taken on its own past day, as it happened.
async fn letters(store: &Store) -> Result<()> {
    use gongkai_core::letter::{HandOffRoute, InvalidGround, LetterStep, MailboxKind, Satisfaction};
    let ctx = AuditCtx::system();
    if !store.mailboxes().await?.is_empty() {
        return Ok(());
    }
    let gov = store.org_by_code(ident("11500114009130039C")?.as_str()).await?.context("演示单位")?;
    let office = store.org_by_code(ident("11500114709480021")?.as_str()).await?.context("演示单位")?;
    let fgw = store.org_by_code(ident("11500114709480056")?.as_str()).await?.context("演示单位")?;
    let admin = staff(store, "admin").await?;
    let (gongkaiban, clerk, reviewer, leader, fgw_clerk) = (
        staff(store, "gongkaiban").await?,
        staff(store, "xinxiang").await?,
        staff(store, "reviewer").await?,
        staff(store, "approver").await?,
        staff(store, "fgw-xinxiang").await?,
    );
    let mailbox = |kind: MailboxKind, name: &str, intro: &str| gongkai_store::MailboxInput {
        kind,
        name: name.to_string(),
        reply_days: kind.default_days(),
        public_default: true,
        intro: intro.to_string(),
        active: true,
    };
    let leader_box = store
        .create_mailbox(
            &ctx,
            &admin,
            gov.id,
            mailbox(MailboxKind::Leader, "区长信箱", "向区政府主要负责同志反映意见建议。"),
        )
        .await?;
    let consult = store
        .create_mailbox(&ctx, &admin, gov.id, mailbox(MailboxKind::Consult, "政务咨询", "咨询政策、办事流程。"))
        .await?;
    store
        .create_mailbox(
            &ctx,
            &admin,
            gov.id,
            mailbox(MailboxKind::Complaint, "投诉举报", "反映机关作风、办事效率等问题。"),
        )
        .await?;
    let suggest = store
        .create_mailbox(
            &ctx,
            &admin,
            gov.id,
            mailbox(MailboxKind::Suggestion, "建言献策", "对全区经济社会发展的意见建议。"),
        )
        .await?;
    store.create_mailbox(&ctx, &admin, fgw.id, mailbox(MailboxKind::Consult, "发改咨询", "")).await?;
    store
        .create_mailbox(
            &ctx,
            &admin,
            gov.id,
            mailbox(
                MailboxKind::ErrorReport,
                "我为网站找错",
                "发现错别字、链接打不开、信息有误等问题，请告诉我们，3 个工作日内答复。",
            ),
        )
        .await?;

    let past = Past::new(store);
    let cal = store.calendar().await?;
    let today = store.today();
    // The working day `n` working days before today, at 10:00 Beijing time.
    let back = |n: u32| {
        let mut d = today;
        let mut left = n;
        while left > 0 {
            d = d.pred_opt().unwrap_or(d);
            if cal.is_workday(d) == Ok(true) {
                left -= 1;
            }
        }
        d
    };
    struct Demo {
        mailbox: i64,
        name: &'static str,
        subject: &'static str,
        body: &'static str,
        received: u32,
    }
    let file = |d: &Demo| {
        let received_on = back(d.received);
        past.set_on(received_on);
        store.file_letter(
            &ctx,
            gongkai_store::NewLetter {
                mailbox_id: d.mailbox,
                name: d.name.into(),
                phone: "13800000000".into(),
                email: String::new(),
                subject: d.subject.into(),
                body: d.body.into(),
                consent: true,
                submitted_at: store.now(),
                received_on,
                idempotency_key: None,
                files: Vec::new(),
                interview_id: None,
                notice_id: None,
            },
        )
    };
    let replied = [
        (
            Demo {
                mailbox: consult.id,
                name: "陈建国",
                subject: "灵活就业人员如何参加城镇职工养老保险？",
                body: "我在黔江城区做个体经营，想了解灵活就业人员参加城镇职工基本养老保险的条件、缴费标准和办理地点。联系电话13912345678。",
                received: 40,
            },
            office.id,
            "您好！灵活就业人员可持身份证到区社会保险事务中心或通过“渝快办”办理参保登记，缴费基数可在全市上年度城镇单位就业人员平均工资的60%至300%之间自行选择，缴费比例为20%。咨询电话：023-79222333。",
            Some(Satisfaction::Satisfied),
        ),
        (
            Demo {
                mailbox: leader_box.id,
                name: "刘芳",
                subject: "建议在城东片区增设公交线路",
                body: "城东街道新建小区入住人口多，早晚高峰到区人民医院需换乘两次，建议增设直达线路。",
                received: 30,
            },
            office.id,
            "感谢您的建议。经区交通局会同公交公司调研，拟于下月起开通城东片区至区人民医院的直达线路（暂定编号 18 路），高峰时段发车间隔 15 分钟，具体以公交公司公告为准。",
            Some(Satisfaction::Basic),
        ),
        (
            Demo {
                mailbox: suggest.id,
                name: "周杰",
                subject: "关于老旧小区加装电梯补助政策的建议",
                body: "希望加快老旧小区加装电梯的审批，并公开补助标准和申请材料清单。",
                received: 22,
            },
            office.id,
            "您好！我区老旧小区加装电梯补助标准为每台 15 万元，申请材料清单及办理流程已在区政府门户网站“政策文件”栏目公开。区住房城乡建委已将联合审查时限压缩至 10 个工作日。",
            None,
        ),
    ];
    for (d, org, reply, rating) in replied {
        let (l, _) = file(&d).await?;
        past.set_on(back(d.received - 1));
        store.apply_letter_step(&ctx, &gongkaiban, l.id, LetterStep::Assign { org_id: org }).await?;
        past.set_on(back(d.received - 3));
        store
            .apply_letter_step(&ctx, &clerk, l.id, LetterStep::DraftReply { text: reply.into(), public: true })
            .await?;
        past.set_on(back(d.received - 4));
        let l = store.apply_letter_step(&ctx, &reviewer, l.id, LetterStep::ApproveReply).await?;
        if let Some(r) = rating {
            past.set_on(back(d.received - 6));
            store.rate_letter(&l.tracking_no, &l.query_code, r, "").await?;
        }
        if d.received == 40 {
            store
                .promote_faq(&ctx, &reviewer, l.id, "社会保障", "灵活就业人员如何参加城镇职工养老保险？", reply)
                .await?;
        }
    }
    // With the office's clerk, reply drafted and waiting for review.
    let (l, _) = file(&Demo {
        mailbox: leader_box.id,
        name: "孙丽",
        subject: "濯水镇至城区班车班次太少",
        body: "濯水镇到城区的班车每天只有四班，希望增加班次。",
        received: 6,
    })
    .await?;
    past.set_on(back(5));
    store.apply_letter_step(&ctx, &gongkaiban, l.id, LetterStep::Assign { org_id: office.id }).await?;
    past.set_on(back(2));
    store
        .apply_letter_step(
            &ctx,
            &leader,
            l.id,
            LetterStep::Extend { days: 5, reason: "需协调区交通局和客运公司核实运力".into() },
        )
        .await?;
    store
        .apply_letter_step(
            &ctx,
            &clerk,
            l.id,
            LetterStep::DraftReply {
                text: "您好！经协调，濯水镇至城区班车自下周起每天增加至六班。".into(),
                public: true,
            },
        )
        .await?;
    // With 发改委, due soon.
    let (l, _) = file(&Demo {
        mailbox: consult.id,
        name: "马强",
        subject: "企业投资项目备案需要哪些材料？",
        body: "我公司拟在黔江投资建设冷链仓储项目，请问备案需要提交哪些材料，多长时间办结？",
        received: 4,
    })
    .await?;
    past.set_on(back(3));
    store.apply_letter_step(&ctx, &gongkaiban, l.id, LetterStep::Assign { org_id: fgw.id }).await?;
    // Just received, waiting for the office.
    file(&Demo {
        mailbox: leader_box.id,
        name: "黄敏",
        subject: "小区门口夜间施工噪音扰民",
        body: "城东街道某工地连续一周夜间 11 点后施工，严重影响休息。",
        received: 1,
    })
    .await?;
    // Not valid, and handed off.
    let (l, _) = file(&Demo {
        mailbox: suggest.id,
        name: "王五",
        subject: "代办各类证件",
        body: "专业代办各类证件，价格优惠，联系微信。",
        received: 12,
    })
    .await?;
    past.set_on(back(11));
    store
        .apply_letter_step(
            &ctx,
            &gongkaiban,
            l.id,
            LetterStep::CloseInvalid { ground: InvalidGround::Advertising, reason: String::new() },
        )
        .await?;
    let (l, _) = file(&Demo {
        mailbox: leader_box.id,
        name: "郑伟",
        subject: "反映拖欠工资问题",
        body: "某建筑公司拖欠我们 12 名工人工资三个月。",
        received: 9,
    })
    .await?;
    past.set_on(back(8));
    store
        .apply_letter_step(
            &ctx,
            &gongkaiban,
            l.id,
            LetterStep::HandOff {
                route: HandOffRoute::Hotline,
                reason: "已转区人力社保局劳动保障监察，12345 热线跟踪办理".into(),
            },
        )
        .await?;
    // Open for more than 60 days: the dashboards' alarm.
    let (l, _) = file(&Demo {
        mailbox: consult.id,
        name: "何军",
        subject: "宅基地确权登记进度查询",
        body: "我家宅基地确权登记申请已提交半年，想了解办理进度。",
        received: 46,
    })
    .await?;
    past.set_on(back(44));
    store.apply_letter_step(&ctx, &gongkaiban, l.id, LetterStep::Assign { org_id: fgw.id }).await?;
    store
        .apply_letter_step(
            &ctx,
            &fgw_clerk,
            l.id,
            LetterStep::Transfer { org_id: office.id, reason: "属不动产登记事项，非本单位职责".into() },
        )
        .await?;
    Ok(())
}

/// The demo's clock set back to the day each step happened, and restored when dropped: a
/// demo letter is replied days after it came, as it would be.
struct Past {
    clock: gongkai_store::Clock,
    saved: Option<chrono::DateTime<chrono::Utc>>,
    today: chrono::NaiveDate,
}

impl Past {
    fn new(store: &Store) -> Self {
        let clock = store.clock().clone();
        let saved = clock.fixed_at();
        Self { clock, saved, today: store.today() }
    }

    /// The day `ago` days before today.
    fn day(&self, ago: i64) -> chrono::NaiveDate {
        self.today - chrono::Duration::days(ago)
    }

    /// Stands the clock at 10:00 Beijing time on `day`.
    fn set_on(&self, day: chrono::NaiveDate) {
        self.clock.set(day.and_hms_opt(2, 0, 0).map(|t| t.and_utc()));
    }

    /// Stands the clock at 10:00 Beijing time `ago` days before today.
    fn set(&self, ago: i64) {
        self.set_on(self.day(ago));
    }
}

impl Drop for Past {
    fn drop(&mut self) {
        self.clock.set(self.saved);
    }
}

/// A demo staff member as the store's checks need them.
/// This year's demo requests on their way: 王小明's waits to be accepted; 李华's partial
/// disclosure waits for the approver's sign-off (答复审批); 赵敏's was answered and delivered
/// by e-mail, so the console shows each stage.
async fn this_year_steps(store: &Store, ctx: &AuditCtx, r: &gongkai_store::Request, i: usize) -> Result<()> {
    use gongkai_core::request::{DEFAULT_SIGN_OFF, DeliveryMethod, Outcome, Step};
    if i == 0 {
        return Ok(());
    }
    let handler = staff(store, "handler").await?;
    let extra = || gongkai_store::StepExtra {
        sign_off: DEFAULT_SIGN_OFF.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    store.apply_request_step(ctx, &handler, r.id, Step::Accept, extra()).await?;
    if i == 1 {
        let reply = Step::Reply {
            outcome: Outcome::parse("partial").context("outcome")?,
            reason: "审计报告中涉及被审计单位商业秘密的内容不予公开，其余部分予以公开（演示数据）".into(),
        };
        store.apply_request_step(ctx, &handler, r.id, reply, extra()).await?;
    } else {
        let reply = Step::Reply { outcome: Outcome::parse("disclosed").context("outcome")?, reason: String::new() };
        let r = store.apply_request_step(ctx, &handler, r.id, reply, extra()).await?;
        let on = r.replied_on.unwrap_or_else(|| store.today());
        store.add_delivery(ctx, r.id, "handler", DeliveryMethod::Email, on, "已发送至申请人邮箱（演示数据）").await?;
    }
    Ok(())
}

async fn staff(store: &Store, name: &str) -> Result<gongkai_core::Actor> {
    let u = store.user_by_username(&Username::parse(name)?).await?.with_context(|| format!("演示账号 {name}"))?;
    store.actor(u.id).await?.with_context(|| format!("演示账号 {name}"))
}

/// Last year's requests of the district government's office (every applicant type, a spread
/// of outcomes, some carried into this year) and its annual report, approved and published,
/// so the report pages have real figures to show.
async fn last_year(store: &Store, office: &gongkai_store::Org) -> Result<()> {
    use gongkai_core::report::{Entered, EnteredFigures, Scope};
    use gongkai_core::request::{ApplicantType, OUTCOMES, Step};
    let ctx = AuditCtx::system();
    let year = store.today().year() - 1;
    let handler = store.user_by_username(&Username::parse("handler")?).await?.context("演示账号 handler")?;
    let handler = store.actor(handler.id).await?.context("演示账号 handler")?;
    let cal = store.calendar().await?;
    let codes = [
        "disclosed",
        "disclosed",
        "disclosed",
        "disclosed",
        "disclosed",
        "disclosed",
        "partial",
        "partial",
        "withheld.third_party",
        "withheld.process_info",
        "withheld.internal_affairs",
        "unavailable.not_held",
        "unavailable.not_held",
        "unavailable.needs_creation",
        "not_processed.petition",
        "not_processed.repeated",
        "other.clarification_lapsed",
        "other.other",
    ];
    for (i, code) in codes.iter().enumerate() {
        let outcome = OUTCOMES.iter().find(|o| o.code == *code).copied().context("outcome")?;
        let applicant = ApplicantType::ALL[[0, 0, 0, 1, 0, 4, 0, 1, 5][i % 9]];
        let received =
            chrono::NaiveDate::from_ymd_opt(year, 1 + (i as u32 * 2) % 12, 3 + (i as u32 * 5) % 20).context("date")?;
        let organisation = applicant.is_organisation();
        let new = gongkai_store::NewRequest {
            org_id: office.id,
            channel: gongkai_core::request::Channel::Online,
            applicant: gongkai_core::request::Applicant {
                kind: applicant,
                name: if organisation {
                    format!("重庆某某企业{i}（演示）")
                } else {
                    format!("申请人{i}（演示）")
                },
                id_type: if organisation { String::new() } else { "居民身份证".into() },
                id_number: String::new(),
                credit_code: String::new(),
                legal_rep: String::new(),
                contact_person: String::new(),
                phone: format!("1390000{i:04}"),
                email: String::new(),
                address: "重庆市黔江区（演示数据）".into(),
                postcode: "409000".into(),
            },
            description: "黔江区有关项目的批复文件（演示数据）".into(),
            doc_ref: String::new(),
            purpose: String::new(),
            form: "纸质".into(),
            delivery: String::new(),
            submitted_at: store.now(),
            received_on: received,
            idempotency_key: Some(format!("demo-{year}-{i}")),
        };
        let (r, _) = store.file_request(&ctx, new).await?;
        // Replied within the 20 working days; the December ones are carried into this year.
        if received.month() == 12 && i % 2 == 1 {
            continue;
        }
        let on = cal.add_workdays(received, 5 + (i as u32 % 12))?;
        let extra = |day| gongkai_store::StepExtra { on: Some(day), ..Default::default() };
        let step = match outcome.code {
            "other.clarification_lapsed" => {
                store.apply_request_step(&ctx, &handler, r.id, Step::RequestClarification, extra(received)).await?;
                Step::ClarificationLapsed
            }
            "other.other" => Step::Withdraw,
            _ => Step::Reply {
                outcome,
                reason: "依据《中华人民共和国政府信息公开条例》相关规定办理（演示数据）".into(),
            },
        };
        store.apply_request_step(&ctx, &handler, r.id, step, extra(on)).await?;
    }
    let source = |v| Entered {
        value: Some(v), source: "区政务服务管理办公室审批、执法台账（演示数据）".into()
    };
    let draft = gongkai_store::ReportDraft {
        overview: format!(
            "{year}年，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，以公开为常态、不公开为例外（演示数据）。\n\
             （一）主动公开\n全年通过政府网站主动公开政府信息，及时更新法定主动公开内容。\n\
             （二）依申请公开\n严格按照法定时限答复，全年依申请公开办理情况见第三部分。\n\
             （三）政府信息管理\n落实公开前保密审查，定期清理行政规范性文件。\n\
             （四）政府信息公开平台建设\n依托政务公开平台统一发布、统一检索。\n\
             （五）监督保障\n开展政务公开培训与考核。"
        ),
        problems:
            "一是部分栏目更新不够及时；二是政策解读形式较为单一。下一步将加强栏目巡查，丰富解读形式（演示数据）。"
                .into(),
        other: String::new(),
        restatement: String::new(),
        entered: EnteredFigures {
            licensing: source(126),
            penalty: source(9),
            coercion: source(0),
            charges_yuan: source(0),
        },
    };
    // Written, approved and published in January, before the 31st as article 49 requires
    // (today, when the demo starts earlier in January).
    let past = Past::new(store);
    let in_january = chrono::NaiveDate::from_ymd_opt(year + 1, 1, 20).context("date")?;
    if in_january < past.today {
        past.set_on(in_january);
    }
    store.save_report(&ctx, None, office, year, Scope::Org, draft).await?;
    store.approve_report(&ctx, None, office, year, Scope::Org).await.map_err(|e| match e {
        gongkai_store::ReportError::Problems(p) => {
            anyhow::anyhow!(
                "演示年度报告未通过校验：{}",
                p.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("；")
            )
        }
        gongkai_store::ReportError::Store(e) => e.into(),
    })?;
    store.publish_report(&ctx, None, office, year, Scope::Org).await?;
    drop(past);
    Ok(())
}

/// A drawn picture of a press conference room for the demo's photo (a 960×540 PNG; the
/// caption says it is a drawing): the red backdrop with its banner, the desk with three
/// speakers and their microphones, the rows of the press in front.
fn press_room_png() -> Result<Vec<u8>> {
    const W: usize = 960;
    const H: usize = 540;
    let mut px = vec![0u8; W * H * 3];
    let mut fill = |x0: usize, y0: usize, x1: usize, y1: usize, rgb: [u8; 3]| {
        for y in y0.min(H)..y1.min(H) {
            for x in x0.min(W)..x1.min(W) {
                px[(y * W + x) * 3..(y * W + x) * 3 + 3].copy_from_slice(&rgb);
            }
        }
    };
    fill(0, 0, W, 330, [150, 24, 28]); // backdrop
    fill(120, 50, 840, 120, [196, 52, 46]); // banner
    fill(160, 78, 800, 92, [240, 200, 90]); // banner text line
    fill(0, 330, W, H, [92, 98, 112]); // floor
    for (i, x) in [270usize, 450, 630].into_iter().enumerate() {
        fill(x, 215, x + 60, 300, [34, 38, 48]); // suit
        fill(x + 26, 215, x + 34, 250, [230, 230, 235]); // shirt
        fill(x + 12, 160, x + 48, 212, [226, 190, 160]); // face
        fill(x + 10, 150, x + 50, 168, [30, 30, 30]); // hair
        fill(x + 28, 268 - i * 2, x + 32, 300, [20, 20, 20]); // microphone
    }
    fill(200, 290, 760, 370, [110, 70, 40]); // desk
    fill(200, 300, 760, 360, [245, 245, 240]); // tablecloth
    for row in 0..2usize {
        for k in 0..9usize {
            let x = 40 + k * 100;
            let y = 420 + row * 60;
            fill(x, y, x + 70, y + 50, [60, 64, 76]); // the press, seen from behind
            fill(x + 20, y - 24, x + 50, y + 4, [40, 36, 34]);
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, u32::try_from(W)?, u32::try_from(H)?);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut writer = enc.write_header()?;
    writer.write_image_data(&px)?;
    writer.finish()?;
    Ok(out)
}
