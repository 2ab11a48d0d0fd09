// Browser tests of gongkai in Debian's Chromium, headless: start the real server on its
// embedded default with the demo content, open the public pages and the console as people
// do, at desktop and at phone width, check each page with axe-core (no serious or critical
// accessibility violation) and for horizontal overflow on a phone, save screenshots, and
// fill and send the request form, then follow the request on the status page and find it
// in the handler's workspace; drive an item from the editor's draft (blocked by the privacy
// check, de-identified) through review, approval and publication to the search page.
//
// Usage: node run.mjs [path to the gongkai binary] (default ../../target/debug/gongkai).
// Needs /usr/bin/chromium (apt: chromium) and fonts-noto-cjk; downloads nothing.

import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

const here = dirname(fileURLToPath(import.meta.url));
const binary = process.argv[2] ?? join(here, "../../target/debug/gongkai");
const axeSource = readFileSync(join(here, "node_modules/axe-core/axe.min.js"), "utf8");
const shots = process.env.GONGKAI_SCREENSHOTS ?? join(here, "screenshots");
mkdirSync(shots, { recursive: true });

let failures = 0;
function check(ok, what) {
  if (ok) {
    console.log(`ok   ${what}`);
  } else {
    failures += 1;
    console.log(`FAIL ${what}`);
  }
}

// The server, with a fresh data directory.
const data = mkdtempSync(join(tmpdir(), "gongkai-browser-"));
// The run fills a letter, a question, a comment, a meeting application, a survey and a request from one address
// within a minute or so; the limit on public posts is tested in the HTTP tests, not here.
const server = spawn(binary, ["--data-dir", data, "serve", "--demo", "--addr", "127.0.0.1:0"], {
  env: { ...process.env, RUST_LOG: "warn", GONGKAI__WEB__PUBLIC_POSTS_PER_MINUTE: "60", GONGKAI__WEB__LOGIN_ATTEMPTS_PER_MINUTE: "60" },
  stdio: ["ignore", "pipe", "inherit"],
});
const passwords = {};
const base = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error("the server did not start in 120 s")), 120_000);
  const lines = createInterface({ input: server.stdout });
  lines.on("line", (line) => {
    const account = line.match(/^\s+(\S+)\s+密码 (\S+)/);
    if (account) passwords[account[1]] = account[2];
    const started = line.match(/gongkai 已启动：(http:\/\/[^/]+)\//);
    if (started) {
      clearTimeout(timer);
      resolve(started[1]);
    }
  });
  server.on("exit", (code) => reject(new Error(`the server exited (${code})`)));
});
console.log(`server at ${base}`);

const profile = mkdtempSync(join(tmpdir(), "gongkai-chromium-"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  userDataDir: profile,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=zh-CN",
  ],
});

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Opens a page at a size; checks status, axe, overflow; saves a screenshot. */
// axe-core on the page as it is now: no serious or critical violation.
async function axeCheck(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }),
  );
  const serious = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  check(
    serious.length === 0,
    `${label}: axe ${serious.length ? serious.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0].target}`).join("; ") : "no serious violations"}`,
  );
}

async function visit(page, path, name, viewport) {
  await page.setViewport(viewport);
  const res = await page.goto(base + path, { waitUntil: "load" });
  const label = `${name} (${viewport.width}px)`;
  check(res && res.status() < 400, `${label}: HTTP ${res && res.status()}`);
  await axeCheck(page, label);
  if (viewport.isMobile) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `${label}: no horizontal scrolling (overflow ${overflow}px)`);
  }
  await page.screenshot({ path: join(shots, `${name}-${viewport.width}.png`), fullPage: false });
  return res;
}

try {
  const page = await browser.newPage();
  // The fonts: Chinese text must render with a CJK font, not as boxes.
  await page.goto(base + "/", { waitUntil: "load" });
  const cjk = await page.evaluate(() => document.fonts.check("16px 'Noto Sans CJK SC'") || document.fonts.check("16px sans-serif", "政务公开"));
  check(cjk, "a CJK font is available to the page");

  // Public pages.
  const office = "11500114709480021G";
  const year = new Date().getFullYear() - 1;
  const pages = [
    ["/", "home"],
    [`/orgs/${office}`, "org"],
    ["/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80", "search"],
    ["/requests/new", "request-form"],
    [`/orgs/${office}/reports/${year}`, "annual-report"],
    [`/orgs/${office}/guide`, "guide"],
    [`/orgs/${office}/about`, "org-about"],
    [`/orgs/${office}/rules`, "rules"],
    ["/login", "login"],
    ["/mailbox", "mailbox"],
    ["/mailbox/write", "letter-form"],
    ["/mailbox/statistics", "mailbox-statistics"],
    ["/mailbox/faq", "faq"],
    ["/proposals", "proposals"],
    ["/consultations", "consultations"],
    ["/consultations/1", "consultation-open"],
    ["/consultations/3", "consultation-answered"],
    ["/surveys", "surveys"],
    ["/surveys/2", "survey-results"],
    ["/meetings", "meetings"],
    ["/media", "media"],
    ["/sitemap", "sitemap"],
    ["/contact", "contact"],
    ["/meetings/1", "meeting-held"],
    ["/meetings/2", "meeting-open"],
    ["/interpretations", "interpretations"],
    ["/responses", "responses"],
    ["/press", "press"],
    ["/press/1", "press-held"],
    ["/interviews", "interviews"],
    ["/interviews/7", "interview-held"],
    ["/interviews/8", "interview-open"],
    ["/lists", "lists"],
    ["/reports", "reports"],
    ["/lists/penalty", "list-penalty"],
    ["/lists/power", "list-power"],
    ["/lists/negative", "list-negative"],
    [`/lists/penalty?org=${office}`, "list-penalty-org"],
    ["/search?q=%E5%BB%BA%E7%AD%91%E5%B7%A5%E7%A8%8B", "search-list-rows"],
    ["/gazette", "gazette"],
    ["/gazette/1", "gazette-issue"],
    ["/notices", "notices"],
    ["/notices?status=ended", "notices-ended"],
  ];
  for (const [path, name] of pages) {
    for (const vp of [DESKTOP, PHONE]) await visit(page, path, name, vp);
  }
  // The site's search finds the lists' rows (a company's 处罚 row) where no document has the words.
  {
    await page.goto(base + "/search?q=" + encodeURIComponent("建筑工程"));
    const html = await page.content();
    check(html.includes("公开清单中有") && html.includes("重庆某某建筑工程有限公司"), "the site's search finds a list row");
  }
  // A list row at phone width: a natural person's name masked.
  {
    await page.goto(base + "/lists/penalty");
    const table = await page.content();
    check(table.includes("刘**") && !table.includes("刘建国"), "the 双公示 table masks a natural person");
    const rowHref = await page.$eval("table a[href^='/lists/penalty/rows/']", (a) => a.getAttribute("href"));
    for (const vp of [DESKTOP, PHONE]) await visit(page, rowHref, "list-row", vp);
  }
  // The 清理结果 lists its verdicts; the document declared expired names it.
  {
    await page.goto(base + "/search?q=" + encodeURIComponent("清理结果的通知"));
    const href = await page.$eval("a[href^='/items/']", (a) => a.getAttribute("href"));
    for (const vp of [DESKTOP, PHONE]) await visit(page, href, "item-cleanup", vp);
    const html = await page.content();
    check(html.includes("宣布失效") && html.includes("继续有效"), "the 清理结果 lists its verdicts");
    const target = await page.$$eval("#cleanup-h ~ div a", (as) => as.map((a) => a.getAttribute("href"))[0]);
    await page.goto(base + target);
    check((await page.content()).includes("清理：<strong>宣布失效</strong>"), "the expired document names the decision");
  }
  // A republished policy (转载) names its source and links to the original.
  {
    await page.goto(base + "/search?q=" + encodeURIComponent("政府信息公开条例"));
    const href = await page.$$eval("a[href^='/items/']", (as) =>
      as.filter((a) => a.textContent.trim() === "中华人民共和国政府信息公开条例").map((a) => a.getAttribute("href"))[0]);
    for (const vp of [DESKTOP, PHONE]) await visit(page, href, "item-reprint", vp);
    const html = await page.content();
    check(html.includes("来源：中国政府网") && html.includes("rel=\"noopener noreferrer nofollow\">查看原文</a>"), "a reprint names its source");
  }
  // An item page: the first result on the org's page.
  await page.goto(base + `/orgs/${office}`);
  const itemHref = await page.$eval("ul.item-list a", (a) => a.getAttribute("href"));
  for (const vp of [DESKTOP, PHONE]) await visit(page, itemHref, "item", vp);

  // 关怀版: switched on from the menu, remembered from page to page, and meeting the
  // checkable points of the 适老化 rules on every page it is tried on, at both widths.
  {
    const context = await browser.createBrowserContext();
    const p = await context.newPage();
    await p.setViewport(DESKTOP);
    await p.goto(base + "/", { waitUntil: "load" });
    await Promise.all([p.waitForNavigation(), p.click("li.mode-standard a")]);
    const points = () =>
      p.evaluate(() => {
        const visible = (e) => {
          const r = e.getBoundingClientRect();
          const cs = getComputedStyle(e);
          return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.display !== "none";
        };
        const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
        const lum = ([r, g, b]) =>
          [r, g, b]
            .map((v) => v / 255)
            .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4))
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
        const background = (e) => {
          for (let n = e; n; n = n.parentElement) {
            const c = rgb(getComputedStyle(n).backgroundColor);
            if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
          }
          return [255, 255, 255];
        };
        const problems = [];
        const texts = [...document.querySelectorAll("main *, .site-header *, .site-footer *")].filter(
          (e) => visible(e) && [...e.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()),
        );
        for (const e of texts) {
          const cs = getComputedStyle(e);
          const size = parseFloat(cs.fontSize);
          const what = `${e.tagName.toLowerCase()}${e.className ? "." + e.className : ""} “${e.textContent.trim().slice(0, 12)}”`;
          if (size < 20) problems.push(`${what}: ${size}px text`);
          const line = parseFloat(cs.lineHeight);
          if (!(line >= 1.5 * size)) problems.push(`${what}: line height ${cs.lineHeight} for ${size}px`);
          const [a, b] = [lum(rgb(cs.color)), lum(background(e))];
          const contrast = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
          if (contrast < 7) problems.push(`${what}: contrast ${contrast.toFixed(2)}:1`);
        }
        for (const e of document.querySelectorAll(".site-header a, .site-header button, .site-header input, main button, main input:not([type=checkbox]):not([type=radio]), main select, .item-list a, .pager a")) {
          if (visible(e) && e.getBoundingClientRect().height < 44)
            problems.push(`${e.tagName.toLowerCase()} “${(e.textContent || e.name || "").trim().slice(0, 12)}”: ${e.getBoundingClientRect().height.toFixed(0)}px high`);
        }
        if (document.getAnimations().length) problems.push(`${document.getAnimations().length} animations`);
        const menu = [...document.querySelectorAll(".site-header nav li")].filter(visible).map((li) => li.textContent.trim());
        if (menu.includes("工作台")) problems.push("the staff entry is in the menu");
        if (!menu.includes("退出关怀版")) problems.push("no way back to the standard version");
        return { problems, body: parseFloat(getComputedStyle(document.body).fontSize), menu };
      });
    const carePages = [
      ["/", "care-home"],
      [itemHref, "care-item"],
      ["/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80", "care-search"],
      ["/mailbox/write", "care-letter-form"],
      ["/requests/new", "care-request-form"],
    ];
    for (const [path, name] of carePages) {
      for (const vp of [DESKTOP, PHONE]) {
        await visit(p, path, name, vp);
        const { problems, body } = await points();
        check(body >= 24 && problems.length === 0, `关怀版 ${name} (${vp.width}px): body ${body}px; ${problems.slice(0, 6).join("; ") || "every checked point met"}`);
      }
    }
    // 鼠标指针放大 and 辅助阅读: the 48 px pointer; 指读 reads what the pointer rests on
    // (the browser's speech is captured, not played), remembered; 朗读全文 reads the page.
    await p.evaluateOnNewDocument(() => {
      window.__spoken = [];
      window.speechSynthesis.speak = (u) => window.__spoken.push(u.text);
      window.speechSynthesis.cancel = () => {};
    });
    await p.setViewport(DESKTOP);
    await p.goto(base + itemHref, { waitUntil: "load" });
    const cursor = await p.evaluate(() => [getComputedStyle(document.documentElement).cursor, getComputedStyle(document.querySelector("main a")).cursor]);
    check(cursor[0].includes("cursor.svg") && cursor[1].includes("cursor-link.svg"), `关怀版: the enlarged pointer (${cursor[0].slice(0, 40)})`);
    const tools = await p.$$eval(".care-tools button", (bs) => bs.map((b) => b.textContent));
    check(tools.join("|") === "指读：关|朗读全文|停止朗读", `关怀版: the reading aids are offered (${tools.join("|")})`);
    await p.click(".care-tools button[aria-pressed]");
    const para = await p.$eval(".item-body p", (e) => e.innerText.trim());
    await p.hover(".item-body p");
    await new Promise((r) => setTimeout(r, 600));
    let spoken = await p.evaluate(() => window.__spoken);
    check(spoken.some((t) => para.startsWith(t) || t.startsWith(para.slice(0, 10))) && (await p.$(".item-body p.care-reading")), `指读 reads the paragraph under the pointer (${spoken.slice(-1)[0]?.slice(0, 20)})`);
    await p.reload({ waitUntil: "load" });
    const remembered = await p.$eval(".care-tools button[aria-pressed]", (b) => b.getAttribute("aria-pressed"));
    check(remembered === "true", "指读 stays on from page to page");
    await p.focus(".site-header nav a");
    await new Promise((r) => setTimeout(r, 200));
    spoken = await p.evaluate(() => window.__spoken);
    check(spoken.some((t) => t.startsWith("链接：")), "指读 reads a link reached by the keyboard, saying it is a link");
    await p.click(".care-tools button:nth-child(2)");
    spoken = await p.evaluate(() => window.__spoken);
    check(spoken.length > 3, `朗读全文 reads the page in sentences (${spoken.length})`);
    await axeCheck(p, "关怀版 with the reading aids (1280px)");
    await p.screenshot({ path: join(shots, "care-reading-1280.png") });
    await p.click(".care-tools button[aria-pressed]");
    // Back to the standard version, remembered too.
    await p.setViewport(DESKTOP);
    await p.goto(base + "/", { waitUntil: "load" });
    await Promise.all([p.waitForNavigation(), p.click("li.mode-care a")]);
    await p.goto(base + "/mailbox", { waitUntil: "load" });
    const size = await p.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
    check(size === 16, `back to the standard version: body ${size}px`);
    await context.close();
  }

  // An editor drafts an item with an ID number in it, is blocked, de-identifies and submits;
  // a reviewer and an approver pass it; the editor publishes; a citizen finds it by search.
  const as = async (username) => {
    const context = await browser.createBrowserContext();
    const p = await context.newPage();
    await p.setViewport(DESKTOP);
    await p.goto(base + "/login");
    await p.type("input[name=username]", username);
    await p.type("input[name=password]", passwords[username] ?? "");
    await Promise.all([p.waitForNavigation(), p.click("form[action='/login'] button[type=submit]")]);
    return { context, page: p };
  };
  const submitForm = async (p, selector) => {
    await Promise.all([p.waitForNavigation({ waitUntil: "load" }), p.click(selector)]);
    return p.content();
  };
  // A 下放 of a power waits for review: the reviewer passes it, the approver signs it, and the
  // power leaves the public list; neither is offered a step that is not theirs.
  {
    const reviewer = await as("reviewer");
    await visit(reviewer.page, "/admin/lists", "console-lists", DESKTOP);
    await reviewer.page.goto(base + "/admin/lists");
    const adj = await reviewer.page.$$eval("table a", (as) => as.find((a) => a.closest("tr")?.textContent.includes("下放"))?.getAttribute("href"));
    check(Boolean(adj), "the reviewer finds the 下放 awaiting review");
    await visit(reviewer.page, adj, "console-list-adjustment", DESKTOP);
    check(!(await reviewer.page.$("button[value=approve]")), "the reviewer is not offered the sign-off");
    let html = await submitForm(reviewer.page, "button[value=pass]");
    check(html.includes("待审批签发"), "the reviewer passed the 下放");
    await reviewer.context.close();
    const approver = await as("approver");
    await approver.page.goto(base + adj);
    html = await submitForm(approver.page, "button[value=approve]");
    check(html.includes("已发布"), "the approver signed the 下放 off");
    await approver.context.close();
    await page.goto(base + "/lists/power");
    check(!(await page.content()).includes("农村宅基地使用权确认"), "the delegated power left the public list");
    const editor = await as("editor");
    await visit(editor.page, "/admin/lists/penalty", "console-list", DESKTOP);
    await visit(editor.page, "/admin/lists/penalty", "console-list", PHONE);
    // On a phone the console's menu is folded behind 菜单; opened, its links are full-width
    // targets of at least 44 px; on a wide screen it is open with no 菜单 button.
    const folded = await editor.page.$eval("li.console-menu > details", (d) => !d.open);
    check(folded, "on a phone the console menu is folded behind 菜单");
    await editor.page.click("li.console-menu summary");
    const targets = await editor.page.$$eval("li.console-menu details a", (as) => as.map((a) => a.getBoundingClientRect().height));
    check(targets.length > 5 && targets.every((h) => h >= 44), `opened, every menu link is a 44 px target (${targets.length} links)`);
    await editor.page.screenshot({ path: join(shots, "console-menu-375.png") });
    const overflow = await editor.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 1, `the opened menu fits the phone (overflow ${overflow}px)`);
    await editor.page.setViewport(DESKTOP);
    await editor.page.goto(base + "/admin/lists/penalty");
    const wide = await editor.page.$eval("li.console-menu > details", (d) => d.open && getComputedStyle(d.querySelector("summary")).display === "none");
    check(wide, "on a wide screen the console menu is open, with no 菜单 button");
    await editor.context.close();
  }
  // A citizen objects to the running 公示 at phone width and gets a tracking number; the
  // office sees the 公示 whose result is overdue, and the item's editor the objection.
  {
    await page.goto(base + "/notices");
    const noticeHref = await page.$eval("ul.item-list a[href^='/notices/']", (a) => a.getAttribute("href"));
    await visit(page, noticeHref, "notice", DESKTOP);
    await visit(page, noticeHref, "notice", PHONE);
    await page.type("#name", "浏览器测试");
    await page.type("#phone", "13800000000");
    await page.type("#subject", "对拟表彰名单的异议");
    await page.type("#text", "名单中的某单位需要再核实。");
    const html = await submitForm(page, "form[action$='/objections'] button[type=submit]");
    check(html.includes("异议已收到") && html.includes("已收到 2 件"), "a citizen's objection to a running 公示 is received");
    await page.setViewport(DESKTOP);
    const office = await as("gongkaiban");
    await visit(office.page, "/admin/notices", "console-notices", DESKTOP);
    check((await office.page.content()).includes("结果公告逾期"), "the office sees the 公示 whose result is overdue");
    await office.context.close();
    const editor = await as("editor");
    await visit(editor.page, noticeHref.replace("/notices/", "/admin/items/"), "console-item-notice", DESKTOP);
    check((await editor.page.content()).includes("对拟表彰名单的异议"), "the editor sees the objection on the item");
    await editor.context.close();
  }
  // The administrator's site settings: a wrong field is marked next to itself.
  {
    const admin = await as("admin");
    await visit(admin.page, "/admin/site", "console-site", DESKTOP);
    await admin.page.$eval("#site_code", (el) => { el.value = "50-01"; });
    const html = await submitForm(admin.page, "form[action='/admin/site'] button[type=submit]");
    check(html.includes('id="site_code-err"'), "a wrong 网站标识码 is shown next to its field");
    const focusable = await admin.page.$eval("#site_code", (el) => el.getAttribute("aria-invalid"));
    check(focusable === "true", "the field is marked invalid for screen readers");
    await admin.page.screenshot({ path: join(shots, "console-site-error-1280.png") });
    await admin.context.close();
  }
  // 三员: the security administrator keeps the accounts, the audit administrator reads the trail.
  {
    const security = await as("security");
    await visit(security.page, "/admin/orgs", "console-accounts", DESKTOP);
    const html = await security.page.content();
    check(html.includes('action="/admin/users"') && !html.includes('action="/admin/orgs"'), "the security administrator adds staff, not orgs");
    await visit(security.page, "/admin/second-factor", "console-second-factor", DESKTOP);
    await visit(security.page, "/admin/second-factor", "console-second-factor", PHONE);
    check(await security.page.$("figure.qr svg[role=img]") !== null, "the set-up shows the QR code as an image with a name");
    await security.context.close();
    const auditor = await as("auditor");
    await visit(auditor.page, "/admin/audit", "console-audit", DESKTOP);
    await visit(auditor.page, "/admin/audit", "console-audit", PHONE);
    const trail = await auditor.page.content();
    check(trail.includes("·") && !/<td>[a-z_]+\.[a-z_.]+<\/td>/.test(trail), "the auditor reads the trail in Chinese words, no codes");
    await auditor.context.close();
  }
  const title = "关于表彰2026年度政务公开工作先进个人的决定（浏览器测试）";
  const editor = await as("editor");
  await editor.page.goto(base + "/admin/items/new");
  await editor.page.type("#title", title);
  await editor.page.select("#topic", await editor.page.$eval("#topic option:nth-child(2)", (o) => o.value || o.textContent));
  await editor.page.select("#genre", await editor.page.$eval("#genre option:nth-child(2)", (o) => o.value || o.textContent));
  await editor.page.click("#body-editor");
  await editor.page.keyboard.type("经研究，决定对张某某同志（身份证号码11010519491231002X）予以通报表彰。");
  await editor.page.keyboard.press("Enter");
  await editor.page.keyboard.type("希望受表彰的同志再接再厉。");
  await editor.page.click("input[name=disclosure_attr][value=proactive]");
  let html = await submitForm(editor.page, "form.panel.report-form button[type=submit]:not([formaction])");
  const itemId = editor.page.url().match(/\/admin\/items\/(\d+)/)?.[1];
  check(Boolean(itemId), `the editor saved a draft (${editor.page.url()})`);
  check(html.includes("隐私检查：发现 1 处"), "the privacy check shows the ID number it found");
  await visit(editor.page, `/admin/items/${itemId}`, "console-item-editor", DESKTOP);
  html = await submitForm(editor.page, `form[action='/admin/items/${itemId}/act/submit'] button`);
  check(html.includes("须去标识化或说明理由"), "submitting with the ID number in it is refused in place");
  html = await submitForm(editor.page, `form[action='/admin/items/${itemId}/act/deidentify'] button`);
  check(!html.includes("隐私检查：发现") && html.includes("110105********002X"), "one click masks the ID number");
  html = await submitForm(editor.page, `form[action='/admin/items/${itemId}/act/submit'] button`);
  const stateOf = (p) => p.$eval("main p span.tag", (t) => t.textContent.trim()).catch(() => "?");
  const alertOf = (p) => p.$eval("[role=alert]", (t) => t.textContent.trim()).catch(() => "");
  check((await stateOf(editor.page)) === "待审查", `the editor submitted it for review (${await stateOf(editor.page)})`);
  for (const [who, action, next] of [["reviewer", "review", "待审批"], ["approver", "approve", "待发布"]]) {
    const s = await as(who);
    await s.page.goto(base + `/admin/items/${itemId}`);
    const form = `form[action='/admin/items/${itemId}/act/${action}']`;
    check(Boolean(await s.page.$(form)), `the ${who} sees the ${action} form`);
    if (who === "reviewer") {
      await s.page.screenshot({ path: join(shots, "console-item-review-1280.png") });
      // Each radio button sits at the start of its label's line, not centred above it.
      const beside = await s.page.$$eval(`${form} input[type=radio]`, (radios) =>
        radios.map((r) => {
          const box = r.getBoundingClientRect();
          const label = r.closest("label").getBoundingClientRect();
          return box.left - label.left < 4 && box.top >= label.top - 1 && box.bottom <= label.bottom + 1 && label.height < 48;
        }),
      );
      check(beside.length === 2 && beside.every(Boolean), `the 通过/退回 radio buttons sit beside their labels (${beside})`);
    }
    await submitForm(s.page, `${form} button[type=submit]`);
    const now = await stateOf(s.page);
    check(now === next, `the ${who} passed it: ${now} ${await alertOf(s.page)}`);
    await s.context.close();
  }
  await editor.page.goto(base + `/admin/items/${itemId}`);
  html = await submitForm(editor.page, `form[action='/admin/items/${itemId}/act/publish'] button[type=submit]`);
  check(html.includes(`href="/items/${itemId}"`), "the editor published it: the console links its public page");
  await editor.context.close();
  // The index follows the store every two seconds.
  let found = false;
  for (let i = 0; i < 30 && !found; i += 1) {
    await page.goto(base + "/search?q=" + encodeURIComponent("政务公开工作先进个人"));
    found = (await page.content()).includes(`/items/${itemId}`);
    if (!found) await new Promise((r) => setTimeout(r, 500));
  }
  check(found, "a citizen finds the published item by search");
  if (found) {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(`a[href="/items/${itemId}"]`)]);
    const text = await page.content();
    check(text.includes(title) && !text.includes("11010519491231002X"), "the item page shows it without the ID number");
  }

  // A clerk pastes a page of a Word document into the body editor: its heading, numbered
  // list and merged-cell table are kept; its styles, classes and script are not; the preview
  // shows the published page in a new window, and saving stores what the editor shows.
  {
    const clerk = await as("editor");
    const p = clerk.page;
    await p.goto(base + "/admin/items/new");
    await p.type("#title", "关于印发粘贴测试实施方案的通知（浏览器测试）");
    await p.click("#body-editor");
    const word = `<html xmlns:o="urn:schemas-microsoft-com:office:office"><body lang=ZH-CN><div class=WordSection1>
      <h1 style='mso-outline-level:1'><span style='font-family:黑体'>一、工作目标</span></h1>
      <p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>完善公开目录<o:p></o:p></p>
      <p class=MsoListParagraphCxSpLast style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>按时答复申请<o:p></o:p></p>
      <p class=MsoNormal style='text-indent:2em'>正文段落<script>window.pasted = 1</script><o:p></o:p></p>
      <table class=MsoTableGrid border=1 style='border-collapse:collapse'><tr><td colspan=2 style='width:200pt'><p class=MsoNormal>任务分工</p></td></tr>
      <tr><td><p class=MsoNormal>区政府办</p></td><td onclick="window.clicked = 1"><p class=MsoNormal>牵头</p></td></tr></table></div></body></html>`;
    await p.evaluate((html) => {
      const dt = new DataTransfer();
      dt.setData("text/html", html);
      dt.setData("text/plain", "一、工作目标");
      document.getElementById("body-editor").dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    }, word);
    await new Promise((r) => setTimeout(r, 300));
    const shown = await p.$eval("#body-editor", (e) => e.innerHTML);
    check(/<h2>一、工作目标<\/h2>/.test(shown), `the pasted heading is a heading (${shown.slice(0, 120)})`);
    check(/<ol><li>完善公开目录<\/li><li>按时答复申请<\/li><\/ol>/.test(shown.replace(/<br>/g, "")), "Word's numbered paragraphs are a numbered list");
    check(/<td colspan="2">任务分工<\/td>/.test(shown) && shown.includes("<td>牵头</td>"), "the table keeps its cells and the merged cell");
    check(!/style=|class=|script|onclick|mso/i.test(shown), "no Word style, class, script or handler is kept");
    await p.screenshot({ path: join(shots, "console-item-paste-1280.png") });
    await visit(p, "/admin/items/new", "console-item-new", PHONE);
    await p.setViewport(DESKTOP);
    // The preview opens in a new window, of the page as the public would see it.
    await p.goto(base + "/admin/items/new");
    await p.type("#title", "关于印发粘贴测试实施方案的通知（浏览器测试）");
    await p.click("#body-editor");
    await p.evaluate((html) => {
      const dt = new DataTransfer();
      dt.setData("text/html", html);
      document.getElementById("body-editor").dispatchEvent(new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true }));
    }, word);
    await new Promise((r) => setTimeout(r, 300));
    const opened = new Promise((resolve) => browser.once("targetcreated", resolve));
    await p.click("button[formaction='/admin/items/new/preview']");
    const target = await opened;
    const previewPage = await target.page();
    await previewPage.waitForSelector(".item-body", { timeout: 10_000 });
    const preview = await previewPage.$eval("main", (m) => m.innerHTML);
    check(preview.includes("预览") && /<td colspan="2">任务分工<\/td>/.test(preview) && preview.includes("<ol>"), "the preview shows the published page with the table and the list");
    await previewPage.screenshot({ path: join(shots, "console-item-preview-1280.png") });
    await axeCheck(previewPage, "item preview (1280px)");
    await previewPage.close();
    const saved = await submitForm(p, "form.panel.report-form button[type=submit]:not([formaction])");
    const body = await p.$eval("#body", (t) => t.value);
    check(/<td colspan="2">任务分工<\/td>/.test(body) && body.includes("<ol>") && body.includes("<h2>"), `saving keeps what the editor shows (${body.slice(0, 80)})`);
    const visible = await p.$eval("main", (m) => m.innerText);
    check(saved.includes("body-editor") && !/<\/?(p|td|ol|h2)>/.test(visible), "the clerk never sees the body as raw HTML");
    await clerk.context.close();
  }

  // A person writes to the 区长信箱 on a phone, with an ID number and a mobile in the text;
  // the office assigns it, the clerk drafts a public reply, the reviewer approves it; the
  // public list shows it with both masked; the writer rates it.
  {
    await page.setViewport(PHONE);
    await page.goto(base + "/mailbox/write");
    await page.type("#subject", "灵活就业人员怎么交养老保险");
    const shown = await page.waitForSelector("#similar-live li a", { timeout: 10_000 }).then(() => true, () => false);
    check(shown, "similar answered questions appear as the writer types");
    await page.screenshot({ path: join(shots, "letter-similar-375.png") });
    await page.goto(base + "/mailbox/write");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action='/mailbox/letters'] button[type=submit]:not([name])")]);
    let html = await page.content();
    check(html.includes('id="name-err"') && html.includes('id="text-err"'), "an empty letter names each missing field");
    await page.type("#name", "浏览器测试写信人");
    await page.type("#phone", "13912345678");
    await page.type("#subject", "浏览器测试：路灯不亮");
    await page.type("#text", "我的身份证号码11010519491231002X，手机13912345678。黔江大道路灯已坏一周。");
    await page.screenshot({ path: join(shots, "letter-form-filled-375.png") });
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action='/mailbox/letters'] button[type=submit]:not([name])")]);
    html = await page.content();
    const no = html.match(/来信编号<\/dt><dd><strong>(X\d+)<\/strong>/);
    const qc = html.match(/查询码<\/dt><dd><strong>([A-Z0-9]+)<\/strong>/);
    check(Boolean(no && qc), "the letter was accepted: a tracking number and a query code are shown");
    await page.screenshot({ path: join(shots, "letter-filed-375.png") });
    if (no && qc) {
      const office = await as("gongkaiban");
      await office.page.goto(base + "/admin/letters");
      const href = await office.page.$$eval("table a", (as, n) => as.find((a) => a.textContent.includes(n))?.getAttribute("href"), no[1]);
      check(Boolean(href), "the office finds the letter in its workspace");
      await visit(office.page, href, "console-letter", DESKTOP);
      await visit(office.page, "/admin/proposals", "console-proposals", DESKTOP);
      await visit(office.page, "/admin/consultations/2", "console-consultation", DESKTOP);
      await visit(office.page, "/admin/meetings/2", "console-meeting", DESKTOP);
      await visit(office.page, "/admin/password", "console-password", DESKTOP);
      await visit(office.page, "/admin/password", "console-password", PHONE);
      await visit(office.page, "/admin/surveys/1", "console-survey", DESKTOP);
      await visit(office.page, "/admin/supervision", "console-supervision-office", DESKTOP);
      await visit(office.page, "/admin/site-check", "console-site-check", DESKTOP);
      const selfCheck = await office.page.content();
      check(selfCheck.includes("单项否决风险") && selfCheck.includes("问题清单"), "the website self-check lists the inspection's risks");
      await visit(office.page, "/admin/site-check", "console-site-check-375", PHONE);
      await visit(office.page, "/admin/assessment", "console-assessment", DESKTOP);
      const board = await office.page.content();
      check(board.includes("<svg") && board.includes("年度政务公开考核"), "the assessment page draws the scores with the table beside them");
      await visit(office.page, "/admin/assessment", "console-assessment-375", PHONE);
      await visit(office.page, "/admin/assessment/bulletin", "console-assessment-bulletin", DESKTOP);
      await visit(office.page, "/admin/spot-checks", "console-spot-checks", DESKTOP);
      const spot = await office.page.$eval("table a[href^='/admin/spot-checks/']", (a) => a.getAttribute("href")).catch(() => null);
      check(Boolean(spot), "the demo has a spot check");
      if (spot) {
        await visit(office.page, spot, "console-spot-check", PHONE);
        check((await office.page.content()).includes("待整改"), "the demo's spot check has an open 整改");
      }
      await visit(office.page, "/admin/org-profile?org=11500114709480021G", "console-org-profile", DESKTOP);
      check((await office.page.content()).includes("李华"), "the demo office's leaders are in the profile form");
      await visit(office.page, "/admin/media", "console-media", DESKTOP);
      await visit(office.page, "/admin/media", "console-media", PHONE);
      const mediaList = await office.page.content();
      check(mediaList.includes("黔江发改") && mediaList.includes("未更新"), "the demo has a new-media account past the two-week rule");
      const account = await office.page.$eval("table a[href^='/admin/media/']", (a) => a.getAttribute("href")).catch(() => null);
      check(Boolean(account), "the accounts list links each account");
      if (account) await visit(office.page, account, "console-media-account", PHONE);
      await visit(office.page, "/admin/trainings", "console-trainings", DESKTOP);
      await visit(office.page, "/admin/trainings", "console-trainings", PHONE);
      check((await office.page.content()).includes("培训覆盖"), "the trainings page shows coverage per org");
      await visit(office.page, "/admin", "console-dashboard-office", DESKTOP);
      check((await office.page.content()).includes("年度工作节点"), "the office's dashboard shows the year's milestones");
      await visit(office.page, "/admin/letters", "console-letters", DESKTOP);
      await visit(office.page, "/admin/concerns", "console-concerns", DESKTOP);
      await visit(office.page, "/admin/concerns/3", "console-concern", DESKTOP);
      await visit(office.page, "/admin/press", "console-press", DESKTOP);
      await visit(office.page, "/admin/press/7", "console-interview", DESKTOP);
      await visit(office.page, "/admin/supervision/interpretations", "console-interpretation-coverage", DESKTOP);
      await visit(office.page, "/admin/gazette", "console-gazette", DESKTOP);
      const drill = await office.page.$eval("a[href^='/admin/gazette?org=']", (a) => a.getAttribute("href")).catch(() => null);
      check(Boolean(drill), "the gazette's per-org figures link to their documents");
      if (drill) await visit(office.page, drill, "console-gazette-drill", PHONE);
      await visit(office.page, "/admin/wording", "console-wording", DESKTOP);
      await visit(office.page, "/admin/wording", "console-wording", PHONE);
      check((await office.page.content()).includes("领导 | 李强"), "the office keeps its site's leaders for the wording check");
      await visit(office.page, "/admin/gazette/2", "console-gazette-issue", DESKTOP);
      await office.page.goto(base + href);
      check(!(await office.page.$("button[value=approve_reply]")), "the office is not offered a review it may not do");
      await office.page.select("#org_id", await office.page.$$eval("#org_id option", (os) => os.find((o) => o.textContent.includes("办公室")).value));
      await submitForm(office.page, "button[value=assign]");
      await office.context.close();
      const clerk = await as("xinxiang");
      await clerk.page.goto(base + href);
      await clerk.page.type("#text", "您反映的路灯已于今日修复，感谢监督。");
      await submitForm(clerk.page, "form input[value=draft_reply] ~ p button[type=submit]");
      check(!(await clerk.page.$("form input[value=approve_reply]")), "the drafter is not offered the review of their own reply");
      await clerk.context.close();
      const reviewer = await as("reviewer");
      await reviewer.page.goto(base + href);
      html = await submitForm(reviewer.page, "form input[value=approve_reply] ~ button");
      check(html.includes("已答复"), "the reviewer approved the reply");
      await reviewer.context.close();
      await visit(page, "/mailbox", "mailbox-after", PHONE);
      html = await page.content();
      check(html.includes("浏览器测试：路灯不亮"), "the replied letter is in the public list");
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("a ::-p-text(浏览器测试：路灯不亮)")]);
      html = await page.content();
      check(html.includes("浏**") && !html.includes("11010519491231002X") && !html.includes("13912345678"), "the public letter masks the name, ID number and mobile");
      await visit(page, `/mailbox/status?tracking_no=${no[1]}&code=${qc[1]}`, "letter-status", PHONE);
      await page.click("input[name=rating][value=satisfied]");
      html = await submitForm(page, "form[action='/mailbox/rating'] button[type=submit]");
      check(html.includes("感谢您的评价") && html.includes("您的评价"), "the writer rated the reply");
    }
  }

  // A policy's page lists its interpretations by form; an interpretation shows its elements.
  {
    await page.setViewport(DESKTOP);
    await page.goto(base + "/interpretations?form=text");
    const interp = await page.$$eval("ul.item-list a", (as) => as.find((a) => a.textContent.includes("停车管理办法》政策解读"))?.getAttribute("href"));
    check(Boolean(interp), "the 政策解读 list has the parking rules' interpretation");
    if (interp) {
      await visit(page, interp, "interpretation", PHONE);
      let html = await page.content();
      check(html.includes("背景依据") && html.includes("新旧政策差异"), "the interpretation shows its elements");
      const policy = await page.$$eval("section.related a", (as) => as.find((a) => a.textContent.includes("城市停车管理办法"))?.getAttribute("href"));
      check(Boolean(policy), "the interpretation links to its policy");
      if (policy) {
        await visit(page, policy, "policy-with-interpretations", PHONE);
        html = await page.content();
        check(html.includes("<h3>文字解读</h3>") && html.includes("<h3>图解</h3>") && html.includes("<h3>问答</h3>"), "the policy lists its interpretations by form");
      }
      const editor = await as("editor");
      await visit(editor.page, "/admin" + interp, "console-interpretation", DESKTOP);
      await editor.context.close();
    }
  }

  // A person asks the open interview a question on a phone; the ID number is never shown.
  {
    await page.setViewport(PHONE);
    await page.goto(base + "/interviews/8");
    await page.type("#name", "浏览器测试提问人");
    await page.type("#phone", "13912345678");
    await page.type("#subject", "浏览器测试：增设公交线路");
    await page.type("#text", "我的身份证号码11010519491231002X。建议增设城西至高铁站公交线路。");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action='/interviews/8/questions'] button[type=submit]")]);
    const html = await page.content();
    check(html.includes("提问已收到") && !html.includes("11010519491231002X"), "the question was received and the page shows no ID number");
    await page.screenshot({ path: join(shots, "interview-asked-375.png") });
  }

  // A person comments on the open consultation on a phone.
  {
    await page.setViewport(PHONE);
    await page.goto(base + "/consultations/1");
    await page.type("#article", "第五条");
    await page.type("#body", "建议在医院周边增设临时停车泊位。（浏览器测试）");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action^='/consultations/1/comments'] button[type=submit]")]);
    check((await page.content()).includes("您的意见已收到"), "a comment on the open consultation was received");
    await page.screenshot({ path: join(shots, "consultation-commented-375.png") });
  }

  // A person applies to attend the open meeting on a phone: a wrong phone number is named
  // beside its field with what was typed kept; corrected, the application is received once.
  {
    await visit(page, "/meetings/2", "meeting-open", PHONE);
    await page.type("#name", "测试市民");
    await page.type("#phone", "123");
    await page.type("#reason", "关注停车收费标准（浏览器测试）");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action^='/meetings/2/applications'] button[type=submit]")]);
    let html = await page.content();
    check(html.includes("报名有 1 处需要修改") && html.includes("id=\"phone-err\"") && html.includes("关注停车收费标准（浏览器测试）"), "a wrong phone number is named beside its field, the reason kept");
    check((await page.$eval("#phone", (el) => el.getAttribute("aria-invalid"))) === "true", "the wrong field is marked for screen readers");
    await axeCheck(page, "meeting application with an error (375px)");
    await page.screenshot({ path: join(shots, "meeting-apply-error-375.png") });
    await page.$eval("#phone", (el) => { el.value = ""; });
    await page.type("#phone", "13812345678");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action^='/meetings/2/applications'] button[type=submit]")]);
    html = await page.content();
    check(html.includes("报名已收到"), "the meeting application was received");
    await page.screenshot({ path: join(shots, "meeting-applied-375.png") });
  }

  // A person answers the open survey on a phone, once.
  {
    await page.setViewport(PHONE);
    await visit(page, "/surveys/1", "survey-open", PHONE);
    await page.click("input[name=q0][value='0']");
    await page.click("input[name=q1][value='1']");
    await page.click("input[name=q2][value='4']");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action='/surveys/1/answers'] button[type=submit]")]);
    const html = await page.content();
    check(html.includes("感谢参与") && !html.includes("action=\"/surveys/1/answers\""), "the survey was answered, and the form is gone");
  }

  // A person files a request with the form, on a phone.
  await page.setViewport(PHONE);
  await page.goto(base + "/requests/new");
  const fill = async (selector, value) => {
    const el = await page.$(selector);
    if (!el) throw new Error(`no field ${selector}`);
    await el.type(value);
  };
  // The form shows an organisation's fields for an organisation and a person's for a person.
  const shown = (sel) => page.$eval(sel, (el) => !el.closest("[hidden]") && el.offsetParent !== null);
  await page.click("input[name=applicant_type][value=commercial]");
  check((await shown("#credit_code")) && !(await shown("#id_number")), "an organisation sees the credit code, not the ID number");
  await page.click("input[name=applicant_type][value=natural_person]");
  check((await shown("#id_number")) && !(await shown("#credit_code")), "a person sees the ID number, not the credit code");
  check((await page.$("#postcode")) !== null && (await page.content()).includes("个人信息保护说明"), "the form asks for the postcode and explains the use of personal data");
  await fill("input[name=name]", "测试申请人");
  if (await page.$("select[name=id_type]")) await page.select("select[name=id_type]", "居民身份证");
  await fill("input[name=id_number]", "11010519491231002X");
  await fill("input[name=phone]", "13800000000");
  await fill("input[name=address]", "重庆市黔江区城东街道（浏览器测试）");
  await fill("textarea[name=description]", "2025年黔江区城市道路改造项目的立项批复文件");
  await page.select("select[name=org]", office);
  await page.click("input[name=form]");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action='/requests'] button[type=submit]")]);
  const confirmation = await page.content();
  const tracking = confirmation.match(/申请编号<\/dt><dd><code>(\d+)<\/code>/);
  const code = confirmation.match(/查询码<\/dt><dd><code>([A-Z0-9]+)<\/code>/);
  check(Boolean(tracking && code), "the form was accepted: a tracking number and a query code are shown");
  await page.screenshot({ path: join(shots, "request-filed-375.png") });
  if (tracking && code) {
    await visit(page, `/requests/status?tracking_no=${tracking[1]}&code=${code[1]}`, "request-status", PHONE);
    check((await page.content()).includes("收到申请"), "the status page shows the request received");

    // The handler finds it in the workspace.
    await page.setViewport(DESKTOP);
    await page.goto(base + "/login");
    await page.type("input[name=username]", "handler");
    await page.type("input[name=password]", passwords.handler ?? "");
    await Promise.all([page.waitForNavigation(), page.click("form[action='/login'] button[type=submit]")]);
    await visit(page, "/admin/requests", "console-requests", DESKTOP);
    check((await page.content()).includes(tracking[1]), "the handler's workspace lists the new request");

    // The request's page offers only the steps allowed now, the next expected one first.
    const steps = async () =>
      page.$$eval("section.steps form[action*='/steps/']", (forms) => forms.map((f) => f.getAttribute("action").split("/steps/")[1]));
    await visit(page, `/admin/requests/${tracking[1]}`, "console-request", DESKTOP);
    let offered = await steps();
    check(offered[0] === "accept", `受理 is offered first (${offered.join(", ")})`);
    check(!offered.includes("extend") && !offered.includes("sign") && !offered.includes("clarified"), "no step the handler may not take now");
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click("form[action$='/steps/accept'] button[type=submit]")]);
    offered = await steps();
    check(offered[0] === "reply" && !offered.includes("accept"), `after 受理 the reply comes first (${offered.join(", ")})`);
    await visit(page, `/admin/requests/${tracking[1]}`, "console-request-accepted", PHONE);
    await visit(page, "/admin/requests/record", "console-request-record", DESKTOP);
    await visit(page, "/admin/supervision", "console-supervision", DESKTOP).catch(() => {});
  }

  // 我为网站找错: from an item page's footer, the error-report form opens with the page it is
  // about filled in; sent, it gets a tracking number like any letter.
  {
    const context = await browser.createBrowserContext();
    const p = await context.newPage();
    await p.setViewport(PHONE);
    await p.goto(base + itemHref, { waitUntil: "load" });
    await Promise.all([p.waitForNavigation({ waitUntil: "load" }), p.click("a[href='/report-error']")]);
    const text = await p.$eval("#text", (t) => t.value);
    check(p.url().includes("/mailbox/write?mailbox=") && text.includes(itemHref), `the error report names the page it came from (${text.split("\n")[0]})`);
    await axeCheck(p, "error-report form (375px)");
    await p.screenshot({ path: join(shots, "report-error-375.png") });
    await p.type("#name", "浏览器测试找错人");
    await p.type("#phone", "13812345678");
    await p.type("#text", "页面中的“成文日期”为空。");
    await Promise.all([p.waitForNavigation({ waitUntil: "load" }), p.click("form[action='/mailbox/letters'] button[type=submit]:not([name])")]);
    const filed = await p.content();
    check(/来信编号<\/dt><dd><strong>X\d+<\/strong>/.test(filed), "the error report was accepted with a tracking number");
    await context.close();
  }

  // The console speaks Chinese: on every page of each role's menu (and the first record each
  // lists), no snake_case code or dotted event code reaches the clerk's eye.
  {
    const codes = /\b[a-z]{2,}(?:_[a-z0-9]+)+\b|\b(?:item|request|report|letter|user|org|list|gazette|concern|press|workplan|attachment)\.[a-z_]+(?:\.[a-z_]+)*\b/;
    let pages = 0;
    for (const who of ["admin", "security", "auditor", "gongkaiban", "editor", "reviewer", "approver", "handler", "xinxiang"]) {
      const s = await as(who);
      const links = await s.page.$$eval("nav li a[href^='/admin']", (as) => [...new Set(as.map((a) => a.getAttribute("href")))]);
      for (const href of links) {
        const res = await s.page.goto(base + href, { waitUntil: "load" });
        const targets = [href];
        const first = await s.page.$$eval("main table a[href^='/admin/']", (as) => as[0]?.getAttribute("href")).catch(() => undefined);
        if (first) targets.push(first);
        for (const t of targets) {
          if (t !== href) await s.page.goto(base + t, { waitUntil: "load" });
          const visible = await s.page.evaluate(() => document.querySelector("main")?.innerText ?? "");
          const found = visible.match(codes);
          pages += 1;
          if (found || (res && res.status() >= 500)) check(false, `${who} ${t}: a code reaches the clerk: “${found?.[0]}”`);
        }
      }
      await s.context.close();
    }
    check(pages > 40, `the console shows Chinese only, no codes (${pages} pages of nine roles)`);
  }
} catch (e) {
  failures += 1;
  console.log(`FAIL ${e.stack ?? e}`);
} finally {
  await browser.close();
  server.kill("SIGTERM");
  rmSync(profile, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
}

console.log(failures === 0 ? "browser tests passed" : `${failures} browser check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
