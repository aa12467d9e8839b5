// The automation page in a real Chromium against the real product: sign up → add a site and
// a sector → Automation → a bad schedule (the API's field error next to its field) → saved
// settings with the next scheduled run → "Run now" → the run in the history → axe-core on
// every page, screenshots in $ARTIFACTS.
//
//   BASE_URL=http://127.0.0.1:8000 ARTIFACTS=../build/test-artifacts/web node e2e/automation.mjs
//
// Run by tests/e2e/test_web_automation.py.
import { addSiteAndSector, BASE, checkPage, eventually, expect, log, run, signUp } from "./lib.mjs";

await run("automation", async (page) => {
  await signUp(page);
  await addSiteAndSector(page, "Shoe shop", "Running");

  await page.goto(`${BASE}/automation`);
  await page.getByRole("heading", { name: "Automation", level: 1 }).waitFor();
  await page.getByText("No run is going.").waitFor();
  await page.getByText("No run yet.").waitFor();
  await checkPage(page, "automation-empty");

  // -- a bad schedule: the API's field error next to its field ------------------------------
  const form = page.getByRole("form", { name: "Settings" });
  const schedule = form.getByRole("textbox", { name: "Schedule (cron)" });
  await form.getByRole("switch", { name: "Run on a schedule" }).check();
  await schedule.fill("61 * * * *");
  await form.getByRole("button", { name: "Save settings" }).click();
  await eventually(() => schedule.getAttribute("aria-invalid"), (v) => v === "true", "schedule marked invalid");
  const describedBy = (await schedule.getAttribute("aria-describedby")) ?? "";
  const errorId = describedBy.split(" ").find((id) => id.includes("error"));
  expect(errorId, `schedule error linked to its field (${describedBy})`);
  const message = await page.locator(`[id="${errorId}"]`).innerText();
  expect(message.includes("cron"), `the cron error is shown: ${message}`);
  await checkPage(page, "automation-bad-schedule");

  // -- good settings: saved, with the next run in the chosen time zone ----------------------
  await schedule.fill("0 9 * * 1-5");
  await form.getByRole("textbox", { name: "Time zone" }).fill("Europe/Berlin");
  await form.getByRole("textbox", { name: "Articles written" }).fill("2");
  await form.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Automation settings saved.").waitFor();
  const next = await page.getByTestId("next-run").innerText();
  expect(next.startsWith("Next scheduled run:"), `next run shown: ${next}`);
  log(next);

  // -- run now: the run starts and (nothing to do on an empty site) lands in the history ----
  await page.getByRole("button", { name: "Run now" }).click();
  await page.getByText("Automation run started.").waitFor();
  const history = page.getByRole("region", { name: "Run history" });
  await history.getByRole("cell", { name: "Completed", exact: true }).waitFor({ timeout: 60_000 });
  await history.getByRole("cell", { name: "By hand", exact: true }).waitFor();
  await checkPage(page, "automation-history");

  // The settings are still there after a reload.
  await page.reload();
  await page.getByRole("heading", { name: "Automation", level: 1 }).waitFor();
  await eventually(() => schedule.inputValue(), (v) => v === "0 9 * * 1-5", "schedule kept");
});
