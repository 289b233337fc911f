// The web page's script: checks the run form before it is sent, sends the page's actions
// through /ui/api (the API, with the signed-in cookie), shows each error beside its field,
// and keeps the status of open runs current by polling.
"use strict";

const UI = document.body.dataset.ui;
const TERMINAL = ["succeeded", "failed", "error", "timed_out", "cancelled"];

async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: { "X-Holocron-UI": "1" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(UI + "/api" + path, init);
  let data = null;
  try { data = await response.json(); } catch (_) { data = null; }
  return { status: response.status, ok: response.ok, data };
}

function show(id, text) {
  const el = document.getElementById(id);
  if (!el) return false;
  el.textContent = text || "";
  el.hidden = !text;
  return true;
}

function clearErrors(form) {
  form.querySelectorAll(".error").forEach((el) => { el.textContent = ""; el.hidden = true; });
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
}

function markField(form, name, text, prefix) {
  const id = (prefix || "error-") + name;
  const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
  if (input) input.setAttribute("aria-invalid", "true");
  return show(id, text);
}

// ------------------------------------------------------------ the parameter contract

function ruleProblem(el, value) {
  const d = el.dataset;
  const sized = ["str", "path", "list", "dict"].includes(d.type);
  const measure = sized ? (Array.isArray(value) || typeof value === "string"
    ? value.length : Object.keys(value).length) : value;
  const what = sized ? "length " : "";
  if (d.min !== undefined && measure < Number(d.min)) return `${what}must be at least ${d.min}`;
  if (d.max !== undefined && measure > Number(d.max)) return `${what}must be at most ${d.max}`;
  if (d.pattern !== undefined && typeof value === "string") {
    let re = null;
    try { re = new RegExp("^(?:" + d.pattern + ")$", "u"); } catch (_) { re = null; }
    if (re && !re.test(value)) return `must match ${d.pattern}`;
  }
  return null;
}

// [has a value, the value, the problem] for one input of the run form
function readParameter(el) {
  const d = el.dataset;
  const nullable = d.nullable === "1";
  if (el.tagName === "SELECT") {
    if (el.value === "") return d.required === "1" ? [false, null, "is required: choose a value"] : [false];
    return [true, JSON.parse(el.value), null];
  }
  if (el.type === "checkbox") return [true, el.checked, null];
  const text = el.value;
  if (d.type === "str" || d.type === "path") {
    if (text === "") {
      if (d.required === "1") return [false, null, "is required: give a value"];
      if (d.defaultNull === "1") return [false];
    }
    return [true, text, text === "" ? null : ruleProblem(el, text)];
  }
  if (el.validity && el.validity.badInput) return [false, null, "must be a number"];
  if (text.trim() === "") {
    if (nullable) return [true, null, null];
    if (d.required === "1") return [false, null, "is required: give a value"];
    return [false];
  }
  let value;
  if (d.type === "int") {
    if (!/^[+-]?\d+$/.test(text.trim())) return [false, null, "must be a whole number"];
    value = Number(text);
  } else if (d.type === "float") {
    value = Number(text);
    if (!Number.isFinite(value)) return [false, null, "must be a number"];
  } else {
    try { value = JSON.parse(text); } catch (_) { return [false, null, "is not valid JSON"]; }
    if (d.type === "list" && !Array.isArray(value)) return [false, null, "must be a JSON list"];
    if (d.type === "dict" && (value === null || typeof value !== "object" || Array.isArray(value))) {
      return [false, null, "must be a JSON object"];
    }
  }
  return [true, value, ruleProblem(el, value)];
}

// The form's values, or null after marking every field that breaks its rule
function readRunForm(form) {
  const values = {};
  let first = null;
  form.querySelectorAll("[data-param]").forEach((el) => {
    const [given, value, problem] = readParameter(el);
    if (problem) {
      markField(form, el.name, `${el.name} ${problem}`);
      first = first || el;
    } else if (given) {
      values[el.name] = value;
    }
  });
  if (first) { first.focus(); return null; }
  return values;
}

// Where an API error belongs: [field, message]; field null for the whole form
function errorFields(data) {
  const error = (data && data.error) || {};
  const details = error.details || {};
  const out = [];
  if (Array.isArray(details.problems)) {
    for (const p of details.problems) {
      if (p.field) {
        const allowed = p.allowed && p.allowed.length ? ` (allowed: ${p.allowed.join(", ")})` : "";
        out.push([p.field, `${p.field} ${p.reason}${allowed}`]);
      } else if (Array.isArray(p.location)) {
        out.push([p.location[p.location.length - 1], p.message]);
      }
    }
  }
  if (!out.length) {
    const byCode = { schedule_exists: "name", preset_exists: "name", invalid_preset: "preset",
                     preset_not_found: "preset", notebook_not_found: "notebook" };
    let field = byCode[error.code] || null;
    if (error.code === "invalid_schedule") {
      const text = error.message || "";
      field = /time ?zone/i.test(text) ? "timezone" : /schedule name/i.test(text) ? "name" : "cron";
    }
    out.push([field, error.message || `the service answered ${data ? "" : "nothing "}(error)`]);
  }
  return out;
}

function showErrors(form, data, prefix) {
  for (const [field, message] of errorFields(data)) {
    if (!field || !markField(form, field, message, prefix)) show("form-error", message);
  }
}

function setupRunForm() {
  const form = document.getElementById("run-form");
  if (!form) return;
  const notebook = form.dataset.notebook;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const parameters = readRunForm(form);
    const timeoutEl = form.querySelector("[data-timeout]");
    let timeout = null;
    if (timeoutEl.value.trim() !== "") {
      if (!/^\d+$/.test(timeoutEl.value.trim()) || Number(timeoutEl.value) < 1 || Number(timeoutEl.value) > 86400) {
        markField(form, "timeout", "time limit must be a whole number of seconds from 1 to 86400");
        return;
      }
      timeout = Number(timeoutEl.value);
    }
    if (parameters === null) return;
    const body = { parameters };
    if (timeout !== null) body.timeout = timeout;
    const preset = form.querySelector("[data-role=preset]").value;
    if (preset) body.preset = preset;
    const button = document.getElementById("run-button");
    button.disabled = true;
    const answer = await api("POST", `/notebooks/${notebook}/runs`, body);
    button.disabled = false;
    if (answer.status === 202) {
      window.location.assign(`${UI}/runs/${answer.data.id}`);
    } else {
      showErrors(form, answer.data);
    }
  });
  document.querySelectorAll("[data-use-preset]").forEach((button) => {
    button.addEventListener("click", () => {
      const values = JSON.parse(button.dataset.values);
      for (const [name, value] of Object.entries(values)) {
        const el = form.querySelector(`[data-param][name="${CSS.escape(name)}"]`);
        if (!el) continue;
        if (el.type === "checkbox") el.checked = Boolean(value);
        else if (el.tagName === "SELECT") el.value = JSON.stringify(value);
        else el.value = typeof value === "string" ? value : JSON.stringify(value);
      }
      form.querySelector("[data-role=preset]").value = button.dataset.usePreset;
      show("preset-note", `starting from preset ${button.dataset.usePreset}`);
    });
  });
  document.querySelectorAll("[data-delete-preset]").forEach((button) => {
    button.addEventListener("click", async () => {
      const name = button.dataset.deletePreset;
      if (!window.confirm(`Delete the preset ${name}?`)) return;
      const answer = await api("DELETE", `/notebooks/${notebook}/presets/${encodeURIComponent(name)}`);
      if (answer.ok) window.location.reload();
      else show("form-error", errorFields(answer.data)[0][1]);
    });
  });
  const presetForm = document.getElementById("preset-form");
  if (presetForm) {
    presetForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearErrors(form);
      clearErrors(presetForm);
      const name = presetForm.elements.name.value.trim();
      if (!name) { markField(presetForm, "name", "give the preset a name", "error-preset-"); return; }
      const parameters = readRunForm(form);
      if (parameters === null) return;
      const answer = await api("POST", `/notebooks/${notebook}/presets`, { name, parameters });
      if (answer.ok) { window.location.reload(); return; }
      for (const [field, message] of errorFields(answer.data)) {
        if (field === "name" || !field) markField(presetForm, "name", message, "error-preset-");
        else if (!markField(form, field, message)) show("form-error", message);
      }
    });
  }
}

// ------------------------------------------------------------ schedules

function setupSchedules() {
  document.querySelectorAll("[data-schedule-action]").forEach((button) => {
    button.addEventListener("click", async () => {
      const { scheduleAction: action, name } = button.dataset;
      if (action === "delete" && !window.confirm(`Delete the schedule ${name}?`)) return;
      const path = `/schedules/${encodeURIComponent(name)}` + (action === "delete" ? "" : `/${action}`);
      const answer = await api(action === "delete" ? "DELETE" : "POST", path);
      if (answer.ok) window.location.reload();
      else show("schedules-error", errorFields(answer.data)[0][1]);
    });
  });
  const form = document.getElementById("schedule-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { name: f.name.value.trim(), notebook: f.notebook.value, cron: f.cron.value.trim(),
                   timezone: f.timezone.value.trim() || "UTC" };
    let bad = false;
    if (!/^[A-Za-z0-9_.-]+$/.test(body.name)) { markField(form, "name", "name: letters, digits, _, - and . only"); bad = true; }
    if (body.cron.split(/\s+/).filter(Boolean).length !== 5) { markField(form, "cron", "cron needs five fields"); bad = true; }
    try {
      body.parameters = JSON.parse(f.parameters.value.trim() || "{}");
      if (body.parameters === null || typeof body.parameters !== "object" || Array.isArray(body.parameters)) throw new Error();
    } catch (_) { markField(form, "parameters", "parameters must be a JSON object"); bad = true; }
    if (f.preset.value.trim()) body.preset = f.preset.value.trim();
    if (bad) return;
    const answer = await api("POST", "/schedules", body);
    if (answer.ok) { window.location.reload(); return; }
    for (const [field, message] of errorFields(answer.data)) {
      const known = ["name", "notebook", "cron", "timezone", "preset"].includes(field) ? field : "parameters";
      markField(form, field ? known : "parameters", message);
    }
  });
}

// ------------------------------------------------------------ live status

function setBadge(el, status) {
  el.textContent = status;
  el.className = `badge ${status}`;
}

function pollRuns() {
  const table = document.getElementById("runs");
  if (!table) return;
  const tick = async () => {
    if (!document.hidden) {
      const answer = await api("GET", `/runs?${table.dataset.poll}`);
      if (answer.ok) {
        const rows = new Map([...table.querySelectorAll("tr[data-run]")].map((r) => [r.dataset.run, r]));
        const first = answer.data.runs[0];
        if (first && !rows.has(String(first.id))) { window.location.reload(); return; }
        for (const run of answer.data.runs) {
          const row = rows.get(String(run.id));
          if (!row || row.dataset.status === run.status) continue;
          row.dataset.status = run.status;
          setBadge(row.querySelector("[data-cell=status]"), run.status);
          row.querySelector("[data-cell=duration]").textContent =
            run.duration_seconds === null ? "" : `${run.duration_seconds.toFixed(1)} s`;
        }
      }
    }
    window.setTimeout(tick, 2000);
  };
  window.setTimeout(tick, 2000);
}

function pollRun() {
  const badge = document.getElementById("run-status");
  if (!badge || !("poll" in badge.dataset)) return;
  const tick = async () => {
    const answer = await api("GET", `/runs/${badge.dataset.run}`);
    if (answer.ok && answer.data.status !== badge.dataset.status) {
      if (TERMINAL.includes(answer.data.status) || answer.data.links.output_html) {
        window.location.reload();  // the page shows the outcome, the output, the results
        return;
      }
      badge.dataset.status = answer.data.status;
      setBadge(badge, answer.data.status);
    }
    window.setTimeout(tick, 1000);
  };
  window.setTimeout(tick, 1000);
  const cancel = document.getElementById("cancel-run");
  if (cancel) {
    cancel.addEventListener("click", async () => {
      const answer = await api("POST", `/runs/${cancel.dataset.run}/cancel`);
      if (answer.ok) window.location.reload();
      else show("cancel-error", errorFields(answer.data)[0][1]);
    });
  }
}

setupRunForm();
setupSchedules();
pollRuns();
pollRun();
