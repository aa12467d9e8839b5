// What every browser test shares: Chromium launched as this machine allows (Debian's, no
// download, no background networking), axe-core audits, screenshots, polling, and signing up
// a fresh account through the app. A module's test is `e2e/<module>.mjs`, run by a pytest in
// tests/e2e/ (see test_web_app_browser.py), and ends with `finish()`.
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import { chromium } from "playwright-core";

export const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8000";
export const OUT = path.resolve(process.env.ARTIFACTS ?? "../build/test-artifacts/web");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const TIMEOUT = 20_000;
export const PASSWORD = "Correct-Horse-42!";

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");

/** Problems found along the way (axe, CSP, page errors, a failed step): any fails the run. */
export const problems = [];
let step = 0;
let label = "e2e";

export function log(message) {
  console.log(`[${label}] ${message}`);
}

export function expect(condition, message) {
  if (!condition) throw new Error(`expectation failed: ${message}`);
}

/** Poll `read()` until `accept(value)`; fail with the last value after `timeout` ms. */
export async function eventually(read, accept, message, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`expectation failed: ${message} (last: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** axe-core on the page as it is now: serious and critical violations fail the run. */
export async function audit(page, name) {
  // A toast or modal still fading in has a see-through colour: audit what the user sees once
  // the page's transitions and animations have finished.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => null))));
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) is untouched.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const report = await axe.run(document, { resultTypes: ["violations"] });
    return report.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} [${n.any.map((c) => c.message).join(" / ")}]`),
    }));
  });
  const blocking = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of result) log(`  axe ${name}: ${v.impact} ${v.id} (${v.help}) at ${v.targets.join(", ")}`);
  if (blocking.length > 0) problems.push(`axe on ${name}: ${blocking.map((v) => `${v.id} at ${v.targets.join(", ")}`).join("; ")}`);
}

/** A full-page screenshot in $ARTIFACTS, numbered in the order taken, prefixed by the test. */
export async function shot(page, name) {
  step += 1;
  const file = path.join(OUT, `${label}-${String(step).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  log(`screenshot ${file}`);
}

/** Requests in flight per page, but for the event stream (open for as long as the app is). */
const inFlight = new WeakMap();
const STREAM = "/api/v1/events/stream";

function track(page) {
  if (inFlight.has(page)) return;
  const open = new Set();
  inFlight.set(page, open);
  page.on("request", (request) => {
    if (!request.url().includes(STREAM)) open.add(request);
  });
  for (const event of ["requestfinished", "requestfailed"]) page.on(event, (request) => open.delete(request));
}

/** Loaded, and no request (but the event stream) in flight for 500 ms: Playwright's
 * "networkidle" never comes while the app reads its event stream. */
export async function settled(page, timeout = TIMEOUT) {
  track(page);
  await page.waitForLoadState("load");
  const open = inFlight.get(page);
  const deadline = Date.now() + timeout;
  let quietSince = Date.now();
  for (;;) {
    if (open.size > 0) quietSince = Date.now();
    else if (Date.now() - quietSince >= 500) return;
    if (Date.now() > deadline) throw new Error(`page did not settle: ${[...open].map((r) => r.url()).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The page settled, audited and saved. */
export async function checkPage(page, name) {
  await settled(page);
  await audit(page, name);
  await shot(page, name);
}

/** Chromium with a new context; CSP violations and page errors become problems. */
export async function launch(name) {
  label = name;
  await mkdir(OUT, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US" });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  watch(page);
  return { browser, context, page };
}

/** Report CSP violations and uncaught errors of a page (one `launch` made is already watched). */
export function watch(page) {
  track(page);
  page.on("console", (message) => {
    const text = message.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) problems.push(`CSP violation: ${text}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.stack ?? error.message}`));
}

export function uniqueEmail(prefix = "web") {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
}

/** Sign up through the app's own form; lands on Home. Returns the email used. */
export async function signUp(page, { email = uniqueEmail(), account = "Analytical Agency" } = {}) {
  await page.goto(`${BASE}/signup`);
  await page.getByRole("textbox", { name: "First name", exact: true }).fill("Ada");
  await page.getByRole("textbox", { name: "Last name", exact: true }).fill("Lovelace");
  await page.getByRole("textbox", { name: "Account (agency or company) name", exact: true }).fill(account);
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Welcome to IGNY8" }).waitFor();
  return email;
}

/** Sign in through the app's own form. */
export async function signIn(page, email, password = PASSWORD) {
  await page.goto(`${BASE}/login`);
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Modules" }).waitFor();
}

/** Add a site and a sector through Settings → Sites & sectors, and choose them in the header. */
export async function addSiteAndSector(page, site = "Garden blog", sector = "Roses") {
  await page.goto(`${BASE}/settings/sites`);
  await page.getByRole("heading", { name: "Sites & sectors" }).waitFor();
  await page.getByRole("button", { name: "Add site" }).click();
  const dialog = page.getByRole("dialog", { name: "Add site" });
  await dialog.getByRole("textbox", { name: "Name", exact: true }).fill(site);
  await dialog.getByRole("button", { name: "Create" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByRole("heading", { name: `Sectors of ${site}` }).waitFor();
  await page.getByRole("button", { name: "Add sector" }).click();
  const sectorDialog = page.getByRole("dialog", { name: "Add sector" });
  await sectorDialog.getByRole("textbox", { name: "Sector name", exact: true }).fill(sector);
  await sectorDialog.getByRole("button", { name: "Create" }).click();
  await sectorDialog.waitFor({ state: "detached" });
  await page.getByTestId("sectors-table").getByRole("cell", { name: sector, exact: true }).waitFor();
  const siteSelect = page.getByRole("combobox", { name: "Site" });
  await eventually(() => siteSelect.locator("option:checked").innerText(), (l) => l === site, "site chosen");
  await page.getByRole("combobox", { name: "Sector" }).selectOption({ label: sector });
}

/** Run `body(page, context)` in a fresh browser; a thrown error becomes a problem and a
 * failure screenshot; then exit non-zero if anything went wrong. */
export async function run(name, body) {
  const { browser, context, page } = await launch(name);
  try {
    await body(page, context, browser);
    log(`done: ${step} pages`);
  } catch (error) {
    problems.push(String(error instanceof Error ? (error.stack ?? error.message) : error));
    await page.screenshot({ path: path.join(OUT, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
  } finally {
    await browser.close();
  }
  if (problems.length > 0) {
    console.error(`[${name}] FAILED:\n- ${problems.join("\n- ")}`);
    process.exit(1);
  }
  log("passed");
}
