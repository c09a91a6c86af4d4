/* The migrants' web chat: socket.io to Rasa (REST as fallback), cards from the service_list
 * payload. Every string from the bot or the directory is set as text, never as HTML. */
(function () {
  "use strict";
  var LANGS = ["en", "it", "de", "pl", "ro", "es", "el", "fr", "ar", "uk", "ru", "fa"];
  var RTL = { ar: true, fa: true };
  var store = window.localStorage;
  var $ = function (id) { return document.getElementById(id); };
  var log = $("log"), input = $("message"), picker = $("language"), typing = $("typing"), statusLine = $("status");
  var meta = document.querySelector('meta[name="rasa-url"]');
  var rasaUrl = (meta && meta.content) || (location.protocol + "//" + location.hostname + ":5005");
  var state = {
    lang: store.getItem("chat.lang") || guessLanguage(),
    session: store.getItem("chat.session") || newId(),
    history: JSON.parse(store.getItem("chat.history") || "[]"),
    labels: {}
  };
  var socket = null, typingTimer = null;
  store.setItem("chat.session", state.session);

  function newId() {
    var bytes = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function guessLanguage() {
    var wanted = (navigator.language || "en").slice(0, 2).toLowerCase();
    return LANGS.indexOf(wanted) >= 0 ? wanted : "en";
  }
  function label(key, fallback) { return state.labels[key] || fallback; }
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }
  function save() {
    state.history = state.history.slice(-80);
    store.setItem("chat.history", JSON.stringify(state.history));
  }
  function scrollDown() { var main = $("main"); main.scrollTop = main.scrollHeight; }

  /* ---- language ------------------------------------------------------------------ */
  function applyLanguage(lang, announce) {
    state.lang = lang;
    store.setItem("chat.lang", lang);
    picker.value = lang;
    document.documentElement.lang = lang;
    document.documentElement.dir = RTL[lang] ? "rtl" : "ltr";
    return fetch("/api/v1/labels?lang=" + encodeURIComponent(lang)).then(function (r) { return r.json(); })
      .then(function (labels) {
        state.labels = labels;
        $("language-label").textContent = label("label_choose_language", "Language");
        $("message-label").textContent = label("label_type_message", "Message");
        input.placeholder = label("label_type_message", "Message");
        $("send").textContent = label("label_send", "Send");
        $("privacy").textContent = label("label_privacy_notice", "");
        $("typing-label").textContent = label("label_typing", "…");
        document.title = label("label_title", "ADMin4ALL");
        $("title").textContent = label("label_title", "ADMin4ALL");
        if (announce) { rerender(); }
      }).catch(function () { /* labels are a nicety: the chat works without them */ });
  }
  picker.addEventListener("change", function () { applyLanguage(picker.value, true); });

  /* ---- rendering ----------------------------------------------------------------- */
  function renderItem(item) {
    var li = el("li");
    if (item.kind === "me") {
      li.className = "msg me";
      li.textContent = item.text;
    } else if (item.kind === "bot") {
      li.className = "msg bot";
      li.textContent = item.text;
    } else if (item.kind === "replies") {
      li.className = "replies";
      item.buttons.forEach(function (button) {
        var b = el("button", "", button.title);
        b.type = "button";
        b.disabled = !!item.used;
        b.addEventListener("click", function () {
          item.used = true; save();
          Array.prototype.forEach.call(li.querySelectorAll("button"), function (x) { x.disabled = true; });
          send(button.payload, button.title);
        });
        li.appendChild(b);
      });
    } else if (item.kind === "services") {
      li.className = "cards";
      li.appendChild(renderCards(item.payload));
    }
    return li;
  }
  function push(item) {
    state.history.push(item); save();
    log.appendChild(renderItem(item));
    scrollDown();
  }
  function rerender() {
    log.textContent = "";
    state.history = state.history.filter(function (item, i, all) {  // conversations saved before cards hid it
      return item.kind !== "bot" || ![all[i - 1], all[i + 1]].some(function (near) {
        return near && near.kind === "services" && isSummaryOf(item.text, near.payload);
      });
    });
    save();
    state.history.forEach(function (item) { log.appendChild(renderItem(item)); });
    scrollDown();
  }
  function dateText(iso) {
    try { return new Intl.DateTimeFormat(state.lang, { dateStyle: "medium" }).format(new Date(iso + "T12:00:00")); }
    catch (e) { return iso; }
  }
  function line(parent, key, fallback, value) {
    var p = el("p");
    p.appendChild(el("span", "k", label(key, fallback) + ": "));
    if (value && value.nodeType) { p.appendChild(value); } else { p.appendChild(document.createTextNode(value)); }
    parent.appendChild(p);
    return p;
  }
  function renderCards(payload) {
    var wrap = el("div", "cards");
    (payload.services || []).forEach(function (s) {
      var card = el("article", "card");
      card.setAttribute("aria-label", s.name);
      card.appendChild(el("h3", "", s.name));
      if (s.name_localized) { card.appendChild(el("p", "sub", s.name_localized)); }
      var chips = el("ul", "chips");
      (s.category_labels || s.categories || []).forEach(function (c) { chips.appendChild(el("li", "chip", c)); });
      if (s.is_sample) { chips.appendChild(el("li", "badge sample", label("label_sample_data", "Sample data"))); }
      if (s.machine_translated) { chips.appendChild(el("li", "badge mt", label("label_machine_translated", "Machine-translated"))); }
      if (s.status === "temporarily closed") { chips.appendChild(el("li", "badge closed", label("label_temporarily_closed", "Temporarily closed"))); }
      else if (s.open_now) { chips.appendChild(el("li", "badge open", label("label_open_now", "Open now"))); }
      card.appendChild(chips);
      if (s.address) {
        var address = el("span", "", s.address + " ");
        if (s.map_url) {
          var map = el("a", "", label("label_map", "Map"));
          map.href = s.map_url; map.rel = "noopener noreferrer"; map.target = "_blank";
          address.appendChild(map);
        }
        line(card, "label_address", "Address", address);
      }
      if (s.phone) {
        var call = el("a", "", s.phone);
        call.href = "tel:" + String(s.phone).replace(/[^+\d]/g, "");
        call.setAttribute("aria-label", label("label_call", "Call") + " " + s.phone);
        call.dir = "ltr";
        line(card, "label_phone", "Phone", call);
      }
      if (s.status !== "temporarily closed") {
        line(card, "label_today", "Today", s.today_hours || label("label_closed_today", "Closed today"));
      }
      if (s.opening_hours) {
        var week = el("details");
        week.appendChild(el("summary", "", label("label_opening_hours", "Opening hours")));
        week.appendChild(el("p", "", s.opening_hours));
        card.appendChild(week);
      }
      if (s.language_names && s.language_names.length) {
        line(card, "label_languages", "Languages", s.language_names.join(", "));
      }
      if (s.documents && s.documents.length) {
        var docs = el("ul");
        s.documents.forEach(function (d) { docs.appendChild(el("li", "", d)); });
        card.appendChild(el("p", "k", label("label_documents", "Documents to bring")));
        card.appendChild(docs);
      }
      if (s.is_free) { card.appendChild(el("p", "", label("label_free", "Free"))); }
      if (s.url) {
        var site = el("a", "", label("label_website", "Website"));
        site.href = /^https?:\/\//.test(s.url) ? s.url : "#"; site.rel = "noopener noreferrer"; site.target = "_blank";
        var p = el("p"); p.appendChild(site); card.appendChild(p);
      }
      if (s.last_verified) { line(card, "label_last_verified", "Last verified", dateText(s.last_verified)); }
      wrap.appendChild(card);
    });
    return wrap;
  }

  /* ---- bot messages -------------------------------------------------------------- */
  function showTyping(on) {
    typing.hidden = !on;
    clearTimeout(typingTimer);
    if (on) { typingTimer = setTimeout(function () { typing.hidden = true; }, 10000); scrollDown(); }
  }
  /* A list of services comes as cards (the service_list payload) plus a plain-text summary of
   * the same services for channels without cards: in one message (our socket.io channel) or as
   * a message of its own just before or after the cards (REST). Where the cards render, the
   * summary is not shown: the cards say it all, to the eye and to screen readers. */
  function isSummaryOf(text, payload) {
    var services = (payload && payload.services) || [];
    if (typeof text !== "string" || !services.length) { return false; }
    var lines = text.split("\n"), first = (Number(payload.offset) || 0) + 1;
    return services.every(function (s, i) {
      return typeof lines[i] === "string" && lines[i].indexOf((first + i) + ". " + s.name) === 0;
    });
  }
  function last() { return state.history[state.history.length - 1]; }
  function receive(message) {
    showTyping(false);
    if (!message || typeof message !== "object") { return; }
    var cards = message.custom && message.custom.type === "service_list" ? message.custom : null;
    if (cards) {
      if (last() && last().kind === "bot" && isSummaryOf(last().text, cards)) {  // REST: summary came first
        state.history.pop(); save();
        log.removeChild(log.lastChild);
      }
      push({ kind: "services", payload: cards });
      if (cards.language && cards.language !== state.lang && LANGS.indexOf(cards.language) >= 0) {
        applyLanguage(cards.language, false);
      }
    }
    var summary = cards || (last() && last().kind === "services" ? last().payload : null);
    if (typeof message.text === "string" && message.text && !(summary && isSummaryOf(message.text, summary))) {
      push({ kind: "bot", text: message.text });
    }
    var buttons = message.quick_replies || message.buttons;
    if (buttons && buttons.length) {
      push({ kind: "replies", buttons: buttons.map(function (b) { return { title: String(b.title), payload: String(b.payload) }; }) });
    }
  }

  /* ---- transport ----------------------------------------------------------------- */
  function connect() {
    if (typeof window.io !== "function") { return; }
    socket = window.io(rasaUrl, { transports: ["websocket"], reconnection: true, reconnectionDelay: 500,
                                  reconnectionDelayMax: 4000 });
    socket.on("connect", function () {
      statusLine.hidden = true;
      socket.emit("session_request", { session_id: state.session });
    });
    socket.on("session_confirm", function () { statusLine.hidden = true; });
    socket.on("bot_uttered", receive);
    socket.on("disconnect", function () { offline(); });
    socket.on("connect_error", function () { offline(); });
  }
  function offline() {
    statusLine.textContent = label("label_offline", "Connection lost. Reconnecting…");
    statusLine.hidden = false;
  }
  function sendRest(text) {
    return fetch(rasaUrl + "/webhooks/rest/webhook", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: state.session, message: text, metadata: { language: state.lang } })
    }).then(function (r) { return r.json(); }).then(function (messages) {
      statusLine.hidden = true;
      (messages || []).forEach(receive);
    }).catch(function () { showTyping(false); offline(); });
  }
  function send(text, shown) {
    text = String(text || "").trim();
    if (!text) { return; }
    push({ kind: "me", text: shown || text });
    showTyping(true);
    if (socket && socket.connected) {
      socket.emit("user_uttered", { message: text, session_id: state.session, metadata: { language: state.lang } });
    } else {
      sendRest(text);
    }
  }
  $("composer").addEventListener("submit", function (event) {
    event.preventDefault();
    send(input.value);
    input.value = "";
    input.focus();
  });

  applyLanguage(state.lang, false).then(function () {
    rerender();
    if (!state.history.length) { send("/greet", "👋"); }
  });
  connect();
})();
