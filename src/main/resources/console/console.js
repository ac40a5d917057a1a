"use strict";
// Agent Hub console: a frontend client of /ws plus the read-only GET /api/status (streams.js shows streamed replies).
// Every string that comes from the hub or from another client is rendered with textContent, never as HTML.
(() => {
  const RECONNECT_MIN_MS = 500;
  const RECONNECT_MAX_MS = 10000;
  const STATUS_POLL_MS = 2000;
  const TRAFFIC_ROWS = 300;
  const HELD_FRAMES = 1000;
  const EXCHANGES = 200;
  const REMEMBERED_KEYS = 5000;
  const RATE_WINDOW_MS = 5000;
  const PAYLOAD_CHARS = 300;
  const TOKEN_KEY = "agenthub.console.token";
  const CHAT_TYPES = new Set(["TEXT", "REPLY", "ERROR", "SYSTEM"]);

  const $ = (id) => document.getElementById(id);
  let streams = null;

  const state = {
    socket: null,
    clientId: null,
    connected: false,
    needsToken: false,
    reconnectDelay: RECONNECT_MIN_MS,
    reconnectTimer: null,
    agents: new Map(),
    nodeOf: new Map(),
    exchanges: new Map(),
    shownTraffic: new Set(),
    heldTraffic: [],
    arrivals: [],
    lastCounters: null,
    statusInFlight: false,
  };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  /** A last_seen to the second, the full value in its tooltip. */
  function seenCell(lastSeen) {
    if (!lastSeen) {
      return null;
    }
    const cell = element("span", "seen", String(lastSeen).replace("T", " ").replace(/\.\d+$/, ""));
    cell.title = String(lastSeen);
    return cell;
  }

  function row(cells) {
    const tr = document.createElement("tr");
    for (const cell of cells) {
      const td = document.createElement("td");
      if (cell instanceof Node) {
        td.appendChild(cell);
      } else {
        td.textContent = cell === undefined || cell === null ? "—" : String(cell);
      }
      tr.appendChild(td);
    }
    return tr;
  }

  /** crypto.randomUUID needs a secure context; getRandomValues works on plain http from another host too. */
  function uuid() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function shortNode(nodeId) {
    if (typeof nodeId !== "string" || nodeId === "") {
      return null;
    }
    return nodeId.length > 13 ? nodeId.slice(0, 8) + "…" : nodeId;
  }

  function nodeCell(nodeId) {
    const span = element("span", "node", shortNode(nodeId) || "—");
    if (typeof nodeId === "string") {
      span.title = nodeId;
    }
    return span;
  }

  function clock(date) {
    return date.toTimeString().slice(0, 8);
  }

  function truncate(text) {
    const value = typeof text === "string" ? text : JSON.stringify(text ?? "");
    return value.length > PAYLOAD_CHARS ? value.slice(0, PAYLOAD_CHARS) + "…" : value;
  }

  function nameOf(clientId) {
    if (clientId === state.clientId) {
      return "this console";
    }
    const agent = state.agents.get(clientId);
    return agent ? `${agent.agent_name} (${clientId})` : String(clientId ?? "—");
  }

  function rememberBounded(set, key) {
    set.add(key);
    if (set.size > REMEMBERED_KEYS) {
      set.delete(set.values().next().value);
    }
  }

  // ---- connection ------------------------------------------------------------------------------------------------

  function connect() {
    clearTimeout(state.reconnectTimer);
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + "/ws");
    state.socket = socket;
    setConnectionState("connecting", "offline");
    socket.onopen = () => socket.send(JSON.stringify(registration()));
    socket.onmessage = (event) => {
      if (socket === state.socket) {
        onFrame(parse(event.data));
      }
    };
    socket.onclose = () => {
      if (socket === state.socket) {
        onDisconnected();
      }
    };
  }

  function registration() {
    const frame = streams.registrationFields({
      message_type: "REGISTER_FRONTEND", frontend_name: "Console", status_updates: "details",
    });
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      frame.token = token;
    }
    return frame;
  }

  function parse(text) {
    try {
      return JSON.parse(text);
    } catch (notJson) {
      return null;
    }
  }

  function onDisconnected() {
    streams.onDisconnected();
    state.connected = false;
    state.clientId = null;
    $("identity").textContent = "";
    if (state.needsToken) {
      setConnectionState("token required", "offline");
      return;
    }
    const delay = withJitter(state.reconnectDelay);
    state.reconnectDelay = Math.min(RECONNECT_MAX_MS, state.reconnectDelay * 2);
    const banner = $("banner");
    banner.textContent = `Disconnected — reconnecting in ${(delay / 1000).toFixed(1)} s`;
    banner.hidden = false;
    setConnectionState("disconnected", "offline");
    state.reconnectTimer = setTimeout(connect, delay);
  }

  /**
   * A browser cannot read the status or Retry-After of a refused upgrade, so the delays grow; the random part keeps
   * many consoles refused together from coming back together.
   */
  function withJitter(ms) {
    return ms + Math.floor(Math.random() * (ms / 2 + 1));
  }

  /** A registration refused with RATE_LIMITED: the socket stays open, and the hub says when to register again. */
  function registerAgainLater(frame) {
    const socket = state.socket;
    const delay = withJitter(Math.max(1, frame.retry_after_ms));
    $("banner").textContent = `The hub is busy — registering again in ${(delay / 1000).toFixed(1)} s`;
    $("banner").hidden = false;
    setTimeout(() => {
      if (socket === state.socket && socket.readyState === WebSocket.OPEN && !state.connected) {
        socket.send(JSON.stringify(registration()));
      }
    }, delay);
  }

  function setConnectionState(text, kind) {
    const pill = $("connection-state");
    pill.textContent = text;
    pill.className = "pill " + kind;
    document.body.dataset.connection = text;
    $("chat-send").disabled = text !== "connected";
  }

  function onRegistered(frame) {
    state.clientId = frame.frontend_id;
    state.connected = true;
    state.needsToken = false;
    state.reconnectDelay = RECONNECT_MIN_MS;
    $("banner").hidden = true;
    $("token-form").hidden = true;
    $("identity").textContent = "as " + frame.frontend_id;
    setConnectionState("connected", "online");
    refreshStatus();
    streams.onRegistered(frame.frontend_id);
  }

  function askForToken(reason) {
    state.needsToken = true;
    sessionStorage.removeItem(TOKEN_KEY);
    $("token-reason").textContent = reason;
    $("token-form").hidden = false;
    $("banner").hidden = true;
    $("token-input").focus();
    if (state.socket && state.socket.readyState <= WebSocket.OPEN) {
      state.socket.close();
    } else {
      setConnectionState("token required", "offline");
    }
  }

  function onTokenSubmitted(event) {
    event.preventDefault();
    const input = $("token-input");
    sessionStorage.setItem(TOKEN_KEY, input.value);
    input.value = "";
    state.needsToken = false;
    $("token-form").hidden = true;
    connect();
  }

  // ---- frames from the hub ---------------------------------------------------------------------------------------

  function onFrame(frame) {
    if (!frame || typeof frame !== "object") {
      return;
    }
    const type = frame.message_type;
    if (streams.onFrame(frame)) {
      return;
    }
    if (type === "REGISTER_FRONTEND_RESPONSE") {
      onRegistered(frame);
    } else if (type === "ERROR" && frame.error_code === "UNAUTHORIZED" && !state.connected) {
      askForToken(sessionStorage.getItem(TOKEN_KEY)
        ? "The hub refused that token; enter a frontend token."
        : "This hub requires a frontend token.");
    } else if (type === "ERROR" && frame.error_code === "RATE_LIMITED" && !state.connected
        && Number.isFinite(frame.retry_after_ms)) {
      registerAgainLater(frame);
    } else if (type === "AGENT_STATUS_UPDATE") {
      onStatusUpdate(frame);
    } else if (CHAT_TYPES.has(type)) {
      recordTraffic(frame);
      streams.noteQuestion(frame);
      threadAnswer(frame);
    }
  }

  function onStatusUpdate(frame) {
    if (!Array.isArray(frame.agents)) {
      return;
    }
    if (frame.is_full_update !== false) {
      state.agents.clear();
    }
    for (const agent of frame.agents) {
      if (agent && typeof agent.agent_id === "string") {
        state.agents.set(agent.agent_id, agent);
      }
    }
    renderAgents();
    if (pickersChanged()) {
      renderReceivers();
      renderSkills();
    }
    if (frame.agents.some((agent) => agent && !state.nodeOf.has(agent.agent_id))) {
      refreshStatus();
    }
  }

  function sortedAgents() {
    return [...state.agents.values()].sort((a, b) =>
      String(a.agent_name).localeCompare(String(b.agent_name)) || a.agent_id.localeCompare(b.agent_id));
  }

  function renderAgents() {
    const body = $("agents");
    body.replaceChildren();
    let online = 0;
    for (const agent of sortedAgents()) {
      const status = element("span", agent.is_online ? "pill online" : "pill offline",
        agent.is_online ? "online" : "offline");
      const tr = row([agent.agent_name, element("code", null, agent.agent_id), status, ...detailCells(agent),
        seenCell(agent.last_seen), nodeCell(state.nodeOf.get(agent.agent_id))]);
      tr.dataset.agentId = agent.agent_id;
      tr.dataset.grade = gradeOf(agent);
      tr.dataset.online = String(Boolean(agent.is_online));
      body.appendChild(tr);
      online += agent.is_online ? 1 : 0;
    }
    $("agents-empty").hidden = state.agents.size > 0;
    $("agents-summary").textContent = `${online} online of ${state.agents.size}`;
  }

  function renderReceivers() {
    const select = $("chat-receiver");
    const chosen = select.value;
    const options = [new Option("Let the broker choose", "server")];
    for (const agent of sortedAgents()) {
      const option = new Option(`${agent.agent_name} (${agent.agent_id})${agent.is_online ? "" : " — offline"}`,
        agent.agent_id);
      option.disabled = !agent.is_online;
      options.push(option);
    }
    select.replaceChildren(...options);
    select.value = options.some((o) => o.value === chosen && !o.disabled) ? chosen : "server";
  }

  // ---- agent cards and live load -----------------------------------------------------------------------------------

  let pickersKey = "";

  /**
   * Whether the agents the chat's pickers offer changed (who is online, their names and skills). A load update changes
   * none of it, so an open picker is not rebuilt under the user's pointer every second.
   */
  function pickersChanged() {
    const key = sortedAgents()
      .map((agent) => `${agent.agent_id}|${agent.agent_name}|${agent.is_online}|${skillsOf(agent).join(",")}`)
      .join(";");
    const changed = key !== pickersKey;
    pickersKey = key;
    return changed;
  }

  function skillsOf(agent) {
    const skills = agent && agent.card && Array.isArray(agent.card.skills) ? agent.card.skills : [];
    return skills.filter((skill) => skill && typeof skill.id === "string").map((skill) => skill.id);
  }

  function gradeOf(agent) {
    if (!agent.is_online) {
      return "offline";
    }
    return typeof agent.grade === "string" ? agent.grade : "available";
  }

  /** The Skills, Grade and Load cells of an agent's row. */
  function detailCells(agent) {
    const grade = gradeOf(agent);
    const pill = element("span", "pill grade " + (grade === "available" ? "online" : grade), grade);
    return [element("span", "skills", skillsOf(agent).join(", ") || "—"), pill, loadSummary(agent.load)];
  }

  function loadSummary(load) {
    if (!load || typeof load !== "object") {
      return element("span", "load muted", "—");
    }
    const parts = [`${load.unanswered ?? 0} unanswered`];
    if (typeof load.queue_depth === "number") {
      parts.push(`${load.queue_depth} queued`);
    }
    if (typeof load.tasks_in_progress === "number") {
      parts.push(`${load.tasks_in_progress} in progress`);
    }
    if (typeof load.latency_ms === "number") {
      parts.push(`${load.latency_ms} ms`);
    }
    if (typeof load.tokens_per_second === "number") {
      parts.push(`${load.tokens_per_second} tokens/s`);
    }
    return element("span", "load", parts.join(", "));
  }

  /** The chat's skill picker: every skill an online agent's card names. */
  function renderSkills() {
    const select = $("chat-skill");
    const chosen = select.value;
    const skills = new Set();
    for (const agent of state.agents.values()) {
      if (agent.is_online) {
        skillsOf(agent).forEach((skill) => skills.add(skill));
      }
    }
    const options = [new Option("Any", "")];
    [...skills].sort().forEach((skill) => options.push(new Option(skill, skill)));
    select.replaceChildren(...options);
    select.value = skills.has(chosen) ? chosen : "";
    onSkillChosen();
  }

  /** With a skill chosen, the broker picks an agent that has it: the receiver is the broker's choice. */
  function onSkillChosen() {
    const receiver = $("chat-receiver");
    receiver.disabled = $("chat-skill").value !== "";
    if (receiver.disabled) {
      receiver.value = "server";
    }
  }

  function withChosenSkill(message) {
    const skill = $("chat-skill").value;
    if (skill) {
      message.skill = skill;
      message.receiver_id = "server";
    }
  }

  // ---- traffic monitor -------------------------------------------------------------------------------------------

  function recordTraffic(frame) {
    if (typeof frame.message_id === "string") {
      const key = `${frame.message_type}|${frame.message_id}|${frame.receiver_id}`;
      if (state.shownTraffic.has(key)) {
        return;
      }
      rememberBounded(state.shownTraffic, key);
    }
    state.arrivals.push(Date.now());
    if ($("traffic-pause").checked) {
      state.heldTraffic.push(frame);
      if (state.heldTraffic.length > HELD_FRAMES) {
        state.heldTraffic.shift();
      }
      $("traffic-held").textContent = `${state.heldTraffic.length} held`;
      return;
    }
    showTraffic(frame);
  }

  function showTraffic(frame) {
    const item = element("li", "traffic-row " + String(frame.message_type).toLowerCase());
    item.appendChild(element("time", null, clock(new Date())));
    item.appendChild(element("span", "type", frame.message_type));
    item.appendChild(element("span", "route", `${nameOf(frame.sender_id)} → ${nameOf(frame.receiver_id)}`));
    item.appendChild(element("span", "payload", truncate(frame.text_payload)));
    if (typeof frame.message_id === "string") {
      item.title = "message_id " + frame.message_id
        + (frame.in_reply_to_message_id ? ", in reply to " + frame.in_reply_to_message_id : "");
    }
    item.hidden = !matchesFilter(item);
    const list = $("traffic");
    list.prepend(item);
    while (list.children.length > TRAFFIC_ROWS) {
      list.lastElementChild.remove();
    }
  }

  function matchesFilter(item) {
    const filter = $("traffic-filter").value.trim().toLowerCase();
    return filter === "" || (item.textContent + " " + item.title).toLowerCase().includes(filter);
  }

  function applyFilter() {
    for (const item of $("traffic").children) {
      item.hidden = !matchesFilter(item);
    }
  }

  function onPauseToggled() {
    if (!$("traffic-pause").checked) {
      const held = state.heldTraffic;
      state.heldTraffic = [];
      held.forEach(showTraffic);
      $("traffic-held").textContent = "";
    }
  }

  function updateSeenRate() {
    const since = Date.now() - RATE_WINDOW_MS;
    while (state.arrivals.length > 0 && state.arrivals[0] < since) {
      state.arrivals.shift();
    }
    $("rate-seen").textContent = (state.arrivals.length / (RATE_WINDOW_MS / 1000)).toFixed(1);
  }

  // ---- chat ------------------------------------------------------------------------------------------------------

  function onChatSubmitted(event) {
    event.preventDefault();
    const input = $("chat-text");
    if (!state.connected || input.value.trim() === "") {
      return;
    }
    const message = {
      message_type: "TEXT",
      message_id: uuid(),
      sender_id: state.clientId,
      receiver_id: $("chat-receiver").value,
      text_payload: input.value,
      send_timestamp: new Date().toISOString(),
    };
    withChosenSkill(message);
    state.socket.send(JSON.stringify(message));
    addExchange(message);
    input.value = "";
  }

  function addExchange(message) {
    const item = element("li", "exchange");
    item.dataset.messageId = message.message_id;
    const receiver = message.skill ? `an agent with skill ${message.skill}`
      : message.receiver_id === "server" ? "the broker's choice" : nameOf(message.receiver_id);
    const question = element("div", "question");
    question.appendChild(element("time", null, clock(new Date())));
    question.appendChild(element("span", "route", "to " + receiver));
    question.appendChild(element("span", "payload", message.text_payload));
    item.appendChild(question);
    const answers = element("ul", "answers");
    answers.appendChild(element("li", "pending muted", "waiting for an answer…"));
    item.appendChild(answers);
    const conversation = $("conversation");
    conversation.prepend(item);
    state.exchanges.set(message.message_id, { answers, shown: new Set(), askedAt: Date.now(), message });
    while (conversation.children.length > EXCHANGES) {
      state.exchanges.delete(conversation.lastElementChild.dataset.messageId);
      conversation.lastElementChild.remove();
    }
  }

  /** A reply can reach the console more than once (a redelivery, a copy): each message_id is shown once. */
  function threadAnswer(frame) {
    const exchange = state.exchanges.get(frame.in_reply_to_message_id);
    if (!exchange || frame.message_type === "TEXT" || streams.isShownStream(frame)) {
      return;
    }
    if (typeof frame.message_id === "string") {
      if (exchange.shown.has(frame.message_id)) {
        return;
      }
      exchange.shown.add(frame.message_id);
    }
    exchange.answers.querySelector(".pending")?.remove();
    const answer = element("li", "answer " + String(frame.message_type).toLowerCase());
    if (typeof frame.message_id === "string") {
      answer.dataset.messageId = frame.message_id;
    }
    answer.appendChild(element("time", null, clock(new Date())));
    answer.appendChild(element("span", "route", nameOf(frame.sender_id)));
    answer.appendChild(element("span", "payload", frame.text_payload));
    exchange.answers.appendChild(answer);
  }

  // ---- GET /api/status -------------------------------------------------------------------------------------------

  async function refreshStatus() {
    if (!state.connected || state.statusInFlight) {
      return;
    }
    state.statusInFlight = true;
    try {
      await fetchStatus();
    } finally {
      state.statusInFlight = false;
    }
  }

  async function fetchStatus() {
    const headers = {};
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      headers.Authorization = "Bearer " + token;
    }
    const error = $("status-error");
    try {
      const response = await fetch("/api/status", { headers, cache: "no-store" });
      if (response.status === 401) {
        askForToken("This hub requires a frontend token.");
        return;
      }
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      renderStatus(await response.json());
      error.hidden = true;
    } catch (failure) {
      error.textContent = "Status unavailable: " + failure.message;
      error.hidden = false;
    }
  }

  function renderStatus(status) {
    state.nodeOf = new Map((status.agents || []).map((agent) => [agent.agent_id, agent.node_id]));
    renderAgents();
    renderInstances(status.instances || []);
    renderBrokers(status.brokers || []);
    renderCounters(status.instances || []);
    $("status-age").textContent = "updated " + clock(new Date());
  }

  function renderInstances(instances) {
    const body = $("instances");
    body.replaceChildren();
    for (const instance of instances) {
      const connections = instance.connections || {};
      const tr = row([
        nodeCell(instance.node_id),
        readiness(instance),
        rabbitSummary(instance.rabbitmq),
        configSummary(instance.config),
        clientsSummary(connections.frontend, instance.frontends, "frontend_name"),
        clientsSummary(connections.broker, instance.brokers, "broker_name"),
        connections.agent,
        connections.sockets,
      ]);
      tr.dataset.nodeId = instance.node_id;
      body.appendChild(tr);
    }
  }

  function readiness(instance) {
    if (instance.error) {
      return element("span", "pill offline", "not answering: " + instance.error);
    }
    return element("span", instance.ready ? "pill online" : "pill offline", instance.ready ? "ready" : "not ready");
  }

  function rabbitSummary(rabbit) {
    const box = element("div");
    if (!rabbit) {
      return box;
    }
    box.appendChild(element("div", null, rabbit.target));
    const details = [rabbit.connected ? "connected" : "disconnected"];
    if (rabbit.broker) {
      details.push(rabbit.broker);
    }
    if (rabbit.error) {
      details.push(rabbit.error);
    }
    box.appendChild(element("div", rabbit.connected ? "muted" : "error", details.join(", ")));
    return box;
  }

  function configSummary(config) {
    const box = element("div");
    if (!config) {
      return box;
    }
    box.appendChild(element("div", null, config.source));
    box.appendChild(element("div", "muted", "applied " + (config.applied_at ?? "—")));
    if (config.rejected) {
      const rejected = element("div", "error rejected", `last change rejected at ${config.rejected.at}: `);
      rejected.appendChild(element("span", null, (config.rejected.problems || []).join("; ")));
      box.appendChild(rejected);
    }
    if (config.error) {
      box.appendChild(element("div", "error", config.error));
    }
    return box;
  }

  function clientsSummary(count, list, nameField) {
    const box = element("div", null, count ?? 0);
    if (Array.isArray(list) && list.length > 0) {
      box.appendChild(element("div", "muted names", list.map((client) => client[nameField]).join(", ")));
    }
    return box;
  }

  function renderBrokers(brokers) {
    const body = $("brokers");
    body.replaceChildren();
    for (const broker of brokers) {
      const status = element("span", broker.is_online ? "pill online" : "pill offline",
        broker.is_online ? "online" : "offline");
      const tr = row([broker.broker_name, element("code", null, broker.broker_id), status,
        seenCell(broker.last_seen), nodeCell(broker.node_id)]);
      tr.dataset.brokerId = broker.broker_id;
      body.appendChild(tr);
    }
  }

  function renderCounters(instances) {
    const now = Date.now();
    const totals = { forwarded: 0, routed: 0, deadLettered: 0, errors: 0 };
    for (const instance of instances) {
      const counters = instance.counters || {};
      totals.forwarded += counters.messages_forwarded_total || 0;
      totals.routed += counters.messages_routed_total || 0;
      totals.deadLettered += counters.messages_dead_lettered_total || 0;
      totals.errors += counters.errors_sent_total || 0;
    }
    const previous = state.lastCounters;
    if (previous) {
      const seconds = Math.max(0.001, (now - previous.at) / 1000);
      $("rate-forwarded").textContent = (Math.max(0, totals.forwarded - previous.forwarded) / seconds).toFixed(1);
      $("rate-routed").textContent = (Math.max(0, totals.routed - previous.routed) / seconds).toFixed(1);
    }
    $("count-dead-letters").textContent = String(totals.deadLettered);
    $("count-errors").textContent = String(totals.errors);
    state.lastCounters = { at: now, ...totals };
  }

  // ---- start -----------------------------------------------------------------------------------------------------

  streams = window.ConsoleStreams({
    send: (frame) => state.socket.send(JSON.stringify(frame)),
    element, clock, nameOf, addExchange, registration,
    exchanges: state.exchanges,
    clientId: () => state.clientId,
    operatorToken: () => sessionStorage.getItem(TOKEN_KEY),
  });
  $("token-form").addEventListener("submit", onTokenSubmitted);
  $("chat-form").addEventListener("submit", onChatSubmitted);
  $("chat-skill").addEventListener("change", onSkillChosen);
  $("traffic-filter").addEventListener("input", applyFilter);
  $("traffic-pause").addEventListener("change", onPauseToggled);
  setInterval(refreshStatus, STATUS_POLL_MS);
  setInterval(updateSeenRate, 1000);
  connect();
})();
