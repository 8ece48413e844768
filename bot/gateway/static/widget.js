/*
 * MotCua chat widget — paste one tag on any page:
 *   <script src="https://HOST/widget.js" data-title="Trợ lý dịch vụ công" data-color="#b71c1c" async></script>
 * Plain JavaScript, no dependencies. Renders in a shadow DOM; talks to the gateway that served this file
 * over a WebSocket (reconnecting with backoff) and falls back to HTTP when WebSockets do not get through.
 * Server text is only ever inserted with textContent; links are built as elements, never as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript || findScript();
  if (!script || window.__motcuaWidget) return;
  window.__motcuaWidget = true;

  var COPY = {
    title: "Trợ lý dịch vụ công",
    subtitle: "Hỏi đáp thủ tục hành chính",
    open: "Mở trò chuyện với trợ lý dịch vụ công",
    close: "Đóng",
    send: "Gửi",
    placeholder: "Nhập câu hỏi của anh/chị…",
    inputLabel: "Câu hỏi của anh/chị",
    log: "Nội dung trò chuyện",
    welcome:
      "Dạ, em chào anh/chị! Em là trợ lý dịch vụ công của Thành phố Hồ Chí Minh. Anh/chị cần hỏi thủ tục nào ạ?",
    suggestions: ["Làm giấy khai sinh", "Đăng ký kết hôn", "Tra cứu hồ sơ"],
    quickReplies: "Gợi ý trả lời",
    typing: "Trợ lý đang trả lời…",
    reconnecting: "Đang kết nối lại…",
    notSent: "Chưa gửi được, em sẽ tự gửi lại khi có mạng ạ.",
    you: "Anh/chị",
    bot: "Trợ lý",
    staff: "Cán bộ ",
    unread: "Có tin nhắn mới",
    keep: "Lưu câu trả lời",
    copy: "📋 Sao chép",
    copied: "✔ Đã sao chép",
    print: "🖨 In",
  };
  var DEFAULT_COLOR = "#b71c1c";
  var URL_PATTERN = /https?:\/\/[^\s<>"')\]]+/g;
  var STORAGE_KEY = "motcua-widget-session";
  var OPEN_KEY = "motcua-widget-open";
  var MAX_BACKOFF = 30000;
  var POLL_INTERVAL = 10000;
  var TYPING_TIMEOUT = 45000;
  var KEEP_LINES = 10; // answers this long can be copied or printed

  var src = new URL(script.src, location.href);
  var base = src.origin + src.pathname.replace(/\/widget\.js$/, "");
  var title = (script.getAttribute("data-title") || "").trim() || COPY.title;
  var color = validColor(script.getAttribute("data-color")) || DEFAULT_COLOR;
  var session = loadSession();

  var ui; // the widget's elements, built on start()
  var socket = null;
  var socketOpen = false;
  var backoff = 1000;
  var reconnectTimer = 0;
  var pollTimer = 0;
  var typingTimer = 0;
  var outbox = []; // messages not yet answered: {id, text, shown, sentOn, node}
  var posting = false;
  var lastHistory = "";
  var mine = {}; // client ids of the messages this tab sent
  var answered = {}; // client ids whose answer this tab has shown (the socket and HTTP may both bring it)
  var watchdog = 0;

  function findScript() {
    var scripts = document.getElementsByTagName("script");
    for (var i = scripts.length - 1; i >= 0; i--) {
      if (/\/widget\.js(?:[?#].*)?$/.test(scripts[i].src)) return scripts[i];
    }
    return null;
  }

  function validColor(value) {
    value = (value || "").trim();
    return value && window.CSS && CSS.supports && CSS.supports("color", value) ? value : "";
  }

  function randomId(bytes) {
    var data = new Uint8Array(bytes);
    crypto.getRandomValues(data);
    var binary = "";
    for (var i = 0; i < data.length; i++) binary += String.fromCharCode(data[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function storage(kind) {
    try {
      return window[kind];
    } catch (error) {
      return null; // storage blocked (privacy settings): the session lasts as long as the page
    }
  }

  function loadSession() {
    var store = storage("localStorage");
    var id = null;
    try {
      id = store && store.getItem(STORAGE_KEY);
    } catch (error) {
      id = null;
    }
    if (id && /^[A-Za-z0-9_-]{22,64}$/.test(id)) return id;
    id = randomId(24); // 192 bits, 32 url-safe characters
    try {
      if (store) store.setItem(STORAGE_KEY, id);
    } catch (error) {
      /* not kept across reloads */
    }
    return id;
  }

  function remember(key, value) {
    var store = storage("sessionStorage");
    try {
      if (store) store.setItem(key, value);
    } catch (error) {
      /* nothing to do */
    }
  }

  function recalled(key) {
    var store = storage("sessionStorage");
    try {
      return store ? store.getItem(key) : null;
    } catch (error) {
      return null;
    }
  }

  // ---------------------------------------------------------------- elements

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var name in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, name)) node.setAttribute(name, attributes[name]);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function icon(path) {
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var shape = document.createElementNS("http://www.w3.org/2000/svg", "path");
    shape.setAttribute("d", path);
    svg.appendChild(shape);
    return svg;
  }

  function start() {
    var host = el("div", { id: "motcua-widget" });
    host.style.setProperty("--mc-color", color);
    host.style.setProperty("--mc-on-color", readableOn(color));
    var root = host.attachShadow({ mode: "open" });
    var style = el("style");
    style.textContent = CSS_TEXT;
    root.appendChild(style);

    var bubble = el("button", {
      class: "bubble",
      type: "button",
      "aria-label": COPY.open,
      "aria-expanded": "false",
      "aria-controls": "panel",
    });
    bubble.appendChild(icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"));
    var badge = el("span", { class: "badge", hidden: "" });
    badge.appendChild(el("span", { class: "sr" }, COPY.unread));
    bubble.appendChild(badge);

    var panel = el("section", { class: "panel", id: "panel", role: "dialog", "aria-labelledby": "title", hidden: "" });
    var header = el("header", { class: "header" });
    var heading = el("div", { class: "heading" });
    heading.appendChild(el("h2", { id: "title" }, title));
    heading.appendChild(el("p", {}, COPY.subtitle));
    var close = el("button", { class: "close", type: "button", "aria-label": COPY.close, title: COPY.close });
    close.appendChild(icon("M6 6l12 12M18 6L6 18"));
    header.appendChild(heading);
    header.appendChild(close);

    var status = el("div", { class: "status", role: "status", hidden: "" }, COPY.reconnecting);
    var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": COPY.log, tabindex: "0" });
    var typing = el("div", { class: "typing", role: "status", hidden: "" });
    typing.appendChild(el("span", { class: "dots", "aria-hidden": "true" }));
    typing.appendChild(document.createTextNode(COPY.typing));

    var form = el("form", { class: "composer" });
    var label = el("label", { class: "sr", for: "input" }, COPY.inputLabel);
    var input = el("textarea", { id: "input", rows: "1", placeholder: COPY.placeholder, autocomplete: "off" });
    var send = el("button", { class: "send", type: "submit" }, COPY.send);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);

    panel.appendChild(header);
    panel.appendChild(status);
    panel.appendChild(log);
    panel.appendChild(typing);
    panel.appendChild(form);
    root.appendChild(panel);
    root.appendChild(bubble);
    document.body.appendChild(host);

    ui = { host: host, bubble: bubble, badge: badge, panel: panel, close: close, status: status, log: log };
    ui.typing = typing;
    ui.input = input;

    bubble.addEventListener("click", function () {
      setOpen(panel.hidden, true);
    });
    close.addEventListener("click", function () {
      setOpen(false, true);
    });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        setOpen(false, true);
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submitTyped();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submitTyped();
      }
    });
    input.addEventListener("input", fitInput);
    window.addEventListener("online", reconnectNow);

    renderHistory([]);
    if (recalled(OPEN_KEY) === "1") setOpen(true, false);
    connect();
  }

  function readableOn(value) {
    // white or near-black text on the brand colour, whichever contrasts more
    var probe = document.createElement("span");
    probe.style.color = value;
    document.body.appendChild(probe);
    var rgb = (getComputedStyle(probe).color.match(/[\d.]+/g) || [0, 0, 0]).map(Number);
    document.body.removeChild(probe);
    var channels = rgb.slice(0, 3).map(function (c) {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var luminance = 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#ffffff" : "#111111";
  }

  function setOpen(open, byUser) {
    ui.panel.hidden = !open;
    ui.host.classList.toggle("open", open);
    ui.bubble.setAttribute("aria-expanded", String(open));
    ui.bubble.classList.toggle("is-open", open);
    remember(OPEN_KEY, open ? "1" : "0");
    if (open) {
      ui.badge.hidden = true;
      scrollDown();
      if (byUser) ui.input.focus();
    } else if (byUser) {
      ui.bubble.focus();
    }
    schedulePoll();
  }

  function fitInput() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight, 120) + "px";
  }

  function scrollDown() {
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  // ---------------------------------------------------------------- messages

  function appendText(container, text) {
    // text nodes for the words, <a> elements for the URLs: nothing from the server is parsed as HTML
    var last = 0;
    text.replace(URL_PATTERN, function (url, at) {
      container.appendChild(document.createTextNode(text.slice(last, at)));
      container.appendChild(link(url, url));
      last = at + url.length;
      return url;
    });
    container.appendChild(document.createTextNode(text.slice(last)));
  }

  function link(text, url) {
    return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, text);
  }

  function addCitizen(text, pending) {
    clearQuickReplies();
    var item = el("div", { class: "message citizen" + (pending ? " pending" : "") });
    item.appendChild(el("span", { class: "sr" }, COPY.you + ": "));
    var body = el("div", { class: "text" });
    appendText(body, text);
    item.appendChild(body);
    ui.log.appendChild(item);
    scrollDown();
    return item;
  }

  function addReply(message, withButtons) {
    var author = message.author || "bot";
    var staff = author !== "bot" && author !== "system";
    var item = el("div", { class: "message bot" + (staff ? " staff" : "") + (author === "system" ? " system" : "") });
    var sender = staff ? COPY.staff + author : COPY.bot;
    item.appendChild(el("span", { class: staff ? "sender" : "sr" }, sender + (staff ? "" : ": ")));
    var text = String(message.text || "");
    if (text) {
      var body = el("div", { class: "text" });
      appendText(body, text);
      item.appendChild(body);
    }
    var links = (message.links || []).filter(function (l) {
      return /^https?:\/\//.test(String(l.url)) && text.indexOf(l.url) === -1;
    });
    if (links.length) {
      var list = el("ul", { class: "links" });
      links.forEach(function (l) {
        var entry = el("li");
        entry.appendChild(link(String(l.title || l.url), String(l.url)));
        list.appendChild(entry);
      });
      item.appendChild(list);
    }
    ui.log.appendChild(item);
    var buttons = message.buttons || [];
    if (withButtons && buttons.length) {
      addQuickReplies(
        buttons.map(function (b) {
          return { title: String(b.title), payload: String(b.payload) };
        })
      );
    }
    scrollDown();
  }

  function addQuickReplies(choices) {
    var group = el("div", { class: "quick", role: "group", "aria-label": COPY.quickReplies });
    choices.forEach(function (choice) {
      var button = el("button", { type: "button" }, choice.title);
      button.addEventListener("click", function () {
        submit(choice.payload, choice.title);
        ui.input.focus();
      });
      group.appendChild(button);
    });
    ui.log.appendChild(group);
  }

  function clearQuickReplies() {
    var groups = ui.log.querySelectorAll(".quick");
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  }

  function renderHistory(entries) {
    ui.log.textContent = "";
    addReply({ text: COPY.welcome, author: "bot" }, false);
    var lastCitizen = -1;
    entries.forEach(function (entry, index) {
      if (entry.who === "citizen") lastCitizen = index;
    });
    entries.forEach(function (entry, index) {
      if (entry.who === "citizen") addCitizen(String(entry.text || ""), false);
      else addReply(entry, index > lastCitizen);
    });
    if (!entries.length) {
      addQuickReplies(
        COPY.suggestions.map(function (text) {
          return { title: text, payload: text };
        })
      );
    }
    outbox.forEach(function (item) {
      item.node = addCitizen(item.shown || item.text, true);
    });
    lastHistory = signature(entries);
    scrollDown();
  }

  function signature(entries) {
    var last = entries[entries.length - 1];
    return entries.length + ":" + (last ? last.time : "");
  }

  function showReplies(messages) {
    messages.forEach(function (message, index) {
      addReply(message, index === messages.length - 1);
    });
    var text = messages
      .map(function (m) {
        return String(m.text || "");
      })
      .join("\n\n");
    if (text.split("\n").length >= KEEP_LINES) addKeepActions(text);
    if (messages.length && ui.panel.hidden) ui.badge.hidden = false;
  }

  // A long answer (a checklist summary, a list of papers) can be kept: copied or printed.
  function addKeepActions(text) {
    var group = el("div", { class: "keep", role: "group", "aria-label": COPY.keep });
    var copyButton = el("button", { type: "button" }, COPY.copy);
    copyButton.addEventListener("click", function () {
      copyText(text).then(function () {
        copyButton.textContent = COPY.copied;
      });
    });
    var printButton = el("button", { type: "button" }, COPY.print);
    printButton.addEventListener("click", function () {
      printText(text);
    });
    group.appendChild(copyButton);
    group.appendChild(printButton);
    ui.log.appendChild(group);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = el("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
    return Promise.resolve();
  }

  function printText(text) {
    var sheet = window.open("", "_blank");
    if (!sheet) return;
    var page = sheet.document;
    page.title = title;
    var heading = page.createElement("h1");
    heading.textContent = title;
    var body = page.createElement("pre");
    body.style.whiteSpace = "pre-wrap";
    body.style.font = "14px/1.5 system-ui, sans-serif";
    body.textContent = text;
    page.body.appendChild(heading);
    page.body.appendChild(body);
    sheet.focus();
    sheet.print();
  }

  function setTyping(on) {
    clearTimeout(typingTimer);
    ui.typing.hidden = !on;
    if (on) {
      typingTimer = setTimeout(function () {
        setTyping(false);
      }, TYPING_TIMEOUT);
      scrollDown();
    }
  }

  // ---------------------------------------------------------------- sending

  function submitTyped() {
    var text = ui.input.value.trim();
    if (!text) return;
    ui.input.value = "";
    fitInput();
    submit(text, "");
  }

  function submit(text, shown) {
    var item = { id: randomId(16), text: text, shown: shown, sentOn: null, node: null };
    mine[item.id] = true;
    item.node = addCitizen(shown || text, true);
    outbox.push(item);
    setTyping(true);
    flush();
  }

  function flush() {
    if (!socketOpen) {
      postNext();
      return;
    }
    var ws = socket;
    outbox.forEach(function (item) {
      if (item.sentOn === ws) return;
      item.sentOn = ws;
      ws.send(JSON.stringify({ type: "message", text: item.text, shown: item.shown, client_message_id: item.id }));
      // the server answers "typing" at once: silence means the connection died without a word
      clearTimeout(watchdog);
      watchdog = setTimeout(function () {
        lost(ws);
      }, 8000);
    });
  }

  function acknowledge(id) {
    // true the first time this tab learns the answer to message `id`
    if (answered[id]) return false;
    answered[id] = true;
    settle(id);
    return true;
  }

  function settle(id) {
    // message `id` reached the server; an empty answer means it had already arrived (a retry after a drop):
    // the history that follows shows it, and its answer comes with the history or pushed later
    for (var i = 0; i < outbox.length; i++) {
      if (outbox[i].id === id) {
        setFailed(outbox[i], false);
        if (outbox[i].node) outbox[i].node.classList.remove("pending");
        outbox.splice(i, 1);
        break;
      }
    }
  }

  function setFailed(item, failed) {
    var node = item.node;
    if (!node || node.classList.contains("failed") === failed) return;
    node.classList.toggle("failed", failed);
    if (failed) node.appendChild(el("span", { class: "note" }, COPY.notSent));
    else node.removeChild(node.querySelector(".note"));
  }

  function postNext() {
    // the HTTP fallback, one message at a time and in order; the same client id makes a retry harmless
    if (posting || socketOpen || !outbox.length) return;
    var item = outbox[0];
    posting = true;
    fetch(base + "/api/widget/messages", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ session: session, text: item.text, shown: item.shown, client_message_id: item.id }),
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        posting = false;
        if (!body.messages.length) {
          settle(item.id);
          loadHistory();
        } else if (acknowledge(item.id)) {
          showReplies(body.messages);
        }
        setTyping(outbox.length > 0);
        postNext();
      })
      .catch(function () {
        posting = false;
        setFailed(item, true);
        setTyping(false);
        showStatus(true);
      });
  }

  function loadHistory() {
    return fetch(base + "/api/widget/history?session=" + encodeURIComponent(session), { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) {
        if (signature(body.entries) !== lastHistory) renderHistory(body.entries);
      })
      .catch(function () {
        showStatus(true);
      });
  }

  function schedulePoll() {
    // without a socket nothing is pushed: late answers are fetched while the panel is open
    clearTimeout(pollTimer);
    if (socketOpen || !ui.panel || ui.panel.hidden) return;
    pollTimer = setTimeout(function () {
      loadHistory().then(schedulePoll);
    }, POLL_INTERVAL);
  }

  function showStatus(on) {
    ui.status.hidden = !on;
  }

  // ---------------------------------------------------------------- connection

  function connect() {
    clearTimeout(reconnectTimer);
    if (!("WebSocket" in window)) {
      loadHistory();
      schedulePoll();
      return;
    }
    var url = base.replace(/^http/, "ws") + "/api/widget/ws?session=" + encodeURIComponent(session);
    var ws;
    try {
      ws = new WebSocket(url);
    } catch (error) {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = function () {
      if (socket !== ws) return;
      socketOpen = true;
      backoff = 1000;
      showStatus(false);
      clearTimeout(pollTimer);
      outbox.forEach(function (item) {
        setFailed(item, false);
      });
    };
    ws.onmessage = function (event) {
      if (socket !== ws) return;
      clearTimeout(watchdog);
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      receive(frame);
    };
    ws.onclose = function () {
      lost(ws);
    };
  }

  function lost(ws) {
    if (socket !== ws) return;
    var wasOpen = socketOpen;
    socket = null;
    socketOpen = false;
    clearTimeout(watchdog);
    try {
      ws.close();
    } catch (error) {
      /* already closed */
    }
    if (wasOpen) showStatus(true);
    setTyping(false);
    outbox.forEach(function (item) {
      item.sentOn = null;
    });
    if (!wasOpen) {
      loadHistory(); // the socket may be blocked on this network: the HTTP API still works
      postNext();
    }
    schedulePoll();
    scheduleReconnect();
  }

  function receive(frame) {
    if (frame.type === "history") {
      renderHistory(frame.entries || []);
      flush(); // messages typed while disconnected go out after the history they follow
      if (outbox.length) setTyping(true);
    } else if (frame.type === "typing") {
      setTyping(true);
    } else if (frame.type === "citizen") {
      if (!mine[frame.client_message_id]) addCitizen(String(frame.text || ""), false);
    } else if (frame.type === "reply") {
      var id = frame.client_message_id;
      var messages = frame.messages || [];
      if (id && !messages.length) settle(id);
      else if (!id || acknowledge(id)) showReplies(messages);
      setTyping(outbox.length > 0);
    }
  }

  function scheduleReconnect() {
    clearTimeout(reconnectTimer);
    var delay = backoff + Math.random() * backoff * 0.3;
    backoff = Math.min(backoff * 2, MAX_BACKOFF);
    reconnectTimer = setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (socketOpen) return;
    var old = socket;
    socket = null; // its events are ignored from now on
    if (old) old.close();
    backoff = 1000;
    connect();
  }

  // ---------------------------------------------------------------- styles

  var CSS_TEXT = [
    ":host{all:initial;--mc-radius:14px;--mc-ink:#1d1d1f;--mc-muted:#5f6368;--mc-line:#e3e3e6}",
    ":host *{box-sizing:border-box}",
    "*{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','Helvetica Neue',Arial,sans-serif}",
    ".sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);",
    "white-space:nowrap;border:0}",
    "[hidden]{display:none!important}",
    "button{font:inherit;cursor:pointer}",
    ":focus-visible{outline:3px solid #1a73e8;outline-offset:2px}",
    ".bubble{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;",
    "border-radius:50%;border:0;background:var(--mc-color);color:var(--mc-on-color);",
    "box-shadow:0 6px 20px rgba(0,0,0,.28);display:flex;align-items:center;justify-content:center;",
    "transition:transform .15s ease}",
    ".bubble:hover{transform:scale(1.06)}",
    ".bubble svg{width:28px;height:28px;fill:currentColor}",
    ".badge{position:absolute;top:4px;right:4px;width:14px;height:14px;border-radius:50%;background:#f9ab00;",
    "border:2px solid #fff}",
    ".panel{position:fixed;right:20px;bottom:92px;z-index:2147483000;width:380px;height:min(600px,",
    "calc(100vh - 112px));display:flex;flex-direction:column;background:#fff;color:var(--mc-ink);",
    "border-radius:var(--mc-radius);box-shadow:0 12px 40px rgba(0,0,0,.3);overflow:hidden;font-size:15px;",
    "line-height:1.45}",
    ".header{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;background:var(--mc-color);",
    "color:var(--mc-on-color)}",
    ".heading{flex:1;min-width:0}",
    "h2{margin:0;font-size:16px;font-weight:700;line-height:1.3}",
    ".heading p{margin:2px 0 0;font-size:12.5px;opacity:.9}",
    ".close{width:36px;height:36px;border:0;border-radius:50%;background:transparent;color:inherit;",
    "display:flex;align-items:center;justify-content:center}",
    ".close:hover{background:rgba(255,255,255,.18)}",
    ".close svg{width:20px;height:20px;stroke:currentColor;stroke-width:2.2;fill:none;stroke-linecap:round}",
    ".status{padding:6px 16px;background:#fff4e5;color:#7a4100;font-size:13px;border-bottom:1px solid #f5d7a8}",
    ".log{flex:1;overflow-y:auto;padding:14px 12px;background:#f6f7f9;display:flex;flex-direction:column;",
    "gap:8px}",
    ".message{max-width:85%;padding:9px 12px;border-radius:12px;word-wrap:break-word;overflow-wrap:anywhere}",
    ".message .text{white-space:pre-wrap}",
    ".bot{align-self:flex-start;background:#fff;border:1px solid var(--mc-line);border-bottom-left-radius:4px}",
    ".system{background:#fffbea;border-color:#f1e3a6}",
    ".staff{border-left:4px solid var(--mc-color)}",
    ".sender{display:block;font-size:12.5px;font-weight:700;color:var(--mc-muted);margin-bottom:2px}",
    ".citizen{align-self:flex-end;background:var(--mc-color);color:var(--mc-on-color);",
    "border-bottom-right-radius:4px}",
    ".citizen a{color:inherit}",
    ".pending{opacity:.75}",
    ".failed{outline:2px dashed #d93025;outline-offset:2px}",
    ".note{display:block;margin-top:4px;font-size:12.5px;opacity:.9}",
    "a{color:#0b57d0;text-decoration:underline;overflow-wrap:anywhere}",
    ".links{margin:6px 0 0;padding-left:18px}",
    ".quick{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start;max-width:100%}",
    ".quick button{border:1px solid var(--mc-color);background:#fff;color:var(--mc-ink);border-radius:16px;",
    "padding:6px 12px;font-size:14px;text-align:left}",
    ".quick button:hover{background:#f1f3f4}",
    ".keep{display:flex;gap:6px;align-self:flex-end}",
    ".keep button{border:0;background:none;color:var(--mc-ink);font:inherit;font-size:12px;cursor:pointer;",
    "text-decoration:underline;padding:2px 4px}",
    ".typing{padding:6px 16px;font-size:13px;color:var(--mc-muted);background:#f6f7f9;display:flex;",
    "align-items:center;gap:8px}",
    ".dots{width:24px;height:8px;background:radial-gradient(circle,var(--mc-muted) 3px,transparent 3.5px) 0 0/8px 8px",
    " repeat-x;animation:mc-dots 1s steps(3) infinite}",
    "@keyframes mc-dots{from{width:8px}to{width:32px}}",
    ".composer{display:flex;gap:8px;align-items:flex-end;padding:10px 12px;border-top:1px solid var(--mc-line);",
    "background:#fff}",
    "textarea{flex:1;resize:none;border:1px solid #c4c7c5;border-radius:10px;padding:9px 11px;",
    "font-size:15px;line-height:1.4;max-height:120px;color:var(--mc-ink);background:#fff}",
    "textarea:focus{border-color:var(--mc-color);outline:2px solid var(--mc-color);outline-offset:-1px}",
    ".send{border:0;border-radius:10px;padding:10px 16px;background:var(--mc-color);color:var(--mc-on-color);",
    "font-weight:700;font-size:15px}",
    "@media (max-width:480px){",
    ".panel{inset:0;width:100%;height:100%;max-height:none;border-radius:0}",
    ":host(.open) .bubble{display:none}",
    "textarea{font-size:16px}", // no zoom on focus in iOS Safari
    "}",
    "@media (prefers-reduced-motion:reduce){.bubble{transition:none}.dots{animation:none}}",
  ].join("");

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
