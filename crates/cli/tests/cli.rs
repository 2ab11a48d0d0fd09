//! The `gongkai` binary as an operator uses it: admin commands on a data dir, the password
//! from stdin, tokens on stdout, the audit check, and `serve --demo` twice.

use std::io::Write;
use std::process::{Command, Output, Stdio};

mod cluster;

/// The binary on a data dir (never a `DATABASE_URL` from the environment), quiet logs.
fn command(dir: &std::path::Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.arg("--data-dir").arg(dir).args(args).env_remove("DATABASE_URL").env("RUST_LOG", "warn");
    c
}

/// Adds the 重庆市黔江区人民政府 (code 11500114009130039C), a top-level government.
fn add_government(dir: &std::path::Path) {
    let out = gongkai(
        dir,
        &["admin", "add-org", "--code", "11500114009130039C", "--name", "重庆市黔江区人民政府", "--kind", "government"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// Adds the 常州市经信委 department (code 014109453), the corpus's importing org.
fn add_department(dir: &std::path::Path) {
    let out = gongkai(
        dir,
        &["admin", "add-org", "--code", "014109453", "--name", "常州市经济和信息化委员会", "--kind", "department"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn gongkai(dir: &std::path::Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = command(dir, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gongkai");
    if let Some(input) = stdin {
        // A command that refuses its arguments (an unknown role) exits without reading
        // stdin; on a busy machine it is gone before the password is written.
        match child.stdin.take().expect("stdin").write_all(input.as_bytes()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            written => written.expect("write stdin"),
        }
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn admin_commands_build_orgs_users_and_tokens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let out = gongkai(
        d,
        &["admin", "add-org", "--code", "11500114009130039C", "--name", "重庆市黔江区人民政府", "--kind", "government"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "已添加单位：重庆市黔江区人民政府（11500114009130039C）");

    // A bad check character is refused with a clear message and nothing stored.
    let out = gongkai(
        d,
        &[
            "admin",
            "add-org",
            "--parent",
            "11500114009130039C",
            "--code",
            "014109454",
            "--name",
            "某委",
            "--kind",
            "department",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("机构代码校验位错误：应为「3」，实为「4」"), "{}", text(&out.stderr));
    let out = gongkai(
        d,
        &[
            "admin",
            "add-org",
            "--parent",
            "11500114009130039C",
            "--code",
            "01410945-3",
            "--name",
            "某委",
            "--kind",
            "ministry",
        ],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("未知单位类型"));

    let out = gongkai(
        d,
        &[
            "admin",
            "add-user",
            "--org",
            "11500114009130039C",
            "--username",
            "Zhang",
            "--role",
            "editor",
            "--role",
            "Reviewer",
        ],
        Some("river-lamp-2026\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "已添加用户：zhang（角色：editor, reviewer）");
    let out = gongkai(
        d,
        &["admin", "add-user", "--org", "11500114009130039C", "--username", "li", "--role", "editor"],
        Some("short\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("密码至少需要 10 个字符"));
    let out = gongkai(
        d,
        &["admin", "add-user", "--org", "11500114009130039C", "--username", "li", "--role", "king"],
        Some("li-pass-2026\n"),
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("未知角色"));

    let out = gongkai(d, &["admin", "add-token", "--username", "zhang"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout);
    assert!(
        token.starts_with("gk_") && token.trim().len() == 46 && token.lines().count() == 1,
        "token alone on stdout: {token:?}"
    );

    let out = gongkai(d, &["admin", "revoke-token", "--id", "1"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = gongkai(d, &["admin", "revoke-token", "--id", "1"], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("令牌 1 已被吊销"));
    // A password reset ends the user's tokens too.
    let out = gongkai(d, &["admin", "add-token", "--username", "zhang"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = gongkai(d, &["admin", "set-password", "--username", "zhang"], Some("another-pass-1\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = gongkai(d, &["admin", "revoke-token", "--id", "2"], None);
    assert!(text(&out.stderr).contains("令牌 2 已被吊销"), "{}", text(&out.stderr));
    // Roles replaced, the account disabled and enabled again.
    let out = gongkai(d, &["admin", "set-roles", "--username", "zhang", "--role", "reviewer"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("已设置用户 zhang 的角色：保密审查"), "{}", text(&out.stdout));
    let out = gongkai(d, &["admin", "disable-user", "--username", "zhang"], None);
    assert!(out.status.success() && text(&out.stdout).contains("已停用用户 zhang"));
    let out = gongkai(d, &["admin", "enable-user", "--username", "zhang"], None);
    assert!(out.status.success() && text(&out.stdout).contains("已启用用户 zhang"));

    let out = gongkai(d, &["audit", "verify"], None);
    assert!(out.status.success());
    // org, user, token, revoke, token, password, roles, disable, enable.
    assert_eq!(text(&out.stdout).trim(), "审计链完整：共 9 条记录");

    let out = gongkai(d, &["migrate"], None);
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("数据库已是最新结构"));
}

#[test]
fn config_print_default_and_help() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = gongkai(dir.path(), &["config", "print-default"], None);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("[web]"));
    let out = gongkai(dir.path(), &["admin", "add-user", "--help"], None);
    assert!(text(&out.stdout).contains("password is read from stdin"));
    let out = gongkai(dir.path(), &["--config", "/nonexistent/gongkai.toml", "migrate"], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("配置文件不存在"));
}

#[test]
fn unknown_database_url_fails_loudly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["migrate"])
        .arg("--data-dir")
        .arg(dir.path())
        .env("DATABASE_URL", "mysql://root:hunter2@localhost/gk")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("不支持的数据库地址") && !err.contains("hunter2"), "{err}");
}

#[test]
fn serve_demo_twice_creates_once_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    for round in 0..2 {
        let mut child = command(dir.path(), &["serve", "--demo", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve");
        let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut printed = String::new();
        let addr = loop {
            let mut line = String::new();
            let n = std::io::BufRead::read_line(&mut stdout, &mut line).expect("read");
            if n == 0 {
                let mut err = String::new();
                let _ = std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err);
                panic!("server exited before listening: {printed}\n{err}");
            }
            printed.push_str(&line);
            if let Some(rest) = line.strip_prefix("gongkai 已启动：http://") {
                break rest.split('/').next().expect("addr").to_string();
            }
        };
        if round == 0 {
            assert!(printed.contains("演示账号已创建"), "{printed}");
            assert!(printed.contains("admin") && printed.contains("reviewer"));
        } else {
            assert!(!printed.contains("演示账号已创建"), "second start creates nothing: {printed}");
        }
        let body = http_get(&addr, "/api/v1/orgs");
        assert!(
            body.contains("重庆市黔江区人民政府")
                && body.contains("014109453")
                && body.contains("永州市人民政府办公室")
        );
        let pid = child.id().to_string();
        let status = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
        assert!(status.success());
        let status = child.wait().expect("wait");
        assert!(status.success(), "graceful shutdown exits 0");
    }
    let out = gongkai(dir.path(), &["audit", "verify"], None);
    // 18 demo orgs, 40 demo users (三员 among them), the baseline catalogs (13 × 54 district sections,
    // 4 × 22 town sections), the 5 corpus documents, 17 contact lines, 3 requests (two accepted,
    // one proposed for sign-off, one replied and delivered: 5 more rows), last
    // year's 18 requests with their 19 steps and its annual report (saved, approved,
    // published), 5 mailboxes and 10 letters with their 19 steps, 2 ratings and 1 FAQ
    // entry, 4 suggestions and proposals with 6 steps, 3 consultations with 7 comments,
    // their 7 moderations, 2 feedback drafts and 1 publication, 2 surveys and 1 results
    // publication, 2 meetings with 7 applications, 5 decisions and 1 published list; 1 more
    // mailbox (网站找错), 5 new-media accounts with 12 updates and 1 closing, 4 trainings and
    // hearings, 2 manual scores and the office's profile (26 rows), and the 条例 republished
    // (转载) from the State Council's site (5 rows), written once.
    assert_eq!(text(&out.stdout).trim(), "审计链完整：共 1202 条记录");

    // Last year's report of the district government's office, from the command line.
    let year = (gongkai_store::Clock::system().now() + chrono::Duration::hours(8))
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .expect("year")
        - 1;
    let year = year.to_string();
    let office = ["report", "annual", "--org", "11500114709480021G", "--year", year.as_str()];
    let out = gongkai(dir.path(), &[&office[..], &["--format", "json"]].concat(), None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["state"], "published");
    assert_eq!(json["report"]["requests"]["rows"][0]["values"][6], 18, "18 requests received last year");
    let out = gongkai(dir.path(), &[&office[..], &["--format", "html"]].concat(), None);
    assert!(text(&out.stdout).contains("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"));
    let xlsx = dir.path().join("report.xlsx");
    let out = gongkai(
        dir.path(),
        &[&office[..], &["--format", "xlsx", "--out", xlsx.to_str().expect("path")]].concat(),
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read(&xlsx).expect("xlsx").starts_with(b"PK"));
    let out = gongkai(dir.path(), &[&office[..], &["--format", "pdf"]].concat(), None);
    assert!(!out.status.success() && text(&out.stderr).contains("格式 pdf 无效"));
}

fn http_get(addr: &str, path: &str) -> String {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn import_reads_the_corpus_once_and_reports_what_it_could_not_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    add_department(d);
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/corpus");
    let out = gongkai(d, &["import", corpus, "--org", "014109453"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("发文字号无法识别：「常经信办?018?11叶」"), "{stdout}");
    assert!(stdout.trim_end().ends_with("导入 5 篇，跳过 0 篇（已导入过），失败 0 篇，警告 11 条"), "{stdout}");
    let out = gongkai(d, &["import", corpus, "--org", "014109453"], None);
    assert_eq!(text(&out.stdout).trim(), "导入 0 篇，跳过 5 篇（已导入过），失败 0 篇，警告 0 条");

    // A broken JSONL line fails alone; the good line still imports.
    let jsonl = d.join("laws.jsonl");
    std::fs::write(&jsonl, "{\"title\": \"生产安全事故应急条例\", \"body\": \"第一条 为了规范生产安全事故应急工作。\", \"written_on\": \"2019-02-17\", \"genre\": \"行政法规\"}\n{not json\n").expect("write");
    let out = gongkai(d, &["import", jsonl.to_str().expect("path"), "--org", "014109453"], None);
    assert_eq!(out.status.code(), Some(1), "a failure is reported in the exit code");
    let stdout = text(&out.stdout);
    assert!(stdout.contains("laws.jsonl:2") && stdout.contains("JSON 格式有误"), "{stdout}");
    assert!(stdout.contains("导入 1 篇，跳过 0 篇（已导入过），失败 1 篇"), "{stdout}");
    // Twelve texts without dates: one line for the kind of warning, with its count and the
    // first few, not twelve.
    let undated = d.join("undated.jsonl");
    let lines: String =
        (1..=12).map(|i| format!("{{\"title\": \"无日期文件{i}\", \"body\": \"正文第{i}篇。\"}}\n")).collect();
    std::fs::write(&undated, lines).expect("write");
    let out = gongkai(d, &["import", undated.to_str().expect("path"), "--org", "014109453"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert!(stdout.starts_with("警告：未注明发布日期和成文日期（12 篇，如 "), "{stdout}");
    assert!(stdout.contains("undated.jsonl:1  无日期文件1；") && stdout.contains("无日期文件3 等"), "{stdout}");
    assert!(stdout.contains("导入 12 篇，跳过 0 篇（已导入过），失败 0 篇，警告 12 条"), "{stdout}");
    let out = gongkai(d, &["import", "/nonexistent", "--org", "014109453"], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("路径不存在"));
}

#[test]
fn calendar_commands_print_one_value_per_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let out = gongkai(d, &["calendar", "is-workday", "2024-02-04"], None);
    assert_eq!(text(&out.stdout), "true\n");
    let out = gongkai(d, &["calendar", "is-workday", "2024-10-03"], None);
    assert_eq!(text(&out.stdout), "false\n");
    let out = gongkai(d, &["calendar", "add-workdays", "2026-02-06", "20"], None);
    assert_eq!(text(&out.stdout), "2026-03-12\n");
    let out = gongkai(d, &["calendar", "workdays", "--from", "2024-09-27", "--to", "2024-10-08"], None);
    assert_eq!(text(&out.stdout), "2024-09-27\n2024-09-29\n2024-09-30\n2024-10-08\n");
    let out = gongkai(d, &["calendar", "count", "--from", "2024-09-27", "--to", "2024-10-12"], None);
    assert_eq!(text(&out.stdout), "8\n");
    let out = gongkai(d, &["calendar", "add-workdays", "2026-12-20", "20"], None);
    assert_eq!(text(&out.stdout), "2027-01-18\n", "2027 computed from the statutory holidays");
    assert!(text(&out.stderr).starts_with("暂定："));
    let out = gongkai(d, &["calendar", "add-workdays", "2007-06-01", "1"], None);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("2007 年的节假日安排尚未载入"));
    let file = d.join("2027.txt");
    std::fs::write(
        &file,
        "title = 国务院办公厅关于2027年部分节假日安排的通知\nnotice = 国办发明电〔2026〕99号\n2027-01-01 休 元旦\n",
    )
    .expect("write");
    let out = gongkai(d, &["calendar", "load", file.to_str().expect("path")], None);
    assert_eq!(text(&out.stdout).trim(), "已载入 2027 年节假日安排（国办发明电〔2026〕99号，1 个日期）");
    let out = gongkai(d, &["calendar", "add-workdays", "2026-12-20", "20"], None);
    assert_eq!(text(&out.stdout), "2027-01-18\n");
    assert_eq!(text(&out.stderr), "", "loaded: no longer provisional");
    let out = gongkai(d, &["calendar", "list"], None);
    assert_eq!(text(&out.stdout).lines().count(), 20);
    let out = gongkai(d, &["calendar", "is-workday", "2024/02/04"], None);
    assert!(text(&out.stderr).contains("应为 YYYY-MM-DD"));
}

/// Starts `gongkai serve` on a random port; answers the child and its address.
#[expect(clippy::zombie_processes, reason = "the caller waits for the child; a failed start fails the test")]
fn start_server(dir: &std::path::Path) -> (std::process::Child, String) {
    let mut child = command(dir, &["serve", "--demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut stdout = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    loop {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut stdout, &mut line).expect("read");
        assert!(n > 0, "server exited before listening");
        if let Some(rest) = line.strip_prefix("gongkai 已启动：http://") {
            return (child, rest.split('/').next().expect("addr").to_string());
        }
    }
}

fn http(addr: &str, method: &str, path: &str, body: &str) -> String {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn a_filing_confirmed_survives_the_server_being_killed_right_after() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut child, addr) = start_server(dir.path());
    let body = serde_json::json!({ "applicant_type": "natural_person", "name": "张三", "id_type": "居民身份证",
        "id_number": "11010519491231002X", "phone": "13800000000", "description": "某项目的立项批复文件", "form": "纸质" })
    .to_string();
    let res = http(&addr, "POST", "/api/v1/requests", &body);
    // Kill at once, without warning, right after the confirmation arrived.
    child.kill().expect("kill");
    child.wait().expect("reap");
    assert!(res.starts_with("HTTP/1.1 201"), "{res}");
    let json_start = res.find('{').expect("body");
    let filed: serde_json::Value =
        serde_json::from_str(res[json_start..].trim_end_matches(|c: char| c != '}')).expect("json");
    let (tracking, code) = (filed["tracking_no"].as_str().expect("t"), filed["query_code"].as_str().expect("c"));
    let (mut child, addr) = start_server(dir.path());
    let res = http(&addr, "GET", &format!("/api/v1/requests/{tracking}?code={code}"), "");
    child.kill().expect("kill");
    child.wait().expect("reap");
    assert!(res.starts_with("HTTP/1.1 200"), "the request is there after the restart: {res}");
    assert!(res.contains("\"state\":\"received\""));
}

/// `gongkai import` killed in the middle of a large JSONL file (batches committed, one
/// half-written, the reader thread ahead of the store) and run again: every line is one item,
/// none twice, none lost, and the audit chain holds.
#[test]
fn an_import_killed_midway_finishes_when_run_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    add_department(d);
    let n = 20_000;
    let jsonl = d.join("many.jsonl");
    let lines: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"title": "关于第{i}号事项的通知", "body": "各单位：现将第{i}号事项通知如下。请认真贯彻执行，推进政务公开工作。", "written_on": "2020-03-01"}}"#
            )
        })
        .collect();
    std::fs::write(&jsonl, lines.join("\n")).expect("write");
    let path = jsonl.to_str().expect("path");
    let mut child = command(d, &["import", path, "--org", "014109453"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run gongkai import");
    // Killed once some batches are in (the write-ahead log has grown), well before the end.
    let wal = d.join("gongkai.db-wal");
    let started = std::time::Instant::now();
    while std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) < 2_000_000 {
        assert!(child.try_wait().expect("wait").is_none(), "the import ended before it could be killed");
        assert!(started.elapsed() < std::time::Duration::from_secs(120), "the import wrote nothing");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");

    let out = gongkai(d, &["import", path, "--org", "014109453"], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let summary = text(&out.stdout);
    let counts: Vec<usize> = summary
        .lines()
        .last()
        .expect("summary")
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("number"))
        .collect();
    let [imported, skipped, failed, _warnings] = counts[..] else { panic!("{summary}") };
    assert_eq!(failed, 0, "{summary}");
    assert!(skipped > 0 && imported > 0, "killed midway: some lines in before, the rest now: {summary}");
    assert_eq!(imported + skipped, n, "{summary}");
    let out = gongkai(d, &["import", path, "--org", "014109453"], None);
    assert_eq!(text(&out.stdout).trim(), format!("导入 0 篇，跳过 {n} 篇（已导入过），失败 0 篇，警告 0 条"));
    let out = gongkai(d, &["audit", "verify"], None);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
}

#[test]
fn gazette_import_records_past_issues_with_their_numbers_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    add_government(d);
    let g = d.join("gazette");
    std::fs::create_dir_all(&g).expect("dir");
    std::fs::write(g.join("a.txt"), "重庆市黔江区人民政府关于印发黔江区城市道路管理办法的通知\n黔江府发〔2018〕12号\n\n各乡、镇人民政府，各街道办事处，区政府各部门：现将《黔江区城市道路管理办法》印发给你们，请认真贯彻执行。\n").expect("write");
    std::fs::write(g.join("b.txt"), "重庆市黔江区人民政府关于任免王某某等同志职务的通知\n黔江府人〔2018〕5号\n\n经区政府研究决定：任命王某某为区交通局局长。\n").expect("write");
    std::fs::write(g.join("c.txt"), "重庆市黔江区人民政府办公室关于做好2018年春节期间安全生产工作的通知\n黔江府办发〔2018〕9号\n\n各乡、镇人民政府……\n").expect("write");
    std::fs::write(
        g.join("issues.csv"),
        "\u{feff}年度,期号,总期号,出版日期,PDF,栏目,文件\n\
         2018,3,58,2018-03-31,/files/gazette-2018-3.pdf,政府文件,a.txt\n\
         2018,3,58,2018-03-31,/files/gazette-2018-3.pdf,人事任免,b.txt\n\
         2018,4,59,2018-04-30,,政府文件,c.txt\n\
         2018,5,60,2018-05-31,,不存在的栏目,c.txt\n",
    )
    .expect("write");
    let path = g.to_str().expect("path");
    let out = gongkai(d, &["gazette", "import", path, "--gov", "11500114009130039C"], None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "the bad line is reported in the exit code: {stdout}");
    assert!(stdout.contains("第 5 行：栏目「不存在的栏目」不是公报栏目"), "{stdout}");
    assert!(stdout.contains("重庆市黔江区人民政府公报2018年第3期（总第58期）：2 篇"), "{stdout}");
    assert!(stdout.contains("2018年第4期（总第59期）：1 篇"), "{stdout}");
    assert!(stdout.trim_end().ends_with("导入公报 2 期，失败 1 处"), "{stdout}");
    // Again: the same issues, nothing doubled.
    let out = gongkai(d, &["gazette", "import", path, "--gov", "11500114009130039C"], None);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("2018年第3期（总第58期）：2 篇") && stdout.contains("导入公报 2 期，失败 1 处"),
        "{stdout}"
    );
    let out = gongkai(d, &["audit", "verify"], None);
    assert!(text(&out.stdout).contains("审计链完整"), "{}", text(&out.stdout));
}

/// Articles given only as the printed PDF: each becomes a published item with the PDF as its
/// attachment, its text searched with it, 文号 read from it; the title from the list's 标题
/// column or else the PDF's text; a scan with no text imports with a warning; run again,
/// nothing is doubled.
#[test]
fn gazette_articles_given_only_as_pdf_import_with_their_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    add_government(d);
    let g = d.join("gazette");
    std::fs::create_dir_all(&g).expect("dir");
    let river = gongkai_testkit::pdf::with_text(&[
        "重庆市黔江区人民政府关于加强河道采砂管理的通告",
        "黔江府发〔2019〕7号",
        "为加强阿蓬江、细沙河河道采砂管理，维护河势稳定，现将有关事项通告如下。",
    ]);
    std::fs::write(g.join("river.pdf"), &river).expect("write");
    let fees = gongkai_testkit::pdf::with_text(&[
        "黔江区城市停车服务收费管理办法",
        "第一条 为规范城市停车服务收费行为，制定本办法。",
    ]);
    std::fs::write(g.join("fees.pdf"), &fees).expect("write");
    std::fs::write(g.join("scan.pdf"), gongkai_testkit::pdf::with_text(&[])).expect("write");
    std::fs::write(g.join("fake.pdf"), "这不是PDF").expect("write");
    std::fs::write(
        g.join("issues.csv"),
        "年度,期号,总期号,出版日期,PDF,栏目,文件,标题\n\
         2019,2,69,2019-02-28,,政府文件,river.pdf,\n\
         2019,2,69,2019-02-28,,政府文件,fees.pdf,黔江区城市停车服务收费管理办法（试行）\n\
         2019,2,69,2019-02-28,,政府文件,scan.pdf,黔江区人民政府关于公布2019年区级重点项目的通知\n\
         2019,2,69,2019-02-28,,政府文件,fake.pdf,伪造的文件\n",
    )
    .expect("write");
    let path = g.to_str().expect("path");
    let out = gongkai(d, &["gazette", "import", path, "--gov", "11500114009130039C"], None);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("标题取自 PDF 的文字：重庆市黔江区人民政府关于加强河道采砂管理的通告"), "{stdout}");
    assert!(stdout.contains("没有可读取的文字（可能是扫描件）"), "{stdout}");
    assert!(stdout.contains("fake.pdf：不是 PDF 文件"), "{stdout}");
    assert!(stdout.contains("2019年第2期（总第69期）：3 篇"), "{stdout}");
    assert_eq!(out.status.code(), Some(1), "the file that is not a PDF counts: {stdout}");
    let again = text(&gongkai(d, &["gazette", "import", path, "--gov", "11500114009130039C"], None).stdout);
    assert!(again.contains("2019年第2期（总第69期）：3 篇"), "{again}");

    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store =
            gongkai_store::Store::open(&format!("sqlite://{}", d.join("gongkai.db").display())).await.expect("store");
        let issue = store.gazette_issues(Some(2019), true).await.expect("issues").pop().expect("the issue");
        let articles = store.gazette_articles(issue.id).await.expect("articles");
        let titles: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "重庆市黔江区人民政府关于加强河道采砂管理的通告",
                "黔江区城市停车服务收费管理办法（试行）",
                "黔江区人民政府关于公布2019年区级重点项目的通知"
            ]
        );
        assert_eq!(articles[0].doc_no, "黔江府发〔2019〕7号", "the 文号 read from the PDF's text");
        let item = store.item(articles[0].item_id).await.expect("item").expect("the article's item");
        assert!(item.body.contains("全文见附件“river.pdf”"), "{}", item.body);
        let files = store.public_attachments(item.id, item.public_rev.expect("public")).await.expect("files");
        assert_eq!(files.len(), 1, "the PDF, public with the item");
        assert_eq!(files[0].name, "river.pdf");
        assert!(files[0].text.contains("阿蓬江、细沙河河道采砂管理"), "its text is searched: {}", files[0].text);
        let sha = &files[0].sha256;
        let kept = std::fs::read(d.join("files").join(&sha[..2]).join(&sha[2..4]).join(sha));
        assert_eq!(kept.ok().as_deref(), Some(river.as_slice()), "the file kept as given");
    });
    let out = gongkai(d, &["audit", "verify"], None);
    assert!(text(&out.stdout).contains("审计链完整"), "{}", text(&out.stdout));
}

/// `gongkai backup` of a serving SQLite deployment and `gongkai restore` on another machine's
/// data dir: every table's rows and the audit chain as backed up, the files with them; an
/// existing database is not overwritten without --force; a manifest that does not match
/// what is restored fails the restore.
#[test]
fn a_backup_taken_while_serving_restores_every_row_and_the_chain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut child, addr) = start_server(dir.path());
    let body = serde_json::json!({ "applicant_type": "natural_person", "name": "张三", "id_type": "居民身份证",
        "id_number": "11010519491231002X", "phone": "13800000000", "description": "备份前提交的申请", "form": "纸质" })
    .to_string();
    assert!(http(&addr, "POST", "/api/v1/requests", &body).starts_with("HTTP/1.1 201"));
    let backups = tempfile::tempdir().expect("temp dir");
    let out = backups.path().join("2026-12-04");
    let out_arg = out.to_str().expect("utf-8");
    let res = gongkai(dir.path(), &["backup", "--out", out_arg], None);
    child.kill().expect("kill");
    child.wait().expect("reap");
    assert!(res.status.success(), "{}", text(&res.stderr));
    assert!(text(&res.stdout).starts_with("已备份到"), "{}", text(&res.stdout));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("json");
    assert!(manifest["census"]["tables"]["requests"].as_i64().unwrap_or(0) >= 4, "{manifest}");
    assert!(manifest["census"]["audit_seq"].as_i64().unwrap_or(0) > 100);
    assert!(!manifest["files"].as_array().expect("files").is_empty(), "the demo's photo travels with it");
    // Into a backup folder that is not empty: refused.
    let again = gongkai(dir.path(), &["backup", "--out", out_arg], None);
    assert!(!again.status.success() && text(&again.stderr).contains("不为空"));

    let fresh = tempfile::tempdir().expect("temp dir");
    let res = gongkai(fresh.path(), &["restore", "--from", out_arg], None);
    assert!(res.status.success(), "{}{}", text(&res.stdout), text(&res.stderr));
    assert!(text(&res.stdout).contains("与备份一致"), "{}", text(&res.stdout));
    let res = gongkai(fresh.path(), &["audit", "verify"], None);
    assert!(text(&res.stdout).starts_with("审计链完整"), "{}", text(&res.stdout));
    // The restored deployment serves the request filed before the backup.
    let (mut child, addr) = start_server(fresh.path());
    let page = http_get(&addr, "/api/v1/orgs");
    child.kill().expect("kill");
    child.wait().expect("reap");
    assert!(page.starts_with("HTTP/1.1 200") && page.contains("黔江"), "{page}");

    // Not over an existing database without --force; with it, the old one is kept aside.
    let res = gongkai(fresh.path(), &["restore", "--from", out_arg], None);
    assert!(!res.status.success() && text(&res.stderr).contains("--force"), "{}", text(&res.stderr));
    // A manifest that says otherwise than the database: the restore fails and says where.
    let mut bad = manifest.clone();
    bad["census"]["tables"]["requests"] = serde_json::json!(9999);
    std::fs::write(out.join("manifest.json"), serde_json::to_vec(&bad).expect("json")).expect("write");
    let res = gongkai(fresh.path(), &["restore", "--from", out_arg, "--force"], None);
    assert!(!res.status.success(), "{}", text(&res.stdout));
    assert!(text(&res.stdout).contains("表 requests：备份 9999 行"), "{}", text(&res.stdout));
    assert!(fresh.path().join("gongkai.db.before-restore").exists());
}

/// `gongkai export archive` of the demo office's year: a BagIt folder that verifies, that
/// `export verify` catches a changed file in, that a second run resumes, and whose
/// `items.jsonl` rebuilds the same public items on an empty platform.
#[test]
fn an_archive_export_verifies_resumes_and_imports_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let (mut child, _) = start_server(d);
    child.kill().expect("kill");
    child.wait().expect("reap");
    let year = "2026";
    let office = "11500114709480021G";
    // A document with a picture attached, imported as a JSONL record naming the file beside
    // it; records whose file lies outside the folder or differs from its SHA-256 fail.
    let png: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00,
        0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff,
        0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];
    let sha = gongkai_store::files::Blobs::hash(png);
    let src = d.join("with-files");
    std::fs::create_dir_all(src.join("pics")).expect("dir");
    std::fs::write(src.join("pics/map.png"), png).expect("png");
    let record = |title: &str, file: &str, sha: &str| {
        serde_json::json!({
            "title": title, "body": "附图见附件。", "published_at": "2026-03-02T10:00:00+08:00",
            "attachments": [{ "name": "位置示意图.png", "file": file, "sha256": sha }],
        })
        .to_string()
    };
    let lines = [
        record("关于某路段施工的公告", "pics/map.png", &sha),
        record("路径越界的记录", "../outside.png", &sha),
        record("哈希不符的记录", "pics/map.png", &"0".repeat(64)),
    ];
    std::fs::write(src.join("docs.jsonl"), lines.join("\n")).expect("jsonl");
    let out = gongkai(d, &["import", src.join("docs.jsonl").to_str().expect("utf-8"), "--org", office], None);
    let said = text(&out.stdout);
    assert!(said.contains("导入 1 篇，跳过 0 篇（已导入过），失败 2 篇"), "{said}");
    assert!(said.contains("路径「../outside.png」不在导入文件所在的文件夹内"), "{said}");
    assert!(said.contains("与记录中的 SHA-256 不符"), "{said}");

    let bag = d.join("archive");
    let bag_arg = bag.to_str().expect("utf-8");
    let out = gongkai(d, &["export", "archive", "--org", office, "--year", year, "--out", bag_arg], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stdout);
    assert!(said.starts_with("已导出 重庆市黔江区人民政府办公室2026 年的"), "{said}");
    for f in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "tagmanifest-sha256.txt",
        "data/items.jsonl",
        "data/revisions.csv",
        "data/revisions.jsonl",
        "data/register.csv",
        "data/validity.csv",
    ] {
        assert!(bag.join(f).exists(), "{f}");
    }
    let items = std::fs::read_to_string(bag.join("data/items.jsonl")).expect("items");
    let n = items.lines().count();
    assert!(n >= 3, "{items}");
    assert!(items.contains("\"reprinted_from\":\"中国政府网\""), "the demo's reprint keeps its source");
    let csv = std::fs::read_to_string(bag.join("data/revisions.csv")).expect("csv");
    assert!(csv.starts_with("\u{feff}信息ID,版本,索引号,标题"), "{csv}");
    let register = std::fs::read_to_string(bag.join("data/register.csv")).expect("register");
    assert!(register.contains(",发布,"), "register events in words: {register}");
    let out = gongkai(d, &["export", "verify", bag_arg], None);
    assert_eq!(text(&out.stdout).trim(), "归档完整：每个文件都与清单中的 SHA-256 一致");

    // Resumed: a revision left complete is kept, one cut short is written again.
    let folders: Vec<_> =
        std::fs::read_dir(bag.join("data/items")).expect("items").map(|e| e.expect("e").path()).collect();
    std::fs::remove_file(folders[0].join("metadata.json")).expect("cut");
    let out = gongkai(d, &["export", "archive", "--org", office, "--year", year, "--out", bag_arg], None);
    assert!(
        text(&out.stdout).contains(&format!("续传时保留已完成的 {} 个版本", folders.len() - 1)),
        "{}",
        text(&out.stdout)
    );
    // A changed file is found.
    let body = folders[0].join("body.txt");
    std::fs::write(&body, "改过的正文").expect("tamper");
    let out = gongkai(d, &["export", "verify", bag_arg], None);
    assert!(!out.status.success());
    assert!(text(&out.stdout).contains("body.txt：内容与清单中的哈希不符"), "{}", text(&out.stdout));
    // Another org's folder is not written over.
    let out = gongkai(d, &["export", "archive", "--org", "11500114009130039C", "--year", year, "--out", bag_arg], None);
    assert!(!out.status.success() && text(&out.stderr).contains("已是另一份归档"), "{}", text(&out.stderr));

    // On an empty platform, `gongkai import` of items.jsonl rebuilds the same public items.
    let fresh = tempfile::tempdir().expect("temp dir");
    let f = fresh.path();
    let out = gongkai(
        f,
        &["admin", "add-org", "--code", office, "--name", "重庆市黔江区人民政府办公室", "--kind", "department"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let jsonl = bag.join("data/items.jsonl");
    let out = gongkai(f, &["import", jsonl.to_str().expect("utf-8"), "--org", office], None);
    assert!(text(&out.stdout).contains(&format!("导入 {n} 篇，跳过 0 篇")), "{}", text(&out.stdout));
    let again = f.join("archive");
    let out = gongkai(
        f,
        &["export", "archive", "--org", office, "--year", year, "--out", again.to_str().expect("utf-8")],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let keyed = |p: &std::path::Path| {
        let mut v: Vec<(String, String, String, String, String, String, String)> = std::fs::read_to_string(p)
            .expect("read")
            .lines()
            .map(|l| {
                let j: serde_json::Value = serde_json::from_str(l).expect("json");
                let s = |k: &str| j[k].as_str().unwrap_or_default().to_string();
                let files: Vec<String> = j["attachments"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|f| format!("{} {}", f["name"].as_str().unwrap_or(""), f["sha256"].as_str().unwrap_or("")))
                    .collect();
                let t = (s("index_no"), s("title"), s("doc_no"), s("published_at"), s("reprinted_from"));
                (t.0, t.1, t.2, t.3, t.4, s("reprint_url"), files.join("; "))
            })
            .collect();
        v.sort();
        v
    };
    let before = keyed(&jsonl);
    assert!(
        before.iter().any(|k| k.1 == "关于某路段施工的公告" && k.6 == format!("位置示意图.png {sha}")),
        "the archive lists the attachment: {before:?}"
    );
    assert_eq!(
        keyed(&again.join("data/items.jsonl")),
        before,
        "the same public items, numbers, dates, sources and attachments"
    );
    let copied: Vec<_> = std::fs::read_dir(again.join("data/items"))
        .expect("items")
        .filter_map(|e| std::fs::read(e.expect("e").path().join("attachments/01-位置示意图.png")).ok())
        .collect();
    assert_eq!(copied, vec![png.to_vec()], "the attachment's bytes came back");
}

/// `gongkai files gc` on the demo: a file nothing refers to, stored days ago, is counted by
/// a dry run and then deleted; every file the demo refers to stays, and so does one stored
/// within the hours kept.
#[test]
fn files_gc_deletes_only_the_files_nothing_refers_to() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let (mut child, _) = start_server(d);
    child.kill().expect("kill");
    child.wait().expect("reap");
    let files = gongkai_store::files::Blobs::new(d.join("files"));
    let count = || walk(&d.join("files")).len();
    fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
        let Ok(entries) = std::fs::read_dir(p) else { return vec![p.to_path_buf()] };
        entries.flat_map(|e| walk(&e.expect("entry").path())).collect()
    }
    let demo = count();
    assert!(demo >= 1, "the demo stores its press photo");
    let orphan = files.put_in_dir(b"an upload whose form was never filed").expect("put");
    let days_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 86400);
    let path = files.path(&orphan);
    std::fs::File::options().write(true).open(&path).expect("open").set_modified(days_ago).expect("age");
    let recent = files.put_in_dir(b"an upload being filed now").expect("put");

    let out = gongkai(d, &["files", "gc", "--dry-run"], None);
    let said = text(&out.stdout);
    assert!(out.status.success() && said.contains("可清理 1 个无引用的文件"), "{said}{}", text(&out.stderr));
    assert!(path.exists());
    let out = gongkai(d, &["files", "gc"], None);
    let said = text(&out.stdout);
    assert!(out.status.success() && said.contains("已清理 1 个无引用的文件"), "{said}{}", text(&out.stderr));
    assert!(!path.exists() && files.path(&recent).exists());
    assert_eq!(count(), demo + 1, "every file the demo refers to stays");
    let out = gongkai(d, &["files", "gc", "--keep-hours", "0"], None);
    assert!(text(&out.stdout).contains("已清理 1 个无引用的文件"), "{}", text(&out.stdout));
    assert_eq!(count(), demo);
}
