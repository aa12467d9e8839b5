// A person's first visit, in a real Chromium (Debian's, driven by playwright-core) against the
// real product: sign up → add a site (an API field error first) and a sector → see them
// listed → the choice and the session survive a reload → a "coming next" page → sign out.
// axe-core checks every page (no serious or critical violation); any CSP violation or page
// error fails the run; each page is saved as a screenshot in $ARTIFACTS.
//
//   BASE_URL=http://127.0.0.1:8000 ARTIFACTS=../build/test-artifacts/web node e2e/journey.mjs
//
// Run by tests/e2e/test_web_app_browser.py (inside `make test`).
import { audit, BASE, checkPage, eventually, expect, log, run, shot } from "./lib.mjs";

await run("journey", async (page, context) => {
  // -- an unknown visitor is sent to sign in ------------------------------------------------
  await page.goto(`${BASE}/settings/sites`);
  await page.getByRole("heading", { name: "Sign in to IGNY8" }).waitFor();
  expect(new URL(page.url()).pathname === "/login", `redirected to /login, at ${page.url()}`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByText("Required").first().waitFor();
  await checkPage(page, "sign-in");

  // -- sign up --------------------------------------------------------------------------------
  await page.getByRole("link", { name: "Create one" }).click();
  await page.getByRole("heading", { name: "Create your IGNY8 account" }).waitFor();
  await checkPage(page, "sign-up");
  const email = `web-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  await page.getByRole("textbox", { name: "First name", exact: true }).fill("Ada");
  await page.getByRole("textbox", { name: "Last name", exact: true }).fill("Lovelace");
  await page.getByRole("textbox", { name: "Account (agency or company) name", exact: true }).fill("Analytical Agency");
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
  await page.getByRole("textbox", { name: "Password", exact: true }).fill("Correct-Horse-42!");
  await page.getByRole("button", { name: "Create account" }).click();

  // A new account lands on Home, which offers to add the first site.
  await page.getByRole("heading", { name: "Welcome to IGNY8" }).waitFor();
  await page.getByText("You have no site yet.").waitFor();
  await page.getByTestId("credits").waitFor({ timeout: 30_000 });
  await checkPage(page, "home-new-account");
  await page.getByRole("link", { name: "Add your first site" }).click();
  await page.getByRole("heading", { name: "Sites & sectors" }).waitFor();
  await page.getByTestId("sites-empty").waitFor();
  const credits = await page.getByTestId("credits").innerText();
  expect(/\d/.test(credits), `credits badge shows a number: ${credits}`);
  log(`signed up as ${email}; ${credits}`);

  // The refresh token is an HttpOnly cookie: the page's scripts cannot read it.
  const cookies = await context.cookies();
  const refresh = cookies.find((c) => c.name === "igny8_refresh");
  expect(refresh?.httpOnly === true && refresh.sameSite === "Strict", "refresh cookie is HttpOnly, SameSite=Strict");
  expect(refresh.path === "/api/v1/auth/", `refresh cookie path: ${refresh.path}`);
  expect(!(await page.evaluate(() => document.cookie)).includes("igny8_refresh"), "document.cookie hides it");
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(!stored.includes("eyJ"), "no token in localStorage or sessionStorage");
  await checkPage(page, "sites-empty");

  // -- add a site: the API's field error shows next to its field -----------------------------
  await page.getByRole("button", { name: "Add site" }).click();
  const dialog = page.getByRole("dialog", { name: "Add site" });
  await dialog.getByRole("textbox", { name: "Name", exact: true }).fill("Garden blog");
  await dialog.getByRole("textbox", { name: "Domain", exact: true }).fill("localhost");
  await dialog.getByRole("button", { name: "Create" }).click();
  const domain = dialog.getByRole("textbox", { name: "Domain", exact: true });
  await dialog.locator("[aria-invalid='true']").first().waitFor();
  expect((await domain.getAttribute("aria-invalid")) === "true", "domain field marked invalid by the API");
  const describedBy = (await domain.getAttribute("aria-describedby")) ?? "";
  const errorId = describedBy.split(" ").find((id) => id.includes("error"));
  expect(errorId, `domain error linked to its field (${describedBy})`);
  const domainError = await page.locator(`[id="${errorId}"]`).innerText();
  log(`API field error on domain: ${domainError}`);
  await audit(page, "site-form-error");
  await shot(page, "site-form-error");
  await domain.fill("garden.example");
  await dialog.getByRole("button", { name: "Create" }).click();
  await dialog.waitFor({ state: "detached" });
  await page.getByRole("cell", { name: "Garden blog", exact: true }).waitFor();
  await page.getByRole("cell", { name: "garden.example", exact: true }).waitFor();

  // -- add a sector ------------------------------------------------------------------------
  await page.getByRole("heading", { name: "Sectors of Garden blog" }).waitFor();
  await page.getByRole("button", { name: "Add sector" }).click();
  const sectorDialog = page.getByRole("dialog", { name: "Add sector" });
  await sectorDialog.getByRole("textbox", { name: "Sector name", exact: true }).fill("Roses");
  await sectorDialog.getByRole("button", { name: "Create" }).click();
  await sectorDialog.waitFor({ state: "detached" });
  await page.getByTestId("sectors-table").getByRole("cell", { name: "Roses", exact: true }).waitFor();
  await checkPage(page, "sites-and-sectors");

  // -- the header's switcher has them; the choice and the session survive a reload ------------
  const siteSelect = page.getByRole("combobox", { name: "Site" });
  const sectorSelect = page.getByRole("combobox", { name: "Sector" });
  await eventually(
    () => siteSelect.locator("option:checked").innerText(),
    (label) => label === "Garden blog",
    "site chosen in the header",
  );
  await sectorSelect.selectOption({ label: "Roses" });
  await page.reload();
  await page.getByRole("heading", { name: "Sites & sectors" }).waitFor();
  await page.getByRole("cell", { name: "Garden blog", exact: true }).waitFor();
  await eventually(
    () => sectorSelect.locator("option:checked").innerText(),
    (label) => label === "Roses",
    "sector remembered across a reload",
  );
  log("reload: still signed in (refresh cookie), site and sector remembered");

  // -- home and a page not built yet ---------------------------------------------------------
  await page.getByRole("navigation", { name: "Modules" }).getByRole("link", { name: "Home" }).click();
  await page.getByRole("heading", { name: "Welcome to IGNY8" }).waitFor();
  await page.getByText("1 site").waitFor();
  await checkPage(page, "home");
  await page.getByRole("link", { name: "Rules" }).click();
  await page.getByRole("heading", { name: "Rules is coming next" }).waitFor();
  await checkPage(page, "coming-next");

  // -- sign out: back to sign in, and a reload does not bring the session back -------------------
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in to IGNY8" }).waitFor();
  await page.getByText("You are signed out.").waitFor();
  expect(!(await context.cookies()).some((c) => c.name === "igny8_refresh" && c.value), "refresh cookie cleared");
  await page.goto(`${BASE}/settings/sites`);
  await page.getByRole("heading", { name: "Sign in to IGNY8" }).waitFor();
  await checkPage(page, "signed-out");
});
