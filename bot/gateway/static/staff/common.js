/*
 * Shared by the staff console's pages: the JSON API (with the session's CSRF token), building elements
 * (text only ever goes in through textContent), Vietnamese labels and formats, the page header.
 */

export const CSRF_TOKEN = document.querySelector('meta[name="csrf-token"]').content;

export const CHANNELS = { web: "Web", telegram: "Telegram", zalo: "Zalo", rest: "API" };
export const REASONS = {
  request_human: "Yêu cầu gặp cán bộ",
  fallback: "Trợ lý ảo không hiểu",
  complain: "Khiếu nại, phản ánh",
  dossier: "Hỏi về hồ sơ",
};
export const STATES = {
  bot: "Đã trả lại trợ lý ảo",
  waiting: "Đang chờ cán bộ",
  with_staff: "Cán bộ đang hỗ trợ",
  closed: "Đã kết thúc",
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Call the console's API; resolves to the JSON body (null for 204), rejects with ApiError(detail). */
export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = CSRF_TOKEN;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch (error) {
    throw new ApiError(0, "Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.");
  }
  if (response.status === 401 && !path.endsWith("/api/login")) {
    location.assign("/staff/login");
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, errorText(data));
  return data;
}

function errorText(data) {
  if (typeof data.detail === "string") return data.detail;
  return "Yêu cầu không thực hiện được. Vui lòng thử lại.";
}

/** The API path of a conversation (ids contain ":" and may contain anything else). */
export function conversationPath(id, action) {
  const path = "/staff/api/conversations/" + encodeURIComponent(id);
  return action ? path + "/" + action : path;
}

/**
 * Create an element. `props`: className, text (textContent), hidden, type, value, title, htmlFor, disabled,
 * attrs ({name: value} through setAttribute), dataset, on ({event: handler}). Children: nodes or strings
 * (strings become text nodes); null and false are skipped.
 */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  const { text, attrs, dataset, on, ...rest } = props;
  for (const [name, value] of Object.entries(rest)) {
    if (value !== undefined && value !== null) node[name] = value;
  }
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, String(value));
  Object.assign(node.dataset, dataset || {});
  for (const [event, handler] of Object.entries(on || {})) node.addEventListener(event, handler);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

/** "45 giây", "3 phút 05 giây", "2 giờ 10 phút". */
export function duration(totalSeconds) {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  if (seconds < 60) return seconds + " giây";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return minutes + " phút " + String(seconds % 60).padStart(2, "0") + " giây";
  return Math.floor(minutes / 60) + " giờ " + String(minutes % 60).padStart(2, "0") + " phút";
}

const TIME = new Intl.DateTimeFormat("vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" });
const DATE_TIME = new Intl.DateTimeFormat("vi-VN", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Asia/Ho_Chi_Minh",
});

export function clock(iso) {
  return TIME.format(new Date(iso));
}

export function dateTime(iso) {
  return DATE_TIME.format(new Date(iso));
}

/** Announce something in the page's toast (role=alert for errors, role=status otherwise). */
export function toast(message, kind = "info") {
  const box = document.getElementById("toast");
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  box.className = "toast " + kind;
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => {
    box.hidden = true;
  }, 6000);
}

const PAGES = [
  { path: "/staff", title: "Hội thoại" },
  { path: "/staff/report", title: "Báo cáo", admin: true },
  { path: "/staff/admin", title: "Quản trị", admin: true },
];

/** Build the page header around what the page put in #topbar: title, pages, who is logged in, logout.
 * Resolves to the staff member. */
export async function setUpHeader() {
  const { staff } = await api("GET", "/staff/api/me");
  const admin = staff.role === "admin";
  const links = PAGES.filter((page) => admin || !page.admin).map((page) => {
    const link = el("a", { href: page.path, text: page.title });
    if (page.path === location.pathname) link.setAttribute("aria-current", "page");
    return link;
  });
  const logout = el("button", { type: "button", className: "secondary", text: "Đăng xuất" });
  logout.addEventListener("click", async () => {
    try {
      await api("POST", "/staff/api/logout");
    } finally {
      location.assign("/staff/login");
    }
  });
  const topbar = document.getElementById("topbar");
  topbar.prepend(el("h1", { text: "Bàn hỗ trợ cán bộ" }), el("nav", { attrs: { "aria-label": "Các trang" } }, links));
  topbar.append(el("span", { className: "who", text: staff.display_name + " · " + (admin ? "Quản trị viên" : "Cán bộ") }), logout);
  return staff;
}
