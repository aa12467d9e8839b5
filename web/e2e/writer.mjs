// The writer's pages in a real Chromium against the real gateway, billing and writer (offline
// AI): sign up → site and sector (UI) → a task made in the Tasks page, another and an author
// profile through the API → generate both articles with the profile (cost shown first, progress
// to the end) → generate their images → Content (drafts) → the editor: images shown through
// their signed links, edit title and body, save, the diff between two versions, restore,
// submit for review and approve → Images: regenerate one with a new prompt. axe-core on every
// page; screenshots in $ARTIFACTS.
//
// Run by tests/e2e/test_web_writer.py.
import { addSiteAndSector, BASE, checkPage, eventually, expect, log, PASSWORD, run, signUp } from "./lib.mjs";

const OPERATION_TIMEOUT = 120_000;

/** The API as the same user, for seeding what these pages do not make themselves. */
async function apiAs(email) {
  const login = await fetch(`${BASE}/api/v1/auth/login/`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(login.ok, `API login: ${login.status}`);
  const token = (await login.json()).data.access;
  return async (method, path, body) => {
    const answer = await fetch(`${BASE}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await answer.json();
    expect(answer.ok, `${method} ${path}: ${answer.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** Start the operation of the open dialog and wait for it to succeed; close the dialog. */
async function startAndFinish(page, dialog, name) {
  const estimate = dialog.getByTestId("cost-estimate");
  await estimate.waitFor();
  const cost = await estimate.innerText();
  expect(/costs at most \d+ credits; \d+ are available/.test(cost), `the cost is shown before starting: ${cost}`);
  await checkPage(page, `${name}-dialog`);
  await dialog.getByRole("button", { name: "Start" }).click();
  await dialog.locator('[data-testid="operation-progress"][data-state="succeeded"]').waitFor({ timeout: OPERATION_TIMEOUT });
  await dialog.getByText("Done. The lists are up to date.").waitFor();
  await dialog.getByRole("button", { name: "Close" }).last().click();
  await dialog.waitFor({ state: "detached" });
}

async function imagesShown(locator, what) {
  // Lazy images load once scrolled to.
  await locator.evaluateAll((imgs) => imgs.forEach((img) => img.scrollIntoView()));
  await eventually(
    () => locator.evaluateAll((imgs) => imgs.map((img) => img.complete && img.naturalWidth > 0)),
    (loaded) => loaded.length > 0 && loaded.every(Boolean),
    `${what}: every image loaded`,
    30_000,
  );
}

await run("writer", async (page) => {
  const email = await signUp(page, { account: "Rose Writers" });
  await addSiteAndSector(page, "Rose garden", "Pruning");
  const api = await apiAs(email);
  const sites = (await api("GET", "/api/v1/auth/sites/")).results;
  const site = sites.find((s) => s.name === "Rose garden");
  const sector = (await api("GET", `/api/v1/auth/sectors/?site_id=${site.id}`)).results[0];
  await api("POST", "/api/v1/writer/tasks/", {
    site_id: site.id,
    sector_id: sector.id,
    title: "When to prune climbing roses",
    keywords: ["prune climbing roses"],
    word_count: 600,
  });
  await api("POST", "/api/v1/system/author-profiles/", {
    name: "Gardener Greta",
    tone: "friendly",
    language: "en-GB",
    structure_template: {},
  });

  // -- Tasks: create one by hand (a field error first), generate both articles --------------
  await page.getByRole("navigation", { name: "Modules" }).getByRole("link", { name: "Tasks" }).click();
  await page.getByRole("heading", { name: "Tasks", level: 1 }).waitFor();
  await page.getByTestId("tasks-table").getByText("When to prune climbing roses").waitFor();
  await page.getByRole("button", { name: "New task" }).click();
  const newTask = page.getByRole("dialog", { name: "New task" });
  await newTask.getByRole("textbox", { name: "Title", exact: true }).fill("Pruning roses in spring");
  await newTask.getByRole("textbox", { name: "Keywords" }).fill("pruning roses, rose secateurs");
  await newTask.getByRole("textbox", { name: "Target word count" }).fill("50");
  await newTask.getByRole("button", { name: "Create task" }).click();
  await newTask.getByText(/greater than or equal to 100/).waitFor();
  await checkPage(page, "task-field-error");
  await newTask.getByRole("textbox", { name: "Target word count" }).fill("700");
  await newTask.getByRole("button", { name: "Create task" }).click();
  await newTask.waitFor({ state: "detached" });
  await page.getByTestId("tasks-table").getByText("Pruning roses in spring").waitFor();
  await checkPage(page, "tasks");

  // Filters: a search narrows the list.
  await page.getByRole("searchbox", { name: "Search" }).fill("climbing");
  await eventually(() => page.getByTestId("tasks-table").locator("tbody tr").count(), (n) => n === 1, "search narrows to one");
  await page.getByRole("searchbox", { name: "Search" }).fill("");
  await eventually(() => page.getByTestId("tasks-table").locator("tbody tr").count(), (n) => n === 2, "both tasks again");

  await page.getByRole("checkbox", { name: "Select all rows on this page" }).check();
  await page.getByText("2 selected").waitFor();
  await page.getByRole("button", { name: "Generate articles" }).click();
  const articles = page.getByRole("dialog", { name: "Generate 2 articles" });
  await articles.getByRole("combobox", { name: /Author profile/ }).selectOption({ label: "Gardener Greta (en-GB)" });
  await startAndFinish(page, articles, "generate-articles");
  await eventually(
    () => page.getByTestId("tasks-table").getByRole("link", { name: /Open the article of/ }).count(),
    (n) => n === 2,
    "both tasks link to their article",
  );

  await page.getByRole("button", { name: "Generate images" }).click();
  const images = page.getByRole("dialog", { name: "Generate images for 2 articles" });
  await images.getByRole("combobox", { name: /In-article images/ }).selectOption("1");
  await startAndFinish(page, images, "generate-images");
  await checkPage(page, "tasks-written");

  // -- Content: the drafts --------------------------------------------------------------------
  await page.getByRole("navigation", { name: "Modules" }).getByRole("link", { name: "Content" }).click();
  await page.getByRole("heading", { name: "Content", level: 1 }).waitFor();
  const drafts = page.getByTestId("content-table");
  await eventually(() => drafts.locator("tbody tr").count(), (n) => n === 2, "two drafts");
  await checkPage(page, "content-drafts");
  await drafts.getByRole("link", { name: "Pruning roses in spring" }).click();

  // -- The editor -----------------------------------------------------------------------------
  await page.getByRole("heading", { name: "Edit article" }).waitFor();
  const body = page.getByTestId("article-body");
  await body.waitFor();
  await imagesShown(body.locator("img"), "images in the article body");
  await imagesShown(page.locator('[data-testid="image-card"] img'), "the article's image cards");
  await page.getByTestId("serp-preview").waitFor();
  await checkPage(page, "editor");

  const versionRows = page.getByTestId("versions-table").locator("tbody tr");
  const before = await versionRows.count();
  await page.getByRole("textbox", { name: "Title", exact: true }).fill("Pruning roses in early spring");
  await body.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type(" Water the roses well after pruning.");
  await page.getByText("Unsaved changes").waitFor();
  await page.getByRole("button", { name: "Save" }).click();
  // The toast goes after a few seconds: read the new version's number now.
  const saved = await page.getByText(/Saved as version \d+\./).innerText();
  const edited = Number(saved.match(/\d+/)[0]);
  await eventually(() => versionRows.count(), (n) => n === before + 1, "the edit is a new version");
  expect((await body.innerText()).includes("Water the roses well after pruning."), "the edit is in the body");

  await page.getByRole("button", { name: "Show changes" }).click();
  const diff = page.getByTestId("version-diff");
  await diff.waitFor();
  const added = (await diff.locator("ins").allInnerTexts()).join(" ");
  const removed = (await diff.locator("del").allInnerTexts()).join(" ");
  expect(added.includes("early") && added.includes("Water"), `the diff shows what was added: ${added}`);
  log(`diff: added "${added}", removed "${removed}"`);
  await checkPage(page, "editor-diff");

  // Restore the version before the edit: the body loses the sentence, a new version is made.
  await page.getByRole("button", { name: `Restore version ${edited - 1}` }).click();
  await page.getByText(new RegExp(`Version ${edited - 1} restored as version ${edited + 1}`)).waitFor();
  await eventually(() => body.innerText(), (text) => !text.includes("Water the roses well"), "the restored body");
  await eventually(() => page.getByRole("textbox", { name: "Title", exact: true }).inputValue(), (v) => v === "Pruning roses in spring", "restored title");

  // Review: draft → in review → approved.
  await page.getByRole("button", { name: "Submit for review" }).click();
  await eventually(() => page.getByTestId("content-status").textContent(), (s) => s === "Status: In review", "in review");
  await page.getByRole("button", { name: "Approve" }).click();
  await eventually(() => page.getByTestId("content-status").textContent(), (s) => s === "Status: Approved", "approved");
  await checkPage(page, "editor-approved");

  await page.getByRole("link", { name: "Back to content" }).click();
  await page.getByRole("tab", { name: "Approved" }).click();
  await page.getByTestId("content-table").getByRole("link", { name: "Pruning roses in spring" }).waitFor();
  await checkPage(page, "content-approved");

  // -- Images: regenerate one with a new prompt ----------------------------------------------
  await page.getByRole("navigation", { name: "Modules" }).getByRole("link", { name: "Images" }).click();
  await page.getByRole("heading", { name: "Images", level: 1 }).waitFor();
  const cards = page.getByTestId("image-card");
  await eventually(() => cards.count(), (n) => n === 4, "four images (two articles: featured + one in-article)");
  await imagesShown(page.locator('[data-testid="image-card"] img'), "the images page");
  await checkPage(page, "images");
  await cards.first().getByRole("button", { name: "Regenerate" }).click();
  const regenerate = page.getByRole("dialog", { name: "Regenerate the image" });
  await regenerate.getByRole("textbox", { name: /New prompt/ }).fill("A pair of secateurs on a garden bench at dawn");
  await startAndFinish(page, regenerate, "regenerate-image");
  await cards.first().getByText("A pair of secateurs on a garden bench at dawn").waitFor();
  await checkPage(page, "images-regenerated");
});
