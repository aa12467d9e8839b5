// The Planner in a real Chromium against the real product: sign up → site and sector → import
// a Semrush export with bad rows (a dry run first, its per-line report read, then for real) →
// the keywords listed, one edited in place → clustering run from the Clusters page → ideas
// generated from two clusters with their cost shown first → one queued to the writer. Then a
// viewer of the same account (made through the API by the owner) sees every planner page with
// no control that writes. axe-core on every page, a screenshot of each.
//
//   BASE_URL=http://127.0.0.1:8000 ARTIFACTS=../build/test-artifacts/web node e2e/planner.mjs
//
// Run by tests/e2e/test_web_planner.py.
import {
  addSiteAndSector,
  BASE,
  checkPage,
  eventually,
  expect,
  log,
  PASSWORD,
  run,
  signIn,
  signUp,
  uniqueEmail,
  watch,
} from "./lib.mjs";

const HEADER =
  "Keyword,Intent,Volume,Trend,Keyword Difficulty,CPC (USD),Competitive Density,SERP Features,Number of Results";
const GOOD = [
  ["best running shoes", "Commercial", 9900, 67, 1.8],
  ["running shoes for flat feet", "Commercial", 2400, 45, 1.2],
  ["running shoes for women", "Commercial", 6600, 58, 1.5],
  ["cushioned running shoes", "Commercial", 1300, 41, 1.1],
  ["trail running shoes", "Commercial", 4400, 52, 1.4],
  ["home espresso machine", "Commercial", 5400, 72, 2.3],
  ["best espresso machine for home", "Commercial", 3600, 69, 2.1],
  ["espresso machine with grinder", "Commercial", 2900, 60, 2.0],
  ["manual lever espresso machine", "Commercial", 590, 78, 2.16],
  ["espresso grinder for beginners", "Informational", 880, 35, 0.9],
];
// Line 4 (a volume that is not a number) and line 9 (difficulty over 100) are refused.
const BAD = new Map([
  [4, "marathon chafing prevention,Commercial,lots,\"0.5,0.6\",13,1.63,0.43,\"Video\",735791221"],
  [9, "marathon training plan,Informational,1600,\"0.5,0.6\",140,1.10,0.20,\"Video\",1000"],
]);

function semrushCsv() {
  const lines = [HEADER];
  let good = 0;
  for (let line = 2; good < GOOD.length || BAD.has(line); line += 1) {
    if (BAD.has(line)) {
      lines.push(BAD.get(line));
      continue;
    }
    const [keyword, intent, volume, difficulty, cpc] = GOOD[good];
    good += 1;
    lines.push(`${keyword},${intent},${volume},"0.5,0.6,0.7",${difficulty},${cpc},0.5,"Featured snippet",1000000`);
  }
  return `${lines.join("\n")}\n`;
}

async function api(path, { token, method = "GET", body } = {}) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  expect(response.ok, `${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer.data ?? answer;
}

async function openPage(page, link, heading) {
  await page.getByRole("navigation", { name: "Modules" }).getByRole("link", { name: link, exact: true }).click();
  await page.getByRole("heading", { name: heading, level: 1 }).waitFor();
}

async function chooseWorkspace(page, site, sector) {
  const siteSelect = page.getByRole("combobox", { name: "Site" });
  await eventually(() => siteSelect.locator("option:checked").innerText(), (label) => label === site, "site chosen");
  await page.getByRole("combobox", { name: "Sector" }).selectOption({ label: sector });
}

async function importKeywords(page) {
  await page.getByRole("button", { name: "Import CSV" }).click();
  const dialog = page.getByRole("dialog", { name: "Import keywords" });
  await dialog.getByLabel("CSV or TSV file").setInputFiles({
    name: "semrush-export.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(semrushCsv()),
  });
  await dialog.getByText("semrush-export.csv").waitFor();

  // A dry run first: the report says what would happen, line by line, and nothing is written.
  await dialog.getByRole("checkbox", { name: /Dry run/ }).check();
  await dialog.getByRole("button", { name: "Check file" }).click();
  const report = dialog.getByRole("table", { name: "Rejected rows" });
  await report.waitFor({ timeout: 60_000 });
  const rows = await report.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent.trim())),
  );
  log(`dry-run report: ${JSON.stringify(rows)}`);
  expect(rows.length === 2, "two rejected rows");
  expect(rows[0][0] === "4" && rows[0][1] === "Rejected" && /lots/.test(rows[0][2]), "line 4: the volume named");
  expect(rows[1][0] === "9" && /140|difficulty/i.test(rows[1][2]), "line 9: the difficulty named");
  await dialog.getByText("Dry run: nothing was written.").waitFor();
  await checkPage(page, "import-dry-run");

  await dialog.getByRole("button", { name: "Import it now" }).click();
  await dialog.getByText(`Imported: ${GOOD.length}`).waitFor({ timeout: 60_000 });
  await dialog.locator('[data-testid="operation-progress"][data-state="succeeded"]').waitFor();
  await checkPage(page, "import-report");
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });
}

async function editInPlace(page) {
  await page.getByRole("button", { name: /^Edit Difficulty of home espresso machine:/ }).click();
  const input = page.getByRole("textbox", { name: "Difficulty of home espresso machine" });
  await input.fill("250");
  await input.press("Enter");
  await page.getByText(/less than or equal to 100/).waitFor();
  await checkPage(page, "keyword-field-error");
  await input.fill("70");
  await input.press("Enter");
  await eventually(
    () => page.getByRole("button", { name: /^Edit Difficulty of home espresso machine:/ }).textContent(),
    (text) => text.endsWith(": 70"),
    "the edited difficulty shown",
  );
}

async function cluster(page) {
  await openPage(page, "Clusters", "Clusters");
  await page.getByTestId("clusters-empty").waitFor();
  await checkPage(page, "clusters-empty");
  await page.getByRole("button", { name: "Run clustering" }).click();
  const dialog = page.getByRole("dialog", { name: "Cluster keywords" });
  await dialog.getByRole("radio", { name: /Local/ }).check();
  await dialog.getByRole("button", { name: "Start clustering" }).click();
  await dialog.locator('[data-testid="operation-progress"][data-state="succeeded"]').waitFor({ timeout: 90_000 });
  await checkPage(page, "clustering-done");
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });
  const clusters = await eventually(
    () => page.getByTestId("cluster-row").count(),
    (n) => n >= 2,
    "at least two clusters listed",
  );
  log(`${clusters} clusters`);
  await checkPage(page, "clusters");
}

async function ideas(page) {
  await openPage(page, "Ideas", "Ideas");
  await page.getByTestId("ideas-empty").waitFor();
  await page.getByRole("button", { name: "Generate ideas" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate ideas" });
  const boxes = dialog.getByRole("checkbox");
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await dialog.getByRole("textbox", { name: "Ideas per cluster" }).fill("2");
  const estimate = dialog.getByTestId("ideas-estimate");
  await eventually(() => estimate.innerText(), (text) => /hold up to \d+ credits/.test(text), "the cost shown before starting");
  log(`estimate: ${await estimate.innerText()}`);
  await checkPage(page, "ideas-estimate");
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  await dialog.locator('[data-testid="operation-progress"][data-state="succeeded"]').waitFor({ timeout: 90_000 });
  await dialog.getByRole("button", { name: "Close", exact: true }).last().click();
  await dialog.waitFor({ state: "detached" });
  await eventually(() => page.getByTestId("idea-row").count(), (n) => n === 4, "four ideas listed");
  await checkPage(page, "ideas");

  const first = page.getByTestId("idea-row").first();
  await first.getByRole("checkbox").check();
  await page.getByRole("button", { name: "Queue to writer" }).click();
  await page.getByText("1 idea queued to the writer.").waitFor();
  await eventually(() => page.getByTestId("idea-row").getByText("Queued").count(), (n) => n === 1, "one idea queued");
  await checkPage(page, "ideas-queued");
}

async function addViewer(ownerEmail) {
  const { access } = await api("/api/v1/auth/login/", { method: "POST", body: { email: ownerEmail, password: PASSWORD } });
  const email = uniqueEmail("viewer");
  const viewer = await api("/api/v1/auth/users/", { token: access, method: "POST", body: { email, password: PASSWORD, role: "viewer" } });
  const { results: sites } = await api("/api/v1/auth/sites/", { token: access });
  await api("/api/v1/auth/site-access/", { token: access, method: "POST", body: { site_id: sites[0].id, user_id: viewer.id } });
  return email;
}

async function viewerSeesNoWriteControls(browser, email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US" });
  const page = await context.newPage();
  watch(page);
  await signIn(page, email);
  await chooseWorkspace(page, "Garden blog", "Roses");
  const writes = [
    "Import CSV",
    "Add keyword",
    "Run clustering",
    "Generate ideas",
    "Queue to writer",
    "Delete selected",
    "Rename",
    "Edit",
  ];
  for (const [link, heading, rows] of [
    ["Keywords", "Keywords", "keyword-row"],
    ["Clusters", "Clusters", "cluster-row"],
    ["Ideas", "Ideas", "idea-row"],
  ]) {
    await openPage(page, link, heading);
    await page.getByText("Your role can look but not change anything here.").waitFor();
    await eventually(() => page.getByTestId(rows).count(), (n) => n > 0, `${heading} listed for the viewer`);
    for (const name of writes) {
      expect((await page.getByRole("button", { name, exact: true }).count()) === 0, `no ${name} for a viewer on ${heading}`);
    }
    expect((await page.getByRole("checkbox").count()) === 0, `no selection for a viewer on ${heading}`);
    expect((await page.getByRole("button", { name: /^Edit / }).count()) === 0, `no inline edit for a viewer on ${heading}`);
    await checkPage(page, `viewer-${heading.toLowerCase()}`);
  }
  await context.close();
}

await run("planner", async (page, _context, browser) => {
  const email = await signUp(page);
  await addSiteAndSector(page);

  await openPage(page, "Keywords", "Keywords");
  await page.getByTestId("keywords-empty").waitFor();
  await checkPage(page, "keywords-empty");
  await importKeywords(page);
  await eventually(() => page.getByTestId("keyword-row").count(), (n) => n === GOOD.length, "the imported keywords listed");
  await page.getByTestId("keywords-count").getByText(`${GOOD.length} keywords`).waitFor();
  await editInPlace(page);
  await checkPage(page, "keywords");

  await cluster(page);
  await ideas(page);

  const viewer = await addViewer(email);
  await viewerSeesNoWriteControls(browser, viewer);
});
