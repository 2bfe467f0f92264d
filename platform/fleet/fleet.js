// SPDX-License-Identifier: GPL-3.0-or-later
// The fleet page (issue #18 point 3): reads GET /v1/admin/fleet every few
// seconds and shows every kiosk, silent ones first in red with the word
// 失联 and a sign (not colour alone). Kiosk ids and device reasons come from
// kiosks: they are set as text, never as HTML.
'use strict';

const REFRESH_MS = 3000;

const DEVICE_NAMES = {
  idcard: '身份证读卡器',
  camera: '高拍仪',
  pad: '评价器',
  printer: '打印机',
};

const STATE_NAMES = {
  ready: '正常',
  busy: '工作中',
  error: '故障',
  absent: '未连接',
};

function ageText(seconds) {
  if (seconds === null || seconds === undefined) return '从未';
  if (seconds < 60) return `${seconds} 秒`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} 分钟`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)} 小时`;
  return `${Math.floor(seconds / 86400)} 天`;
}

function cell(row, text, cls) {
  const td = document.createElement('td');
  if (cls) td.className = cls;
  if (text !== undefined && text !== null) td.textContent = String(text);
  row.appendChild(td);
  return td;
}

function span(parent, text, cls) {
  const s = document.createElement('span');
  if (cls) s.className = cls;
  s.textContent = text;
  parent.appendChild(s);
  return s;
}

function statusCell(row, k) {
  const td = cell(row);
  if (k.silent) {
    span(td, '⚠ 失联');
    span(td, 'silent', 'reason').lang = 'en';
  } else if (k.accepting_applications === false) {
    span(td, '暂停受理', 'device bad');
  } else {
    span(td, '✓ 在线', 'status-ok');
  }
}

function heartbeatCell(row, k) {
  const td = cell(row);
  if (k.last_heartbeat_at === null) {
    span(td, '从未收到');
    return;
  }
  span(td, `${ageText(k.heartbeat_age_seconds)}前`);
  const at = new Date(k.last_heartbeat_at * 1000);
  span(td, at.toLocaleString('zh-CN', { hour12: false }), 'reason');
}

function devicesCell(row, k) {
  const td = cell(row);
  const names = Object.keys(k.devices || {}).sort();
  if (names.length === 0) td.textContent = '—';
  for (const name of names) {
    const d = k.devices[name];
    const bad = d.state === 'error' || d.state === 'absent';
    const line = span(td, `${DEVICE_NAMES[name] || name}：${STATE_NAMES[d.state] || d.state || '?'}`,
      bad ? 'device bad' : 'device');
    line.dataset.device = name;
    if (bad && d.reason) span(line, d.reason, 'reason');
  }
}

function applyFilter() {
  const only = document.getElementById('problems-only').checked;
  for (const tr of document.querySelectorAll('#rows tr'))
    tr.classList.toggle('hidden', only && tr.dataset.problem !== 'true');
}

function render(data) {
  const tbody = document.getElementById('rows');
  const rows = [];
  for (const k of data.kiosks) {
    const tr = document.createElement('tr');
    tr.dataset.kiosk = k.kiosk_id;
    // "problem" (the platform decides): silent, a device failing or gone,
    // not accepting, refused items, a backlog older than an hour.
    tr.dataset.problem = String(k.problem);
    if (k.silent) tr.className = 'silent';
    statusCell(tr, k);
    cell(tr, k.kiosk_id);
    heartbeatCell(tr, k);
    cell(tr, k.app_version || '—');
    devicesCell(tr, k);
    const backlog = cell(tr, k.backlog ?? '—', 'num');
    if (k.rejected) span(backlog, `另有 ${k.rejected} 件被平台退回`, 'reason');
    cell(tr, k.backlog ? ageText(k.oldest_pending_age_seconds) : '—', 'num');
    cell(tr, k.cases_today, 'num');
    cell(tr, k.ratings_today, 'num');
    rows.push(tr);
  }
  tbody.replaceChildren(...rows);
  applyFilter();
  const summary = document.getElementById('summary');
  summary.textContent = `共 ${data.total} 台终端，${data.silent} 台失联，${data.problems} 台有问题`;
  summary.className = data.silent > 0 ? 'alarm' : '';
  document.getElementById('rule').textContent =
    `超过 ${data.silent_after_seconds} 秒未收到心跳即视为失联，失联终端排在最前。`;
  const now = new Date(data.server_time * 1000);
  document.getElementById('updated').textContent =
    `更新于 ${now.toLocaleTimeString('zh-CN', { hour12: false })}，每 ${REFRESH_MS / 1000} 秒自动刷新`;
}

async function refresh() {
  try {
    const r = await fetch('/v1/admin/fleet', { credentials: 'same-origin', cache: 'no-store' });
    if (r.status === 401) {
      location.href = '/fleet/login';
      return;
    }
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    render(await r.json());
  } catch (e) {
    const summary = document.getElementById('summary');
    summary.textContent = `无法读取终端状态（${e.message}），稍后自动重试`;
    summary.className = 'alarm';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('problems-only').addEventListener('change', applyFilter);
  refresh();
  setInterval(refresh, REFRESH_MS);
});
