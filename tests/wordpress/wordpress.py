"""A real, throw-away WordPress for tests and benchmarks.

Debian's ``wordpress`` package (``/usr/share/wordpress``) served by PHP's built-in server on a
free 127.0.0.1 port, with its own MariaDB database (``127.0.0.1:3306``, root without password
unless ``IGNY8_WP_DB_*`` say otherwise) and its own docroot: the code folders are symlinked,
the top-level PHP files copied (so ``ABSPATH`` is our docroot and our ``wp-config.php`` is the
one loaded, not Debian's ``/etc/wordpress/config-<host>.php``), ``wp-content`` is ours.

    wp = LocalWordPress.start(Path("/tmp/x"))
    wp.base_url, wp.admin_user, wp.admin_password, wp.app_password
    wp.php("echo get_option('blogname');")
    wp.activate_plugin(Path("services/publisher/wordpress-plugin/igny8-bridge"))
    with wp.rest_api_disabled(): ...
    wp.stop()

No wp-cli: WordPress is installed with ``wp_install()`` from a PHP script. Application passwords
work over plain HTTP because ``WP_ENVIRONMENT_TYPE`` is ``local``. Pretty permalinks
(``/wp-json/...``) work through a router script.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

WORDPRESS_SOURCE = Path(os.environ.get("IGNY8_WP_SOURCE", "/usr/share/wordpress"))
DB_HOST = os.environ.get("IGNY8_WP_DB_HOST", "127.0.0.1")
DB_PORT = int(os.environ.get("IGNY8_WP_DB_PORT", "3306"))
DB_USER = os.environ.get("IGNY8_WP_DB_USER", "root")
DB_PASSWORD = os.environ.get("IGNY8_WP_DB_PASSWORD", "")

ROUTER = """<?php
// PHP built-in server router: real files are served as they are, everything else goes to
// WordPress's front controller (pretty permalinks, /wp-json/...).
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$file = __DIR__ . $path;
if ($path !== '/' && file_exists($file) && !is_dir($file)) {
    return false;
}
if ($path !== '/' && is_dir($file) && file_exists($file . '/index.php')) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = __DIR__ . '/index.php';
chdir(__DIR__);
require __DIR__ . '/index.php';
"""

CONFIG = """<?php
define('DB_NAME', {db_name});
define('DB_USER', {db_user});
define('DB_PASSWORD', {db_password});
define('DB_HOST', {db_host});
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}
$table_prefix = 'wp_';
define('WP_HOME', {base_url});
define('WP_SITEURL', {base_url});
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_DEBUG', false);
define('WP_DEBUG_DISPLAY', false);
define('WP_AUTO_UPDATE_CORE', false);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('DISABLE_WP_CRON', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('FS_METHOD', 'direct');
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""

# Runs a PHP snippet inside the WordPress context (CLI): the snippet comes base64-encoded in
# argv[2]; whatever it echoes is the output.
RUNNER = """<?php
$_SERVER['HTTP_HOST'] = parse_url(getenv('IGNY8_WP_BASE_URL'), PHP_URL_HOST);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
if (getenv('IGNY8_WP_INSTALLING') === '1') {
    define('WP_INSTALLING', true);
}
require __DIR__ . '/wp-load.php';
eval(base64_decode($argv[1]));
"""

DISABLE_REST = """<?php
// Test switch: the REST API answers nothing (every route removed, every request refused).
add_filter('rest_endpoints', static function () { return []; }, PHP_INT_MAX);
add_filter('rest_authentication_errors', static function () {
    return new WP_Error('rest_disabled', 'The REST API is disabled on this site.', ['status' => 403]);
}, PHP_INT_MAX);
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def php_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def mysql(sql: str) -> None:
    """Runs SQL as the MariaDB admin (through PHP's mysqli: no mysql client needed)."""
    script = (
        "$db = new mysqli(" + ", ".join(php_string(v) for v in (DB_HOST, DB_USER, DB_PASSWORD))
        + f", '', {DB_PORT});"
        + " if (!$db->query(" + php_string(sql) + ")) { fwrite(STDERR, $db->error); exit(1); }"
    )
    result = subprocess.run(["php", "-r", script], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise RuntimeError(f"MariaDB refused {sql!r}: {result.stderr or result.stdout}")


@dataclass
class LocalWordPress:
    root: Path
    db_name: str
    port: int
    admin_user: str = "admin"
    admin_password: str = field(default_factory=lambda: "Pw-" + secrets.token_urlsafe(12))
    admin_email: str = "admin@example.test"
    app_password: str = ""
    process: subprocess.Popen[bytes] | None = None

    # ------------------------------------------------------------------ lifecycle

    @classmethod
    def start(cls, folder: Path, workers: int = 4) -> LocalWordPress:
        """Creates the database and docroot under ``folder``, installs WordPress, starts the
        server, creates the application password. Raises with the reason if anything fails."""
        if not (WORDPRESS_SOURCE / "wp-settings.php").exists():
            raise RuntimeError(f"WordPress is not installed at {WORDPRESS_SOURCE} "
                               "(apt-get install wordpress php-cli php-mysql)")
        wp = cls(root=folder / "docroot", db_name=f"igny8_wp_{uuid.uuid4().hex[:12]}",
                 port=free_port())
        mysql(f"CREATE DATABASE `{wp.db_name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        try:
            wp._build_docroot()
            wp._install()
            wp._serve(workers)
            wp.app_password = wp.create_application_password(wp.admin_user, "igny8-tests")
        except BaseException:
            wp.stop()
            raise
        return wp

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
        with contextlib.suppress(RuntimeError):
            mysql(f"DROP DATABASE IF EXISTS `{self.db_name}`")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def rest_url(self) -> str:
        return f"{self.base_url}/wp-json"

    @property
    def content_dir(self) -> Path:
        return self.root / "wp-content"

    def _build_docroot(self) -> None:
        self.root.mkdir(parents=True)
        for entry in WORDPRESS_SOURCE.iterdir():
            if entry.name in ("wp-config.php", "wp-content", ".htaccess", "htaccess"):
                continue
            if entry.is_dir():
                (self.root / entry.name).symlink_to(entry)
            else:
                shutil.copy2(entry, self.root / entry.name)
        for sub in ("plugins", "mu-plugins", "themes", "uploads"):
            (self.content_dir / sub).mkdir(parents=True)
        salts = "\n".join(
            f"define('{name}', '{secrets.token_hex(32)}');"
            for name in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT",
                         "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
        )
        (self.root / "wp-config.php").write_text(CONFIG.format(
            db_name=php_string(self.db_name), db_user=php_string(DB_USER),
            db_password=php_string(DB_PASSWORD), db_host=php_string(f"{DB_HOST}:{DB_PORT}"),
            base_url=php_string(self.base_url), salts=salts))
        (self.root / "router.php").write_text(ROUTER)
        (self.root / "igny8-run.php").write_text(RUNNER)

    def _install(self) -> None:
        self.php(
            "require_once ABSPATH . 'wp-admin/includes/upgrade.php';"
            f"$r = wp_install('IGNY8 test site', {php_string(self.admin_user)},"
            f" {php_string(self.admin_email)}, true, '', {php_string(self.admin_password)});"
            "if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); }",
            installing=True,
        )
        self.php(
            "update_option('permalink_structure', '/%postname%/');"
            "update_option('uploads_use_yearmonth_folders', 0);"
            "flush_rewrite_rules(false);"
        )

    def _serve(self, workers: int) -> None:
        log = (self.root.parent / "php-server.log").open("ab")
        env = {**os.environ, "PHP_CLI_SERVER_WORKERS": str(workers)}
        self.process = subprocess.Popen(
            ["php", "-d", "upload_max_filesize=64M", "-d", "post_max_size=64M",
             "-d", "memory_limit=256M", "-S", f"127.0.0.1:{self.port}", "-t", str(self.root),
             str(self.root / "router.php")],
            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=self.root)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"php -S exited with {self.process.returncode}; "
                                   f"see {self.root.parent / 'php-server.log'}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{self.rest_url}/", timeout=5).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError("WordPress did not answer on /wp-json/ within 30 s")

    # ------------------------------------------------------------------ helpers

    def php(self, code: str, installing: bool = False) -> str:
        """Runs PHP ``code`` inside this WordPress (CLI, as no user) and returns its output."""
        env = {**os.environ, "IGNY8_WP_BASE_URL": self.base_url,
               "IGNY8_WP_INSTALLING": "1" if installing else "0"}
        result = subprocess.run(
            ["php", "-d", "display_errors=stderr", str(self.root / "igny8-run.php"),
             base64.b64encode(code.encode()).decode()],
            capture_output=True, text=True, env=env, cwd=self.root, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"PHP failed ({result.returncode}): {result.stderr}{result.stdout}")
        return result.stdout

    def php_json(self, expression: str) -> Any:
        """Evaluates a PHP expression in WordPress and returns it decoded from JSON."""
        return json.loads(self.php(f"echo wp_json_encode({expression});"))

    def create_user(self, login: str, role: str, password: str | None = None) -> int:
        password = password or "Pw-" + secrets.token_urlsafe(12)
        return int(self.php(
            f"$id = wp_insert_user(['user_login' => {php_string(login)}, 'user_pass' =>"
            f" {php_string(password)}, 'user_email' => {php_string(login + '@example.test')},"
            f" 'role' => {php_string(role)}]);"
            "if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message()); exit(1); } echo $id;"))

    def create_application_password(self, login: str, name: str) -> str:
        """A new application password for ``login`` (the plain text, shown once)."""
        return str(self.php_json(
            f"(function () {{ $u = get_user_by('login', {php_string(login)});"
            f" $r = WP_Application_Passwords::create_new_application_password($u->ID,"
            f" ['name' => {php_string(name)}]);"
            " if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); }"
            " return $r[0]; })()"))

    def activate_plugin(self, source: Path) -> str:
        """Copies the plugin folder ``source`` into wp-content/plugins and activates it; returns
        its plugin file (``<folder>/<main>.php``)."""
        target = self.content_dir / "plugins" / source.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target)
        main = next(
            (p.name for p in sorted(target.glob("*.php")) if "Plugin Name:" in p.read_text(errors="ignore")),
            None)
        if main is None:
            raise RuntimeError(f"no PHP file with a 'Plugin Name:' header in {source}")
        plugin_file = f"{source.name}/{main}"
        self.php(
            "require_once ABSPATH . 'wp-admin/includes/plugin.php';"
            f"$r = activate_plugin({php_string(plugin_file)});"
            "if (is_wp_error($r)) { fwrite(STDERR, $r->get_error_message()); exit(1); }")
        return plugin_file

    def deactivate_plugin(self, plugin_file: str) -> None:
        self.php("require_once ABSPATH . 'wp-admin/includes/plugin.php';"
                 f"deactivate_plugins({php_string(plugin_file)});")

    @contextlib.contextmanager
    def rest_api_disabled(self) -> Iterator[None]:
        """While inside: every REST route is gone and every REST request refused (a must-use
        plugin, removed on exit)."""
        switch = self.content_dir / "mu-plugins" / "igny8-test-disable-rest.php"
        switch.write_text(DISABLE_REST)
        try:
            yield
        finally:
            switch.unlink(missing_ok=True)

    # ------------------------------------------------------------------ REST as the admin

    def rest(self, timeout: float = 30.0) -> httpx.Client:
        """An httpx client on ``/wp-json`` authenticated as the admin (application password)."""
        return httpx.Client(base_url=self.rest_url, auth=(self.admin_user, self.app_password),
                            timeout=timeout)

    def posts(self, **params: Any) -> list[dict[str, Any]]:
        """Every post (any status) matching ``params``, read through the REST API."""
        with self.rest() as client:
            response = client.get("/wp/v2/posts", params={
                "status": "publish,future,draft,pending,private", "per_page": 100,
                "context": "edit", **params})
            response.raise_for_status()
            return list(response.json())
