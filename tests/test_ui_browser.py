"""The web page at /ui in real Chromium (Debian's, driven by Playwright) against a live server
with a worker: sign in, run a notebook through the form, watch it finish, open its output;
errors beside their fields, from the page's own check and from the server; presets and
schedules; what a viewer and a visitor without a token see. Every page is screenshotted."""

from __future__ import annotations

import logging
import re
import shutil

import pytest
from playwright.sync_api import expect
from runservice_fixtures import NOTEBOOKS, TOKENS, LiveServer, tokens_setting

from holocron_lib.service.api import create_app
from holocron_lib.settings import load_settings

pytestmark = pytest.mark.slow

ALICE = next(t for t, (u, _) in TOKENS.items() if u == "alice")
VERA = next(t for t, (u, _) in TOKENS.items() if u == "vera")
FINISHED = 90_000  # ms a run may take to end (a kernel starts on a loaded machine)

# A notebook whose path parameter only the server can check (where it may lead)
UI_FORM = '''# %% [markdown]
# # Form fixture
#
# | | |
# |---|---|
# | **Category** | Runbook |
# | **Tags** | fixture |
#
# A parameter of each kind the form draws, and a path only the server can judge.

# %% tags=["parameters"]
REPORT: str = "report.txt"  # where the report goes [within: run]
RATIO: float = 0.5  # a share [min: 0] [max: 1]
ENABLED: bool = False  # a flag
TAGS: list = ["a"]  # labels
CODE: str = "AB12"  # a code [pattern: ^[A-Z]{2}[0-9]{2}$]

# %%
print(REPORT, RATIO, ENABLED, TAGS, CODE)
'''


class AccessLog(logging.Handler):
    """Keeps every line uvicorn's access log writes (after the server's own filter)."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    home = tmp_path_factory.mktemp("ui-home")
    root = home / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOKS / "simple_params.py", root / "simple_params.py")
    (root / "ui_form.py").write_text(UI_FORM, encoding="utf-8")
    settings = load_settings(env={
        "HOLOCRON_HOME": str(home), "HOLOCRON_STORE_URL": f"sqlite:///{home}/runs.sqlite",
        "HOLOCRON_API_TOKENS": tokens_setting(), "HOLOCRON_RUN_TIMEOUT": "120"}, dotenv=False)
    log = AccessLog()
    access = logging.getLogger("uvicorn.access")
    live = LiveServer(create_app(settings, notebooks_root=root, workers=1), log_level="info")
    access.addHandler(log)  # after uvicorn configured its loggers
    try:
        with live:
            live.log, live.home = log, home
            yield live
    finally:
        access.removeHandler(log)


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("ui-screenshots")


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    opened = context.new_page()
    opened.problems = []
    opened.on("pageerror", lambda exc: opened.problems.append(str(exc)))

    def console(msg):
        # an error answer is logged as a failed load; the output frame's blocked scripts
        # are the sandbox at work: neither is a fault of the page
        where = msg.location.get("url", "")
        if (msg.type == "error" and not msg.text.startswith("Failed to load resource")
                and "/output" not in where and "sandboxed" not in msg.text):
            opened.problems.append(f"{where}: {msg.text}")

    opened.on("console", console)
    opened.requested = []
    opened.on("request", lambda request: opened.requested.append((request.method, request.url)))
    yield opened
    context.close()


def sign_in(page, token: str = ALICE) -> None:
    page.goto("/ui")
    page.fill("#token", token)
    page.click("#sign-in button[type=submit]")
    expect(page.locator("h1")).to_have_text("Notebooks")


def shoot(page, shots, name: str) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_a_visitor_without_a_token_sees_the_sign_in_and_a_bad_token_is_refused(page, shots):
    reply = page.goto("/ui/runs")
    assert reply.status == 401
    expect(page.locator("h1")).to_have_text("Sign in")
    expect(page.locator("nav")).to_have_count(0)
    shoot(page, shots, "sign-in")
    page.fill("#token", "not-a-token-of-anyone")
    page.click("#sign-in button[type=submit]")
    expect(page.locator("#sign-in-error")).to_contain_text("not accepted")
    assert "not-a-token-of-anyone" not in page.content()
    assert page.context.cookies() == []


def test_sign_in_run_through_the_form_watch_it_finish_and_open_its_output(page, server, shots):
    page.goto("/ui/runs")
    page.fill("#token", ALICE)
    page.click("#sign-in button[type=submit]")
    expect(page).to_have_url(re.compile(r"/ui/runs$"))  # back where the visitor was going
    (cookie,) = page.context.cookies()
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/ui"
    assert page.evaluate("document.cookie") == ""  # out of reach of page scripts
    page.click("nav >> text=Notebooks")
    shoot(page, shots, "catalog")
    page.click("text=Simple parameters")
    expect(page.locator("h1")).to_have_text("Simple parameters")
    expect(page.locator("#p-MODE option")).to_have_text(["dry_run", "apply"])
    expect(page.locator("#p-COUNT")).to_have_attribute("type", "number")
    page.fill("#p-NAME", "Padme")
    page.fill("#p-COUNT", "3")
    shoot(page, shots, "notebook")
    page.click("#run-button")
    expect(page).to_have_url(re.compile(r"/ui/runs/\d+$"))
    run_id = page.url.rsplit("/", 1)[1]
    expect(page.locator("#run-status")).to_have_text("succeeded", timeout=FINISHED)
    expect(page.locator("#parameters")).to_contain_text("Padme")
    output = page.frame_locator("#output")
    expect(output.get_by_text("hello, Padme (dry_run)").first).to_be_visible()
    assert output.locator("body").inner_text().count("hello, Padme (dry_run)") == 3
    for text in (page.content(), output.locator("html").inner_html()):  # no server path shown
        assert str(server.home) not in text and str(NOTEBOOKS) not in text
    shoot(page, shots, "run")
    page.click("nav >> text=Runs")
    row = page.locator(f"tr[data-run='{run_id}']")
    expect(row.locator("[data-cell=status]")).to_have_text("succeeded")
    shoot(page, shots, "runs")
    with page.expect_download() as download:
        page.goto(f"/ui/runs/{run_id}")
        page.click("text=Download the executed notebook")
    assert download.value.suggested_filename.endswith(f"-{run_id}.ipynb")
    # the token went only in the sign-in form's body and the cookie: no URL, no log line
    assert not [url for _, url in page.requested if ALICE in url]
    assert server.log.lines and not [line for line in server.log.lines if ALICE in line]
    assert page.problems == []


def test_a_broken_rule_is_shown_beside_its_field_before_anything_is_sent(page, shots):
    sign_in(page)
    page.goto("/ui/notebooks/simple_params")
    page.fill("#p-COUNT", "9")
    page.fill("#p-NAME", "")
    sent_before = len(page.requested)
    page.click("#run-button")
    expect(page.locator("#error-COUNT")).to_have_text("COUNT must be at most 5")
    expect(page.locator("#p-COUNT")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-NAME")).to_be_hidden()  # an empty string is a value
    shoot(page, shots, "notebook-browser-error")
    assert [r for r in page.requested[sent_before:] if r[0] == "POST"] == []
    page.goto("/ui/notebooks/ui_form")
    page.fill("#p-CODE", "ab12")
    page.fill("#p-TAGS", "not json")
    page.click("#run-button")
    expect(page.locator("#error-CODE")).to_contain_text("must match ^[A-Z]{2}[0-9]{2}$")
    expect(page.locator("#error-TAGS")).to_have_text("TAGS is not valid JSON")
    assert page.problems == []


def test_the_servers_refusal_is_shown_beside_its_field(page, shots):
    sign_in(page)
    page.goto("/ui/notebooks/ui_form")
    expect(page.locator("#p-ENABLED")).to_have_attribute("type", "checkbox")
    page.fill("#p-REPORT", "../outside.txt")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click("#run-button")
    assert answer.value.status == 422
    expect(page.locator("#error-REPORT")).to_contain_text("REPORT leads out of its folder (..)")
    expect(page.locator("#form-error")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/ui/notebooks/ui_form$"))
    shoot(page, shots, "notebook-server-error")


def test_presets_are_saved_from_the_form_used_and_deleted(page, shots):
    sign_in(page)
    page.goto("/ui/notebooks/simple_params")
    page.fill("#p-COUNT", "4")
    page.select_option("#p-MODE", '"apply"')
    page.fill("#preset-name", "four-apply")
    page.click("#preset-form button[type=submit]")
    row = page.locator("tr[data-preset='four-apply']")
    expect(row).to_contain_text('"COUNT": 4')
    expect(row).to_contain_text("valid")
    page.fill("#preset-name", "four-apply")  # the same name again: the server's 409
    page.click("#preset-form button[type=submit]")
    expect(page.locator("#error-preset-name")).to_contain_text("four-apply")
    page.reload()
    expect(page.locator("#p-COUNT")).to_have_value("2")
    row.locator("text=Use").click()
    expect(page.locator("#p-COUNT")).to_have_value("4")
    expect(page.locator("#p-MODE")).to_have_value('"apply"')
    expect(page.locator("#preset-note")).to_have_text("starting from preset four-apply")
    shoot(page, shots, "presets")
    page.on("dialog", lambda dialog: dialog.accept())
    row.locator("text=Delete").click()
    expect(page.locator("tr[data-preset='four-apply']")).to_have_count(0)


def test_schedules_are_created_paused_resumed_and_deleted(page, shots):
    sign_in(page)
    page.goto("/ui/schedules")
    page.fill("#s-name", "nightly")
    page.select_option("#s-notebook", "simple_params")
    page.fill("#s-cron", "0 3 * *")
    page.click("#schedule-form button[type=submit]")
    expect(page.locator("#error-cron")).to_have_text("cron needs five fields")
    page.fill("#s-cron", "61 3 * * *")  # five fields, but no minute 61: the server says so
    page.click("#schedule-form button[type=submit]")
    expect(page.locator("#error-cron")).to_contain_text("is not a cron expression")
    page.fill("#s-cron", "0 3 * * *")
    page.fill("#s-parameters", '{"COUNT": 7}')
    page.click("#schedule-form button[type=submit]")
    expect(page.locator("#error-parameters")).to_contain_text("COUNT")  # from the server
    page.fill("#s-parameters", '{"COUNT": 3}')
    page.fill("#s-timezone", "Europe/Paris")
    page.click("#schedule-form button[type=submit]")
    row = page.locator("tr[data-schedule='nightly']")
    expect(row).to_contain_text("0 3 * * *")
    expect(row).to_contain_text("active")
    expect(row).to_contain_text(re.compile(r" 03:00:00 \+0[12]00 Europe/Paris"))  # in its zone
    row.locator("text=Pause").click()
    expect(row).to_contain_text("paused")
    shoot(page, shots, "schedules")
    row.locator("text=Resume").click()
    expect(row).to_contain_text("active")
    page.on("dialog", lambda dialog: dialog.accept())
    row.locator("text=Delete").click()
    expect(page.locator("tr[data-schedule='nightly']")).to_have_count(0)
    assert page.problems == []


def test_a_viewer_may_read_but_sees_no_way_to_run_or_change(page, shots):
    sign_in(page, VERA)
    expect(page.locator(".who")).to_contain_text("vera viewer")
    page.goto("/ui/notebooks/simple_params")
    expect(page.locator("#run-button")).to_be_disabled()
    expect(page.locator("#preset-form")).to_have_count(0)
    page.goto("/ui/schedules")
    expect(page.locator("#schedule-form")).to_have_count(0)
    page.click("text=Sign out")
    expect(page.locator("h1")).to_have_text("Sign in")
    assert page.context.cookies() == []
    assert page.goto("/ui").status == 401
