// Frames dropped while scrolling the Keywords table over 100,000 rows, in headless Chromium
// against a running product (`make run`, or any BASE_URL with the gateway, billing and planner).
//
//   node bench/web/keywords_scroll.mjs [--rows 100000] [--seconds 20] [--speed 4000]
//
// 1. Seeds a fresh account through the API: a site, a sector and --rows keywords
//    (bulk_create, 1,000 a request).
// 2. Signs in through the app, opens Planner → Keywords, and scrolls the table's scroll
//    container by --speed pixels a second for --seconds, from requestAnimationFrame (as a
//    wheel or a dragged scrollbar does); the table asks for further keyset pages as it goes.
// 3. Counts frames: a frame is dropped when the gap between two animation frames is more than
//    1.5 times the display's frame interval (measured first, idle). Prints frames, dropped
//    frames and their share, the rows loaded and the rows in the DOM at the end (the
//    virtualiser keeps that number small), as JSON on the last line.
//
// The target (issue 11): under 5% dropped. Headless Chromium with no GPU draws in software,
// so the figure is an upper bound of what a desktop browser shows.
import { createRequire } from "node:module";

const require = createRequire(new URL("../../web/package.json", import.meta.url));
const { chromium } = require("playwright-core");

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith("--") ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const BASE = process.env.BASE_URL ?? "http://127.0.0.1:8000";
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ROWS = Number(args.rows ?? 100_000);
const SECONDS = Number(args.seconds ?? 20);
const SPEED = Number(args.speed ?? 4000);
const PASSWORD = "Correct-Horse-42!";
const BATCH = 1000;

async function api(path, { token, method = "GET", body } = {}) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
  return answer.data;
}

async function seed() {
  const email = `bench-scroll-${Date.now()}@example.com`;
  const { access } = await api("/api/v1/auth/register/", {
    method: "POST",
    body: { email, password: PASSWORD, account_name: "Scroll bench" },
  });
  const site = await api("/api/v1/auth/sites/", { token: access, method: "POST", body: { name: "Bench site" } });
  const sector = await api("/api/v1/auth/sectors/", { token: access, method: "POST", body: { site_id: site.id, name: "Bench sector" } });
  const started = Date.now();
  for (let first = 0; first < ROWS; first += BATCH) {
    const keywords = Array.from({ length: Math.min(BATCH, ROWS - first) }, (_, i) => {
      const n = first + i;
      return { keyword: `bench keyword ${n} ${(n * 7919) % 100_003}`, volume: (n * 37) % 50_000, difficulty: n % 101 };
    });
    await api("/api/v1/planner/keywords/bulk_create/", {
      token: access,
      method: "POST",
      body: { site_id: site.id, sector_id: sector.id, keywords },
    });
  }
  console.error(`seeded ${ROWS} keywords in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return email;
}

async function measure(email) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);
    await page.goto(`${BASE}/login`);
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
    await page.getByRole("textbox", { name: "Password", exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Modules" }).waitFor();
    await page.getByRole("combobox", { name: "Sector" }).selectOption({ label: "Bench sector" });
    await page.getByRole("navigation", { name: "Modules" }).getByRole("link", { name: "Keywords", exact: true }).click();
    await page.getByTestId("keyword-row").first().waitFor();

    return await page.evaluate(
      async ({ seconds, speed }) => {
        const scroller = document.querySelector('[data-testid="keywords-scroller"]');
        const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
        // The display's frame interval, idle.
        const idle = [];
        let last = await frame();
        for (let i = 0; i < 60; i += 1) {
          const now = await frame();
          idle.push(now - last);
          last = now;
        }
        idle.sort((a, b) => a - b);
        const interval = idle[Math.floor(idle.length / 2)];

        const gaps = [];
        const start = await frame();
        last = start;
        while (last - start < seconds * 1000) {
          const now = await frame();
          const gap = now - last;
          gaps.push(gap);
          scroller.scrollTop += (speed * gap) / 1000;
          last = now;
        }
        const dropped = gaps.filter((gap) => gap > interval * 1.5).length;
        const loaded = /(\d[\d,]*) of/.exec(document.querySelector('[data-testid="keywords-count"]')?.textContent ?? "")?.[1];
        return {
          frame_interval_ms: Number(interval.toFixed(2)),
          frames: gaps.length,
          dropped,
          dropped_share: Number((dropped / gaps.length).toFixed(4)),
          worst_gap_ms: Number(Math.max(...gaps).toFixed(1)),
          scrolled_px: Math.round(scroller.scrollTop),
          rows_loaded: loaded ? Number(loaded.replaceAll(",", "")) : null,
          rows_in_dom: document.querySelectorAll('[data-testid="keyword-row"]').length,
        };
      },
      { seconds: SECONDS, speed: SPEED },
    );
  } finally {
    await browser.close();
  }
}

const email = process.env.BENCH_EMAIL ?? (await seed());
const result = await measure(email);
console.log(JSON.stringify({ rows: ROWS, seconds: SECONDS, speed_px_s: SPEED, ...result }));
