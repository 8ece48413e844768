/* The admin's page: staff accounts (create, deactivate), the weekly office hours with extra closed and open
 * days, the procedure catalogue (re-import of its source), and the canned replies officers insert. */
import { api, clear, el, setUpHeader, toast } from "/staff/static/common.js";

const DAYS = [
  ["mon", "Thứ Hai"],
  ["tue", "Thứ Ba"],
  ["wed", "Thứ Tư"],
  ["thu", "Thứ Năm"],
  ["fri", "Thứ Sáu"],
  ["sat", "Thứ Bảy"],
  ["sun", "Chủ nhật"],
];
const SATURDAY_MORNING = "07:30-11:30";
const PERIOD = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/;

let me = null;

// Accounts

function showAccounts(staff) {
  clear(document.getElementById("accounts")).append(...staff.map(accountRow));
}

function accountRow(member) {
  const action =
    member.active && member.id !== me.id
      ? el("button", {
          type: "button",
          className: "danger small",
          text: "Khóa tài khoản",
          attrs: { "aria-label": "Khóa tài khoản " + member.display_name },
          on: { click: () => deactivate(member) },
        })
      : null;
  return el(
    "tr",
    { className: member.active ? "" : "inactive" },
    el("td", { text: member.display_name }),
    el("td", { text: member.username }),
    el("td", { text: member.role === "admin" ? "Quản trị viên" : "Cán bộ" }),
    el("td", { text: member.active ? "Đang hoạt động" : "Đã khóa" }),
    el("td", {}, action),
  );
}

async function deactivate(member) {
  try {
    showAccounts((await api("POST", `/staff/api/staff/${member.id}/deactivate`)).staff);
    toast("Đã khóa tài khoản " + member.display_name + ".");
  } catch (error) {
    toast(error.message, "error");
  }
}

async function createAccount(event) {
  event.preventDefault();
  const form = event.target;
  const body = Object.fromEntries(["username", "display_name", "password", "role"].map((k) => [k, form[k].value]));
  try {
    showAccounts((await api("POST", "/staff/api/staff", body)).staff);
    toast("Đã tạo tài khoản " + body.display_name + ".");
    form.reset();
  } catch (error) {
    toast(error.message, "error");
  }
}

// Office hours

function periodsText(periods) {
  return periods.map(([start, end]) => start + "-" + end).join(", ");
}

function parsePeriods(text, dayName) {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = PERIOD.exec(part);
      if (!match) throw new Error(`${dayName}: “${part}” không đúng dạng 07:30-11:30.`);
      return [match[1].padStart(5, "0"), match[2].padStart(5, "0")];
    });
}

function showSchedule(schedule) {
  const weekly = document.getElementById("weekly");
  clear(weekly).append(
    ...DAYS.map(([key, name]) =>
      el(
        "div",
        { className: "day" },
        el("label", { htmlFor: "day-" + key, text: name }),
        el("input", { id: "day-" + key, value: periodsText(schedule.weekly[key] || []), placeholder: "Nghỉ" }),
      ),
    ),
  );
  document.getElementById("saturday-morning").checked = document.getElementById("day-sat").value !== "";
  closedDays.show(schedule.closed_days);
  openDays.show(schedule.open_days);
}

async function saveSchedule(event) {
  event.preventDefault();
  let weekly;
  try {
    weekly = Object.fromEntries(
      DAYS.map(([key, name]) => [key, parsePeriods(document.getElementById("day-" + key).value, name)]),
    );
  } catch (error) {
    toast(error.message, "error");
    return;
  }
  const body = { weekly, closed_days: closedDays.days, open_days: openDays.days };
  try {
    showSchedule(await api("PUT", "/staff/api/office-hours", body));
    toast("Đã lưu giờ làm việc.");
  } catch (error) {
    toast(error.message, "error");
  }
}

/** A list of dates (ISO) with a date picker to add one and a button to remove each. */
class DayList {
  constructor(fieldset, label) {
    this.days = [];
    this.list = el("ul", { className: "days" });
    const id = fieldset.id + "-new";
    this.input = el("input", { type: "date", id });
    const add = el("button", { type: "button", text: "Thêm ngày", on: { click: () => this.add() } });
    fieldset.append(this.list, el("label", { htmlFor: id, className: "visually-hidden", text: label }), this.input, add);
  }

  show(days) {
    this.days = [...days].sort();
    clear(this.list).append(
      ...this.days.map((day) =>
        el(
          "li",
          {},
          el("span", { text: new Date(day + "T00:00:00").toLocaleDateString("vi-VN") }),
          el("button", {
            type: "button",
            className: "small",
            text: "Bỏ",
            attrs: { "aria-label": "Bỏ ngày " + day },
            on: { click: () => this.show(this.days.filter((other) => other !== day)) },
          }),
        ),
      ),
    );
  }

  add() {
    if (this.input.value && !this.days.includes(this.input.value)) this.show([...this.days, this.input.value]);
    this.input.value = "";
  }
}

let closedDays;
let openDays;

// Canned replies

async function saveCanned(event) {
  event.preventDefault();
  const replies = document.getElementById("canned-text").value.split("\n");
  try {
    showCanned((await api("PUT", "/staff/api/canned-replies", { replies })).replies);
    toast("Đã lưu câu trả lời mẫu.");
  } catch (error) {
    toast(error.message, "error");
  }
}

function showCanned(replies) {
  document.getElementById("canned-text").value = replies.join("\n");
}

// Catalogue

function showCatalogue(status) {
  const source = status.source
    ? `Nguồn: ${status.source} (${status.up_to_date ? "đã nhập bản mới nhất" : "có thay đổi chưa nhập"}).`
    : "Chưa cấu hình nguồn danh mục: trợ lý ảo dùng danh mục biên soạn sẵn.";
  const count = `Trợ lý ảo đang phục vụ ${status.procedures} thủ tục (${status.curated} thủ tục biên soạn kỹ). `;
  document.getElementById("catalogue-status").textContent = count + source;
  document.getElementById("catalogue-import").disabled = !status.source;
}

async function importCatalogue(event) {
  const button = event.target;
  button.disabled = true;
  button.textContent = "Đang nhập…";
  try {
    toast((await api("POST", "/staff/api/catalogue/import")).message);
  } catch (error) {
    toast(error.message, "error");
  } finally {
    button.textContent = "Nhập lại danh mục";
    showCatalogue(await api("GET", "/staff/api/catalogue"));
  }
}

async function start() {
  me = await setUpHeader();
  closedDays = new DayList(document.getElementById("closed-days"), "Chọn ngày nghỉ thêm");
  openDays = new DayList(document.getElementById("open-days"), "Chọn ngày làm việc thêm");
  const [staff, schedule, canned, catalogue] = await Promise.all([
    api("GET", "/staff/api/staff"),
    api("GET", "/staff/api/office-hours"),
    api("GET", "/staff/api/canned-replies"),
    api("GET", "/staff/api/catalogue"),
  ]);
  showAccounts(staff.staff);
  showSchedule(schedule);
  showCanned(canned.replies);
  showCatalogue(catalogue);
  document.getElementById("catalogue-import").addEventListener("click", importCatalogue);
  document.getElementById("new-account").addEventListener("submit", createAccount);
  document.getElementById("office-hours").addEventListener("submit", saveSchedule);
  document.getElementById("canned-form").addEventListener("submit", saveCanned);
  document.getElementById("saturday-morning").addEventListener("change", (event) => {
    document.getElementById("day-sat").value = event.target.checked ? SATURDAY_MORNING : "";
  });
}

start().catch((error) => toast(error.message, "error"));
