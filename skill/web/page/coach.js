// The browser coach: speaks each response, draws the screen the skill sends, and reports where the
// speech had got to when the user interrupts it, so the skill pauses at the second they heard.
"use strict";

(() => {
  // The skill's own speech estimate (skill/speech/builder.py): the engine's timeline is built on it.
  const WORDS_PER_SECOND = 2.5;
  const PUNCTUATION_PAUSE_S = 0.25;
  const TICK_MS = 100;
  const params = new URLSearchParams(location.search);
  const voiceMode = params.get("voice") === "estimate" ? "estimate" : "auto";

  const screenEl = document.getElementById("screen");
  const captionEl = document.getElementById("caption");
  const statusEl = document.getElementById("status");
  const form = document.getElementById("say");
  const input = document.getElementById("utterance");
  const talk = document.getElementById("talk");

  let playback = null; // the response being played (or the last one, frozen when interrupted)
  let payload = null; // the screen the skill sent with it
  let busy = false;
  let turns = 0; // answers received (tests wait on it)

  function spokenSeconds(text, rate) {
    const words = text.split(/\s+/).filter(Boolean).length;
    const pauses = (text.match(/[,.?!;:]/g) || []).length;
    return (words / WORDS_PER_SECOND + pauses * PUNCTUATION_PAUSE_S) * 100 / rate;
  }

  function breakSeconds(value) {
    const match = /^\s*(\d+(?:\.\d+)?)(ms|s)\s*$/.exec(value || "");
    if (!match) return 0;
    return match[2] === "ms" ? Number(match[1]) / 1000 : Number(match[1]);
  }

  // SSML to parts: {text, rate, seconds} to speak, {silence: true, seconds} to wait.
  function parseSsml(ssml) {
    const parts = [];
    if (!ssml) return parts;
    const doc = new DOMParser().parseFromString(ssml, "application/xml");
    if (doc.getElementsByTagName("parsererror").length) {
      const text = ssml.replace(/<[^>]*>/g, " ");
      return [{ text, rate: 100, seconds: spokenSeconds(text, 100) }];
    }
    let pending = "";
    let pendingRate = 100;
    const flush = () => {
      const text = pending.replace(/\s+/g, " ").trim();
      if (text) parts.push({ text, rate: pendingRate, seconds: spokenSeconds(text, pendingRate) });
      pending = "";
    };
    const walk = (node, rate) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          if (rate !== pendingRate) { flush(); pendingRate = rate; }
          pending += child.nodeValue;
        } else if (child.nodeName === "break") {
          flush();
          const seconds = breakSeconds(child.getAttribute("time"));
          const last = parts[parts.length - 1];
          if (last && last.silence) last.seconds += seconds; else if (seconds > 0) parts.push({ silence: true, seconds });
        } else if (child.nodeName === "prosody") {
          const match = /(\d+)%/.exec(child.getAttribute("rate") || "");
          walk(child, match ? Number(match[1]) : rate);
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          walk(child, rate);
        }
      }
    };
    walk(doc.documentElement, 100);
    flush();
    return parts;
  }

  function useVoices() {
    return voiceMode === "auto" && "speechSynthesis" in window && speechSynthesis.getVoices().length > 0;
  }

  function pickVoice() {
    const voices = speechSynthesis.getVoices();
    return voices.find((v) => v.lang === "en-US") || voices.find((v) => v.lang.startsWith("en")) || voices[0];
  }

  // Plays parts in order. Its clock runs on the engine's timeline: a sentence counts for its
  // estimated length (never more while it is still being spoken), a silence for its real length.
  class Playback {
    constructor(parts) {
      this.parts = parts;
      this.index = -1;
      this.offset = 0;
      this.partStart = performance.now();
      this.finishedAt = null;
      this.frozen = null;
      this.timer = null;
      this.token = 0;
    }

    start() { this.advance(); }

    advance() {
      if (this.frozen !== null) return;
      if (this.index >= 0) this.offset += this.parts[this.index].seconds;
      this.index += 1;
      this.partStart = performance.now();
      const token = ++this.token;
      const done = () => { if (token === this.token) this.advance(); };
      if (this.index >= this.parts.length) {
        this.finishedAt = this.partStart;
        captionEl.textContent = "";
        return;
      }
      const part = this.parts[this.index];
      if (part.silence) {
        this.timer = setTimeout(done, part.seconds * 1000);
        return;
      }
      captionEl.textContent = part.text;
      if (!useVoices()) {
        this.timer = setTimeout(done, part.seconds * 1000);
        return;
      }
      const utterance = new SpeechSynthesisUtterance(part.text);
      utterance.rate = part.rate / 100;
      utterance.voice = pickVoice();
      utterance.onend = done;
      utterance.onerror = done;
      // Some engines never report the end of an utterance: do not wait for ever.
      this.timer = setTimeout(done, (part.seconds * 2 + 5) * 1000);
      speechSynthesis.speak(utterance);
    }

    clock() {
      if (this.frozen !== null) return this.frozen;
      const now = performance.now();
      if (this.finishedAt !== null) return this.offset + (now - this.finishedAt) / 1000;
      if (this.index < 0) return 0;
      const part = this.parts[this.index];
      return this.offset + Math.min((now - this.partStart) / 1000, part.seconds);
    }

    // Stop at once (a barge-in); the clock keeps the moment, in case the request must be sent again.
    freeze() {
      if (this.frozen === null) this.frozen = this.clock();
      this.token += 1;
      clearTimeout(this.timer);
      if ("speechSynthesis" in window) speechSynthesis.cancel();
      captionEl.textContent = "";
      return this.frozen;
    }
  }

  // -- drawing the screen (the same data as the Echo Show's APL datasource) --------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function buttonsOf(list) {
    const row = el("div", "buttons");
    for (const button of list || []) {
      const node = el("button", "", button.label);
      node.type = "button";
      node.dataset.action = button.action;
      row.append(node);
    }
    return row;
  }

  function frameAt(frames, seconds) {
    for (const frame of frames) if (frame.t0 <= seconds && seconds < frame.t1) return frame;
    return frames[frames.length - 1];
  }

  // The countdown the APL document computes from elapsedTime (skill/screen/timeline.py, countdown_at).
  function countdownAt(frame, seconds) {
    let spent = 0;
    for (let i = 0; i < 3; i += 1) spent += Math.min(Math.max(seconds - frame["s" + i], 0), frame["l" + i]);
    return Math.max(0, Math.ceil(frame.from - spent - 0.001));
  }

  function render(data) {
    payload = data;
    screenEl.dataset.kind = data.kind;
    screenEl.replaceChildren();
    const body = el("div", "screen-body");
    if (data.kind === "coach") {
      for (const [name, cls] of [["exercise", "small"], ["name", "title"], ["side", "line side"],
        ["progress", "small"], ["big", "big"], ["cue", "line"], ["next", "small"]]) {
        const node = el(name === "name" ? "h1" : "p", cls);
        node.dataset.field = name;
        if (name === "exercise" || name === "next") node.dataset.wide = "";
        if (name === "big") node.setAttribute("aria-live", "off"); // a screen reader need not hear every second
        body.append(node);
      }
    } else if (data.kind === "paused") {
      body.append(el("p", "small", data.title), el("h1", "title", data.name), el("p", "line side", data.side),
        el("p", "small", data.progress), el("p", "big", data.big), el("p", "line", data.cue));
    } else if (data.kind === "summary") {
      body.append(el("p", "small", data.title), el("h1", "title", data.headline));
      for (const line of data.lines) body.append(el("p", "line", line));
      body.append(el("p", "small", data.hint));
    } else {
      body.append(el("p", "small", data.title), el("h1", "title", data.headline));
      const items = el("ul", "items");
      for (const item of data.items || []) {
        const li = el("li");
        li.append(el("p", "line", item.title), el("p", "small", item.example));
        items.append(li);
      }
      body.append(items);
    }
    screenEl.append(body, buttonsOf(data.buttons));
    tick();
  }

  function tick() {
    if (!payload || payload.kind !== "coach") return;
    const seconds = playback ? playback.clock() : 0;
    const frame = frameAt(payload.frames, seconds);
    for (const node of screenEl.querySelectorAll("[data-field]")) {
      const field = node.dataset.field;
      const value = field === "big" ? (frame.timed ? String(countdownAt(frame, seconds)) : frame.big) : frame[field];
      if (node.textContent !== value) node.textContent = value;
    }
  }

  function renderEnded() {
    render({ kind: "menu", title: "Stride Coach", headline: "The session has ended. Tap Start to open Stride Coach again.",
      items: [], buttons: [] });
    screenEl.dataset.kind = "ended";
    const row = screenEl.querySelector(".buttons");
    const start = el("button", "", "Start");
    start.type = "button";
    start.dataset.open = "";
    row.append(start);
  }

  // -- talking to the skill ----------------------------------------------------------------------
  async function send(body, captured) {
    if (busy) return;
    busy = true;
    const elapsed = captured !== undefined ? captured : (playback ? playback.freeze() : null);
    statusEl.textContent = "";
    try {
      let response;
      try {
        response = await fetch("api/turn", { method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ ...body, elapsed }) });
      } catch (error) {
        statusEl.textContent = "The coach is not reachable. Is stride-coach web still running?";
        return;
      }
      const answer = await response.json().catch(() => ({ error: "The coach sent an unreadable answer." }));
      if (!response.ok) {
        statusEl.textContent = answer.error || "Something went wrong.";
        return;
      }
      turns += 1;
      playback = new Playback(parseSsml(answer.ssml));
      if (answer.ended) renderEnded(); else if (answer.screen) render(answer.screen);
      playback.start();
      tick();
    } finally {
      busy = false;
    }
  }

  screenEl.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.open !== undefined) send({ open: true });
    else if (button.dataset.action) send({ tap: button.dataset.action });
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = "";
    send({ say: text });
  });

  // Push-to-talk where the browser recognises speech: pressing interrupts the coach, as "Alexa" does.
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  if (Recognition && params.get("talk") !== "off") {
    talk.hidden = false;
    let recognition = null;
    let pressedAt = null;
    const release = () => { talk.setAttribute("aria-pressed", "false"); if (recognition) recognition.stop(); };
    talk.addEventListener("pointerdown", () => {
      pressedAt = playback ? playback.freeze() : null;
      recognition = new Recognition();
      recognition.lang = "en-US";
      recognition.interimResults = false;
      recognition.onresult = (event) => {
        const transcript = event.results[0][0].transcript;
        send({ say: transcript }, pressedAt);
      };
      recognition.onerror = (event) => { statusEl.textContent = `Could not hear that (${event.error}). Type it instead.`; };
      talk.setAttribute("aria-pressed", "true");
      recognition.start();
    });
    talk.addEventListener("pointerup", release);
    talk.addEventListener("pointerleave", release);
  }

  setInterval(tick, TICK_MS);
  // Chromium lists its voices only after being asked once.
  if ("speechSynthesis" in window) speechSynthesis.getVoices();

  // For tests and the docs' screenshots: the state, and drawing a payload at a moment of its timeline.
  window.strideCoach = {
    clock: () => (playback ? playback.clock() : null),
    payload: () => payload,
    turns: () => turns,
    voiceMode,
    parseSsml,
    preview(data, seconds, round) {
      document.body.classList.add("preview");
      document.body.classList.toggle("round", Boolean(round));
      playback = { clock: () => seconds, freeze: () => seconds };
      render(data);
    },
  };
})();
