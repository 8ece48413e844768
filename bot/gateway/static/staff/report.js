/* The admin's report over a date range (default: the last 7 days) and the audit log. */
import { api, clear, dateTime, duration, el, REASONS, setUpHeader, toast } from "/staff/static/common.js";

const ACTIONS = {
  claim: "Nhận hỗ trợ",
  reply: "Trả lời",
  note: "Ghi chú nội bộ",
  transfer: "Chuyển cán bộ",
  hand_back: "Trả lại trợ lý ảo",
  close: "Kết thúc",
  login: "Đăng nhập",
  logout: "Đăng xuất",
  create_staff: "Tạo tài khoản",
  change_password: "Đổi mật khẩu",
  deactivate_staff: "Khóa tài khoản",
  office_hours: "Sửa giờ làm việc",
  canned_replies: "Sửa câu trả lời mẫu",
  import_catalogue: "Nhập lại danh mục thủ tục",
};
const PERCENT = new Intl.NumberFormat("vi-VN", { style: "percent", maximumFractionDigits: 1 });
const SCORE = new Intl.NumberFormat("vi-VN", { minimumFractionDigits: 1, maximumFractionDigits: 2 });
const DAY = new Intl.DateTimeFormat("vi-VN", { weekday: "short", day: "2-digit", month: "2-digit", timeZone: "UTC" });

const $ = (id) => document.getElementById(id);

function formatDay(iso) {
  return DAY.format(new Date(iso + "T00:00:00Z"));
}

function empty(columns, text) {
  return el("tr", {}, el("td", { colSpan: columns, className: "muted", text }));
}

function showReport(report) {
  $("period").textContent = `(${formatDay(report.start)} – ${formatDay(report.end)})`;
  const figures = [
    ["Cuộc trò chuyện", String(report.conversations)],
    ["Chuyển cho cán bộ", String(report.handoffs)],
    ["Tỷ lệ chuyển cán bộ", PERCENT.format(report.handoff_rate)],
    ["Thời gian chờ (trung vị)", report.median_wait_seconds === null ? "—" : duration(report.median_wait_seconds)],
  ];
  clear($("summary")).append(
    ...figures.map(([label, value]) => el("div", { className: "figure" }, el("dt", { text: label }), el("dd", { text: value }))),
  );
  showPerDay(report.conversations_per_day);
  const reasons = Object.entries(report.reasons);
  clear($("reasons")).append(
    ...reasons.map(([reason, count]) => el("tr", {}, el("td", { text: REASONS[reason] || reason }), el("td", { text: count }))),
  );
  if (!reasons.length) $("reasons").append(empty(2, "Chưa có lượt chuyển nào."));
  clear($("ratings")).append(
    ...report.ratings.map((rating) =>
      el(
        "tr",
        {},
        el("td", { text: rating.name }),
        el("td", { text: rating.count }),
        el("td", { text: SCORE.format(rating.average) + " ★" }),
      ),
    ),
  );
  if (!report.ratings.length) $("ratings").append(empty(3, "Chưa có đánh giá."));
  clear($("unanswered")).append(
    ...report.unanswered.map(([text, count]) =>
      el("li", {}, el("span", { text }), el("span", { className: "muted", text: ` — ${count} lần` })),
    ),
  );
  if (!report.unanswered.length) $("unanswered").append(el("li", { className: "muted", text: "Không có." }));
}

function showPerDay(perDay) {
  const days = Object.entries(perDay);
  const most = Math.max(1, ...days.map(([, count]) => count));
  clear($("per-day")).append(
    ...days.map(([day, count]) => {
      const bar = el("span", { className: "bar" });
      bar.style.width = (100 * count) / most + "%";
      return el("tr", {}, el("td", { text: formatDay(day) }), el("td", { text: count }), el("td", {}, bar));
    }),
  );
}

/** A transfer's detail is "<from id>→<to id>": shown with the officers' names. */
function detail(entry, names) {
  const ids = /^(\d+)→(\d+)$/.exec(entry.detail);
  if (entry.action !== "transfer" || !ids) return entry.detail;
  return (names.get(Number(ids[1])) || "#" + ids[1]) + " → " + (names.get(Number(ids[2])) || "#" + ids[2]);
}

function showAudit(entries, staff) {
  const names = new Map(staff.map((member) => [member.id, member.display_name]));
  clear($("audit")).append(
    ...entries.map((entry) =>
      el(
        "tr",
        {},
        el("td", { text: dateTime(entry.time) }),
        el("td", { text: entry.staff_name || "—" }),
        el("td", { text: ACTIONS[entry.action] || entry.action }),
        el("td", { text: entry.conversation_id || "" }),
        el("td", { text: detail(entry, names) }),
      ),
    ),
  );
}

async function load(start, end) {
  const query = new URLSearchParams();
  if (start) query.set("start", start);
  if (end) query.set("end", end);
  try {
    const [report, audit, staff] = await Promise.all([
      api("GET", "/staff/api/report?" + query),
      api("GET", "/staff/api/audit?limit=200"),
      api("GET", "/staff/api/staff"),
    ]);
    $("start").value = report.start;
    $("end").value = report.end;
    showReport(report);
    showAudit(audit.entries, staff.staff);
  } catch (error) {
    toast(error.message, "error");
  }
}

async function start() {
  await setUpHeader();
  $("range").addEventListener("submit", (event) => {
    event.preventDefault();
    load($("start").value, $("end").value);
  });
  await load();
}

start().catch((error) => toast(error.message, "error"));
