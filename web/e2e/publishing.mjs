// Publishing in a real Chromium against the real product and a real WordPress (with the
// IGNY8 bridge plugin active): connect WordPress in the app and see its four checks, sync the
// structure, download the plugin zip, create the connection key and paste it in WordPress's
// own settings page (Settings → IGNY8), publish an approved article (seeded through the API:
// task → generate_content with the offline AI → review → approve) and watch the operations
// tray follow it, check the post is live through WordPress's REST API, then move the post to
// draft in WordPress: the records table shows it without a reload. Home shows the counts.
// axe-core and a screenshot on every page.
//
//   BASE_URL=… WP_URL=… WP_USER=… WP_PASSWORD=… WP_APP_PASSWORD=… node e2e/publishing.mjs
//
// Run by tests/e2e/test_web_publishing.py.
import { access, rename, writeFile } from "node:fs/promises";

import { addSiteAndSector, BASE, checkPage, eventually, expect, log, PASSWORD, run, signUp } from "./lib.mjs";

const WP_URL = process.env.WP_URL;
const WP_USER = process.env.WP_USER;
const WP_PASSWORD = process.env.WP_PASSWORD;
const WP_APP_PASSWORD = process.env.WP_APP_PASSWORD;
if (!WP_URL || !WP_USER || !WP_PASSWORD || !WP_APP_PASSWORD) throw new Error("WP_URL, WP_USER, WP_PASSWORD and WP_APP_PASSWORD are needed");
const WP_AUTH = `Basic ${Buffer.from(`${WP_USER}:${WP_APP_PASSWORD}`).toString("base64")}`;

/** The API as the signed-up user (for seeding what earlier stages produce). */
async function apiAs(email) {
  const login = await fetch(`${BASE}/api/v1/auth/login/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(login.ok, `API login ${login.status}`);
  const token = (await login.json()).data.access;
  return async (method, path, body) => {
    const answer = await fetch(`${BASE}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await answer.json();
    if (!answer.ok) throw new Error(`${method} ${path} → ${answer.status}: ${JSON.stringify(json)}`);
    return json;
  };
}

async function wordpress(path, init = {}) {
  const answer = await fetch(`${WP_URL}/wp-json${path}`, {
    ...init,
    headers: { authorization: WP_AUTH, "content-type": "application/json", ...(init.headers ?? {}) },
  });
  return { status: answer.status, body: await answer.json() };
}

await run("publishing", async (page) => {
  const email = await signUp(page);
  await addSiteAndSector(page, "Trail blog", "Running");
  const api = await apiAs(email);

  // -- seed an approved article through the API --------------------------------------------
  const site = (await api("GET", "/api/v1/auth/sites/")).results[0];
  const sector = (await api("GET", `/api/v1/auth/sectors/?site_id=${site.id}`)).results[0];
  const task = (
    await api("POST", "/api/v1/writer/tasks/", {
      site_id: site.id,
      sector_id: sector.id,
      title: "Trail running shoes guide",
      keywords: ["trail running shoes"],
    })
  ).data;
  // Billing opens the new account's balance asynchronously: generation waits for it.
  await eventually(() => api("GET", "/api/v1/billing/balance/").catch(() => null), (b) => b !== null, "balance opened", 30_000);
  const generation = (await api("POST", "/api/v1/writer/tasks/generate_content/", { task_ids: [task.id] })).data;
  const generated = await eventually(
    async () => (await api("GET", `/api/v1/operations/${generation.operation_id}/`)).data,
    (o) => o.is_final,
    "article generated",
    90_000,
  );
  expect(generated.state === "succeeded", `generation ${JSON.stringify(generated)}`);
  const content = (await api("GET", `/api/v1/writer/content/?task_id=${task.id}`)).results[0];
  await api("POST", `/api/v1/writer/content/${content.id}/status/`, { status: "review" });
  await api("POST", `/api/v1/writer/content/${content.id}/approve/`);
  log(`seeded approved article ${content.id}: ${content.title}`);

  // -- Home: the pipeline's counts (the writer's stages; the test runs no planner) ------------
  await page.getByRole("link", { name: "Home", exact: true }).click();
  await page.getByTestId("pipeline").waitFor();
  await eventually(() => page.getByTestId("count-approved").innerText(), (text) => text.endsWith("1"), "Home counts the approved article");
  expect((await page.getByTestId("count-tasks").innerText()).endsWith("1"), "Home counts the task");
  await page.getByTestId("recent-operations").waitFor();
  await checkPage(page, "home-dashboard");

  // -- connect WordPress: the four checks, one by one ------------------------------------------
  await page.getByRole("link", { name: "WordPress", exact: true }).click();
  await page.getByRole("heading", { name: "Connect WordPress" }).waitFor();
  await checkPage(page, "wordpress-connect");
  await page.getByRole("textbox", { name: "WordPress address" }).fill(WP_URL);
  await page.getByRole("textbox", { name: "WordPress user name" }).fill(WP_USER);
  await page.getByLabel("Application password").fill("wrong password for sure");
  await page.getByRole("button", { name: "Test connection" }).click();
  const checks = page.getByTestId("connection-checks");
  await checks.waitFor({ timeout: 60_000 });
  expect((await checks.getAttribute("data-ok")) === "false", "a wrong password fails the test");
  expect((await page.getByTestId("check-credentials").getAttribute("data-ok")) === "false", "the credentials check failed");
  expect((await page.getByTestId("check-can_publish").getAttribute("data-ok")) === "null", "the check after it was not run");
  await checkPage(page, "wordpress-test-failed");

  await page.getByLabel("Application password").fill(WP_APP_PASSWORD);
  await page.getByRole("button", { name: "Test connection" }).click();
  await eventually(() => checks.getAttribute("data-ok"), (ok) => ok === "true", "the connection test passes", 60_000);
  for (const name of ["address", "rest_api", "credentials", "can_publish"]) {
    expect((await page.getByTestId(`check-${name}`).getAttribute("data-ok")) === "true", `check ${name} passed`);
  }
  await checkPage(page, "wordpress-test-passed");
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await page.getByTestId("integration-status").waitFor();

  // The saved integration: its own test, the structure, the default author.
  await page.getByRole("button", { name: "Test connection" }).click();
  await eventually(() => page.getByTestId("connection-checks").getAttribute("data-ok"), (ok) => ok === "true", "saved integration passes", 60_000);
  await page.getByRole("button", { name: "Sync structure" }).click();
  await page.getByTestId("structure-counts").waitFor({ timeout: 60_000 });
  await page.getByLabel("Default author", { exact: true }).first().click();
  await page.getByRole("option", { name: WP_USER }).click();
  await page.getByText("Default author saved.").waitFor();

  // The plugin zip downloads.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-plugin").click()]);
  expect(/^igny8-bridge-.*\.zip$/.test(download.suggestedFilename()), `plugin zip name: ${download.suggestedFilename()}`);

  // The connection key: created, shown once, copied into WordPress's settings page.
  await page.getByRole("button", { name: "Create connection key" }).click();
  const key = await page.getByTestId("connection-key").inputValue();
  expect(key.length > 40, "a connection key is shown");
  await page.getByRole("button", { name: "Copy" }).click();
  await page.getByRole("button", { name: "Copied" }).waitFor();
  await eventually(() => page.getByTestId("key-status").getAttribute("data-issued"), (v) => v === "true", "key status issued");
  await checkPage(page, "wordpress-connected");

  // The administrator pastes the key into the plugin's settings page; the test's Python side
  // stands in for them (Igny8_Connection::save_key, what that page calls): the key goes out
  // through $KEY_FILE and the run waits for "$KEY_FILE.saved".
  await writeFile(`${process.env.KEY_FILE}.part`, key);
  await rename(`${process.env.KEY_FILE}.part`, process.env.KEY_FILE);
  await eventually(() => access(`${process.env.KEY_FILE}.saved`).then(() => true, () => false), (v) => v, "key saved in WordPress", 60_000);
  log("connection key saved in WordPress");

  // -- publish through the app; the tray follows the operation --------------------------------
  await page.getByRole("link", { name: "Publishing records" }).click();
  await page.getByRole("heading", { name: "Publishing records" }).waitFor();
  await page.getByTestId("records-empty").waitFor();
  await checkPage(page, "records-empty");
  await page.getByRole("checkbox", { name: `Select ${content.title}` }).check();
  await page.getByRole("radio", { name: "Published" }).check();
  await page.getByRole("button", { name: "Publish 1 article" }).click();
  const progress = page.getByTestId("operation-progress");
  await eventually(() => progress.getAttribute("data-state"), (s) => s === "succeeded", "publish operation done", 90_000);
  const row = page.getByTestId("record-row").filter({ has: page.getByText(content.title) });
  await row.waitFor();
  const link = row.getByRole("link", { name: `Open “${content.title}” in WordPress` });
  const postUrl = await link.getAttribute("href");
  expect(postUrl?.startsWith(WP_URL), `live post link ${postUrl}`);
  expect((await row.getByTestId("wordpress-status").getAttribute("data-status")) === "publish", "WordPress status: publish");
  await checkPage(page, "records-published");

  await page.getByTestId("operations-tray").click();
  const tray = page.getByRole("region", { name: "Operations" });
  const item = tray.getByTestId("tray-item").filter({ hasText: "Publishing" });
  await eventually(() => item.first().getAttribute("data-state"), (s) => s === "succeeded", "tray shows the publish operation done");
  await checkPage(page, "tray");
  await item.first().click();
  const detail = page.getByRole("dialog", { name: "Publishing" });
  await detail.getByTestId("operation-result").waitFor();
  await checkPage(page, "tray-operation-detail");
  await page.keyboard.press("Escape");
  await detail.waitFor({ state: "detached" });

  // -- the post is live in WordPress ----------------------------------------------------------
  const record = (await api("GET", "/api/v1/publisher/records/")).results[0];
  const live = await fetch(`${WP_URL}/wp-json/wp/v2/posts/${record.external_id}`);
  expect(live.status === 200, `the post is public (${live.status})`);
  const post = await live.json();
  expect(post.status === "publish" && post.title.rendered === content.title, `live post ${post.status} ${post.title.rendered}`);

  // -- a change made in WordPress shows in the app without a reload ---------------------------
  const navigations = [];
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) navigations.push(frame.url());
  });
  const moved = await wordpress(`/wp/v2/posts/${record.external_id}`, { method: "POST", body: JSON.stringify({ status: "draft" }) });
  expect(moved.status === 200, `WordPress moved the post to draft (${moved.status})`);
  await eventually(
    () => row.getByTestId("wordpress-status").getAttribute("data-status"),
    (s) => s === "draft",
    "the records table follows WordPress (draft)",
    45_000,
  );
  expect(navigations.length === 0, `no reload: ${navigations.join(", ")}`);
  await checkPage(page, "records-followed-wordpress");
});
