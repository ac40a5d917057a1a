"use strict";
// Streamed replies in the console (docs/protocol.md, "Streamed replies"): the answers to the console's own questions
// appear word by word under their question, every other stream that opens is joined and shown under its question in
// the Streams card, each with the time to its first token and a Cancel button. What the console watches is kept in
// sessionStorage with its frontend id, so a reload resumes the session and joins every stream again, from its start.
// Every string from the hub is rendered with textContent, never as HTML.
window.ConsoleStreams = (deps) => {
  const FRONTEND_KEY = "agenthub.console.frontend";
  const WATCHED_KEY = "agenthub.console.streams";
  const QUESTIONS = 1000;
  const STREAMS_SHOWN = 100;
  const $ = (id) => document.getElementById(id);
  /** stream id → {view, nextSeq, askedAt, own, messageId, firstTokenShown} */
  const streams = new Map();
  /** message id → {text, sender, seenAt}: the questions the monitor saw, to thread the streams that answer them. */
  const questions = new Map();

  function watched() {
    try {
      return JSON.parse(sessionStorage.getItem(WATCHED_KEY) || "[]");
    } catch (corrupt) {
      return [];
    }
  }

  function saveWatched(list) {
    sessionStorage.setItem(WATCHED_KEY, JSON.stringify(list.slice(-STREAMS_SHOWN)));
  }

  function remember(entry) {
    saveWatched(watched().filter((w) => w.streamId !== entry.streamId).concat([entry]));
  }

  function forget(streamId) {
    saveWatched(watched().filter((w) => w.streamId !== streamId));
  }

  /** Opts in to streams, and resumes the console's earlier session (its streams' answers go to that id). */
  function registrationFields(frame) {
    frame.streams = true;
    const previous = sessionStorage.getItem(FRONTEND_KEY);
    if (previous) {
      frame.frontend_id = previous;
    }
    return frame;
  }

  /** After (re)registering: every stream watched before is joined again from its start, its view rebuilt. */
  function onRegistered(frontendId) {
    sessionStorage.setItem(FRONTEND_KEY, frontendId);
    for (const entry of watched()) {
      const shown = streams.get(entry.streamId);
      if (shown && !shown.rejoined) {
        continue;
      }
      if (!shown && entry.own && entry.question && !deps.exchanges.has(entry.messageId)) {
        deps.addExchange(entry.question);
      }
      join(entry.streamId);
    }
  }

  function join(streamId) {
    deps.send({ message_type: "STREAM_JOIN", stream_id: streamId, from_seq: 0 });
  }

  function noteQuestion(frame) {
    if (frame.message_type === "TEXT" && typeof frame.message_id === "string" && !questions.has(frame.message_id)) {
      questions.set(frame.message_id, { text: frame.text_payload, sender: frame.sender_id, seenAt: Date.now() });
      if (questions.size > QUESTIONS) {
        questions.delete(questions.keys().next().value);
      }
    }
  }

  /** True when the frame concerns a stream and was handled here. */
  function onFrame(frame) {
    switch (frame.message_type) {
      case "STREAM_START": onStart(frame); return true;
      case "STREAM_CHUNK": onChunk(frame); return true;
      case "STREAM_END": onEnd(frame); return true;
      case "ERROR": return onError(frame);
      default: return false;
    }
  }

  /** The REPLY a stream ends with, under a question whose stream is already shown: not shown a second time. */
  function isShownStream(frame) {
    return typeof frame.stream_id === "string" && streams.has(frame.stream_id);
  }

  function onStart(frame) {
    const existing = streams.get(frame.stream_id);
    if (existing) {
      if (existing.rejoined) {
        existing.view.payload.textContent = "";
        existing.nextSeq = 0;
        existing.rejoined = false;
      }
      return;
    }
    const exchange = deps.exchanges.get(frame.in_reply_to_message_id);
    const own = Boolean(exchange) && frame.receiver_id === deps.clientId();
    const question = questions.get(frame.in_reply_to_message_id);
    const view = own ? viewUnder(exchange.answers, frame) : viewInStreamsCard(frame, question);
    const askedAt = own ? exchange.askedAt : question ? question.seenAt : Date.now();
    streams.set(frame.stream_id, { view, nextSeq: 0, askedAt, own, firstTokenShown: false, rejoined: false });
    remember({ streamId: frame.stream_id, own, messageId: frame.in_reply_to_message_id,
      question: own ? exchange.message : null });
    if (!own && !deps.exchanges.has(frame.in_reply_to_message_id)) {
      join(frame.stream_id);
    }
  }

  function onChunk(frame) {
    const stream = streams.get(frame.stream_id);
    if (!stream || typeof frame.delta !== "string" || frame.seq < stream.nextSeq) {
      return;
    }
    stream.view.payload.textContent += frame.delta;
    stream.nextSeq = (Number.isInteger(frame.last_seq) ? frame.last_seq : frame.seq) + 1;
    if (!stream.firstTokenShown) {
      stream.firstTokenShown = true;
      stream.view.ttft.textContent = `first token after ${Math.max(0, Date.now() - stream.askedAt)} ms`;
    }
    stream.view.item.dataset.chunks = String(stream.nextSeq);
  }

  function onEnd(frame) {
    const stream = streams.get(frame.stream_id);
    if (!stream) {
      return;
    }
    const why = frame.error_code ? ` (${frame.error_code})` : "";
    stream.view.status.textContent = frame.reason + why;
    stream.view.item.dataset.state = frame.reason;
    stream.view.cancel.hidden = true;
    forget(frame.stream_id);
  }

  /**
   * A refused stream frame shows in its stream's status. An earlier session that still looks connected (the old
   * socket's loss not noticed yet) cannot be resumed: the console registers afresh.
   */
  function onError(frame) {
    if (frame.error_code === "CLIENT_ID_IN_USE") {
      sessionStorage.removeItem(FRONTEND_KEY);
      deps.send(deps.registration());
      return true;
    }
    if (typeof frame.stream_id !== "string") {
      return false;
    }
    const stream = streams.get(frame.stream_id);
    if (stream) {
      stream.view.status.textContent = `${frame.error_code}: ${frame.text_payload}`;
    }
    return true;
  }

  function viewUnder(answers, frame) {
    answers.querySelector(".pending")?.remove();
    const view = streamView(frame);
    answers.appendChild(view.item);
    return view;
  }

  function viewInStreamsCard(frame, question) {
    const item = deps.element("li", "exchange");
    const head = deps.element("div", "question");
    head.appendChild(deps.element("time", null, deps.clock(new Date())));
    head.appendChild(deps.element("span", "route", "from " + deps.nameOf(frame.receiver_id)));
    head.appendChild(deps.element("span", "payload", question ? question.text : frame.in_reply_to_message_id));
    item.appendChild(head);
    const answers = deps.element("ul", "answers");
    const view = streamView(frame);
    answers.appendChild(view.item);
    item.appendChild(answers);
    const list = $("streams");
    list.prepend(item);
    while (list.children.length > STREAMS_SHOWN) {
      list.lastElementChild.remove();
    }
    $("streams-empty").hidden = true;
    return view;
  }

  function streamView(frame) {
    const item = deps.element("li", "answer stream");
    item.dataset.streamId = frame.stream_id;
    item.dataset.state = "streaming";
    item.appendChild(deps.element("time", null, deps.clock(new Date())));
    item.appendChild(deps.element("span", "route", deps.nameOf(frame.agent_id)));
    const payload = item.appendChild(deps.element("span", "payload", ""));
    const meta = item.appendChild(deps.element("div", "stream-meta muted"));
    const status = meta.appendChild(deps.element("span", "stream-status", "streaming"));
    const ttft = meta.appendChild(deps.element("span", "stream-ttft", ""));
    const cancel = meta.appendChild(deps.element("button", "stream-cancel", "Cancel"));
    cancel.type = "button";
    cancel.addEventListener("click", () => cancelStream(frame.stream_id));
    return { item, payload, status, ttft, cancel };
  }

  /** The console's own stream is cancelled over its socket; any other as an operator, over HTTP. */
  async function cancelStream(streamId) {
    const stream = streams.get(streamId);
    if (!stream) {
      return;
    }
    stream.view.status.textContent = "cancelling…";
    if (stream.own) {
      deps.send({ message_type: "STREAM_CANCEL", stream_id: streamId });
      return;
    }
    const headers = { "Content-Type": "application/json" };
    const token = deps.operatorToken();
    if (token) {
      headers.Authorization = "Bearer " + token;
    }
    try {
      const response = await fetch(`/api/streams/${encodeURIComponent(streamId)}/cancel`,
        { method: "POST", headers, body: "{}" });
      if (!response.ok) {
        const body = await response.json().catch(() => ({}));
        stream.view.status.textContent = response.status === 401
          ? "an operator token is needed (OPERATOR_TOKENS)" : String(body.error || response.status);
      }
    } catch (failed) {
      stream.view.status.textContent = "cancel failed: " + failed;
    }
  }

  /** The socket dropped: the streams still streaming are joined again from their start once it is back. */
  function onDisconnected() {
    for (const stream of streams.values()) {
      stream.rejoined = stream.view.item.dataset.state === "streaming";
    }
  }

  return { registrationFields, onRegistered, onFrame, isShownStream, noteQuestion, onDisconnected };
};
