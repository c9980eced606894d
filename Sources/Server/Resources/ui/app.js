// The MedLocal browser UI: a client of /api/v1 like any other, with the API key kept in this tab's session
// storage only. Views: documents (upload, job list with live progress), one job (Markdown beside the page image,
// PHI highlighted with accept/reject, redaction preview, downloads), DICOM de-identification, image diagnosis,
// policies, audit.
"use strict";
(function () {
  const $ = (selector, root = document) => root.querySelector(selector);
  const esc = (text) => window.MedLocalMarkdown.escape(String(text ?? ""));

  // ---- Language ------------------------------------------------------------------------------------------------
  const TEXT = {
    en: {
      "nav.jobs": "Documents", "nav.dicom": "DICOM", "nav.diagnosis": "Diagnosis", "nav.policies": "Policies", "nav.audit": "Audit", logout: "Sign out",
      "diagnosis.title": "Image diagnosis", "diagnosis.model": "Model", "diagnosis.none": "No models yet: train one with medlocal models train DATASET --name NAME.",
      "diagnosis.drop": "Drop an image (PNG, JPEG, TIFF, DICOM) here, or click to choose", "diagnosis.result": "Result",
      "diagnosis.advice": "Advice", "diagnosis.urgency": "Urgency", "diagnosis.source": "Source", "diagnosis.accuracy": "validation accuracy",
      footer: "Runs inside your hospital: nothing leaves this server.",
      "login.title": "Sign in", "login.key": "API key", "login.hint": "An administrator creates keys with: medlocal users add NAME --role operator",
      "login.go": "Sign in", "login.bad": "This key was not accepted.",
      "jobs.title": "Documents", "jobs.drop": "Drop PDF, DOCX or image files here, or click to choose",
      "jobs.formats": "Outputs", "jobs.ocr": "OCR scanned pages", "jobs.redact": "Redacted PDF copy", "jobs.list": "Jobs",
      "jobs.none": "No jobs yet.", "jobs.uploading": "Uploading", "jobs.queued": "queued",
      "col.file": "File", "col.kind": "Kind", "col.state": "State", "col.progress": "Progress", "col.created": "Created", "col.actions": "",
      open: "Open", delete: "Delete", cancel: "Cancel", back: "← All jobs", download: "Downloads",
      "state.queued": "queued", "state.running": "running", "state.succeeded": "done", "state.failed": "failed", "state.cancelled": "cancelled",
      "job.result": "Result", "job.preview": "Redaction preview", "job.findings": "PHI findings", "job.page": "Page",
      "job.nopage": "No page image for this input (DOCX).", "job.accept": "Accept", "job.reject": "Reject", "job.reopen": "Undo",
      "job.apply": "Apply review", "job.apply.hint": "Redact again: rejected findings stay, accepted ones go (result.reviewed.*).",
      "job.applied": "Review applied:",
      "job.waiting": "Working…", "job.failed": "The job failed:", "job.nofindings": "No PHI found.",
      "job.preview.hint": "Left: original · right: redacted",
      "dicom.title": "DICOM de-identification", "dicom.hint": "One DICOM file, or a ZIP of a study. Profile: PS3.15 Basic Application Level Confidentiality.",
      "dicom.options": "Profile options", "dicom.pixels": "Blank burned-in text (OCR)", "dicom.submit": "De-identify",
      "dicom.report": "Report", "col.status": "Status", "col.actions.count": "Actions", "col.reason": "Reason",
      "policies.title": "Policies", "policies.active": "Active", "policies.view": "View", "policies.activate": "Activate",
      "policies.editor": "Policy YAML", "policies.validate": "Validate", "policies.upload": "Upload", "policies.valid": "Valid:",
      "policies.preset": "preset", "policies.activated": "Activated:",
      "audit.title": "Audit trail", "audit.verify": "Chain verification", "audit.valid": "intact", "audit.invalid": "BROKEN",
      "audit.records": "Records", "audit.next": "Next page", "audit.export": "Export",
      "col.seq": "#", "col.time": "Time", "col.actor": "Actor", "col.operation": "Operation", "col.findings": "Findings", "col.hash": "Hash",
      forbidden: "Your role may not see this page.",
    },
    zh: {
      "nav.jobs": "文档", "nav.dicom": "DICOM", "nav.diagnosis": "影像诊断", "nav.policies": "策略", "nav.audit": "审计", logout: "退出",
      "diagnosis.title": "影像辅助诊断", "diagnosis.model": "模型", "diagnosis.none": "暂无模型：请用 medlocal models train 数据集 --name 名称 训练。",
      "diagnosis.drop": "将图像（PNG、JPEG、TIFF、DICOM）拖到此处，或点击选择", "diagnosis.result": "结果",
      "diagnosis.advice": "建议", "diagnosis.urgency": "紧急程度", "diagnosis.source": "来源", "diagnosis.accuracy": "验证准确率",
      footer: "在医院内部运行：数据不会离开本服务器。",
      "login.title": "登录", "login.key": "API 密钥", "login.hint": "管理员用以下命令创建密钥：medlocal users add 用户名 --role operator",
      "login.go": "登录", "login.bad": "密钥无效。",
      "jobs.title": "文档", "jobs.drop": "将 PDF、DOCX 或图片拖到此处，或点击选择文件",
      "jobs.formats": "输出格式", "jobs.ocr": "扫描页 OCR", "jobs.redact": "生成脱敏 PDF", "jobs.list": "任务",
      "jobs.none": "暂无任务。", "jobs.uploading": "上传中", "jobs.queued": "已排队",
      "col.file": "文件", "col.kind": "类型", "col.state": "状态", "col.progress": "进度", "col.created": "创建时间", "col.actions": "",
      open: "打开", delete: "删除", cancel: "取消", back: "← 全部任务", download: "下载",
      "state.queued": "排队中", "state.running": "处理中", "state.succeeded": "完成", "state.failed": "失败", "state.cancelled": "已取消",
      "job.result": "结果", "job.preview": "脱敏预览", "job.findings": "隐私信息", "job.page": "页",
      "job.nopage": "此输入没有页面图像（DOCX）。", "job.accept": "确认", "job.reject": "驳回", "job.reopen": "撤销",
      "job.apply": "应用审核结果", "job.apply.hint": "重新脱敏：驳回的保留，确认的去除（result.reviewed.*）。",
      "job.applied": "审核结果已应用：",
      "job.waiting": "处理中…", "job.failed": "任务失败：", "job.nofindings": "未发现隐私信息。",
      "job.preview.hint": "左：原件 · 右：脱敏后",
      "dicom.title": "DICOM 去标识化", "dicom.hint": "单个 DICOM 文件，或整个检查的 ZIP 压缩包。配置：PS3.15 基本保密配置。",
      "dicom.options": "配置选项", "dicom.pixels": "清除图像中的烧录文字（OCR）", "dicom.submit": "去标识化",
      "dicom.report": "报告", "col.status": "状态", "col.actions.count": "操作", "col.reason": "原因",
      "policies.title": "策略", "policies.active": "当前", "policies.view": "查看", "policies.activate": "启用",
      "policies.editor": "策略 YAML", "policies.validate": "校验", "policies.upload": "上传", "policies.valid": "有效：",
      "policies.preset": "预设", "policies.activated": "已启用：",
      "audit.title": "审计日志", "audit.verify": "链校验", "audit.valid": "完整", "audit.invalid": "已损坏",
      "audit.records": "记录", "audit.next": "下一页", "audit.export": "导出",
      "col.seq": "#", "col.time": "时间", "col.actor": "操作者", "col.operation": "操作", "col.findings": "发现", "col.hash": "哈希",
      forbidden: "您的角色无权查看此页面。",
    },
  };
  let language = localStorage.getItem("medlocal.lang") || ((navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en");
  const t = (key) => TEXT[language][key] ?? TEXT.en[key] ?? key;
  function translateStatic() {
    document.documentElement.lang = language === "zh" ? "zh-CN" : "en";
    for (const element of document.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
    $("#lang").textContent = language === "zh" ? "English" : "中文";
  }

  // ---- API -----------------------------------------------------------------------------------------------------
  const session = { key: sessionStorage.getItem("medlocal.key"), user: null };
  class APIError extends Error {
    constructor(status, problem) { super(problem.detail || problem.title || `HTTP ${status}`); this.status = status; this.problem = problem; }
  }
  async function api(method, path, { json, body, headers = {}, as = "json" } = {}) {
    const request = { method, headers: { ...headers } };
    if (session.key) request.headers.Authorization = `Bearer ${session.key}`;
    if (json !== undefined) { request.body = JSON.stringify(json); request.headers["Content-Type"] = "application/json"; }
    if (body !== undefined) request.body = body;
    const response = await fetch(path, request);
    if (!response.ok) {
      let problem = {};
      try { problem = await response.json(); } catch (_) { /* not JSON */ }
      if (response.status === 401 && path !== "/api/v1/me") { signOut(); }
      throw new APIError(response.status, problem);
    }
    if (response.status === 204) return null;
    if (as === "blob") return response.blob();
    if (as === "text") return response.text();
    return response.json();
  }
  const objectURLs = [];
  async function blobURL(path) {
    const url = URL.createObjectURL(await api("GET", path, { as: "blob" }));
    objectURLs.push(url);
    return url;
  }
  async function download(path, name) {
    const link = document.createElement("a");
    link.href = await blobURL(path);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  function showError(element, error) {
    const problem = error.problem || {};
    const lines = [error.message];
    for (const item of problem.errors || []) lines.push(`  line ${item.line ?? "?"}${item.field ? ` · ${item.field}` : ""}: ${item.message}`);
    element.innerHTML = `<p class="error">${esc(lines.join("\n"))}</p>`;
  }

  // ---- Routing -------------------------------------------------------------------------------------------------
  let timer = null;
  function stopPolling() { if (timer) { clearTimeout(timer); timer = null; } }
  function poll(step, delay) { stopPolling(); timer = setTimeout(step, delay); }

  async function route() {
    stopPolling();
    while (objectURLs.length) URL.revokeObjectURL(objectURLs.pop());
    translateStatic();
    const view = $("#view");
    if (!session.key || !session.user) {
      if (session.key && !session.user) {
        try { session.user = await api("GET", "/api/v1/me"); } catch (_) { signOut(); return; }
      } else { return renderLogin(view); }
    }
    $("#nav").hidden = false;
    $("#logout").hidden = false;
    $("#who").textContent = `${session.user.name} · ${session.user.role}`;
    $("#nav-audit").hidden = session.user.role === "operator";
    $("#nav a[href='#/dicom']").hidden = session.user.role === "auditor";
    const [, page, id] = (location.hash || "#/jobs").split("/");
    for (const link of document.querySelectorAll("#nav a")) link.classList.toggle("active", link.getAttribute("href") === `#/${page}`);
    try {
      if (page === "job" && id) await renderJob(view, id);
      else if (page === "dicom") renderDICOM(view);
      else if (page === "diagnosis") await renderDiagnosis(view);
      else if (page === "policies") await renderPolicies(view);
      else if (page === "audit") await renderAudit(view);
      else await renderJobs(view);
    } catch (error) { showError(view, error); }
  }
  function signOut() {
    sessionStorage.removeItem("medlocal.key");
    session.key = null; session.user = null;
    $("#nav").hidden = true; $("#logout").hidden = true; $("#who").textContent = "";
    if (location.hash !== "#/login") location.hash = "#/login"; else route();
  }

  // ---- Sign in -------------------------------------------------------------------------------------------------
  function renderLogin(view) {
    $("#nav").hidden = true;
    view.innerHTML = `<div class="card" style="max-width:520px;margin:40px auto">
      <h1>${t("login.title")}</h1>
      <form id="login"><label>${t("login.key")}<input id="key" type="password" autocomplete="off" placeholder="mlk_…"></label>
      <p class="muted">${esc(t("login.hint"))}</p><button class="primary" type="submit">${t("login.go")}</button><div id="login-error"></div></form></div>`;
    $("#login").addEventListener("submit", async (event) => {
      event.preventDefault();
      session.key = $("#key").value.trim();
      try {
        session.user = await api("GET", "/api/v1/me");
        sessionStorage.setItem("medlocal.key", session.key);
        location.hash = "#/jobs";
        route();
      } catch (_) {
        session.key = null;
        $("#login-error").innerHTML = `<p class="error">${t("login.bad")}</p>`;
      }
    });
    $("#key").focus();
  }

  // ---- Documents: upload and jobs --------------------------------------------------------------------------------
  function dropZone(container, accept, onFiles) {
    const input = document.createElement("input");
    input.type = "file"; input.multiple = true; input.accept = accept; input.hidden = true; input.id = "file-input";
    const zone = container.querySelector(".drop");
    zone.after(input);
    zone.addEventListener("click", () => input.click());
    zone.addEventListener("dragover", (event) => { event.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", (event) => { event.preventDefault(); zone.classList.remove("over"); onFiles([...event.dataTransfer.files]); });
    input.addEventListener("change", () => { onFiles([...input.files]); input.value = ""; });
  }

  async function upload(path, files, fields, status) {
    const queued = [];
    for (const file of files) {
      status.innerHTML = `<p class="muted">${t("jobs.uploading")}: ${esc(file.name)}</p>`;
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.append(name, value);
      form.append("file", file, file.name);
      try {
        queued.push(await api("POST", path, { body: form }));
      } catch (error) {
        showError(status, error);
        return queued;
      }
    }
    status.innerHTML = `<p class="notice">${queued.length} ${t("jobs.queued")}</p>`;
    return queued;
  }

  async function renderJobs(view) {
    const canSubmit = session.user.role !== "auditor";
    view.innerHTML = `<h1>${t("jobs.title")}</h1>
      ${canSubmit ? `<div class="card"><div class="drop" id="drop">${t("jobs.drop")}</div>
        <div class="row" style="margin-top:10px"><strong>${t("jobs.formats")}:</strong>
          <label class="inline"><input type="checkbox" name="format" value="md" checked> Markdown</label>
          <label class="inline"><input type="checkbox" name="format" value="json" checked> JSON</label>
          <label class="inline"><input type="checkbox" name="format" value="fhir"> FHIR R4</label>
          <label class="inline"><input type="checkbox" id="ocr" checked> ${t("jobs.ocr")}</label>
          <label class="inline"><input type="checkbox" id="redact"> ${t("jobs.redact")}</label></div>
        <div id="upload-status"></div></div>` : ""}
      <div class="card"><h2>${t("jobs.list")}</h2><div id="jobs"></div></div>`;
    if (canSubmit) {
      dropZone(view, ".pdf,.docx,.png,.jpg,.jpeg,.tif,.tiff", async (files) => {
        const formats = [...view.querySelectorAll("input[name=format]:checked")].map((box) => box.value).join(",");
        await upload("/api/v1/documents", files, { formats, ocr: $("#ocr").checked, redact: $("#redact").checked }, $("#upload-status"));
        refresh();
      });
    }
    async function refresh() {
      if (!document.body.contains(view.querySelector("#jobs"))) return;
      const list = await api("GET", "/api/v1/jobs?limit=100");
      renderJobTable($("#jobs"), list.jobs);
      const busy = list.jobs.some((job) => job.state === "queued" || job.state === "running");
      poll(() => refresh().catch(() => {}), busy ? 1000 : 5000);
    }
    await refresh();
  }

  function renderJobTable(container, jobs) {
    if (!jobs.length) { container.innerHTML = `<p class="muted">${t("jobs.none")}</p>`; return; }
    container.innerHTML = `<table id="job-table"><thead><tr><th>${t("col.file")}</th><th>${t("col.kind")}</th><th>${t("col.state")}</th>
      <th>${t("col.progress")}</th><th>${t("col.created")}</th><th></th></tr></thead><tbody>${jobs.map((job) => `
      <tr data-job="${esc(job.id)}" data-state="${esc(job.state)}"><td><a href="#/job/${esc(job.id)}">${esc(job.input)}</a></td><td>${esc(job.kind)}</td>
      <td class="state state-${esc(job.state)}">${t("state." + job.state)}${job.error ? `<div class="error">${esc(job.error)}</div>` : ""}</td>
      <td>${job.progress.total ? `<progress max="${job.progress.total}" value="${job.progress.done}"></progress> ${job.progress.done}/${job.progress.total}` : ""}</td>
      <td>${esc(new Date(job.created).toLocaleString())}</td>
      <td><a class="button" href="#/job/${esc(job.id)}">${t("open")}</a>
        <button class="danger" data-delete="${esc(job.id)}">${job.state === "queued" || job.state === "running" ? t("cancel") : t("delete")}</button></td></tr>`).join("")}
      </tbody></table>`;
    for (const button of container.querySelectorAll("[data-delete]")) {
      button.addEventListener("click", async () => {
        const row = button.closest("tr");
        if (row.dataset.state === "queued" || row.dataset.state === "running") await api("POST", `/api/v1/jobs/${button.dataset.delete}/cancel`);
        else await api("DELETE", `/api/v1/jobs/${button.dataset.delete}`);
        route();
      });
    }
  }

  // ---- One job -------------------------------------------------------------------------------------------------
  async function renderJob(view, id) {
    const job = await api("GET", `/api/v1/jobs/${id}`);
    const header = `<p><a href="#/jobs">${t("back")}</a></p><h1>${esc(job.input)}</h1>`;
    if (job.state === "queued" || job.state === "running") {
      view.innerHTML = `${header}<div class="card" id="job-progress"><p>${t("job.waiting")} <span class="state state-${esc(job.state)}">${t("state." + job.state)}</span></p>
        ${job.progress.total ? `<progress max="${job.progress.total}" value="${job.progress.done}"></progress> ${job.progress.done}/${job.progress.total}` : ""}</div>`;
      poll(() => route(), 1000);
      return;
    }
    if (job.state !== "succeeded") {
      view.innerHTML = `${header}<div class="card"><p class="error">${t("job.failed")} ${esc(job.error || job.state)}</p></div>`;
      return;
    }
    const outputs = job.outputs;
    const downloads = outputs.filter((name) => !name.includes("/"));
    view.innerHTML = `${header}<div class="card downloads"><strong>${t("download")}:</strong> ${downloads.map((name) =>
      `<a href="#" data-download="${esc(name)}">${esc(name)}</a>`).join("")}</div><div id="job-body"></div>`;
    for (const link of view.querySelectorAll("[data-download]")) {
      link.addEventListener("click", (event) => { event.preventDefault(); download(`/api/v1/jobs/${id}/${link.dataset.download}`, link.dataset.download); });
    }
    if (job.kind === "dicom") await renderDICOMReport($("#job-body"), id);
    else if (job.kind === "training") await renderModelCard($("#job-body"), id);
    else await renderDocumentResult($("#job-body"), job);
  }

  async function renderModelCard(container, id) {
    const model = await api("GET", `/api/v1/jobs/${id}/model.json`);
    const v = model.card.validation, b = model.card.raw_pixel_baseline;
    container.innerHTML = `<div class="card" id="model-card"><h2>${esc(model.name)}@${model.version} · ${esc(model.base)}</h2>
      <p>${model.card.cross_validation_folds ? `${model.card.cross_validation_folds}-fold cross-validation, ${v.count} images · ` : ""}accuracy ${(v.accuracy * 100).toFixed(2)} % · macro-F1 ${v.macro_f1.toFixed(4)} · AUC ${v.auc == null ? "n/a" : v.auc.toFixed(4)}
      ${b ? `<span class="muted">(raw-pixel baseline ${(b.accuracy * 100).toFixed(2)} %)</span>` : ""}</p>
      <table><thead><tr><th>class</th><th>precision</th><th>recall</th><th>support</th></tr></thead><tbody>${model.classes.map((name) => {
        const c = v.per_class[name]; return `<tr><td>${esc(name)}</td><td>${c.precision.toFixed(3)}</td><td>${c.recall.toFixed(3)}</td><td>${c.support}</td></tr>`; }).join("")}
      </tbody></table><p class="muted">confusion ${esc(JSON.stringify(v.confusion))} · dataset ${esc(model.card.dataset_sha256.slice(0, 12))}…</p></div>`;
  }

  async function renderDocumentResult(container, job) {
    const id = job.id, outputs = job.outputs;
    const pages = outputs.filter((name) => name.startsWith("result_pages/")).sort(byPageNumber);
    const previews = outputs.filter((name) => name.startsWith("result_preview/")).sort(byPageNumber);
    container.innerHTML = `<div class="tabs"><button class="active" data-tab="result">${t("job.result")}</button>
      ${previews.length ? `<button data-tab="preview">${t("job.preview")}</button>` : ""}</div>
      <div data-panel="result"><div class="split"><div class="markdown" id="markdown"></div>
        <div class="pageview" id="pageview"></div><div class="findings" id="findings"></div></div></div>
      <div data-panel="preview" hidden><div class="card preview" id="preview"></div></div>`;
    for (const button of container.querySelectorAll("[data-tab]")) {
      button.addEventListener("click", () => {
        for (const other of container.querySelectorAll("[data-tab]")) other.classList.toggle("active", other === button);
        for (const panel of container.querySelectorAll("[data-panel]")) panel.hidden = panel.dataset.panel !== button.dataset.tab;
      });
    }
    // Markdown with the findings highlighted.
    if (outputs.includes("result.md")) {
      const markdown = await api("GET", `/api/v1/jobs/${id}/result.md`, { as: "text" });
      const findings = outputs.includes("result.findings.json") ? (await api("GET", `/api/v1/jobs/${id}/result.findings.json`)).findings : [];
      const verdicts = findings.length ? (await api("GET", `/api/v1/jobs/${id}/review`)).verdicts : {};
      $("#markdown").innerHTML = window.MedLocalMarkdown.renderWithFindings(markdown, findings);
      for (const image of $("#markdown").querySelectorAll("img[data-src]")) {
        const source = image.dataset.src;
        if (/^[\w.-]+\/[\w.-]+$/.test(source)) blobURL(`/api/v1/jobs/${id}/${source}`).then((url) => { image.src = url; }).catch(() => {});
      }
      renderFindings(id, findings, verdicts, markdown);
    } else {
      $("#markdown").innerHTML = `<p class="muted">result.md —</p>`;
    }
    // The page image, one page at a time.
    if (pages.length) {
      $("#pageview").innerHTML = `<div class="row"><label>${t("job.page")} <select id="page">${pages.map((name, index) =>
        `<option value="${esc(name)}">${index + 1}</option>`).join("")}</select></label></div><img id="page-image" alt="">`;
      const show = async () => { $("#page-image").src = await blobURL(`/api/v1/jobs/${id}/${$("#page").value}`); };
      $("#page").addEventListener("change", show);
      await show();
    } else {
      $("#pageview").innerHTML = `<p class="muted">${t("job.nopage")}</p>`;
    }
    if (previews.length) {
      $("#preview").innerHTML = `<p class="muted">${t("job.preview.hint")}</p>` + previews.map((name, index) =>
        `<h2>${t("job.page")} ${index + 1}</h2><img data-preview="${esc(name)}" alt="">`).join("");
      for (const image of $("#preview").querySelectorAll("img[data-preview]")) image.src = await blobURL(`/api/v1/jobs/${id}/${image.dataset.preview}`);
    }
  }

  function byPageNumber(a, b) {
    const number = (name) => Number((/(\d+)(?:\.preview)?\.png$/.exec(name) || [0, 0])[1]);
    return number(a) - number(b);
  }

  function renderFindings(id, findings, verdicts, markdown) {
    const container = $("#findings");
    const points = Array.from(markdown);
    if (!findings.length) { container.innerHTML = `<h2>${t("job.findings")}</h2><p class="muted">${t("job.nofindings")}</p>`; return; }
    const types = [...new Set(findings.map((f) => f.type))].sort();
    const canReview = session.user.role !== "auditor";
    container.innerHTML = `<h2>${t("job.findings")} (${findings.length})</h2>
      ${canReview ? `<p><button id="apply-review">${t("job.apply")}</button> <span class="muted" id="apply-status">${t("job.apply.hint")}</span></p>` : ""}
      <div class="legend">${types.map((type) => `<span class="t-${esc(type)}">${esc(type)}</span>`).join("")}</div>
      ${findings.map((f) => `<div class="finding ${esc(verdicts[f.index] || "")}" data-item="${f.index}">
        <span class="type"><mark class="phi t-${esc(f.type)}">${esc(f.type)}</mark></span>
        <a href="#" data-jump="${f.index}">${esc(points.slice(f.start, f.end).join(""))}</a>
        <div class="muted">score ${f.score} · ${esc(f.recognizer)} · ${esc(f.action)}</div>
        ${canReview ? `<button class="secondary" data-verdict="accepted" data-index="${f.index}">${t("job.accept")}</button>
        <button class="danger" data-verdict="rejected" data-index="${f.index}">${t("job.reject")}</button>
        <button class="secondary" data-verdict="open" data-index="${f.index}">${t("job.reopen")}</button>` : ""}</div>`).join("")}`;
    const apply = (all) => {
      for (const item of container.querySelectorAll(".finding")) {
        const verdict = all[item.dataset.item] || "";
        item.classList.toggle("accepted", verdict === "accepted");
        item.classList.toggle("rejected", verdict === "rejected");
      }
      for (const mark of document.querySelectorAll("#markdown mark[data-finding]")) mark.classList.toggle("rejected", all[mark.dataset.finding] === "rejected");
    };
    apply(verdicts);
    for (const button of container.querySelectorAll("[data-verdict]")) {
      button.addEventListener("click", async () => {
        const reply = await api("POST", `/api/v1/jobs/${id}/review`, { json: { finding: Number(button.dataset.index), verdict: button.dataset.verdict } });
        apply(reply.verdicts);
      });
    }
    if (canReview) {
      $("#apply-review").addEventListener("click", async () => {
        $("#apply-review").disabled = true;
        try {
          const reply = await api("POST", `/api/v1/jobs/${id}/review/apply`);
          $("#apply-status").textContent = `${t("job.applied")} ${reply.outputs.join(", ")}`;
          await route();
        } catch (error) {
          $("#apply-status").innerHTML = `<span class="error">${esc(error.message)}</span>`;
          $("#apply-review").disabled = false;
        }
      });
    }
    for (const link of container.querySelectorAll("[data-jump]")) {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        for (const other of document.querySelectorAll("mark.focus")) other.classList.remove("focus");
        const mark = document.querySelector(`#markdown mark[data-finding="${link.dataset.jump}"]`);
        if (mark) { mark.classList.add("focus"); mark.scrollIntoView({ block: "center" }); }
      });
    }
  }

  // ---- DICOM ---------------------------------------------------------------------------------------------------
  const PROFILE_OPTIONS = ["retain-safe-private", "retain-uids", "retain-device-identity", "retain-institution-identity",
    "retain-patient-characteristics", "retain-long-full-dates", "retain-long-modified-dates", "clean-descriptors",
    "clean-structured-content", "clean-graphics"];

  function renderDICOM(view) {
    if (session.user.role === "auditor") { view.innerHTML = `<p class="error">${t("forbidden")}</p>`; return; }
    view.innerHTML = `<h1>${t("dicom.title")}</h1><div class="card"><p class="muted">${t("dicom.hint")}</p>
      <div class="drop" id="drop">${t("jobs.drop").replace(/PDF、DOCX 或图片|PDF, DOCX or image/, "DICOM / ZIP")}</div>
      <h2>${t("dicom.options")}</h2><div class="row">${PROFILE_OPTIONS.map((option) =>
        `<label class="inline"><input type="checkbox" name="profile" value="${option}"> ${option}</label>`).join("")}</div>
      <p><label class="inline"><input type="checkbox" id="pixels"> ${t("dicom.pixels")}</label></p><div id="upload-status"></div></div>`;
    dropZone(view, ".dcm,.zip,application/dicom,application/zip", async (files) => {
      const options = [...view.querySelectorAll("input[name=profile]:checked")].map((box) => box.value).join(",");
      const queued = await upload("/api/v1/dicom/deid", files, { options, clean_pixels: $("#pixels").checked }, $("#upload-status"));
      if (queued.length === 1) location.hash = `#/job/${queued[0].id}`;
      else if (queued.length) location.hash = "#/jobs";
    });
  }

  async function renderDICOMReport(container, id) {
    const report = await api("GET", `/api/v1/jobs/${id}/result.report.json`);
    const counted = ["removed", "emptied", "dummied", "cleaned", "uidsReplaced", "datesShifted", "privateRemoved", "kept"];
    container.innerHTML = `<div class="card"><h2>${t("dicom.report")}</h2>
      <p>${report.deidentified} ✓ · ${report.failed} ✗ · ${esc((report.options || []).join(", ") || "basic profile")}</p>
      <table id="dicom-report"><thead><tr><th>${t("col.file")}</th><th>${t("col.status")}</th><th>${t("col.actions.count")}</th><th>${t("col.reason")}</th></tr></thead>
      <tbody>${report.files.map((file) => `<tr><td>${esc(file.file)}</td><td class="state state-${file.status === "deidentified" ? "succeeded" : "failed"}">${esc(file.status)}</td>
        <td>${file.actions ? counted.filter((name) => file.actions[name]).map((name) => `${name} ${file.actions[name]}`).join(" · ") : ""}
          ${file.actions && file.actions.blankedRegions && file.actions.blankedRegions.length ? ` · blanked ${file.actions.blankedRegions.length}` : ""}</td>
        <td>${esc(file.reason || (file.actions && file.actions.pixelNote) || "")}</td></tr>`).join("")}</tbody></table></div>`;
  }

  // ---- Image diagnosis -----------------------------------------------------------------------------------------
  // Server-side inference: the image goes to this server only, is classified in memory and is not stored.
  async function renderDiagnosis(view) {
    const { models } = await api("GET", "/api/v1/models");
    const choices = models.flatMap((model) => model.versions.map((v) => ({ name: model.name, version: v.version, accuracy: v.accuracy })));
    if (!choices.length) { view.innerHTML = `<h1>${t("diagnosis.title")}</h1><div class="card"><p class="muted">${t("diagnosis.none")}</p></div>`; return; }
    view.innerHTML = `<h1>${t("diagnosis.title")}</h1><div class="card"><label>${t("diagnosis.model")}
      <select id="diagnosis-model">${choices.map((c, i) => `<option value="${i}">${esc(c.name)}@${c.version} · ${t("diagnosis.accuracy")} ${(c.accuracy * 100).toFixed(1)} %</option>`).join("")}</select></label>
      <div class="drop" id="drop">${t("diagnosis.drop")}</div><div id="diagnosis-status"></div></div><div id="diagnosis-result"></div>`;
    dropZone(view, "image/*,.dcm,application/dicom", async (files) => {
      if (!files.length) return;
      const choice = choices[Number($("#diagnosis-model").value)];
      $("#diagnosis-status").innerHTML = `<p class="muted">${t("job.waiting")}</p>`;
      try {
        const reply = await api("POST", `/api/v1/models/${encodeURIComponent(choice.name)}/classify?version=${choice.version}`,
          { body: files[0], headers: { "Content-Type": files[0].type || "application/octet-stream" } });
        $("#diagnosis-status").innerHTML = "";
        renderDiagnosisResult($("#diagnosis-result"), reply, files[0]);
      } catch (error) { showError($("#diagnosis-status"), error); }
    });
  }

  function renderDiagnosisResult(container, reply, file) {
    const picture = file.type.startsWith("image/") ? URL.createObjectURL(file) : null;
    if (picture) objectURLs.push(picture);
    const probabilities = Object.entries(reply.prediction.probabilities).sort((a, b) => b[1] - a[1]);
    const advice = reply.advice || {};
    const disease = advice.disease;
    container.innerHTML = `<div class="card" id="diagnosis-card"><h2>${t("diagnosis.result")}</h2><div class="row">
      ${picture ? `<img class="diagnosis-image" src="${picture}" alt="">` : ""}
      <div><p id="diagnosis-label"><strong>${esc(reply.prediction.label)}</strong> · ${(reply.prediction.probability * 100).toFixed(1)} %
        <span class="muted">(${esc(reply.model)}@${reply.version})</span></p>
      <table><tbody>${probabilities.map(([label, p]) => `<tr><td>${esc(label)}</td><td>${(p * 100).toFixed(1)} %</td></tr>`).join("")}</tbody></table></div></div>
      ${disease ? `<h2>${esc(language === "zh" ? disease.name_zh : disease.name_en)} <span class="muted">ICD-10 ${esc(disease.code)}</span></h2>
        <p>${esc(disease.description)}</p><p><strong>${t("diagnosis.advice")}:</strong> ${esc(disease.treatment)}</p>
        <p><strong>${t("diagnosis.urgency")}:</strong> ${esc(disease.urgency)} · <strong>${t("diagnosis.source")}:</strong> ${esc(disease.source)}</p>`
        : `<p class="muted">${esc(advice.message || "")}</p>`}
      <p class="notice" id="diagnosis-disclaimer">${esc(advice.disclaimer || "")}</p></div>`;
  }

  // ---- Policies ------------------------------------------------------------------------------------------------
  async function renderPolicies(view) {
    const listing = await api("GET", "/api/v1/policies");
    const admin = session.user.role === "admin";
    view.innerHTML = `<h1>${t("policies.title")}</h1><div class="card"><p id="policy-active"><strong>${t("policies.active")}:</strong>
      ${esc(listing.activeName || listing.active)} ${esc(listing.activeVersion)}</p><table id="policy-table"><thead><tr><th>ID</th><th>Name</th><th>Version</th><th></th></tr></thead>
      <tbody>${listing.policies.map((policy) => `<tr><td>${esc(policy.id)} ${policy.preset ? `<span class="muted">(${t("policies.preset")})</span>` : ""}
        ${policy.id === listing.active ? `<strong class="notice">● ${t("policies.active")}</strong>` : ""}</td><td>${esc(policy.name || "")}</td><td>${esc(policy.version)}</td>
        <td><button class="secondary" data-view="${esc(policy.id)}">${t("policies.view")}</button>
        ${admin && policy.id !== listing.active ? `<button class="primary" data-activate="${esc(policy.id)}">${t("policies.activate")}</button>` : ""}</td></tr>`).join("")}
      </tbody></table><div id="policy-status"></div></div>
      <div class="card"><h2>${t("policies.editor")}</h2><textarea id="policy-yaml" spellcheck="false"></textarea>
      <div class="row" style="margin-top:8px"><button class="secondary" id="validate">${t("policies.validate")}</button>
      ${admin ? `<button class="primary" id="upload-policy">${t("policies.upload")}</button>` : ""}</div><div id="editor-status"></div></div>`;
    const show = async (policyID) => { $("#policy-yaml").value = await api("GET", `/api/v1/policies/${encodeURIComponent(policyID)}`, { as: "text" }); };
    for (const button of view.querySelectorAll("[data-view]")) button.addEventListener("click", () => show(button.dataset.view));
    for (const button of view.querySelectorAll("[data-activate]")) {
      button.addEventListener("click", async () => {
        try {
          const reply = await api("POST", `/api/v1/policies/${encodeURIComponent(button.dataset.activate)}/activate`);
          await renderPolicies(view);
          $("#policy-status").innerHTML = `<p class="notice">${t("policies.activated")} ${esc(reply.active)}</p>`;
        } catch (error) { showError($("#policy-status"), error); }
      });
    }
    const send = async (path) => {
      try {
        const reply = await api("POST", path, { body: $("#policy-yaml").value, headers: { "Content-Type": "application/yaml" } });
        if (path.endsWith("validate")) $("#editor-status").innerHTML = `<p class="notice">${t("policies.valid")} ${esc(reply.id)}</p>`;
        else { await renderPolicies(view); $("#policy-status").innerHTML = `<p class="notice">${esc(reply.id)}</p>`; }
      } catch (error) { showError($("#editor-status"), error); }
    };
    $("#validate").addEventListener("click", () => send("/api/v1/policies/validate"));
    if (admin) $("#upload-policy").addEventListener("click", () => send("/api/v1/policies"));
    await show("active").catch(() => {});
  }

  // ---- Audit ---------------------------------------------------------------------------------------------------
  async function renderAudit(view, after = 0) {
    if (session.user.role === "operator") { view.innerHTML = `<p class="error">${t("forbidden")}</p>`; return; }
    const [verification, page] = await Promise.all([api("GET", "/api/v1/audit/verify"), api("GET", `/api/v1/audit/records?after=${after}&limit=50`)]);
    view.innerHTML = `<h1>${t("audit.title")}</h1>
      <div class="card" id="audit-verify"><h2>${t("audit.verify")}</h2>
        <p class="${verification.valid ? "notice" : "error"}"><strong>${verification.valid ? t("audit.valid") : t("audit.invalid")}</strong>
        · ${verification.records} · checkpoints ${verification.checkpointsVerified} · head ${esc(String(verification.headHash).slice(0, 16))}…
        ${verification.problem ? `<br>${esc(verification.problem)}` : ""}</p></div>
      <div class="card"><div class="row"><h2 style="margin:0">${t("audit.records")}</h2><span class="spacer"></span>
        <button class="secondary" data-export="jsonl">${t("audit.export")} JSONL</button><button class="secondary" data-export="csv">${t("audit.export")} CSV</button></div>
        <table id="audit-table"><thead><tr><th>${t("col.seq")}</th><th>${t("col.time")}</th><th>${t("col.actor")}</th><th>${t("col.operation")}</th>
          <th>${t("col.findings")}</th><th>${t("col.hash")}</th></tr></thead><tbody>${page.records.map((record) => `<tr><td>${record.sequence}</td>
          <td>${esc(new Date(record.time).toLocaleString())}</td><td>${esc(record.event.actor)}</td><td>${esc(record.event.operation)}</td>
          <td>${esc(summariseFindings(record.event.findings || []))}</td><td><code>${esc(record.hash.slice(0, 12))}</code></td></tr>`).join("")}</tbody></table>
        ${page.next ? `<p><button class="secondary" id="next">${t("audit.next")}</button></p>` : ""}</div>`;
    for (const button of view.querySelectorAll("[data-export]")) {
      button.addEventListener("click", () => download(`/api/v1/audit/export?format=${button.dataset.export}`, `medlocal-audit.${button.dataset.export}`));
    }
    if (page.next) $("#next").addEventListener("click", () => renderAudit(view, page.next).catch((error) => showError(view, error)));
  }

  function summariseFindings(findings) {
    const counts = {};
    for (const finding of findings) counts[finding.type] = (counts[finding.type] || 0) + 1;
    return Object.entries(counts).map(([type, count]) => `${type}×${count}`).join(" ");
  }

  // ---- Start ---------------------------------------------------------------------------------------------------
  $("#lang").addEventListener("click", () => { language = language === "zh" ? "en" : "zh"; localStorage.setItem("medlocal.lang", language); route(); });
  $("#logout").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  route();
})();
