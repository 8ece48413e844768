/*
 * The officers' console: the live queue and "my conversations", one open conversation with its whole
 * transcript, replies, internal notes, canned replies, claim / transfer / hand back / close.
 * Live updates come over the /staff/ws WebSocket; a new waiting conversation beeps (Web Audio) and shows
 * in the title. Every piece of data is rendered with textContent (see common.js `el`).
 */
import {
  api,
  CHANNELS,
  clear,
  clock,
  conversationPath,
  duration,
  el,
  REASONS,
  setUpHeader,
  STATES,
  toast,
} from "/staff/static/common.js";

const TITLE = "Bàn hỗ trợ cán bộ";
const MAX_BACKOFF = 30000;
const WHO = { citizen: "Công dân", bot: "Trợ lý ảo", system: "Thông báo hệ thống" };

const $ = (id) => document.getElementById(id);
const ui = {
  queue: $("queue"),
  queueEmpty: $("queue-empty"),
  queueCount: $("queue-count"),
  mine: $("mine"),
  mineEmpty: $("mine-empty"),
  mineCount: $("mine-count"),
  placeholder: $("placeholder"),
  conversation: $("conversation"),
  title: $("conversation-title"),
  meta: $("conversation-meta"),
  state: $("conversation-state"),
  claim: $("claim"),
  transferGroup: $("transfer-group"),
  transferTo: $("transfer-to"),
  transfer: $("transfer"),
  handBack: $("hand-back"),
  close: $("close"),
  transcript: $("transcript"),
  composer: $("composer"),
  text: $("composer-text"),
  send: $("send"),
  addNote: $("add-note"),
  canned: $("canned"),
  connection: $("connection"),
};

const state = {
  me: null,
  staff: [], // active colleagues, for transfers and names
  lists: { queue: [], mine: [] },
  fetchedAt: performance.now(),
  openId: null,
  open: null, // the open conversation's row
  shown: new Set(), // ids of the transcript rows on screen
  unread: new Set(), // my conversations with a citizen message not read yet
  socket: null,
  backoff: 1000,
};

// Lists

async function refreshLists() {
  const [queue, mine] = await Promise.all([api("GET", "/staff/api/queue"), api("GET", "/staff/api/mine")]);
  state.lists = { queue: queue.conversations, mine: mine.conversations };
  state.fetchedAt = performance.now();
  renderList(ui.queue, ui.queueEmpty, ui.queueCount, state.lists.queue, true);
  renderList(ui.mine, ui.mineEmpty, ui.mineCount, state.lists.mine, false);
  const waiting = state.lists.queue.length;
  document.title = waiting ? `(${waiting}) Có người chờ — ${TITLE}` : TITLE;
  tick();
}

function renderList(list, empty, count, entries, waiting) {
  const focused = list.contains(document.activeElement) ? document.activeElement.dataset.id : null;
  clear(list).append(...entries.map((entry) => listItem(entry, waiting)));
  empty.hidden = entries.length > 0;
  count.textContent = String(entries.length);
  if (focused) [...list.querySelectorAll(".item")].find((item) => item.dataset.id === focused)?.focus();
}

function listItem(entry, waiting) {
  const id = entry.conversation_id;
  const unread = state.unread.has(id);
  const codes = [entry.procedure_code && "Thủ tục " + entry.procedure_code, entry.dossier_code && "Hồ sơ " + entry.dossier_code];
  const button = el(
    "button",
    {
      type: "button",
      className: "item" + (unread ? " unread" : ""),
      dataset: { id },
      on: { click: () => openConversation(id) },
    },
    el(
      "span",
      { className: "item-top" },
      el("span", { className: "channel channel-" + entry.channel, text: CHANNELS[entry.channel] || entry.channel }),
      waiting
        ? el("span", { className: "waited", dataset: { seconds: String(entry.waiting_seconds) } })
        : el("span", { className: "since", text: entry.claimed_at ? "Nhận lúc " + clock(entry.claimed_at) : "" }),
      unread && el("span", { className: "badge", text: "Tin mới" }),
    ),
    el("span", { className: "reason", text: REASONS[entry.reason] || entry.reason || "" }),
    codes.some(Boolean) && el("span", { className: "codes", text: codes.filter(Boolean).join(" · ") }),
    el("span", { className: "last", text: entry.last_message || "(chưa có tin nhắn)" }),
    entry.callback_phone && el("span", { className: "phone", text: "Gọi lại: " + entry.callback_phone }),
    entry.awaiting === "phone" && el("span", { className: "phone", text: "Ngoài giờ làm việc" }),
  );
  if (id === state.openId) button.setAttribute("aria-current", "true");
  button.setAttribute("aria-label", itemLabel(entry, waiting, unread));
  return el("li", {}, button);
}

function itemLabel(entry, waiting, unread) {
  const parts = [CHANNELS[entry.channel] || entry.channel, REASONS[entry.reason] || ""];
  if (waiting) parts.push("vị trí " + entry.position);
  if (unread) parts.push("có tin nhắn mới");
  parts.push(entry.last_message || "");
  return parts.filter(Boolean).join(", ");
}

function tick() {
  const elapsed = (performance.now() - state.fetchedAt) / 1000;
  for (const node of ui.queue.querySelectorAll(".waited")) {
    node.textContent = "Chờ " + duration(Number(node.dataset.seconds) + elapsed);
  }
}

// The open conversation

async function openConversation(id) {
  try {
    const view = await api("GET", conversationPath(id));
    state.unread.delete(id);
    showView(view);
    await refreshLists();
  } catch (error) {
    toast(error.message, "error");
  }
}

function showView(view) {
  const conversation = view.conversation;
  if (state.openId !== conversation.conversation_id) {
    state.shown.clear();
    clear(ui.transcript);
  }
  state.openId = conversation.conversation_id;
  state.open = conversation;
  ui.placeholder.hidden = true;
  ui.conversation.hidden = false;
  ui.title.textContent = reference(conversation.conversation_id);
  ui.meta.textContent = describe(conversation);
  ui.state.textContent = stateText(conversation);
  ui.state.className = "state state-" + conversation.state;
  for (const message of view.messages) addMessage(message);
  showActions(conversation);
  for (const node of document.querySelectorAll(".item")) {
    if (node.dataset.id === state.openId) node.setAttribute("aria-current", "true");
    else node.removeAttribute("aria-current");
  }
}

// A short reference for a conversation: the channel and the end of its id. Channel ids (a Telegram chat,
// a Zalo user) are personal data and officers need only tell conversations apart.
function reference(conversationId) {
  const [channel, ...rest] = conversationId.split(":");
  const id = rest.join(":");
  return (CHANNELS[channel] || channel) + " · …" + id.slice(-6);
}

function describe(conversation) {
  return [
    REASONS[conversation.reason] || "",
    conversation.procedure_code && "Thủ tục: " + conversation.procedure_code,
    conversation.dossier_code && "Mã hồ sơ: " + conversation.dossier_code,
    conversation.callback_phone && "Số gọi lại: " + conversation.callback_phone,
  ]
    .filter(Boolean)
    .join(" · ");
}

function stateText(conversation) {
  if (conversation.state !== "with_staff") return STATES[conversation.state] || conversation.state;
  if (conversation.officer_id === state.me.id) return "Anh/chị đang hỗ trợ cuộc trò chuyện này";
  return "Cán bộ " + staffName(conversation.officer_id) + " đang hỗ trợ";
}

function staffName(id) {
  const member = state.staff.find((candidate) => candidate.id === id);
  return member ? member.display_name : "#" + id;
}

function holds(conversation) {
  return conversation.state === "with_staff" && (conversation.officer_id === state.me.id || state.me.role === "admin");
}

function showActions(conversation) {
  const held = holds(conversation);
  const waiting = conversation.state === "waiting";
  ui.claim.hidden = !waiting;
  ui.transferGroup.hidden = !held;
  ui.handBack.hidden = !held;
  ui.close.hidden = !(held || (waiting && state.me.role === "admin"));
  ui.composer.hidden = !(held || waiting);
  ui.send.disabled = !held;
  ui.send.title = held ? "" : "Nhận hỗ trợ trước khi trả lời công dân";
  fillTransferTargets(conversation);
}

function fillTransferTargets(conversation) {
  const targets = state.staff.filter((member) => member.id !== conversation.officer_id);
  clear(ui.transferTo).append(
    el("option", { value: "", text: "Chuyển cho cán bộ…" }),
    ...targets.map((member) => el("option", { value: String(member.id), text: member.display_name })),
  );
}

function addMessage(message) {
  if (message.conversation_id !== state.openId || state.shown.has(message.id)) return;
  state.shown.add(message.id);
  const atBottom = ui.transcript.scrollHeight - ui.transcript.scrollTop - ui.transcript.clientHeight < 40;
  ui.transcript.append(messageNode(message));
  if (atBottom || message.who === "staff" || message.who === "note") {
    ui.transcript.scrollTop = ui.transcript.scrollHeight;
  }
}

function messageNode(message) {
  const buttons = message.buttons || [];
  return el(
    "li",
    { className: "message from-" + message.who, dataset: { id: String(message.id) } },
    el(
      "span",
      { className: "message-head" },
      el("span", { className: "author", text: author(message) }),
      el("time", { dateTime: message.time, text: clock(message.time) }),
    ),
    el("span", { className: "message-text", text: message.text }),
    buttons.length > 0 &&
      el(
        "span",
        { className: "message-buttons", attrs: { "aria-label": "Các nút gợi ý công dân đã thấy" } },
        ...buttons.map((button) => el("span", { className: "chip", text: button.title })),
      ),
    message.unanswered && el("span", { className: "flag", text: "Trợ lý ảo không trả lời được câu này" }),
  );
}

function author(message) {
  if (message.who === "staff") return "Cán bộ " + message.author;
  if (message.who === "note") return "Ghi chú nội bộ · " + message.author + " (công dân không thấy)";
  return WHO[message.who] || message.who;
}

// Actions

async function act(action, body, button) {
  const id = state.openId;
  if (!id) return null;
  if (button) button.disabled = true;
  try {
    const view = await api("POST", conversationPath(id, action), body);
    showView(view);
    await refreshLists();
    return view;
  } catch (error) {
    toast(error.message, "error");
    await reload();
    return null;
  } finally {
    if (button) button.disabled = false;
    if (state.open) showActions(state.open);
  }
}

async function reload() {
  if (!state.openId) return;
  try {
    showView(await api("GET", conversationPath(state.openId)));
  } catch (error) {
    toast(error.message, "error");
  }
}

async function claim() {
  if (await act("claim", undefined, ui.claim)) {
    toast("Anh/chị đã nhận cuộc trò chuyện. Công dân được báo cán bộ đã tham gia.");
    ui.text.focus();
  }
}

async function send(kind) {
  const text = ui.text.value.trim();
  if (!text) {
    toast(kind === "note" ? "Nhập nội dung ghi chú trước." : "Nhập nội dung trả lời trước.", "error");
    return;
  }
  if (kind === "reply" && !(state.open && holds(state.open))) {
    toast("Anh/chị cần nhận hỗ trợ trước khi trả lời công dân.", "error");
    return;
  }
  if (await act(kind, { text }, kind === "note" ? ui.addNote : ui.send)) {
    ui.text.value = "";
    ui.text.focus();
  }
}

async function transfer() {
  const target = Number(ui.transferTo.value);
  if (!target) {
    toast("Chọn cán bộ nhận chuyển.", "error");
    ui.transferTo.focus();
    return;
  }
  if (await act("transfer", { to_officer_id: target }, ui.transfer)) {
    toast("Đã chuyển cuộc trò chuyện cho cán bộ " + staffName(target) + ".");
  }
}

async function finish(action, button, message) {
  if (await act(action, undefined, button)) toast(message);
}

function onKey(event) {
  if (event.key !== "Enter" || event.isComposing || event.shiftKey || event.altKey) return;
  event.preventDefault();
  send(event.ctrlKey || event.metaKey ? "note" : "reply");
}

function insertCanned(text) {
  ui.text.setRangeText(text, ui.text.selectionStart, ui.text.selectionEnd, "end");
  ui.text.focus();
}

async function loadCanned() {
  const { replies } = await api("GET", "/staff/api/canned-replies");
  clear(ui.canned).append(
    ...replies.map((reply) =>
      el("button", {
        type: "button",
        className: "chip canned-reply",
        text: reply,
        title: "Chèn câu trả lời mẫu",
        on: { click: () => insertCanned(reply) },
      }),
    ),
  );
}

async function loadStaff() {
  const { staff } = await api("GET", "/staff/api/staff");
  state.staff = staff.filter((member) => member.active);
}

// Live events

function connect() {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(scheme + "//" + location.host + "/staff/ws");
  state.socket = socket;
  socket.addEventListener("message", (event) => onEvent(JSON.parse(event.data)));
  socket.addEventListener("close", (event) => {
    if (event.code === 4401) {
      location.assign("/staff/login");
      return;
    }
    showConnection(false);
    setTimeout(connect, state.backoff);
    state.backoff = Math.min(state.backoff * 2, MAX_BACKOFF);
  });
}

function showConnection(live) {
  ui.connection.textContent = live ? "Đang cập nhật trực tiếp" : "Mất kết nối, đang thử lại…";
  ui.connection.className = "connection " + (live ? "live" : "offline");
}

async function onEvent(event) {
  switch (event.type) {
    case "ready":
      state.backoff = 1000;
      showConnection(true);
      await Promise.all([refreshLists(), reload()]);
      break;
    case "waiting":
      beep();
      await refreshLists();
      break;
    case "message":
      onMessage(event.message);
      break;
    case "transferred":
      if (event.officer && event.officer.id === state.me.id) {
        beep();
        toast("Anh/chị vừa được chuyển một cuộc trò chuyện (" + reference(event.conversation_id) + ").");
      }
      await afterChange(event.conversation_id);
      break;
    case "claimed":
    case "closed":
    case "cancelled":
      await afterChange(event.conversation_id);
      break;
  }
}

async function afterChange(conversationId) {
  await refreshLists();
  if (conversationId === state.openId) await reload();
}

function onMessage(message) {
  addMessage(message);
  const mine = state.lists.mine.some((entry) => entry.conversation_id === message.conversation_id);
  const waiting = state.lists.queue.some((entry) => entry.conversation_id === message.conversation_id);
  if (message.who !== "citizen" || !(mine || waiting)) return;
  if (mine && (message.conversation_id !== state.openId || document.hidden)) {
    state.unread.add(message.conversation_id);
    beep();
  }
  refreshLists();
}

// A short beep (no audio file): Web Audio, unlocked by the officer's first click or key press.

let audio = null;

function unlockAudio() {
  if (!audio && window.AudioContext) audio = new AudioContext();
  if (audio && audio.state === "suspended") audio.resume();
}

function beep() {
  if (!audio) return;
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  const now = audio.currentTime;
  oscillator.type = "sine";
  oscillator.frequency.setValueAtTime(880, now);
  oscillator.frequency.setValueAtTime(1175, now + 0.12);
  gain.gain.setValueAtTime(0.0001, now);
  gain.gain.exponentialRampToValueAtTime(0.25, now + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, now + 0.3);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(now);
  oscillator.stop(now + 0.32);
}

// Start

async function start() {
  state.me = await setUpHeader();
  await Promise.all([loadStaff(), loadCanned(), refreshLists()]);
  ui.claim.addEventListener("click", claim);
  ui.transfer.addEventListener("click", transfer);
  ui.handBack.addEventListener("click", () =>
    finish("hand-back", ui.handBack, "Đã trả cuộc trò chuyện lại cho trợ lý ảo."),
  );
  ui.close.addEventListener("click", () => finish("close", ui.close, "Đã kết thúc cuộc trò chuyện."));
  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    send("reply");
  });
  ui.addNote.addEventListener("click", () => send("note"));
  ui.text.addEventListener("keydown", onKey);
  document.addEventListener("pointerdown", unlockAudio);
  document.addEventListener("keydown", unlockAudio);
  setInterval(tick, 1000);
  connect();
}

start().catch((error) => toast(error.message, "error"));
